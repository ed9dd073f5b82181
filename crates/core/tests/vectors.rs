//! Every file in `tests/vectors/` (one per case) gets the outcome it names: a QR text (with
//! what the report host returned) its verdict and reason, a list or trust file its refusal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine;
use labelcheck_core::{FetchProblem, ListKind, ListStore, Step, Timestamp, TrustAnchors, VerdictKind};
use labelcheck_testkit::vectors::{self, Case};
use serde_json::Value;

fn report_input(v: &Value) -> Option<Result<Vec<u8>, FetchProblem>> {
    if v.is_null() {
        return None;
    }
    if let Some(s) = v.get("file").and_then(Value::as_str) {
        return Some(Ok(s.as_bytes().to_vec()));
    }
    if let Some(s) = v.get("file_base64").and_then(Value::as_str) {
        return Some(Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).unwrap()));
    }
    if let (Some(r), Some(n)) = (
        v.get("repeat").and_then(Value::as_str),
        v.get("times").and_then(Value::as_u64),
    ) {
        return Some(Ok(r.repeat(n as usize).into_bytes()));
    }
    let problem = match v.get("problem").and_then(Value::as_str).unwrap() {
        "not-attempted" => FetchProblem::NotAttempted,
        "network" => FetchProblem::Unreachable,
        "timeout" => FetchProblem::Timeout,
        "redirected" => FetchProblem::Redirected,
        "too-large" => FetchProblem::TooLarge,
        "wrong-content-type" => FetchProblem::WrongContentType("text/html".into()),
        other => panic!("unknown problem {other}"),
    };
    Some(Err(problem))
}

/// A QR text: the verdict and reason it must get.
fn label_case(case: &Case, anchors: &TrustAnchors, store: &ListStore) -> Option<String> {
    let now = Timestamp::parse(case.doc["now"].as_str().unwrap()).unwrap();
    let verifier = labelcheck_core::Verifier {
        anchors,
        lists: store,
        now,
    };
    let verdict = match (
        verifier.check_label(case.doc["qr"].as_str().unwrap()),
        report_input(&case.doc["report"]),
    ) {
        (Step::Done(v), _) => v,
        (Step::FetchReport(p), Some(report)) => verifier.finish(p, report),
        (Step::FetchReport(p), None) => verifier.finish(p, Err(FetchProblem::NotAttempted)),
    };
    // Only verified claims may be shown.
    if verdict.claim.is_some() {
        assert!(verdict.has("claim-verified"), "{}", case.name);
    }
    let expect = VerdictKind::parse(case.doc["expect"].as_str().unwrap()).unwrap();
    let reason = case.doc["expect_reason"].as_str().unwrap();
    (verdict.kind() != expect || !verdict.has(reason)).then(|| {
        format!(
            "expected {expect} ({reason}), got {} {:?}",
            verdict.kind(),
            verdict.reasons().map(|r| r.code()).collect::<Vec<_>>()
        )
    })
}

/// A list or trust file: refused with the error code it names. A list is offered to a
/// verifier trusting the case's own `trust` file if it has one, else the vector authority.
fn file_case(case: &Case, anchors: &TrustAnchors) -> Option<String> {
    let file = case.doc["file"].as_str().unwrap().as_bytes();
    let expect = case.doc["expect_error"].as_str().unwrap();
    let own = case.doc["trust"]
        .as_str()
        .map(|t| TrustAnchors::parse(t.as_bytes()).unwrap());
    let anchors = own.as_ref().unwrap_or(anchors);
    let error = match case.doc["kind"].as_str().unwrap() {
        "trust" => TrustAnchors::parse(file).err().map(|e| e.code()),
        kind => {
            let kind = ListKind::ALL.into_iter().find(|k| k.name() == kind).unwrap();
            ListStore::new().offer(kind, anchors, file).err().map(|e| e.code())
        }
    };
    (error != Some(expect)).then(|| format!("expected error {expect}, got {error:?}"))
}

#[test]
fn every_vector_gets_its_outcome() {
    let anchors = vectors::anchors();
    let store = vectors::lists(&anchors);
    let cases = vectors::cases();
    assert!(cases.len() >= 60, "only {} vectors", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let failed = if case.doc.get("qr").is_some() {
                label_case(case, &anchors, &store)
            } else {
                file_case(case, &anchors)
            };
            failed.map(|f| format!("{}: {f}", case.name))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
