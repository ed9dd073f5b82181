//! The revocation list: serials an authority has withdrawn, signed by its root.

use crate::fields;
use crate::json::{self, JsonError};
use crate::message::Message;
use crate::time::{Date, Timestamp};
use std::fmt;

pub const REVOCATION_FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationList {
    pub format: u32,
    pub authority: String,
    pub version: u64,
    pub issued_at: Timestamp,
    pub expires: Timestamp,
    pub revoked: Vec<Revoked>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revoked {
    pub serial: String,
    pub date: Date,
    pub reason: RevocationReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevocationReason {
    /// The certification was withdrawn (the product no longer meets the standard).
    Withdrawn,
    /// The maker asked for it, for example when the product left the market.
    Surrendered,
    /// Labels with this serial were found counterfeited or misused.
    Misuse,
    /// Replaced by a new certification under another serial.
    Superseded,
}

/// Why a revocation list payload is refused (FORMAT.md §6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevocationListError {
    Json(JsonError),
    Format(u32),
    AuthorityId,
    Serial { serial: String },
    ExpiresBeforeIssued,
}

impl RevocationListError {
    /// A stable code, for test vectors and wording keys.
    pub fn code(&self) -> &'static str {
        match self {
            RevocationListError::Json(e) => e.code(),
            RevocationListError::Format(_) => "format",
            RevocationListError::AuthorityId => "authority-id",
            RevocationListError::Serial { .. } => "serial",
            RevocationListError::ExpiresBeforeIssued => "expires-before-issued",
        }
    }
}

impl RevocationListError {
    /// What to say of it: a `revocation-list-error.…` key and its arguments.
    pub fn message(&self) -> Message {
        let m = Message::new(format!("revocation-list-error.{}", self.code()));
        match self {
            RevocationListError::Json(e) => Message::new("revocation-list-error.json").text("detail", e),
            RevocationListError::Format(v) => m.text("format", v),
            RevocationListError::Serial { serial } => m.text("serial", serial),
            RevocationListError::AuthorityId | RevocationListError::ExpiresBeforeIssued => m,
        }
    }
}

impl fmt::Display for RevocationListError {
    /// The error's code and data, for logs; people are told [`RevocationListError::message`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for RevocationListError {}

impl RevocationList {
    pub fn parse(payload: &[u8]) -> Result<RevocationList, RevocationListError> {
        let list: RevocationList = json::strict(payload).map_err(RevocationListError::Json)?;
        list.validate()?;
        Ok(list)
    }

    pub fn validate(&self) -> Result<(), RevocationListError> {
        if self.format != REVOCATION_FORMAT_VERSION {
            return Err(RevocationListError::Format(self.format));
        }
        if !fields::authority_ok(&self.authority) {
            return Err(RevocationListError::AuthorityId);
        }
        if let Some(r) = self.revoked.iter().find(|r| !fields::serial_ok(&r.serial)) {
            return Err(RevocationListError::Serial {
                serial: r.serial.clone(),
            });
        }
        if self.expires <= self.issued_at {
            return Err(RevocationListError::ExpiresBeforeIssued);
        }
        Ok(())
    }

    pub fn find(&self, serial: &str) -> Option<&Revoked> {
        self.revoked.iter().find(|r| r.serial == serial)
    }
}

impl RevocationReason {
    pub const ALL: [RevocationReason; 4] = [
        RevocationReason::Withdrawn,
        RevocationReason::Surrendered,
        RevocationReason::Misuse,
        RevocationReason::Superseded,
    ];

    /// The word used in the list (FORMAT.md §6).
    pub fn name(self) -> &'static str {
        match self {
            RevocationReason::Withdrawn => "withdrawn",
            RevocationReason::Surrendered => "surrendered",
            RevocationReason::Misuse => "misuse",
            RevocationReason::Superseded => "superseded",
        }
    }
}

impl std::fmt::Display for RevocationReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
