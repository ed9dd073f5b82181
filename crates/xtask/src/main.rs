//! labelcheck's generators and benchmarks, as commands rather than ignored tests:
//!
//! - `cargo xtask vectors [--new-authority]`: write `tests/vectors/` (see `vectors.rs`).
//! - `cargo xtask fuzz-seeds`: write the fuzzer's starting inputs (`fuzz/corpus/*/seed-*`).
//! - `cargo xtask bench-browser`: the decoders in headless Chromium (run by
//!   `scripts/bench-browser`, which installs what it needs first).
//! - `cargo xtask bench-ways ROOT...`: what each way of preparing a frame reads, per source
//!   (run by `scripts/bench-decode`).
//! - `cargo xtask bench-phone NAME=DIR@PORT... [--runs N] [--write]`: the app on an emulated
//!   cheap phone, Lighthouse and axe-core (run by `scripts/bench-phone`).
//! - `cargo xtask phone-trace NAME=DIR@PORT...`: each app's cold label link on that phone, file
//!   by file.
//! - `cargo xtask bench-status --new BIN [--old BIN] --dist DIR [--runs N] [--write]`:
//!   revocation at ten million labels (run by `scripts/bench-status`).

#![forbid(unsafe_code)]
// A generator or benchmark that meets something unexpected stops with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod bench_browser;
mod bench_phone;
mod bench_status;
mod bench_ways;
mod fuzz_seeds;
mod vectors;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("vectors") => vectors::run(args.iter().any(|a| a == "--new-authority")),
        Some("fuzz-seeds") => fuzz_seeds::run(),
        Some("bench-browser") => bench_browser::run(),
        Some("bench-phone") => bench_phone::run(&args[1..]),
        Some("phone-trace") => bench_phone::trace(&args[1..]),
        Some("bench-status") => bench_status::run(&args[1..]),
        Some("bench-ways") => bench_ways::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask vectors [--new-authority] | fuzz-seeds | bench-browser | bench-phone | phone-trace | bench-status | bench-ways"
            );
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
