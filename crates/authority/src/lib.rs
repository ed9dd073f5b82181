//! labelcheck-authority: the issuing side of labelcheck, for certification authorities.
//! Keys (in files or PKCS#11 tokens), the serial register, the authority file, batches of
//! labels and their manifests, the one label layout and its renderings (SVG, PNG, PDF), the
//! print check, and the key, revocation and trust files an authority publishes.
//!
//! Nothing leaves without passing the [gate](gate): every label and report is verified by
//! `labelcheck-core`'s own verifier, against the files verifiers will use, before it is
//! written. State that matters (the register, published reports, lists, manifests) is never
//! made, replaced or rolled back silently: it is made only on request, written whole and
//! durably ([`durable`]), and a change that verifiers would refuse is refused here first.
//!
//! The `labelcheck` command is a thin shell over this crate, as `rage` is over `age`: errors
//! are data ([`Error`]) that the shell words in its user's language.

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod artwork;
pub mod authority;
pub mod batch;
pub mod durable;
pub mod error;
pub mod font;
pub mod gate;
pub mod key;
pub mod layout;
pub mod lists;
pub mod manifest;
pub mod parallel;
pub mod pdf;
pub mod pkcs11;
pub mod plan;
pub mod print;
pub mod print_check;
pub mod qr;
pub mod raster;
pub mod register;
pub mod revoke;
pub mod rows;
pub mod sign;
pub mod status;
pub mod svg;
pub mod trust;

pub use authority::{Authority, AuthorityFile};
pub use error::{Error, Result};
pub use gate::Gate;
pub use key::Key;
