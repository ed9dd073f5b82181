//! Withdrawing certifications as a programme does (docs/AUTHORITY.md, "Withdrawing labels"):
//! a product, a batch, a signing key's labels and single serials, each one `labelcheck revoke`
//! act; every label it covers reads *revoked* with the act's date and reason in English and
//! Chinese, the labels it does not cover stay genuine, and a withdrawn product is not issued
//! again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::demo::{n, Authority};
use common::run;
use serde_json::Value;

const PRODUCTS: &str = "maker,model,level,units,product.name,product.category,product.firmware_versions
Acme,Cam 1,2,6,Cam 1,camera,1.0
Acme,Hub,1,4,Hub,hub,2.0
";

/// The demo authority with one batch of `PRODUCTS` issued into `out`.
fn issued() -> Authority {
    let a = Authority::new();
    std::fs::write(a.dir.join("p.csv"), PRODUCTS).unwrap();
    let out = a.issue("p.csv", "out", &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    a
}

/// Every label of `folder` verified in `lang`, with the lists as published: (model, serial,
/// verdict, the deciding reason's words).
fn verified(a: &Authority, folder: &str, lang: &str) -> Vec<(String, String, String, String)> {
    let labels = a.manifest(folder);
    let lines = a.verified(folder, lang);
    assert_eq!(lines.len(), labels.len());
    // PRODUCTS' rows: line 2 is the camera, line 3 the hub.
    let model = |l: &Value| if l["line"] == 3 { "Hub" } else { "Cam 1" }.to_owned();
    labels
        .iter()
        .zip(lines)
        .map(|(l, v)| {
            (
                model(l),
                l["serial"].as_str().unwrap().to_owned(),
                v["verdict"].as_str().unwrap().to_owned(),
                v["reasons"][0]["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Checks each label: `revoked(model, serial)` says which must read revoked; those read
/// revoked with every one of `en` and `zh` in their first reason, the others genuine.
fn expect(a: &Authority, folder: &str, revoked: impl Fn(&str, &str) -> bool, en: &[&str], zh: &[&str]) {
    for (lang, words) in [("en", en), ("zh-CN", zh)] {
        for (model, serial, verdict, why) in verified(a, folder, lang) {
            if revoked(&model, &serial) {
                assert_eq!(verdict, "revoked", "{model} {serial}: {why}");
                for w in words {
                    assert!(why.contains(w), "{lang} {model} {serial}: {why:?} lacks {w:?}");
                }
            } else {
                assert_eq!(verdict, "genuine", "{model} {serial}: {why}");
            }
        }
    }
}

#[test]
fn a_withdrawn_product_reads_revoked_and_is_not_issued_again() {
    let a = issued();
    a.revoke(&[
        "--maker",
        "Acme",
        "--model",
        "Cam 1",
        "--date",
        "2026-12-01",
        "--note",
        "Re-test failed",
    ]);
    expect(
        &a,
        "out",
        |model, _| model == "Cam 1",
        &["revoked on 2026-12-01", "withdrawn by the authority", "Re-test failed"],
        &["2026-12-01", "撤回", "Re-test failed"],
    );
    // The same product in a new batch: its row is refused and named; the other is issued.
    let again = a.issue("p.csv", "out-2", &[]);
    assert_eq!(again.status.code(), Some(1));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("line 2: Acme Cam 1 was withdrawn on 2026-12-01"), "{err}");
    let models: Vec<(String, String, String, String)> = verified(&a, "out-2", "en");
    assert_eq!(models.len(), 4);
    assert!(models.iter().all(|(m, _, v, _)| m == "Hub" && v == "genuine"));
    // Once is enough: the act is not repeated.
    let twice = run(
        &[
            "revoke",
            "--authority",
            "authority.json",
            "--root",
            "private/root.jwk",
            "--maker",
            "Acme",
            "--model",
            "Cam 1",
        ],
        &a.dir,
    );
    assert!(!twice.status.success());
}

#[test]
fn a_withdrawn_batch_reads_revoked_and_the_next_batch_of_the_same_product_is_genuine() {
    let a = issued();
    let second = a.issue("p.csv", "out-2", &[]);
    assert!(second.status.success());
    a.revoke(&["--batch", "out", "--reason", "misuse", "--date", "2026-12-02"]);
    expect(
        &a,
        "out",
        |_, _| true,
        &["revoked on 2026-12-02", "misuse"],
        &["2026-12-02", "冒用"],
    );
    expect(&a, "out-2", |_, _| false, &[], &[]);
}

#[test]
fn single_serials_read_revoked_and_a_second_withdrawal_leaves_them_as_they_were() {
    let a = issued();
    let one = n(2);
    let out = a.revoke(&[
        "--serial",
        &one,
        "--reason",
        "misuse",
        "--date",
        "2026-12-03",
        "--note",
        "Cloned label",
    ]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("1 label withdrawn"), "{said}");
    expect(
        &a,
        "out",
        |_, serial| serial == one,
        &["revoked on 2026-12-03", "Cloned label"],
        &["2026-12-03", "Cloned label"],
    );
    let again = a.revoke(&["--serial", &one, "--serial", &n(3)]);
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains(&format!("withdrawn already and is left as it was: {one}")),
        "{said}"
    );
    expect(&a, "out", |_, serial| serial == one || serial == n(3), &[], &[]);
}

#[test]
fn an_inspector_takes_every_list_along_and_checks_offline_and_a_host_serving_an_older_copy_takes_nothing_back() {
    let a = issued();
    a.revoke(&["--maker", "Acme", "--model", "Hub", "--date", "2026-12-01"]);
    let kept = a.dir.join("inspector");
    let fetch = || {
        let out = run(&["--lang", "en", "lists", "--out", "inspector"], &a.dir);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let said = fetch();
    assert!(said.contains("3 newer lists"), "{said}");
    let mut names: Vec<String> = std::fs::read_dir(&kept)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["DEMO.keys.jws", "DEMO.revocations.jws", "DEMO.status-0.jws"]);
    // In the warehouse: no network, no report, only the folder.
    let check = |texts: &[String]| -> Vec<String> {
        let trust = a.dir.join("public/trust.json").to_string_lossy().into_owned();
        let lists = kept.to_string_lossy().into_owned();
        let mut args = vec!["verify", "--json", "--offline", "--trust", &trust, "--lists", &lists];
        args.extend(texts.iter().map(String::as_str));
        let o = run(&args, tempfile::tempdir().unwrap().path());
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["verdict"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let labels = a.manifest("out");
    let texts: Vec<String> = labels
        .iter()
        .map(|l| l["qr_text"].as_str().unwrap().to_owned())
        .collect();
    let want: Vec<&str> = labels
        .iter()
        .map(|l| if l["line"] == 3 { "revoked" } else { "genuine-offline" })
        .collect();
    assert_eq!(check(&texts), want);
    // The host goes back to an older status list: the folder keeps the newer one.
    let published = a.dir.join("public/demo/status/0.jws");
    let older = std::fs::read(&published).unwrap();
    a.revoke(&[]);
    assert!(
        fetch().contains("2 newer lists"),
        "the revocation list and the partition"
    );
    let newer = std::fs::read(kept.join("DEMO.status-0.jws")).unwrap();
    std::fs::write(&published, &older).unwrap();
    let out = run(&["--lang", "en", "lists", "--out", "inspector"], &a.dir);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("older"), "the refusal says why: {said}");
    assert_eq!(std::fs::read(kept.join("DEMO.status-0.jws")).unwrap(), newer);
    assert_eq!(check(&texts), want);
}
