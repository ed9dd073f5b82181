//! Image files to QR texts, with the app's decoder.

use crate::error::{at, Result};
use image::{GrayImage, ImageReader};
use std::path::Path;

pub fn load_luma(path: &Path) -> Result<GrayImage> {
    let mut reader = ImageReader::open(path).map_err(|e| at(path, "open", e))?;
    reader = reader.with_guessed_format().map_err(|e| at(path, "read", e))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| at(path, "decode the image", e))?;
    Ok(img.to_luma8())
}

pub fn scan(path: &Path, luma: &GrayImage) -> Result<Vec<String>> {
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    // rqrr panics on some images; the scanner catches it and says so, so the default hook's
    // message and backtrace would only be noise here.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let found = labelcheck_scan::decode(labelcheck_scan::Luma {
        width: w,
        height: h,
        pixels: luma.as_raw(),
    });
    std::panic::set_hook(hook);
    found.map_err(|e| at(path, "scan", e))
}

pub fn decode_file(path: &Path) -> Result<Vec<String>> {
    scan(path, &load_luma(path)?)
}
