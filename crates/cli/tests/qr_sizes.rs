#![allow(clippy::unwrap_used, clippy::panic)]

//! The QR versions FORMAT.md §2.1 promises: a typical label within version 11 at level M (10
//! without a status number), and the version of the worst case the field limits allow.

use ed25519_dalek::SigningKey;
use labelcheck_core::claim::Claim;
use labelcheck_core::issuer::issue_label;
use labelcheck_core::status::StatusRef;
use labelcheck_core::Date;
use qrcode::{EcLevel, QrCode, Version};

fn version(text: &str) -> i16 {
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map(|c| c.version()) {
        Ok(Version::Normal(v)) => v,
        other => panic!("unexpected QR encoding result {other:?}"),
    }
}

fn claim() -> Claim {
    Claim {
        authority: "CNCA".into(),
        serial: "CN26000123".into(),
        programme: 1,
        level: 3,
        maker: "Shenzhen Example Network".into(),
        model: "Wi-Fi 7 Router BE-19000X".into(),
        gtins: vec![],
        valid_from: Date::parse("2026-07-01").unwrap(),
        valid_until: Date::parse("2029-06-30").unwrap(),
        report_location: None,
        report_digest: [0xa5; 16],
        // A label of a programme of ten million, in its tenth partition.
        status: StatusRef::of_number(9_876_543),
    }
}

#[test]
fn typical_label_fits_version_11_at_level_m() {
    let c = claim();
    assert_eq!((c.maker.chars().count(), c.model.chars().count()), (24, 24));
    let text = issue_label(&c, "k1", &SigningKey::from_bytes(&[7; 32]), "https://verify.example/").unwrap();
    assert_eq!(text.len(), 487, "{text}");
    // Without its status number it would be version 10: the status's six bytes cross the
    // version's edge (450 digits after the 24 characters of the address).
    assert_eq!(version(&text), 11);
    let mut without = claim();
    without.status = None;
    let text = issue_label(
        &without,
        "k1",
        &SigningKey::from_bytes(&[7; 32]),
        "https://verify.example/",
    )
    .unwrap();
    assert_eq!(version(&text), 10);
}

#[test]
fn worst_case_label_version() {
    let mut c = claim();
    c.authority = "A".repeat(16);
    c.serial = "S".repeat(32);
    c.maker = "网".repeat(21) + "X"; // 64 bytes of UTF-8
    c.model = "络".repeat(21) + "Y";
    c.gtins = vec!["40063813339314".into(), "10012345678902".into()];
    c.report_location = Some(format!("https://reports.example/{}", "r".repeat(128 - 24)));
    c.valid_until = Date::parse("9999-12-31").unwrap();
    c.level = 5;
    c.programme = 65_535;
    c.status = StatusRef::of_number(99_999_999);
    let verifier = format!("https://{}.example/", "v".repeat(128 - 17));
    assert_eq!(verifier.len(), 128);
    let text = issue_label(&c, "kid_8chr", &SigningKey::from_bytes(&[7; 32]), &verifier)
        .map_err(|e| e.to_string())
        .unwrap();
    assert_eq!(text.len(), 1294, "{text}");
    assert_eq!(version(&text), 19);
}
