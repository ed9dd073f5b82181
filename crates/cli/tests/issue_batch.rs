//! `labelcheck issue --batch`: bad rows named and skipped (or, strictly, nothing signed), every
//! label verifiable, the manifest, and the serial register's promise: a run killed half-way
//! and finished later issues no serial twice, and later batches get serials of their own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{labelcheck, run};
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct Authority {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Authority {
    fn new() -> Authority {
        let tmp = tempfile::tempdir().unwrap();
        let out = run(&["demo", "demo"], tmp.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let dir = tmp.path().join("demo");
        // The report fields every row shares, taken from a demo report.
        let jws: Value =
            serde_json::from_slice(&std::fs::read(dir.join("public/demo/reports/DEMO-0001.jws")).unwrap()).unwrap();
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(jws["payload"].as_str().unwrap())
            .unwrap();
        let report: Value = serde_json::from_slice(&payload).unwrap();
        let shared: serde_json::Map<String, Value> = [
            "authority",
            "programme",
            "valid_from",
            "valid_until",
            "standard",
            "test_lab",
            "support_until",
            "update_policy",
            "default_password",
            "vulnerability_contact",
        ]
        .iter()
        .map(|k| (k.to_string(), report[*k].clone()))
        .collect();
        std::fs::write(dir.join("defaults.json"), Value::Object(shared).to_string()).unwrap();
        Authority { _tmp: tmp, dir }
    }

    /// `labelcheck issue --batch` with the demo authority's signing key, not yet run.
    fn issue_command(&self, batch: &str, out: &str, extra: &[&str]) -> std::process::Command {
        let mut c = labelcheck();
        c.args([
            "issue",
            "--batch",
            batch,
            "--defaults",
            "defaults.json",
            "--key",
            "private/k1.jwk",
        ])
        .args(["--keys", "public/demo/keys.jws", "--out-dir", out])
        .args(extra)
        .current_dir(&self.dir);
        c
    }

    fn issue(&self, batch: &str, out: &str, extra: &[&str]) -> std::process::Output {
        self.issue_command(batch, out, extra).output().unwrap()
    }

    fn manifest(&self, out: &str) -> Vec<Value> {
        let m: Value =
            serde_json::from_slice(&std::fs::read(self.dir.join(out).join("manifest.json")).unwrap()).unwrap();
        m["labels"].as_array().unwrap().clone()
    }

    /// Verifies every label of a folder with the command line, reports read from the folder.
    fn verify_all(&self, out: &str) {
        let texts: Vec<String> = self
            .manifest(out)
            .iter()
            .map(|l| l["qr_text"].as_str().unwrap().to_owned())
            .collect();
        let other = tempfile::tempdir().unwrap();
        let d = |p: &str| self.dir.join(p).to_string_lossy().into_owned();
        for chunk in texts.chunks(200) {
            let mut args = vec![
                "verify".to_owned(),
                "--json".into(),
                "--trust".into(),
                d("public/trust.json"),
                "--keys".into(),
                d("public/demo/keys.jws"),
                "--revocations".into(),
                d("public/demo/revocations.jws"),
                "--reports".into(),
                d(out),
            ];
            args.extend(chunk.iter().cloned());
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let o = run(&args, other.path());
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                let v: Value = serde_json::from_str(line).unwrap();
                assert_eq!(v["verdict"], "genuine", "{line}");
            }
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
    }
}

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
    assert!(err.contains("line 4: level 7 does not exist"), "{err}");
    assert!(err.contains("line 5: units: \"two\" is not a whole number"), "{err}");
    assert!(
        err.contains("line 6: serial DEMO-00000005 has the register's numbered form"),
        "{err}"
    );
    let labels = a.manifest("out");
    assert_eq!(labels.len(), 25 + 1 + 12);
    let serials: HashSet<&str> = labels.iter().map(|l| l["serial"].as_str().unwrap()).collect();
    assert_eq!(serials.len(), labels.len());
    assert!(serials.contains("DEMO-00000001") && serials.contains("ACME-CAM2-X"));
    assert!(serials.contains("DEMO-00000037") && !serials.contains("DEMO-00000038"));
    assert_eq!(labels[0]["line"], 2);
    assert!(labels[0]["qr_version"].as_i64().unwrap() >= 8);
    let csv = std::fs::read_to_string(a.dir.join("out/manifest.csv")).unwrap();
    assert!(csv.starts_with("line,serial,kid,qr_version,report,digest,qr_text\n"));
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 bad row(s) in batch.csv; nothing was signed (--strict)"));
    let files = std::fs::read_dir(a.dir.join("out")).map_or(0, |d| d.count());
    assert_eq!(files, 0);
    let register = std::fs::read_to_string(a.dir.join("DEMO.serials")).unwrap_or_default();
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
    assert!(
        err.contains("line 5: serial LAMP/.hidden: a part between slashes"),
        "{err}"
    );
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
    // What a crash can leave besides: a report cut short, a file half written beside it, and
    // another label's report under this serial's name.
    std::fs::write(a.dir.join("out/DEMO-00000002.jws"), "{\"payload\":\"eyJ").unwrap();
    std::fs::write(a.dir.join("out/DEMO-00000003.jws.partial"), "{").unwrap();
    let k0 = std::fs::read(a.dir.join("public/demo/reports/DEMO-0001.jws")).unwrap();
    std::fs::write(a.dir.join("out/DEMO-00000004.jws"), k0).unwrap();
    let before = std::fs::read(a.dir.join("out/DEMO-00000010.jws")).unwrap();

    let out = a.issue("big.csv", "out", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("done by an earlier run"), "{err}");
    let labels = a.manifest("out");
    assert_eq!(labels.len(), units);
    let serials: HashSet<&str> = labels.iter().map(|l| l["serial"].as_str().unwrap()).collect();
    assert_eq!(serials.len(), units, "no serial twice");
    let expected: HashSet<String> = (1..=units).map(|n| format!("DEMO-{n:08}")).collect();
    assert_eq!(serials, expected.iter().map(String::as_str).collect());
    assert_eq!(
        std::fs::read(a.dir.join("out/DEMO-00000010.jws")).unwrap(),
        before,
        "a finished label is kept, not signed again"
    );
    let texts = std::fs::read_to_string(a.dir.join("out/qr-texts.txt")).unwrap();
    assert_eq!(texts.lines().count(), units);
    assert_eq!(texts.lines().next(), labels[0]["qr_text"].as_str());
    let register = std::fs::read_to_string(a.dir.join("DEMO.serials")).unwrap();
    assert_eq!(
        register.matches("block ").count(),
        4,
        "the re-run used its own blocks: {register}"
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
    assert_eq!(next, ["DEMO-00040001", "DEMO-00040002", "DEMO-00040003"]);
    // Spot checks that the finished labels verify, the repaired ones among them.
    let keep = ["DEMO-00000002", "DEMO-00000004", "DEMO-00000010", "DEMO-00040000"];
    let mut m: Value = serde_json::from_slice(&std::fs::read(a.dir.join("out/manifest.json")).unwrap()).unwrap();
    m["labels"]
        .as_array_mut()
        .unwrap()
        .retain(|l| keep.contains(&l["serial"].as_str().unwrap()));
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
    assert_eq!(a.manifest("out-b").len(), 0);
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
        "--keys",
        "public/demo/keys.jws",
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
    assert!(err.contains("18 label(s) on 2 A4 sheet(s)"), "{err}");
    assert!(err.contains("print check passed"), "{err}");
    assert!(err.contains("18 at 300 dpi, 18 at 150 dpi"), "{err}");
    let pdf = std::fs::read(a.dir.join("sheets.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // A run longer than a file's sheets is several files.
    let out = print(&a, &["--out", "run.pdf", "--sheets-per-file", "1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("18 label(s) on 2 A4 sheet(s) in "), "{err}");
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
    assert!(err.contains("the print check failed for 2 label(s)"), "{err}");
    assert!(
        err.contains("page 1, label DEMO-00000001 at 150 dpi: no code could be read"),
        "{err}"
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
    let svg = std::fs::read_to_string(a.dir.join("art/DEMO-00000002.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("No. DEMO-00000002") && svg.contains("扫码验证"));
    assert!(
        svg.contains("DEMO - NOT A REAL CERTIFICATION"),
        "a demo authority's label says so"
    );
    let pdf = std::fs::read(a.dir.join("art/DEMO-00000002.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let embedded = |key: &[u8]| pdf.windows(key.len()).filter(|w| *w == key).count();
    assert_eq!(embedded(b"/FontFile2"), 2, "a Latin and a Chinese font, embedded");
    // A manifest row whose QR text is another label's: what would print is not what it says.
    let mut m: Value = serde_json::from_slice(&std::fs::read(a.dir.join("out/manifest.json")).unwrap()).unwrap();
    let first = m["labels"][0]["qr_text"].clone();
    m["labels"][1]["qr_text"] = first;
    std::fs::write(a.dir.join("out/manifest.json"), m.to_string()).unwrap();
    let out = print(&a, &["--out", "x.pdf"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("manifest serial DEMO-00000002 has the QR text of DEMO-00000001")
    );
}
