//! The key and revocation lists a verifier holds (FORMAT.md §7.1): verified against the trust
//! anchors, the newest of each kept, an older one never taking its place (no rollback).

use crate::fetch_policy::FetchProblem;
use crate::fields;
use crate::json::{self, JsonError, ShapeError, ShapeProblem};
use crate::jws::{self, Jws, JwsError};
use crate::key_list::{KeyList, KeyListError};
use crate::limits::{MAX_KEY_LIST_BYTES, MAX_REVOCATION_LIST_BYTES, MAX_STATUS_LIST_BYTES};
use crate::message::Message;
use crate::revocation::{RevocationList, RevocationListError};
use crate::status::{StatusList, StatusListError};
use crate::trust::{Anchor, TrustAnchors};
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

/// The lists an authority's root signs. Both shells fetch, keep and offer them alike: the key
/// and revocation lists whole (from the trust file's addresses), a status list partition when
/// a label needs it (from the key list's `status_url`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListKind {
    Keys,
    Revocations,
    Status,
}

impl ListKind {
    /// The lists every verifier brings up to date for every trusted authority.
    pub const ALL: [ListKind; 2] = [ListKind::Keys, ListKind::Revocations];

    /// The list's short name: in file names (`AUTHORITY.keys.jws`) and saved copies.
    pub fn name(self) -> &'static str {
        match self {
            ListKind::Keys => "keys",
            ListKind::Revocations => "revocations",
            ListKind::Status => "status",
        }
    }

    pub fn max_bytes(self) -> usize {
        match self {
            ListKind::Keys => MAX_KEY_LIST_BYTES,
            ListKind::Revocations => MAX_REVOCATION_LIST_BYTES,
            ListKind::Status => MAX_STATUS_LIST_BYTES,
        }
    }

    /// Where the authority publishes it, as the trust file says (maybe relative to it); a
    /// status list's partitions are where the key list says.
    pub fn url(self, anchor: &Anchor) -> &str {
        match self {
            ListKind::Keys => &anchor.key_list_url,
            ListKind::Revocations => &anchor.revocations_url,
            ListKind::Status => "",
        }
    }
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ListKind::Keys => "key list",
            ListKind::Revocations => "revocation list",
            ListKind::Status => "status list",
        })
    }
}

/// A list a verifier brings up to date: whose, which, and where it is published (the trust
/// file's URL resolved against where the trust file came from).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refresh {
    pub authority: String,
    pub kind: ListKind,
    pub url: String,
}

/// The lists to refresh, for both shells alike: every trusted authority's key list, then its
/// revocation list. A verifier offers the copies it holds first (saved on the device, built
/// into the app, or given on the command line) and then, unless offline, what it fetches from
/// each URL; the store keeps the newest and refuses older ones, so whatever arrives in
/// whatever order, the result is the newest list verified.
pub fn refresh_plan(anchors: &TrustAnchors, trust_url: &str) -> Vec<Refresh> {
    anchors
        .anchors
        .iter()
        .flat_map(|a| {
            ListKind::ALL.map(|kind| Refresh {
                authority: a.authority.clone(),
                kind,
                url: fields::resolve_url(trust_url, kind.url(a)),
            })
        })
        .collect()
}

/// Why a list was not brought up to date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListProblem {
    Fetch(FetchProblem),
    Refused(ListError),
}

impl ListProblem {
    /// What to say of it (`fetch.…` or `list-error.…` keys).
    pub fn message(&self) -> Message {
        match self {
            ListProblem::Fetch(FetchProblem::HttpStatus(s)) => Message::new("fetch.http-status").text("status", s),
            ListProblem::Fetch(FetchProblem::WrongContentType(t)) => {
                Message::new("fetch.wrong-content-type").text("type", t)
            }
            ListProblem::Fetch(p) => Message::new(format!("fetch.{}", p.name())),
            ListProblem::Refused(e) => e.message(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListError {
    Jws(JwsError),
    KeyList(KeyListError),
    Revocations(RevocationListError),
    Status(StatusListError),
    /// A status list partition other than the one asked for.
    WrongPartition {
        asked: u32,
        got: u32,
    },
    /// The payload is not a JSON object (checked before its authority is looked up).
    Payload(JsonError),
    /// The payload does not name the authority it is for.
    NoAuthority,
    UnknownAuthority(String),
    UnknownRootKey(String),
    BadSignature,
    Rollback {
        have: u64,
        offered: u64,
    },
    VersionConflict(u64),
}

impl ListError {
    /// A stable code, for test vectors and wording keys.
    pub fn code(&self) -> &'static str {
        match self {
            ListError::Jws(e) => e.name(),
            ListError::KeyList(e) => e.code(),
            ListError::Revocations(e) => e.code(),
            ListError::Status(e) => e.code(),
            ListError::WrongPartition { .. } => "wrong-partition",
            ListError::Payload(e) => e.code(),
            ListError::NoAuthority => "no-authority",
            ListError::UnknownAuthority(_) => "unknown-authority",
            ListError::UnknownRootKey(_) => "unknown-root-key",
            ListError::BadSignature => "bad-signature",
            ListError::Rollback { .. } => "rollback",
            ListError::VersionConflict(_) => "version-conflict",
        }
    }
}

impl ListError {
    /// What to say of it: a `list-error.…` key and its arguments.
    pub fn message(&self) -> Message {
        match self {
            ListError::Jws(e) => {
                Message::new("list-error.signed-file").word("problem", format!("signed-file.{}", e.name()))
            }
            ListError::KeyList(_) | ListError::Revocations(_) | ListError::Status(_) | ListError::Payload(_) => {
                Message::new("list-error.invalid").text("code", self.code())
            }
            ListError::WrongPartition { asked, got } => Message::new("list-error.wrong-partition")
                .text("asked", asked)
                .text("got", got),
            ListError::NoAuthority => Message::new("list-error.no-authority"),
            ListError::UnknownAuthority(a) => Message::new("list-error.unknown-authority").text("authority", a),
            ListError::UnknownRootKey(k) => Message::new("list-error.unknown-root-key").text("kid", k),
            ListError::BadSignature => Message::new("list-error.bad-signature"),
            ListError::Rollback { have, offered } => Message::new("list-error.rollback")
                .text("have", have)
                .text("offered", offered),
            ListError::VersionConflict(v) => Message::new("list-error.version-conflict").text("version", v),
        }
    }
}

impl fmt::Display for ListError {
    /// The error's code and data, for logs; people are told [`ListError::message`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
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

/// The newest verified key list and revocation list of each trusted authority, and of each
/// status list partition held. A store is for one set of trust anchors: a shell that changes
/// its anchors starts a new store.
#[derive(Clone, Debug, Default)]
pub struct ListStore {
    // Shared, not copied, when the store is: a shell that keeps each state it had (the web
    // app, at every list that arrives) copies only the index.
    key_lists: Sorted<String, Arc<Stored<KeyList>>>,
    revocations: Sorted<String, Arc<Stored<RevocationList>>>,
    /// By authority and partition: looked up for every label with a status.
    status: Sorted<(String, u32), Arc<Stored<StatusList>>>,
    /// The highest version of each list (by [`floor_key`]) ever held or told of: no list below
    /// it is taken, even once the copy that set it is gone. A shell keeps these apart from the
    /// copies and hands them back ([`ListStore::raise_floors`]).
    floors: Sorted<String, u64>,
    /// Grows whenever a list is installed or dropped ([`ListStore::revision`]).
    revision: u64,
}

/// Entries kept in the order of their keys. A store holds the lists of a few authorities and
/// the status partitions its labels needed (a few hundred at most, for an inspector's batch),
/// where one sorted vector finds an entry as fast as a tree does; and a tree type for every
/// kind of entry was 18 KB of the code a phone downloads before its first verdict.
#[derive(Clone, Debug)]
struct Sorted<K, V>(Vec<(K, V)>);

impl<K, V> Default for Sorted<K, V> {
    fn default() -> Self {
        Sorted(Vec::new())
    }
}

impl<K, V> Sorted<K, V> {
    /// Where the entry `at` orders as `Equal` is, or where it would go.
    fn find(&self, at: impl Fn(&K) -> Ordering) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| at(k))
    }

    fn get_by(&self, at: impl Fn(&K) -> Ordering) -> Option<&V> {
        self.find(at).ok().and_then(|i| self.0.get(i)).map(|(_, v)| v)
    }

    /// The entry's value, inserted as `new()` if there was none.
    fn entry(&mut self, key: K, new: impl FnOnce() -> V) -> &mut V
    where
        K: Ord,
    {
        let i = match self.find(|k| k.cmp(&key)) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key, new()));
                i
            }
        };
        &mut self.0[i].1
    }

    fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        self.0.retain(|(k, v)| keep(k, v));
    }
}

impl<V> Sorted<String, V> {
    fn get(&self, key: &str) -> Option<&V> {
        self.get_by(|k| k.as_str().cmp(key))
    }
}

/// The name of a list's rollback floor: `keys.AUTHORITY`, `revocations.AUTHORITY`, or
/// `status.AUTHORITY.PARTITION`.
pub fn floor_key(kind: ListKind, authority: &str, partition: Option<u32>) -> String {
    match partition {
        Some(p) => format!("{}.{authority}.{p}", kind.name()),
        None => format!("{}.{authority}", kind.name()),
    }
}

/// Refuses `version` below the floor `key` has; raises the floor once a list is installed.
fn below_floor(floors: &Sorted<String, u64>, key: &str, version: u64) -> Result<(), ListError> {
    match floors.get(key) {
        Some(&have) if version < have => Err(ListError::Rollback { have, offered: version }),
        _ => Ok(()),
    }
}

fn raise(floors: &mut Sorted<String, u64>, key: String, update: &ListUpdate) {
    if let ListUpdate::Installed { version, .. } = update {
        let floor = floors.entry(key, || 0);
        *floor = (*floor).max(*version);
    }
}

/// What the two root-signed lists have in common.
trait RootSigned: Sized {
    const TYP: &'static str;
    const KIND: ListKind;
    fn parse(payload: &[u8]) -> Result<Self, ListError>;
    fn version(&self) -> u64;
}

impl RootSigned for KeyList {
    const TYP: &'static str = jws::TYP_KEY_LIST;
    const KIND: ListKind = ListKind::Keys;
    fn parse(payload: &[u8]) -> Result<Self, ListError> {
        KeyList::parse(payload).map_err(ListError::KeyList)
    }
    fn version(&self) -> u64 {
        self.version
    }
}

impl RootSigned for RevocationList {
    const TYP: &'static str = jws::TYP_REVOCATIONS;
    const KIND: ListKind = ListKind::Revocations;
    fn parse(payload: &[u8]) -> Result<Self, ListError> {
        RevocationList::parse(payload).map_err(ListError::Revocations)
    }
    fn version(&self) -> u64 {
        self.version
    }
}

fn offer<T: RootSigned>(
    slot: &mut Sorted<String, Arc<Stored<T>>>,
    floors: &mut Sorted<String, u64>,
    revision: &mut u64,
    anchors: &TrustAnchors,
    raw: &[u8],
) -> Result<ListUpdate, ListError> {
    // The very file held already (a saved copy, the built-in one and the published one are
    // often the same): verified when it was installed, under the same anchors.
    if let Some((_, held)) = slot.0.iter().find(|(_, h)| h.raw == raw) {
        return Ok(ListUpdate::Unchanged {
            version: held.list.version(),
        });
    }
    let (jws, anchor) = verify_root_signed(anchors, raw, T::KIND.max_bytes(), T::TYP)?;
    let list = T::parse(&jws.payload)?;
    let version = list.version();
    let authority = anchor.authority.clone();
    let key = floor_key(T::KIND, &authority, None);
    below_floor(floors, &key, version)?;
    let update = install(
        slot,
        revision,
        authority,
        version,
        Stored {
            list,
            raw: raw.to_vec(),
            payload: jws.payload,
        },
        T::version,
    )?;
    raise(floors, key, &update);
    Ok(update)
}

fn verify_root_signed<'a>(
    anchors: &'a TrustAnchors,
    raw: &[u8],
    max: usize,
    typ: &str,
) -> Result<(Jws, &'a Anchor), ListError> {
    let jws = Jws::parse(raw, max, typ).map_err(ListError::Jws)?;
    // Which authority's root keys to check against: read before the full (strict) parse,
    // which only a list that verifies gets.
    let payload = json::parse(&jws.payload).map_err(ListError::Payload)?;
    if !payload.is_object() {
        return Err(ListError::Payload(JsonError::Shape(ShapeError {
            problem: ShapeProblem::NotAnObject,
            at: String::new(),
        })));
    }
    let authority = payload
        .get("authority")
        .and_then(|a| a.as_str())
        .ok_or(ListError::NoAuthority)?;
    let anchor = anchors
        .anchor(authority)
        .ok_or_else(|| ListError::UnknownAuthority(authority.to_owned()))?;
    let root = anchor
        .root_keys
        .iter()
        .find(|k| k.kid == jws.kid)
        .ok_or_else(|| ListError::UnknownRootKey(jws.kid.clone()))?;
    let key = root
        .jwk()
        .verifying_key()
        .map_err(|_| ListError::UnknownRootKey(jws.kid.clone()))?;
    if !jws.verify(&key) {
        return Err(ListError::BadSignature);
    }
    Ok((jws, anchor))
}

/// Keeps `new` under `key` unless an equal or newer list is held there; the store's
/// revision grows with every list installed.
fn install<K: Ord, T>(
    slot: &mut Sorted<K, Arc<Stored<T>>>,
    revision: &mut u64,
    key: K,
    version: u64,
    new: Stored<T>,
    version_of: impl Fn(&T) -> u64,
) -> Result<ListUpdate, ListError> {
    let at = slot.find(|k| k.cmp(&key));
    let previous = match at.ok().and_then(|i| slot.0.get(i)).map(|(_, held)| held) {
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
    match at {
        Ok(i) => slot.0[i] = (key, Arc::new(new)),
        Err(i) => slot.0.insert(i, (key, Arc::new(new))),
    }
    *revision += 1;
    Ok(ListUpdate::Installed { version, previous })
}

impl ListStore {
    pub fn new() -> ListStore {
        ListStore::default()
    }

    /// Verifies a list of `kind` against the trust anchors and keeps it unless an equal or
    /// newer one is held. Expired lists are kept too: their age is reported with every verdict.
    pub fn offer(&mut self, kind: ListKind, anchors: &TrustAnchors, raw: &[u8]) -> Result<ListUpdate, ListError> {
        match kind {
            ListKind::Keys => offer(&mut self.key_lists, &mut self.floors, &mut self.revision, anchors, raw),
            ListKind::Revocations => offer(
                &mut self.revocations,
                &mut self.floors,
                &mut self.revision,
                anchors,
                raw,
            ),
            ListKind::Status => self.offer_status(anchors, raw).map(|(_, _, u)| u),
        }
    }

    /// Grows whenever what the store holds changes (a list installed, or dropped below its
    /// floor), and only then: a shell may keep a verdict reached on this store for as long as
    /// it stays the same.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Verifies a status list partition and keeps it unless an equal or newer one of the same
    /// partition is held: whose and which partition it is, and what became of it.
    pub fn offer_status(&mut self, anchors: &TrustAnchors, raw: &[u8]) -> Result<(String, u32, ListUpdate), ListError> {
        self.offer_status_as(anchors, raw, None)
    }

    fn offer_status_as(
        &mut self,
        anchors: &TrustAnchors,
        raw: &[u8],
        asked: Option<(&str, u32)>,
    ) -> Result<(String, u32, ListUpdate), ListError> {
        // As for the lists: the very file held already needs no second check.
        if let Some(((authority, p), held)) = self.status.0.iter().find(|(_, h)| h.raw == raw) {
            if asked.is_none_or(|(a, q)| a == authority && q == *p) {
                let version = held.list.doc.version;
                return Ok((authority.clone(), *p, ListUpdate::Unchanged { version }));
            }
        }
        let (jws, anchor) = verify_root_signed(anchors, raw, MAX_STATUS_LIST_BYTES, jws::TYP_STATUS)?;
        let list = StatusList::parse(&jws.payload).map_err(ListError::Status)?;
        if let Some((authority, partition)) = asked {
            if anchor.authority != authority {
                return Err(ListError::UnknownAuthority(anchor.authority.clone()));
            }
            if list.doc.partition != partition {
                return Err(ListError::WrongPartition {
                    asked: partition,
                    got: list.doc.partition,
                });
            }
        }
        let key = (anchor.authority.clone(), list.doc.partition);
        let version = list.doc.version;
        let floor = floor_key(ListKind::Status, &key.0, Some(key.1));
        below_floor(&self.floors, &floor, version)?;
        let update = install(
            &mut self.status,
            &mut self.revision,
            key.clone(),
            version,
            Stored {
                list,
                raw: raw.to_vec(),
                payload: jws.payload,
            },
            |l| l.doc.version,
        )?;
        raise(&mut self.floors, floor, &update);
        Ok((key.0, key.1, update))
    }

    /// Offers what a shell fetched for partition `partition` of `authority`'s status list: a
    /// list of another partition or authority is refused and nothing held changes.
    pub fn offer_status_for(
        &mut self,
        anchors: &TrustAnchors,
        authority: &str,
        partition: u32,
        fetched: Result<Vec<u8>, FetchProblem>,
    ) -> Result<ListUpdate, ListProblem> {
        let bytes = fetched.map_err(ListProblem::Fetch)?;
        self.offer_status_as(anchors, &bytes, Some((authority, partition)))
            .map(|(_, _, u)| u)
            .map_err(ListProblem::Refused)
    }

    /// Every list's rollback floor (named by [`floor_key`], in its order), to be kept on the
    /// device apart from the lists' copies.
    pub fn floors(&self) -> &[(String, u64)] {
        &self.floors.0
    }

    /// The rollback floor of one list, by [`floor_key`].
    pub fn floor(&self, key: &str) -> Option<u64> {
        self.floors.get(key).copied()
    }

    /// Raises floors kept on the device (named by [`floor_key`]); a list held below its floor
    /// now is dropped, as if it had never been offered.
    pub fn raise_floors(&mut self, floors: impl IntoIterator<Item = (String, u64)>) {
        for (key, version) in floors {
            let floor = self.floors.entry(key, || 0);
            *floor = (*floor).max(version);
        }
        let held = self.key_lists.0.len() + self.revocations.0.len() + self.status.0.len();
        let floors = &self.floors;
        let at_least = |key: String, version: u64| floors.get(&key).is_none_or(|f| version >= *f);
        self.key_lists
            .retain(|a, s| at_least(floor_key(ListKind::Keys, a, None), s.list.version));
        self.revocations
            .retain(|a, s| at_least(floor_key(ListKind::Revocations, a, None), s.list.version));
        self.status
            .retain(|(a, p), s| at_least(floor_key(ListKind::Status, a, Some(*p)), s.list.doc.version));
        if self.key_lists.0.len() + self.revocations.0.len() + self.status.0.len() != held {
            self.revision += 1;
        }
    }

    pub fn status(&self, authority: &str, partition: u32) -> Option<&Stored<StatusList>> {
        self.status
            .get_by(|(a, p)| (a.as_str(), *p).cmp(&(authority, partition)))
            .map(|s| &**s)
    }

    pub fn offer_key_list(&mut self, anchors: &TrustAnchors, raw: &[u8]) -> Result<ListUpdate, ListError> {
        self.offer(ListKind::Keys, anchors, raw)
    }

    pub fn offer_revocations(&mut self, anchors: &TrustAnchors, raw: &[u8]) -> Result<ListUpdate, ListError> {
        self.offer(ListKind::Revocations, anchors, raw)
    }

    pub fn key_list(&self, authority: &str) -> Option<&Stored<KeyList>> {
        self.key_lists.get(authority).map(|s| &**s)
    }

    pub fn revocations(&self, authority: &str) -> Option<&Stored<RevocationList>> {
        self.revocations.get(authority).map(|s| &**s)
    }

    /// Offers what a shell fetched for `r`: installed, unchanged, or why not.
    pub fn offer_fetched(
        &mut self,
        r: &Refresh,
        anchors: &TrustAnchors,
        fetched: Result<Vec<u8>, FetchProblem>,
    ) -> Result<ListUpdate, ListProblem> {
        let bytes = fetched.map_err(ListProblem::Fetch)?;
        self.offer(r.kind, anchors, &bytes).map_err(ListProblem::Refused)
    }

    /// The signed file of the list held, as it was offered (to save it on a device).
    pub fn raw(&self, kind: ListKind, authority: &str) -> Option<&[u8]> {
        match kind {
            ListKind::Keys => self.key_list(authority).map(|s| s.raw.as_slice()),
            ListKind::Revocations => self.revocations(authority).map(|s| s.raw.as_slice()),
            ListKind::Status => None,
        }
    }

    /// The signed file of a status list partition held, as it was offered.
    pub fn status_raw(&self, authority: &str, partition: u32) -> Option<&[u8]> {
        self.status(authority, partition).map(|s| s.raw.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::Sorted;

    #[test]
    fn entries_are_found_whatever_order_they_came_in() {
        let mut s: Sorted<(String, u32), u32> = Sorted::default();
        let keys = [
            ("B", 7),
            ("A", 900),
            ("B", 0),
            ("C", 3),
            ("A", 2),
            ("B", 65),
            ("A", 900),
        ];
        for (n, (a, p)) in keys.iter().enumerate() {
            *s.entry(((*a).to_owned(), *p), || 0) += n as u32;
        }
        assert_eq!(s.0.len(), 6, "one entry per key");
        assert!(s.0.windows(2).all(|w| w[0].0 < w[1].0), "kept in order: {:?}", s.0);
        let get = |a: &str, p: u32| s.get_by(|(ka, kp)| (ka.as_str(), *kp).cmp(&(a, p))).copied();
        assert_eq!(get("A", 900), Some(1 + 6));
        assert_eq!(get("B", 65), Some(5));
        assert_eq!(get("C", 3), Some(3));
        assert_eq!(get("C", 4), None);
        assert_eq!(get("", 0), None);
        s.retain(|(a, _), _| a != "B");
        assert_eq!(
            s.0.iter().map(|((a, p), _)| format!("{a}{p}")).collect::<Vec<_>>(),
            ["A2", "A900", "C3"]
        );
    }
}
