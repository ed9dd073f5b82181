//! The `labelcheck` binary, run as users run it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{json_lines, run, stdout};
use labelcheck_testkit::serve::Server;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

fn demo(dir: &Path, origin: Option<&str>) -> Value {
    let mut args = vec!["demo", "demo"];
    if let Some(o) = origin {
        args.extend(["--origin", o]);
    }
    let out = run(&args, dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&std::fs::read(dir.join("demo/labels.json")).unwrap()).unwrap()
}

#[test]
fn every_demo_case_gets_its_verdict_from_qr_text_and_from_its_image() {
    let tmp = tempfile::tempdir().unwrap();
    let labels = demo(tmp.path(), None);
    let dir = tmp.path().join("demo");
    let cases = labels["labels"].as_array().unwrap();
    let names: Vec<&str> = cases.iter().map(|c| c["case"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "genuine",
            "genuine-3-star",
            "tampered-report",
            "tampered-claim",
            "swapped-report",
            "forged-key",
            "retired-key",
            "revoked",
            "withdrawn-product",
            "replaced",
            "expired",
            "unknown-authority",
            "not-a-label"
        ]
    );
    for c in cases {
        let expected = c["expected"].as_str().unwrap();
        let qr = c["qr"].as_str().unwrap();
        // From inside the demo folder no flag is needed: it carries its own configuration.
        let out = run(&["verify", "--json", qr], &dir);
        let got = json_lines(&out);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0]["input"], qr);
        assert_eq!(got[0]["verdict"], expected, "{}: {}", c["case"], got[0]);
        assert!(!got[0]["reasons"].as_array().unwrap().is_empty());
        assert_eq!(out.status.code(), Some(if expected == "genuine" { 0 } else { 1 }));
        let png = c["png"].as_str().unwrap();
        let from_image = json_lines(&run(&["verify", "--json", png], &dir));
        assert_eq!(from_image[0]["verdict"], expected, "{png}");
        assert_eq!(from_image[0]["qr_text"], qr);
        assert!(std::fs::read_to_string(dir.join(c["svg"].as_str().unwrap()))
            .unwrap()
            .starts_with("<svg"));
    }
    // Offline: the claim alone.
    let genuine = cases[0]["qr"].as_str().unwrap();
    let offline = json_lines(&run(&["verify", "--json", "--offline", genuine], &dir));
    assert_eq!(offline[0]["verdict"], "genuine-offline");
    let missing = run(&["verify", "--json", "--config", "nonexistent.json", genuine], &dir);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nonexistent.json"));
}

#[test]
fn demo_is_marked_and_keeps_its_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let first = demo(tmp.path(), None);
    let second = demo(tmp.path(), None);
    let qr = |v: &Value| v["labels"][0]["qr"].as_str().unwrap().to_owned();
    let dir = tmp.path().join("demo");
    // A label made by the first run still verifies after the second: same keys, newer lists.
    let out = json_lines(&run(&["verify", "--json", &qr(&first)], &dir));
    assert_eq!(out[0]["verdict"], "genuine");
    assert_eq!(out[0]["authority"]["demo"], true);
    assert_eq!(out[0]["authority"]["key_list_version"], 2);
    assert!(out[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "demo-authority"));
    assert!(!qr(&second).is_empty());
    let svg = std::fs::read_to_string(dir.join("public/demo/labels/genuine.svg")).unwrap();
    assert!(svg.contains("DEMO - NOT A REAL CERTIFICATION"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("private/root.jwk"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "private keys must be readable by the owner only");
    }
}

#[test]
fn decode_prints_the_texts_found_in_each_image() {
    let tmp = tempfile::tempdir().unwrap();
    let labels = demo(tmp.path(), None);
    let dir = tmp.path().join("demo");
    std::fs::write(dir.join("blank.txt"), "not an image").unwrap();
    let out = run(&["decode", "public/demo/labels/genuine.png", "blank.txt"], &dir);
    let lines = json_lines(&out);
    assert_eq!(lines[0]["texts"], json!([labels["labels"][0]["qr"]]));
    assert_eq!(lines[1]["texts"], json!([]));
    assert!(lines[1]["error"].as_str().unwrap().contains("blank.txt"));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn reports_are_fetched_over_http_with_limits() {
    let tmp = tempfile::tempdir().unwrap();
    let (listener, port) = Server::bind();
    let origin = format!("http://127.0.0.1:{port}");
    let labels = demo(tmp.path(), Some(&origin));
    let dir = tmp.path().join("demo");
    let _server = Server::start(listener, vec![dir.join("public")]);
    // No configuration: trust file only; lists and reports come over HTTP from the anchors' URLs.
    std::fs::remove_file(dir.join("labelcheck.json")).unwrap();
    let mut got = BTreeMap::new();
    for c in labels["labels"].as_array().unwrap() {
        let out = json_lines(&run(
            &[
                "verify",
                "--json",
                "--trust",
                "public/trust.json",
                c["qr"].as_str().unwrap(),
            ],
            &dir,
        ));
        got.insert(
            c["case"].as_str().unwrap().to_owned(),
            out[0]["verdict"].as_str().unwrap().to_owned(),
        );
        assert_eq!(out[0]["verdict"], c["expected"], "{}", c["case"]);
    }
    assert_eq!(got.len(), 13);
    // A missing report (HTTP 404) leaves the claim genuine offline.
    std::fs::remove_file(dir.join("public/demo/reports/DEMO-0001.jws")).unwrap();
    let genuine = labels["labels"][0]["qr"].as_str().unwrap();
    let out = json_lines(&run(
        &["verify", "--json", "--trust", "public/trust.json", genuine],
        &dir,
    ));
    assert_eq!(out[0]["verdict"], "genuine-offline");
    assert!(out[0]["reasons"][0]["message"].as_str().unwrap().contains("404"));
}

/// `labelcheck setup` with the files of an authority made in `d`: its authority file.
fn setup(d: &Path) -> std::process::Output {
    run(
        &[
            "setup",
            "--out",
            "authority.json",
            "--trust",
            "trust.json",
            "--key-list",
            "keys.jws",
            "--revocations",
            "rev.jws",
            "--register",
            "ACME.serials",
            "--serial-prefix",
            "AC-",
        ],
        d,
    )
}

#[test]
fn an_authority_issues_revokes_and_rotates() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let keygen = |kid: &str, file: &str| {
        let out = run(&["keygen", "--kid", kid, "--out", file], d);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let public: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(public.get("d").is_none(), "the private key must never be printed");
        std::fs::write(d.join(format!("{kid}.pub.json")), &out.stdout).unwrap();
        public
    };
    keygen("root", "root.jwk");
    keygen("s1", "s1.jwk");
    assert_eq!(
        run(&["keygen", "--kid", "s1", "--out", "s1.jwk"], d).status.code(),
        Some(2),
        "must not overwrite"
    );
    assert_eq!(
        run(&["keygen", "--kid", "no spaces", "--out", "x.jwk"], d)
            .status
            .code(),
        Some(2)
    );

    let list = json!({
        "authority": "ACME", "name": { "en": "Acme Certification", "zh": "Acme 认证" },
        "verifier": "https://verify.acme.example/", "report_hosts": ["reports.acme.example"],
        "report_url": "https://reports.acme.example/{serial}.jws",
        "revocations_url": "https://reports.acme.example/revocations.jws",
        "keys": [{ "key_file": "s1.pub.json", "not_before": "2020-01-01T00:00:00Z", "not_after": "2099-01-01T00:00:00Z" }],
        "programmes": [{ "id": 1, "code": "cn-cls", "name": { "en": "Cybersecurity Label", "zh": "网络安全标识" }, "levels": [1, 2, 3], "max_level": 3 }]
    });
    std::fs::write(d.join("list.json"), list.to_string()).unwrap();
    let sign_list = |extra: &[&str]| {
        run(
            &[
                &[
                    "keys",
                    "--input",
                    "list.json",
                    "--root",
                    "root.jwk",
                    "--out",
                    "keys.jws",
                ],
                extra,
            ]
            .concat(),
            d,
        )
    };
    // The first list: its version is not guessed.
    let first = sign_list(&[]);
    assert_eq!(first.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&first.stderr).contains("--version"),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(!d.join("keys.jws").exists());
    for extra in [&["--version", "1"][..], &[]] {
        let out = sign_list(extra);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let revoke = |extra: &[&str]| {
        run(
            &[&["revoke", "--list", "rev.jws", "--root", "root.jwk"], extra].concat(),
            d,
        )
    };
    let missing = revoke(&[]);
    assert_eq!(missing.status.code(), Some(2), "a list is made only with --new");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--new"));
    assert!(revoke(&["--new", "ACME"]).status.success());
    assert_eq!(revoke(&["--new", "ACME"]).status.code(), Some(2), "never made twice");
    std::fs::copy(d.join("rev.jws"), d.join("rev-v1.jws")).unwrap();

    // The trust file verifiers get, written from the root's public key and the key list.
    let given_key = run(&["verify", "--trust", "root.pub.json", "x"], d);
    assert!(String::from_utf8_lossy(&given_key.stderr).contains("is a public key, not a trust file"));
    let trust = |extra: &[&str]| {
        run(
            &[
                &["trust", "--root-key", "root.pub.json", "--key-list", "keys.jws"],
                &[
                    "--key-list-url",
                    "https://reports.acme.example/keys.jws",
                    "--out",
                    "trust.json",
                ][..],
                extra,
            ]
            .concat(),
            d,
        )
    };
    let wrong_root = run(
        &[
            "trust",
            "--root-key",
            "s1.pub.json",
            "--key-list",
            "keys.jws",
            "--key-list-url",
            "https://r.example/k.jws",
            "--out",
            "t.json",
        ],
        d,
    );
    assert_eq!(
        wrong_root.status.code(),
        Some(2),
        "the list must verify under the roots given"
    );
    assert!(trust(&[]).status.success());
    assert_eq!(trust(&[]).status.code(), Some(2), "never replaced silently");
    assert!(trust(&["--update"]).status.success());

    let report = json!({
        "authority": "ACME", "serial": "AC-26-0001", "programme": 1, "level": 2,
        "maker": "Example Devices 示例", "model": "EX-1 Camera", "valid_from": "2026-01-01", "valid_until": "2099-12-31",
        "product": { "name": "EX-1", "category": "camera", "firmware_versions": ["1.0.0"] },
        "standard": { "id": "STD", "title": "Baseline", "clauses": [{ "id": "1", "title": "Passwords", "result": "pass" }] },
        "test_lab": { "name": "Lab", "tested_on": "2025-12-01" },
        "support_until": "2030-12-31", "update_policy": "Monthly", "default_password": "Unique",
        "vulnerability_contact": "security@example.com"
    });
    std::fs::write(d.join("product.json"), report.to_string()).unwrap();
    let issue = |out_dir: &str, extra: &[&str]| {
        run(
            &[
                &[
                    "issue",
                    "--authority",
                    "authority.json",
                    "--report",
                    "product.json",
                    "--key",
                    "s1.jwk",
                ],
                &["--out-dir", out_dir][..],
                extra,
            ]
            .concat(),
            d,
        )
    };
    let unset = issue("out", &[]);
    assert_eq!(unset.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unset.stderr).contains("labelcheck setup"),
        "{}",
        String::from_utf8_lossy(&unset.stderr)
    );
    assert!(setup(d).status.success());
    assert_eq!(setup(d).status.code(), Some(2), "an authority file is never replaced");
    // Another authority's list is refused, not re-signed as this one's.
    let other = run(
        &["revoke", "--list", "other.jws", "--root", "root.jwk", "--new", "OTHER"],
        d,
    );
    assert!(other.status.success());
    let other = run(
        &[
            "revoke",
            "--authority",
            "authority.json",
            "--list",
            "other.jws",
            "--root",
            "root.jwk",
        ],
        d,
    );
    assert_eq!(other.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other.stderr).contains("is of authority OTHER, not ACME"));
    let out = issue("out", &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("QR version") && stderr.contains("error correction M"),
        "{stderr}"
    );
    let qr = stdout(&out).trim().to_owned();
    assert!(qr.starts_with("https://verify.acme.example/#1"));
    for ext in ["jws", "svg", "png", "txt"] {
        assert!(d.join(format!("out/AC-26-0001.{ext}")).is_file(), "{ext}");
    }
    let svg = std::fs::read_to_string(d.join("out/AC-26-0001.svg")).unwrap();
    assert!(svg.contains("No. AC-26-0001") && svg.contains("网络安全标识"));
    // The same label into another folder: its serial is the register's already.
    let again = issue("out-2", &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("AC-26-0001 was issued by an earlier batch"));
    // A report host the key list does not allow: refused before anything is signed.
    let mut second = report.clone();
    second["serial"] = json!("AC-26-0002");
    std::fs::write(d.join("product.json"), second.to_string()).unwrap();
    let elsewhere = issue("out-3", &["--report-url", "https://elsewhere.example/r.jws"]);
    assert_eq!(elsewhere.status.code(), Some(2));
    let said = String::from_utf8_lossy(&elsewhere.stderr);
    assert!(
        said.contains("elsewhere.example, which the authority does not list"),
        "{said}"
    );
    assert!(!d.join("out-3").exists(), "nothing written");

    let verify = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--json",
            "--trust",
            "trust.json",
            "--keys",
            "keys.jws",
            "--reports",
            "out",
        ];
        args.extend_from_slice(extra);
        args.push(&qr);
        let out = run(&args, d);
        (
            json_lines(&out).remove(0),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Without a revocation list the label's signature is good but its status is not confirmed.
    let (v, _) = verify(&[]);
    assert_eq!(v["verdict"], "cannot-check");
    assert_eq!(v["reasons"][0]["code"], "revocation-list-missing");
    assert_eq!(v["reasons"][1]["code"], "claim-verified");
    assert_eq!(verify(&["--revocations", "rev.jws"]).0["verdict"], "genuine");
    assert!(revoke(&[
        "--serial",
        "AC-26-0001",
        "--reason",
        "misuse",
        "--date",
        "2026-03-01",
        "--note",
        "Found on clones"
    ])
    .status
    .success());
    let again = revoke(&["--serial", "AC-26-0001"]);
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("1 serial was withdrawn already"),
        "already revoked: left as it was"
    );
    assert_eq!(revoke(&["--serial", "X", "--reason", "bored"]).status.code(), Some(2));
    let (v, _) = verify(&["--revocations", "rev.jws"]);
    assert_eq!(v["verdict"], "revoked");
    assert!(v["reasons"][0]["message"].as_str().unwrap().contains("2026-03-01"));
    // The old list (version 1) offered after the new one is refused: no rollback.
    let (v, stderr) = verify(&["--revocations", "rev.jws", "--revocations", "rev-v1.jws"]);
    assert_eq!(v["verdict"], "revoked");
    assert!(stderr.contains("older list (version 1)"), "{stderr}");

    // Retiring the key: its window now ended before the label's date.
    let mut retired = list.clone();
    retired["keys"][0]["not_after"] = json!("2025-06-01T00:00:00Z");
    std::fs::write(d.join("list.json"), retired.to_string()).unwrap();
    assert!(sign_list(&[]).status.success());
    let (v, _) = verify(&[]);
    assert_eq!(v["verdict"], "not-genuine");
    assert_eq!(v["reasons"][0]["code"], "key-not-valid-at-signing");
    assert_eq!(v["authority"], Value::Null);
    // An explicit version that goes backwards is refused by the signer too.
    let back = sign_list(&["--version", "2"]);
    assert_eq!(back.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&back.stderr).contains("not above version 3"));
    // A truncated list: the next version cannot be known, so it is asked for.
    std::fs::write(d.join("keys.jws"), "{\"payload\":\"eyJ2").unwrap();
    let cut = sign_list(&[]);
    assert_eq!(cut.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&cut.stderr).contains("cannot be read"));
    assert!(sign_list(&["--version", "4"]).status.success());
}

#[test]
fn clear_errors_and_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let out = run(&["verify", "https://verify.example/#1000"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("No trusted root keys"));
    std::fs::write(d.join("trust.json"), "{\"format\":1,\"anchors\":[],\"anchors\":[]}").unwrap();
    let out = run(&["verify", "--trust", "trust.json", "x"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("trust.json"));
    std::fs::write(d.join("trust.json"), "{\"format\":1,\"anchors\":[]}").unwrap();
    std::fs::write(d.join("photo.jpg"), [0xff, 0xd8, 0xff, 0x00, 0x01]).unwrap();
    let out = run(
        &[
            "verify",
            "--json",
            "--trust",
            "trust.json",
            "photo.jpg",
            "WIFI:S:cafe;;",
        ],
        d,
    );
    let lines = json_lines(&out);
    assert_eq!(lines[0]["verdict"], "cannot-check");
    assert_eq!(lines[0]["reasons"][0]["code"], "image-unreadable");
    assert_eq!(lines[1]["verdict"], "not-a-label");
    assert_eq!(out.status.code(), Some(1));
    let out = run(
        &[
            "issue",
            "--authority",
            "authority.json",
            "--report",
            "missing.json",
            "--key",
            "k",
            "--out-dir",
            "o",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));
}

#[test]
fn qr_prints_a_code_that_scans() {
    let text = "https://192.168.1.20:8443/";
    let out = run(&["qr", text], Path::new("."));
    assert!(out.status.success());
    let lines: Vec<Vec<char>> = stdout(&out).lines().map(|l| l.chars().collect()).collect();
    // Each character is two modules, top and bottom; blocks are light, blanks dark.
    let (scale, w, h) = (6, lines[0].len(), lines.len() * 2);
    let mut px = vec![0u8; w * scale * h * scale];
    for (row, line) in lines.iter().enumerate() {
        for (x, c) in line.iter().enumerate() {
            let (top, bottom) = match c {
                '█' => (255, 255),
                '▀' => (255, 0),
                '▄' => (0, 255),
                _ => (0, 0),
            };
            for (half, v) in [(0, top), (1, bottom)] {
                for dy in 0..scale {
                    for dx in 0..scale {
                        px[((row * 2 + half) * scale + dy) * w * scale + x * scale + dx] = v;
                    }
                }
            }
        }
    }
    let found = labelcheck_scan::decode(labelcheck_scan::Luma {
        width: w * scale,
        height: h * scale,
        pixels: &px,
    })
    .unwrap();
    assert_eq!(found, vec![text.to_owned()]);
}

#[test]
fn a_closed_output_ends_the_command_quietly() {
    // The reader is gone before the command writes (`labelcheck … | head` that already quit).
    let mut child = common::labelcheck()
        .args(["qr", "https://verify.example/#1000"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn verdicts_are_said_in_the_language_asked_for_or_the_locale_s() {
    let tmp = tempfile::tempdir().unwrap();
    let labels = demo(tmp.path(), None);
    let dir = tmp.path().join("demo");
    let revoked = labels["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["case"] == "revoked")
        .unwrap()["qr"]
        .as_str()
        .unwrap()
        .to_owned();
    let verify = |lang: Option<&str>, locale: &str| {
        let mut cmd = common::labelcheck();
        cmd.env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", locale)
            .current_dir(&dir)
            .args(["verify", "--offline"]);
        if let Some(l) = lang {
            cmd.args(["--lang", l]);
        }
        let out = cmd.arg(&revoked).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        stdout(&out)
    };
    let zh = verify(Some("zh-CN"), "C.UTF-8");
    assert!(zh.contains("已撤销") && zh.contains("被撤销"), "{zh}");
    let from_locale = verify(None, "zh_CN.UTF-8");
    assert_eq!(from_locale, zh);
    let en = verify(None, "C.UTF-8");
    assert!(
        en.contains("REVOKED") && en.contains("was revoked on") && !en.contains("已撤销"),
        "{en}"
    );
    let unknown = run(&["verify", "--lang", "tlh", &revoked], &dir);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--lang tlh"));
}
