//! A QR text: the label link, the claim inside it, and the verdict reached from it offline.

use labelcheck_core::claim::SignedClaim;
use labelcheck_core::label_url::{classify, label_url, QrText};
use labelcheck_core::{Step, VerdictKind};
use labelcheck_testkit::vectors::world;

pub fn label(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let w = world();
    if let QrText::Label(link) = classify(&text) {
        // What the link carries survives being written as a link again.
        let again = label_url(&format!("{}/", link.origin), &link.claim);
        match classify(&again) {
            QrText::Label(l) => assert_eq!(l.claim, link.claim, "{again}"),
            other => panic!("{again} read back as {other:?}"),
        }
        if let Ok(signed) = SignedClaim::parse(&link.claim) {
            assert!(signed.claim.validate().is_ok(), "a parsed claim is a valid claim");
        }
    }
    let verdict = match w.verifier().check_label(&text) {
        Step::Done(v) => v,
        Step::FetchReport(p) => p.offline_verdict().clone(),
    };
    if matches!(verdict.kind(), VerdictKind::Genuine | VerdictKind::GenuineOffline) {
        let QrText::Label(link) = classify(&text) else {
            panic!("genuine without a label link: {text:?}");
        };
        assert!(
            w.known_claims.contains(&link.claim),
            "a claim the authority never signed was accepted: {text:?}"
        );
        assert!(verdict.claim.is_some(), "a genuine verdict shows what was signed");
    }
}
