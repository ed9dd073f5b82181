//! Performance marks: when the page first answered and when it gave its verdict, for the
//! phone benchmark (`cargo xtask bench-phone`) to read from the browser's timeline.

pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}
