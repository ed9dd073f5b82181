//! Trust anchors (root keys a verifier ships) and the lists they sign, with rollback refused.

use crate::fields;
use crate::jwk::PublicJwk;
use crate::jws::{self, strict_json, Jws, JwsError};
use crate::key_list::{KeyList, Names};
use crate::limits::{MAX_KEY_LIST_BYTES, MAX_REVOCATION_LIST_BYTES, MAX_TRUST_FILE_BYTES};
use crate::revocation::RevocationList;
use std::collections::BTreeMap;
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
    pub root_keys: Vec<PublicJwk>,
    pub key_list_url: String,
    pub revocations_url: String,
}

impl TrustAnchors {
    pub fn parse(bytes: &[u8]) -> Result<TrustAnchors, String> {
        if bytes.len() > MAX_TRUST_FILE_BYTES {
            return Err("the trust file is too large".into());
        }
        let t: TrustAnchors = strict_json(bytes)?;
        if t.format != TRUST_FORMAT_VERSION {
            return Err(format!("trust file format {} is not supported", t.format));
        }
        for a in &t.anchors {
            if !fields::authority_ok(&a.authority) {
                return Err(format!("authority id {:?} is not valid", a.authority));
            }
            for k in &a.root_keys {
                k.verifying_key()
                    .map_err(|e| format!("{}: root key {}: {e}", a.authority, k.kid))?;
            }
        }
        Ok(t)
    }

    pub fn anchor(&self, authority: &str) -> Option<&Anchor> {
        self.anchors.iter().find(|a| a.authority == authority)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListError {
    Jws(JwsError),
    Invalid(String),
    UnknownAuthority(String),
    UnknownRootKey(String),
    BadSignature,
    Rollback { have: u64, offered: u64 },
    VersionConflict(u64),
}

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListError::Jws(e) => e.fmt(f),
            ListError::Invalid(e) => write!(f, "the list is not valid: {e}"),
            ListError::UnknownAuthority(a) => write!(f, "the list is for authority {a:?}, which is not trusted"),
            ListError::UnknownRootKey(k) => {
                write!(f, "the list is signed with key {k:?}, which is not a trusted root key")
            }
            ListError::BadSignature => f.write_str("the list's signature is not valid"),
            ListError::Rollback { have, offered } => {
                write!(
                    f,
                    "refused an older list (version {offered}) in place of the one held (version {have})"
                )
            }
            ListError::VersionConflict(v) => {
                write!(
                    f,
                    "refused a list that differs from the one held under the same version {v}"
                )
            }
        }
    }
}

impl std::error::Error for ListError {}

/// A list whose root signature has been verified, with the bytes it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored<T> {
    pub list: T,
    pub raw: Vec<u8>,
    payload: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListUpdate {
    Installed { version: u64, previous: Option<u64> },
    Unchanged { version: u64 },
}

/// The newest verified key list and revocation list of each trusted authority.
#[derive(Clone, Debug, Default)]
pub struct ListStore {
    key_lists: BTreeMap<String, Stored<KeyList>>,
    revocations: BTreeMap<String, Stored<RevocationList>>,
}

/// What the two root-signed lists have in common.
trait RootSigned: Sized {
    const TYP: &'static str;
    const MAX_BYTES: usize;
    fn parse(payload: &[u8]) -> Result<Self, String>;
    fn version(&self) -> u64;
}

impl RootSigned for KeyList {
    const TYP: &'static str = jws::TYP_KEY_LIST;
    const MAX_BYTES: usize = MAX_KEY_LIST_BYTES;
    fn parse(payload: &[u8]) -> Result<Self, String> {
        KeyList::parse(payload)
    }
    fn version(&self) -> u64 {
        self.version
    }
}

impl RootSigned for RevocationList {
    const TYP: &'static str = jws::TYP_REVOCATIONS;
    const MAX_BYTES: usize = MAX_REVOCATION_LIST_BYTES;
    fn parse(payload: &[u8]) -> Result<Self, String> {
        RevocationList::parse(payload)
    }
    fn version(&self) -> u64 {
        self.version
    }
}

fn offer<T: RootSigned>(
    slot: &mut BTreeMap<String, Stored<T>>,
    anchors: &TrustAnchors,
    raw: &[u8],
) -> Result<ListUpdate, ListError> {
    let (jws, anchor) = verify_root_signed(anchors, raw, T::MAX_BYTES, T::TYP)?;
    let list = T::parse(&jws.payload).map_err(ListError::Invalid)?;
    let version = list.version();
    let authority = anchor.authority.clone();
    install(
        slot,
        &authority,
        version,
        Stored {
            list,
            raw: raw.to_vec(),
            payload: jws.payload,
        },
        T::version,
    )
}

#[derive(serde::Deserialize)]
struct AuthorityOnly {
    authority: String,
}

fn verify_root_signed<'a>(
    anchors: &'a TrustAnchors,
    raw: &[u8],
    max: usize,
    typ: &str,
) -> Result<(Jws, &'a Anchor), ListError> {
    let jws = Jws::parse(raw, max, typ).map_err(ListError::Jws)?;
    let who: AuthorityOnly = serde_json::from_slice(&jws.payload).map_err(|e| ListError::Invalid(e.to_string()))?;
    let anchor = anchors
        .anchor(&who.authority)
        .ok_or(ListError::UnknownAuthority(who.authority))?;
    let root = anchor
        .root_keys
        .iter()
        .find(|k| k.kid == jws.kid)
        .ok_or_else(|| ListError::UnknownRootKey(jws.kid.clone()))?;
    let key = root.verifying_key().map_err(|e| ListError::Invalid(e.to_string()))?;
    if !jws.verify(&key) {
        return Err(ListError::BadSignature);
    }
    Ok((jws, anchor))
}

fn install<T>(
    slot: &mut BTreeMap<String, Stored<T>>,
    authority: &str,
    version: u64,
    new: Stored<T>,
    version_of: impl Fn(&T) -> u64,
) -> Result<ListUpdate, ListError> {
    let previous = match slot.get(authority) {
        Some(held) => {
            let have = version_of(&held.list);
            if version < have {
                return Err(ListError::Rollback { have, offered: version });
            }
            if version == have {
                return if held.payload == new.payload {
                    Ok(ListUpdate::Unchanged { version })
                } else {
                    Err(ListError::VersionConflict(version))
                };
            }
            Some(have)
        }
        None => None,
    };
    slot.insert(authority.to_owned(), new);
    Ok(ListUpdate::Installed { version, previous })
}

impl ListStore {
    pub fn new() -> ListStore {
        ListStore::default()
    }

    /// Verifies a key list against the trust anchors and keeps it unless an equal or newer one
    /// is held. Expired lists are kept too: their age is reported with every verdict.
    pub fn offer_key_list(&mut self, anchors: &TrustAnchors, raw: &[u8]) -> Result<ListUpdate, ListError> {
        offer(&mut self.key_lists, anchors, raw)
    }

    /// As [`ListStore::offer_key_list`], for revocation lists.
    pub fn offer_revocations(&mut self, anchors: &TrustAnchors, raw: &[u8]) -> Result<ListUpdate, ListError> {
        offer(&mut self.revocations, anchors, raw)
    }

    pub fn key_list(&self, authority: &str) -> Option<&Stored<KeyList>> {
        self.key_lists.get(authority)
    }

    pub fn revocations(&self, authority: &str) -> Option<&Stored<RevocationList>> {
        self.revocations.get(authority)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::Authority;

    #[test]
    fn installs_newer_and_refuses_older_lists() {
        let a = Authority::new("DEMO", 1);
        let anchors = a.anchors();
        let mut store = ListStore::new();
        let v2 = a.key_list_file(2);
        let v1 = a.key_list_file(1);
        assert_eq!(
            store.offer_key_list(&anchors, &v2),
            Ok(ListUpdate::Installed {
                version: 2,
                previous: None
            })
        );
        assert_eq!(
            store.offer_key_list(&anchors, &v1),
            Err(ListError::Rollback { have: 2, offered: 1 })
        );
        assert_eq!(
            store.offer_key_list(&anchors, &v2),
            Ok(ListUpdate::Unchanged { version: 2 })
        );
        assert_eq!(
            store.offer_key_list(&anchors, &a.key_list_file(3)),
            Ok(ListUpdate::Installed {
                version: 3,
                previous: Some(2)
            })
        );
        let r2 = a.revocations_file(2, &[]);
        assert!(store.offer_revocations(&anchors, &r2).is_ok());
        assert_eq!(
            store.offer_revocations(&anchors, &a.revocations_file(1, &[])),
            Err(ListError::Rollback { have: 2, offered: 1 })
        );
        assert_eq!(
            store.offer_revocations(&anchors, &a.revocations_file(2, &["X"])),
            Err(ListError::VersionConflict(2))
        );
    }

    #[test]
    fn refuses_lists_from_strangers() {
        let a = Authority::new("DEMO", 1);
        let stranger = Authority::new("DEMO", 9);
        let mut store = ListStore::new();
        assert_eq!(
            store.offer_key_list(&a.anchors(), &stranger.key_list_file(1)),
            Err(ListError::BadSignature)
        );
        let other = Authority::new("OTHER", 2);
        assert_eq!(
            store.offer_key_list(&a.anchors(), &other.key_list_file(1)),
            Err(ListError::UnknownAuthority("OTHER".into()))
        );
        assert!(matches!(
            store.offer_key_list(&a.anchors(), &a.revocations_file(1, &[])),
            Err(ListError::Jws(JwsError::WrongType))
        ));
    }
}
