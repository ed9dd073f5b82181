//! Image files to QR texts, with the app's decoder.

use crate::error::{at, Result};
use labelcheck_scan::photo::{grey_photo, GreyPhoto};
use std::path::Path;

/// A file this large is no photo of a label; refused before it is read into memory.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

pub fn load_luma(path: &Path) -> Result<GreyPhoto> {
    let len = std::fs::metadata(path).map_err(|e| at(path, "open", e))?.len();
    if len > MAX_FILE_BYTES {
        return Err(at(
            path,
            "read",
            format!("the file is larger than {} MiB", MAX_FILE_BYTES >> 20),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| at(path, "read", e))?;
    grey_photo(&bytes).map_err(|e| at(path, "decode the image", e))
}

pub fn scan(path: &Path, photo: &GreyPhoto) -> Result<Vec<String>> {
    // Photos decode on several threads; the hook is set once for all of them.
    labelcheck_scan::quiet_decoder_panics();
    labelcheck_scan::decode(photo.luma()).map_err(|e| at(path, "scan", e))
}

pub fn decode_file(path: &Path) -> Result<Vec<String>> {
    scan(path, &load_luma(path)?)
}
