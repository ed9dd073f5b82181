//! The lists a verifier holds: newer ones installed, older ones and strangers' refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_core::jws::JwsError;
use labelcheck_core::list_store::{ListError, ListStore, ListUpdate};
use labelcheck_testkit::Authority;

#[test]
fn installs_newer_and_refuses_older_lists() {
    let a = Authority::new("DEMO", 1);
    let anchors = a.anchors();
    let mut store = ListStore::new();
    let v2 = a.key_list_file(2);
    let v1 = a.key_list_file(1);
    assert_eq!(
        store.offer_key_list(&anchors, &v2),
        Ok(ListUpdate::Installed {
            version: 2,
            previous: None
        })
    );
    assert_eq!(
        store.offer_key_list(&anchors, &v1),
        Err(ListError::Rollback { have: 2, offered: 1 })
    );
    assert_eq!(
        store.offer_key_list(&anchors, &v2),
        Ok(ListUpdate::Unchanged { version: 2 })
    );
    assert_eq!(
        store.offer_key_list(&anchors, &a.key_list_file(3)),
        Ok(ListUpdate::Installed {
            version: 3,
            previous: Some(2)
        })
    );
    let r2 = a.revocations_file(2, &[]);
    assert!(store.offer_revocations(&anchors, &r2).is_ok());
    assert_eq!(
        store.offer_revocations(&anchors, &a.revocations_file(1, &[])),
        Err(ListError::Rollback { have: 2, offered: 1 })
    );
    assert_eq!(
        store.offer_revocations(&anchors, &a.revocations_file(2, &["X"])),
        Err(ListError::VersionConflict(2))
    );
}

#[test]
fn refuses_lists_from_strangers() {
    let a = Authority::new("DEMO", 1);
    let stranger = Authority::new("DEMO", 9);
    let mut store = ListStore::new();
    assert_eq!(
        store.offer_key_list(&a.anchors(), &stranger.key_list_file(1)),
        Err(ListError::BadSignature)
    );
    let other = Authority::new("OTHER", 2);
    assert_eq!(
        store.offer_key_list(&a.anchors(), &other.key_list_file(1)),
        Err(ListError::UnknownAuthority("OTHER".into()))
    );
    assert!(matches!(
        store.offer_key_list(&a.anchors(), &a.revocations_file(1, &[])),
        Err(ListError::Jws(JwsError::WrongType))
    ));
}

#[test]
fn a_floor_kept_apart_refuses_an_older_list_once_the_copy_is_gone() {
    let a = Authority::new("DEMO", 40);
    let anchors = a.anchors();
    let mut first = ListStore::new();
    first.offer_key_list(&anchors, &a.key_list_file(5)).unwrap();
    first.offer_status(&anchors, &a.status_file(3, 7, &[], vec![])).unwrap();
    let floors = first.floors().to_vec();
    assert_eq!(first.floor("keys.DEMO"), Some(5));
    assert_eq!(first.floor("status.DEMO.3"), Some(7));
    assert_eq!(floors.len(), 2, "{floors:?}");
    // The copies are lost; only the floors are kept: an older list is refused, the same
    // version or a newer one taken.
    let mut second = ListStore::new();
    second.raise_floors(floors.clone());
    assert_eq!(
        second.offer_key_list(&anchors, &a.key_list_file(4)),
        Err(ListError::Rollback { have: 5, offered: 4 })
    );
    assert!(second
        .offer_status(&anchors, &a.status_file(3, 6, &[], vec![]))
        .is_err());
    assert!(second.offer_key_list(&anchors, &a.key_list_file(5)).is_ok());
    // Floors that arrive after an older list was taken drop it.
    let mut third = ListStore::new();
    third.offer_key_list(&anchors, &a.key_list_file(3)).unwrap();
    third.raise_floors(floors);
    assert!(third.key_list("DEMO").is_none(), "the older list is no longer held");
}

#[test]
fn the_revision_grows_when_what_is_held_changes_and_only_then() {
    let a = Authority::new("DEMO", 41);
    let anchors = a.anchors();
    let mut store = ListStore::new();
    let start = store.revision();
    store.offer_key_list(&anchors, &a.key_list_file(5)).unwrap();
    let installed = store.revision();
    assert!(installed > start, "a list installed");
    // The same file again, an older one refused, a stranger's: nothing held changes.
    store.offer_key_list(&anchors, &a.key_list_file(5)).unwrap();
    assert!(store.offer_key_list(&anchors, &a.key_list_file(4)).is_err());
    assert!(store.offer_key_list(&anchors, b"not a list").is_err());
    assert_eq!(store.revision(), installed);
    store.offer_status(&anchors, &a.status_file(2, 3, &[], vec![])).unwrap();
    let with_status = store.revision();
    assert!(with_status > installed, "a partition installed");
    store.offer_status(&anchors, &a.status_file(2, 3, &[], vec![])).unwrap();
    // A floor that drops nothing held leaves it; one that drops a list does not.
    store.raise_floors([("keys.DEMO".to_owned(), 5)]);
    assert_eq!(store.revision(), with_status);
    store.raise_floors([("status.DEMO.2".to_owned(), 4)]);
    assert!(store.revision() > with_status, "a partition dropped below its floor");
    assert!(store.status("DEMO", 2).is_none());
}
