//! Every input the fuzzer saved (`fuzz/corpus/<target>/`), replayed through its target on the
//! stable toolchain. A failure names the file: `cargo fuzz run <target> <file>` reproduces it.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Replays one target's corpus; every failing file is named, not only the first.
fn replay(target: &str) {
    // rqrr panics on some images and the scanner catches that; the default hook would print
    // each one. A panic anywhere else still fails the test, with its file named below.
    labelcheck_scan::quiet_decoder_panics();
    let body = labelcheck_fuzz::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, body)| *body)
        .unwrap();
    let files = corpus(target);
    assert!(files.len() >= 10, "{target}: only {} corpus inputs", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter(|file| {
            let data = std::fs::read(file).unwrap();
            std::panic::catch_unwind(|| body(&data)).is_err()
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(failures.is_empty(), "{target}: inputs that fail: {failures:#?}");
}

#[test]
fn label_corpus() {
    replay("label");
}

#[test]
fn report_corpus() {
    replay("report");
}

#[test]
fn lists_corpus() {
    replay("lists");
}

#[test]
fn pixels_corpus() {
    replay("pixels");
}

#[test]
fn photo_corpus() {
    replay("photo");
}

#[test]
fn every_target_has_a_corpus_test() {
    let names: Vec<&str> = labelcheck_fuzz::TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["label", "report", "lists", "pixels", "photo"]);
}
