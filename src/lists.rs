//! The trust anchors shipped with the app, and the key and revocation lists they sign:
//! saved on the device after each verified update, loaded from there first (offline), then
//! refreshed from the network. The core refuses any list older than the one held.

use crate::platform::{location, net, storage};
use labelcheck_core::limits::{MAX_KEY_LIST_BYTES, MAX_REVOCATION_LIST_BYTES, MAX_TRUST_FILE_BYTES};
use labelcheck_core::trust::{ListError, ListUpdate};
use labelcheck_core::{ListStore, TrustAnchors};

pub struct Lists {
    pub anchors: TrustAnchors,
    pub store: ListStore,
    /// Lists that could not be refreshed or were refused, for display.
    pub problems: Vec<String>,
}

impl PartialEq for Lists {
    fn eq(&self, other: &Self) -> bool {
        self.anchors == other.anchors && self.problems == other.problems
    }
}

const TRUST_KEY: &str = "labelcheck.trust";

fn saved_key(kind: &str, authority: &str) -> String {
    format!("labelcheck.{kind}.{authority}")
}

pub type Offer = fn(&mut ListStore, &TrustAnchors, &[u8]) -> Result<ListUpdate, ListError>;

/// Offers the copy saved on this device, if any (a corrupt or stale copy is simply refused).
pub fn offer_saved(store: &mut ListStore, anchors: &TrustAnchors, kind: &str, authority: &str, offer: Offer) {
    if let Some(saved) = storage::get(&saved_key(kind, authority)) {
        let _ = offer(store, anchors, saved.as_bytes());
    }
}

/// Offers a fetched copy; saves it on the device only if it became the newest held.
pub fn accept_fetched(
    store: &mut ListStore,
    anchors: &TrustAnchors,
    kind: &str,
    authority: &str,
    bytes: &[u8],
    offer: Offer,
) -> Result<(), ListError> {
    if let ListUpdate::Installed { .. } = offer(store, anchors, bytes)? {
        if let Ok(text) = std::str::from_utf8(bytes) {
            storage::set(&saved_key(kind, authority), text);
        }
    }
    Ok(())
}

struct ListSource<'a> {
    kind: &'a str,
    url: &'a str,
    max: usize,
    offer: Offer,
}

async fn refresh(
    store: &mut ListStore,
    anchors: &TrustAnchors,
    authority: &str,
    src: ListSource<'_>,
    problems: &mut Vec<String>,
) {
    offer_saved(store, anchors, src.kind, authority, src.offer);
    let result = match net::get(src.url, src.max).await {
        Ok(bytes) => accept_fetched(store, anchors, src.kind, authority, &bytes, src.offer).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = result {
        problems.push(format!("{authority} {}: {e}", src.kind));
    }
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
    for a in &anchors.anchors {
        let keys = ListSource {
            kind: "keys",
            url: &a.key_list_url,
            max: MAX_KEY_LIST_BYTES,
            offer: ListStore::offer_key_list,
        };
        refresh(&mut store, &anchors, &a.authority, keys, &mut problems).await;
        let revocations = ListSource {
            kind: "revocations",
            url: &a.revocations_url,
            max: MAX_REVOCATION_LIST_BYTES,
            offer: ListStore::offer_revocations,
        };
        refresh(&mut store, &anchors, &a.authority, revocations, &mut problems).await;
    }
    Ok(Lists {
        anchors,
        store,
        problems,
    })
}
