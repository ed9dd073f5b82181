//! Key lists, revocation lists and trust anchors, as offered to a verifier that holds none or
//! holds the current ones.

use labelcheck_core::list_store::ListUpdate;
use labelcheck_core::{KeyList, ListStore, RevocationList, TrustAnchors};
use labelcheck_testkit::vectors::world;

pub fn lists(data: &[u8]) {
    let w = world();
    let _ = TrustAnchors::parse(data);
    let _ = KeyList::parse(data);
    let _ = RevocationList::parse(data);
    let authority = &w.anchors.anchors[0].authority;

    // Offered to a fresh store, only the authority's own lists may be installed, with the
    // content it signed.
    let mut fresh = ListStore::new();
    if fresh.offer_key_list(&w.anchors, data).is_ok() {
        assert_eq!(
            fresh.key_list(authority).map(|s| &s.list),
            w.lists.key_list(authority).map(|s| &s.list),
            "other key-list content installed"
        );
    }
    if fresh.offer_revocations(&w.anchors, data).is_ok() {
        assert_eq!(
            fresh.revocations(authority).map(|s| &s.list),
            w.lists.revocations(authority).map(|s| &s.list),
            "other revocation content installed"
        );
    }

    // Offered to a store holding the current lists, nothing replaces them.
    let mut current = w.lists.clone();
    for update in [
        current.offer_key_list(&w.anchors, data),
        current.offer_revocations(&w.anchors, data),
    ] {
        assert!(!matches!(update, Ok(ListUpdate::Installed { .. })), "{update:?}");
    }
}
