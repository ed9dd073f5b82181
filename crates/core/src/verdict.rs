//! The outcome of checking one label: one verdict, the reasons for it, and what was signed.

use crate::claim::{Claim, ClaimError};
use crate::freshness::LIST_GRACE_SECS;
use crate::key_list::{Names, Programme};
use crate::label_url::{DamagedLink, NotALabel};
use crate::report::Report;
use crate::revocation::RevocationReason;
use crate::time::{Date, Timestamp};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictKind {
    Genuine,
    GenuineOffline,
    NotGenuine,
    Revoked,
    Expired,
    UnknownAuthority,
    NotALabel,
    CannotCheck,
}

impl VerdictKind {
    pub const ALL: [VerdictKind; 8] = [
        VerdictKind::Genuine,
        VerdictKind::GenuineOffline,
        VerdictKind::NotGenuine,
        VerdictKind::Revoked,
        VerdictKind::Expired,
        VerdictKind::UnknownAuthority,
        VerdictKind::NotALabel,
        VerdictKind::CannotCheck,
    ];

    /// The stable name used in JSON output and in the app's `data-verdict`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Genuine => "genuine",
            VerdictKind::GenuineOffline => "genuine-offline",
            VerdictKind::NotGenuine => "not-genuine",
            VerdictKind::Revoked => "revoked",
            VerdictKind::Expired => "expired",
            VerdictKind::UnknownAuthority => "unknown-authority",
            VerdictKind::NotALabel => "not-a-label",
            VerdictKind::CannotCheck => "cannot-check",
        }
    }

    pub fn parse(s: &str) -> Option<VerdictKind> {
        VerdictKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for VerdictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the report could not be obtained. Supplied by whoever fetched it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchProblem {
    /// The caller chose not to fetch (offline mode, or no network).
    NotAttempted,
    Network(String),
    Timeout,
    HttpStatus(u16),
    Redirected,
    TooLarge,
    WrongContentType(String),
}

impl FetchProblem {
    /// Problems that say nothing about the report itself: the label is still genuine offline.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            FetchProblem::NotAttempted | FetchProblem::Network(_) | FetchProblem::Timeout | FetchProblem::HttpStatus(_)
        )
    }
}

impl fmt::Display for FetchProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchProblem::NotAttempted => f.write_str("it was not fetched (offline)"),
            FetchProblem::Network(e) => write!(f, "the report host could not be reached ({e})"),
            FetchProblem::Timeout => f.write_str("the report host took too long to answer"),
            FetchProblem::HttpStatus(s) => write!(f, "the report host answered with HTTP status {s}"),
            FetchProblem::Redirected => f.write_str("the report host redirected elsewhere, which reports never do"),
            FetchProblem::TooLarge => f.write_str("the report host sent more data than a report may hold"),
            FetchProblem::WrongContentType(t) => write!(f, "the report host sent {t:?} instead of a report"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    NotALabel(NotALabel),
    DamagedLink(DamagedLink),
    MalformedClaim(ClaimError),
    UnknownAuthority {
        authority: String,
    },
    NoKeyList {
        authority: String,
    },
    KeyNotPublished {
        kid: String,
    },
    ClaimSignatureInvalid {
        kid: String,
    },
    KeyNotValidAtSigning {
        kid: String,
        signed: Date,
        not_before: Timestamp,
        not_after: Timestamp,
    },
    UnknownProgramme {
        programme: u32,
    },
    LevelNotInProgramme {
        level: u8,
    },
    NotYetValid {
        from: Date,
    },
    Expired {
        on: Date,
    },
    Revoked {
        date: Date,
        reason: RevocationReason,
        note: Option<String>,
    },
    ReportHostNotAllowed {
        host: String,
    },
    ReportUnavailable(FetchProblem),
    ReportUnreadable(String),
    ReportKeyNotPublished {
        kid: String,
    },
    ReportSignatureInvalid {
        kid: String,
    },
    ReportKeyNotValidAtSigning {
        kid: String,
        signed: Timestamp,
    },
    ReportDigestMismatch,
    ReportFieldMismatch {
        fields: Vec<&'static str>,
    },
    ClaimVerified {
        kid: String,
    },
    ReportVerified {
        kid: String,
    },
    NotRevoked {
        list_version: u64,
        list_issued: Timestamp,
    },
    KeyListExpired {
        on: Timestamp,
    },
    KeyListTooOld {
        on: Timestamp,
    },
    RevocationListMissing,
    RevocationListExpired {
        on: Timestamp,
    },
    RevocationListTooOld {
        on: Timestamp,
    },
    /// The device's clock is before a time the authority signed: dates cannot be judged.
    ClockBehind {
        now: Timestamp,
        signed: Timestamp,
    },
    DemoAuthority,
}

impl Reason {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::NotALabel(_) => "not-a-label",
            Reason::DamagedLink(_) => "damaged-label-data",
            Reason::MalformedClaim(_) => "malformed-claim",
            Reason::UnknownAuthority { .. } => "unknown-authority",
            Reason::NoKeyList { .. } => "no-key-list",
            Reason::KeyNotPublished { .. } => "key-not-published",
            Reason::ClaimSignatureInvalid { .. } => "claim-signature-invalid",
            Reason::KeyNotValidAtSigning { .. } => "key-not-valid-at-signing",
            Reason::UnknownProgramme { .. } => "unknown-programme",
            Reason::LevelNotInProgramme { .. } => "level-not-in-programme",
            Reason::NotYetValid { .. } => "not-yet-valid",
            Reason::Expired { .. } => "expired",
            Reason::Revoked { .. } => "revoked",
            Reason::ReportHostNotAllowed { .. } => "report-host-not-allowed",
            Reason::ReportUnavailable(_) => "report-unavailable",
            Reason::ReportUnreadable(_) => "report-unreadable",
            Reason::ReportKeyNotPublished { .. } => "report-key-not-published",
            Reason::ReportSignatureInvalid { .. } => "report-signature-invalid",
            Reason::ReportKeyNotValidAtSigning { .. } => "report-key-not-valid-at-signing",
            Reason::ReportDigestMismatch => "report-digest-mismatch",
            Reason::ReportFieldMismatch { .. } => "report-field-mismatch",
            Reason::ClaimVerified { .. } => "claim-verified",
            Reason::ReportVerified { .. } => "report-verified",
            Reason::NotRevoked { .. } => "not-revoked",
            Reason::KeyListExpired { .. } => "key-list-expired",
            Reason::RevocationListMissing => "revocation-list-missing",
            Reason::RevocationListExpired { .. } => "revocation-list-expired",
            Reason::KeyListTooOld { .. } => "key-list-too-old",
            Reason::RevocationListTooOld { .. } => "revocation-list-too-old",
            Reason::ClockBehind { .. } => "clock-behind",
            Reason::DemoAuthority => "demo-authority",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NotALabel(e) => write!(f, "This is not a security label: {e}."),
            Reason::DamagedLink(e) => write!(f, "The label's data cannot be read: {e}."),
            Reason::MalformedClaim(e) => write!(f, "The label's data is not a valid signed claim: {e}."),
            Reason::UnknownAuthority { authority } => {
                write!(
                    f,
                    "The label names an authority ({authority}) that this verifier does not know."
                )
            }
            Reason::NoKeyList { authority } => {
                write!(
                    f,
                    "The key list of {authority} has not been loaded yet, so its keys are unknown."
                )
            }
            Reason::KeyNotPublished { kid } => {
                write!(
                    f,
                    "The label is signed with a key ({kid}) that the authority never published."
                )
            }
            Reason::ClaimSignatureInvalid { kid } => {
                write!(
                    f,
                    "The label's signature does not match its contents under key {kid}: it was altered or forged."
                )
            }
            Reason::KeyNotValidAtSigning {
                kid,
                signed,
                not_before,
                not_after,
            } => write!(
                f,
                "The label is dated {signed}, but key {kid} was only valid from {} to {}.",
                not_before.date(),
                not_after.date()
            ),
            Reason::UnknownProgramme { programme } => {
                write!(
                    f,
                    "The label names programme {programme}, which the authority does not define."
                )
            }
            Reason::LevelNotInProgramme { level } => {
                write!(f, "The label's level ({level}) does not exist in its programme.")
            }
            Reason::NotYetValid { from } => write!(f, "The label is only valid from {from}."),
            Reason::Expired { on } => write!(f, "The certification expired at the end of {on}."),
            Reason::Revoked { date, reason, note } => {
                write!(f, "The certification was revoked on {date}: {reason}.")?;
                if let Some(n) = note {
                    write!(f, " {n}")?;
                }
                Ok(())
            }
            Reason::ReportHostNotAllowed { host } => {
                write!(
                    f,
                    "The report is on {host}, which the authority does not list as a report host; it was not fetched."
                )
            }
            Reason::ReportUnavailable(p) => write!(f, "The security report was not checked: {p}."),
            Reason::ReportUnreadable(e) => write!(f, "The security report could not be read: {e}."),
            Reason::ReportKeyNotPublished { kid } => {
                write!(
                    f,
                    "The report is signed with a key ({kid}) that the authority never published."
                )
            }
            Reason::ReportSignatureInvalid { kid } => {
                write!(
                    f,
                    "The report's signature does not match its contents under key {kid}: it was altered."
                )
            }
            Reason::ReportKeyNotValidAtSigning { kid, signed } => {
                write!(f, "The report is dated {signed}, when key {kid} was not valid.")
            }
            Reason::ReportDigestMismatch => {
                f.write_str("The report is not the one this label was issued with (its digest differs).")
            }
            Reason::ReportFieldMismatch { fields } => {
                write!(
                    f,
                    "The report describes another product or label (differs in: {}).",
                    fields.join(", ")
                )
            }
            Reason::ClaimVerified { kid } => write!(f, "The label is signed by the authority (key {kid})."),
            Reason::ReportVerified { kid } => {
                write!(
                    f,
                    "The security report is signed by the authority (key {kid}) and belongs to this label."
                )
            }
            Reason::NotRevoked {
                list_version,
                list_issued,
            } => write!(
                f,
                "Not revoked according to revocation list version {list_version} of {}.",
                list_issued.date()
            ),
            Reason::KeyListExpired { on } => {
                write!(
                    f,
                    "The authority's key list expired on {}; a newer one could not be loaded.",
                    on.date()
                )
            }
            Reason::KeyListTooOld { on } => write!(
                f,
                "Could not confirm the authority's keys: its key list expired on {}, more than {} days ago, and a newer one could not be loaded.",
                on.date(),
                LIST_GRACE_SECS / 86_400
            ),
            Reason::RevocationListMissing => {
                f.write_str("Could not confirm revocation status: no revocation list from this authority could be loaded.")
            }
            Reason::RevocationListExpired { on } => write!(
                f,
                "The revocation list expired on {}; a revocation since then would not be shown.",
                on.date()
            ),
            Reason::RevocationListTooOld { on } => write!(
                f,
                "Could not confirm revocation status: the revocation list expired on {}, more than {} days ago, and a newer one could not be loaded.",
                on.date(),
                LIST_GRACE_SECS / 86_400
            ),
            Reason::ClockBehind { now, signed } => write!(
                f,
                "This device's date ({}) is before the authority's lists were signed ({}): correct the date and time, then check again.",
                now.date(),
                signed.date()
            ),
            Reason::DemoAuthority => f.write_str("This label is from a demonstration authority, not a real one."),
        }
    }
}

/// Who vouches for a label, as far as it was established.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuthorityInfo {
    pub id: String,
    pub name: Names,
    pub demo: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    pub key_list_version: u64,
    pub key_list_issued_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocations_version: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocations_issued_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub kind: VerdictKind,
    pub reasons: Vec<Reason>,
    /// Only present once the claim's signature has been verified.
    pub claim: Option<Claim>,
    /// Only present once the report's signature and binding have been verified.
    pub report: Option<Report>,
    pub programme: Option<Programme>,
    pub authority: Option<AuthorityInfo>,
}

impl Verdict {
    pub fn new(kind: VerdictKind, reason: Reason) -> Verdict {
        Verdict {
            kind,
            reasons: vec![reason],
            claim: None,
            report: None,
            programme: None,
            authority: None,
        }
    }

    pub fn has(&self, code: &str) -> bool {
        self.reasons.iter().any(|r| r.code() == code)
    }
}
