//! `labelcheck keys`: build and sign a key list.

use crate::args::KeysArgs;
use crate::error::{at, err, Result};
use crate::files;
use crate::signing_key::Key;
use labelcheck_core::issuer::sign_key_list;
use labelcheck_core::jwk::PublicJwk;
use labelcheck_core::limits::MAX_KEY_LIST_BYTES;
use labelcheck_core::KeyList;
use serde_json::Value;
use std::path::Path;
use std::process::ExitCode;

/// The version of an existing signed list, so a rebuilt list always moves forward.
pub fn existing_version(path: &Path) -> Option<u64> {
    let bytes = files::read_limited(path, MAX_KEY_LIST_BYTES * 16).ok()?;
    let payload = files::unverified_payload(&bytes)?;
    serde_json::from_slice::<Value>(&payload).ok()?.get("version")?.as_u64()
}

/// Replaces `{"key_file": "k1.jwk", ...}` entries with the key's public members.
fn resolve_key_files(doc: &mut Value, base: &Path) -> Result<()> {
    let Some(keys) = doc.get_mut("keys").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for entry in keys {
        let Some(obj) = entry.as_object_mut() else { continue };
        let Some(file) = obj.remove("key_file") else { continue };
        let path = base.join(file.as_str().ok_or_else(|| err("key_file must be a file name"))?);
        let bytes = files::read_limited(&path, 4096)?;
        let jwk: PublicJwk = serde_json::from_slice(&bytes).map_err(|e| at(&path, "read the key in", e))?;
        jwk.verifying_key().map_err(|e| at(&path, "use the key in", e))?;
        for (k, v) in [("kty", jwk.kty), ("crv", jwk.crv), ("x", jwk.x), ("kid", jwk.kid)] {
            obj.insert(k.into(), Value::String(v));
        }
    }
    Ok(())
}

pub fn run(a: KeysArgs) -> Result<ExitCode> {
    let input = files::read_limited(&a.input, MAX_KEY_LIST_BYTES)?;
    let mut doc: Value = serde_json::from_slice(&input).map_err(|e| at(&a.input, "read JSON from", e))?;
    let root = Key::open(&a.root)?;
    let base = a.input.parent().unwrap_or(Path::new("."));
    resolve_key_files(&mut doc, base)?;
    let now = files::now();
    let obj = doc
        .as_object_mut()
        .ok_or_else(|| err("the key list must be a JSON object"))?;
    obj.entry("format").or_insert(1.into());
    obj.entry("issued_at").or_insert(now.to_string().into());
    obj.entry("expires")
        .or_insert(now.add_secs(a.valid_days * 86_400).to_string().into());
    let next = existing_version(&a.out).map_or(1, |v| v + 1);
    let version = obj.entry("version").or_insert(next.into()).as_u64().unwrap_or(0);
    if version < next {
        return Err(err(format!(
            "version {version} is not newer than the existing list's; verifiers would refuse it (use {next})"
        )));
    }
    let list: KeyList = serde_json::from_value(doc).map_err(|e| at(&a.input, "use the key list in", e))?;
    let signed =
        sign_key_list(&list, &root.kid, &root).map_err(|e| root.explain(at(&a.input, "sign the key list in", e)))?;
    files::write(&a.out, &signed)?;
    eprintln!(
        "labelcheck: key list version {} of {} with {} key(s) written to {}, fresh until {}",
        list.version,
        list.authority,
        list.keys.len(),
        a.out.display(),
        list.expires
    );
    Ok(ExitCode::SUCCESS)
}
