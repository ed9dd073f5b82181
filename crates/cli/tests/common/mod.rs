//! Shared by the command's tests: the built binary, run in a folder.

#![allow(dead_code)]

pub mod demo;

use std::path::Path;
use std::process::{Command, Output};

pub fn labelcheck() -> Command {
    Command::new(env!("CARGO_BIN_EXE_labelcheck"))
}

pub fn run(args: &[&str], dir: &Path) -> Output {
    labelcheck()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the labelcheck binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}
