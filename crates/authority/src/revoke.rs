//! Withdrawing labels, as a programme does (FORMAT.md §6): a product (every label of a maker's
//! model), a batch, every label a signing key signed, or single serials — each one act of the
//! authority's root. An act sets the bits of its labels in the status list (found through the
//! register, which records whose each status number is) and says when and why: a product,
//! batch or key act in the revocation list, single serials in their partitions. Labels without
//! a status (issued before status lists) are withdrawn by serial in the revocation list, and
//! by product or key through the act itself. The partitions and then the revocation list are
//! re-signed, each version one up and fresh again; renewing re-signs them unchanged.

use crate::authority::Authority;
use crate::durable;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::lists::read_revocations;
use crate::status::{self as files, Partition};
use labelcheck_core::issuer::sign_revocations;
use labelcheck_core::revocation::{Act, ActKind, RevocationList, RevocationReason, Revoked};
use labelcheck_core::status::{Singles, StatusRef};
use labelcheck_core::{Date, Timestamp};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What is withdrawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Withdraw {
    /// Nothing: the lists are re-signed, fresh again.
    Renew,
    Serials(Vec<String>),
    Product {
        maker: String,
        model: String,
    },
    Batch(String),
    Key(String),
}

/// A withdrawal: what, when and why.
pub struct Request {
    pub what: Withdraw,
    pub date: Date,
    pub reason: RevocationReason,
    pub note: Option<String>,
}

/// Where the revocation list is, and whether it is made now.
pub struct Target {
    pub path: PathBuf,
    /// `Some(authority)`: make a new list for this authority (refused if one is there).
    pub create_for: Option<String>,
}

/// What an act did.
pub struct Done {
    pub list: RevocationList,
    /// Labels withdrawn now (status bits set, and serials without a status).
    pub labels: u64,
    /// Serials that were withdrawn already, left as they were.
    pub already: Vec<String>,
    /// Status list partitions published.
    pub partitions: u32,
}

fn new_list(authority: &str, now: Timestamp) -> Result<RevocationList> {
    if !labelcheck_core::fields::authority_ok(authority) {
        return Err(Error::AuthorityId {
            id: authority.to_owned(),
        });
    }
    Ok(RevocationList {
        format: 1,
        authority: authority.to_owned(),
        version: 0,
        issued_at: now,
        expires: now,
        revoked: Vec::new(),
        acts: Vec::new(),
        partitions: 0,
    })
}

fn act(kind: ActKind, r: &Request) -> Act {
    Act::new(kind, r.date, r.reason, r.note.clone())
}

/// Carries out `r` on the revocation list at `target` (and, with `authority`, its register and
/// status list), signed with `root`; lists fresh for `valid_days`.
pub fn revoke(
    target: &Target,
    authority: Option<&Authority>,
    root: &Key,
    r: &Request,
    valid_days: i64,
    now: Timestamp,
) -> Result<Done> {
    let path = &target.path;
    let mut list = match &target.create_for {
        Some(id) if path.exists() => return Err(Error::Exists { path: path.clone() }),
        Some(id) => new_list(id, now)?,
        None if !path.exists() => return Err(Error::ListMissing { path: path.clone() }),
        None => read_revocations(path, root)?,
    };
    if let Some(a) = authority.filter(|a| a.id != list.authority) {
        return Err(Error::OtherAuthority {
            path: path.clone(),
            found: list.authority.clone(),
            expected: a.id.clone(),
        });
    }
    let needs_register = !matches!(r.what, Withdraw::Renew);
    let register = match authority {
        Some(a) => Some(a.open_register()?),
        None if needs_register && !matches!(r.what, Withdraw::Serials(_)) => return Err(Error::NeedsAuthority),
        None => None,
    };
    let folder = authority.and_then(|a| a.status.clone());
    if list.partitions > 0 && authority.is_some() && folder.is_none() {
        return Err(Error::NoStatusFolder);
    }
    let mut parts: BTreeMap<u32, Partition> = match &folder {
        Some(f) => files::load(f, &list.authority, list.partitions, &root.public)?,
        None => BTreeMap::new(),
    };
    let (mut labels, mut already) = (0u64, Vec::new());
    let mut set = |ranges: &[(u64, u64)], parts: &mut BTreeMap<u32, Partition>| {
        for (a, b) in ranges {
            labels += files::set_range(parts, *a, *b);
        }
    };
    match &r.what {
        Withdraw::Renew => {}
        Withdraw::Serials(serials) => {
            let mut by_partition: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
            for s in serials {
                if !labelcheck_core::fields::serial_ok(s) {
                    return Err(Error::Serial { serial: s.clone() });
                }
                match register
                    .as_ref()
                    .and_then(|reg| reg.number_of(s))
                    .and_then(StatusRef::of_number)
                {
                    Some(st) => {
                        let part = parts.get(&st.partition);
                        if part.is_some_and(|p| p.revoked(st.index))
                            || by_partition.get(&st.partition).is_some_and(|v| v.contains(&st.index))
                        {
                            already.push(s.clone());
                        } else {
                            by_partition.entry(st.partition).or_default().push(st.index);
                        }
                    }
                    None if list.find(s).is_some() => already.push(s.clone()),
                    None => {
                        list.revoked.push(Revoked {
                            serial: s.clone(),
                            date: r.date,
                            reason: r.reason,
                            note: r.note.clone(),
                        });
                        labels += 1;
                    }
                }
            }
            if !by_partition.is_empty() && folder.is_none() {
                return Err(Error::NoStatusFolder);
            }
            for (p, mut indexes) in by_partition {
                indexes.sort_unstable();
                let base = u64::from(p) * u64::from(labelcheck_core::status::PARTITION_SIZE);
                for i in &indexes {
                    labels += files::set_range(&mut parts, base + u64::from(*i), base + u64::from(*i));
                }
                if let Some(part) = parts.get_mut(&p) {
                    // Acts of the same day, reason and note are one: the partition stays small.
                    match part
                        .singles
                        .iter_mut()
                        .find(|s| s.date == r.date && s.reason == r.reason && s.note == r.note)
                    {
                        Some(same) => {
                            same.indexes.extend(indexes);
                            same.indexes.sort_unstable();
                            same.indexes.dedup();
                        }
                        None => part.singles.push(Singles {
                            date: r.date,
                            reason: r.reason,
                            note: r.note.clone(),
                            indexes,
                        }),
                    }
                }
            }
        }
        Withdraw::Product { maker, model } => {
            if list.acts.iter().any(|a| {
                a.kind == ActKind::Product && a.maker.as_deref() == Some(maker) && a.model.as_deref() == Some(model)
            }) {
                return Err(Error::AlreadyWithdrawn {
                    what: format!("{maker} {model}"),
                });
            }
            let ranges = register
                .as_ref()
                .map(|reg| reg.product_numbers(maker, model))
                .unwrap_or_default();
            set(&ranges, &mut parts);
            list.acts.push(Act {
                maker: Some(maker.clone()),
                model: Some(model.clone()),
                ..act(ActKind::Product, r)
            });
        }
        Withdraw::Batch(batch) => {
            if list.acts.iter().any(|a| a.batch.as_deref() == Some(batch)) {
                return Err(Error::AlreadyWithdrawn { what: batch.clone() });
            }
            let ranges = register
                .as_ref()
                .map(|reg| reg.batch_numbers(batch))
                .unwrap_or_default();
            if ranges.is_empty() {
                return Err(Error::UnknownBatch { batch: batch.clone() });
            }
            set(&ranges, &mut parts);
            list.acts.push(Act {
                batch: Some(batch.clone()),
                ranges,
                ..act(ActKind::Batch, r)
            });
        }
        Withdraw::Key(kid) => {
            if list.key_act(kid).is_some() {
                return Err(Error::AlreadyWithdrawn { what: kid.clone() });
            }
            let ranges = register.as_ref().map(|reg| reg.key_numbers(kid)).unwrap_or_default();
            set(&ranges, &mut parts);
            list.acts.push(Act {
                kid: Some(kid.clone()),
                ..act(ActKind::Key, r)
            });
        }
    }
    let expires = now.add_secs(valid_days.max(1) * 86_400);
    if !parts.is_empty() {
        let folder = folder.ok_or(Error::NoStatusFolder)?;
        let count = files::publish(&folder, &list.authority, &mut parts, &root.kid, root, now, expires)?;
        list.partitions = list.partitions.max(count);
    }
    list.version += 1;
    list.issued_at = now;
    list.expires = expires;
    let signed = sign_revocations(&list, &root.kid, root).map_err(|e| match e {
        labelcheck_core::issuer::IssueError::Revocations(problem) => Error::Revocations {
            path: path.clone(),
            problem,
        },
        _ => root.signing_failed(),
    })?;
    durable::replace(path, &signed)?;
    Ok(Done {
        partitions: list.partitions,
        list,
        labels,
        already,
    })
}
