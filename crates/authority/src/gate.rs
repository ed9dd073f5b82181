//! The gate every output passes before it leaves: the label and its report are verified by
//! `labelcheck-core`'s own verifier — every step of FORMAT.md §8, the report's included —
//! against the trust anchors verifiers are given and the key and revocation lists the
//! authority publishes, at the time of issue. Only a label that verifier calls *genuine* is
//! written. There is no second, partial verifier on the issuing side: signing, the print check
//! and the pre-signing check of each row all come here.

use crate::error::{Error, Result};
use labelcheck_core::key_list::KeyList;
use labelcheck_core::list_store::ListError;
use labelcheck_core::revocation::RevocationList;
use labelcheck_core::trust::TrustAnchors;
use labelcheck_core::{ListKind, ListStore, Message, Timestamp, Verdict, VerdictKind, Verifier};
use std::path::{Path, PathBuf};

pub struct Gate {
    anchors: TrustAnchors,
    lists: ListStore,
    /// The two lists as held in `lists`, at hand.
    key_list: KeyList,
    revocations: RevocationList,
    authority: String,
    now: Timestamp,
}

/// One of the files a gate is made of: where it came from (for messages) and its bytes.
pub struct Source<'a> {
    pub path: &'a Path,
    pub bytes: &'a [u8],
}

fn refused(path: &Path, kind: ListKind, problem: ListError) -> Error {
    Error::ListRefused {
        path: path.to_owned(),
        kind,
        problem,
    }
}

impl Gate {
    /// The verifier's view of `authority`: its anchor from the trust file, and its key and
    /// revocation lists, each verified against the anchor as a verifier would.
    pub fn new(
        authority: &str,
        trust: Source<'_>,
        key_list: Source<'_>,
        revocations: Source<'_>,
        partitions: &[(PathBuf, Vec<u8>)],
        now: Timestamp,
    ) -> Result<Gate> {
        let anchors = crate::trust::parse(trust.path, trust.bytes)?;
        if anchors.anchor(authority).is_none() {
            return Err(Error::NotInTrust {
                path: trust.path.to_owned(),
                authority: authority.to_owned(),
            });
        }
        let mut lists = ListStore::new();
        for (kind, source) in [(ListKind::Keys, &key_list), (ListKind::Revocations, &revocations)] {
            lists
                .offer(kind, &anchors, source.bytes)
                .map_err(|p| refused(source.path, kind, p))?;
        }
        for (path, bytes) in partitions {
            let (whose, _, _) = lists
                .offer_status(&anchors, bytes)
                .map_err(|p| refused(path, ListKind::Status, p))?;
            if whose != authority {
                return Err(refused(path, ListKind::Status, ListError::UnknownAuthority(whose)));
            }
        }
        // A list of another trusted authority verifies too: it is not this authority's.
        let other =
            |kind: ListKind, path: &Path| refused(path, kind, ListError::UnknownAuthority(authority.to_owned()));
        let keys = lists
            .key_list(authority)
            .map(|s| s.list.clone())
            .ok_or_else(|| other(ListKind::Keys, key_list.path))?;
        let revoked = lists
            .revocations(authority)
            .map(|s| s.list.clone())
            .ok_or_else(|| other(ListKind::Revocations, revocations.path))?;
        Ok(Gate {
            anchors,
            lists,
            key_list: keys,
            revocations: revoked,
            authority: authority.to_owned(),
            now,
        })
    }

    pub fn authority(&self) -> &str {
        &self.authority
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The key list being published.
    pub fn key_list(&self) -> &KeyList {
        &self.key_list
    }

    /// The revocation list being published.
    pub fn revocations(&self) -> &RevocationList {
        &self.revocations
    }

    /// The verdict a verifier reaches on `qr_text` with `report` as the report it fetches.
    pub fn verdict(&self, qr_text: &str, report: &[u8]) -> Verdict {
        let v = Verifier {
            anchors: &self.anchors,
            lists: &self.lists,
            now: self.now,
        };
        v.verify_with(qr_text, |_| Ok(report.to_vec()))
    }

    /// `Ok` when a verifier would call the label genuine; else why not, as a verifier says it.
    pub fn pass(&self, qr_text: &str, report: &[u8]) -> std::result::Result<Verdict, Refusal> {
        judge(self.verdict(qr_text, report))
    }
}

/// Why the gate did not let a label out: the verdict a verifier would show, and the reason
/// that decided it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub verdict: VerdictKind,
    pub reason: Message,
}

pub fn judge(v: Verdict) -> std::result::Result<Verdict, Refusal> {
    if v.kind() == VerdictKind::Genuine {
        return Ok(v);
    }
    Err(Refusal {
        verdict: v.kind(),
        reason: v
            .decided_by
            .as_ref()
            .map_or_else(|| Message::new("not-genuine"), |r| r.message()),
    })
}
