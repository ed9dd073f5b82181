//! The fuzz targets' bodies: one function per target, each taking any bytes. Each asserts what
//! must hold for every input (beyond not panicking); a failed assertion is a finding.
//!
//! The nightly fuzzer in `fuzz/` calls these; `tests/corpus.rs` replays every saved corpus input
//! through them on the stable toolchain, so what the fuzzer learned is checked on every run.
//! They check against the test-vector authority (`labelcheck-testkit`, `tests/vectors/authority`), which signed
//! every genuine input there is: a fuzzer cannot forge its signatures, so anything new it
//! gets accepted is a finding.

#![forbid(unsafe_code)]
// A fuzz body reports a finding by panicking.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod label;
mod lists;
mod photo;
mod pixels;
mod report;

pub use label::label;
pub use lists::lists;
pub use photo::photo;
pub use pixels::pixels;
pub use report::report;

/// For the fuzzer's image targets: libFuzzer's panic hook aborts before unwinding, which would
/// turn the rqrr panics the scanner catches into crashes. This hook lets those unwind to the
/// scanner; any other panic aborts, and the fuzzer reports it as a crash.
pub fn abort_on_panics_but_the_decoders() {
    std::panic::set_hook(Box::new(|info| {
        if !labelcheck_scan::is_decoder_panic(info) {
            eprintln!("{info}");
            std::process::abort();
        }
    }));
}

/// One fuzz target's body.
pub type Target = fn(&[u8]);

/// The targets by name, as the fuzzer and the corpus directories call them.
pub const TARGETS: [(&str, Target); 5] = [
    ("label", label),
    ("report", report),
    ("lists", lists),
    ("pixels", pixels),
    ("photo", photo),
];
