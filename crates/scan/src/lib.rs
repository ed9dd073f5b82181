//! labelcheck-scan: pixels in, QR texts out.
//!
//! The same pipeline runs in the web app's worker (wasm) and in the command-line tool.
//! rqrr can panic on some images; natively that panic is caught here and reported as
//! [`ScanError::DecoderPanicked`], in the browser the worker that traps is replaced.

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod luma;
mod panics;
#[cfg(feature = "photo")]
pub mod photo;
mod pipeline;
mod scale;
mod threshold;

pub use luma::{rgba_to_luma, Luma};
pub use panics::{is_decoder_panic, quiet_decoder_panics};
pub use pipeline::{decode, Budget, ScanError, Scanner, MAX_PIXELS};
