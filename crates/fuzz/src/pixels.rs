//! A grey frame as the app's worker receives it: the first two bytes give the width, the rest
//! are pixels, row by row. Small frames keep the pipeline's every way (doubling included)
//! quick enough to fuzz; the code paths are the same at any size.

use labelcheck_scan::{Budget, Luma, Scanner};

pub const MAX_WIDTH: usize = 128;
const MAX_PIXELS: usize = 128 * 128;

pub fn pixels(data: &[u8]) {
    let [a, b, rest @ ..] = data else { return };
    let width = 1 + usize::from(u16::from_le_bytes([*a, *b])) % MAX_WIDTH;
    let height = rest.len().min(MAX_PIXELS) / width;
    if height == 0 {
        return;
    }
    let frame = Luma {
        width,
        height,
        pixels: &rest[..width * height],
    };
    // As the camera loop sees it (each kind of live frame, buffers kept), then as a photo.
    let mut scanner = Scanner::new();
    for n in [0, 1, 7] {
        let _ = scanner.read(frame, Budget::LiveFrame(n));
    }
    let thorough = scanner.read(frame, Budget::Thorough);
    // A text that was read gets classified like any other QR text.
    for payload in thorough.iter().flatten() {
        let _ = labelcheck_core::label_url::classify(&payload.text());
    }
}
