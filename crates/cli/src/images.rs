//! Image files to QR texts, with the app's decoder. What goes wrong is said as the verdict's
//! reason ([`ImageProblem`]), like any other input that yields no label.

use labelcheck_core::reason::ImageProblem;
use labelcheck_scan::photo::{grey_photo, GreyPhoto, PhotoError};
use labelcheck_scan::ScanError;
use std::path::Path;

/// A file this large is no photo of a label; refused before it is read into memory.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

fn problem(e: PhotoError) -> ImageProblem {
    match e {
        PhotoError::NotAnImage => ImageProblem::NotAnImage,
        PhotoError::Unsupported(format) => ImageProblem::UnsupportedFormat(format),
        PhotoError::TooLarge => ImageProblem::TooLarge,
        PhotoError::Damaged => ImageProblem::Damaged,
    }
}

pub fn load_luma(path: &Path) -> Result<GreyPhoto, ImageProblem> {
    let len = std::fs::metadata(path).map_err(|_| ImageProblem::FileUnreadable)?.len();
    if len > MAX_FILE_BYTES {
        return Err(ImageProblem::TooLarge);
    }
    let bytes = std::fs::read(path).map_err(|_| ImageProblem::FileUnreadable)?;
    grey_photo(&bytes).map_err(problem)
}

pub fn scan(photo: &GreyPhoto) -> Result<Vec<String>, ImageProblem> {
    // Photos decode on several threads; the hook is set once for all of them.
    labelcheck_scan::quiet_decoder_panics();
    labelcheck_scan::decode(photo.luma()).map_err(|e| match e {
        ScanError::TooLarge => ImageProblem::TooLarge,
        ScanError::BadDimensions => ImageProblem::Damaged,
        ScanError::DecoderPanicked => ImageProblem::DecoderFailed,
    })
}

pub fn decode_file(path: &Path) -> Result<Vec<String>, ImageProblem> {
    scan(&load_luma(path)?)
}
