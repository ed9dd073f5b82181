//! An inspector's batch, as a new user runs it: inputs from a pipe or a file, mistyped paths,
//! empty folders, the same photo twice, the report checked before any work, one summary whose
//! counts add up, and nothing said as confirmed that the verdict does not confirm.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::demo::Authority;
use common::{json_lines, labelcheck, run, stdout};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The demo's label of `case`: its QR text and the path of its PNG.
fn label(dir: &Path, case: &str) -> (String, String) {
    let text = std::fs::read_to_string(dir.join(format!("public/demo/labels/{case}.txt"))).unwrap();
    let png = dir.join(format!("public/demo/labels/{case}.png"));
    assert!(png.is_file());
    (text.trim().to_owned(), png.to_string_lossy().into_owned())
}

/// `labelcheck --lang en verify ARGS` in the demo folder (its `labelcheck.json`: trust, lists,
/// mirrors), standard input fed from `input`.
fn verify(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Output {
    let mut c = labelcheck();
    c.args(["--lang", "en", "verify"]).args(args).current_dir(dir);
    c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.unwrap_or_default().to_vec();
    // Written from a thread: the command's output must drain while a large input goes in.
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

#[test]
fn twenty_thousand_texts_through_a_pipe_are_one_batch_with_one_clone_check() {
    let a = Authority::new();
    std::fs::write(
        a.dir.join("many.csv"),
        "maker,model,level,units,product.name,product.category,product.firmware_versions\n\
         Acme,Plug,1,19999,Plug,plug,1.0\n",
    )
    .unwrap();
    let out = a.issue("many.csv", "many", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let texts = std::fs::read_to_string(a.dir.join("many/qr-texts.txt")).unwrap();
    let first = texts.lines().next().unwrap().to_owned();
    // A scanner's log: Windows line ends, a blank line, and the first label scanned again at
    // the end (a copy of it on another product).
    let mut log = texts.replace('\n', "\r\n");
    log.push_str("\r\n");
    log.push_str(&first);
    log.push_str("\r\n");
    assert_eq!(log.lines().filter(|l| !l.trim().is_empty()).count(), 20_000);

    let status = a.dir.join("public/demo/status/0.jws");
    let args = ["--offline", "--json", "--status", status.to_str().unwrap(), "-"];
    let out = verify(&a.dir, &args, Some(log.as_bytes()));
    assert_eq!(out.status.code(), Some(1), "the copy makes it 1: {}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 20_000);
    let genuine = lines.iter().filter(|l| l["verdict"] == "genuine-offline").count();
    assert_eq!(genuine, 20_000, "{}", stderr(&out));
    // One clone check over the whole batch: the last item is flagged with the first.
    let flagged: Vec<&Value> = lines
        .iter()
        .filter(|l| l["clone_of"].as_array().is_some_and(|c| !c.is_empty()))
        .collect();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0]["item"], 20_000);
    assert_eq!(flagged[0]["clone_of"], serde_json::json!([1]));
    // One summary.
    let err = stderr(&out);
    assert_eq!(err.matches("Summary:").count(), 1, "{err}");
    assert!(
        err.contains("Summary: 20000 items") || err.contains("Summary: 20,000 items"),
        "{err}"
    );
    assert!(err.contains("CLONED: serial"), "{err}");

    // The same log from a file, with a photo path among the lines.
    let (_, png) = label(&a.dir, "genuine");
    std::fs::write(a.dir.join("log.txt"), format!("{png}\n{}", log)).unwrap();
    let out = verify(
        &a.dir,
        &[
            "--offline",
            "--json",
            "--status",
            status.to_str().unwrap(),
            "--from",
            "log.txt",
        ],
        None,
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 20_001, "{}", stderr(&out));
    assert_eq!(lines[0]["input"], png.as_str());
}

#[test]
fn offline_still_reads_the_lists_a_local_trust_file_names() {
    let a = Authority::new();
    let (text, _) = label(&a.dir, "genuine");
    let elsewhere = tempfile::tempdir().unwrap();
    let trust = a.dir.join("public/trust.json");
    let status = a.dir.join("public/demo/status/0.jws");
    let out = run(
        &[
            "--lang",
            "en",
            "verify",
            "--json",
            "--offline",
            "--trust",
            trust.to_str().unwrap(),
            "--status",
            status.to_str().unwrap(),
            &text,
        ],
        elsewhere.path(),
    );
    let v = &json_lines(&out)[0];
    assert_eq!(v["verdict"], "genuine-offline", "{v} {}", stderr(&out));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_missing_path_an_unmatched_glob_or_an_empty_folder_is_said_before_any_work() {
    let a = Authority::new();
    let (text, _) = label(&a.dir, "genuine");
    std::fs::create_dir_all(a.dir.join("empty/sub")).unwrap();
    std::fs::write(a.dir.join("empty/sub/notes.txt"), "not a photo").unwrap();
    for (input, says) in [
        ("photos/IMG_0001.jpg", "no such file or folder"),
        ("IMG_0001.JPG", "no such file or folder"),
        ("shelf*.png", "no such file or folder"),
        ("empty", "no photos in this folder"),
    ] {
        let out = verify(&a.dir, &[&text, input], None);
        assert_eq!(out.status.code(), Some(2), "{input}");
        assert!(stderr(&out).contains(says), "{input}: {}", stderr(&out));
        assert!(stderr(&out).contains(input), "{input}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{input}: nothing is checked");
    }
    // Text that is no path is still judged as a code's text.
    let out = verify(&a.dir, &["hello world"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("NOT A LABEL"), "{}", stdout(&out));
    // Nothing at all to verify.
    let out = verify(&a.dir, &["-"], Some(b"\n\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Nothing to verify"), "{}", stderr(&out));
}

#[test]
fn the_same_photo_twice_is_one_item_not_a_clone() {
    let a = Authority::new();
    let (_, png) = label(&a.dir, "genuine");
    let folder = a.dir.join("public/demo/labels");
    // The file twice, and once more through a path of another spelling.
    let again = format!("{}/../labels/genuine.png", folder.display());
    let out = verify(&a.dir, &["--json", &png, &png, &again], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["verdict"], "genuine");
    // The same QR text twice is still two items: a copied label reads exactly the same.
    let (text, _) = label(&a.dir, "genuine");
    let out = verify(&a.dir, &["--json", &text, &text], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out)[1]["clone_of"], serde_json::json!([1]));
}

#[test]
fn the_report_is_checked_before_any_work_and_never_makes_a_folder() {
    let a = Authority::new();
    let (text, _) = label(&a.dir, "genuine");
    let out = verify(&a.dir, &["--report", "audit.txt", &text], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(".csv or .json"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "nothing is checked");
    let out = verify(&a.dir, &["--report", "missing/dir/audit.csv", &text], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(!a.dir.join("missing").exists(), "no folder is made");
}

#[test]
fn the_report_names_the_batch_on_every_row_and_says_clones_as_the_stream_does() {
    let a = Authority::new();
    let (genuine, _) = label(&a.dir, "genuine");
    let (three, _) = label(&a.dir, "genuine-3-star");
    let inputs = [genuine.as_str(), three.as_str(), genuine.as_str()];
    let mut args = vec!["--json", "--name", "Shelf 9, aisle 2", "--report", "a.csv"];
    args.extend(inputs);
    let out = verify(&a.dir, &args, None);
    let stream: Vec<Value> = json_lines(&out).iter().map(|l| l["clone_of"].clone()).collect();
    assert_eq!(
        stream,
        [serde_json::json!([]), serde_json::json!([]), serde_json::json!([1])]
    );
    let csv = std::fs::read_to_string(a.dir.join("a.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|c| c == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert_eq!(&row[column("audit")], "Shelf 9, aisle 2");
    }
    let said: Vec<&str> = rows.iter().map(|r| &r[column("clone_of")]).collect();
    assert_eq!(said, ["", "", "1"]);

    let mut args = vec!["--report", "a.json"];
    args.extend(inputs);
    let out = verify(&a.dir, &args, None);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&std::fs::read(a.dir.join("a.json")).unwrap()).unwrap();
    let said: Vec<Value> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["clone_of"].clone())
        .collect();
    assert_eq!(said, stream);
    assert_eq!(report["summary"]["clones"][0]["items"], serde_json::json!([1, 3]));
}

#[test]
fn the_summary_counts_items_and_they_add_up() {
    let a = Authority::new();
    let (text, png) = label(&a.dir, "genuine");
    let blank = a.dir.join("blank.png");
    image::GrayImage::from_pixel(300, 200, image::Luma([128]))
        .save(&blank)
        .unwrap();
    let (revoked, _) = label(&a.dir, "revoked");
    let out = verify(&a.dir, &[&png, blank.to_str().unwrap(), &revoked, &text], None);
    let said = stdout(&out);
    let summary = said.split("Summary:").nth(1).expect("a summary");
    let first = summary.lines().next().unwrap();
    assert!(first.contains(" 4 items from 2 photos"), "{first}");
    let counts: u64 = summary
        .lines()
        .nth(1)
        .unwrap()
        .split(" · ")
        .map(|c| c.trim().split(' ').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(counts, 4, "{summary}");
}

#[test]
fn only_a_genuine_label_is_compared_with_the_print_and_nothing_unconfirmed_is_said() {
    let a = Authority::new();
    let (genuine, _) = label(&a.dir, "genuine");
    let out = verify(&a.dir, &[&genuine], None);
    assert!(
        stdout(&out).contains("compare with the printed label"),
        "{}",
        stdout(&out)
    );
    for case in ["revoked", "tampered-claim", "expired"] {
        let (text, _) = label(&a.dir, case);
        let out = verify(&a.dir, &[&text], None);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            !stdout(&out).contains("compare with the printed label"),
            "{case}: {}",
            stdout(&out)
        );
    }
    // The demo's revocation list is fresh for 7 days and its key list for 30: 20 days on, the
    // revocation list is past its grace period; 60 days on, the key list too. Cannot check,
    // and no line says "not revoked".
    for days in [20, 60] {
        let at = days_from_now(days);
        let out = verify(&a.dir, &["--offline", "--at", &at, &genuine], None);
        let said = stdout(&out);
        assert!(said.contains(": CANNOT CHECK"), "{at}: {said}");
        assert!(!said.contains("Not revoked"), "{at}: {said}");
    }
}

/// `YYYY-MM-DDT12:00:00Z`, `days` from now (the civil calendar from days since 1970).
fn days_from_now(days: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let z = now / 86_400 + days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T12:00:00Z")
}
