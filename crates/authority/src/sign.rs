//! The one signing sequence: a report signed, then the claim that binds it by its digest, and
//! the QR text of the label. Whether the result may leave is the [gate](crate::gate)'s to say;
//! the demo also signs labels meant to fail through here, then spoils them.

use ed25519_dalek::{Signature, Signer};
use labelcheck_core::claim::{sign_claim, Claim};
use labelcheck_core::issuer::{sign_report, IssueError};
use labelcheck_core::label_url::label_url;
use labelcheck_core::status::StatusRef;
use labelcheck_core::Report;

/// A label and its report, signed.
pub struct Signed {
    /// The signed report file (`SERIAL.jws`).
    pub report_file: Vec<u8>,
    /// The digest of its payload, which the claim carries.
    pub digest: [u8; 16],
    pub claim: Claim,
    /// The signed claim (COSE_Sign1) the QR text carries.
    pub cose: Vec<u8>,
    pub qr_text: String,
}

/// Signs `report` and its label with the key `kid`; the label links to `verifier` and carries
/// `status`, its place in the authority's status list, if it has one.
pub fn sign_with<S: Signer<Signature> + ?Sized>(
    report: &Report,
    kid: &str,
    key: &S,
    verifier: &str,
    location: Option<String>,
    status: Option<StatusRef>,
) -> Result<Signed, IssueError> {
    let signed = sign_report(report, kid, key)?;
    let mut claim = Claim::for_report(report, signed.digest, location);
    claim.status = status;
    let cose = sign_claim(&claim, kid, key)?;
    Ok(Signed {
        report_file: signed.file,
        digest: signed.digest,
        qr_text: label_url(verifier, &cose),
        claim,
        cose,
    })
}

/// [`sign_with`] an authority's key.
pub fn sign_label(
    report: &Report,
    key: &crate::key::Key,
    verifier: &str,
    location: Option<String>,
    status: Option<StatusRef>,
) -> Result<Signed, IssueError> {
    sign_with(report, &key.kid, key, verifier, location, status)
}
