//! The authority file: where an authority's state is, named once, so that every issuing act
//! uses the same register, trust file and lists wherever it is run from. A register or an
//! authority file is made only by [`init`]; nothing is found in the current folder by default.
//!
//! ```json
//! {"format": 1, "authority": "ACME", "trust": "public/trust.json",
//!  "key_list": "public/keys.jws", "revocations": "public/revocations.jws",
//!  "status": "public/status", "register": "private/ACME.serials"}
//! ```
//!
//! `status` is the folder of the status list's partitions as published (`0.jws`, `1.jws`, …,
//! FORMAT.md §6.2).
//!
//! Paths are taken from the authority file's folder.

use crate::durable;
use crate::error::{Action, Error, Result};
use crate::gate::{Gate, Source};
use crate::register::Register;
use labelcheck_core::limits::{MAX_KEY_LIST_BYTES, MAX_REVOCATION_LIST_BYTES, MAX_TRUST_FILE_BYTES};
use labelcheck_core::Timestamp;
use std::path::{Path, PathBuf};

pub const AUTHORITY_FILE_FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityFile {
    pub format: u32,
    /// The authority id its labels and lists carry.
    pub authority: String,
    /// The trust file verifiers are given, with this authority's root keys.
    pub trust: String,
    /// The signed key list as published.
    pub key_list: String,
    /// The signed revocation list as published.
    pub revocations: String,
    /// The folder of the status list's partitions as published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The serial register.
    pub register: String,
}

/// An authority, ready to issue: its files found and its lists verified as verifiers will.
pub struct Authority {
    pub path: PathBuf,
    pub id: String,
    pub trust: PathBuf,
    pub key_list: PathBuf,
    pub revocations: PathBuf,
    pub status: Option<PathBuf>,
    pub register: PathBuf,
    pub gate: Gate,
}

fn resolve(base: &Path, p: &str) -> PathBuf {
    if base == Path::new(".") {
        PathBuf::from(p)
    } else {
        base.join(p)
    }
}

impl Authority {
    /// Reads the authority file at `path` and the files it names, judged at `now`.
    pub fn load(path: &Path, now: Timestamp) -> Result<Authority> {
        let bytes = match durable::read_limited(path, 64 << 10) {
            Err(Error::Io { cause, .. }) if cause.not_found() => {
                return Err(Error::AuthorityFileMissing { path: path.to_owned() })
            }
            other => other?,
        };
        let file: AuthorityFile =
            serde_json::from_slice(&bytes).map_err(|e| Error::json(path, Action::ReadAuthorityFile, &e))?;
        if file.format != AUTHORITY_FILE_FORMAT {
            return Err(Error::Format {
                path: path.to_owned(),
                format: u64::from(file.format),
            });
        }
        Authority::from_file(path, &file, now)
    }

    fn from_file(path: &Path, file: &AuthorityFile, now: Timestamp) -> Result<Authority> {
        let base = durable::folder_of(path);
        let trust = resolve(base, &file.trust);
        let key_list = resolve(base, &file.key_list);
        let revocations = resolve(base, &file.revocations);
        let trust_bytes = durable::read_limited(&trust, MAX_TRUST_FILE_BYTES)?;
        let key_bytes = durable::read_limited(&key_list, MAX_KEY_LIST_BYTES)?;
        let revocation_bytes = durable::read_limited(&revocations, MAX_REVOCATION_LIST_BYTES)?;
        let status = file.status.as_deref().map(|s| resolve(base, s));
        let partitions = match &status {
            Some(folder) => crate::status::read_all(folder)?,
            None => Vec::new(),
        };
        let gate = Gate::new(
            &file.authority,
            Source {
                path: &trust,
                bytes: &trust_bytes,
            },
            Source {
                path: &key_list,
                bytes: &key_bytes,
            },
            Source {
                path: &revocations,
                bytes: &revocation_bytes,
            },
            &partitions,
            now,
        )?;
        Ok(Authority {
            path: path.to_owned(),
            id: file.authority.clone(),
            trust,
            key_list,
            revocations,
            status,
            register: resolve(base, &file.register),
            gate,
        })
    }

    /// Opens the register and checks that it is this authority's.
    pub fn open_register(&self) -> Result<Register> {
        let reg = Register::open(&self.register)?;
        if let Some(a) = reg.authority().filter(|a| *a != self.id) {
            return Err(Error::OtherAuthority {
                path: self.register.clone(),
                found: a.to_owned(),
                expected: self.id.clone(),
            });
        }
        Ok(reg)
    }
}

/// Sets an authority up: checks that the trust file, key list and revocation list it names
/// work together as verifiers will use them, makes the serial register (numbering serials
/// `prefix` and eight digits) unless `existing_register`, and writes the authority file.
/// Neither file is written over an existing one.
pub fn init(path: &Path, file: &AuthorityFile, prefix: Option<&str>, now: Timestamp) -> Result<Authority> {
    if path.exists() {
        return Err(Error::Exists { path: path.to_owned() });
    }
    let base = durable::folder_of(path);
    // Everything is checked before anything is made.
    let checked = Authority::from_file(path, file, now)?;
    if let Some(prefix) = prefix {
        Register::create(&checked.register, &file.authority, prefix)?;
    } else {
        drop(checked.open_register()?);
    }
    let mut json = serde_json::to_vec_pretty(file).map_err(|e| Error::json(path, Action::Write, &e))?;
    json.push(b'\n');
    durable::create_folders(base)?;
    durable::create(path, &json, 0o644)?;
    Ok(checked)
}
