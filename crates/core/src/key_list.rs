//! The key list: an authority's signing keys, report hosts and programmes, signed by its root.

use crate::fields;
use crate::jwk::PublicJwk;
use crate::jws::strict_json;
use crate::time::Timestamp;
use ed25519_dalek::VerifyingKey;

pub const KEY_LIST_FORMAT_VERSION: u32 = 1;
pub const MAX_KEYS: usize = 64;
pub const MAX_PROGRAMMES: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    pub keys: Vec<KeyEntry>,
    pub programmes: Vec<Programme>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
}

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

impl KeyList {
    pub fn parse(payload: &[u8]) -> Result<KeyList, String> {
        let list: KeyList = strict_json(payload)?;
        list.validate()?;
        Ok(list)
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.format != KEY_LIST_FORMAT_VERSION {
            return Err(format!("key list format {} is not supported", self.format));
        }
        if !fields::authority_ok(&self.authority) {
            return Err("the authority id is not valid".into());
        }
        if self.keys.is_empty() || self.keys.len() > MAX_KEYS {
            return Err(format!("a key list holds 1 to {MAX_KEYS} keys"));
        }
        for (i, k) in self.keys.iter().enumerate() {
            k.jwk().verifying_key().map_err(|e| format!("key {}: {e}", k.kid))?;
            if k.not_after <= k.not_before {
                return Err(format!("key {}: its window ends before it starts", k.kid));
            }
            if self.keys[..i].iter().any(|o| o.kid == k.kid) {
                return Err(format!("key id {} appears twice", k.kid));
            }
        }
        if self.programmes.len() > MAX_PROGRAMMES {
            return Err(format!("a key list defines at most {MAX_PROGRAMMES} programmes"));
        }
        if !self.verifier.ends_with('/') || !fields::location_ok(&self.verifier) {
            return Err("the verifier must be an https URL ending in /".into());
        }
        if let Some(t) = &self.report_url {
            if !t.contains("{serial}") || !fields::location_ok(&t.replace("{serial}", "x")) {
                return Err("report_url must be an https URL containing {serial}".into());
            }
        }
        if self.expires <= self.issued_at {
            return Err("the key list expires before it was issued".into());
        }
        Ok(())
    }

    pub fn key(&self, kid: &str) -> Option<&KeyEntry> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    pub fn programme(&self, id: u32) -> Option<&Programme> {
        self.programmes.iter().find(|p| p.id == id)
    }

    pub fn report_host_allowed(&self, url: &str) -> bool {
        fields::host_of(url).is_some_and(|h| self.report_hosts.iter().any(|a| a.eq_ignore_ascii_case(&h)))
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
        self.jwk().verifying_key().ok()
    }

    pub fn valid_at(&self, t: Timestamp) -> bool {
        self.not_before <= t && t < self.not_after
    }
}
