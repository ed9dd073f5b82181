//! Small values kept on the device (localStorage): the chosen language, the newest verified
//! lists and their rollback floors. A write that fails (storage full, private mode) is
//! remembered for this visit, so that the app can say so once; what matters most is also
//! kept in IndexedDB (`crate::lists`), which has room where localStorage has none.

use std::cell::Cell;

thread_local! {
    static FAILED: Cell<bool> = const { Cell::new(false) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Keeps `value` under `key`; false (and remembered) when the device refused it.
pub fn set(key: &str, value: &str) -> bool {
    let kept = storage().is_some_and(|s| s.set_item(key, value).is_ok());
    if !kept {
        FAILED.with(|f| f.set(true));
    }
    kept
}

/// Whether a write was refused during this visit.
pub fn failed() -> bool {
    FAILED.with(Cell::get)
}
