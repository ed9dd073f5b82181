//! labelcheck-core: the formats of device security labels (claims, reports, key lists,
//! revocation lists), their Ed25519 signatures, and the verdict a verifier reaches.
//!
//! No I/O and no clock: callers pass bytes in and say what time it is. Hostile input yields
//! an error or a verdict, never a panic. See `docs/FORMAT.md` for the formats.

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod audit;
pub mod audit_export;
pub mod cbor;
pub mod claim;
pub mod fields;
pub mod freshness;
pub mod issuer;
pub mod jwk;
pub mod jws;
pub mod key_list;
pub mod label_url;
pub mod limits;
pub mod numeric;
pub mod report;
pub mod revocation;
pub mod time;
pub mod trust;
pub mod verdict;
pub mod verify;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
#[cfg(test)]
mod testkit;
#[cfg(test)]
mod verify_tests;

pub use claim::{Claim, SignedClaim};
pub use key_list::KeyList;
pub use report::Report;
pub use revocation::RevocationList;
pub use time::{Date, Timestamp};
pub use trust::{ListStore, TrustAnchors};
pub use verdict::{FetchProblem, Reason, Verdict, VerdictKind};
pub use verify::{PendingReport, Step, Verifier};
