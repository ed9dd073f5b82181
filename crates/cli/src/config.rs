//! `labelcheck.json`: which root keys to trust, which lists to load, where reports are mirrored.
//! Found in the current folder when `--config` is not given, so a demo folder verifies as is.

use crate::error::Result;
use crate::files;
use labelcheck_authority::error::{Action, Error};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "labelcheck.json";

#[derive(serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Trust anchors file.
    pub trust: String,
    /// Signed key list files or URLs.
    #[serde(default)]
    pub key_lists: Vec<String>,
    /// Signed revocation list files or URLs.
    #[serde(default)]
    pub revocation_lists: Vec<String>,
    /// Signed status list partition files or URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status_lists: Vec<String>,
    /// Reports and status list partitions whose URL starts with `prefix` are read from `dir`
    /// instead of fetched.
    #[serde(default)]
    pub report_mirrors: Vec<Mirror>,
}

#[derive(serde::Deserialize, serde::Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Mirror {
    pub prefix: String,
    pub dir: String,
}

/// A config with its relative paths resolved against the folder it was read from.
pub struct Loaded {
    pub trust: PathBuf,
    pub key_lists: Vec<String>,
    pub revocation_lists: Vec<String>,
    pub status_lists: Vec<String>,
    pub mirrors: Vec<(String, PathBuf)>,
}

fn resolve(base: &Path, s: &str) -> String {
    if s.starts_with("https://") || s.starts_with("http://") {
        s.to_owned()
    } else {
        base.join(s).to_string_lossy().into_owned()
    }
}

pub fn load(explicit: Option<&Path>) -> Result<Option<Loaded>> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from(FILE_NAME);
            if !p.is_file() {
                return Ok(None);
            }
            p
        }
    };
    let bytes = files::read_limited(&path, 1 << 20)?;
    let c: Config = serde_json::from_slice(&bytes).map_err(|e| Error::json(&path, Action::Read, &e))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(Some(Loaded {
        trust: base.join(&c.trust),
        key_lists: c.key_lists.iter().map(|s| resolve(&base, s)).collect(),
        revocation_lists: c.revocation_lists.iter().map(|s| resolve(&base, s)).collect(),
        status_lists: c.status_lists.iter().map(|s| resolve(&base, s)).collect(),
        mirrors: c
            .report_mirrors
            .iter()
            .map(|m| (m.prefix.clone(), base.join(&m.dir)))
            .collect(),
    }))
}
