//! Signing, for authorities: pure functions from documents and keys to the files they publish.

use crate::claim::{sign_claim, Claim, ClaimError};
use crate::jws;
use crate::key_list::KeyList;
use crate::label_url::label_url;
use crate::report::{report_digest, Report, REPORT_FORMAT_VERSION};
use crate::revocation::RevocationList;
use ed25519_dalek::SigningKey;

fn to_json<T: serde::Serialize>(doc: &T) -> Result<Vec<u8>, String> {
    serde_json::to_vec(doc).map_err(|e| e.to_string())
}

/// The signed key list file. Validates the list first.
pub fn sign_key_list(list: &KeyList, root_kid: &str, root: &SigningKey) -> Result<Vec<u8>, String> {
    list.validate()?;
    Ok(jws::sign(&to_json(list)?, root_kid, jws::TYP_KEY_LIST, root))
}

/// The signed revocation list file.
pub fn sign_revocations(list: &RevocationList, root_kid: &str, root: &SigningKey) -> Result<Vec<u8>, String> {
    let payload = to_json(list)?;
    RevocationList::parse(&payload)?;
    Ok(jws::sign(&payload, root_kid, jws::TYP_REVOCATIONS, root))
}

/// A signed report file and the digest a claim must carry to bind it.
pub struct SignedReport {
    pub file: Vec<u8>,
    pub digest: [u8; crate::claim::REPORT_DIGEST_LEN],
}

pub fn sign_report(report: &Report, kid: &str, key: &SigningKey) -> Result<SignedReport, String> {
    if report.format != REPORT_FORMAT_VERSION {
        return Err(format!("report format must be {REPORT_FORMAT_VERSION}"));
    }
    let payload = to_json(report)?;
    Report::parse(&payload)?;
    Ok(SignedReport {
        digest: report_digest(&payload),
        file: jws::sign(&payload, kid, jws::TYP_REPORT, key),
    })
}

/// The QR text of a label: `verifier` is the key list's verifier base URL.
pub fn issue_label(claim: &Claim, kid: &str, key: &SigningKey, verifier: &str) -> Result<String, ClaimError> {
    Ok(label_url(verifier, &sign_claim(claim, kid, key)?))
}
