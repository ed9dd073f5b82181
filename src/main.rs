#![forbid(unsafe_code)]

//! The full app (camera, photo, paste box, audits, demo labels), as `index.html` starts it
//! for an address without a label link.

fn main() {
    labelcheck_app::run::<labelcheck_app::app::App>();
}
