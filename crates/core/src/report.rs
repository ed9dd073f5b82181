//! The security report: JSON signed as a JWS, bound to its label by a digest of the payload.

use crate::claim::{Claim, REPORT_DIGEST_LEN};
use crate::jws::strict_json;
use crate::time::{Date, Timestamp};
use sha2::{Digest, Sha256};

pub const REPORT_FORMAT_VERSION: u32 = 1;

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
    pub fn parse(payload: &[u8]) -> Result<Report, String> {
        let r: Report = strict_json(payload)?;
        if r.format != REPORT_FORMAT_VERSION {
            return Err(format!("report format {} is not supported", r.format));
        }
        if r.standard.clauses.len() > 1000 {
            return Err("the report lists more than 1000 clauses".into());
        }
        Ok(r)
    }

    /// Names of the label fields on which this report disagrees with the claim.
    pub fn mismatches(&self, c: &Claim) -> Vec<&'static str> {
        let pairs = [
            ("authority", self.authority == c.authority),
            ("serial", self.serial == c.serial),
            ("programme", self.programme == c.programme),
            ("level", self.level == c.level),
            ("maker", self.maker == c.maker),
            ("model", self.model == c.model),
            ("gtins", self.gtins == c.gtins),
            ("valid_from", self.valid_from == c.valid_from),
            ("valid_until", self.valid_until == c.valid_until),
        ];
        pairs.iter().filter(|(_, same)| !same).map(|(n, _)| *n).collect()
    }
}
