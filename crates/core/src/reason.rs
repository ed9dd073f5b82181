//! Why a verdict is what it is. Every check of FORMAT.md §8 fails with one of these; some
//! record what was established on the way (a finding). [`Reason::kind`] is the one mapping
//! from a reason to the verdict it gives; [`Reason::message`] what is said, which the wording
//! layer words in the user's language.

use crate::claim::ClaimError;
use crate::fetch_policy::FetchProblem;
use crate::freshness::LIST_GRACE_SECS;
use crate::json::{JsonError, ShapeProblem};
use crate::jws::JwsError;
use crate::label_url::{DamagedLink, NotALabel};
use crate::message::{Arg, Message};
use crate::report::{ReportError, SharedField};
use crate::revocation::RevocationReason;
use crate::time::{Date, Timestamp};
use crate::verdict::VerdictKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    // Inputs that yield no label.
    NoCodeFound,
    ImageUnreadable(ImageProblem),
    // §8 steps 1–2: reading the label.
    NotALabel(NotALabel),
    DamagedLink(DamagedLink),
    MalformedClaim(ClaimError),
    // Steps 3–7: is the claim the authority's?
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
    // Steps 8–12: is it in force?
    UnknownProgramme {
        programme: u32,
    },
    LevelNotInProgramme {
        level: u8,
    },
    Revoked {
        date: Date,
        reason: RevocationReason,
        note: Option<String>,
    },
    /// The label's status bit is set but neither the partition nor the revocation list says
    /// why (a list the authority should have published with it): revoked no later than `since`.
    RevokedUnexplained {
        since: Date,
    },
    /// The status list partition that holds the label is not held (yet): the shell fetches it
    /// from `url` (the key list's `status_url`; none if the key list gives none) and checks again.
    StatusListMissing {
        partition: u32,
        url: Option<String>,
    },
    StatusListTooOld {
        on: Timestamp,
    },
    /// The device's clock is before a time the authority signed: dates cannot be judged.
    ClockBehind {
        now: Timestamp,
        signed: Timestamp,
    },
    Expired {
        on: Date,
    },
    NotYetValid {
        from: Date,
    },
    KeyListTooOld {
        on: Timestamp,
    },
    RevocationListMissing,
    RevocationListTooOld {
        on: Timestamp,
    },
    NoReportLocation,
    ReportHostNotAllowed {
        host: String,
    },
    // Steps 13–17: the report.
    ReportUnavailable(FetchProblem),
    ReportUnreadable(ReportProblem),
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
        fields: Vec<SharedField>,
    },
    // Findings: what passed, and what weakens a verdict without deciding it.
    ClaimVerified {
        kid: String,
    },
    DemoAuthority,
    KeyListExpired {
        on: Timestamp,
    },
    NotRevoked {
        list_version: u64,
        list_issued: Timestamp,
    },
    RevocationListExpired {
        on: Timestamp,
    },
    StatusNotRevoked {
        partition: u32,
        version: u64,
        issued: Timestamp,
    },
    StatusListExpired {
        on: Timestamp,
    },
    ReportVerified {
        kid: String,
    },
}

/// Why a fetched report could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportProblem {
    /// The signed file (JWS) is malformed.
    SignedFile(JwsError),
    /// The signed document is not a report.
    Document(ReportError),
}

/// Why an image yielded no label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageProblem {
    /// The file could not be read at all.
    FileUnreadable,
    TooLarge,
    NotAnImage,
    /// An image format this verifier cannot decode, by its common name.
    UnsupportedFormat(&'static str),
    /// The image data is damaged or truncated.
    Damaged,
    /// The QR decoder failed on this image.
    DecoderFailed,
}

impl ImageProblem {
    pub fn name(self) -> &'static str {
        match self {
            ImageProblem::FileUnreadable => "file-unreadable",
            ImageProblem::TooLarge => "too-large",
            ImageProblem::NotAnImage => "not-an-image",
            ImageProblem::UnsupportedFormat(_) => "unsupported-format",
            ImageProblem::Damaged => "damaged",
            ImageProblem::DecoderFailed => "decoder-failed",
        }
    }
}

impl Reason {
    /// Stable machine-readable code: in `--json` output, audits and the app's `data-code`.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::NoCodeFound => "no-code-found",
            Reason::ImageUnreadable(_) => "image-unreadable",
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
            Reason::Revoked { .. } => "revoked",
            Reason::RevokedUnexplained { .. } => "revoked-unexplained",
            Reason::StatusListMissing { .. } => "status-list-missing",
            Reason::StatusListTooOld { .. } => "status-list-too-old",
            Reason::StatusNotRevoked { .. } => "status-not-revoked",
            Reason::StatusListExpired { .. } => "status-list-expired",
            Reason::ClockBehind { .. } => "clock-behind",
            Reason::Expired { .. } => "expired",
            Reason::NotYetValid { .. } => "not-yet-valid",
            Reason::KeyListTooOld { .. } => "key-list-too-old",
            Reason::RevocationListMissing => "revocation-list-missing",
            Reason::RevocationListTooOld { .. } => "revocation-list-too-old",
            Reason::NoReportLocation => "no-report-location",
            Reason::ReportHostNotAllowed { .. } => "report-host-not-allowed",
            Reason::ReportUnavailable(_) => "report-unavailable",
            Reason::ReportUnreadable(_) => "report-unreadable",
            Reason::ReportKeyNotPublished { .. } => "report-key-not-published",
            Reason::ReportSignatureInvalid { .. } => "report-signature-invalid",
            Reason::ReportKeyNotValidAtSigning { .. } => "report-key-not-valid-at-signing",
            Reason::ReportDigestMismatch => "report-digest-mismatch",
            Reason::ReportFieldMismatch { .. } => "report-field-mismatch",
            Reason::ClaimVerified { .. } => "claim-verified",
            Reason::DemoAuthority => "demo-authority",
            Reason::KeyListExpired { .. } => "key-list-expired",
            Reason::NotRevoked { .. } => "not-revoked",
            Reason::RevocationListExpired { .. } => "revocation-list-expired",
            Reason::ReportVerified { .. } => "report-verified",
        }
    }

    /// The verdict this reason gives when a check fails with it. Findings, which never fail
    /// a check, map to genuine.
    pub fn kind(&self) -> VerdictKind {
        use VerdictKind::*;
        match self {
            Reason::NotALabel(_) => NotALabel,
            Reason::UnknownAuthority { .. } => UnknownAuthority,
            Reason::Revoked { .. } | Reason::RevokedUnexplained { .. } => Revoked,
            Reason::Expired { .. } => Expired,
            Reason::ReportUnavailable(p) if p.is_transient() => GenuineOffline,
            Reason::DamagedLink(_)
            | Reason::MalformedClaim(_)
            | Reason::KeyNotPublished { .. }
            | Reason::ClaimSignatureInvalid { .. }
            | Reason::KeyNotValidAtSigning { .. }
            | Reason::LevelNotInProgramme { .. }
            | Reason::NotYetValid { .. }
            | Reason::ReportKeyNotPublished { .. }
            | Reason::ReportSignatureInvalid { .. }
            | Reason::ReportKeyNotValidAtSigning { .. }
            | Reason::ReportDigestMismatch
            | Reason::ReportFieldMismatch { .. } => NotGenuine,
            Reason::NoCodeFound
            | Reason::ImageUnreadable(_)
            | Reason::NoKeyList { .. }
            | Reason::UnknownProgramme { .. }
            | Reason::ClockBehind { .. }
            | Reason::KeyListTooOld { .. }
            | Reason::RevocationListMissing
            | Reason::RevocationListTooOld { .. }
            | Reason::StatusListMissing { .. }
            | Reason::StatusListTooOld { .. }
            | Reason::NoReportLocation
            | Reason::ReportHostNotAllowed { .. }
            | Reason::ReportUnavailable(_)
            | Reason::ReportUnreadable(_) => CannotCheck,
            Reason::ClaimVerified { .. }
            | Reason::DemoAuthority
            | Reason::KeyListExpired { .. }
            | Reason::NotRevoked { .. }
            | Reason::RevocationListExpired { .. }
            | Reason::StatusNotRevoked { .. }
            | Reason::StatusListExpired { .. }
            | Reason::ReportVerified { .. } => Genuine,
        }
    }

    /// A finding that says a signature held: the headline of a verdict no check decided.
    pub fn is_verification(&self) -> bool {
        matches!(self, Reason::ClaimVerified { .. } | Reason::ReportVerified { .. })
    }

    /// A finding that weakens a verdict without deciding it: said up front with it.
    pub fn is_caveat(&self) -> bool {
        matches!(
            self,
            Reason::DemoAuthority
                | Reason::KeyListExpired { .. }
                | Reason::RevocationListExpired { .. }
                | Reason::StatusListExpired { .. }
        )
    }

    /// What this reason says, for the wording layer.
    pub fn message(&self) -> Message {
        let m = |variant: &str| Message::new(format!("{}.{variant}", self.code()));
        let base = || Message::new(self.code());
        match self {
            Reason::NoCodeFound
            | Reason::RevocationListMissing
            | Reason::NoReportLocation
            | Reason::ReportDigestMismatch
            | Reason::DemoAuthority => base(),
            Reason::ImageUnreadable(ImageProblem::UnsupportedFormat(format)) => {
                m("unsupported-format").text("format", format)
            }
            Reason::ImageUnreadable(p) => m(p.name()),
            Reason::NotALabel(k) => m(k.name()),
            Reason::DamagedLink(DamagedLink::UnsupportedVersion) => m("unsupported-version"),
            Reason::DamagedLink(DamagedLink::Digits(e)) => m("digits").word("problem", format!("digits.{}", e.name())),
            Reason::MalformedClaim(e) => claim_problem(e),
            Reason::UnknownAuthority { authority } | Reason::NoKeyList { authority } => {
                base().text("authority", authority)
            }
            Reason::KeyNotPublished { kid }
            | Reason::ClaimSignatureInvalid { kid }
            | Reason::ReportKeyNotPublished { kid }
            | Reason::ReportSignatureInvalid { kid }
            | Reason::ClaimVerified { kid }
            | Reason::ReportVerified { kid } => base().text("kid", kid),
            Reason::KeyNotValidAtSigning {
                kid,
                signed,
                not_before,
                not_after,
            } => base()
                .text("kid", kid)
                .date("signed", *signed)
                .date("from", not_before.date())
                .date("until", not_after.date()),
            Reason::UnknownProgramme { programme } => base().text("programme", programme),
            Reason::LevelNotInProgramme { level } => base().text("level", level),
            Reason::Revoked { date, reason, note } => {
                // A superseded label has its own words: the shopper is told to ask for the new one.
                let kind = if *reason == RevocationReason::Superseded {
                    "superseded"
                } else {
                    "withdrawn"
                };
                let msg = match note {
                    Some(n) => m(&format!("{kind}.note")).arg("note", Arg::Quote(n.clone())),
                    None => m(kind),
                };
                msg.date("date", *date)
                    .word("why", format!("revocation-reason.{}", reason.name()))
            }
            Reason::RevokedUnexplained { since } => base().date("since", *since),
            Reason::StatusListMissing {
                partition,
                url: Some(url),
            } => base().text("partition", partition).text("url", url),
            Reason::StatusListMissing { partition, url: None } => m("no-address").text("partition", partition),
            Reason::StatusListTooOld { on } => base()
                .date("on", on.date())
                .arg("days", Arg::Count((LIST_GRACE_SECS / 86_400) as u64)),
            Reason::StatusListExpired { on } => base().date("on", on.date()),
            Reason::StatusNotRevoked {
                partition,
                version,
                issued,
            } => base()
                .text("partition", partition)
                .text("version", version)
                .date("issued", issued.date()),
            Reason::ClockBehind { now, signed } => base().date("now", now.date()).date("signed", signed.date()),
            Reason::Expired { on } => base().date("on", *on),
            Reason::NotYetValid { from } => base().date("from", *from),
            Reason::KeyListTooOld { on } | Reason::RevocationListTooOld { on } => base()
                .date("on", on.date())
                .arg("days", Arg::Count((LIST_GRACE_SECS / 86_400) as u64)),
            Reason::KeyListExpired { on } | Reason::RevocationListExpired { on } => base().date("on", on.date()),
            Reason::ReportHostNotAllowed { host } => base().text("host", host),
            Reason::ReportUnavailable(FetchProblem::HttpStatus(status)) => m("http-status").text("status", status),
            Reason::ReportUnavailable(FetchProblem::WrongContentType(t)) => m("wrong-content-type").text("type", t),
            Reason::ReportUnavailable(p) => m(p.name()),
            Reason::ReportUnreadable(ReportProblem::SignedFile(e)) => {
                m("signed-file").word("problem", format!("signed-file.{}", e.name()))
            }
            Reason::ReportUnreadable(ReportProblem::Document(e)) => match e {
                ReportError::Json(JsonError::Syntax { .. }) => m("syntax"),
                ReportError::Json(JsonError::DuplicateMember) => m("duplicate-member"),
                ReportError::Json(JsonError::Shape(s)) => {
                    let at = match &s.problem {
                        ShapeProblem::UnknownMember(name) if s.at.is_empty() => name.clone(),
                        ShapeProblem::UnknownMember(name) => format!("{}.{name}", s.at),
                        ShapeProblem::MissingMember(name) if s.at.is_empty() => (*name).to_owned(),
                        ShapeProblem::MissingMember(name) => format!("{}.{name}", s.at),
                        _ if s.at.is_empty() => "/".to_owned(),
                        _ => s.at.clone(),
                    };
                    m("shape")
                        .text("at", at)
                        .word("problem", format!("shape.{}", s.problem.name()))
                }
                ReportError::Format(v) => m("format").text("version", v),
                ReportError::TooManyClauses => m("too-many-clauses"),
            },
            Reason::ReportKeyNotValidAtSigning { kid, signed } => base().text("kid", kid).date("signed", signed.date()),
            Reason::ReportFieldMismatch { fields } => base().arg(
                "fields",
                Arg::Words(fields.iter().map(|f| format!("field.{}", f.name())).collect()),
            ),
            Reason::NotRevoked {
                list_version,
                list_issued,
            } => base().text("version", list_version).date("issued", list_issued.date()),
        }
    }
}

fn claim_problem(e: &ClaimError) -> Message {
    let m = |variant: &str| Message::new(format!("malformed-claim.{variant}"));
    match e {
        ClaimError::Cbor(c) => m("cbor").word("problem", format!("cbor.{}", c.name())),
        ClaimError::UnsupportedVersion(v) => m("unsupported-version").text("version", v),
        ClaimError::UnknownField(k) => m("unknown-field").text("field", k),
        ClaimError::MissingField(f) => m("missing-field").word("field", format!("claim-field.{}", f.name())),
        ClaimError::InvalidField(f) => m("invalid-field").word("field", format!("claim-field.{}", f.name())),
        other => m(other.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_never_decide_and_failures_always_do() {
        let finding = Reason::ClaimVerified { kid: "k1".into() };
        assert_eq!(finding.kind(), VerdictKind::Genuine);
        assert!(finding.is_verification());
        assert_eq!(
            Reason::ReportUnavailable(FetchProblem::Timeout).kind(),
            VerdictKind::GenuineOffline
        );
        assert_eq!(
            Reason::ReportUnavailable(FetchProblem::Redirected).kind(),
            VerdictKind::CannotCheck
        );
    }

    #[test]
    fn messages_carry_their_arguments() {
        let r = Reason::Revoked {
            date: Date::parse("2026-05-01").unwrap(),
            reason: RevocationReason::Misuse,
            note: Some("Seized".into()),
        };
        let m = r.message();
        assert_eq!(m.key, "revoked.withdrawn.note");
        assert_eq!(m.get("why"), Some(&Arg::Word("revocation-reason.misuse".into())));
        assert_eq!(m.get("note"), Some(&Arg::Quote("Seized".into())));
        let m = Reason::MalformedClaim(ClaimError::MissingField(crate::claim::ClaimField::Maker)).message();
        assert_eq!(m.key, "malformed-claim.missing-field");
        assert_eq!(m.get("field"), Some(&Arg::Word("claim-field.maker".into())));
    }
}
