//! The trust anchors shipped with the app, and the key and revocation lists they sign, under
//! the verifier's shared list policy (`labelcheck_core::list_store::refresh_plan`).
//!
//! A label is checked at once with what is at hand, and again as fresher lists arrive: the
//! trust file and lists saved on this device are offered first, in the same moment the app
//! starts; then, all at the same time, the trust file is fetched again, and for every list the
//! copy built into the app (`lists/AUTHORITY.KIND.jws`, beside `trust.json`) and the copy at
//! its published URL. Each is offered as it arrives; the core keeps the newest and refuses
//! older ones, so the order of arrival does not matter. A list that became the newest held is
//! saved on the device.
//!
//! Rollback protection does not rest on those copies: the highest version of every list ever
//! held (its floor, `ListStore::floors`) is kept apart, in localStorage and in IndexedDB, and
//! written whenever it rises, before the list is used; losing a copy (storage pressure, a
//! quota, an entry removed) never lets an older list back in. A copy localStorage has no room
//! for goes to IndexedDB. A refused write is said once, in plain words (`Lists::storage_failed`).

use crate::i18n::{say, Lang, Msg};
use crate::platform::{idb, location, net, storage};
use labelcheck_core::fetch_policy::FetchProblem;
use labelcheck_core::fields::resolve_url;
use labelcheck_core::limits::MAX_TRUST_FILE_BYTES;
use labelcheck_core::list_store::{refresh_plan, ListError, ListProblem, ListUpdate, Refresh};
use labelcheck_core::{Arg, ListKind, ListStore, TrustAnchors};
use std::rc::Rc;
use yew::prelude::*;

const TRUST_KEY: &str = "labelcheck.trust";
const FLOORS_KEY: &str = "labelcheck.floors";
const TRUST_FILE: &str = "trust.json";

/// Where a copy of a list came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Saved on this device after an earlier visit.
    Device,
    /// Shipped with the app, beside `trust.json`.
    BuiltIn,
    /// The authority's published URL.
    Published,
}

/// The lists as the app holds them now. Changes only through [`ListsAction`].
#[derive(Clone, Default)]
pub struct Lists {
    /// `None` until a trust file was read (saved or fetched).
    pub anchors: Option<Rc<TrustAnchors>>,
    pub store: ListStore,
    /// Published lists that could not be brought up to date, for the details.
    pub problems: Vec<(Refresh, ListProblem)>,
    /// Fetches still out (the trust file, built-in and published lists).
    pub pending: usize,
    /// No trust file could be had at all: nothing can be checked.
    pub trust_missing: bool,
    /// Status list partitions asked for (authority, partition, from where it is published
    /// rather than the app's own copy): each copy fetched once a visit.
    pub status_asked: Vec<(String, u32, bool)>,
    /// The device refused to keep something during this visit (said once, in plain words).
    pub storage_failed: bool,
    /// Grows with every change, so that views and checks can tell a new state from an old.
    pub generation: u64,
    /// Grows with every trust file taken, which starts a new store: with the store's
    /// revision, it names what a label was checked against.
    pub trust_generation: u64,
}

impl PartialEq for Lists {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

impl Lists {
    /// Every source has answered (or there was nothing to ask): a verdict that lacks a list
    /// now is final, not a list still on its way.
    pub fn settled(&self) -> bool {
        self.trust_missing || (self.anchors.is_some() && self.pending == 0)
    }
}

pub enum ListsAction {
    /// A trust file was read: from the device (`saved`) or fetched. Starts a fresh store
    /// holding the device's copies of its lists.
    Trust {
        anchors: TrustAnchors,
        fetches: usize,
        /// Status list partitions to take from this device's copies at once (authority,
        /// partition).
        early: Vec<(String, u32)>,
    },
    /// More fetches were started.
    Started(usize),
    Offer {
        refresh: Refresh,
        origin: Origin,
        fetched: Result<Vec<u8>, FetchProblem>,
    },
    /// A label needs partition `partition` of `authority`'s status list: its copy saved on
    /// this device is offered now, and fetches of the copies in `sources` start.
    StatusAsked {
        authority: String,
        partition: u32,
        sources: Vec<Origin>,
    },
    OfferStatus {
        refresh: Refresh,
        partition: u32,
        origin: Origin,
        fetched: Result<Vec<u8>, FetchProblem>,
    },
    /// What IndexedDB kept: rollback floors, and copies of lists localStorage had no room for.
    Restored {
        floors: Vec<(String, u64)>,
        copies: Vec<(ListKind, String)>,
    },
    /// A fetch that could not start or brought nothing to offer.
    Finished,
    TrustMissing,
}

fn status_key(authority: &str, partition: u32) -> String {
    format!("labelcheck.status.{authority}.{partition}")
}

fn saved_key(kind: ListKind, authority: &str) -> String {
    format!("labelcheck.{}.{authority}", kind.name())
}

/// Floors as they are kept: one JSON object, a list's floor key to its version
/// (`{"keys.DEMO":3,"status.DEMO.0":2}`). Written by hand and read with the core's parser:
/// serde_json's own reader and writer were 8 KB more for a phone to download.
pub fn floors_text(floors: &[(String, u64)]) -> String {
    let mut text = String::from("{");
    for (i, (key, version)) in floors.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push('"');
        for c in key.chars() {
            match c {
                '"' | '\\' => {
                    text.push('\\');
                    text.push(c);
                }
                c if (c as u32) < 0x20 => text.push_str(&format!("\\u{:04x}", c as u32)),
                c => text.push(c),
            }
        }
        text.push_str("\":");
        text.push_str(&version.to_string());
    }
    text.push('}');
    text
}

/// The floors in `text` (as [`floors_text`] writes them); none if it is not such an object.
pub fn floors_read(text: &str) -> Vec<(String, u64)> {
    let Ok(value) = labelcheck_core::json::parse(text.as_bytes()) else {
        return Vec::new();
    };
    value
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(key, v)| Some((key.clone(), v.as_u64()?)))
        .collect()
}

/// The rollback floors kept in localStorage.
pub fn floors_saved() -> Vec<(String, u64)> {
    storage::get(FLOORS_KEY).map(|t| floors_read(&t)).unwrap_or_default()
}

/// Keeps `store`'s floors on the device: in localStorage now, in IndexedDB as soon as it
/// answers.
pub fn save_floors(store: &ListStore) {
    let text = floors_text(store.floors());
    if storage::get(FLOORS_KEY).as_deref() == Some(text.as_str()) {
        return;
    }
    storage::set(FLOORS_KEY, &text);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = idb::put(idb::STATE, FLOORS_KEY, &text).await;
    });
}

/// The rollback floors kept in IndexedDB.
pub async fn floors_kept() -> Vec<(String, u64)> {
    match idb::get(idb::STATE, FLOORS_KEY).await {
        Ok(Some(t)) => floors_read(&t),
        _ => Vec::new(),
    }
}

/// The floors (and the copies localStorage had no room for) kept in IndexedDB, for `lists`.
async fn restore(lists: UseReducerHandle<Lists>, anchors: Rc<TrustAnchors>) {
    let floors = floors_kept().await;
    let mut copies = Vec::new();
    for r in refresh_plan(&anchors, TRUST_FILE) {
        if let Ok(Some(text)) = idb::get(idb::STATE, &saved_key(r.kind, &r.authority)).await {
            copies.push((r.kind, text));
        }
    }
    lists.dispatch(ListsAction::Restored { floors, copies });
}

/// Keeps a list's copy in localStorage, or in IndexedDB when localStorage has no room.
fn keep_copy(key: String, text: &str) {
    if !storage::set(&key, text) {
        let text = text.to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = idb::put(idb::STATE, &key, &text).await;
        });
    }
}

/// Offers the copy saved on this device, if any (a corrupt or stale copy is simply refused).
pub fn offer_saved(store: &mut ListStore, anchors: &TrustAnchors, kind: ListKind, authority: &str) {
    if let Some(saved) = storage::get(&saved_key(kind, authority)) {
        let _ = store.offer(kind, anchors, saved.as_bytes());
    }
}

/// Offers a fetched copy; saves it on the device only if it became the newest held.
pub fn accept_fetched(
    store: &mut ListStore,
    anchors: &TrustAnchors,
    kind: ListKind,
    authority: &str,
    bytes: &[u8],
) -> Result<ListUpdate, ListError> {
    let update = store.offer(kind, anchors, bytes)?;
    if let ListUpdate::Installed { .. } = update {
        // The floor first: a copy that is lost later must not let the older list back.
        save_floors(store);
        if let Ok(text) = std::str::from_utf8(bytes) {
            keep_copy(saved_key(kind, authority), text);
        }
    }
    Ok(update)
}

/// Offers the copy of a status list partition saved on this device, if any.
pub fn offer_saved_status(store: &mut ListStore, anchors: &TrustAnchors, authority: &str, partition: u32) {
    if let Some(saved) = storage::get(&status_key(authority, partition)) {
        let _ = store.offer_status_for(anchors, authority, partition, Ok(saved.into_bytes()));
    }
}

/// Offers a fetched partition; saves it on the device only if it became the newest held.
pub fn accept_status(
    store: &mut ListStore,
    anchors: &TrustAnchors,
    authority: &str,
    partition: u32,
    fetched: Result<Vec<u8>, FetchProblem>,
) -> Result<ListUpdate, ListProblem> {
    let text = fetched.as_ref().ok().and_then(|b| String::from_utf8(b.clone()).ok());
    let update = store.offer_status_for(anchors, authority, partition, fetched)?;
    if let ListUpdate::Installed { .. } = &update {
        save_floors(store);
        if let Some(text) = text {
            storage::set(&status_key(authority, partition), &text);
        }
    }
    Ok(update)
}

impl Reducible for Lists {
    type Action = ListsAction;

    fn reduce(self: Rc<Self>, action: ListsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.generation += 1;
        match action {
            ListsAction::Trust {
                anchors,
                fetches,
                early,
            } => {
                let mut store = ListStore::new();
                store.raise_floors(floors_saved());
                for r in refresh_plan(&anchors, TRUST_FILE) {
                    offer_saved(&mut store, &anchors, r.kind, &r.authority);
                }
                // The partitions asked for early, held from the start like the lists, so that
                // the label in the address is checked at once when this device has seen it.
                // Any other saved partition is taken when a label needs it (`StatusAsked`):
                // not all at every start, which for a device that has seen labels of many
                // partitions would verify each of them first.
                for (authority, partition) in &early {
                    offer_saved_status(&mut store, &anchors, authority, *partition);
                }
                next.anchors = Some(Rc::new(anchors));
                next.store = store;
                next.trust_generation += 1;
                next.problems.clear();
                next.pending += fetches;
                next.trust_missing = false;
            }
            ListsAction::Started(n) => next.pending += n,
            ListsAction::Offer {
                refresh,
                origin,
                fetched,
            } => {
                next.pending = next.pending.saturating_sub(1);
                if let Some(anchors) = next.anchors.clone() {
                    let offered = fetched.map_err(ListProblem::Fetch).and_then(|bytes| {
                        accept_fetched(&mut next.store, &anchors, refresh.kind, &refresh.authority, &bytes)
                            .map_err(ListProblem::Refused)
                    });
                    // A built-in copy is optional; only the published one's fate is said.
                    if origin == Origin::Published {
                        next.problems.retain(|(r, _)| *r != refresh);
                        if let Err(problem) = offered {
                            next.problems.push((refresh, problem));
                        }
                    }
                }
            }
            ListsAction::StatusAsked {
                authority,
                partition,
                sources,
            } => {
                if let Some(anchors) = next.anchors.clone() {
                    offer_saved_status(&mut next.store, &anchors, &authority, partition);
                }
                next.pending += sources.len();
                for origin in sources {
                    let asked = (authority.clone(), partition, origin == Origin::Published);
                    if !next.status_asked.contains(&asked) {
                        next.status_asked.push(asked);
                    }
                }
            }
            ListsAction::OfferStatus {
                refresh,
                partition,
                origin,
                fetched,
            } => {
                next.pending = next.pending.saturating_sub(1);
                if let Some(anchors) = next.anchors.clone() {
                    let offered = accept_status(&mut next.store, &anchors, &refresh.authority, partition, fetched);
                    if origin == Origin::Published {
                        next.problems.retain(|(r, _)| *r != refresh);
                        if let Err(problem) = offered {
                            next.problems.push((refresh, problem));
                        }
                    }
                }
            }
            ListsAction::Restored { floors, copies } => {
                next.pending = next.pending.saturating_sub(1);
                next.store.raise_floors(floors);
                if let Some(anchors) = next.anchors.clone() {
                    for (kind, text) in copies {
                        let _ = next.store.offer(kind, &anchors, text.as_bytes());
                    }
                }
                save_floors(&next.store);
            }
            ListsAction::Finished => next.pending = next.pending.saturating_sub(1),
            ListsAction::TrustMissing => {
                next.pending = next.pending.saturating_sub(1);
                if next.anchors.is_none() {
                    next.trust_missing = true;
                }
            }
        }
        next.storage_failed = storage::failed();
        Rc::new(next)
    }
}

/// What to say of a list that was not brought up to date, in `lang`.
pub fn problem_text(lang: Lang, r: &Refresh, problem: &ListProblem) -> String {
    let args = [
        ("list", Arg::Word(format!("list.{}", r.kind.name()))),
        ("authority", Arg::Text(r.authority.clone())),
        ("source", Arg::Text(r.url.clone())),
        ("why", Arg::Text(labelcheck_words::message(lang, &problem.message()))),
    ];
    say(lang, Msg::ListNotUpdated, &args)
}

fn parse_trust(bytes: &[u8]) -> Option<TrustAnchors> {
    TrustAnchors::parse(bytes).ok()
}

/// Fetches the built-in and published copy of every list of `anchors`, all at once.
fn refresh_all(lists: &UseReducerHandle<Lists>, anchors: &TrustAnchors, trust_url: &str) {
    for r in refresh_plan(anchors, trust_url) {
        let built_in = resolve_url(trust_url, &format!("lists/{}.{}.jws", r.authority, r.kind.name()));
        for (origin, url) in [(Origin::BuiltIn, built_in), (Origin::Published, r.url.clone())] {
            let (lists, refresh) = (lists.clone(), r.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let fetched = match origin {
                    Origin::BuiltIn => net::get_own(&url, refresh.kind.max_bytes()).await,
                    _ => net::get(&url, refresh.kind.max_bytes()).await,
                };
                lists.dispatch(ListsAction::Offer {
                    refresh,
                    origin,
                    fetched,
                });
            });
        }
    }
}

/// Fetches partition `partition` of `authority`'s status list for a label that needs it: the
/// copy saved on this device at once, the copy built into the app
/// (`lists/AUTHORITY.status-N.jws`) when `built_in`, and the published one when `url` is given.
pub fn fetch_status(
    lists: &UseReducerHandle<Lists>,
    authority: &str,
    partition: u32,
    built_in: bool,
    url: Option<String>,
) {
    let sources: Vec<(Origin, String)> = status_sources(authority, partition, url)
        .into_iter()
        .filter(|(o, _)| built_in || *o != Origin::BuiltIn)
        .collect();
    lists.dispatch(ListsAction::StatusAsked {
        authority: authority.to_owned(),
        partition,
        sources: sources.iter().map(|(o, _)| *o).collect(),
    });
    for (origin, url) in sources {
        let lists = lists.clone();
        let refresh = Refresh {
            authority: authority.to_owned(),
            kind: ListKind::Status,
            url: url.clone(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            let fetched = get_status(origin, &url).await;
            lists.dispatch(ListsAction::OfferStatus {
                refresh,
                partition,
                origin,
                fetched,
            });
        });
    }
}

/// Where a partition is: its copy built into the app, and where it is published.
pub fn status_sources(authority: &str, partition: u32, url: Option<String>) -> Vec<(Origin, String)> {
    let trust_url = location::resolve(TRUST_FILE);
    let built_in = resolve_url(&trust_url, &format!("lists/{authority}.status-{partition}.jws"));
    std::iter::once((Origin::BuiltIn, built_in))
        .chain(url.map(|u| (Origin::Published, u)))
        .collect()
}

/// Fetches a partition from `origin`'s `url` (the app's own copy under its own fetch rules).
pub async fn get_status(origin: Origin, url: &str) -> Result<Vec<u8>, FetchProblem> {
    let max = ListKind::Status.max_bytes();
    match origin {
        Origin::BuiltIn => net::get_own(url, max).await,
        _ => net::get(url, max).await,
    }
}

/// Two fetches per list: its built-in copy and its published one; and the IndexedDB read.
fn fetches_for(anchors: &TrustAnchors) -> usize {
    // And one for what IndexedDB kept.
    anchors.anchors.len() * ListKind::ALL.len() * 2 + 1
}

/// Reads what IndexedDB kept, counted among the sources the lists wait for.
fn start_restore(lists: &UseReducerHandle<Lists>, anchors: &TrustAnchors) {
    let (lists, anchors) = (lists.clone(), Rc::new(anchors.clone()));
    wasm_bindgen_futures::spawn_local(restore(lists, anchors));
}

/// The partitions of `early` whose authority `anchors` trusts.
fn trusted(anchors: &TrustAnchors, early: &[(String, u32)]) -> Vec<(String, u32)> {
    early
        .iter()
        .filter(|(authority, _)| anchors.anchor(authority).is_some())
        .cloned()
        .collect()
}

/// The app's own copies of `parts`, fetched beside the lists rather than once a check finds
/// them missing (the published copy is asked for once the key list says where it is).
fn fetch_early(lists: &UseReducerHandle<Lists>, parts: &[(String, u32)]) {
    for (authority, partition) in parts {
        fetch_status(lists, authority, *partition, true, None);
    }
}

/// The trust file saved on this device, as text and read, if it is one.
fn saved_trust() -> Option<(String, TrustAnchors)> {
    storage::get(TRUST_KEY).and_then(|t| parse_trust(t.as_bytes()).map(|a| (t, a)))
}

/// The lists, loaded from every source as described above; `early`, the status list
/// partitions (authority, partition) to hold from this device's copies at once, as the lists
/// are (the label in the address's). What this device saved is read before the first render,
/// so a label it has checked before is answered in that render; the fetches start after it.
#[hook]
pub fn use_lists(early: Vec<(String, u32)>) -> UseReducerHandle<Lists> {
    let lists = {
        let early = early.clone();
        use_reducer(move || match saved_trust() {
            Some((_, anchors)) => {
                let fetches = fetches_for(&anchors);
                let start = Rc::new(Lists::default());
                (*start.reduce(ListsAction::Trust {
                    anchors,
                    fetches,
                    early,
                }))
                .clone()
            }
            None => Lists::default(),
        })
    };
    {
        let lists = lists.clone();
        use_effect_with((), move |_| {
            let trust_url = location::resolve(TRUST_FILE);
            let saved_text = saved_trust().map(|(t, _)| t);
            // The saved trust file is in use since the first render; the fetched one replaces
            // it if it differs.
            if let Some(anchors) = lists.anchors.clone() {
                refresh_all(&lists, &anchors, &trust_url);
                start_restore(&lists, &anchors);
                fetch_early(&lists, &trusted(&anchors, &early));
            }
            lists.dispatch(ListsAction::Started(1));
            wasm_bindgen_futures::spawn_local(async move {
                let fetched = net::get_own(&trust_url, MAX_TRUST_FILE_BYTES).await.ok();
                let text = fetched.and_then(|b| String::from_utf8(b).ok());
                match text.as_deref().and_then(|t| parse_trust(t.as_bytes()).map(|a| (t, a))) {
                    Some((t, _)) if Some(t) == saved_text.as_deref() => lists.dispatch(ListsAction::Finished),
                    Some((t, anchors)) => {
                        storage::set(TRUST_KEY, t);
                        let fetches = fetches_for(&anchors);
                        refresh_all(&lists, &anchors, &trust_url);
                        start_restore(&lists, &anchors);
                        lists.dispatch(ListsAction::Finished);
                        let asked = trusted(&anchors, &early);
                        lists.dispatch(ListsAction::Trust {
                            anchors,
                            fetches,
                            early,
                        });
                        fetch_early(&lists, &asked);
                    }
                    None => lists.dispatch(ListsAction::TrustMissing),
                }
            });
        });
    }
    lists
}
