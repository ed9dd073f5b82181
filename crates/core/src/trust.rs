//! Trust anchors: the authorities' root keys a verifier ships (FORMAT.md §7).

use crate::fields;
use crate::json::{self, JsonError};
use crate::jwk::{JwkError, PublicJwk};
use crate::key_list::Names;
use crate::limits::MAX_TRUST_FILE_BYTES;
use crate::message::Message;
use std::fmt;

pub const TRUST_FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustAnchors {
    pub format: u32,
    pub anchors: Vec<Anchor>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    pub authority: String,
    pub name: Names,
    #[serde(default)]
    pub demo: bool,
    pub root_keys: Vec<RootKey>,
    /// An https URL, or a reference relative to the trust file (FORMAT.md §7).
    pub key_list_url: String,
    pub revocations_url: String,
}

/// A root public key: exactly the OKP JWK members of RFC 8037.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootKey {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub kid: String,
}

impl RootKey {
    pub fn jwk(&self) -> PublicJwk {
        PublicJwk {
            kty: self.kty.clone(),
            crv: self.crv.clone(),
            x: self.x.clone(),
            kid: self.kid.clone(),
        }
    }
}

impl From<PublicJwk> for RootKey {
    fn from(k: PublicJwk) -> RootKey {
        RootKey {
            kty: k.kty,
            crv: k.crv,
            x: k.x,
            kid: k.kid,
        }
    }
}

/// Why a trust file is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustError {
    TooLarge,
    Json(JsonError),
    Format(u32),
    AuthorityId {
        authority: String,
    },
    /// Two anchors for one authority: which one counts would depend on the order.
    DuplicateAuthority {
        authority: String,
    },
    RootKey {
        authority: String,
        kid: String,
        problem: JwkError,
    },
    /// Two root keys with one key id: a list naming it could be checked against either.
    DuplicateRootKey {
        authority: String,
        kid: String,
    },
    ListUrl {
        authority: String,
    },
}

impl TrustError {
    /// A stable code, for test vectors and wording keys.
    pub fn code(&self) -> &'static str {
        match self {
            TrustError::TooLarge => "too-large",
            TrustError::Json(e) => e.code(),
            TrustError::Format(_) => "format",
            TrustError::AuthorityId { .. } => "authority-id",
            TrustError::DuplicateAuthority { .. } => "duplicate-authority",
            TrustError::RootKey { .. } => "root-key",
            TrustError::DuplicateRootKey { .. } => "duplicate-root-key",
            TrustError::ListUrl { .. } => "list-url",
        }
    }
}

impl TrustError {
    /// What to say of it: a `trust-error.…` key and its arguments.
    pub fn message(&self) -> Message {
        let m = Message::new(format!("trust-error.{}", self.code()));
        match self {
            TrustError::Json(e) => Message::new("trust-error.json").text("detail", e),
            TrustError::Format(v) => m.text("format", v),
            TrustError::AuthorityId { authority }
            | TrustError::DuplicateAuthority { authority }
            | TrustError::ListUrl { authority } => m.text("authority", authority),
            TrustError::RootKey {
                authority,
                kid,
                problem,
            } => m
                .text("authority", authority)
                .text("kid", kid)
                .word("problem", format!("jwk.{}", problem.name())),
            TrustError::DuplicateRootKey { authority, kid } => m.text("authority", authority).text("kid", kid),
            TrustError::TooLarge => m,
        }
    }
}

impl fmt::Display for TrustError {
    /// The error's code and data, for logs; people are told [`TrustError::message`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for TrustError {}

impl TrustAnchors {
    pub fn parse(bytes: &[u8]) -> Result<TrustAnchors, TrustError> {
        if bytes.len() > MAX_TRUST_FILE_BYTES {
            return Err(TrustError::TooLarge);
        }
        let t: TrustAnchors = json::strict(bytes).map_err(TrustError::Json)?;
        t.validate()?;
        Ok(t)
    }

    pub fn validate(&self) -> Result<(), TrustError> {
        if self.format != TRUST_FORMAT_VERSION {
            return Err(TrustError::Format(self.format));
        }
        for (i, a) in self.anchors.iter().enumerate() {
            let authority = a.authority.clone();
            if !fields::authority_ok(&a.authority) {
                return Err(TrustError::AuthorityId { authority });
            }
            if self.anchors[..i].iter().any(|o| o.authority == a.authority) {
                return Err(TrustError::DuplicateAuthority { authority });
            }
            for (j, k) in a.root_keys.iter().enumerate() {
                if let Err(problem) = k.jwk().verifying_key() {
                    let kid = k.kid.clone();
                    return Err(TrustError::RootKey {
                        authority,
                        kid,
                        problem,
                    });
                }
                if a.root_keys[..j].iter().any(|o| o.kid == k.kid) {
                    let kid = k.kid.clone();
                    return Err(TrustError::DuplicateRootKey { authority, kid });
                }
            }
            if !fields::list_url_ok(&a.key_list_url) || !fields::list_url_ok(&a.revocations_url) {
                return Err(TrustError::ListUrl { authority });
            }
        }
        Ok(())
    }

    pub fn anchor(&self, authority: &str) -> Option<&Anchor> {
        self.anchors.iter().find(|a| a.authority == authority)
    }
}
