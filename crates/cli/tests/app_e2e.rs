//! The built web app in headless Chromium, served on loopback with a fresh demo authority:
//! opening each demo label's link shows its verdict in `data-verdict`.
//!
//! Needs `trunk build` output and Chromium, so it is ignored by a plain `cargo test`;
//! `scripts/test` builds the app and runs it with `--ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{run, Server};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn dist() -> PathBuf {
    let dir = std::env::var_os("LABELCHECK_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no built app in {} (run trunk build first)",
        dir.display()
    );
    dir
}

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into())
}

/// The page's DOM after its scripts ran, from a fresh headless Chromium bounded in time.
fn dump_dom(url: &str, profile: &Path) -> String {
    let mut child = Command::new(chromium())
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s for {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    out
}

fn verdict_in(dom: &str) -> Option<String> {
    let at = dom.find("data-verdict=\"")? + "data-verdict=\"".len();
    Some(dom[at..].split('"').next()?.to_owned())
}

#[test]
#[ignore = "needs the built app (trunk build) and Chromium: run by scripts/test"]
fn each_demo_label_link_opens_the_app_and_shows_its_verdict() {
    let dist = dist();
    let tmp = tempfile::tempdir().unwrap();
    let (listener, port) = Server::bind();
    let origin = format!("http://127.0.0.1:{port}");
    let out = run(&["demo", "demo", "--origin", &origin], tmp.path());
    assert!(out.status.success());
    let demo = tmp.path().join("demo");
    let _server = Server::start(listener, vec![demo.join("public"), dist]);
    let labels: serde_json::Value = serde_json::from_slice(&std::fs::read(demo.join("labels.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    for (i, l) in labels["labels"].as_array().unwrap().iter().enumerate() {
        let qr = l["qr"].as_str().unwrap();
        // A code that is no label never opens the app; the app is shown it through its own
        // address with a fragment that holds no label data, as a pasted link would be.
        let url = if qr.starts_with(&origin) {
            qr.to_owned()
        } else {
            format!("{origin}/#not-a-label")
        };
        let dom = dump_dom(&url, &tmp.path().join(format!("profile-{i}")));
        let got = verdict_in(&dom);
        if got.as_deref() != l["expected"].as_str() {
            failures.push(format!("{}: expected {}, page shows {got:?}", l["case"], l["expected"]));
        }
        if l["case"] == "genuine-3-star" {
            assert!(
                dom.contains("aria-label=\"3 of 3 stars\""),
                "the certified stars are shown"
            );
            assert!(dom.contains("Compare with the printed label"));
            assert!(dom.contains("aria-live"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
