//! Registers the service worker that keeps the app shell for offline use.

pub fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    if !window.is_secure_context() {
        return;
    }
    let container = window.navigator().service_worker();
    let _ = container.register("sw.js");
}
