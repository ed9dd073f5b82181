//! The labelcheck web app: reads a label, verifies it in the browser, shows the verdict.
//!
//! Platform code (fetch, clock, location) lives in `platform`; everything that decides a
//! verdict is in `labelcheck-core`, which receives plain bytes and the time.

#![forbid(unsafe_code)]

mod app;
mod components;
mod lists;
mod platform;
mod verify_label;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
