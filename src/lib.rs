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
pub mod lists;
pub mod platform;
pub mod scan_frame;
pub mod scan_protocol;
pub mod use_latest;
pub mod verify_label;

/// Starts the app in the page.
pub fn run() {
    yew::Renderer::<app::App>::new().render();
}
