//! Image files to grey pixels, for the command line and the fuzzer: PNG, JPEG, WebP (the
//! `image` crate) and HEIC, iPhones' default (`heifer`). The browser decodes photos itself and
//! hands the worker pixels.

use image::error::ImageFormatHint;
use image::{ImageError, ImageReader, Limits};
use std::fmt;
use std::io::Cursor;

/// Larger than any phone photo; a file claiming more is refused before memory is spent on it.
pub const MAX_SIDE: u32 = 12_000;
const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// HEIC photos are decoded to 8-bit RGBA: this many pixels stay within the same memory.
/// iPhones' largest (48 megapixels) fit.
const MAX_HEIF_PIXELS: u64 = MAX_ALLOC / 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GreyPhoto {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl GreyPhoto {
    pub fn luma(&self) -> crate::Luma<'_> {
        crate::Luma {
            width: self.width,
            height: self.height,
            pixels: &self.pixels,
        }
    }
}

/// Why a file gave no pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoError {
    /// Not an image in any format known here.
    NotAnImage,
    /// An image format known but not decoded here, by its common name.
    Unsupported(&'static str),
    /// Larger than [`MAX_SIDE`] a side, or than the memory allowed.
    TooLarge,
    /// The image's data is damaged or truncated.
    Damaged,
}

impl fmt::Display for PhotoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhotoError::NotAnImage => f.write_str("not an image in a format this decoder reads"),
            PhotoError::Unsupported(name) => write!(f, "the {name} format is not supported"),
            PhotoError::TooLarge => write!(f, "larger than {MAX_SIDE} pixels a side"),
            PhotoError::Damaged => f.write_str("the image data is damaged"),
        }
    }
}

impl std::error::Error for PhotoError {}

fn classify(e: ImageError) -> PhotoError {
    match e {
        ImageError::Limits(_) => PhotoError::TooLarge,
        ImageError::Unsupported(u) => match u.format_hint() {
            ImageFormatHint::Exact(format) => PhotoError::Unsupported(format_name(format)),
            _ => PhotoError::NotAnImage,
        },
        _ => PhotoError::Damaged,
    }
}

fn format_name(format: image::ImageFormat) -> &'static str {
    format.extensions_str().first().copied().unwrap_or("this")
}

/// The format is found from the bytes, not a file name: photos get renamed.
pub fn grey_photo(bytes: &[u8]) -> Result<GreyPhoto, PhotoError> {
    if let Some(heif) = heif_kind(bytes) {
        return heif_photo(bytes, heif);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PhotoError::NotAnImage)?;
    if reader.format().is_none() {
        return Err(PhotoError::NotAnImage);
    }
    // The header alone says how large the image claims to be: refused before decoding.
    let claimed = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PhotoError::NotAnImage)?
        .into_dimensions();
    match claimed {
        Ok((w, h)) if w > MAX_SIDE || h > MAX_SIDE => return Err(PhotoError::TooLarge),
        Ok(_) => {}
        Err(e) => return Err(classify(e)),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(classify)?.to_luma8();
    Ok(GreyPhoto {
        width: img.width() as usize,
        height: img.height() as usize,
        pixels: img.into_raw(),
    })
}

/// What kind of HEIF file the bytes are, from the brand in their `ftyp` box: `Some(true)`
/// for HEVC-coded (HEIC, and the generic brands that usually are), `Some(false)` for other
/// codecs (AVIF and the like), `None` if not HEIF at all.
fn heif_kind(bytes: &[u8]) -> Option<bool> {
    if bytes.get(4..8) != Some(b"ftyp") {
        return None;
    }
    match heifer::check_file_type(bytes) {
        heifer::FileTypeResult::Supported | heifer::FileTypeResult::MayBe => Some(true),
        heifer::FileTypeResult::Unsupported => Some(false),
        heifer::FileTypeResult::No => None,
    }
}

fn heif_photo(bytes: &[u8], hevc: bool) -> Result<GreyPhoto, PhotoError> {
    if !hevc {
        return Err(PhotoError::Unsupported(if bytes.get(8..12) == Some(b"avif") {
            "AVIF"
        } else {
            "HEIF"
        }));
    }
    let options = heifer::Options {
        // Photos are decoded several at a time already, one per thread.
        max_threads: 1,
        max_pixels: MAX_HEIF_PIXELS,
    };
    // A young decoder on untrusted bytes: a panic in it is a damaged file, not a crash.
    let decoded = std::panic::catch_unwind(|| heifer::decode_rgba8(bytes, &options));
    let image = match decoded {
        Ok(Ok(image)) => image,
        Ok(Err(heifer::Error::Unsupported(_))) => return Err(PhotoError::Unsupported("HEIF")),
        Ok(Err(heifer::Error::Invalid(why))) if why.contains("too large") => return Err(PhotoError::TooLarge),
        Ok(Err(_)) | Err(_) => return Err(PhotoError::Damaged),
    };
    if image.width > MAX_SIDE || image.height > MAX_SIDE {
        return Err(PhotoError::TooLarge);
    }
    let mut pixels = Vec::new();
    crate::rgba_to_luma(&image.data, &mut pixels);
    Ok(GreyPhoto {
        width: image.width as usize,
        height: image.height as usize,
        pixels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use labelcheck_testkit::crc32;

    #[test]
    fn refuses_what_is_not_a_photo() {
        assert_eq!(grey_photo(b""), Err(PhotoError::NotAnImage));
        assert_eq!(grey_photo(b"\x89PNG\r\n\x1a\n truncated"), Err(PhotoError::Damaged));
        assert!(grey_photo(&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).is_err());
    }

    #[test]
    fn refuses_a_header_claiming_a_huge_image() {
        // A well-formed PNG header for 100,000 x 100,000 pixels, then no pixel data.
        let mut chunk = b"IHDR".to_vec();
        chunk.extend_from_slice(&100_000u32.to_be_bytes());
        chunk.extend_from_slice(&100_000u32.to_be_bytes());
        chunk.extend_from_slice(&[8, 0, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0d".to_vec();
        png.extend_from_slice(&chunk);
        png.extend_from_slice(&crc32(chunk.iter().copied()).to_be_bytes());
        let header_end = png.len();
        png.extend_from_slice(b"\0\0\0\0IDAT");
        png.extend_from_slice(&crc32(*b"IDAT").to_be_bytes());
        assert_eq!(grey_photo(&png), Err(PhotoError::TooLarge));
        // The same header with a wrong checksum is damaged, whatever it claims.
        png[header_end - 1] ^= 1;
        assert_eq!(grey_photo(&png), Err(PhotoError::Damaged));
    }
}
