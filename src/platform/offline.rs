//! Registers the service worker that keeps the app's build for offline use (static/sw.js), and
//! asks it to look for a new build on every visit: browsers do not always do so on their own
//! (Chromium may let a day pass), and a new build is only taken once no page runs the old one.

use wasm_bindgen::JsCast;

pub fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    if !window.is_secure_context() {
        return;
    }
    let container = window.navigator().service_worker();
    let registered = container.register("sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(reg) = wasm_bindgen_futures::JsFuture::from(registered).await else {
            return;
        };
        if let Ok(reg) = reg.dyn_into::<web_sys::ServiceWorkerRegistration>() {
            if let Ok(update) = reg.update() {
                // A failed look (offline, a half-deployed build) leaves the build in use.
                let _ = wasm_bindgen_futures::JsFuture::from(update).await;
            }
        }
    });
}
