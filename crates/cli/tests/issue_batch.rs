//! `labelcheck issue --batch`: bad rows named and skipped (or, strictly, nothing signed), every
//! label verifiable, the manifest, and the serial register's promise: a run killed half-way
//! and finished later issues no serial twice, later batches get serials of their own, a run
//! without the authority's register is refused, and a finished batch is never signed over.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::demo::{n, Authority};
use common::run;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const CSV: &str = "maker,model,level,units,serial,gtins,product.name,product.category,product.firmware_versions
Acme,Cam 1,2,25,,04012345678901,Cam 1,camera,1.0|1.1
Acme,Cam 2,3,,ACME-CAM2-X,,Cam 2,camera,2.0
Acme,Cam 3,7,3,,,Cam 3,camera,2.0
Acme,Plug,1,two,,,Plug,plug,0.9
Acme,Plug 2,1,,DEMO-00000005,,Plug,plug,0.9
Acme,Hub,1,12,,,Hub,hub,3.1
";

#[test]
fn good_rows_are_issued_and_bad_rows_named_by_line() {
    let a = Authority::new();
    std::fs::write(a.dir.join("batch.csv"), CSV).unwrap();
    let out = a.issue("batch.csv", "out", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "bad rows make exit code 1: {err}");
    assert!(err.contains("line 4: level 7 is not valid"), "{err}");
    assert!(err.contains("line 5: units: \"two\" is not a whole number"), "{err}");
    assert!(
        err.contains("line 6: serial DEMO-00000005 has the register's numbered form"),
        "{err}"
    );
    let labels = a.manifest("out");
    assert_eq!(labels.len(), 25 + 1 + 12);
    let serials: HashSet<&str> = labels.iter().map(|l| l["serial"].as_str().unwrap()).collect();
    assert_eq!(serials.len(), labels.len());
    assert!(serials.contains(n(1).as_str()) && serials.contains("ACME-CAM2-X"));
    // The given serial took the status number after the first row's: the next row's numbered
    // serials come after it.
    assert!(!serials.contains(n(26).as_str()), "a status number, not a serial");
    assert!(serials.contains(n(38).as_str()) && !serials.contains(n(39).as_str()));
    assert_eq!(labels[0]["line"], 2);
    assert!(labels[0]["qr_version"].as_i64().unwrap() >= 8);
    let csv = std::fs::read_to_string(a.dir.join("out/manifest.csv")).unwrap();
    assert!(csv.starts_with("line,serial,kid,qr_version,status,report,digest,qr_text\n"));
    assert!(
        labels.iter().all(|l| l["kid"] == "k1"),
        "the manifest names the signing key"
    );
    assert_eq!(csv.lines().count(), labels.len() + 1);
    a.verify_all("out");
}

#[test]
fn strict_stops_everything_before_anything_is_signed() {
    let a = Authority::new();
    std::fs::write(a.dir.join("batch.csv"), CSV).unwrap();
    let out = a.issue("batch.csv", "out", &["--strict"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("3 rows cannot be issued; nothing was reserved or signed (--strict)"),
        "{err}"
    );
    assert!(
        err.contains("line 4: level 7 is not valid"),
        "the rows are named: {err}"
    );
    assert!(!a.dir.join("out").exists(), "nothing written");
    let register = std::fs::read_to_string(a.dir.join("private/DEMO.serials")).unwrap();
    assert!(!register.contains("block"), "no serial reserved: {register}");
}

#[test]
fn json_lines_rows_are_reports_with_units_or_a_serial() {
    let a = Authority::new();
    let row = |extra: &str| {
        format!(
            r#"{{"maker":"Acme","model":"Lamp","level":1,"product":{{"name":"Lamp","category":"lamp","firmware_versions":["1"]}}{extra}}}"#
        )
    };
    let input = format!(
        "{}\n{}\n\n{}\n{}\n",
        row(r#","units":4"#),
        row(r#","serial":"LAMP-7.a""#),
        row(""),
        row(r#","serial":"LAMP/.hidden""#)
    );
    std::fs::write(a.dir.join("b.jsonl"), input).unwrap();
    let out = a.issue("b.jsonl", "out", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 4: give a serial, or units"), "{err}");
    assert!(err.contains("line 5: serial LAMP/.hidden is not valid"), "{err}");
    let labels = a.manifest("out");
    assert_eq!(labels.len(), 5);
    assert_eq!(labels[4]["serial"], "LAMP-7.a");
    assert_eq!(
        labels[4]["report"], "LAMP-7.a.jws",
        "where the key list's report_url points"
    );
    a.verify_all("out");
}

fn count_reports(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| {
        d.filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "jws"))
        })
        .count()
    })
}

#[test]
fn a_run_killed_half_way_finishes_without_a_duplicate_serial() {
    let a = Authority::new();
    let units = 40_000;
    std::fs::write(
        a.dir.join("big.csv"),
        format!("maker,model,level,units,product.name,product.category,product.firmware_versions\nAcme,Cam,2,{units},Cam,camera,1.0\n"),
    )
    .unwrap();
    let mut child = a
        .issue_command("big.csv", "out", &[])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once some labels are written, long before all are.
    let started = Instant::now();
    while count_reports(&a.dir.join("out")) < 2_000 {
        assert!(started.elapsed() < Duration::from_secs(120), "no labels written");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let written = count_reports(&a.dir.join("out"));
    assert!(written < units, "killed half-way ({written} written)");
    assert!(
        !a.dir.join("out/manifest.json").exists(),
        "no manifest for an unfinished run"
    );
    // What a crash can leave besides (a report cut short, a file half written beside it), and
    // what it cannot: another label's whole report under this serial's name, which stops the
    // run rather than being written over.
    std::fs::write(a.dir.join(format!("out/{}.jws", n(2))), "{\"payload\":\"eyJ").unwrap();
    std::fs::write(a.dir.join(format!("out/{}.jws.partial", n(3))), "{").unwrap();
    let other = std::fs::read(a.dir.join("public/demo/reports/DEMO-0001.jws")).unwrap();
    let fourth = a.dir.join(format!("out/{}.jws", n(4)));
    let kept = std::fs::read(&fourth).unwrap();
    std::fs::write(&fourth, &other).unwrap();
    let stopped = a.issue("big.csv", "out", &[]);
    assert_eq!(stopped.status.code(), Some(2));
    let err = String::from_utf8_lossy(&stopped.stderr);
    assert!(
        err.contains(&format!(
            "{0}.jws is a finished report of serial {0} that differs",
            n(4)
        )),
        "{err}"
    );
    assert_eq!(std::fs::read(&fourth).unwrap(), other, "never written over");
    std::fs::write(&fourth, kept).unwrap();
    let tenth = a.dir.join(format!("out/{}.jws", n(10)));
    let before = std::fs::read(&tenth).unwrap();

    let out = a.issue("big.csv", "out", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("done by an earlier run"), "{err}");
    let labels = a.manifest("out");
    assert_eq!(labels.len(), units);
    let serials: HashSet<&str> = labels.iter().map(|l| l["serial"].as_str().unwrap()).collect();
    assert_eq!(serials.len(), units, "no serial twice");
    let expected: HashSet<String> = (1..=units as u64).map(n).collect();
    assert_eq!(serials, expected.iter().map(String::as_str).collect());
    assert_eq!(
        std::fs::read(&tenth).unwrap(),
        before,
        "a finished label is kept, not signed again"
    );
    let texts = std::fs::read_to_string(a.dir.join("out/qr-texts.txt")).unwrap();
    assert_eq!(texts.lines().count(), units);
    assert_eq!(texts.lines().next(), labels[0]["qr_text"].as_str());
    let register = std::fs::read_to_string(a.dir.join("private/DEMO.serials")).unwrap();
    assert_eq!(
        register.matches("block ").count(),
        1,
        "the re-run used the batch's own serials: {register}"
    );

    // The same rows into another folder are another batch: new serials after every block.
    std::fs::write(
        a.dir.join("small.csv"),
        "maker,model,level,units,product.name,product.category,product.firmware_versions\nAcme,Cam,2,3,Cam,camera,1.0\n",
    )
    .unwrap();
    assert!(a.issue("small.csv", "out2", &[]).status.success());
    let next: Vec<String> = a
        .manifest("out2")
        .iter()
        .map(|l| l["serial"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(next, [n(40_001), n(40_002), n(40_003)]);
    // Spot checks that the finished labels verify, the repaired ones among them.
    let keep = [n(2), n(4), n(10), n(40_000)];
    let mut m: Value = serde_json::from_slice(&std::fs::read(a.dir.join("out/manifest.json")).unwrap()).unwrap();
    m["labels"]
        .as_array_mut()
        .unwrap()
        .retain(|l| keep.iter().any(|k| l["serial"] == k.as_str()));
    std::fs::write(a.dir.join("out/manifest.json"), m.to_string()).unwrap();
    a.verify_all("out");
}

#[test]
fn a_serial_twice_or_a_serial_of_an_earlier_batch_is_refused() {
    let a = Authority::new();
    let head = "maker,model,level,serial,product.name,product.category,product.firmware_versions\n";
    std::fs::write(
        a.dir.join("one.csv"),
        format!("{head}Acme,A,1,X/1,A,a,1\nAcme,A,1,X/1,A,a,1\n"),
    )
    .unwrap();
    let out = a.issue("one.csv", "out", &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3: serial X/1 appears twice"));
    assert!(
        a.dir.join("out/X/1.jws").is_file(),
        "a / in a serial makes a folder, as in the report URL"
    );
    std::fs::write(a.dir.join("two.csv"), format!("{head}Acme,A,1,X/1,A,a,1\n")).unwrap();
    let out = a.issue("two.csv", "out-b", &[]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 2: serial X/1 was issued by an earlier batch"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!a.dir.join("out-b").exists(), "nothing issued, nothing written");
}

/// A small batch issued, for printing.
fn issued(units: usize) -> Authority {
    let a = Authority::new();
    std::fs::write(
        a.dir.join("p.csv"),
        format!(
            "maker,model,level,units,product.name,product.category,product.firmware_versions\n\
             Acme,Cam,3,{units},Cam,camera,1.0\n"
        ),
    )
    .unwrap();
    assert!(a.issue("p.csv", "out", &[]).status.success());
    a
}

fn print(a: &Authority, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "print",
        "--manifest",
        "out/manifest.json",
        "--authority",
        "authority.json",
    ];
    args.extend_from_slice(extra);
    run(&args, &a.dir)
}

#[test]
fn a_printed_sheet_reads_back_label_by_label_as_the_serials_it_was_made_for() {
    let a = issued(18);
    let out = print(&a, &["--out", "sheets.pdf", "--check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("18 labels on 2 A4 sheet(s)"), "{err}");
    assert!(err.contains("Print check passed"), "{err}");
    assert!(err.contains("18 at 300 dpi, 18 at 150 dpi"), "{err}");
    let pdf = std::fs::read(a.dir.join("sheets.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // A run longer than a file's sheets is several files.
    let out = print(&a, &["--out", "run.pdf", "--sheets-per-file", "1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("18 labels on 2 A4 sheet(s) in "), "{err}");
    assert!(
        a.dir.join("run-0001.pdf").is_file() && a.dir.join("run-0002.pdf").is_file() && !a.dir.join("run.pdf").exists()
    );
    // Letter paper too, and labels sized up: the check reads them as well.
    let out = print(
        &a,
        &["--out", "letter.pdf", "--paper", "letter", "--width", "55", "--check"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_print_check_fails_when_the_print_cannot_be_read() {
    let a = issued(2);
    // Modules of 0.12 mm: at 150 dpi under a pixel each, which no phone would read either.
    let out = print(
        &a,
        &["--out", "tiny.pdf", "--width", "12", "--min-module", "0.12", "--check"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("The print check failed for 2 labels"), "{err}");
    assert!(
        err.contains(&format!("page 1, label {} at 150 dpi: no code could be read", n(1))),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(&a.dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("tiny"))
        .collect();
    assert!(
        left.is_empty(),
        "a print that failed its check is not left behind: {left:?}"
    );
}

#[test]
fn a_label_too_small_for_its_code_is_refused_with_the_width_that_works() {
    let a = issued(1);
    let out = print(&a, &["--out", "s.pdf", "--width", "20"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    let need: f32 = err
        .split("use at least ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{err}"));
    assert!(need > 20.0 && !a.dir.join("s.pdf").exists());
    let ok = print(&a, &["--out", "s.pdf", "--width", &need.to_string()]);
    let said = String::from_utf8_lossy(&ok.stderr);
    assert!(ok.status.success(), "{said}");
    assert!(said.contains("modules 0.33 mm (at least 0.33)"), "{said}");
}

#[test]
fn single_labels_come_as_pdf_and_svg_and_a_manifest_that_lies_is_refused() {
    let a = issued(2);
    let out = print(&a, &["--out", "art", "--single", "--check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = std::fs::read_to_string(a.dir.join(format!("art/{}.svg", n(2)))).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(&format!("No. {}", n(2))) && svg.contains("扫码验证"));
    assert!(
        svg.contains("DEMO - NOT A REAL CERTIFICATION"),
        "a demo authority's label says so"
    );
    let pdf = std::fs::read(a.dir.join(format!("art/{}.pdf", n(2)))).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let embedded = |key: &[u8]| pdf.windows(key.len()).filter(|w| *w == key).count();
    assert_eq!(embedded(b"/FontFile2"), 2, "a Latin and a Chinese font, embedded");
    // A manifest row whose QR text is another label's: what would print is not what it says.
    let mut m: Value = serde_json::from_slice(&std::fs::read(a.dir.join("out/manifest.json")).unwrap()).unwrap();
    let first = m["labels"][0]["qr_text"].clone();
    m["labels"][1]["qr_text"] = first;
    std::fs::write(a.dir.join("out/manifest.json"), m.to_string()).unwrap();
    let out = print(&a, &["--out", "x.pdf"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!(
        "The manifest's serial {} has the QR text of {}",
        n(2),
        n(1)
    )));
}

#[test]
fn without_the_authority_s_register_nothing_is_issued() {
    let a = Authority::new();
    std::fs::write(a.dir.join("p.csv"), SMALL).unwrap();
    let register = a.dir.join("private/DEMO.serials");
    let before = std::fs::read(&register).unwrap();
    // From another folder, naming no authority: refused, and said which option is missing.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::copy(a.dir.join("p.csv"), elsewhere.path().join("p.csv")).unwrap();
    let key = a.dir.join("private/k1.jwk");
    let out = common::labelcheck()
        .args([
            "issue",
            "--batch",
            "p.csv",
            "--key",
            key.to_str().unwrap(),
            "--out-dir",
            "out",
        ])
        .env_remove("LABELCHECK_AUTHORITY")
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--authority"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_dir(elsewhere.path()).unwrap().count() == 1,
        "nothing made there"
    );
    // The register moved away: refused, and no new register started in its place.
    std::fs::rename(&register, a.dir.join("moved.serials")).unwrap();
    let out = a.issue("p.csv", "out", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("There is no serial register at") && err.contains("labelcheck setup"),
        "{err}"
    );
    assert!(!register.exists() && !a.dir.join("out").exists());
    std::fs::rename(a.dir.join("moved.serials"), &register).unwrap();
    assert_eq!(std::fs::read(&register).unwrap(), before, "no serial issued");
    // The authority file read from another folder finds the same register: the numbering goes on.
    assert!(a.issue("p.csv", "out", &[]).status.success());
    let far = elsewhere.path().join("far-out");
    let out = common::labelcheck()
        .args(["issue", "--batch", "p.csv", "--defaults"])
        .arg(a.dir.join("defaults.json"))
        .args(["--key", key.to_str().unwrap(), "--out-dir", far.to_str().unwrap()])
        .env("LABELCHECK_AUTHORITY", a.dir.join("authority.json"))
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let m: Value = serde_json::from_slice(&std::fs::read(far.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["labels"][0]["serial"], n(4).as_str(), "after the first batch's three");
}

const SMALL: &str =
    "maker,model,level,units,product.name,product.category,product.firmware_versions\nAcme,Cam,2,3,Cam,camera,1.0\n";

/// Every report file of a folder and its bytes.
fn reports(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jws"))
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_finished_batch_run_again_with_a_rotated_key_is_refused_and_its_labels_stay_genuine() {
    let a = Authority::new();
    std::fs::write(
        a.dir.join("p.csv"),
        "maker,model,level,units,product.name,product.category,product.firmware_versions\nAcme,Cam,2,500,Cam,camera,1.0\n",
    )
    .unwrap();
    assert!(a.issue("p.csv", "out", &[]).status.success());
    let published = reports(&a.dir.join("out"));
    assert_eq!(published.len(), 500);
    // The rotation of docs/AUTHORITY.md: a new key takes over (its window reaching back far
    // enough for these rows' certification date); the old one's window ends now.
    a.keygen("k5");
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // The window ends at the next second: a batch issued this second was inside it.
    let now = labelcheck_core::Timestamp(secs as i64 + 1).to_string();
    a.resign_keys(|keys| {
        keys[0]["not_after"] = now.into();
        keys.push(serde_json::json!({"key_file": "k5.pub.json", "not_before": "2020-01-01T00:00:00Z", "not_after": "2099-01-01T00:00:00Z"}));
    });

    let out = a.issue("p.csv", "out", &["--key", "private/k5.jwk"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds another batch (signed with key k1); this run differs in: signing key"),
        "{err}"
    );
    assert_eq!(reports(&a.dir.join("out")), published, "no published report changed");
    a.verify_all("out");
    // The same rows with the new key into a new folder: a new batch, with new serials.
    let out = a.issue("p.csv", "out-k2", &["--key", "private/k5.jwk"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let labels = a.manifest("out-k2");
    assert_eq!(labels[0]["serial"], n(501).as_str());
    assert!(labels.iter().all(|l| l["kid"] == "k5"));
    a.verify_all("out-k2");
}

#[test]
fn defaults_dated_before_the_key_s_window_write_nothing_and_name_the_rows() {
    let a = Authority::new();
    let mut defaults: Value = serde_json::from_slice(&std::fs::read(a.dir.join("defaults.json")).unwrap()).unwrap();
    defaults["valid_from"] = "2015-03-01".into();
    std::fs::write(a.dir.join("old.json"), defaults.to_string()).unwrap();
    std::fs::write(a.dir.join("p.csv"), format!("{SMALL}Acme,Hub,1,2,Hub,hub,1.0\n")).unwrap();
    let out = a.issue("p.csv", "out", &["--defaults", "old.json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for line in [2, 3] {
        assert!(
            err.contains(&format!("line {line}: its labels would be refused: a verifier would say \"Not genuine\". The label is dated 2015-03-01, but key k1 was only valid from")),
            "{err}"
        );
    }
    assert!(!a.dir.join("out").exists(), "nothing written");
    let register = std::fs::read_to_string(a.dir.join("private/DEMO.serials")).unwrap();
    assert!(!register.contains("block"), "no serial reserved");
}

#[test]
fn issue_demo_and_print_draw_the_same_label() {
    let a = Authority::new();
    let jws: Value =
        serde_json::from_slice(&std::fs::read(a.dir.join("public/demo/reports/DEMO-0001.jws")).unwrap()).unwrap();
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(jws["payload"].as_str().unwrap())
        .unwrap();
    let mut report: Value = serde_json::from_slice(&payload).unwrap();
    report["serial"] = "SAME-1".into();
    std::fs::write(a.dir.join("one.json"), report.to_string()).unwrap();
    let out = run(
        &[
            "issue",
            "--authority",
            "authority.json",
            "--report",
            "one.json",
            "--key",
            "private/k1.jwk",
            "--out-dir",
            "single",
        ],
        &a.dir,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = run(
        &[
            "print",
            "--authority",
            "authority.json",
            "--manifest",
            "single/manifest.json",
            "--out",
            "art",
            "--single",
        ],
        &a.dir,
    );
    assert!(printed.status.success(), "{}", String::from_utf8_lossy(&printed.stderr));
    let issued = std::fs::read(a.dir.join("single/SAME-1.svg")).unwrap();
    assert_eq!(
        issued,
        std::fs::read(a.dir.join("art/SAME-1.svg")).unwrap(),
        "issue and print"
    );
    // The demo's genuine label, printed from a manifest of its QR text.
    let labels: Value = serde_json::from_slice(&std::fs::read(a.dir.join("labels.json")).unwrap()).unwrap();
    let genuine = labels["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["case"] == "genuine")
        .unwrap();
    let manifest = serde_json::json!({"labels": [{"line": 1, "serial": genuine["serial"], "kid": "k1", "qr_version": 0,
        "report": "reports/DEMO-0001.jws", "digest": "", "qr_text": genuine["qr"]}]});
    std::fs::write(a.dir.join("public/demo/manifest.json"), manifest.to_string()).unwrap();
    let printed = run(
        &[
            "print",
            "--authority",
            "authority.json",
            "--manifest",
            "public/demo/manifest.json",
            "--out",
            "demo-art",
            "--single",
            "--check",
        ],
        &a.dir,
    );
    assert!(printed.status.success(), "{}", String::from_utf8_lossy(&printed.stderr));
    assert_eq!(
        std::fs::read(a.dir.join("public/demo/labels/genuine.svg")).unwrap(),
        std::fs::read(a.dir.join("demo-art/DEMO-0001.svg")).unwrap(),
        "demo and print"
    );
}

#[test]
fn a_compromised_key_is_removed_and_its_products_reissued() {
    // docs/AUTHORITY.md, "When a signing key is compromised", step by step.
    let a = Authority::new();
    std::fs::write(
        a.dir.join("p.csv"),
        "maker,model,level,units,product.name,product.category,product.firmware_versions\nAcme,Cam,2,40,Cam,camera,1.0\nAcme,Hub,1,10,Hub,hub,2.0\n",
    )
    .unwrap();
    assert!(a.issue("p.csv", "out", &[]).status.success());
    let published = reports(&a.dir.join("out"));
    // 1. Every label the key signed is withdrawn as replaced, in one act.
    a.revoke(&["--key-id", "k1", "--reason", "superseded", "--date", "2026-12-04"]);
    // 2. The key leaves the key list; a new key is published in its place.
    a.keygen("k3");
    a.resign_keys(|keys| {
        keys.retain(|k| k["kid"] != "k1");
        keys.push(serde_json::json!({"key_file": "k3.pub.json", "not_before": "2020-01-01T00:00:00Z", "not_after": "2099-01-01T00:00:00Z"}));
    });
    let old = a.verdicts("out");
    assert_eq!(old.len(), 50);
    assert!(
        old.iter().all(|(v, code)| v == "revoked" && code == "revoked"),
        "every label of the compromised key reads revoked: {old:?}"
    );
    let said = a.verdict_words("out", "en");
    assert!(
        said.iter()
            .all(|w| w.contains("withdrawn on 2026-12-04") && w.contains("Ask the seller for the new label")),
        "{said:?}"
    );
    let said = a.verdict_words("out", "zh-CN");
    assert!(
        said.iter()
            .all(|w| w.contains("2026-12-04") && w.contains("请向卖家索取新的标识")),
        "{said:?}"
    );
    // The withdrawn key issues nothing more here (a forgery made with it elsewhere reads
    // revoked by the key's act: crates/core/tests/status.rs).
    std::fs::write(a.dir.join("more.csv"), "maker,model,level,units,product.name,product.category,product.firmware_versions\nAcme,Bulb,1,1,Bulb,bulb,1.0\n").unwrap();
    let refused = a.issue("more.csv", "more", &["--key", "private/k1.jwk"]);
    assert_ne!(refused.status.code(), Some(0));
    // 3. The affected serials, from the manifest's kid column.
    let affected: Vec<Value> = a.manifest("out").into_iter().filter(|l| l["kid"] == "k1").collect();
    assert_eq!(affected.len(), 50);
    // 4. Re-issued with the new key: the old folder refuses; a new batch gets new serials.
    let refused = a.issue("p.csv", "out", &["--key", "private/k3.jwk"]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(reports(&a.dir.join("out")), published, "no published report changed");
    let out = a.issue("p.csv", "out-reissued", &["--key", "private/k3.jwk"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let new: Vec<String> = a
        .manifest("out-reissued")
        .iter()
        .map(|l| l["serial"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(new.len(), 50);
    assert!(
        new.iter().all(|s| !affected.iter().any(|l| l["serial"] == s.as_str())),
        "new serials"
    );
    assert!(a.verdicts("out-reissued").iter().all(|(v, _)| v == "genuine"));
}

#[test]
fn a_bad_field_is_named_with_its_value() {
    let a = Authority::new();
    std::fs::write(
        a.dir.join("p.csv"),
        "maker,model,level,units,gtins,product.name,product.category,product.firmware_versions\n\
         Acme,Cam,2,1,4012345678902,Cam,camera,1.0\n\
         Acme,,2,1,,Cam,camera,1.0\n\
         Acme, Cam,2,1,,Cam,camera,1.0\n\
         Acme,Cam,2,1,,Cam,camera,1.0\n",
    )
    .unwrap();
    let out = a.issue("p.csv", "out", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2: gtins: 4012345678902 is not a valid GTIN"),
        "{err}"
    );
    assert!(
        err.contains("line 3: model is empty, and the defaults give none"),
        "{err}"
    );
    assert!(err.contains("line 4: model \" Cam\" is not valid"), "{err}");
    assert_eq!(a.manifest("out").len(), 1, "the good row is issued");
}
