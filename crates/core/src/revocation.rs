//! The revocation list: serials an authority has withdrawn, signed by its root.

use crate::fields;
use crate::jws::strict_json;
use crate::time::{Date, Timestamp};

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

impl RevocationList {
    pub fn parse(payload: &[u8]) -> Result<RevocationList, String> {
        let list: RevocationList = strict_json(payload)?;
        if list.format != REVOCATION_FORMAT_VERSION {
            return Err(format!("revocation list format {} is not supported", list.format));
        }
        if !fields::authority_ok(&list.authority) {
            return Err("the authority id is not valid".into());
        }
        if list.expires <= list.issued_at {
            return Err("the revocation list expires before it was issued".into());
        }
        Ok(list)
    }

    pub fn find(&self, serial: &str) -> Option<&Revoked> {
        self.revoked.iter().find(|r| r.serial == serial)
    }
}

impl std::fmt::Display for RevocationReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RevocationReason::Withdrawn => "certification withdrawn",
            RevocationReason::Surrendered => "certification surrendered by the maker",
            RevocationReason::Misuse => "label misused or counterfeited",
            RevocationReason::Superseded => "replaced by a newer certification",
        })
    }
}
