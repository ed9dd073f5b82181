//! Files: bounded reads, private key files readable only by their owner, and the clock.

use crate::error::{at, err, Result};
use labelcheck_core::jwk::PrivateJwk;
use labelcheck_core::Timestamp;
use std::io::{Read, Write};
use std::path::Path;

pub fn read_limited(path: &Path, max: usize) -> Result<Vec<u8>> {
    let f = std::fs::File::open(path).map_err(|e| at(path, "read", e))?;
    let mut buf = Vec::new();
    f.take(max as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| at(path, "read", e))?;
    if buf.len() > max {
        return Err(err(format!("{} is larger than {} bytes", path.display(), max)));
    }
    Ok(buf)
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| at(dir, "create", e))?;
    }
    std::fs::write(path, bytes).map_err(|e| at(path, "write", e))
}

/// Writes a private key so that only the owner can read it; never overwrites.
pub fn write_private_key(path: &Path, key: &PrivateJwk) -> Result<()> {
    let json = serde_json::to_vec_pretty(key).map_err(|e| err(e.to_string()))?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| at(path, "create", e))?;
    f.write_all(&json)
        .and_then(|_| f.write_all(b"\n"))
        .map_err(|e| at(path, "write", e))
}

pub fn read_private_key(path: &Path) -> Result<(String, ed25519_dalek::SigningKey)> {
    let bytes = read_limited(path, 4096)?;
    let jwk: PrivateJwk = serde_json::from_slice(&bytes).map_err(|e| at(path, "read the private key in", e))?;
    let key = jwk.signing_key().map_err(|e| at(path, "use the private key in", e))?;
    Ok((jwk.kid, key))
}

/// Where a label's files go, relative to the output folder: the serial itself, so that the
/// published reports sit where the key list's `report_url` template (`…/{serial}.jws`) points,
/// a `/` in the serial making a folder. `None` when a part of it could not name a file safely
/// (empty, or starting with a dot: `.`, `..`, hidden files).
pub fn serial_path(serial: &str) -> Option<&str> {
    serial
        .split('/')
        .all(|part| !part.is_empty() && !part.starts_with('.'))
        .then_some(serial)
}

pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Timestamp(secs)
}

/// Reads the payload of a JWS file without checking its signature: for an authority's own files.
pub fn unverified_payload(bytes: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(v.get("payload")?.as_str()?)
        .ok()
}
