//! The security report: JSON signed as a JWS, bound to its label by a digest of the payload.

use crate::claim::{Claim, REPORT_DIGEST_LEN};
use crate::json::{self, JsonError};
use crate::time::{Date, Timestamp};
use sha2::{Digest, Sha256};
use std::fmt;

pub const REPORT_FORMAT_VERSION: u32 = 1;
pub const MAX_CLAUSES: usize = 1000;

/// Why a report payload is refused (FORMAT.md §4.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportError {
    Json(JsonError),
    Format(u32),
    TooManyClauses,
}

impl fmt::Display for ReportError {
    /// The error's name and data, for logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Json(e) => e.fmt(f),
            ReportError::Format(v) => write!(f, "report format {v}"),
            ReportError::TooManyClauses => write!(f, "report too-many-clauses (most {MAX_CLAUSES})"),
        }
    }
}

impl std::error::Error for ReportError {}

/// A field a report shares with its label's claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharedField {
    Authority,
    Serial,
    Programme,
    Level,
    Maker,
    Model,
    Gtins,
    ValidFrom,
    ValidUntil,
}

impl SharedField {
    pub const ALL: [SharedField; 9] = [
        SharedField::Authority,
        SharedField::Serial,
        SharedField::Programme,
        SharedField::Level,
        SharedField::Maker,
        SharedField::Model,
        SharedField::Gtins,
        SharedField::ValidFrom,
        SharedField::ValidUntil,
    ];

    /// The member's name in the report (FORMAT.md §4.2).
    pub fn name(self) -> &'static str {
        match self {
            SharedField::Authority => "authority",
            SharedField::Serial => "serial",
            SharedField::Programme => "programme",
            SharedField::Level => "level",
            SharedField::Maker => "maker",
            SharedField::Model => "model",
            SharedField::Gtins => "gtins",
            SharedField::ValidFrom => "valid_from",
            SharedField::ValidUntil => "valid_until",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub format: u32,
    pub authority: String,
    pub serial: String,
    pub programme: u32,
    pub level: u8,
    pub maker: String,
    pub model: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gtins: Vec<String>,
    pub valid_from: Date,
    pub valid_until: Date,
    pub issued_at: Timestamp,
    pub product: Product,
    pub standard: Standard,
    pub test_lab: TestLab,
    pub support_until: Date,
    pub update_policy: String,
    pub default_password: String,
    pub vulnerability_contact: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware_version: Option<String>,
    pub firmware_versions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub id: String,
    pub title: String,
    pub clauses: Vec<Clause>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub id: String,
    pub title: String,
    pub result: ClauseResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClauseResult {
    Pass,
    Fail,
    NotApplicable,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestLab {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accreditation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_number: Option<String>,
    pub tested_on: Date,
}

/// The claim's report digest: SHA-256 of the JWS payload octets, first 16 bytes.
pub fn report_digest(payload: &[u8]) -> [u8; REPORT_DIGEST_LEN] {
    let full = Sha256::digest(payload);
    let mut out = [0u8; REPORT_DIGEST_LEN];
    out.copy_from_slice(&full[..REPORT_DIGEST_LEN]);
    out
}

impl Report {
    pub fn parse(payload: &[u8]) -> Result<Report, ReportError> {
        let r: Report = json::strict(payload).map_err(ReportError::Json)?;
        r.validate()?;
        Ok(r)
    }

    pub fn validate(&self) -> Result<(), ReportError> {
        if self.format != REPORT_FORMAT_VERSION {
            return Err(ReportError::Format(self.format));
        }
        if self.standard.clauses.len() > MAX_CLAUSES {
            return Err(ReportError::TooManyClauses);
        }
        Ok(())
    }

    /// Names of the label fields on which this report disagrees with the claim.
    pub fn mismatches(&self, c: &Claim) -> Vec<SharedField> {
        let pairs = [
            (SharedField::Authority, self.authority == c.authority),
            (SharedField::Serial, self.serial == c.serial),
            (SharedField::Programme, self.programme == c.programme),
            (SharedField::Level, self.level == c.level),
            (SharedField::Maker, self.maker == c.maker),
            (SharedField::Model, self.model == c.model),
            (SharedField::Gtins, self.gtins == c.gtins),
            (SharedField::ValidFrom, self.valid_from == c.valid_from),
            (SharedField::ValidUntil, self.valid_until == c.valid_until),
        ];
        pairs.iter().filter(|(_, same)| !same).map(|(f, _)| *f).collect()
    }
}
