//! Signing, for authorities: pure functions from documents and keys to the files they publish.
//! Each document is checked by the same rules a verifier applies before it is signed, so an
//! authority cannot publish a file verifiers would refuse.

use crate::claim::{sign_claim, Claim, ClaimError};
use crate::jws;
use crate::key_list::{KeyList, KeyListError};
use crate::label_url::label_url;
use crate::report::{report_digest, Report, ReportError};
use crate::revocation::{RevocationList, RevocationListError};
use crate::status::{StatusList, StatusListDoc, StatusListError};
use ed25519_dalek::{Signature, Signer};
use std::fmt;

/// Why a document was not signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueError {
    KeyList(KeyListError),
    Revocations(RevocationListError),
    Status(StatusListError),
    Report(ReportError),
    Claim(ClaimError),
    /// The key could not make a signature (a token removed or its session closed; a key in
    /// memory always signs).
    Signing,
}

impl fmt::Display for IssueError {
    /// The error's name and data, for logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueError::KeyList(e) => write!(f, "key-list {e}"),
            IssueError::Revocations(e) => write!(f, "revocations {e}"),
            IssueError::Status(e) => e.fmt(f),
            IssueError::Report(e) => write!(f, "report {e}"),
            IssueError::Claim(e) => e.fmt(f),
            IssueError::Signing => f.write_str("signing"),
        }
    }
}

impl std::error::Error for IssueError {}

/// The payload bytes of a document: compact JSON, as signed. Serializing these types to a
/// vector cannot fail (no maps with non-string keys, no failing `Serialize` impls).
fn to_json<T: serde::Serialize>(doc: &T) -> Vec<u8> {
    serde_json::to_vec(doc).unwrap_or_default()
}

/// The signed key list file. Validates the list first.
pub fn sign_key_list<S: Signer<Signature> + ?Sized>(
    list: &KeyList,
    root_kid: &str,
    root: &S,
) -> Result<Vec<u8>, IssueError> {
    let payload = to_json(list);
    KeyList::parse(&payload).map_err(IssueError::KeyList)?;
    jws::sign(&payload, root_kid, jws::TYP_KEY_LIST, root).map_err(|_| IssueError::Signing)
}

/// The signed revocation list file.
pub fn sign_revocations<S: Signer<Signature> + ?Sized>(
    list: &RevocationList,
    root_kid: &str,
    root: &S,
) -> Result<Vec<u8>, IssueError> {
    let payload = to_json(list);
    RevocationList::parse(&payload).map_err(IssueError::Revocations)?;
    jws::sign(&payload, root_kid, jws::TYP_REVOCATIONS, root).map_err(|_| IssueError::Signing)
}

/// The signed status list partition file.
pub fn sign_status<S: Signer<Signature> + ?Sized>(
    doc: &StatusListDoc,
    root_kid: &str,
    root: &S,
) -> Result<Vec<u8>, IssueError> {
    let payload = to_json(doc);
    StatusList::parse(&payload).map_err(IssueError::Status)?;
    jws::sign(&payload, root_kid, jws::TYP_STATUS, root).map_err(|_| IssueError::Signing)
}

/// A signed report file and the digest a claim must carry to bind it.
pub struct SignedReport {
    pub file: Vec<u8>,
    pub digest: [u8; crate::claim::REPORT_DIGEST_LEN],
}

pub fn sign_report<S: Signer<Signature> + ?Sized>(
    report: &Report,
    kid: &str,
    key: &S,
) -> Result<SignedReport, IssueError> {
    let payload = to_json(report);
    Report::parse(&payload).map_err(IssueError::Report)?;
    Ok(SignedReport {
        digest: report_digest(&payload),
        file: jws::sign(&payload, kid, jws::TYP_REPORT, key).map_err(|_| IssueError::Signing)?,
    })
}

/// The QR text of a label: `verifier` is the key list's verifier base URL.
pub fn issue_label<S: Signer<Signature> + ?Sized>(
    claim: &Claim,
    kid: &str,
    key: &S,
    verifier: &str,
) -> Result<String, IssueError> {
    Ok(label_url(verifier, &sign_claim(claim, kid, key)?))
}
