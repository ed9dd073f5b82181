//! labelcheck-scan: pixels in, QR texts out.
//!
//! The same pipeline runs in the web app's worker (wasm) and in the command-line tool. Codes
//! are found, located and sampled here ([`Detector`]); rqrr decodes the sampled module grids.
//! Should the decoder still panic, natively that is caught here and reported as
//! [`ScanError::DecoderPanicked`]; in the browser the worker that traps is replaced.

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod detect;
mod luma;
mod panics;
#[cfg(feature = "photo")]
pub mod photo;
mod pipeline;
mod scale;
mod text;

pub use detect::{Detector, Grey};
pub use luma::{rgba_to_luma, Luma};
pub use panics::{is_decoder_panic, quiet_decoder_panics};
#[cfg(feature = "shift-jis")]
pub use pipeline::decode;
pub use pipeline::{Budget, ScanError, Scanner, Way, MAX_PIXELS, THOROUGH};
pub use text::{Charset, Payload};
