//! Image files to QR texts, with the app's decoder.

use crate::error::{at, Result};
use image::ImageReader;
use std::path::Path;

pub fn decode_file(path: &Path) -> Result<Vec<String>> {
    let mut reader = ImageReader::open(path).map_err(|e| at(path, "open", e))?;
    reader = reader.with_guessed_format().map_err(|e| at(path, "read", e))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| at(path, "decode the image", e))?;
    let luma = img.to_luma8();
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    labelcheck_scan::decode(labelcheck_scan::Luma {
        width: w,
        height: h,
        pixels: luma.as_raw(),
    })
    .map_err(|e| at(path, "scan", e))
}
