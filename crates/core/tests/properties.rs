//! Properties over generated inputs (proptest): every signed format survives signing and
//! verifying with its content intact, and no single-byte change to a signed file makes a
//! label genuine or slips a different list past the root signature.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_core::claim::sign_claim;
use labelcheck_core::issuer::{issue_label, sign_report};
use labelcheck_core::label_url::label_url;
use labelcheck_core::verify::Verifier;
use labelcheck_core::ListStore;
use labelcheck_core::VerdictKind;
use labelcheck_testkit::{claim_for, report, ts, Authority, VERIFIER};
use proptest::prelude::*;

const NOW: &str = "2026-11-26T12:00:00Z";

fn serial() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9._/-]{0,31}"
}

/// Maker and model: printable text of up to 64 UTF-8 bytes (Chinese included), trimmed.
fn name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9\u{4e00}-\u{4e2f}][A-Za-z0-9 .\u{4e00}-\u{4e2f}-]{0,14}[A-Za-z0-9\u{4e00}-\u{4e2f}]"
}

struct Issued {
    auth: Authority,
    qr: String,
    claim_bytes: Vec<u8>,
    report_file: Vec<u8>,
}

fn issue(serial: &str, level: u8, maker: &str, model: &str) -> Issued {
    let auth = Authority::new("DEMO", 1);
    let mut r = report(serial, level);
    r.maker = maker.to_owned();
    r.model = model.to_owned();
    let signed = sign_report(&r, "k1", &auth.k1).unwrap();
    let claim = claim_for(&r, signed.digest);
    Issued {
        qr: issue_label(&claim, "k1", &auth.k1, VERIFIER).unwrap(),
        claim_bytes: sign_claim(&claim, "k1", &auth.k1).unwrap(),
        report_file: signed.file,
        auth,
    }
}

fn verdict(auth: &Authority, revoked: &[&str], qr: &str, report: &[u8]) -> labelcheck_core::Verdict {
    let (anchors, lists) = auth.store(revoked);
    let v = Verifier {
        anchors: &anchors,
        lists: &lists,
        now: ts(NOW),
    };
    v.verify_with(qr, |_| Ok(report.to_vec()))
}

fn is_genuine(kind: VerdictKind) -> bool {
    matches!(kind, VerdictKind::Genuine | VerdictKind::GenuineOffline)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_signed_label_and_report_verify_with_their_content(
        serial in serial(), level in 1u8..=3, maker in name(), model in name()
    ) {
        let i = issue(&serial, level, &maker, &model);
        let v = verdict(&i.auth, &[], &i.qr, &i.report_file);
        prop_assert_eq!(v.kind(), VerdictKind::Genuine, "{:?}", v.reasons().collect::<Vec<_>>());
        let claim = v.claim.unwrap();
        prop_assert_eq!(&claim.serial, &serial);
        prop_assert_eq!(claim.level, level);
        let r = v.report.unwrap();
        prop_assert_eq!((r.serial, r.maker, r.model), (serial, maker, model));
    }

    #[test]
    fn a_revocation_list_round_trips_and_revokes(serial in serial(), others in prop::collection::vec(serial(), 0..20)) {
        let i = issue(&serial, 2, "Acme", "AX");
        let mut revoked: Vec<&str> = others.iter().map(String::as_str).collect();
        revoked.push(&serial);
        let v = verdict(&i.auth, &revoked, &i.qr, &i.report_file);
        prop_assert_eq!(v.kind(), VerdictKind::Revoked);
        let file = i.auth.revocations_file(7, &revoked);
        let mut store = ListStore::new();
        store.offer_revocations(&i.auth.anchors(), &file).unwrap();
        let held = &store.revocations("DEMO").unwrap().list;
        prop_assert_eq!(held.version, 7);
        let serials: Vec<&str> = held.revoked.iter().map(|r| r.serial.as_str()).collect();
        prop_assert_eq!(serials, revoked);
    }

    #[test]
    fn a_key_list_round_trips(version in 1u64..1_000_000) {
        let auth = Authority::new("DEMO", 3);
        let mut store = ListStore::new();
        store.offer_key_list(&auth.anchors(), &auth.key_list_file(version)).unwrap();
        prop_assert_eq!(&store.key_list("DEMO").unwrap().list, &auth.key_list(version));
    }

    #[test]
    fn no_single_byte_change_of_the_claim_is_genuine(at in any::<prop::sample::Index>(), to in any::<u8>()) {
        let i = issue("DEMO-1", 2, "Acme", "AX");
        let k = at.index(i.claim_bytes.len());
        prop_assume!(i.claim_bytes[k] != to);
        let mut bad = i.claim_bytes.clone();
        bad[k] = to;
        let v = verdict(&i.auth, &[], &label_url(VERIFIER, &bad), &i.report_file);
        prop_assert!(!is_genuine(v.kind()), "byte {} -> {:#04x}: {:?}", k, to, v.kind());
    }

    /// A changed report byte may only leave the verdict genuine if the file still carries the
    /// same signed content (JSON whitespace outside the signed strings).
    #[test]
    fn no_single_byte_change_of_the_report_or_its_signature_is_genuine(
        at in any::<prop::sample::Index>(), to in any::<u8>()
    ) {
        let i = issue("DEMO-1", 2, "Acme", "AX");
        let k = at.index(i.report_file.len());
        prop_assume!(i.report_file[k] != to);
        let mut bad = i.report_file.clone();
        bad[k] = to;
        let v = verdict(&i.auth, &[], &i.qr, &bad);
        if is_genuine(v.kind()) {
            let signed = |f: &[u8]| {
                let j: serde_json::Value = serde_json::from_slice(f).unwrap();
                (j["protected"].clone(), j["payload"].clone(), j["signature"].clone())
            };
            prop_assert_eq!(signed(&bad), signed(&i.report_file), "byte {} -> {:#04x}", k, to);
        }
    }

    /// The same for lists: a changed byte is refused, or the list held is the signed one.
    #[test]
    fn no_single_byte_change_of_a_list_installs_other_content(
        at in any::<prop::sample::Index>(), to in any::<u8>(), revocations in any::<bool>()
    ) {
        let auth = Authority::new("DEMO", 5);
        let anchors = auth.anchors();
        let good = if revocations { auth.revocations_file(2, &["A-1", "B-2"]) } else { auth.key_list_file(2) };
        let k = at.index(good.len());
        prop_assume!(good[k] != to);
        let mut bad = good.clone();
        bad[k] = to;
        let (mut fresh, mut reference) = (ListStore::new(), ListStore::new());
        let offered = if revocations {
            reference.offer_revocations(&anchors, &good).unwrap();
            fresh.offer_revocations(&anchors, &bad).map(|_| format!("{:?}", fresh.revocations("DEMO").unwrap().list))
        } else {
            reference.offer_key_list(&anchors, &good).unwrap();
            fresh.offer_key_list(&anchors, &bad).map(|_| format!("{:?}", fresh.key_list("DEMO").unwrap().list))
        };
        if let Ok(payload) = offered {
            let expected = if revocations {
                format!("{:?}", reference.revocations("DEMO").unwrap().list)
            } else {
                format!("{:?}", reference.key_list("DEMO").unwrap().list)
            };
            prop_assert_eq!(payload, expected, "byte {} -> {:#04x}", k, to);
        }
    }
}
