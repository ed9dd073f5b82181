//! What the decoder worker does with one frame: RGBA to luma in reused buffers, then the
//! shared pipeline. Kept here, not in the worker binary, so browser tests can run it.

use crate::platform::shift_jis;
use labelcheck_scan::{Budget, Payload, Scanner};
use std::cell::{Cell, RefCell};

thread_local! {
    /// Reused across frames: no allocation per frame once the frame size is stable.
    static LUMA: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static SCANNER: RefCell<Option<Scanner>> = const { RefCell::new(None) };
    static FRAMES: Cell<usize> = const { Cell::new(0) };
}

/// The QR texts in an RGBA frame (`width * height * 4` bytes); none if the frame is malformed.
/// A live camera frame gets the cheap ways of reading (see [`Budget::LiveFrame`]), so the
/// worker stays quick; a photo (`thorough`) gets every way.
pub fn scan_rgba(rgba: &[u8], width: usize, height: usize, thorough: bool) -> Vec<String> {
    let budget = if thorough {
        Budget::Thorough
    } else {
        let n = FRAMES.get();
        FRAMES.set(n.wrapping_add(1));
        Budget::LiveFrame(n)
    };
    LUMA.with_borrow_mut(|luma| {
        labelcheck_scan::rgba_to_luma(rgba, luma);
        SCANNER.with_borrow_mut(|s| {
            s.get_or_insert_with(Scanner::new)
                .read(
                    labelcheck_scan::Luma {
                        width,
                        height,
                        pixels: luma,
                    },
                    budget,
                )
                .unwrap_or_default()
                .iter()
                .filter_map(text)
                .collect()
        })
    })
}

/// A payload's text: Shift-JIS by the browser's decoder, the rest here.
fn text(payload: &Payload) -> Option<String> {
    payload.plain_text().or_else(|| shift_jis::decode(&payload.bytes))
}
