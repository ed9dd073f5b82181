//! Browser-facing pieces, in headless Chromium (wasm-bindgen-test): decoding a real label
//! image through the canvas and the worker's frame path, the saved-list cache (status list
//! partitions too), audits kept in
//! IndexedDB, and both languages complete. `scripts/test` runs it with wasm-bindgen-test-runner and chromedriver.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_app::i18n::{t, verdict_word, Lang, Msg};
use labelcheck_app::lists::{accept_fetched, accept_status, offer_saved, offer_saved_status};
use labelcheck_app::platform::frames::Grabber;
use labelcheck_core::list_store::{ListError, ListProblem};
use labelcheck_core::{ListKind, ListStore, Timestamp, VerdictKind};
use labelcheck_testkit::Authority;
use labelcheck_words::{problems, LANGUAGES};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LABEL_PNG: &[u8] = include_bytes!("fixtures/genuine-label.png");
const LABEL_TEXT: &str = include_str!("fixtures/genuine-label.txt");

#[wasm_bindgen_test]
async fn a_real_label_image_is_decoded_through_the_canvas() {
    let bytes = js_sys::Uint8Array::from(LABEL_PNG);
    let parts = js_sys::Array::of1(&bytes);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/png");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).unwrap();
    let promise = web_sys::window().unwrap().create_image_bitmap_with_blob(&blob).unwrap();
    let bitmap: web_sys::ImageBitmap = JsFuture::from(promise).await.unwrap().dyn_into().unwrap();
    let frame = Grabber::new().unwrap().from_bitmap(&bitmap, 1600.0).unwrap();
    let texts =
        labelcheck_app::scan_frame::scan_rgba(&frame.data(), frame.width() as usize, frame.height() as usize, true);
    assert_eq!(texts, vec![LABEL_TEXT.to_owned()]);
    // Scaled down as a phone frame would be, it still reads.
    let small = Grabber::new().unwrap().from_bitmap(&bitmap, 480.0).unwrap();
    let texts =
        labelcheck_app::scan_frame::scan_rgba(&small.data(), small.width() as usize, small.height() as usize, true);
    assert_eq!(texts, vec![LABEL_TEXT.to_owned()]);
    // A malformed frame yields nothing rather than a trap.
    assert!(labelcheck_app::scan_frame::scan_rgba(&[0; 10], 5, 5, true).is_empty());
}

#[wasm_bindgen_test]
fn saved_lists_survive_a_restart_and_never_roll_back() {
    let auth = Authority::new("BTEST", 8);
    let anchors = auth.anchors();
    let keys = ListKind::Keys;
    let version = |s: &ListStore| s.key_list("BTEST").map(|l| l.list.version);
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();

    let mut first = ListStore::new();
    accept_fetched(&mut first, &anchors, keys, "BTEST", &auth.key_list_file(2)).unwrap();
    // An older list served later is refused and does not replace the saved one.
    let refused = accept_fetched(&mut first, &anchors, keys, "BTEST", &auth.key_list_file(1));
    assert_eq!(refused, Err(ListError::Rollback { have: 2, offered: 1 }));

    // After a restart (a new store), the saved copy is what is held: version 2.
    let mut second = ListStore::new();
    offer_saved(&mut second, &anchors, keys, "BTEST");
    assert_eq!(version(&second), Some(2));
    accept_fetched(&mut second, &anchors, keys, "BTEST", &auth.key_list_file(3)).unwrap();
    let mut third = ListStore::new();
    offer_saved(&mut third, &anchors, keys, "BTEST");
    assert_eq!(version(&third), Some(3));
    // A list signed by another root is never saved.
    let stranger = Authority::new("BTEST", 7).key_list_file(9);
    assert!(accept_fetched(&mut third, &anchors, keys, "BTEST", &stranger).is_err());
    let mut fourth = ListStore::new();
    offer_saved(&mut fourth, &anchors, keys, "BTEST");
    assert_eq!(version(&fourth), Some(3));
}

#[wasm_bindgen_test]
fn a_saved_status_partition_survives_a_restart_and_never_rolls_back() {
    let auth = Authority::new("BSTAT", 9);
    let anchors = auth.anchors();
    let held = |s: &ListStore| s.status("BSTAT", 0).map(|p| p.list.doc.version);
    let mut first = ListStore::new();
    accept_status(
        &mut first,
        &anchors,
        "BSTAT",
        0,
        Ok(auth.status_file(0, 2, &[5], vec![])),
    )
    .unwrap();
    let older = accept_status(
        &mut first,
        &anchors,
        "BSTAT",
        0,
        Ok(auth.status_file(0, 1, &[], vec![])),
    );
    assert_eq!(
        older,
        Err(ListProblem::Refused(ListError::Rollback { have: 2, offered: 1 }))
    );
    // After a restart the saved copy is held; another partition offered as this one is refused
    // and not saved in its place.
    let mut second = ListStore::new();
    offer_saved_status(&mut second, &anchors, "BSTAT", 0);
    assert_eq!(held(&second), Some(2));
    assert!(second.status("BSTAT", 0).is_some_and(|p| p.list.revoked(5)));
    let other = accept_status(
        &mut second,
        &anchors,
        "BSTAT",
        0,
        Ok(auth.status_file(1, 9, &[], vec![])),
    );
    assert!(other.is_err());
    let mut third = ListStore::new();
    offer_saved_status(&mut third, &anchors, "BSTAT", 0);
    assert_eq!(held(&third), Some(2));
}

/// Makes localStorage refuse every write, as a full or blocked one does, until undone.
fn storage_full(full: bool) {
    let script = if full {
        "if (!Storage.prototype.__setItem) { Storage.prototype.__setItem = Storage.prototype.setItem; } \
         Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };"
    } else {
        "if (Storage.prototype.__setItem) { Storage.prototype.setItem = Storage.prototype.__setItem; }"
    };
    js_sys::Function::new_no_args(script).call0(&JsValue::NULL).unwrap();
}

#[wasm_bindgen_test]
async fn with_storage_full_and_a_copy_lost_no_older_list_comes_back_and_no_audit_is_lost() {
    use labelcheck_app::audits;
    use labelcheck_app::lists::{floors_kept, floors_saved};
    use labelcheck_app::platform::storage;
    use labelcheck_core::audit::{Audit, Source};
    use labelcheck_core::{Reason, Verdict};
    let settle = || gloo_timers::future::TimeoutFuture::new(300);
    let auth = Authority::new("BFLOOR", 11);
    let anchors = auth.anchors();
    let keys = ListKind::Keys;
    let mut store = ListStore::new();
    accept_fetched(&mut store, &anchors, keys, "BFLOOR", &auth.key_list_file(3)).unwrap();
    settle().await;
    assert!(!storage::failed());
    // The device's storage is full: a newer list is used, and the failure remembered.
    storage_full(true);
    accept_fetched(&mut store, &anchors, keys, "BFLOOR", &auth.key_list_file(4)).unwrap();
    let mut audit = Audit::new("test-full", "Shelf 9", Timestamp(1_790_000_000));
    let v = Verdict::new(Reason::NotALabel(labelcheck_core::label_url::NotALabel::NotALink));
    audit.add(Timestamp(1_790_000_100), Source::Typed, "hello", &v);
    audits::save(&audit).await.unwrap();
    settle().await;
    storage_full(false);
    assert!(storage::failed(), "the refused write is remembered, to be said once");
    // The saved copy is removed by hand; the app starts again with the floors kept.
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .remove_item("labelcheck.keys.BFLOOR")
        .unwrap();
    let mut again = ListStore::new();
    again.raise_floors(floors_saved());
    again.raise_floors(floors_kept().await);
    offer_saved(&mut again, &anchors, keys, "BFLOOR");
    assert!(again.key_list("BFLOOR").is_none(), "no copy left");
    for older in [2, 3] {
        assert_eq!(
            again.offer_key_list(&anchors, &auth.key_list_file(older)),
            Err(ListError::Rollback {
                have: 4,
                offered: older
            }),
            "the version seen while storage was full is the floor"
        );
    }
    assert!(again.offer_key_list(&anchors, &auth.key_list_file(4)).is_ok());
    // The audit written while localStorage was full is kept.
    let (saved, _) = audits::load().await.unwrap();
    assert!(saved.iter().any(|a| a == &audit));
    audits::delete("test-full").await.unwrap();
}

#[wasm_bindgen_test]
fn floors_kept_by_an_earlier_build_are_read_and_kept_alike() {
    use labelcheck_app::lists::{floors_read, floors_text};
    // As serde_json wrote them before: one object, a list's floor key to its version.
    let earlier = r#"{"keys.DEMO":7,"revocations.DEMO":3,"status.DEMO.12":2}"#;
    let floors = floors_read(earlier);
    let expected: Vec<(String, u64)> = vec![
        ("keys.DEMO".into(), 7),
        ("revocations.DEMO".into(), 3),
        ("status.DEMO.12".into(), 2),
    ];
    assert_eq!(floors, expected);
    assert_eq!(floors_text(&floors), earlier);
    let odd = vec![(String::new(), 0), ("a\"b\\c\u{1}é".to_owned(), u64::MAX)];
    assert_eq!(floors_read(&floors_text(&odd)), odd);
    assert!(floors_read("not json").is_empty());
    assert!(floors_read("[1, 2]").is_empty());
    assert_eq!(
        floors_read(r#"{"keys.DEMO":-1,"x":"y","revocations.DEMO":4}"#),
        vec![("revocations.DEMO".to_owned(), 4)]
    );
}

#[wasm_bindgen_test]
fn every_language_is_complete() {
    for language in LANGUAGES {
        let found = problems(language);
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
    let zh = Lang::from_code("zh-CN").unwrap();
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for &m in Msg::ALL {
        assert!(!t(Lang::EN, m).is_empty(), "{m:?}");
    }
    for k in VerdictKind::ALL {
        assert!(cjk(verdict_word(zh, k)), "{k:?}");
        assert!(!verdict_word(Lang::EN, k).is_empty());
    }
}

#[wasm_bindgen_test]
async fn audits_are_kept_on_the_device_and_an_unreadable_record_is_kept_not_lost() {
    use labelcheck_app::audits;
    use labelcheck_app::platform::idb;
    use labelcheck_core::audit::{Audit, Source};
    use labelcheck_core::{Reason, Verdict};

    let mut older = Audit::new("test-older", "Container 7", Timestamp(1_790_000_000));
    let v = Verdict::new(Reason::NotALabel(labelcheck_core::label_url::NotALabel::NotALink));
    older.add(Timestamp(1_790_000_100), Source::Typed, "hello", &v);
    older.set_note(1, "left pallet, 货架 3").unwrap();
    let newer = Audit::new("test-newer", "Shelf 4", Timestamp(1_790_100_000));
    audits::save(&older).await.unwrap();
    audits::save(&newer).await.unwrap();
    // A record that is not an audit (a later format, or damage) is reported and left alone.
    idb::put(idb::AUDITS, "test-damaged", "{\"format\": 99}").await.unwrap();

    let (saved, unreadable) = audits::load().await.unwrap();
    let ours: Vec<&Audit> = saved.iter().filter(|a| a.id.starts_with("test-")).collect();
    assert_eq!(ours.len(), 2);
    assert_eq!(ours[0], &newer, "newest first");
    assert_eq!(ours[1], &older, "every item and note kept");
    assert_eq!(unreadable, 1);
    assert!(idb::all(idb::AUDITS).await.unwrap().iter().any(|r| r.contains("99")));

    audits::set_open(Some("test-older"));
    assert_eq!(audits::open_id().as_deref(), Some("test-older"));
    audits::set_open(None);
    assert_eq!(audits::open_id(), None);

    for id in ["test-older", "test-newer", "test-damaged"] {
        audits::delete(id).await.unwrap();
    }
    let (saved, unreadable) = audits::load().await.unwrap();
    assert!(saved.iter().all(|a| !a.id.starts_with("test-")));
    assert_eq!(unreadable, 0);
}

#[wasm_bindgen_test]
fn the_worker_protocol_reads_back_what_it_writes_and_nothing_else() {
    use labelcheck_app::scan_protocol::{frame_message, read_from_worker, read_to_worker, reply, FromWorker, ToWorker};
    let pixels = js_sys::Uint8ClampedArray::new_with_length(4 * 6);
    let msg = ToWorker::Decode {
        id: 7,
        width: 3,
        height: 2,
        thorough: true,
    };
    let (posted, transfer) = frame_message(&msg, &pixels);
    assert_eq!(transfer.length(), 1);
    let (read, read_pixels) = read_to_worker(&posted).unwrap();
    assert_eq!(read, msg);
    assert_eq!(read_pixels.length(), 24);
    for answer in [
        FromWorker::Ready,
        FromWorker::Decoded {
            id: 7,
            texts: vec!["https://v.example/#1".into(), "二维码".into()],
            ms: 12.5,
        },
    ] {
        assert_eq!(read_from_worker(&reply(&answer)), Some(answer));
    }
    let junk = js_sys::JSON::parse(r#"{"type":"decode","id":-1,"width":3,"height":2,"thorough":true}"#).unwrap();
    assert!(read_to_worker(&junk).is_none());
    let junk = js_sys::JSON::parse(r#"{"type":"decoded","id":1,"texts":[1],"ms":0}"#).unwrap();
    assert_eq!(read_from_worker(&junk), None);
    assert_eq!(read_from_worker(&JsValue::from_str("ready")), None);
}
