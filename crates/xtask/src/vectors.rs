//! Writes `tests/vectors/`, one file per case; `crates/core/tests/vectors.rs` checks them all.
//!
//! `cargo xtask vectors --new-authority` makes a new demo authority (`labelcheck demo`, new
//! keys, so every file changes) and writes the cases of its labels and reports. Plain
//! `cargo xtask vectors` keeps the committed authority and (re)writes only the cases derived
//! from its public files and from a seeded throw-away authority: these need no private key
//! of the committed one, and come out the same byte for byte on every run.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use labelcheck_core::cbor::{self, Value};
use labelcheck_core::jwk::PrivateJwk;
use labelcheck_core::jws;
use labelcheck_core::label_url::label_url;
use labelcheck_core::numeric;
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    labelcheck_testkit::serve::root()
}

fn cose_of(qr: &str) -> Vec<u8> {
    numeric::decode(qr.split_once("#1").unwrap().1).unwrap()
}

mod derived;

pub struct Vectors {
    dir: PathBuf,
    now: String,
}

impl Vectors {
    pub fn write(&self, name: &str, description: &str, qr: &str, report: Json, expect: &str, reason: &str) {
        let v = json!({
            "description": description,
            "now": self.now,
            "qr": qr,
            "report": report,
            "expect": expect,
            "expect_reason": reason,
        });
        let mut text = serde_json::to_string_pretty(&v).unwrap();
        text.push('\n');
        std::fs::write(self.dir.join(format!("{name}.json")), text).unwrap();
    }
}

fn file(path: &Path) -> Json {
    json!({ "file": String::from_utf8(std::fs::read(path).unwrap()).unwrap() })
}

pub fn run(new_authority: bool) {
    if new_authority {
        from_a_new_demo_authority();
    }
    derived::write(&root().join("tests/vectors"));
}

fn from_a_new_demo_authority() {
    let work = tempfile::tempdir().unwrap();
    let demo = work.path().join("demo");
    let status = Command::new(labelcheck_testkit::serve::labelcheck_bin())
        .args(["demo", demo.to_str().unwrap(), "--origin", "https://verify.example"])
        .status()
        .unwrap();
    assert!(status.success());
    let out = root().join("tests/vectors");
    let auth = out.join("authority");
    std::fs::create_dir_all(&auth).unwrap();
    for old in std::fs::read_dir(&out).unwrap() {
        let p = old.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            std::fs::remove_file(p).unwrap();
        }
    }
    std::fs::copy(demo.join("public/trust.json"), auth.join("trust.json")).unwrap();
    std::fs::copy(demo.join("public/demo/keys.jws"), auth.join("keys.jws")).unwrap();
    std::fs::copy(demo.join("public/demo/revocations.jws"), auth.join("revocations.jws")).unwrap();
    let keys: Json = serde_json::from_slice(
        &B64.decode(
            serde_json::from_slice::<Json>(&std::fs::read(auth.join("keys.jws")).unwrap()).unwrap()["payload"]
                .as_str()
                .unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    let v = Vectors {
        dir: out.clone(),
        now: keys["issued_at"].as_str().unwrap().to_owned(),
    };

    let labels: Json = serde_json::from_slice(&std::fs::read(demo.join("labels.json")).unwrap()).unwrap();
    let mut genuine_qr = String::new();
    let mut genuine_report = PathBuf::new();
    for l in labels["labels"].as_array().unwrap() {
        let case = l["case"].as_str().unwrap();
        let report = match l["report"].as_str() {
            Some(r) => file(&demo.join(r)),
            None => Json::Null,
        };
        if case == "genuine" {
            genuine_qr = l["qr"].as_str().unwrap().to_owned();
            genuine_report = demo.join(l["report"].as_str().unwrap());
        }
        let reason = match case {
            "genuine" | "genuine-3-star" => "report-verified",
            "tampered-report" => "report-signature-invalid",
            "tampered-claim" => "claim-signature-invalid",
            "swapped-report" => "report-digest-mismatch",
            "forged-key" => "key-not-published",
            "retired-key" => "key-not-valid-at-signing",
            "revoked" => "revoked",
            "expired" => "expired",
            "unknown-authority" => "unknown-authority",
            _ => "not-a-label",
        };
        v.write(
            &format!("demo-{case}"),
            &format!("The demo case {case}."),
            l["qr"].as_str().unwrap(),
            report,
            l["expected"].as_str().unwrap(),
            reason,
        );
    }

    let genuine_file = file(&genuine_report);
    let cose = cose_of(&genuine_qr);
    let base = "https://verify.example/";
    let link = |bytes: &[u8]| label_url(base, bytes);
    let Value::Tag(18, inner) = cbor::decode(&cose).unwrap() else {
        panic!()
    };
    let Value::Array(items) = *inner else { panic!() };
    let with_items = |f: &dyn Fn(&mut Vec<Value>)| {
        let mut it = items.clone();
        f(&mut it);
        cbor::encode(&Value::Tag(18, Box::new(Value::Array(it))))
    };
    let payload_map = || match &items[2] {
        Value::Bytes(b) => match cbor::decode(b).unwrap() {
            Value::Map(m) => m,
            _ => panic!(),
        },
        _ => panic!(),
    };

    // Offline and transport outcomes of a genuine label.
    v.write(
        "offline-not-fetched",
        "A genuine label checked without fetching its report.",
        &genuine_qr,
        json!({ "problem": "not-attempted" }),
        "genuine-offline",
        "report-unavailable",
    );
    v.write(
        "fetch-network-error",
        "The report host cannot be reached.",
        &genuine_qr,
        json!({ "problem": "network" }),
        "genuine-offline",
        "report-unavailable",
    );
    v.write(
        "fetch-timeout",
        "The report host does not answer in time.",
        &genuine_qr,
        json!({ "problem": "timeout" }),
        "genuine-offline",
        "report-unavailable",
    );
    v.write(
        "fetch-redirected",
        "The report host redirects elsewhere.",
        &genuine_qr,
        json!({ "problem": "redirected" }),
        "cannot-check",
        "report-unavailable",
    );
    v.write(
        "fetch-too-large",
        "The report host sends more than 256 KiB.",
        &genuine_qr,
        json!({ "problem": "too-large" }),
        "cannot-check",
        "report-unavailable",
    );
    v.write(
        "fetch-wrong-type",
        "The report host sends an HTML page.",
        &genuine_qr,
        json!({ "problem": "wrong-content-type" }),
        "cannot-check",
        "report-unavailable",
    );

    // Hostile QR texts.
    v.write(
        "qr-too-long",
        "A code with 5,000 digits.",
        &format!("{base}#1{}", "7".repeat(5000)),
        Json::Null,
        "not-a-label",
        "not-a-label",
    );
    v.write(
        "qr-plain-text",
        "A code holding plain text.",
        "Hello from a payment terminal",
        Json::Null,
        "not-a-label",
        "not-a-label",
    );
    v.write(
        "qr-web-link",
        "A code holding an ordinary web link.",
        "https://shop.example/product/ax3000?ref=label",
        Json::Null,
        "not-a-label",
        "not-a-label",
    );
    v.write(
        "qr-javascript",
        "A code holding a javascript: URL.",
        "javascript:alert(document.cookie)//#1000",
        Json::Null,
        "not-a-label",
        "not-a-label",
    );
    v.write(
        "qr-http-link",
        "A label-shaped link over plain http to a public host.",
        &genuine_qr.replace("https://", "http://"),
        Json::Null,
        "not-a-label",
        "not-a-label",
    );
    v.write(
        "qr-userinfo-host",
        "A label-shaped link with user info hiding the real host.",
        &genuine_qr.replace("https://verify.example", "https://verify.example@evil.example"),
        Json::Null,
        "not-a-label",
        "not-a-label",
    );
    v.write(
        "qr-unknown-version",
        "A label link whose fragment starts with an unknown encoding version.",
        &genuine_qr.replacen("#1", "#2", 1),
        Json::Null,
        "not-genuine",
        "damaged-label-data",
    );
    v.write(
        "qr-bad-digit-count",
        "A label link with one digit removed.",
        &genuine_qr[..genuine_qr.len() - 1],
        Json::Null,
        "not-genuine",
        "damaged-label-data",
    );
    v.write(
        "qr-digit-group-out-of-range",
        "A 17-digit group larger than 7 bytes.",
        &format!("{base}#199999999999999999"),
        Json::Null,
        "not-genuine",
        "damaged-label-data",
    );

    // Hostile claims.
    v.write(
        "claim-not-cbor",
        "Label data that is not CBOR.",
        &link(&[0xff; 40]),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    v.write(
        "claim-indefinite-length",
        "An indefinite-length array.",
        &link(&[0x9f, 0x01, 0xff]),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    v.write(
        "claim-deep-nesting",
        "Arrays nested 300 deep.",
        &link(&[0x81; 300]),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    v.write(
        "claim-huge-length",
        "A byte string claiming 2^64-1 bytes.",
        &link(&[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    v.write(
        "claim-too-large",
        "A COSE_Sign1 of 1,500 bytes.",
        &link(&cbor::encode(&Value::Bytes(vec![0; 1500]))),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    v.write(
        "claim-truncated",
        "A genuine claim with its last 10 bytes cut.",
        &link(&cose[..cose.len() - 10]),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    let wrong_alg = with_items(&|it| {
        it[0] = Value::Bytes(cbor::encode(&Value::Map(vec![
            (Value::Uint(1), Value::Nint(6)),
            (Value::Uint(4), Value::Bytes(b"k1".to_vec())),
        ])))
    });
    v.write(
        "claim-wrong-algorithm",
        "A claim whose header says ES256 (alg -7).",
        &link(&wrong_alg),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    let unprotected_kid = with_items(&|it| it[1] = Value::Map(vec![(Value::Uint(4), Value::Bytes(b"k1".to_vec()))]));
    v.write(
        "claim-unprotected-header",
        "A claim with a key id in the unprotected header.",
        &link(&unprotected_kid),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    let extra_field = with_items(&|it| {
        let mut m = payload_map();
        m.push((Value::Uint(99), Value::Text("free shipping".into())));
        it[2] = Value::Bytes(cbor::encode(&Value::Map(m)));
    });
    v.write(
        "claim-unknown-field",
        "A claim with a field the format does not define.",
        &link(&extra_field),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    let dup_field = with_items(&|it| {
        let mut m = payload_map();
        m.push((Value::Uint(5), Value::Uint(3)));
        it[2] = Value::Bytes(cbor::encode(&Value::Map(m)));
    });
    v.write(
        "claim-duplicate-field",
        "A claim with the level twice (2, then 3).",
        &link(&dup_field),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    let short_sig = with_items(&|it| it[3] = Value::Bytes(vec![0; 63]));
    v.write(
        "claim-short-signature",
        "A claim with a 63-byte signature.",
        &link(&short_sig),
        Json::Null,
        "not-genuine",
        "malformed-claim",
    );
    let zero_sig = with_items(&|it| it[3] = Value::Bytes(vec![0; 64]));
    v.write(
        "claim-zero-signature",
        "A claim with an all-zero signature.",
        &link(&zero_sig),
        Json::Null,
        "not-genuine",
        "claim-signature-invalid",
    );

    // Hostile reports for the genuine label.
    let raw = |s: &str| json!({ "file": s });
    v.write(
        "report-empty",
        "An empty report file.",
        &genuine_qr,
        raw(""),
        "cannot-check",
        "report-unreadable",
    );
    v.write(
        "report-not-json",
        "An HTML page where the report should be.",
        &genuine_qr,
        raw("<html><body>Certified!</body></html>"),
        "cannot-check",
        "report-unreadable",
    );
    v.write(
        "report-not-utf8",
        "Bytes that are not UTF-8.",
        &genuine_qr,
        json!({ "file_base64": B64.encode([0xff, 0xfe, 0x00, 0x7b]) }),
        "cannot-check",
        "report-unreadable",
    );
    v.write(
        "report-deep-nesting",
        "JSON arrays nested 100,000 deep.",
        &genuine_qr,
        json!({ "repeat": "[", "times": 100000 }),
        "cannot-check",
        "report-unreadable",
    );
    v.write(
        "report-huge",
        "A report of 300,000 bytes.",
        &genuine_qr,
        json!({ "repeat": " ", "times": 300000 }),
        "cannot-check",
        "report-unreadable",
    );
    v.write(
        "report-key-list-as-report",
        "The key list served in place of the report (wrong typ).",
        &genuine_qr,
        file(&auth.join("keys.jws")),
        "cannot-check",
        "report-unreadable",
    );
    let alg = |a: &str| {
        let mut doc: Json = serde_json::from_str(genuine_file["file"].as_str().unwrap()).unwrap();
        doc["protected"] = B64
            .encode(json!({ "alg": a, "kid": "k1", "typ": jws::TYP_REPORT }).to_string())
            .into();
        json!({ "file": doc.to_string() })
    };
    v.write(
        "report-alg-none",
        "A report whose header says alg none.",
        &genuine_qr,
        alg("none"),
        "cannot-check",
        "report-unreadable",
    );
    v.write(
        "report-alg-hs256",
        "A report whose header says HS256.",
        &genuine_qr,
        alg("HS256"),
        "cannot-check",
        "report-unreadable",
    );

    // Signed by the demo's real key but with duplicate members: the signature holds, the JSON is refused.
    let k1: PrivateJwk = serde_json::from_slice(&std::fs::read(demo.join("private/k1.jwk")).unwrap()).unwrap();
    let k1 = k1.signing_key().unwrap();
    let payload = B64
        .decode(
            serde_json::from_str::<Json>(genuine_file["file"].as_str().unwrap()).unwrap()["payload"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
    let text = String::from_utf8(payload).unwrap();
    let dup = text.replacen("{", "{\"level\":3,", 1);
    let signed = jws::sign(dup.as_bytes(), "k1", jws::TYP_REPORT, &k1).unwrap();
    v.write(
        "report-duplicate-keys",
        "A signed report with the level member twice.",
        &genuine_qr,
        json!({ "file": String::from_utf8(signed).unwrap() }),
        "cannot-check",
        "report-unreadable",
    );
    let doubled =
        genuine_file["file"]
            .as_str()
            .unwrap()
            .replacen('{', &format!("{{\"payload\":\"{}\",", B64.encode(b"{}")), 1);
    v.write(
        "report-envelope-duplicate-payload",
        "The genuine signed report with a second, forged payload member placed first: a reader that keeps the first would see it.",
        &genuine_qr,
        json!({ "file": doubled }),
        "cannot-check",
        "report-unreadable",
    );
    let unknown_kid = jws::sign(text.as_bytes(), "k7", jws::TYP_REPORT, &k1).unwrap();
    v.write(
        "report-unknown-key",
        "The genuine report re-signed under a key id the authority never published.",
        &genuine_qr,
        json!({ "file": String::from_utf8(unknown_kid).unwrap() }),
        "not-genuine",
        "report-key-not-published",
    );
    let reserialized = jws::sign(text.as_bytes(), "k1", jws::TYP_REPORT, &k1).unwrap();
    v.write(
        "report-resigned-same-payload",
        "The genuine report payload signed again: the digest covers the payload only.",
        &genuine_qr,
        json!({ "file": String::from_utf8(reserialized).unwrap() }),
        "genuine",
        "report-verified",
    );
}
