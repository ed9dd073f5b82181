#![forbid(unsafe_code)]

//! The app for a label link: the label's verdict and nothing else, loaded instead of the
//! full app when the address carries a label (see `static/boot.js`), so a shopper's first
//! visit downloads no camera or audit code.

fn main() {
    labelcheck_app::run::<labelcheck_app::label_app::LabelApp>();
}
