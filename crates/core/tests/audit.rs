//! Audits: clones flagged on both items, entered models compared, exports that keep hostile
//! text inert, and saved audits of every earlier format read back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_core::audit::{Audit, AuditError, AuditReadError, CloneGroup, Source, AUDIT_FORMAT, MAX_NOTE_CHARS};
use labelcheck_core::audit_export::{to_csv, to_json};
use labelcheck_core::verdict::AuthorityInfo;
use labelcheck_core::{Reason, Verdict};
use labelcheck_testkit::{claim_for, report, ts};

fn genuine(serial: &str) -> Verdict {
    let mut v = Verdict {
        decided_by: None,
        findings: vec![Reason::ClaimVerified { kid: "k1".into() }],
        claim: None,
        report: None,
        programme: None,
        authority: None,
    };
    let mut claim = claim_for(&report(serial, 2), [0; 16]);
    claim.gtins = vec!["06901234567892".into()];
    v.claim = Some(claim);
    v.authority = Some(AuthorityInfo {
        id: "DEMO".into(),
        name: labelcheck_core::key_list::Names {
            en: "Demo".into(),
            zh: "演示".into(),
        },
        demo: true,
        key_id: Some("k1".into()),
        key_list_version: 1,
        key_list_issued_at: ts("2026-01-01T00:00:00Z"),
        revocations_version: None,
        revocations_issued_at: None,
    });
    v
}

fn forged() -> Verdict {
    Verdict::new(Reason::ClaimSignatureInvalid { kid: "k1".into() })
}

fn shelf() -> Audit {
    let mut a = Audit::new("a1", "Shelf 4, 路由器", ts("2026-11-26T09:00:00Z"));
    a.add(
        ts("2026-11-26T09:01:00Z"),
        Source::Camera,
        "https://v.example/#1A",
        &genuine("DEMO-1"),
    );
    a.add(
        ts("2026-11-26T09:02:00Z"),
        Source::Camera,
        "https://v.example/#1B",
        &genuine("DEMO-2"),
    );
    a.add(
        ts("2026-11-26T09:03:00Z"),
        Source::Camera,
        "https://v.example/#1A",
        &genuine("DEMO-1"),
    );
    a.add(
        ts("2026-11-26T09:04:00Z"),
        Source::Photo,
        "https://v.example/#1F",
        &forged(),
    );
    a
}

#[test]
fn a_serial_on_two_items_is_flagged_on_both() {
    let a = shelf();
    assert_eq!(
        a.clones(),
        vec![CloneGroup {
            authority: "DEMO".into(),
            serial: "DEMO-1".into(),
            items: vec![1, 3]
        }]
    );
    assert_eq!(a.clones_of(1), vec![3]);
    assert_eq!(a.clones_of(3), vec![1]);
    assert!(a.clones_of(2).is_empty());
    // An unverified claim's serial is not taken at its word, so never makes a clone.
    assert!(a.clones_of(4).is_empty());
    assert_eq!(a.item(4).unwrap().serial, None);
    assert_eq!(a.same_text("https://v.example/#1A"), Some(1));
    let s = a.summary();
    assert_eq!(s.items, 4);
    assert_eq!(s.by_verdict.get("genuine"), Some(&3));
    assert_eq!(s.by_verdict.get("not-genuine"), Some(&1));
}

#[test]
fn an_entered_model_or_gtin_is_compared_with_the_signed_one() {
    let mut a = shelf();
    a.set_expected(1, " ax-3000 ").unwrap();
    assert!(!a.item(1).unwrap().expected_mismatch());
    a.set_expected(1, "06901234567892").unwrap();
    assert!(!a.item(1).unwrap().expected_mismatch());
    a.set_expected(1, "BX-9").unwrap();
    assert!(a.item(1).unwrap().expected_mismatch());
    assert_eq!(a.summary().mismatches, vec![1]);
    // Nothing signed to compare with.
    a.set_expected(4, "BX-9").unwrap();
    assert!(!a.item(4).unwrap().expected_mismatch());
}

#[test]
fn edits_are_bounded_and_numbers_never_reused() {
    let mut a = shelf();
    assert_eq!(a.set_note(9, "x"), Err(AuditError::NoSuchItem(9)));
    assert_eq!(
        a.set_note(1, &"长".repeat(MAX_NOTE_CHARS + 1)),
        Err(AuditError::TooLong)
    );
    a.set_note(1, &"长".repeat(MAX_NOTE_CHARS)).unwrap();
    a.remove(4).unwrap();
    assert_eq!(a.remove(4), Err(AuditError::NoSuchItem(4)));
    assert_eq!(a.add(ts("2026-11-26T09:05:00Z"), Source::Typed, "x", &forged()), 4);
    a.remove(3).unwrap();
    assert_eq!(a.add(ts("2026-11-26T09:06:00Z"), Source::Typed, "y", &forged()), 5);
}

#[test]
fn csv_has_every_item_and_keeps_hostile_text_inert() {
    let mut a = shelf();
    a.set_note(2, "=HYPERLINK(\"http://evil.example\",\"click\")").unwrap();
    a.set_note(3, "line one\nline two, with comma").unwrap();
    let csv = to_csv(&a, &|i| i.reason_code.to_uppercase());
    assert!(csv.starts_with("\u{feff}item,checked_at,source,verdict,"));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines.len(), 6, "header, four items, and the final line end");
    assert!(lines[1].starts_with("1,2026-11-26T09:01:00Z,camera,genuine,claim-verified,CLAIM-VERIFIED,"));
    // clone_of names the earlier items with the serial: none for the first, 1 for the third.
    assert!(
        lines[1].contains(",DEMO,DEMO-1,Acme Networks,AX-3000,2,,,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[3].contains(",DEMO,DEMO-1,Acme Networks,AX-3000,2,,1,"),
        "{}",
        lines[3]
    );
    // The audit's name on every row, before the QR text.
    assert!(
        lines[1].ends_with(",\"Shelf 4, 路由器\",https://v.example/#1A"),
        "{}",
        lines[1]
    );
    assert!(csv.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","));
    assert!(csv.contains("\"line one\nline two, with comma\""));
    assert!(lines[4].starts_with("4,2026-11-26T09:04:00Z,photo,not-genuine,claim-signature-invalid,"));
}

#[test]
fn json_export_reads_back_and_says_the_clones() {
    let mut a = shelf();
    a.set_note(1, "top shelf").unwrap();
    let text = to_json(&a, &|i| format!("worded {}", i.reason_code));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["summary"]["clones"][0]["items"], serde_json::json!([1, 3]));
    // As `labelcheck verify --json` streams them: the earlier items with the serial.
    assert_eq!(doc["items"][0]["clone_of"], serde_json::json!([]));
    assert_eq!(doc["items"][2]["clone_of"], serde_json::json!([1]));
    assert_eq!(doc["items"][0]["reason"], "worded claim-verified");
    assert_eq!(doc["items"][0]["message"]["key"], "claim-verified");
    assert_eq!(Audit::from_json(text.as_bytes()).unwrap(), a);
}

#[test]
fn what_is_not_a_saved_audit_is_refused() {
    assert!(Audit::from_json(b"").is_err());
    assert!(Audit::from_json(b"{\"format\":1}").is_err());
    let mut a = shelf();
    a.format = AUDIT_FORMAT + 1;
    let future = serde_json::to_vec(&a).unwrap();
    assert_eq!(Audit::from_json(&future), Err(AuditReadError::Format(AUDIT_FORMAT + 1)));
}

#[test]
fn an_audit_saved_in_format_1_still_opens_with_its_words() {
    // As the first version saved it: the reason in English, command-line texts as "text".
    let saved = r#"{"format":1,"id":"a1","name":"Shelf","started_at":"2026-11-26T09:00:00Z","items":[
        {"n":1,"checked_at":"2026-11-26T09:01:00Z","source":"text","text":"https://v.example/#1A",
         "verdict":"not-genuine","reason_code":"claim-signature-invalid",
         "reason":"The label's signature does not match its contents under key k1: it was altered or forged."},
        {"n":2,"checked_at":"2026-11-26T09:02:00Z","source":"photos/2.jpg","text":"",
         "verdict":"cannot-check","reason_code":"no-code-found","reason":"No QR code was found in this image."}]}"#;
    let a = Audit::from_json(saved.as_bytes()).unwrap();
    assert_eq!(a.items[0].source, Source::Typed);
    assert_eq!(a.items[1].source, Source::File("photos/2.jpg".into()));
    assert_eq!(a.items[0].message, None);
    assert!(a.items[0].reason.starts_with("The label's signature"));
    // Saved again, it keeps what it had and reads back the same.
    assert_eq!(Audit::from_json(&serde_json::to_vec(&a).unwrap()).unwrap(), a);
}
