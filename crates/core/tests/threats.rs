//! One test per threat in the product brief, against the verification pipeline.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ed25519_dalek::SigningKey;
use labelcheck_core::claim::{sign_claim, Claim};
use labelcheck_core::issuer::{issue_label, sign_report};
use labelcheck_core::label_url::label_url;
use labelcheck_core::verify::Verifier;
use labelcheck_core::{Arg, FetchProblem, VerdictKind};
use labelcheck_testkit::{claim_for, day, report, ts, Authority, VERIFIER};

const NOW: &str = "2026-11-26T12:00:00Z";

struct Case {
    auth: Authority,
    report_file: Vec<u8>,
    claim: Claim,
}

fn case(serial: &str) -> Case {
    let auth = Authority::new("DEMO", 1);
    let r = report(serial, 2);
    let signed = sign_report(&r, "k1", &auth.k1).unwrap();
    Case {
        claim: claim_for(&r, signed.digest),
        report_file: signed.file,
        auth,
    }
}

fn run(
    auth: &Authority,
    revoked: &[&str],
    qr: &str,
    report: Result<Vec<u8>, FetchProblem>,
) -> labelcheck_core::Verdict {
    let (anchors, store) = auth.store(revoked);
    let v = Verifier {
        anchors: &anchors,
        lists: &store,
        now: ts(NOW),
    };
    v.verify_with(qr, |_| report)
}

fn qr(c: &Case) -> String {
    issue_label(&c.claim, "k1", &c.auth.k1, VERIFIER).unwrap()
}

#[test]
fn genuine_label_and_report() {
    let c = case("DEMO-1");
    let v = run(&c.auth, &[], &qr(&c), Ok(c.report_file.clone()));
    assert_eq!(v.kind(), VerdictKind::Genuine, "{:?}", v.reasons().collect::<Vec<_>>());
    assert!(v.report.is_some());
    assert_eq!(v.claim.unwrap().level, 2);
}

#[test]
fn offline_is_genuine_offline() {
    let c = case("DEMO-1");
    let v = run(&c.auth, &[], &qr(&c), Err(FetchProblem::NotAttempted));
    assert_eq!(v.kind(), VerdictKind::GenuineOffline);
    assert!(v.report.is_none());
    let v = run(&c.auth, &[], &qr(&c), Err(FetchProblem::Unreachable));
    assert_eq!(v.kind(), VerdictKind::GenuineOffline);
    let v = run(&c.auth, &[], &qr(&c), Err(FetchProblem::TooLarge));
    assert_eq!(v.kind(), VerdictKind::CannotCheck);
}

#[test]
fn look_alike_site_with_made_up_report() {
    let c = case("DEMO-1");
    let forger = SigningKey::from_bytes(&[99; 32]);
    let text = issue_label(&c.claim, "k1", &forger, "https://verify-labels.example/").unwrap();
    let v = run(&c.auth, &[], &text, Ok(c.report_file.clone()));
    assert_eq!(v.kind(), VerdictKind::NotGenuine);
    assert!(v.has("claim-signature-invalid"));
    assert!(v.claim.is_none(), "an unverified claim must not be shown");
}

#[test]
fn edited_report() {
    let c = case("DEMO-1");
    let mut json: serde_json::Value = serde_json::from_slice(&c.report_file).unwrap();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = b64.decode(json["payload"].as_str().unwrap()).unwrap();
    let edited = String::from_utf8(payload)
        .unwrap()
        .replace("\"level\":2", "\"level\":3");
    json["payload"] = b64.encode(edited).into();
    let v = run(&c.auth, &[], &qr(&c), Ok(json.to_string().into_bytes()));
    assert_eq!(v.kind(), VerdictKind::NotGenuine);
    assert!(v.has("report-signature-invalid"));
}

#[test]
fn edited_claim_field() {
    let c = case("DEMO-1");
    let good = sign_claim(&c.claim, "k1", &c.auth.k1).unwrap();
    let needle = b"AX-3000";
    let at = good.windows(needle.len()).position(|w| w == needle).unwrap();
    let mut bad = good.clone();
    bad[at + 5] = b'9';
    let v = run(&c.auth, &[], &label_url(VERIFIER, &bad), Ok(c.report_file.clone()));
    assert_eq!(v.kind(), VerdictKind::NotGenuine);
    assert!(v.has("claim-signature-invalid"));
}

#[test]
fn report_of_another_product_swapped_in() {
    let c = case("DEMO-1");
    let other = case("DEMO-2");
    let v = run(&c.auth, &[], &qr(&c), Ok(other.report_file));
    assert_eq!(v.kind(), VerdictKind::NotGenuine);
    assert!(v.has("report-digest-mismatch"));
    assert!(v.has("report-field-mismatch"));
}

#[test]
fn revoked_with_date_and_reason() {
    let c = case("DEMO-1");
    let v = run(&c.auth, &["DEMO-1"], &qr(&c), Ok(c.report_file.clone()));
    assert_eq!(v.kind(), VerdictKind::Revoked);
    let said = v.headline().unwrap().message();
    assert_eq!(said.get("date"), Some(&Arg::Date(day("2026-05-01"))));
    assert_eq!(said.get("why"), Some(&Arg::Word("revocation-reason.withdrawn".into())));
}

#[test]
fn lapsed_certification() {
    let mut c = case("DEMO-1");
    c.claim.valid_from = day("2025-01-01");
    c.claim.valid_until = day("2026-11-25");
    let v = run(&c.auth, &[], &qr(&c), Ok(c.report_file.clone()));
    assert_eq!(v.kind(), VerdictKind::Expired);
    assert_eq!(
        v.headline().unwrap().message().get("on"),
        Some(&Arg::Date(day("2026-11-25")))
    );
}

#[test]
fn key_never_published() {
    let c = case("DEMO-1");
    let text = issue_label(&c.claim, "k9", &SigningKey::from_bytes(&[42; 32]), VERIFIER).unwrap();
    let v = run(&c.auth, &[], &text, Ok(c.report_file.clone()));
    assert_eq!(v.kind(), VerdictKind::NotGenuine);
    assert!(v.has("key-not-published"));
}

#[test]
fn retired_key_after_its_window() {
    let c = case("DEMO-1");
    let text = issue_label(&c.claim, "k0", &c.auth.old, VERIFIER).unwrap();
    let v = run(&c.auth, &[], &text, Ok(c.report_file.clone()));
    assert_eq!(v.kind(), VerdictKind::NotGenuine);
    assert!(v.has("key-not-valid-at-signing"));
}

#[test]
fn unknown_authority() {
    let c = case("DEMO-1");
    let stranger = Authority::new("ACME", 50);
    let mut claim = c.claim.clone();
    claim.authority = "ACME".into();
    let text = issue_label(&claim, "k1", &stranger.k1, VERIFIER).unwrap();
    let v = run(&c.auth, &[], &text, Ok(c.report_file.clone()));
    assert_eq!(v.kind(), VerdictKind::UnknownAuthority);
}

#[test]
fn not_a_label() {
    let c = case("DEMO-1");
    for text in ["https://pay.example/qr?amount=10", "WIFI:S:x;;", "hello"] {
        let v = run(&c.auth, &[], text, Ok(c.report_file.clone()));
        assert_eq!(v.kind(), VerdictKind::NotALabel, "{text}");
    }
}

#[test]
fn report_on_a_host_not_listed_is_not_fetched() {
    let mut c = case("DEMO-1");
    c.claim.report_location = Some("https://evil.example/r.jws".into());
    let (anchors, store) = c.auth.store(&[]);
    let v = Verifier {
        anchors: &anchors,
        lists: &store,
        now: ts(NOW),
    };
    let mut fetched = false;
    let verdict = v.verify_with(&qr(&c), |_| {
        fetched = true;
        Ok(Vec::new())
    });
    assert!(!fetched);
    assert_eq!(verdict.kind(), VerdictKind::CannotCheck);
    assert!(verdict.has("report-host-not-allowed"));
}

#[test]
fn hostile_reports_get_a_verdict() {
    let c = case("DEMO-1");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for body in [
        b"".to_vec(),
        b"not json".to_vec(),
        vec![0xff; 300_000],
        deep.into_bytes(),
        b"{}".to_vec(),
    ] {
        let v = run(&c.auth, &[], &qr(&c), Ok(body));
        assert_eq!(v.kind(), VerdictKind::CannotCheck);
    }
}

fn at(c: &Case, revoked: &[&str], now: &str) -> labelcheck_core::Verdict {
    let (anchors, store) = c.auth.store(revoked);
    let v = Verifier {
        anchors: &anchors,
        lists: &store,
        now: ts(now),
    };
    v.verify_with(&qr(c), |_| Ok(c.report_file.clone()))
}

// The test authority's revocation list expires 2026-12-31, its key list 2027-01-01.
#[test]
fn expired_lists_within_the_grace_period_are_said() {
    let c = case("DEMO-1");
    let verdict = at(&c, &[], "2027-01-06T23:59:59Z");
    assert_eq!(verdict.kind(), VerdictKind::Genuine);
    assert!(verdict.has("revocation-list-expired"));
    assert!(verdict.has("key-list-expired"));
}

#[test]
fn past_the_grace_period_revocation_status_is_not_confirmed() {
    let c = case("DEMO-1");
    // Exactly 7 days after it expired the revocation list is still within the grace period;
    // "more than 7 days ago" (FORMAT.md §8 step 11a) starts the second after.
    assert_eq!(at(&c, &[], "2027-01-07T00:00:00Z").kind(), VerdictKind::Genuine);
    let verdict = at(&c, &[], "2027-01-07T00:00:01Z");
    assert_eq!(verdict.kind(), VerdictKind::CannotCheck);
    assert_eq!(verdict.headline().unwrap().code(), "revocation-list-too-old");
    assert!(verdict.has("key-list-expired"));
    assert!(verdict.has("claim-verified"));
    assert!(verdict.report.is_none());
    // Nothing says "not revoked" under a verdict that could not confirm it.
    assert!(!verdict.has("not-revoked"), "{:?}", verdict.findings);

    let verdict = at(&c, &[], "2027-03-01T00:00:00Z");
    assert_eq!(verdict.kind(), VerdictKind::CannotCheck);
    assert_eq!(verdict.headline().unwrap().code(), "key-list-too-old");
    assert!(!verdict.has("not-revoked"), "{:?}", verdict.findings);
}

#[test]
fn a_frozen_list_still_names_what_it_revoked() {
    let c = case("DEMO-1");
    assert_eq!(at(&c, &["DEMO-1"], "2027-03-01T00:00:00Z").kind(), VerdictKind::Revoked);
}

#[test]
fn without_a_revocation_list_revocation_status_is_not_confirmed() {
    let c = case("DEMO-1");
    let anchors = c.auth.anchors();
    let mut store = labelcheck_core::ListStore::new();
    store.offer_key_list(&anchors, &c.auth.key_list_file(1)).unwrap();
    let v = Verifier {
        anchors: &anchors,
        lists: &store,
        now: ts(NOW),
    };
    let verdict = v.verify_with(&qr(&c), |_| Ok(c.report_file.clone()));
    assert_eq!(verdict.kind(), VerdictKind::CannotCheck);
    assert_eq!(verdict.headline().unwrap().code(), "revocation-list-missing");
}

// The revocation list was signed 2026-06-01: a device clock more than a day before that is
// wrong, and dates judged by it would be too.
#[test]
fn a_clock_behind_the_lists_is_said_not_judged() {
    let c = case("DEMO-1");
    let verdict = at(&c, &[], "2026-05-30T23:59:59Z");
    assert_eq!(verdict.kind(), VerdictKind::CannotCheck);
    assert_eq!(verdict.headline().unwrap().code(), "clock-behind");
    // Within the stated skew the clock is believed.
    assert_eq!(at(&c, &[], "2026-05-31T00:00:00Z").kind(), VerdictKind::Genuine);
}

#[test]
fn every_single_byte_change_of_the_label_is_not_genuine() {
    let c = case("DEMO-1");
    let good = sign_claim(&c.claim, "k1", &c.auth.k1).unwrap();
    for i in 0..good.len() {
        for bit in [0x01u8, 0x80] {
            let mut bad = good.clone();
            bad[i] ^= bit;
            let v = run(&c.auth, &[], &label_url(VERIFIER, &bad), Ok(c.report_file.clone()));
            assert_ne!(v.kind(), VerdictKind::Genuine, "byte {i}");
            assert_ne!(v.kind(), VerdictKind::GenuineOffline, "byte {i}");
        }
    }
}
