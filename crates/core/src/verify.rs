//! From a QR text to a verdict, as the table of FORMAT.md §8: each step is one row below and
//! one small function that passes or fails with the [`Reason`] that decides the verdict
//! (its [`Reason::kind`]). Rows run in order and the first failure decides; a row may also
//! record findings (what it established, or a caveat). Adding a check is adding a row and
//! its function.
//!
//! The claim's rows ([`LABEL`]) need nothing but the QR text and the lists held, so a label
//! is judged offline at once; the report's rows ([`REPORT`]) run when the shell has fetched
//! it (or failed to), in [`Verifier::finish`].

use crate::claim::{Claim, SignedClaim};
use crate::fetch_policy::FetchProblem;
use crate::freshness::{clock_behind, freshness, Freshness, CLOCK_SKEW_SECS};
use crate::jws::{self, Jws};
use crate::key_list::{KeyEntry, KeyList, Programme};
use crate::label_url::{self, LabelLink, QrText};
use crate::limits::MAX_REPORT_BYTES;
use crate::list_store::ListStore;
use crate::reason::{Reason, ReportProblem};
use crate::report::{report_digest, Report};
use crate::revocation::Act;
use crate::time::Timestamp;
use crate::trust::{Anchor, TrustAnchors};
use crate::verdict::{AuthorityInfo, Verdict};
use std::cell::OnceCell;

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

/// One row of §8: the step's number there, and its check.
type LabelRow = (&'static str, fn(&LabelCtx<'_>, &mut Vec<Reason>) -> Result<(), Reason>);
type ReportRow = (&'static str, fn(&ReportCtx<'_>, &mut Vec<Reason>) -> Result<(), Reason>);

/// Runs rows in order; the first failure decides.
fn run_label(rows: &[LabelRow], c: &LabelCtx<'_>, findings: &mut Vec<Reason>) -> Option<Reason> {
    rows.iter().find_map(|(_, check)| check(c, findings).err())
}

fn run_report(rows: &[ReportRow], c: &ReportCtx<'_>, findings: &mut Vec<Reason>) -> Option<Reason> {
    rows.iter().find_map(|(_, check)| check(c, findings).err())
}

/// Steps 1–7: what is the label, and is its claim the authority's? Until all of these pass
/// nothing the label says is shown: an unverified claim is not repeated as fact. A signing key
/// the authority withdrew (4a) decides before the key list is consulted, so that its labels
/// read *revoked* with the authority's reason even once the key has left the key list.
const AUTHENTICITY: &[LabelRow] = &[
    ("1", is_a_label),
    ("2", claim_parses),
    ("3", authority_trusted),
    ("4", key_list_held),
    ("4a", key_not_withdrawn),
    ("5", key_published),
    ("6", claim_signature_holds),
    ("7", key_valid_on_issue_day),
];

/// Steps 8–12: is the authentic claim in force, and may its report be fetched?
const STANDING: &[LabelRow] = &[
    ("8", programme_known),
    ("9", level_in_programme),
    ("10", not_revoked),
    ("10a", clock_not_behind),
    ("11", within_validity),
    ("11a", lists_fresh_enough),
    ("12", report_host_listed),
];

/// Steps 13–17: the report, once the shell has tried to fetch it.
const REPORT: &[ReportRow] = &[
    ("13", report_fetched),
    ("14", report_file_parses),
    ("15", report_signature_holds),
    ("16", report_parses_and_key_valid),
    ("17", report_bound_to_claim),
];

/// The authority and status a label's text claims, before anything of it is verified: only
/// for fetching its status list partition early, in parallel with the lists (the partition's
/// address names no label); never for a verdict.
pub fn claimed_status(text: &str) -> Option<(String, crate::status::StatusRef)> {
    let QrText::Label(link) = label_url::classify(text) else {
        return None;
    };
    let signed = SignedClaim::parse(&link.claim).ok()?;
    Some((signed.claim.authority, signed.claim.status?))
}

/// What the claim's rows read: the text, and what earlier rows derived from it.
struct LabelCtx<'a> {
    v: &'a Verifier<'a>,
    text: &'a str,
    link: OnceCell<Result<LabelLink, Reason>>,
    signed: OnceCell<Result<SignedClaim, Reason>>,
}

impl<'a> LabelCtx<'a> {
    fn link(&self) -> Result<&LabelLink, Reason> {
        self.link
            .get_or_init(|| match label_url::classify(self.text) {
                QrText::Label(link) => Ok(link),
                QrText::Damaged(e) => Err(Reason::DamagedLink(e)),
                QrText::NotALabel(e) => Err(Reason::NotALabel(e)),
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    fn signed(&self) -> Result<&SignedClaim, Reason> {
        let link = self.link()?;
        self.signed
            .get_or_init(|| SignedClaim::parse(&link.claim).map_err(Reason::MalformedClaim))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn claim(&self) -> Result<&Claim, Reason> {
        Ok(&self.signed()?.claim)
    }

    fn anchor(&self) -> Result<&'a Anchor, Reason> {
        let authority = &self.claim()?.authority;
        self.v
            .anchors
            .anchor(authority)
            .ok_or_else(|| Reason::UnknownAuthority {
                authority: authority.clone(),
            })
    }

    fn keys(&self) -> Result<&'a KeyList, Reason> {
        let authority = &self.claim()?.authority;
        self.v
            .lists
            .key_list(authority)
            .map(|s| &s.list)
            .ok_or_else(|| Reason::NoKeyList {
                authority: authority.clone(),
            })
    }

    fn key(&self) -> Result<&'a KeyEntry, Reason> {
        let kid = &self.signed()?.kid;
        self.keys()?
            .key(kid)
            .filter(|k| k.verifying_key().is_some())
            .ok_or_else(|| Reason::KeyNotPublished { kid: kid.clone() })
    }

    fn programme(&self) -> Result<&'a Programme, Reason> {
        let programme = self.claim()?.programme;
        self.keys()?
            .programme(programme)
            .ok_or(Reason::UnknownProgramme { programme })
    }

    /// Where the report lives: the claim's own location, else the key list's template.
    fn report_url(&self) -> Result<String, Reason> {
        let claim = self.claim()?;
        match (&claim.report_location, &self.keys()?.report_url) {
            (Some(loc), _) => Ok(loc.clone()),
            (None, Some(template)) => Ok(template.replace("{serial}", &claim.serial)),
            (None, None) => Err(Reason::NoReportLocation),
        }
    }

    fn demo(&self) -> bool {
        self.anchor().is_ok_and(|a| a.demo) || self.keys().is_ok_and(|k| k.demo)
    }
}

// Step 1 (§2): the text is a label link.
fn is_a_label(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    c.link().map(drop)
}

// Step 2 (§3): it carries a well-formed COSE_Sign1 claim.
fn claim_parses(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    c.signed().map(drop)
}

// Step 3: its authority is one this verifier trusts.
fn authority_trusted(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    c.anchor().map(drop)
}

// Step 4: that authority's key list is held.
fn key_list_held(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    c.keys().map(drop)
}

// Step 4a: the revocation list held withdraws no signing key of this kid (a compromised key:
// every label it signed, genuine or forged, is withdrawn).
fn key_not_withdrawn(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    let kid = &c.signed()?.kid;
    let Some(held) = c.v.lists.revocations(&c.claim()?.authority) else {
        return Ok(());
    };
    match held.list.key_act(kid) {
        Some(act) => Err(Reason::Revoked {
            date: act.date,
            reason: act.reason,
            note: act.note.clone(),
        }),
        None => Ok(()),
    }
}

// Step 5: the key that signed it is in the list.
fn key_published(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    c.key().map(drop)
}

// Step 6: the signature verifies with that key.
fn claim_signature_holds(c: &LabelCtx<'_>, findings: &mut Vec<Reason>) -> Result<(), Reason> {
    let signed = c.signed()?;
    let kid = signed.kid.clone();
    if !c.key()?.verifying_key().is_some_and(|k| signed.verify(&k)) {
        return Err(Reason::ClaimSignatureInvalid { kid });
    }
    findings.push(Reason::ClaimVerified { kid });
    if c.demo() {
        findings.push(Reason::DemoAuthority);
    }
    Ok(())
}

// Step 7: the key was valid on the day the label was issued (its valid-from day).
fn key_valid_on_issue_day(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    let key = c.key()?;
    let signed = c.claim()?.valid_from;
    if key.not_before < signed.end() && signed.start() < key.not_after {
        return Ok(());
    }
    Err(Reason::KeyNotValidAtSigning {
        kid: key.kid.clone(),
        signed,
        not_before: key.not_before,
        not_after: key.not_after,
    })
}

// Step 8: the programme is one the key list defines (an older list may predate it).
fn programme_known(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    c.programme().map(drop)
}

// Step 9: the level exists in that programme.
fn level_in_programme(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    let level = c.claim()?.level;
    if c.programme()?.levels.contains(&level) {
        return Ok(());
    }
    Err(Reason::LevelNotInProgramme { level })
}

fn revoked_by(act: &Act) -> Reason {
    Reason::Revoked {
        date: act.date,
        reason: act.reason,
        note: act.note.clone(),
    }
}

// Step 10: the label is not revoked. A label with a status: no product or batch act of the
// revocation list covers it, and its bit in the partition of the status list that holds it is
// not set (the partition fetched by the shell when not held: its address names no label); why
// a set bit is set, from the partition's singles or the revocation list's acts.
// A label without one: its serial in the revocation list, or a withdrawn product. Whether a
// list is fresh enough is step 11a's: a revocation that even a frozen list names still counts.
fn not_revoked(c: &LabelCtx<'_>, findings: &mut Vec<Reason>) -> Result<(), Reason> {
    let claim = c.claim()?;
    let held = c.v.lists.revocations(&claim.authority);
    let acts = held.map(|h| &h.list);
    if let Some(status) = claim.status {
        // A product or batch act withdraws its labels by itself, whatever the partition held:
        // a partition older than the revocation list (frozen, rolled back, not yet fetched)
        // cannot hide them.
        if let Some(act) = acts.and_then(|l| {
            l.product_act(&claim.maker, &claim.model, claim.valid_from)
                .or_else(|| l.batch_act(status.number()))
        }) {
            return Err(revoked_by(act));
        }
        // The revocation list says how many partitions there are: a label beyond them has
        // nothing revoked, as that signed, fresh list attests.
        if let Some(h) = held.filter(|h| status.partition >= h.list.partitions) {
            findings.push(Reason::NotRevoked {
                list_version: h.list.version,
                list_issued: h.list.issued_at,
            });
            return Ok(());
        }
        let Some(part) = c.v.lists.status(&claim.authority, status.partition) else {
            return Err(Reason::StatusListMissing {
                partition: status.partition,
                url: c.keys()?.status_url_for(status.partition),
            });
        };
        let doc = &part.list.doc;
        if part.list.revoked(status.index) {
            if let Some(s) = part.list.single(status.index) {
                return Err(Reason::Revoked {
                    date: s.date,
                    reason: s.reason,
                    note: s.note.clone(),
                });
            }
            let act = acts.and_then(|l| {
                l.product_act(&claim.maker, &claim.model, claim.valid_from)
                    .or_else(|| l.batch_act(status.number()))
                    .or_else(|| l.key_act(&c.signed().ok()?.kid))
            });
            return Err(match act {
                Some(act) => revoked_by(act),
                None => Reason::RevokedUnexplained {
                    since: doc.issued_at.date(),
                },
            });
        }
        findings.push(Reason::StatusNotRevoked {
            partition: status.partition,
            version: doc.version,
            issued: doc.issued_at,
        });
        return Ok(());
    }
    let Some(held) = held else {
        return Ok(());
    };
    if let Some(entry) = held.list.find(&claim.serial) {
        return Err(Reason::Revoked {
            date: entry.date,
            reason: entry.reason,
            note: entry.note.clone(),
        });
    }
    if let Some(act) = held.list.product_act(&claim.maker, &claim.model, claim.valid_from) {
        return Err(revoked_by(act));
    }
    findings.push(Reason::NotRevoked {
        list_version: held.list.version,
        list_issued: held.list.issued_at,
    });
    Ok(())
}

// Step 10a: the device's clock is not before the authority's newest signature: a clock that
// far behind would misjudge every date.
fn clock_not_behind(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    let keys = c.keys()?;
    let claim = c.claim()?;
    let revocations = c.v.lists.revocations(&claim.authority);
    let status = claim
        .status
        .and_then(|s| c.v.lists.status(&claim.authority, s.partition))
        .map(|p| p.list.doc.issued_at);
    let signed = revocations
        .map_or(keys.issued_at, |r| r.list.issued_at.max(keys.issued_at))
        .max(status.unwrap_or(keys.issued_at));
    if clock_behind(signed, c.v.now) {
        return Err(Reason::ClockBehind { now: c.v.now, signed });
    }
    Ok(())
}

// Step 11: today is within the label's validity (start date with the clock-skew allowance).
fn within_validity(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    let claim = c.claim()?;
    if c.v.now >= claim.valid_until.end() {
        return Err(Reason::Expired { on: claim.valid_until });
    }
    if c.v.now.add_secs(CLOCK_SKEW_SECS) < claim.valid_from.start() {
        return Err(Reason::NotYetValid { from: claim.valid_from });
    }
    Ok(())
}

// A list past its grace period makes the verdict cannot-check: step 10's "not revoked
// according to …" goes, so that no line says as confirmed what the verdict does not.
fn unconfirmed(findings: &mut Vec<Reason>) {
    findings.retain(|r| !matches!(r, Reason::NotRevoked { .. } | Reason::StatusNotRevoked { .. }));
}

// Step 11a: a revocation list is held, and neither list expired beyond the grace period.
fn lists_fresh_enough(c: &LabelCtx<'_>, findings: &mut Vec<Reason>) -> Result<(), Reason> {
    let keys = c.keys()?;
    match freshness(keys.expires, c.v.now) {
        Freshness::Current => {}
        Freshness::Stale => findings.push(Reason::KeyListExpired { on: keys.expires }),
        Freshness::TooOld => {
            unconfirmed(findings);
            return Err(Reason::KeyListTooOld { on: keys.expires });
        }
    }
    let claim = c.claim()?;
    let Some(held) = c.v.lists.revocations(&claim.authority) else {
        return Err(Reason::RevocationListMissing);
    };
    match freshness(held.list.expires, c.v.now) {
        Freshness::Current => {}
        Freshness::Stale => findings.push(Reason::RevocationListExpired { on: held.list.expires }),
        Freshness::TooOld => {
            unconfirmed(findings);
            return Err(Reason::RevocationListTooOld { on: held.list.expires });
        }
    }
    let partition = claim
        .status
        .and_then(|s| c.v.lists.status(&claim.authority, s.partition));
    if let Some(part) = partition {
        let on = part.list.doc.expires;
        match freshness(on, c.v.now) {
            Freshness::Current => {}
            Freshness::Stale => findings.push(Reason::StatusListExpired { on }),
            Freshness::TooOld => {
                unconfirmed(findings);
                return Err(Reason::StatusListTooOld { on });
            }
        }
    }
    Ok(())
}

// Step 12: the report's URL is on a host the authority lists; otherwise it is not fetched.
fn report_host_listed(c: &LabelCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    let url = c.report_url()?;
    if c.keys()?.report_host_allowed(&url) {
        return Ok(());
    }
    let host = crate::fields::host_of(&url).unwrap_or(url);
    Err(Reason::ReportHostNotAllowed { host })
}

/// What the report's rows read: the fetch result and what earlier rows derived from it.
struct ReportCtx<'a> {
    claim: &'a Claim,
    keys: &'a KeyList,
    fetched: &'a Result<Vec<u8>, FetchProblem>,
    jws: OnceCell<Result<Jws, Reason>>,
    report: OnceCell<Result<Report, Reason>>,
}

impl ReportCtx<'_> {
    fn bytes(&self) -> Result<&[u8], Reason> {
        self.fetched
            .as_deref()
            .map_err(|p| Reason::ReportUnavailable(p.clone()))
    }

    fn jws(&self) -> Result<&Jws, Reason> {
        let bytes = self.bytes()?;
        self.jws
            .get_or_init(|| {
                Jws::parse(bytes, MAX_REPORT_BYTES, jws::TYP_REPORT)
                    .map_err(|e| Reason::ReportUnreadable(ReportProblem::SignedFile(e)))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    fn key(&self) -> Result<&KeyEntry, Reason> {
        let kid = &self.jws()?.kid;
        self.keys
            .key(kid)
            .ok_or_else(|| Reason::ReportKeyNotPublished { kid: kid.clone() })
    }

    fn report(&self) -> Result<&Report, Reason> {
        let jws = self.jws()?;
        self.report
            .get_or_init(|| {
                Report::parse(&jws.payload).map_err(|e| Reason::ReportUnreadable(ReportProblem::Document(e)))
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

// Step 13: the shell fetched it (offline, unreachable or an HTTP error leave the claim
// genuine offline; a redirect, too much data or another content type cannot be checked).
fn report_fetched(c: &ReportCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    c.bytes().map(drop)
}

// Step 14: it is a signed report file.
fn report_file_parses(c: &ReportCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    c.jws().map(drop)
}

// Step 15: signed by a key in the list, and the signature verifies.
fn report_signature_holds(c: &ReportCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    let jws = c.jws()?;
    if c.key()?.verifying_key().is_some_and(|k| jws.verify(&k)) {
        return Ok(());
    }
    Err(Reason::ReportSignatureInvalid { kid: jws.kid.clone() })
}

// Step 16: the signed document is a report, and the key was valid when it was issued.
fn report_parses_and_key_valid(c: &ReportCtx<'_>, _: &mut Vec<Reason>) -> Result<(), Reason> {
    let report = c.report()?;
    let key = c.key()?;
    if key.valid_at(report.issued_at) {
        return Ok(());
    }
    Err(Reason::ReportKeyNotValidAtSigning {
        kid: key.kid.clone(),
        signed: report.issued_at,
    })
}

// Step 17: it is the report this label was issued with: the claim's digest covers its
// payload, and every field they share agrees. A report of another product usually fails
// both; the fields that differ are noted to say which.
fn report_bound_to_claim(c: &ReportCtx<'_>, findings: &mut Vec<Reason>) -> Result<(), Reason> {
    let (jws, report) = (c.jws()?, c.report()?);
    let fields = report.mismatches(c.claim);
    if report_digest(&jws.payload) != c.claim.report_digest {
        if !fields.is_empty() {
            findings.push(Reason::ReportFieldMismatch { fields });
        }
        return Err(Reason::ReportDigestMismatch);
    }
    if !fields.is_empty() {
        return Err(Reason::ReportFieldMismatch { fields });
    }
    findings.push(Reason::ReportVerified { kid: jws.kid.clone() });
    Ok(())
}

impl Verifier<'_> {
    /// Everything that can be checked from the QR text and the lists alone (steps 1–12).
    pub fn check_label(&self, text: &str) -> Step {
        let c = LabelCtx {
            v: self,
            text,
            link: OnceCell::new(),
            signed: OnceCell::new(),
        };
        let mut findings = Vec::new();
        if let Some(reason) = run_label(AUTHENTICITY, &c, &mut findings) {
            return Step::Done(Verdict::new(reason));
        }
        let decided_by = run_label(STANDING, &c, &mut findings);
        // The authenticity rows established all three.
        let established = c.signed().and_then(|s| Ok((s, c.anchor()?, c.keys()?)));
        let (signed, anchor, keys) = match established {
            Ok(parts) => parts,
            Err(reason) => return Step::Done(Verdict::new(reason)),
        };
        let claim = signed.claim.clone();
        let revocations = self.lists.revocations(&claim.authority);
        let mut verdict = Verdict {
            decided_by,
            findings,
            programme: keys.programme(claim.programme).cloned(),
            authority: Some(AuthorityInfo {
                id: anchor.authority.clone(),
                name: keys.name.clone(),
                demo: c.demo(),
                key_id: Some(signed.kid.clone()),
                key_list_version: keys.version,
                key_list_issued_at: keys.issued_at,
                revocations_version: revocations.map(|r| r.list.version),
                revocations_issued_at: revocations.map(|r| r.list.issued_at),
            }),
            claim: Some(claim),
            report: None,
        };
        if verdict.decided_by.is_some() {
            return Step::Done(verdict);
        }
        match c.report_url() {
            Ok(url) => Step::FetchReport(PendingReport {
                url,
                authority: anchor.authority.clone(),
                verdict,
            }),
            Err(reason) => {
                verdict.decided_by = Some(reason);
                Step::Done(verdict)
            }
        }
    }

    /// Completes a verdict with the report's bytes, or with why they could not be had
    /// (steps 13–17).
    pub fn finish(&self, pending: PendingReport, fetched: Result<Vec<u8>, FetchProblem>) -> Verdict {
        let PendingReport {
            authority,
            verdict: mut v,
            ..
        } = pending;
        let (Some(stored), Some(claim)) = (self.lists.key_list(&authority), v.claim.clone()) else {
            v.decided_by = Some(Reason::NoKeyList { authority });
            return v;
        };
        let c = ReportCtx {
            claim: &claim,
            keys: &stored.list,
            fetched: &fetched,
            jws: OnceCell::new(),
            report: OnceCell::new(),
        };
        v.decided_by = run_report(REPORT, &c, &mut v.findings);
        if v.decided_by.is_none() {
            v.report = c.report().ok().cloned();
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_follow_the_format_in_order() {
        let label: Vec<&str> = AUTHENTICITY.iter().chain(STANDING).map(|(step, _)| *step).collect();
        assert_eq!(
            label,
            ["1", "2", "3", "4", "4a", "5", "6", "7", "8", "9", "10", "10a", "11", "11a", "12"]
        );
        let report: Vec<&str> = REPORT.iter().map(|(step, _)| *step).collect();
        assert_eq!(report, ["13", "14", "15", "16", "17"]);
    }
}
