//! Test support for labelcheck: throw-away authorities that sign whatever a test needs
//! ([`Authority`]), and the committed test vectors with the authority that signed them
//! ([`vectors`]). Used by the core's tests, the browser tests, the fuzz targets and the
//! benchmarks, so every one of them checks against the same authorities.

#![forbid(unsafe_code)]
// Test support: a broken fixture should stop the test at once, with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod authority;
mod jargon;
#[cfg(feature = "serve")]
pub mod serve;
pub mod vectors;

pub use authority::{claim_for, day, report, ts, Authority, VERIFIER};
pub use jargon::jargon_in;

/// CRC-32 (IEEE, as in PNG and gzip), for tests that build such files by hand.
pub fn crc32(bytes: impl IntoIterator<Item = u8>) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
