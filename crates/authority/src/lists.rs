//! The lists an authority's root signs: the key list and the revocation list. A list is
//! published only with a version above the one verifiers hold, since they refuse any other
//! (FORMAT.md §7.1): when the version of the list being replaced cannot be read, it must be
//! given, never guessed.

use crate::durable;
use crate::error::{Action, Error, Result};
use crate::key::{read_public_key, Key};
use labelcheck_core::issuer::sign_key_list;
use labelcheck_core::jws::{Jws, TYP_KEY_LIST, TYP_REVOCATIONS};
use labelcheck_core::key_list::KeyList;
use labelcheck_core::limits::{MAX_KEY_LIST_BYTES, MAX_REVOCATION_LIST_BYTES};
use labelcheck_core::revocation::RevocationList;
use labelcheck_core::Timestamp;
use serde_json::Value;
use std::path::Path;

/// Reads the payload of a signed file without checking its signature: for an authority's own
/// files, whose signatures the verifiers check.
pub fn unverified_payload(bytes: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    let v: Value = serde_json::from_slice(bytes).ok()?;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(v.get("payload")?.as_str()?)
        .ok()
}

/// Why the version of the list being replaced is not known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unknown {
    Missing,
    Unreadable,
}

/// The version of the signed list at `path`.
fn previous_version(path: &Path, max: usize) -> std::result::Result<u64, Unknown> {
    let bytes = match durable::read_limited(path, max) {
        Ok(b) => b,
        Err(_) if !path.exists() => return Err(Unknown::Missing),
        Err(_) => return Err(Unknown::Unreadable),
    };
    let payload = unverified_payload(&bytes).ok_or(Unknown::Unreadable)?;
    serde_json::from_slice::<Value>(&payload)
        .ok()
        .and_then(|v| v.get("version")?.as_u64())
        .ok_or(Unknown::Unreadable)
}

/// The version to publish: the one asked for, which must be above the previous list's, or one
/// above the previous list's.
fn next_version(path: &Path, max: usize, asked: Option<u64>) -> Result<(u64, Option<u64>)> {
    match (previous_version(path, max), asked) {
        (Ok(previous), Some(v)) if v <= previous => Err(Error::VersionNotNewer {
            path: path.to_owned(),
            version: v,
            previous,
        }),
        (Ok(previous), v) => Ok((v.unwrap_or(previous + 1), Some(previous))),
        (Err(_), Some(v)) => Ok((v, None)),
        (Err(why), None) => Err(Error::VersionNeeded {
            path: path.to_owned(),
            why,
        }),
    }
}

/// What a key list publication did.
pub struct PublishedKeys {
    pub list: KeyList,
    pub previous: Option<u64>,
}

/// Replaces `{"key_file": "k1.pub.json", ...}` entries with the key's public members. A
/// relative `key_file` is taken from `base`, the folder of the key list's input, so the input
/// and its key files move together.
fn resolve_key_files(doc: &mut Value, base: &Path) -> Result<()> {
    let Some(keys) = doc.get_mut("keys").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for entry in keys {
        let Some(obj) = entry.as_object_mut() else { continue };
        let Some(file) = obj.remove("key_file") else { continue };
        let name = file.as_str().ok_or(Error::KeyFileName)?;
        let jwk = read_public_key(&base.join(name))?;
        for (k, v) in [("kty", jwk.kty), ("crv", jwk.crv), ("x", jwk.x), ("kid", jwk.kid)] {
            obj.insert(k.into(), Value::String(v));
        }
    }
    Ok(())
}

/// Signs the key list described in `input` (FORMAT.md §5; `format`, `version`, `issued_at`
/// and `expires` may be left out) and publishes it at `out`.
pub fn publish_key_list(
    input: &Path,
    out: &Path,
    root: &Key,
    version: Option<u64>,
    valid_days: i64,
    now: Timestamp,
) -> Result<PublishedKeys> {
    let bytes = durable::read_limited(input, MAX_KEY_LIST_BYTES)?;
    let mut doc: Value = serde_json::from_slice(&bytes).map_err(|e| Error::json(input, Action::ReadKeyList, &e))?;
    resolve_key_files(&mut doc, durable::folder_of(input))?;
    let (version, previous) = next_version(out, MAX_KEY_LIST_BYTES * 16, version)?;
    let obj = doc
        .as_object_mut()
        .ok_or_else(|| Error::NotAnObject { path: input.to_owned() })?;
    obj.entry("format").or_insert(1.into());
    obj.entry("issued_at").or_insert(now.to_string().into());
    obj.entry("expires")
        .or_insert(now.add_secs(valid_days.max(1) * 86_400).to_string().into());
    match obj.get("version").map(Value::as_u64) {
        None => {
            obj.insert("version".into(), version.into());
        }
        Some(Some(v)) if previous.is_none_or(|p| v > p) => {}
        Some(Some(v)) => {
            return Err(Error::VersionNotNewer {
                path: out.to_owned(),
                version: v,
                previous: previous.unwrap_or(0),
            })
        }
        Some(None) => return Err(Error::json_shape(input, "version")),
    }
    let list: KeyList = serde_json::from_value(doc).map_err(|e| Error::json(input, Action::ReadKeyList, &e))?;
    let signed = sign_key_list(&list, &root.kid, root).map_err(|e| match e {
        labelcheck_core::issuer::IssueError::KeyList(problem) => Error::KeyList {
            path: input.to_owned(),
            problem,
        },
        _ => root.signing_failed(),
    })?;
    durable::replace(out, &signed)?;
    Ok(PublishedKeys { list, previous })
}

/// Reads the authority's revocation list, checking that this root signed it.
pub fn read_revocations(path: &Path, root: &Key) -> Result<RevocationList> {
    let bytes = durable::read_limited(path, MAX_REVOCATION_LIST_BYTES)?;
    let jws = Jws::parse(&bytes, MAX_REVOCATION_LIST_BYTES, TYP_REVOCATIONS).map_err(|problem| Error::SignedFile {
        path: path.to_owned(),
        problem,
    })?;
    if !jws.verify(&root.public) {
        return Err(Error::NotSignedByRoot {
            path: path.to_owned(),
            kid: root.kid.clone(),
        });
    }
    RevocationList::parse(&jws.payload).map_err(|problem| Error::Revocations {
        path: path.to_owned(),
        problem,
    })
}

/// The key list an authority publishes, read without checking its signature (the gate checks
/// it against the trust file).
pub fn read_key_list(path: &Path) -> Result<KeyList> {
    let bytes = durable::read_limited(path, MAX_KEY_LIST_BYTES)?;
    let jws = Jws::parse(&bytes, MAX_KEY_LIST_BYTES, TYP_KEY_LIST).map_err(|problem| Error::SignedFile {
        path: path.to_owned(),
        problem,
    })?;
    KeyList::parse(&jws.payload).map_err(|problem| Error::KeyList {
        path: path.to_owned(),
        problem,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_version_is_given_when_the_previous_list_cannot_be_read_and_never_goes_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("keys.jws");
        assert!(matches!(
            next_version(&out, 1000, None),
            Err(Error::VersionNeeded {
                why: Unknown::Missing,
                ..
            })
        ));
        assert_eq!(next_version(&out, 1000, Some(3)).unwrap(), (3, None));
        std::fs::write(&out, "{\"payload\":\"eyJ").unwrap();
        assert!(matches!(
            next_version(&out, 1000, None),
            Err(Error::VersionNeeded {
                why: Unknown::Unreadable,
                ..
            })
        ));
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b"{\"version\":2}");
        std::fs::write(&out, format!("{{\"payload\":\"{payload}\"}}")).unwrap();
        assert_eq!(next_version(&out, 1000, None).unwrap(), (3, Some(2)));
        assert_eq!(next_version(&out, 1000, Some(9)).unwrap(), (9, Some(2)));
        assert!(matches!(
            next_version(&out, 1000, Some(2)),
            Err(Error::VersionNotNewer {
                version: 2,
                previous: 2,
                ..
            })
        ));
    }
}
