//! What the decoder worker does with one frame: RGBA to luma in reused buffers, then the
//! shared rqrr pipeline. Kept here, not in the worker binary, so browser tests can run it.

use std::cell::RefCell;

thread_local! {
    /// Reused across frames: no allocation per frame once the frame size is stable.
    static LUMA: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The QR texts in an RGBA frame (`width * height * 4` bytes); none if the frame is malformed.
pub fn scan_rgba(rgba: &[u8], width: usize, height: usize) -> Vec<String> {
    LUMA.with_borrow_mut(|luma| {
        labelcheck_scan::rgba_to_luma(rgba, luma);
        labelcheck_scan::decode(labelcheck_scan::Luma {
            width,
            height,
            pixels: luma,
        })
        .unwrap_or_default()
    })
}
