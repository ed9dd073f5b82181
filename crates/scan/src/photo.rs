//! Image files (PNG, JPEG) to grey pixels, for the command line and the fuzzer. The browser
//! decodes photos itself and hands the worker pixels.

use image::{ImageReader, Limits};
use std::fmt;
use std::io::Cursor;

/// Larger than any phone photo; a file claiming more is refused before memory is spent on it.
pub const MAX_SIDE: u32 = 12_000;
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoError(String);

impl fmt::Display for PhotoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PhotoError {}

/// The format is found from the bytes, not a file name: photos get renamed.
pub fn grey_photo(bytes: &[u8]) -> Result<GreyPhoto, PhotoError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| PhotoError(e.to_string()))?.to_luma8();
    Ok(GreyPhoto {
        width: img.width() as usize,
        height: img.height() as usize,
        pixels: img.into_raw(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_photo() {
        assert!(grey_photo(b"").is_err());
        assert!(grey_photo(b"\x89PNG\r\n\x1a\n truncated").is_err());
        assert!(grey_photo(&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).is_err());
    }

    #[test]
    fn refuses_a_header_claiming_a_huge_image() {
        // A PNG header for 100,000 x 100,000 pixels, and nothing after it.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 0, 0, 0, 0]);
        png.extend_from_slice(&[0, 0, 0, 0]);
        assert!(grey_photo(&png).is_err());
    }
}
