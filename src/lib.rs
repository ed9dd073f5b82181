//! The labelcheck web app: reads a label, verifies it in the browser, shows the verdict.
//!
//! Platform code (fetch, clock, location) lives in `platform`; everything that decides a
//! verdict is in `labelcheck-core`, which receives plain bytes and the time.

#![forbid(unsafe_code)]

pub mod app;
pub mod audit_session;
pub mod audits;
pub mod components;
pub mod i18n;
pub mod label_app;
pub mod lists;
pub mod platform;
pub mod scan_frame;
pub mod scan_protocol;
pub mod shell;
pub mod use_latest;
pub mod verification;

/// Starts `Root` in the page, taking over the frame `index.html` painted (`#app`).
pub fn run<Root: yew::BaseComponent<Properties = ()>>() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<Root>::with_root(root).render();
        }
        None => {
            yew::Renderer::<Root>::new().render();
        }
    }
}
