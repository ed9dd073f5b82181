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
    /// Single serials withdrawn, for labels without a status (FORMAT.md §6.1).
    pub revoked: Vec<Revoked>,
    /// Withdrawals of a product, a batch or a signing key (§6.3): one entry each, however many
    /// labels they cover; the status lists' bits say which labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acts: Vec<Act>,
    /// How many status list partitions the authority publishes (numbered from 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub partitions: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What an act withdraws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActKind {
    /// Every label of a maker's model certified before the act's date.
    Product,
    /// Every label of one issued batch.
    Batch,
    /// Every label a signing key signed (a compromised key).
    Key,
}

/// A withdrawal of many labels in one act.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Act {
    pub kind: ActKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// The batch's status numbers, as inclusive ranges `[first, last]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<(u64, u64)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    pub date: Date,
    pub reason: RevocationReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Act {
    /// An act of `kind`, naming nothing yet (its product, batch or key set by the caller).
    pub fn new(kind: ActKind, date: Date, reason: RevocationReason, note: Option<String>) -> Act {
        Act {
            kind,
            maker: None,
            model: None,
            batch: None,
            ranges: Vec::new(),
            kid: None,
            date,
            reason,
            note,
        }
    }

    fn valid(&self) -> bool {
        let note_ok = self
            .note
            .as_ref()
            .is_none_or(|n| n.chars().count() <= crate::status::MAX_NOTE_CHARS);
        let named = match self.kind {
            ActKind::Product => {
                self.maker.as_deref().is_some_and(fields::name_ok) && self.model.as_deref().is_some_and(fields::name_ok)
            }
            ActKind::Batch => {
                self.batch.as_deref().is_some_and(|b| {
                    !b.is_empty()
                        && b.len() <= 64
                        && b.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
                }) && !self.ranges.is_empty()
                    && self.ranges.iter().all(|(a, b)| a <= b)
            }
            ActKind::Key => self.kid.as_deref().is_some_and(fields::kid_ok),
        };
        note_ok && named
    }
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
    Act { index: usize },
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
            RevocationListError::Act { .. } => "act",
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
            RevocationListError::Act { index } => m.text("index", index + 1),
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
        if let Some(index) = self.acts.iter().position(|a| !a.valid()) {
            return Err(RevocationListError::Act { index });
        }
        if self.expires <= self.issued_at {
            return Err(RevocationListError::ExpiresBeforeIssued);
        }
        Ok(())
    }

    pub fn find(&self, serial: &str) -> Option<&Revoked> {
        self.revoked.iter().find(|r| r.serial == serial)
    }

    /// The act that withdrew signing key `kid`.
    pub fn key_act(&self, kid: &str) -> Option<&Act> {
        self.acts
            .iter()
            .find(|a| a.kind == ActKind::Key && a.kid.as_deref() == Some(kid))
    }

    /// The act that withdrew this product, for a label certified on `valid_from`.
    pub fn product_act(&self, maker: &str, model: &str, valid_from: Date) -> Option<&Act> {
        self.acts.iter().find(|a| {
            a.kind == ActKind::Product
                && a.maker.as_deref() == Some(maker)
                && a.model.as_deref() == Some(model)
                && valid_from < a.date
        })
    }

    /// The batch act whose labels include status number `n`.
    pub fn batch_act(&self, n: u64) -> Option<&Act> {
        self.acts
            .iter()
            .find(|a| a.kind == ActKind::Batch && a.ranges.iter().any(|(first, last)| (*first..=*last).contains(&n)))
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
