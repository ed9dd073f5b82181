//! How long full verification of a decoded label takes in wasm, in headless Chromium (run by
//! `scripts/bench-verify`; not among the tests `cargo test` runs: it measures, it does not
//! assert a time).
//!
//! The inputs are the committed test vectors: the demo authority's trust anchors and lists and
//! the genuine demo label with its report. "Per label" is what the app does after a QR code is
//! read (claim signature, report signature, binding, key and revocation lookups) with the
//! lists already loaded; "with lists" also parses and checks both root-signed lists first, as
//! on the app's first start.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_core::{ListStore, Step, Timestamp, TrustAnchors, VerdictKind, Verifier};
use labelcheck_testkit::vectors;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ROUNDS: usize = 500;

fn now_ms() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap();
    let now: js_sys::Function = js_sys::Reflect::get(&perf, &"now".into()).unwrap().dyn_into().unwrap();
    now.call0(&perf).unwrap().as_f64().unwrap()
}

fn load_lists(anchors: &TrustAnchors) -> ListStore {
    vectors::lists(anchors)
}

fn verify(anchors: &TrustAnchors, lists: &ListStore, now: Timestamp, qr: &str, report: &[u8]) -> VerdictKind {
    let verifier = Verifier { anchors, lists, now };
    match verifier.check_label(qr) {
        Step::Done(v) => v.kind(),
        Step::FetchReport(pending) => verifier.finish(pending, Ok(report.to_vec())).kind(),
    }
}

/// Median and 95th percentile, in microseconds, of `ROUNDS` timed runs of `f`.
fn time(mut f: impl FnMut()) -> (f64, f64) {
    f();
    let mut us: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let t0 = now_ms();
            f();
            (now_ms() - t0) * 1000.0
        })
        .collect();
    us.sort_by(f64::total_cmp);
    (us[ROUNDS / 2], us[ROUNDS * 95 / 100])
}

#[wasm_bindgen_test]
fn verification_time_in_wasm() {
    let world = vectors::world();
    let (qr, report, now) = (world.genuine_qr.clone(), world.genuine_report.clone(), world.now);
    let anchors = vectors::anchors();
    let lists = load_lists(&anchors);
    // The measured work must give the right answer, or the figure means nothing.
    assert_eq!(verify(&anchors, &lists, now, &qr, &report), VerdictKind::Genuine);

    let (label_median, label_p95) = time(|| {
        assert_eq!(verify(&anchors, &lists, now, &qr, &report), VerdictKind::Genuine);
    });
    let (lists_median, lists_p95) = time(|| {
        let lists = load_lists(&anchors);
        assert_eq!(verify(&anchors, &lists, now, &qr, &report), VerdictKind::Genuine);
    });
    let agent = js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"userAgent".into()))
        .unwrap_or(JsValue::NULL);
    console_log!(
        "bench-verify: {ROUNDS} rounds each; {}",
        agent.as_string().unwrap_or_default()
    );
    console_log!("| verification (genuine demo label) | median µs | p95 µs |");
    console_log!("| --- | ---: | ---: |");
    console_log!("| per label, lists loaded | {label_median:.0} | {label_p95:.0} |");
    console_log!("| with both lists parsed and checked first | {lists_median:.0} | {lists_p95:.0} |");
}
