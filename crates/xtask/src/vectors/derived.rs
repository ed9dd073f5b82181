//! Cases that need no private key of the committed test-vector authority: the format's
//! strictness rules (objects only where objects belong, `crit`/`b64` never, programme and
//! host rules, unique anchors and root key ids), white space around a QR text, and the edge
//! of the lists' grace period. List and trust-file cases carry their own trust file: a
//! throw-away authority from a fixed seed signs them, so they come out the same every run.

use super::Vectors;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use labelcheck_core::freshness::LIST_GRACE_SECS;
use labelcheck_core::jws::{self, TYP_KEY_LIST, TYP_REPORT, TYP_REVOCATIONS};
use labelcheck_core::Timestamp;
use labelcheck_testkit::Authority;
use serde_json::{json, Value};
use std::path::Path;

/// Names of the files this module writes: removed first, so a case taken out goes too.
const PREFIXES: [&str; 5] = ["strict-", "trust-", "keys-", "revocations-", "edge-"];

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn payload_of(jws_text: &str) -> Value {
    let env: Value = serde_json::from_str(jws_text).unwrap();
    serde_json::from_slice(&B64.decode(env["payload"].as_str().unwrap()).unwrap()).unwrap()
}

fn write_file_case(
    dir: &Path,
    name: &str,
    description: &str,
    kind: &str,
    trust: Option<&str>,
    file: &str,
    error: &str,
) {
    let mut v = json!({
        "description": description,
        "kind": kind,
        "file": file,
        "expect_error": error,
    });
    if let Some(t) = trust {
        v["trust"] = t.into();
    }
    let mut text = serde_json::to_string_pretty(&v).unwrap();
    text.push('\n');
    std::fs::write(dir.join(format!("{name}.json")), text).unwrap();
}

pub fn write(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") && PREFIXES.iter().any(|pre| name.starts_with(pre)) {
            std::fs::remove_file(p).unwrap();
        }
    }
    reports_and_texts(dir);
    lists(dir);
    trust_files(dir);
}

/// Cases for the committed authority's genuine label.
fn reports_and_texts(dir: &Path) {
    let genuine = read_json(&dir.join("demo-genuine.json"));
    let qr = genuine["qr"].as_str().unwrap();
    let report = genuine["report"]["file"].as_str().unwrap();
    let v = Vectors {
        dir: dir.to_path_buf(),
        now: genuine["now"].as_str().unwrap().to_owned(),
    };
    let envelope: Value = serde_json::from_str(report).unwrap();
    let (protected, payload, signature) = (
        envelope["protected"].as_str().unwrap(),
        envelope["payload"].as_str().unwrap(),
        envelope["signature"].as_str().unwrap(),
    );
    v.write(
        "strict-report-envelope-array",
        "The genuine report's three members as a JSON array: serde would fill the envelope from it; FORMAT.md §4 requires an object.",
        qr,
        json!({ "file": json!([protected, payload, signature]).to_string() }),
        "cannot-check",
        "report-unreadable",
    );
    let header_as = |header: Value| {
        let doc = json!({ "protected": B64.encode(header.to_string()), "payload": payload, "signature": signature });
        json!({ "file": doc.to_string() })
    };
    v.write(
        "strict-report-header-array",
        "A protected header that is a JSON array of the header's values.",
        qr,
        header_as(json!(["EdDSA", "k1", TYP_REPORT])),
        "cannot-check",
        "report-unreadable",
    );
    for member in ["crit", "b64"] {
        v.write(
            &format!("strict-report-header-{member}-null"),
            &format!("A protected header with \"{member}\": null, which MUST NOT appear whatever its value."),
            qr,
            header_as(json!({ "alg": "EdDSA", "kid": "k1", "typ": TYP_REPORT, member: null })),
            "cannot-check",
            "report-unreadable",
        );
    }
    v.write(
        "strict-qr-surrounding-white-space",
        "The genuine label link with spaces and a tab before it and a line end after it, as scanners and clipboards add: removed before classifying (FORMAT.md §2).",
        &format!(" \t{qr}\r\n"),
        json!({ "file": report }),
        "genuine",
        "report-verified",
    );
    v.write(
        "strict-qr-no-break-space",
        "The genuine label link after a no-break space: only space, tab, CR and LF are removed, so this is not a link.",
        &format!("\u{a0}{qr}"),
        Value::Null,
        "not-a-label",
        "not-a-label",
    );
    let revocations = std::fs::read_to_string(dir.join("authority/revocations.jws")).unwrap();
    let expires = Timestamp::parse(payload_of(&revocations)["expires"].as_str().unwrap()).unwrap();
    let edge = Vectors {
        dir: dir.to_path_buf(),
        now: expires.add_secs(LIST_GRACE_SECS).to_string(),
    };
    edge.write(
        "edge-revocations-expired-exactly-7-days",
        "Verified exactly 7 days after the revocation list expired: within the grace period, genuine with a caveat.",
        qr,
        json!({ "file": report }),
        "genuine",
        "revocation-list-expired",
    );
    let past = Vectors {
        dir: dir.to_path_buf(),
        now: expires.add_secs(LIST_GRACE_SECS + 1).to_string(),
    };
    past.write(
        "edge-revocations-expired-over-7-days",
        "Verified 7 days and 1 second after the revocation list expired: more than 7 days ago, so revocation status cannot be confirmed.",
        qr,
        json!({ "file": report }),
        "cannot-check",
        "revocation-list-too-old",
    );
}

/// A seeded authority whose key list and revocation list are altered before they are signed.
fn lists(dir: &Path) {
    let auth = Authority::new("STRICT", 40);
    let trust = serde_json::to_string_pretty(&auth.anchors()).unwrap();
    let sign = |payload: &Value, typ: &str| {
        String::from_utf8(jws::sign(payload.to_string().as_bytes(), "root", typ, &auth.root).unwrap()).unwrap()
    };
    let list = serde_json::to_value(auth.key_list(1)).unwrap();
    let keys_case = |name: &str, description: &str, edit: &dyn Fn(&mut Value), error: &str| {
        let mut doc = list.clone();
        edit(&mut doc);
        let file = sign(&doc, TYP_KEY_LIST);
        write_file_case(
            dir,
            &format!("keys-{name}"),
            description,
            "keys",
            Some(&trust),
            &file,
            error,
        );
    };
    keys_case(
        "payload-array",
        "A root-signed key list whose payload is an array of the list's values.",
        &|d| {
            let values: Vec<Value> = d.as_object().unwrap().values().cloned().collect();
            *d = Value::Array(values);
        },
        "not-an-object",
    );
    keys_case(
        "name-unknown-member",
        "The authority's name with a member other than en and zh.",
        &|d| d["name"]["fr"] = "Autorité".into(),
        "unknown-member",
    );
    keys_case(
        "programme-unknown-member",
        "A programme with a member the format does not define.",
        &|d| d["programmes"][0]["stars"] = 3.into(),
        "unknown-member",
    );
    keys_case(
        "programme-duplicate-id",
        "Two programmes with one id: which one a label means would depend on the order.",
        &|d| {
            let first = d["programmes"][0].clone();
            d["programmes"].as_array_mut().unwrap().push(first);
        },
        "duplicate-programme",
    );
    keys_case(
        "programme-id-too-large",
        "A programme id above 65535.",
        &|d| d["programmes"][0]["id"] = 70_000.into(),
        "programme-id",
    );
    keys_case(
        "programme-level-above-5",
        "A programme whose levels go up to 6 (levels are 0 to 5).",
        &|d| {
            d["programmes"][0]["levels"] = json!([1, 2, 3, 4, 5, 6]);
            d["programmes"][0]["max_level"] = 6.into();
        },
        "programme-levels",
    );
    keys_case(
        "programme-level-above-max-level",
        "A programme listing level 3 with a max_level of 2.",
        &|d| d["programmes"][0]["max_level"] = 2.into(),
        "programme-levels",
    );
    keys_case(
        "report-host-url",
        "A report host given as a URL instead of host[:port].",
        &|d| d["report_hosts"] = json!(["https://reports.example"]),
        "report-host",
    );
    keys_case(
        "report-host-upper-case",
        "A report host in upper case (FORMAT.md §5: lower case).",
        &|d| d["report_hosts"] = json!(["Reports.Example"]),
        "report-host",
    );
    keys_case(
        "revocations-url-not-a-url",
        "A revocations_url that is no https URL.",
        &|d| d["revocations_url"] = "revocations".into(),
        "revocations-url",
    );
    let good = sign(&list, TYP_KEY_LIST);
    let env: Value = serde_json::from_str(&good).unwrap();
    let as_array = json!([env["protected"], env["payload"], env["signature"]]).to_string();
    write_file_case(
        dir,
        "keys-envelope-array",
        "A valid key list's envelope as a JSON array.",
        "keys",
        Some(&trust),
        &as_array,
        "not-jws",
    );
    let header = B64.encode(json!({ "alg": "EdDSA", "kid": "root", "typ": TYP_KEY_LIST, "crit": null }).to_string());
    let crit = json!({ "protected": header, "payload": env["payload"], "signature": env["signature"] }).to_string();
    write_file_case(
        dir,
        "keys-header-crit-null",
        "A key list whose protected header has \"crit\": null.",
        "keys",
        Some(&trust),
        &crit,
        "unsupported-critical",
    );

    let revocations = payload_of(&String::from_utf8(auth.revocations_file(1, &["STRICT-1"])).unwrap());
    let rev_case = |name: &str, description: &str, edit: &dyn Fn(&mut Value), error: &str| {
        let mut doc = revocations.clone();
        edit(&mut doc);
        let file = sign(&doc, TYP_REVOCATIONS);
        write_file_case(
            dir,
            &format!("revocations-{name}"),
            description,
            "revocations",
            Some(&trust),
            &file,
            error,
        );
    };
    rev_case(
        "payload-array",
        "A root-signed revocation list whose payload is an array of its values.",
        &|d| {
            let values: Vec<Value> = d.as_object().unwrap().values().cloned().collect();
            *d = Value::Array(values);
        },
        "not-an-object",
    );
    rev_case(
        "invalid-serial",
        "A revocation entry whose serial has a space, which no serial has (FORMAT.md §1.1).",
        &|d| d["revoked"][0]["serial"] = "STRICT 1".into(),
        "serial",
    );
}

fn trust_files(dir: &Path) {
    let auth = Authority::new("STRICT", 40);
    let anchors = serde_json::to_value(auth.anchors()).unwrap();
    let case = |name: &str, description: &str, edit: &dyn Fn(&mut Value), error: &str| {
        let mut doc = anchors.clone();
        edit(&mut doc);
        let file = serde_json::to_string_pretty(&doc).unwrap();
        write_file_case(dir, &format!("trust-{name}"), description, "trust", None, &file, error);
    };
    case(
        "array",
        "A trust file that is a JSON array of its values.",
        &|d| *d = json!([1, d["anchors"].clone()]),
        "not-an-object",
    );
    case(
        "duplicate-authority",
        "Two anchors for one authority: a second set of root keys would be silently ignored.",
        &|d| {
            let mut second = d["anchors"][0].clone();
            second["root_keys"][0]["x"] = Authority::new("STRICT", 90).anchors().anchors[0].root_keys[0]
                .x
                .clone()
                .into();
            d["anchors"].as_array_mut().unwrap().push(second);
        },
        "duplicate-authority",
    );
    case(
        "duplicate-root-key-id",
        "Two root keys of one authority with the same key id.",
        &|d| {
            let mut other = Authority::new("STRICT", 90).anchors().anchors[0].root_keys[0].clone();
            other.kid = "root".into();
            d["anchors"][0]["root_keys"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::to_value(other).unwrap());
        },
        "duplicate-root-key",
    );
    case(
        "name-unknown-member",
        "An anchor's name with a member other than en and zh.",
        &|d| d["anchors"][0]["name"]["fr"] = "Autorité".into(),
        "unknown-member",
    );
    case(
        "root-key-unknown-member",
        "A root key with a JWK member the format does not define.",
        &|d| d["anchors"][0]["root_keys"][0]["use"] = "sig".into(),
        "unknown-member",
    );
}
