//! From a QR text to a verdict: the claim first (works offline), then the report.

use crate::claim::SignedClaim;
use crate::freshness::{clock_behind, freshness, Freshness, CLOCK_SKEW_SECS};
use crate::jws::{self, Jws};
use crate::key_list::KeyList;
use crate::label_url::{self, QrText};
use crate::limits::MAX_REPORT_BYTES;
use crate::report::{report_digest, Report};
use crate::time::Timestamp;
use crate::trust::{ListStore, TrustAnchors};
use crate::verdict::{AuthorityInfo, FetchProblem, Reason, Verdict, VerdictKind};

pub struct Verifier<'a> {
    pub anchors: &'a TrustAnchors,
    pub lists: &'a ListStore,
    pub now: Timestamp,
}

/// The claim is genuine, current and not revoked; what remains is the report at `url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingReport {
    pub url: String,
    authority: String,
    verdict: Verdict,
}

impl PendingReport {
    /// The verdict as it stands before the report is checked.
    pub fn offline_verdict(&self) -> &Verdict {
        &self.verdict
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Done(Verdict),
    FetchReport(PendingReport),
}

fn done(kind: VerdictKind, reason: Reason) -> Step {
    Step::Done(Verdict::new(kind, reason))
}

impl Verifier<'_> {
    /// Everything that can be checked from the QR text and the lists alone.
    pub fn check_label(&self, text: &str) -> Step {
        let link = match label_url::classify(text) {
            QrText::Label(link) => link,
            QrText::Damaged(e) => return done(VerdictKind::NotGenuine, Reason::DamagedLink(e)),
            QrText::NotALabel(e) => return done(VerdictKind::NotALabel, Reason::NotALabel(e)),
        };
        let signed = match SignedClaim::parse(&link.claim) {
            Ok(s) => s,
            Err(e) => return done(VerdictKind::NotGenuine, Reason::MalformedClaim(e)),
        };
        let authority = signed.claim.authority.clone();
        let Some(anchor) = self.anchors.anchor(&authority) else {
            return done(VerdictKind::UnknownAuthority, Reason::UnknownAuthority { authority });
        };
        let Some(stored) = self.lists.key_list(&authority) else {
            return done(VerdictKind::CannotCheck, Reason::NoKeyList { authority });
        };
        let keys: &KeyList = &stored.list;
        let kid = signed.kid.clone();
        let Some(entry) = keys.key(&kid) else {
            return done(VerdictKind::NotGenuine, Reason::KeyNotPublished { kid });
        };
        let Some(vk) = entry.verifying_key() else {
            return done(VerdictKind::NotGenuine, Reason::KeyNotPublished { kid });
        };
        if !signed.verify(&vk) {
            return done(VerdictKind::NotGenuine, Reason::ClaimSignatureInvalid { kid });
        }
        let claim = signed.claim;
        // A label is issued on its valid-from day: the key must have been valid at some time that day.
        let signed_on = claim.valid_from;
        if !(entry.not_before < signed_on.end() && signed_on.start() < entry.not_after) {
            return done(
                VerdictKind::NotGenuine,
                Reason::KeyNotValidAtSigning {
                    kid,
                    signed: signed_on,
                    not_before: entry.not_before,
                    not_after: entry.not_after,
                },
            );
        }

        let revocations = self.lists.revocations(&authority);
        let mut v = Verdict {
            kind: VerdictKind::Genuine,
            reasons: vec![Reason::ClaimVerified { kid: kid.clone() }],
            claim: None,
            report: None,
            programme: keys.programme(claim.programme).cloned(),
            authority: Some(AuthorityInfo {
                id: authority.clone(),
                name: keys.name.clone(),
                demo: keys.demo || anchor.demo,
                key_id: Some(kid),
                key_list_version: keys.version,
                key_list_issued_at: keys.issued_at,
                revocations_version: revocations.map(|r| r.list.version),
                revocations_issued_at: revocations.map(|r| r.list.issued_at),
            }),
        };
        if keys.demo || anchor.demo {
            v.reasons.push(Reason::DemoAuthority);
        }
        // Past the grace period a list is not vouched for, but a revocation it names still is.
        let mut unconfirmed = None;
        match freshness(keys.expires, self.now) {
            Freshness::Current => {}
            Freshness::Stale => v.reasons.push(Reason::KeyListExpired { on: keys.expires }),
            Freshness::TooOld => unconfirmed = Some(Reason::KeyListTooOld { on: keys.expires }),
        }
        let newest_signed = revocations.map_or(keys.issued_at, |r| r.list.issued_at.max(keys.issued_at));
        let clock_wrong = clock_behind(newest_signed, self.now);
        let fail = |mut v: Verdict, kind: VerdictKind, reason: Reason| {
            v.kind = kind;
            v.reasons.insert(0, reason);
            Step::Done(v)
        };
        match &v.programme {
            None => {
                let programme = claim.programme;
                v.claim = Some(claim);
                return fail(v, VerdictKind::CannotCheck, Reason::UnknownProgramme { programme });
            }
            Some(p) if !p.levels.contains(&claim.level) => {
                let level = claim.level;
                v.claim = Some(claim);
                return fail(v, VerdictKind::NotGenuine, Reason::LevelNotInProgramme { level });
            }
            Some(_) => {}
        }

        match revocations {
            Some(r) => {
                if let Some(entry) = r.list.find(&claim.serial) {
                    let reason = Reason::Revoked {
                        date: entry.date,
                        reason: entry.reason,
                        note: entry.note.clone(),
                    };
                    v.claim = Some(claim);
                    return fail(v, VerdictKind::Revoked, reason);
                }
                v.reasons.push(Reason::NotRevoked {
                    list_version: r.list.version,
                    list_issued: r.list.issued_at,
                });
                match freshness(r.list.expires, self.now) {
                    Freshness::Current => {}
                    Freshness::Stale => v.reasons.push(Reason::RevocationListExpired { on: r.list.expires }),
                    Freshness::TooOld => {
                        unconfirmed.get_or_insert(Reason::RevocationListTooOld { on: r.list.expires });
                    }
                }
            }
            None => {
                unconfirmed.get_or_insert(Reason::RevocationListMissing);
            }
        }

        // A clock behind the authority's own signatures would judge every date wrongly.
        if clock_wrong {
            v.claim = Some(claim);
            return fail(
                v,
                VerdictKind::CannotCheck,
                Reason::ClockBehind {
                    now: self.now,
                    signed: newest_signed,
                },
            );
        }

        if self.now >= claim.valid_until.end() {
            let on = claim.valid_until;
            v.claim = Some(claim);
            return fail(v, VerdictKind::Expired, Reason::Expired { on });
        }
        if self.now.add_secs(CLOCK_SKEW_SECS) < claim.valid_from.start() {
            let from = claim.valid_from;
            v.claim = Some(claim);
            return fail(v, VerdictKind::NotGenuine, Reason::NotYetValid { from });
        }
        if let Some(reason) = unconfirmed {
            v.claim = Some(claim);
            return fail(v, VerdictKind::CannotCheck, reason);
        }

        let url = match (&claim.report_location, &keys.report_url) {
            (Some(loc), _) => loc.clone(),
            (None, Some(template)) => template.replace("{serial}", &claim.serial),
            (None, None) => {
                v.claim = Some(claim);
                return fail(
                    v,
                    VerdictKind::CannotCheck,
                    Reason::ReportUnreadable("the label names no report".into()),
                );
            }
        };
        v.claim = Some(claim);
        if !keys.report_host_allowed(&url) {
            let host = crate::fields::host_of(&url).unwrap_or_else(|| url.clone());
            return fail(v, VerdictKind::CannotCheck, Reason::ReportHostNotAllowed { host });
        }
        Step::FetchReport(PendingReport {
            url,
            authority,
            verdict: v,
        })
    }

    /// Completes a verdict with the report's bytes, or with why they could not be had.
    pub fn finish(&self, pending: PendingReport, report: Result<Vec<u8>, FetchProblem>) -> Verdict {
        let PendingReport {
            authority,
            verdict: mut v,
            ..
        } = pending;
        let fail = |mut v: Verdict, kind: VerdictKind, reason: Reason| {
            v.kind = kind;
            v.reasons.insert(0, reason);
            v
        };
        let bytes = match report {
            Ok(b) => b,
            Err(p) => {
                let kind = if p.is_transient() {
                    VerdictKind::GenuineOffline
                } else {
                    VerdictKind::CannotCheck
                };
                return fail(v, kind, Reason::ReportUnavailable(p));
            }
        };
        let (Some(stored), Some(claim)) = (self.lists.key_list(&authority), v.claim.clone()) else {
            return fail(v, VerdictKind::CannotCheck, Reason::NoKeyList { authority });
        };
        let jws = match Jws::parse(&bytes, MAX_REPORT_BYTES, jws::TYP_REPORT) {
            Ok(j) => j,
            Err(e) => return fail(v, VerdictKind::CannotCheck, Reason::ReportUnreadable(e.to_string())),
        };
        let kid = jws.kid.clone();
        let Some(entry) = stored.list.key(&kid) else {
            return fail(v, VerdictKind::NotGenuine, Reason::ReportKeyNotPublished { kid });
        };
        if !entry.verifying_key().is_some_and(|k| jws.verify(&k)) {
            return fail(v, VerdictKind::NotGenuine, Reason::ReportSignatureInvalid { kid });
        }
        let report = match Report::parse(&jws.payload) {
            Ok(r) => r,
            Err(e) => return fail(v, VerdictKind::CannotCheck, Reason::ReportUnreadable(e)),
        };
        if !entry.valid_at(report.issued_at) {
            return fail(
                v,
                VerdictKind::NotGenuine,
                Reason::ReportKeyNotValidAtSigning {
                    kid,
                    signed: report.issued_at,
                },
            );
        }
        let mismatched = report.mismatches(&claim);
        if report_digest(&jws.payload) != claim.report_digest {
            let mut v = fail(v, VerdictKind::NotGenuine, Reason::ReportDigestMismatch);
            if !mismatched.is_empty() {
                v.reasons.insert(1, Reason::ReportFieldMismatch { fields: mismatched });
            }
            return v;
        }
        if !mismatched.is_empty() {
            return fail(
                v,
                VerdictKind::NotGenuine,
                Reason::ReportFieldMismatch { fields: mismatched },
            );
        }
        v.reasons.insert(1, Reason::ReportVerified { kid });
        v.report = Some(report);
        v
    }

    /// The verdict without fetching the report: `genuine-offline` at best.
    pub fn verify_offline(&self, text: &str) -> Verdict {
        match self.check_label(text) {
            Step::Done(v) => v,
            Step::FetchReport(p) => self.finish(p, Err(FetchProblem::NotAttempted)),
        }
    }

    /// The verdict with the report obtained by `fetch` (given the report URL).
    pub fn verify_with(&self, text: &str, fetch: impl FnOnce(&str) -> Result<Vec<u8>, FetchProblem>) -> Verdict {
        match self.check_label(text) {
            Step::Done(v) => v,
            Step::FetchReport(p) => {
                let fetched = fetch(&p.url);
                self.finish(p, fetched)
            }
        }
    }
}
