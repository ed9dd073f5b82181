//! The key list: an authority's signing keys, report hosts and programmes, signed by its root.

use crate::fields;
use crate::json::{self, JsonError};
use crate::jwk::{JwkError, PublicJwk};
use crate::limits::{MAX_LEVEL, MAX_PROGRAMME_ID};
use crate::message::Message;
use crate::time::Timestamp;
use ed25519_dalek::VerifyingKey;
use std::fmt;

pub const KEY_LIST_FORMAT_VERSION: u32 = 1;
pub const MAX_KEYS: usize = 64;
pub const MAX_PROGRAMMES: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    pub en: String,
    pub zh: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyList {
    pub format: u32,
    pub authority: String,
    pub name: Names,
    #[serde(default)]
    pub demo: bool,
    pub version: u64,
    pub issued_at: Timestamp,
    pub expires: Timestamp,
    /// Base URL that label links open, ending in `/`.
    pub verifier: String,
    /// `host[:port]` values from which reports may be fetched.
    pub report_hosts: Vec<String>,
    /// Where a report lives when its claim names no location: `{serial}` is replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_url: Option<String>,
    pub revocations_url: String,
    /// Where each partition of the authority's status list is: `{partition}` is replaced by
    /// its number (FORMAT.md §6.2). Needed once labels carry a status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
    pub keys: Vec<KeyEntry>,
    pub programmes: Vec<Programme>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub kid: String,
    /// The key may sign labels and reports dated from this instant...
    pub not_before: Timestamp,
    /// ...up to (not including) this one.
    pub not_after: Timestamp,
    /// The key, decoded once: every signature check of a label asks for it, and decoding a
    /// point takes about as long as half a signature check.
    #[serde(skip)]
    decoded: std::sync::OnceLock<Option<VerifyingKey>>,
}

impl PartialEq for KeyEntry {
    fn eq(&self, other: &KeyEntry) -> bool {
        (
            &self.kty,
            &self.crv,
            &self.x,
            &self.kid,
            self.not_before,
            self.not_after,
        ) == (
            &other.kty,
            &other.crv,
            &other.x,
            &other.kid,
            other.not_before,
            other.not_after,
        )
    }
}

impl Eq for KeyEntry {}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    pub id: u32,
    pub code: String,
    pub name: Names,
    /// The levels a label may carry; a pass-mark programme has just `[1]`.
    pub levels: Vec<u8>,
    pub max_level: u8,
}

/// Why a key list payload is refused (FORMAT.md §5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyListError {
    Json(JsonError),
    Format(u32),
    AuthorityId,
    KeyCount,
    Key {
        kid: String,
        problem: JwkError,
    },
    KeyWindow {
        kid: String,
    },
    DuplicateKey {
        kid: String,
    },
    ProgrammeCount,
    ProgrammeId {
        id: u32,
    },
    DuplicateProgramme {
        id: u32,
    },
    /// No levels, a level above 5 or above `max_level`, or a level listed twice.
    ProgrammeLevels {
        id: u32,
    },
    Verifier,
    ReportHost {
        host: String,
    },
    ReportUrl,
    RevocationsUrl,
    StatusUrl,
    ExpiresBeforeIssued,
}

impl KeyListError {
    /// A stable code, for test vectors and wording keys.
    pub fn code(&self) -> &'static str {
        match self {
            KeyListError::Json(e) => e.code(),
            KeyListError::Format(_) => "format",
            KeyListError::AuthorityId => "authority-id",
            KeyListError::KeyCount => "key-count",
            KeyListError::Key { .. } => "key",
            KeyListError::KeyWindow { .. } => "key-window",
            KeyListError::DuplicateKey { .. } => "duplicate-key",
            KeyListError::ProgrammeCount => "programme-count",
            KeyListError::ProgrammeId { .. } => "programme-id",
            KeyListError::DuplicateProgramme { .. } => "duplicate-programme",
            KeyListError::ProgrammeLevels { .. } => "programme-levels",
            KeyListError::Verifier => "verifier",
            KeyListError::ReportHost { .. } => "report-host",
            KeyListError::ReportUrl => "report-url",
            KeyListError::RevocationsUrl => "revocations-url",
            KeyListError::StatusUrl => "status-url",
            KeyListError::ExpiresBeforeIssued => "expires-before-issued",
        }
    }
}

impl KeyListError {
    /// What to say of it: a `key-list-error.…` key and its arguments.
    pub fn message(&self) -> Message {
        let m = Message::new(format!("key-list-error.{}", self.code()));
        match self {
            KeyListError::Json(e) => Message::new("key-list-error.json").text("detail", e),
            KeyListError::Format(v) => m.text("format", v),
            KeyListError::Key { kid, problem } => m.text("kid", kid).word("problem", format!("jwk.{}", problem.name())),
            KeyListError::KeyWindow { kid } | KeyListError::DuplicateKey { kid } => m.text("kid", kid),
            KeyListError::ProgrammeId { id }
            | KeyListError::DuplicateProgramme { id }
            | KeyListError::ProgrammeLevels { id } => m.text("id", id),
            KeyListError::ReportHost { host } => m.text("host", host),
            KeyListError::KeyCount => m.text("max", MAX_KEYS),
            KeyListError::ProgrammeCount => m.text("max", MAX_PROGRAMMES),
            KeyListError::AuthorityId
            | KeyListError::Verifier
            | KeyListError::ReportUrl
            | KeyListError::RevocationsUrl
            | KeyListError::StatusUrl
            | KeyListError::ExpiresBeforeIssued => m,
        }
    }
}

impl fmt::Display for KeyListError {
    /// The error's code and data, for logs; people are told [`KeyListError::message`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for KeyListError {}

impl KeyList {
    pub fn parse(payload: &[u8]) -> Result<KeyList, KeyListError> {
        let list: KeyList = json::strict(payload).map_err(KeyListError::Json)?;
        list.validate()?;
        Ok(list)
    }

    pub fn validate(&self) -> Result<(), KeyListError> {
        if self.format != KEY_LIST_FORMAT_VERSION {
            return Err(KeyListError::Format(self.format));
        }
        if !fields::authority_ok(&self.authority) {
            return Err(KeyListError::AuthorityId);
        }
        if self.keys.is_empty() || self.keys.len() > MAX_KEYS {
            return Err(KeyListError::KeyCount);
        }
        for (i, k) in self.keys.iter().enumerate() {
            k.jwk().verifying_key().map_err(|problem| KeyListError::Key {
                kid: k.kid.clone(),
                problem,
            })?;
            if k.not_after <= k.not_before {
                return Err(KeyListError::KeyWindow { kid: k.kid.clone() });
            }
            if self.keys[..i].iter().any(|o| o.kid == k.kid) {
                return Err(KeyListError::DuplicateKey { kid: k.kid.clone() });
            }
        }
        if self.programmes.len() > MAX_PROGRAMMES {
            return Err(KeyListError::ProgrammeCount);
        }
        for (i, p) in self.programmes.iter().enumerate() {
            if p.id > MAX_PROGRAMME_ID {
                return Err(KeyListError::ProgrammeId { id: p.id });
            }
            if self.programmes[..i].iter().any(|o| o.id == p.id) {
                return Err(KeyListError::DuplicateProgramme { id: p.id });
            }
            let distinct = p.levels.iter().enumerate().all(|(j, l)| !p.levels[..j].contains(l));
            if p.levels.is_empty() || p.max_level > MAX_LEVEL || p.levels.iter().any(|&l| l > p.max_level) || !distinct
            {
                return Err(KeyListError::ProgrammeLevels { id: p.id });
            }
        }
        if !self.verifier.ends_with('/') || !fields::location_ok(&self.verifier) {
            return Err(KeyListError::Verifier);
        }
        if let Some(host) = self.report_hosts.iter().find(|h| !fields::report_host_ok(h)) {
            return Err(KeyListError::ReportHost { host: host.clone() });
        }
        if let Some(t) = &self.report_url {
            if !t.contains("{serial}") || !fields::location_ok(&t.replace("{serial}", "x")) {
                return Err(KeyListError::ReportUrl);
            }
        }
        if !fields::location_ok(&self.revocations_url) {
            return Err(KeyListError::RevocationsUrl);
        }
        if let Some(t) = &self.status_url {
            if !t.contains("{partition}") || !fields::location_ok(&t.replace("{partition}", "0")) {
                return Err(KeyListError::StatusUrl);
            }
        }
        if self.expires <= self.issued_at {
            return Err(KeyListError::ExpiresBeforeIssued);
        }
        Ok(())
    }

    pub fn key(&self, kid: &str) -> Option<&KeyEntry> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    pub fn programme(&self, id: u32) -> Option<&Programme> {
        self.programmes.iter().find(|p| p.id == id)
    }

    /// Where partition `p` of the status list is published.
    pub fn status_url_for(&self, p: u32) -> Option<String> {
        self.status_url
            .as_ref()
            .map(|t| t.replace("{partition}", &p.to_string()))
    }

    pub fn report_host_allowed(&self, url: &str) -> bool {
        fields::host_of(url).is_some_and(|h| self.report_hosts.contains(&h))
    }
}

impl KeyEntry {
    pub fn new(jwk: PublicJwk, not_before: Timestamp, not_after: Timestamp) -> KeyEntry {
        KeyEntry {
            kty: jwk.kty,
            crv: jwk.crv,
            x: jwk.x,
            kid: jwk.kid,
            not_before,
            not_after,
            decoded: std::sync::OnceLock::new(),
        }
    }

    /// The OKP JWK members of this entry (RFC 8037).
    pub fn jwk(&self) -> PublicJwk {
        PublicJwk {
            kty: self.kty.clone(),
            crv: self.crv.clone(),
            x: self.x.clone(),
            kid: self.kid.clone(),
        }
    }

    pub fn verifying_key(&self) -> Option<VerifyingKey> {
        *self.decoded.get_or_init(|| self.jwk().verifying_key().ok())
    }

    pub fn valid_at(&self, t: Timestamp) -> bool {
        self.not_before <= t && t < self.not_after
    }
}
