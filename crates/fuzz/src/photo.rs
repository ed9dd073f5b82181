//! An image file as the command line opens it (PNG or JPEG, format guessed from the bytes).

use labelcheck_scan::photo::grey_photo;

/// Photos larger than this decode, but are not scanned here: the scan is the pixels target's.
const MAX_SCANNED_PIXELS: usize = 256 * 256;

pub fn photo(data: &[u8]) {
    let Ok(photo) = grey_photo(data) else { return };
    assert_eq!(photo.pixels.len(), photo.width * photo.height);
    if photo.pixels.len() <= MAX_SCANNED_PIXELS {
        let _ = labelcheck_scan::decode(photo.luma());
    }
}
