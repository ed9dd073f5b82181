//! The page's own address: a label link opened by a camera app arrives here, claim in the fragment.

/// The whole address if it carries a fragment (a label link), otherwise `None`.
pub fn label_from_address() -> Option<String> {
    let location = web_sys::window()?.location();
    let hash = location.hash().ok()?;
    if hash.len() <= 1 {
        return None;
    }
    location.href().ok()
}

/// Resolves `path` against the page's own address, so the app works from any folder and on
/// any origin it is deployed to.
pub fn resolve(path: &str) -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .and_then(|page| web_sys::Url::new_with_base(path, &page).ok())
        .map(|url| url.href())
        .unwrap_or_else(|| path.to_owned())
}

/// The address asks for the camera at once (`./?scan`, from a verdict's "Scan another label").
pub fn asks_to_scan() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| q.trim_start_matches('?').split('&').any(|p| p == "scan"))
}
