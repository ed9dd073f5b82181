//! The authority's status list (FORMAT.md §6.2) as files: one signed partition a million
//! labels, `N.jws` in the authority file's `status` folder. Partitions `0..partitions` (the
//! count the revocation list states) are published; a label in a partition beyond them is not
//! revoked, as the fresh, signed revocation list says, so issuing never needs the root key.
//! A withdrawal sets bits and re-signs every partition with the revocation list: each version
//! one up, each fresh again.

use crate::durable;
use crate::error::{Error, Result};
use ed25519_dalek::{Signature, Signer, VerifyingKey};
use labelcheck_core::issuer::sign_status;
use labelcheck_core::jws::{Jws, TYP_STATUS};
use labelcheck_core::limits::MAX_STATUS_LIST_BYTES;
use labelcheck_core::status::{self, Singles, StatusList, StatusListDoc, TokenStatusList, PARTITION_SIZE};
use labelcheck_core::{ListKind, Timestamp};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn file_of(folder: &Path, partition: u32) -> PathBuf {
    folder.join(format!("{partition}.jws"))
}

/// Every partition file of `folder` (`N.jws`), with its bytes; none if there is no folder yet.
pub fn read_all(folder: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(n) = name.strip_suffix(".jws") else { continue };
        if n.parse::<u32>().is_ok() {
            let path = e.path();
            let bytes = durable::read_limited(&path, MAX_STATUS_LIST_BYTES)?;
            out.push((path, bytes));
        }
    }
    out.sort();
    Ok(out)
}

/// A partition being changed: its bits, its singles, and the version it was published at.
pub struct Partition {
    pub bits: Vec<u8>,
    pub singles: Vec<Singles>,
    pub version: u64,
}

impl Partition {
    fn empty() -> Partition {
        Partition {
            bits: status::empty_bits(),
            singles: Vec::new(),
            version: 0,
        }
    }

    pub fn revoked(&self, index: u32) -> bool {
        self.bits
            .get((index / 8) as usize)
            .is_some_and(|b| b & (1 << (index % 8)) != 0)
    }
}

/// The partitions `0..count` of `folder`, each checked to be signed by `root` and to be this
/// authority's; a partition missing below `count` is refused (a new one at version 1 would be
/// refused by every verifier holding the lost one).
pub fn load(folder: &Path, authority: &str, count: u32, root: &VerifyingKey) -> Result<BTreeMap<u32, Partition>> {
    let mut out = BTreeMap::new();
    for p in 0..count {
        let path = file_of(folder, p);
        if !path.exists() {
            return Err(Error::PartitionMissing { path, partition: p });
        }
        let bytes = durable::read_limited(&path, MAX_STATUS_LIST_BYTES)?;
        let jws = Jws::parse(&bytes, MAX_STATUS_LIST_BYTES, TYP_STATUS).map_err(|problem| Error::SignedFile {
            path: path.clone(),
            problem,
        })?;
        if !jws.verify(root) {
            return Err(Error::NotSignedByRoot { path, kid: jws.kid });
        }
        let list = StatusList::parse(&jws.payload).map_err(|problem| Error::ListRefused {
            path: path.clone(),
            kind: ListKind::Status,
            problem: labelcheck_core::list_store::ListError::Status(problem),
        })?;
        if list.doc.authority != authority || list.doc.partition != p {
            return Err(Error::ListRefused {
                path,
                kind: ListKind::Status,
                problem: labelcheck_core::list_store::ListError::WrongPartition {
                    asked: p,
                    got: list.doc.partition,
                },
            });
        }
        let singles = list.singles().to_vec();
        out.insert(
            p,
            Partition {
                bits: list.bits().to_vec(),
                singles,
                version: list.doc.version,
            },
        );
    }
    Ok(out)
}

/// Sets the bits of status numbers `first..=last`; the partitions they fall in are made when
/// missing. How many labels were not revoked before.
pub fn set_range(parts: &mut BTreeMap<u32, Partition>, first: u64, last: u64) -> u64 {
    let mut newly = 0;
    for n in first..=last {
        let (p, i) = (
            (n / u64::from(PARTITION_SIZE)) as u32,
            (n % u64::from(PARTITION_SIZE)) as u32,
        );
        let part = parts.entry(p).or_insert_with(Partition::empty);
        if !part.revoked(i) {
            status::set_bit(&mut part.bits, i);
            newly += 1;
        }
    }
    newly
}

/// Signs and publishes every partition of `parts`, and the empty ones below the highest, each
/// at its version one up and fresh until `expires`. The new partition count.
pub fn publish<S: Signer<Signature> + ?Sized>(
    folder: &Path,
    authority: &str,
    parts: &mut BTreeMap<u32, Partition>,
    root_kid: &str,
    root: &S,
    now: Timestamp,
    expires: Timestamp,
) -> Result<u32> {
    let count = parts.keys().next_back().map_or(0, |p| p + 1);
    for p in 0..count {
        parts.entry(p).or_insert_with(Partition::empty);
    }
    for (p, part) in parts.iter_mut() {
        part.version += 1;
        let doc = StatusListDoc {
            format: status::STATUS_FORMAT_VERSION,
            authority: authority.to_owned(),
            partition: *p,
            version: part.version,
            issued_at: now,
            expires,
            status_list: TokenStatusList {
                bits: 1,
                lst: status::deflate(&part.bits),
            },
            singles: status::encode_singles(&part.bits, &part.singles),
        };
        let path = file_of(folder, *p);
        let signed = sign_status(&doc, root_kid, root).map_err(|e| match e {
            labelcheck_core::issuer::IssueError::Status(problem) => Error::ListRefused {
                path: path.clone(),
                kind: ListKind::Status,
                problem: labelcheck_core::list_store::ListError::Status(problem),
            },
            _ => Error::Token(crate::error::TokenProblem::SigningFailed(String::new())),
        })?;
        durable::replace(&path, &signed)?;
    }
    Ok(count)
}
