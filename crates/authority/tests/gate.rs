//! The gate is the core's verifier: what it lets out a verifier calls genuine, and what it
//! refuses comes with the reason a verifier would give — a list too far out of date, a revoked
//! serial, a key not valid on the label's day, a report of another label.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_authority::gate::{Gate, Source};
use labelcheck_authority::sign::sign_with;
use labelcheck_core::{Timestamp, VerdictKind};
use labelcheck_testkit::{report, ts, Authority};
use std::path::Path;

fn gate(t: &Authority, revoked: &[&str], now: Timestamp) -> Gate {
    let trust = serde_json::to_vec(&t.anchors()).unwrap();
    let keys = t.key_list_file(1);
    let revocations = t.revocations_file(1, revoked);
    let src = |bytes: &'static [u8]| Source {
        path: Path::new("x"),
        bytes,
    };
    let leak = |v: Vec<u8>| -> &'static [u8] { Box::leak(v.into_boxed_slice()) };
    Gate::new(
        "DEMO",
        src(leak(trust)),
        src(leak(keys)),
        src(leak(revocations)),
        &[],
        now,
    )
    .unwrap()
}

fn code(
    g: &Gate,
    serial: &str,
    key: &ed25519_dalek::SigningKey,
    kid: &str,
    level: u8,
) -> Result<(), (VerdictKind, String)> {
    let r = report(serial, level);
    let s = sign_with(&r, kid, key, labelcheck_testkit::VERIFIER, None, None).unwrap();
    g.pass(&s.qr_text, &s.report_file)
        .map(drop)
        .map_err(|f| (f.verdict, f.reason.key))
}

#[test]
fn only_what_a_verifier_calls_genuine_passes() {
    let t = Authority::new("DEMO", 60);
    let now = ts("2026-06-15T12:00:00Z");
    let g = gate(&t, &["DEMO-9"], now);
    assert_eq!(code(&g, "DEMO-1", &t.k1, "k1", 2), Ok(()));
    assert_eq!(
        code(&g, "DEMO-9", &t.k1, "k1", 2),
        Err((VerdictKind::Revoked, "revoked.withdrawn".into()))
    );
    assert_eq!(
        code(&g, "DEMO-1", &t.old, "k0", 2),
        Err((VerdictKind::NotGenuine, "key-not-valid-at-signing".into()))
    );
    assert_eq!(
        code(&g, "DEMO-1", &t.k1, "k1", 5),
        Err((VerdictKind::NotGenuine, "level-not-in-programme".into()))
    );
    // The lists the authority publishes, a month after the key list expired: refused, as
    // every verifier would refuse to confirm the label.
    let late = gate(&t, &[], ts("2027-02-01T00:00:00Z"));
    assert!(matches!(
        code(&late, "DEMO-1", &t.k1, "k1", 2),
        Err((VerdictKind::CannotCheck, _))
    ));
    // A label bound to another label's report.
    let signed = |serial: &str| {
        sign_with(
            &report(serial, 2),
            "k1",
            &t.k1,
            labelcheck_testkit::VERIFIER,
            None,
            None,
        )
    };
    let (a, b) = (signed("DEMO-1").unwrap(), signed("DEMO-2").unwrap());
    let refused = g.pass(&a.qr_text, &b.report_file).unwrap_err();
    assert_eq!(refused.verdict, VerdictKind::NotGenuine);
}

#[test]
fn lists_a_verifier_would_refuse_stop_the_gate_being_made() {
    let t = Authority::new("DEMO", 60);
    let impostor = Authority::new("DEMO", 90);
    let trust = serde_json::to_vec(&t.anchors()).unwrap();
    let keys = impostor.key_list_file(1);
    let revocations = t.revocations_file(1, &[]);
    let src = |bytes: &[u8]| Source {
        path: Path::new("keys.jws"),
        bytes: Box::leak(bytes.to_vec().into_boxed_slice()),
    };
    let e = Gate::new(
        "DEMO",
        src(&trust),
        src(&keys),
        src(&revocations),
        &[],
        ts("2026-06-15T12:00:00Z"),
    )
    .err()
    .unwrap();
    assert!(matches!(e, labelcheck_authority::Error::ListRefused { .. }), "{e:?}");
    let e = Gate::new(
        "OTHER",
        src(&trust),
        src(&t.key_list_file(1)),
        src(&revocations),
        &[],
        ts("2026-06-15T12:00:00Z"),
    )
    .err()
    .unwrap();
    assert!(matches!(e, labelcheck_authority::Error::NotInTrust { .. }), "{e:?}");
}
