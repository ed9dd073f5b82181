//! The trust anchors shipped with the app, and the key and revocation lists they sign.

use crate::platform::{location, net};
use labelcheck_core::limits::{MAX_KEY_LIST_BYTES, MAX_REVOCATION_LIST_BYTES, MAX_TRUST_FILE_BYTES};
use labelcheck_core::{ListStore, TrustAnchors};

pub struct Lists {
    pub anchors: TrustAnchors,
    pub store: ListStore,
    /// Lists that could not be loaded or were refused, for display.
    pub problems: Vec<String>,
}

impl PartialEq for Lists {
    fn eq(&self, other: &Self) -> bool {
        self.anchors == other.anchors && self.problems == other.problems
    }
}

pub async fn load() -> Result<Lists, String> {
    let trust_url = location::resolve("trust.json");
    let bytes = net::get(&trust_url, MAX_TRUST_FILE_BYTES)
        .await
        .map_err(|e| format!("The app's list of trusted authorities could not be loaded: {e}."))?;
    let anchors =
        TrustAnchors::parse(&bytes).map_err(|e| format!("The app's list of trusted authorities is damaged: {e}."))?;
    let mut store = ListStore::new();
    let mut problems = Vec::new();
    for anchor in &anchors.anchors {
        match net::get(&anchor.key_list_url, MAX_KEY_LIST_BYTES).await {
            Ok(b) => {
                if let Err(e) = store.offer_key_list(&anchors, &b) {
                    problems.push(format!("{}: key list refused: {e}", anchor.authority));
                }
            }
            Err(e) => problems.push(format!("{}: key list not loaded: {e}", anchor.authority)),
        }
        match net::get(&anchor.revocations_url, MAX_REVOCATION_LIST_BYTES).await {
            Ok(b) => {
                if let Err(e) = store.offer_revocations(&anchors, &b) {
                    problems.push(format!("{}: revocation list refused: {e}", anchor.authority));
                }
            }
            Err(e) => problems.push(format!("{}: revocation list not loaded: {e}", anchor.authority)),
        }
    }
    Ok(Lists {
        anchors,
        store,
        problems,
    })
}
