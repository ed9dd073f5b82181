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

/// The report fields every row of a batch shares, from a demo folder's genuine report: the
/// `--defaults` file tests and benchmarks issue with.
pub fn demo_defaults(demo: &std::path::Path) -> serde_json::Value {
    use base64::Engine;
    let read = std::fs::read(demo.join("public/demo/reports/DEMO-0001.jws")).expect("the demo's genuine report");
    let jws: serde_json::Value = serde_json::from_slice(&read).expect("a JWS");
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(jws["payload"].as_str().unwrap_or_default())
        .expect("base64url");
    let report: serde_json::Value = serde_json::from_slice(&payload).expect("a report");
    let shared: serde_json::Map<String, serde_json::Value> = [
        "authority",
        "programme",
        "valid_from",
        "valid_until",
        "standard",
        "test_lab",
        "support_until",
        "update_policy",
        "default_password",
        "vulnerability_contact",
    ]
    .iter()
    .map(|k| (k.to_string(), report[*k].clone()))
    .collect();
    serde_json::Value::Object(shared)
}

pub use authority::{claim_for, day, report, singles, ts, Authority, VERIFIER};
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
