//! The outcome of checking one label: one verdict, the reasons for it, and what was signed.

use crate::claim::Claim;
use crate::key_list::{Names, Programme};
use crate::reason::Reason;
use crate::report::Report;
use crate::time::Timestamp;
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
    /// The check that decided against the label (the first that failed), if one did.
    pub decided_by: Option<Reason>,
    /// What the checks established or noticed on the way, in the order of FORMAT.md §8.
    pub findings: Vec<Reason>,
    /// Only present once the claim's signature has been verified.
    pub claim: Option<Claim>,
    /// Only present once the report's signature and binding have been verified.
    pub report: Option<Report>,
    pub programme: Option<Programme>,
    pub authority: Option<AuthorityInfo>,
}

impl Verdict {
    /// A verdict decided before anything about the label was established.
    pub fn new(reason: Reason) -> Verdict {
        Verdict {
            decided_by: Some(reason),
            findings: Vec::new(),
            claim: None,
            report: None,
            programme: None,
            authority: None,
        }
    }

    /// Genuine unless a check decided otherwise, and then what its reason gives.
    pub fn kind(&self) -> VerdictKind {
        self.decided_by.as_ref().map_or(VerdictKind::Genuine, Reason::kind)
    }

    /// The one reason to say first: the deciding one, or else the last signature verified.
    pub fn headline(&self) -> Option<&Reason> {
        self.decided_by
            .as_ref()
            .or_else(|| self.findings.iter().rev().find(|r| r.is_verification()))
    }

    /// Every reason: the deciding one first, then the findings in step order.
    pub fn reasons(&self) -> impl Iterator<Item = &Reason> {
        self.decided_by.iter().chain(&self.findings)
    }

    /// Findings that weaken the verdict (a demo authority, a list past its expiry).
    pub fn caveats(&self) -> impl Iterator<Item = &Reason> {
        self.findings.iter().filter(|r| r.is_caveat())
    }

    pub fn has(&self, code: &str) -> bool {
        self.reasons().any(|r| r.code() == code)
    }
}
