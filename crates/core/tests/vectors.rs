//! Every file in `tests/vectors/` (one per case) gets the verdict it names.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine;
use labelcheck_core::{FetchProblem, ListStore, Step, Timestamp, TrustAnchors, VerdictKind, Verifier};
use serde_json::Value;
use std::path::Path;

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
        "network" => FetchProblem::Network("connection refused".into()),
        "timeout" => FetchProblem::Timeout,
        "redirected" => FetchProblem::Redirected,
        "too-large" => FetchProblem::TooLarge,
        "wrong-content-type" => FetchProblem::WrongContentType("text/html".into()),
        other => panic!("unknown problem {other}"),
    };
    Some(Err(problem))
}

#[test]
fn every_vector_gets_its_verdict() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
    let auth = dir.join("authority");
    let anchors = TrustAnchors::parse(&std::fs::read(auth.join("trust.json")).unwrap()).unwrap();
    let mut store = ListStore::new();
    store
        .offer_key_list(&anchors, &std::fs::read(auth.join("keys.jws")).unwrap())
        .unwrap();
    store
        .offer_revocations(&anchors, &std::fs::read(auth.join("revocations.jws")).unwrap())
        .unwrap();

    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 45,
        "only {} vectors found in {}",
        names.len(),
        dir.display()
    );
    let mut failures = Vec::new();
    for path in &names {
        let case: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let now = Timestamp::parse(case["now"].as_str().unwrap()).unwrap();
        let verifier = Verifier {
            anchors: &anchors,
            lists: &store,
            now,
        };
        let verdict = match (
            verifier.check_label(case["qr"].as_str().unwrap()),
            report_input(&case["report"]),
        ) {
            (Step::Done(v), _) => v,
            (Step::FetchReport(p), Some(report)) => verifier.finish(p, report),
            (Step::FetchReport(p), None) => verifier.finish(p, Err(FetchProblem::NotAttempted)),
        };
        let expect = VerdictKind::parse(case["expect"].as_str().unwrap()).unwrap();
        let reason = case["expect_reason"].as_str().unwrap();
        if verdict.kind != expect || !verdict.has(reason) {
            failures.push(format!(
                "{}: expected {expect} ({reason}), got {} {:?}",
                path.file_name().unwrap().to_string_lossy(),
                verdict.kind,
                verdict.reasons.iter().map(|r| r.code()).collect::<Vec<_>>()
            ));
        }
        // Only verified claims may be shown.
        if verdict.claim.is_some() {
            assert!(verdict.has("claim-verified"), "{}", path.display());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
