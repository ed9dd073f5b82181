//! Reports served by a hostile server on 127.0.0.1: each misbehaviour gets a verdict with a
//! clear reason, within the fetch time limit (15 s) plus a margin, and never "genuine".
//!
//! The demo authority's lists are served honestly; only the genuine label's report is not.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{json_lines, run};
use labelcheck_testkit::serve::hostile::{gzip_of_zeros, Hostile, HostileServer};
use serde_json::Value;
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// The CLI's fetch limit is 15 s; a verdict must come within it and a margin.
const LIMIT: Duration = Duration::from_secs(25);

/// The CLI's verdict on the genuine demo label when its report is served `how`.
fn verdict(how: Hostile) -> (Value, Duration) {
    let tmp = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let origin = format!("http://127.0.0.1:{port}");
    let out = run(&["demo", "demo", "--origin", &origin], tmp.path());
    assert!(out.status.success());
    let dir = tmp.path().join("demo");
    std::fs::remove_file(dir.join("labelcheck.json")).unwrap();
    let labels: Value = serde_json::from_slice(&std::fs::read(dir.join("labels.json")).unwrap()).unwrap();
    assert_eq!(labels["labels"][0]["case"], "genuine");
    let qr = labels["labels"][0]["qr"].as_str().unwrap().to_owned();
    let server = HostileServer::start(listener, vec![dir.join("public")], 16);
    *server.mode.lock().unwrap() = Some(how);
    let started = Instant::now();
    let out = run(&["verify", "--json", "--trust", "public/trust.json", &qr], &dir);
    let took = started.elapsed();
    let lines = json_lines(&out);
    (lines[0].clone(), took)
}

fn check(how: Hostile, verdict_name: &str, reason: &str, words: &[&str]) {
    let (v, took) = verdict(how);
    assert!(took < LIMIT, "took {took:?}");
    assert_eq!(v["verdict"], verdict_name, "{v}");
    let first = &v["reasons"][0];
    assert_eq!(first["code"], reason, "{v}");
    let message = first["message"].as_str().unwrap().to_lowercase();
    for w in words {
        assert!(message.contains(w), "{message:?} should say {w:?}");
    }
}

#[test]
fn a_huge_report_is_refused() {
    check(Hostile::Huge, "cannot-check", "report-unavailable", &["more data"]);
}

#[test]
fn an_endless_report_is_refused() {
    check(Hostile::Endless, "cannot-check", "report-unavailable", &["more data"]);
}

#[test]
fn a_server_that_never_answers_times_out() {
    check(
        Hostile::SlowStart,
        "genuine-offline",
        "report-unavailable",
        &["too long"],
    );
}

#[test]
fn a_trickling_report_times_out() {
    check(Hostile::Trickle, "genuine-offline", "report-unavailable", &["too long"]);
}

#[test]
fn a_redirect_is_not_followed() {
    check(Hostile::Redirect, "cannot-check", "report-unavailable", &["redirect"]);
}

#[test]
fn a_gzip_bomb_is_inflated_no_further_than_the_limit() {
    let bomb = gzip_of_zeros(10 << 20);
    assert!(bomb.len() < 128 * 1024, "the bomb is {} bytes", bomb.len());
    // As in the browser, which inflates what it receives: refused once past 256 KiB.
    check(Hostile::GzipBomb, "cannot-check", "report-unavailable", &["more data"]);
}

#[test]
fn a_gzip_compressed_report_is_read_as_the_app_reads_it() {
    let (v, _) = verdict(Hostile::Gzipped);
    assert_eq!(v["verdict"], "genuine", "{v}");
}

#[test]
fn a_web_page_is_not_a_report() {
    check(Hostile::WrongType, "cannot-check", "report-unavailable", &["text/html"]);
}

#[test]
fn a_report_that_is_not_utf8_is_unreadable() {
    check(Hostile::NotUtf8, "cannot-check", "report-unreadable", &[]);
}

#[test]
fn a_report_with_duplicate_keys_is_unreadable() {
    check(Hostile::DuplicateKeys, "cannot-check", "report-unreadable", &[]);
}

#[test]
fn deeply_nested_json_is_unreadable() {
    check(Hostile::DeepNesting, "cannot-check", "report-unreadable", &[]);
}
