//! The trust file verifiers are given (FORMAT.md §7): an authority's root public keys and
//! where its lists are published. Written here from the root public keys and the signed key
//! list, after checking that the list verifies under them, so a trust file never names roots
//! that the authority's lists are not signed with.

use crate::durable;
use crate::error::{Action, Error, Result};
use labelcheck_core::jwk::PublicJwk;
use labelcheck_core::key_list::KeyList;
use labelcheck_core::limits::MAX_TRUST_FILE_BYTES;
use labelcheck_core::trust::{Anchor, TrustAnchors, TRUST_FORMAT_VERSION};
use labelcheck_core::ListStore;
use std::path::Path;

/// A trust file's anchors. A root public key given where a trust file belongs (a common
/// first mistake) is named as such.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<TrustAnchors> {
    TrustAnchors::parse(bytes).map_err(|problem| {
        let is_key = serde_json::from_slice::<serde_json::Value>(bytes)
            .is_ok_and(|v| v.get("kty").is_some() && v.get("anchors").is_none());
        if is_key {
            Error::TrustIsAKey { path: path.to_owned() }
        } else {
            Error::Trust {
                path: path.to_owned(),
                problem,
            }
        }
    })
}

pub fn read(path: &Path) -> Result<TrustAnchors> {
    parse(path, &durable::read_limited(path, MAX_TRUST_FILE_BYTES)?)
}

/// The anchor for the authority whose signed key list is `key_list`: `roots` must include the
/// key that signed it. `revocations_url` defaults to the key list's.
pub fn anchor(
    key_list: (&Path, &[u8]),
    roots: &[PublicJwk],
    key_list_url: &str,
    revocations_url: Option<&str>,
) -> Result<Anchor> {
    let (path, bytes) = key_list;
    let payload = crate::lists::unverified_payload(bytes).ok_or_else(|| Error::NotSigned { path: path.to_owned() })?;
    let list = KeyList::parse(&payload).map_err(|problem| Error::KeyList {
        path: path.to_owned(),
        problem,
    })?;
    let anchor = Anchor {
        authority: list.authority.clone(),
        name: list.name.clone(),
        demo: list.demo,
        root_keys: roots.iter().cloned().map(Into::into).collect(),
        key_list_url: key_list_url.to_owned(),
        revocations_url: revocations_url.unwrap_or(&list.revocations_url).to_owned(),
    };
    let anchors = TrustAnchors {
        format: TRUST_FORMAT_VERSION,
        anchors: vec![anchor.clone()],
    };
    anchors.validate().map_err(|problem| Error::Trust {
        path: path.to_owned(),
        problem,
    })?;
    // The list must verify under these roots, as every verifier will check it.
    ListStore::new()
        .offer_key_list(&anchors, bytes)
        .map_err(|problem| Error::ListRefused {
            path: path.to_owned(),
            kind: labelcheck_core::ListKind::Keys,
            problem,
        })?;
    Ok(anchor)
}

/// What writing the trust file did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Created,
    Added,
    Replaced,
}

/// Writes `anchor` to the trust file at `out`: a new file, or with `update`, the existing file
/// with this authority's anchor added or replaced and every other anchor kept.
pub fn write(out: &Path, anchor: Anchor, update: bool) -> Result<Written> {
    if !out.exists() {
        let t = TrustAnchors {
            format: TRUST_FORMAT_VERSION,
            anchors: vec![anchor],
        };
        durable::create(out, &to_json(&t)?, 0o644)?;
        return Ok(Written::Created);
    }
    if !update {
        return Err(Error::Exists { path: out.to_owned() });
    }
    let mut t = read(out)?;
    let written = match t.anchors.iter_mut().find(|a| a.authority == anchor.authority) {
        Some(a) => {
            *a = anchor;
            Written::Replaced
        }
        None => {
            t.anchors.push(anchor);
            Written::Added
        }
    };
    t.validate().map_err(|problem| Error::Trust {
        path: out.to_owned(),
        problem,
    })?;
    durable::replace(out, &to_json(&t)?)?;
    Ok(written)
}

fn to_json(t: &TrustAnchors) -> Result<Vec<u8>> {
    let mut json = serde_json::to_vec_pretty(t).map_err(|e| Error::json(Path::new(""), Action::Write, &e))?;
    json.push(b'\n');
    Ok(json)
}
