//! A batch stopped at any point — between writing a report and renaming it into place, between
//! a reservation and the first label, in the middle of the manifest — and run again: exactly
//! the planned serials, each once, every label genuine to the core's verifier, no finished
//! report changed, nothing half-written left behind.
//!
//! The run that is stopped is a child process (this test binary, running the ignored test
//! `stopped_child`), aborted at its Nth durable step as a kill would stop it: no unwinding, no
//! destructors, nothing flushed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_authority::authority::{init, AuthorityFile, AUTHORITY_FILE_FORMAT};
use labelcheck_authority::batch::{self, Request};
use labelcheck_authority::durable::testing;
use labelcheck_authority::key::{write_private_key, Key};
use labelcheck_authority::manifest;
use labelcheck_authority::rows::Kind;
use labelcheck_authority::Authority;
use labelcheck_core::jwk::PrivateJwk;
use labelcheck_core::Timestamp;
use labelcheck_testkit::{report, ts, Authority as TestAuthority};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const ROWS: &str =
    "maker,model,level,units,serial\nAcme,Cam 1,2,120,\nAcme,Cam 2,3,,ACME-X1\nAcme,Hub,1,90,\nAcme,Lamp,1,,ACME-X2\n";
const LABELS: usize = 120 + 1 + 90 + 1;

fn now() -> Timestamp {
    ts("2026-06-15T12:00:00Z")
}

/// An authority with its files, its register and a batch's input, in `dir`.
fn setup(dir: &Path) {
    let t = TestAuthority::new("DEMO", 40);
    std::fs::write(dir.join("trust.json"), serde_json::to_vec(&t.anchors()).unwrap()).unwrap();
    std::fs::write(dir.join("keys.jws"), t.key_list_file(1)).unwrap();
    std::fs::write(dir.join("revocations.jws"), t.revocations_file(1, &[])).unwrap();
    write_private_key(&dir.join("k1.jwk"), &PrivateJwk::from_key("k1", &t.k1)).unwrap();
    let file = AuthorityFile {
        format: AUTHORITY_FILE_FORMAT,
        authority: "DEMO".into(),
        trust: "trust.json".into(),
        key_list: "keys.jws".into(),
        revocations: "revocations.jws".into(),
        status: Some("status".into()),
        register: "DEMO.serials".into(),
    };
    init(&dir.join("authority.json"), &file, Some("DEMO-"), now()).unwrap();
    let mut defaults = serde_json::to_value(report("X", 1)).unwrap();
    for member in ["serial", "level", "maker", "model", "issued_at"] {
        defaults.as_object_mut().unwrap().remove(member);
    }
    std::fs::write(dir.join("defaults.json"), defaults.to_string()).unwrap();
    std::fs::write(dir.join("rows.csv"), ROWS).unwrap();
}

fn issue(dir: &Path) -> labelcheck_authority::Result<batch::Outcome> {
    let authority = Authority::load(&dir.join("authority.json"), now())?;
    let key = Key::open(
        &dir.join("k1.jwk").to_string_lossy(),
        &labelcheck_authority::pkcs11::TokenAccess {
            default_module: None,
            pin: &|| None,
        },
    )?;
    let input = std::fs::read(dir.join("rows.csv")).unwrap();
    let defaults = std::fs::read(dir.join("defaults.json")).unwrap();
    let out = dir.join("out");
    batch::issue(
        &authority,
        &key,
        &Request {
            input: &input,
            kind: Kind::Csv,
            defaults: Some(&defaults),
            out_dir: &out,
            report_location: None,
            strict: true,
            artwork: None,
        },
        &(),
    )
}

/// The child: issues the batch in `CRASH_DIR`, stopping at step `CRASH_AT` (0: never; then
/// it writes how many steps a whole run takes).
#[test]
#[ignore = "run by a_run_stopped_at_any_step_is_finished_exactly_by_the_next"]
fn stopped_child() {
    let Some(dir) = std::env::var_os("CRASH_DIR").map(PathBuf::from) else {
        return;
    };
    let at: u64 = std::env::var("CRASH_AT").unwrap().parse().unwrap();
    testing::stop_at(at);
    issue(&dir).unwrap();
    if at == 0 {
        std::fs::write(dir.join("steps"), testing::passed().to_string()).unwrap();
    }
}

fn child(dir: &Path, at: u64) -> std::process::ExitStatus {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "stopped_child",
            "--test-threads=1",
            "--quiet",
            "--nocapture",
        ])
        .env("CRASH_DIR", dir)
        .env("CRASH_AT", at.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap()
}

/// Every file under `dir` and its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.insert(p.clone(), std::fs::read(&p).unwrap());
        }
    }
    out
}

/// A whole report: what a verifier could fetch once the file is published.
fn whole(bytes: &[u8]) -> bool {
    labelcheck_core::jws::Jws::parse(bytes, 1 << 18, labelcheck_core::jws::TYP_REPORT)
        .is_ok_and(|j| labelcheck_core::Report::parse(&j.payload).is_ok())
}

/// A small generator, for points spread over the run that are the same every time.
fn points(total: u64, n: usize) -> Vec<u64> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out: Vec<u64> = (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            1 + x % total
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[test]
fn a_run_stopped_at_any_step_is_finished_exactly_by_the_next() {
    let template = tempfile::tempdir().unwrap();
    setup(template.path());
    // A whole run, to count its steps and know what it makes.
    let whole_run = tempfile::tempdir().unwrap();
    copy(template.path(), whole_run.path());
    assert!(child(whole_run.path(), 0).success());
    let total: u64 = std::fs::read_to_string(whole_run.path().join("steps"))
        .unwrap()
        .parse()
        .unwrap();
    let expected = manifest::read(&whole_run.path().join("out/manifest.json")).unwrap();
    assert_eq!(expected.len(), LABELS);
    let serials: HashSet<String> = expected.iter().map(|e| e.serial.clone()).collect();
    // Each kind of step early in the run (the reservation, the first report written but not
    // renamed, synced but not renamed, renamed, the folder synced), then points over all of it.
    let mut at: Vec<u64> = (1..=12).collect();
    at.extend(points(total, 24));
    at.push(total);
    at.sort_unstable();
    at.dedup();
    assert!(at.len() >= 20, "{at:?}");
    for n in at {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        copy(template.path(), dir);
        let status = child(dir, n);
        assert!(!status.success() || n > total, "stopped at step {n} of {total}");
        let before: BTreeMap<PathBuf, Vec<u8>> = files(&dir.join("out"))
            .into_iter()
            .filter(|(p, b)| p.extension().is_some_and(|e| e == "jws") && whole(b))
            .collect();
        let outcome = issue(dir).unwrap_or_else(|e| panic!("after a stop at step {n}: {e}"));
        assert_eq!(outcome.total as usize, LABELS, "step {n}");
        let made = manifest::read(&dir.join("out/manifest.json")).unwrap();
        let got: Vec<&String> = made.iter().map(|e| &e.serial).collect();
        assert_eq!(got.len(), LABELS, "step {n}");
        assert_eq!(
            got.iter().map(|s| (*s).clone()).collect::<HashSet<_>>(),
            serials,
            "step {n}: the planned serials, once each"
        );
        let authority = Authority::load(&dir.join("authority.json"), now()).unwrap();
        for e in &made {
            let report = std::fs::read(dir.join("out").join(&e.report)).unwrap();
            authority
                .gate
                .pass(&e.qr_text, &report)
                .unwrap_or_else(|r| panic!("step {n}: {} is not genuine: {r:?}", e.serial));
        }
        let after = files(&dir.join("out"));
        for (p, b) in &before {
            assert_eq!(after.get(p), Some(b), "step {n}: {} changed", p.display());
        }
        assert!(
            after.keys().all(|p| !p.to_string_lossy().ends_with(".partial")),
            "step {n}: a half-written file was left: {:?}",
            after
                .keys()
                .filter(|p| p.to_string_lossy().ends_with(".partial"))
                .collect::<Vec<_>>()
        );
        // The register holds the batch's serials once: a third run changes nothing.
        let register = std::fs::read(dir.join("DEMO.serials")).unwrap();
        let third = issue(dir).unwrap();
        assert_eq!((third.signed_now, third.kept), (0, LABELS as u64), "step {n}");
        assert_eq!(std::fs::read(dir.join("DEMO.serials")).unwrap(), register, "step {n}");
    }
}

fn copy(from: &Path, to: &Path) {
    for (p, bytes) in files(from) {
        let target = to.join(p.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, bytes).unwrap();
    }
}
