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
pub mod fetch_policy;
pub mod fields;
pub mod freshness;
pub mod inflate;
pub mod issuer;
pub mod json;
pub mod jwk;
pub mod jws;
pub mod key_list;
pub mod label_url;
pub mod limits;
pub mod list_store;
pub mod message;
pub mod numeric;
pub mod reason;
pub mod report;
pub mod revocation;
pub mod status;
pub mod time;
pub mod trust;
pub mod verdict;
pub mod verify;

pub use claim::{Claim, SignedClaim};
pub use fetch_policy::FetchProblem;
pub use key_list::KeyList;
pub use list_store::{ListKind, ListStore};
pub use message::{Arg, Message};
pub use reason::Reason;
pub use report::Report;
pub use revocation::RevocationList;
pub use time::{Date, Timestamp};
pub use trust::TrustAnchors;
pub use verdict::{Verdict, VerdictKind};
pub use verify::{PendingReport, Step, Verifier};
