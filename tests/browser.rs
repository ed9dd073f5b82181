//! Browser-facing pieces, in headless Chromium (wasm-bindgen-test): decoding a real label
//! image through the canvas and the worker's frame path, the saved-list cache, audits kept in
//! IndexedDB, and both languages complete. `scripts/test` runs it with wasm-bindgen-test-runner and chromedriver.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ed25519_dalek::SigningKey;
use labelcheck_app::i18n::{t, verdict_word, Lang, Msg};
use labelcheck_app::lists::{accept_fetched, offer_saved};
use labelcheck_app::platform::frames::Grabber;
use labelcheck_core::issuer::sign_key_list;
use labelcheck_core::jwk::PublicJwk;
use labelcheck_core::key_list::{KeyEntry, Names, Programme};
use labelcheck_core::trust::{Anchor, ListError};
use labelcheck_core::{KeyList, ListStore, Timestamp, TrustAnchors, VerdictKind};
use wasm_bindgen::JsCast;
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

fn key_list(root: &SigningKey, version: u64) -> Vec<u8> {
    let signer = SigningKey::from_bytes(&[9; 32]);
    let list = KeyList {
        format: 1,
        authority: "BTEST".into(),
        name: Names {
            en: "Browser Test".into(),
            zh: "浏览器测试".into(),
        },
        demo: true,
        version,
        issued_at: Timestamp::parse("2026-01-01T00:00:00Z").unwrap(),
        expires: Timestamp::parse("2027-01-01T00:00:00Z").unwrap(),
        verifier: "https://verify.example/".into(),
        report_hosts: vec!["verify.example".into()],
        report_url: None,
        revocations_url: "https://verify.example/r.jws".into(),
        keys: vec![KeyEntry::new(
            PublicJwk::from_key("k1", &signer.verifying_key()),
            Timestamp::parse("2026-01-01T00:00:00Z").unwrap(),
            Timestamp::parse("2030-01-01T00:00:00Z").unwrap(),
        )],
        programmes: vec![Programme {
            id: 1,
            code: "t".into(),
            name: Names {
                en: "T".into(),
                zh: "测".into(),
            },
            levels: vec![1],
            max_level: 1,
        }],
    };
    sign_key_list(&list, "root", root).unwrap()
}

#[wasm_bindgen_test]
fn saved_lists_survive_a_restart_and_never_roll_back() {
    let root = SigningKey::from_bytes(&[8; 32]);
    let anchors = TrustAnchors {
        format: 1,
        anchors: vec![Anchor {
            authority: "BTEST".into(),
            name: Names {
                en: "Browser Test".into(),
                zh: "浏览器测试".into(),
            },
            demo: true,
            root_keys: vec![PublicJwk::from_key("root", &root.verifying_key())],
            key_list_url: "https://verify.example/keys.jws".into(),
            revocations_url: "https://verify.example/r.jws".into(),
        }],
    };
    let offer = ListStore::offer_key_list;
    let version = |s: &ListStore| s.key_list("BTEST").map(|l| l.list.version);
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();

    let mut first = ListStore::new();
    accept_fetched(&mut first, &anchors, "keys", "BTEST", &key_list(&root, 2), offer).unwrap();
    // An older list served later is refused and does not replace the saved one.
    let refused = accept_fetched(&mut first, &anchors, "keys", "BTEST", &key_list(&root, 1), offer);
    assert_eq!(refused, Err(ListError::Rollback { have: 2, offered: 1 }));

    // After a restart (a new store), the saved copy is what is held: version 2.
    let mut second = ListStore::new();
    offer_saved(&mut second, &anchors, "keys", "BTEST", offer);
    assert_eq!(version(&second), Some(2));
    accept_fetched(&mut second, &anchors, "keys", "BTEST", &key_list(&root, 3), offer).unwrap();
    let mut third = ListStore::new();
    offer_saved(&mut third, &anchors, "keys", "BTEST", offer);
    assert_eq!(version(&third), Some(3));
    // A list signed by another root is never saved.
    let stranger = key_list(&SigningKey::from_bytes(&[7; 32]), 9);
    assert!(accept_fetched(&mut third, &anchors, "keys", "BTEST", &stranger, offer).is_err());
    let mut fourth = ListStore::new();
    offer_saved(&mut fourth, &anchors, "keys", "BTEST", offer);
    assert_eq!(version(&fourth), Some(3));
}

#[wasm_bindgen_test]
fn both_languages_are_complete() {
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for &m in Msg::ALL {
        assert!(!t(Lang::En, m).is_empty() && !t(Lang::Zh, m).is_empty(), "{m:?}");
        if m != Msg::SwitchLanguage {
            assert!(cjk(t(Lang::Zh, m)), "{m:?} untranslated");
        }
    }
    for k in VerdictKind::ALL {
        assert!(cjk(verdict_word(Lang::Zh, k)), "{k:?}");
        assert!(!verdict_word(Lang::En, k).is_empty());
    }
}

#[wasm_bindgen_test]
async fn audits_are_kept_on_the_device_and_an_unreadable_record_is_kept_not_lost() {
    use labelcheck_app::audits;
    use labelcheck_app::platform::idb;
    use labelcheck_core::audit::Audit;
    use labelcheck_core::{Reason, Verdict};

    let mut older = Audit::new("test-older", "Container 7", Timestamp(1_790_000_000));
    let v = Verdict::new(
        VerdictKind::NotALabel,
        Reason::NotALabel(labelcheck_core::label_url::NotALabel::NotALink),
    );
    older.add(Timestamp(1_790_000_100), "typed", "hello", &v);
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
