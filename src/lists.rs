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

use crate::i18n::{say, Lang, Msg};
use crate::platform::{location, net, storage};
use labelcheck_core::fetch_policy::FetchProblem;
use labelcheck_core::fields::resolve_url;
use labelcheck_core::limits::MAX_TRUST_FILE_BYTES;
use labelcheck_core::list_store::{refresh_plan, ListError, ListProblem, ListUpdate, Refresh};
use labelcheck_core::{Arg, ListKind, ListStore, TrustAnchors};
use std::rc::Rc;
use yew::prelude::*;

const TRUST_KEY: &str = "labelcheck.trust";
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
    /// Grows with every change, so that views and checks can tell a new state from an old.
    pub generation: u64,
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
    },
    /// More fetches were started.
    Started(usize),
    Offer {
        refresh: Refresh,
        origin: Origin,
        fetched: Result<Vec<u8>, FetchProblem>,
    },
    /// A fetch that could not start or brought nothing to offer.
    Finished,
    TrustMissing,
}

fn saved_key(kind: ListKind, authority: &str) -> String {
    format!("labelcheck.{}.{authority}", kind.name())
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
        if let Ok(text) = std::str::from_utf8(bytes) {
            storage::set(&saved_key(kind, authority), text);
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
            ListsAction::Trust { anchors, fetches } => {
                let mut store = ListStore::new();
                for r in refresh_plan(&anchors, TRUST_FILE) {
                    offer_saved(&mut store, &anchors, r.kind, &r.authority);
                }
                next.anchors = Some(Rc::new(anchors));
                next.store = store;
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
            ListsAction::Finished => next.pending = next.pending.saturating_sub(1),
            ListsAction::TrustMissing => {
                next.pending = next.pending.saturating_sub(1);
                if next.anchors.is_none() {
                    next.trust_missing = true;
                }
            }
        }
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

/// Two fetches per list: its built-in copy and its published one.
fn fetches_for(anchors: &TrustAnchors) -> usize {
    anchors.anchors.len() * ListKind::ALL.len() * 2
}

/// The lists, loaded from every source as described above, starting on the first render.
#[hook]
pub fn use_lists() -> UseReducerHandle<Lists> {
    let lists = use_reducer(Lists::default);
    {
        let lists = lists.clone();
        use_effect_with((), move |_| {
            let trust_url = location::resolve(TRUST_FILE);
            let saved = storage::get(TRUST_KEY).and_then(|t| parse_trust(t.as_bytes()).map(|a| (t, a)));
            let saved_text = saved.as_ref().map(|(t, _)| t.clone());
            // The saved trust file is used now; the fetched one replaces it if it differs.
            if let Some((_, anchors)) = saved {
                let fetches = fetches_for(&anchors);
                refresh_all(&lists, &anchors, &trust_url);
                lists.dispatch(ListsAction::Trust { anchors, fetches });
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
                        lists.dispatch(ListsAction::Finished);
                        lists.dispatch(ListsAction::Trust { anchors, fetches });
                    }
                    None => lists.dispatch(ListsAction::TrustMissing),
                }
            });
        });
    }
    lists
}
