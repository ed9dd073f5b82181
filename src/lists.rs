//! The trust anchors shipped with the app, and the key and revocation lists they sign, under
//! the verifier's shared list policy (`labelcheck_core::list_store::refresh_plan`): the copies
//! saved on this device are offered first (offline), then each list is fetched from its URL
//! and offered; a list that became the newest held is saved. The core refuses any list older
//! than the one held.

use crate::i18n::{say, Lang, Msg};
use crate::platform::{location, net, storage};
use labelcheck_core::limits::MAX_TRUST_FILE_BYTES;
use labelcheck_core::list_store::{refresh_plan, ListError, ListProblem, ListUpdate, Refresh};
use labelcheck_core::Arg;
use labelcheck_core::{ListKind, ListStore, TrustAnchors};

pub struct Lists {
    pub anchors: TrustAnchors,
    pub store: ListStore,
    /// Lists that could not be refreshed or were refused, for display.
    pub problems: Vec<(Refresh, ListProblem)>,
}

impl PartialEq for Lists {
    fn eq(&self, other: &Self) -> bool {
        self.anchors == other.anchors && self.problems == other.problems
    }
}

const TRUST_KEY: &str = "labelcheck.trust";

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

async fn refresh(store: &mut ListStore, anchors: &TrustAnchors, r: &Refresh) -> Result<ListUpdate, ListProblem> {
    offer_saved(store, anchors, r.kind, &r.authority);
    let bytes = net::get(&r.url, r.kind.max_bytes()).await.map_err(ListProblem::Fetch)?;
    accept_fetched(store, anchors, r.kind, &r.authority, &bytes).map_err(ListProblem::Refused)
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

pub async fn load() -> Result<Lists, String> {
    let trust_url = location::resolve("trust.json");
    let fetched = net::get(&trust_url, MAX_TRUST_FILE_BYTES).await.ok();
    let (bytes, from_network) = match fetched {
        Some(b) => (b, true),
        None => (
            storage::get(TRUST_KEY)
                .map(String::into_bytes)
                .ok_or_else(String::new)?,
            false,
        ),
    };
    let anchors = TrustAnchors::parse(&bytes).map_err(|e| e.to_string())?;
    if from_network {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            storage::set(TRUST_KEY, text);
        }
    }
    let mut store = ListStore::new();
    let mut problems = Vec::new();
    for r in refresh_plan(&anchors, &trust_url) {
        if let Err(problem) = refresh(&mut store, &anchors, &r).await {
            problems.push((r, problem));
        }
    }
    Ok(Lists {
        anchors,
        store,
        problems,
    })
}
