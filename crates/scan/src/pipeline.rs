//! The decode pipeline in front of rqrr: size checks, a downscaled retry for large photos,
//! and an inverted retry for light-on-dark codes.

use crate::luma::Luma;
use std::fmt;

/// Larger frames are refused rather than decoded slowly: 40 megapixels.
pub const MAX_PIXELS: usize = 40_000_000;
/// Frames with a longer side than this are also tried at half size when nothing was found:
/// rqrr misses some codes at one scale that it reads at another.
const DOWNSCALE_ABOVE: usize = 400;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanError {
    BadDimensions,
    TooLarge,
    DecoderPanicked,
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScanError::BadDimensions => "the image's size does not match its pixel data",
            ScanError::TooLarge => "the image has more than 40 megapixels",
            ScanError::DecoderPanicked => "the QR decoder failed on this image",
        })
    }
}

impl std::error::Error for ScanError {}

/// Every distinct QR text found in the frame, in the order found.
pub fn decode(frame: Luma<'_>) -> Result<Vec<String>, ScanError> {
    let Luma { width, height, pixels } = frame;
    if width == 0 || height == 0 || width.checked_mul(height) != Some(pixels.len()) {
        return Err(ScanError::BadDimensions);
    }
    if pixels.len() > MAX_PIXELS {
        return Err(ScanError::TooLarge);
    }
    let mut found = Vec::new();
    let mut panicked = false;
    let mut attempt = |w: usize, h: usize, px: &[u8], found: &mut Vec<String>| match guarded(w, h, px) {
        Some(texts) => {
            for t in texts {
                if !found.contains(&t) {
                    found.push(t);
                }
            }
        }
        None => panicked = true,
    };
    attempt(width, height, pixels, &mut found);
    if found.is_empty() && width.max(height) > DOWNSCALE_ABOVE {
        let (w, h, half) = halve(width, height, pixels);
        attempt(w, h, &half, &mut found);
    }
    if found.is_empty() {
        let inverted: Vec<u8> = pixels.iter().map(|p| 255 - p).collect();
        attempt(width, height, &inverted, &mut found);
    }
    if found.is_empty() && panicked {
        return Err(ScanError::DecoderPanicked);
    }
    Ok(found)
}

fn halve(width: usize, height: usize, px: &[u8]) -> (usize, usize, Vec<u8>) {
    let (w, h) = (width / 2, height / 2);
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        let (r0, r1) = (2 * y * width, (2 * y + 1) * width);
        for x in 0..w {
            let s = u16::from(px[r0 + 2 * x])
                + u16::from(px[r0 + 2 * x + 1])
                + u16::from(px[r1 + 2 * x])
                + u16::from(px[r1 + 2 * x + 1]);
            out.push((s / 4) as u8);
        }
    }
    (w, h, out)
}

fn run_rqrr(width: usize, height: usize, px: &[u8]) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| px[y * width + x]);
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

/// `None` when rqrr panicked. In wasm a panic aborts instead, and the app's worker recovers.
#[cfg(not(target_arch = "wasm32"))]
fn guarded(width: usize, height: usize, px: &[u8]) -> Option<Vec<String>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_rqrr(width, height, px))).ok()
}

#[cfg(target_arch = "wasm32")]
fn guarded(width: usize, height: usize, px: &[u8]) -> Option<Vec<String>> {
    Some(run_rqrr(width, height, px))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_mismatched_sizes() {
        assert_eq!(
            decode(Luma {
                width: 3,
                height: 3,
                pixels: &[0; 8]
            }),
            Err(ScanError::BadDimensions)
        );
        assert_eq!(
            decode(Luma {
                width: 0,
                height: 0,
                pixels: &[]
            }),
            Err(ScanError::BadDimensions)
        );
    }

    #[test]
    fn blank_frame_has_no_codes() {
        assert_eq!(
            decode(Luma {
                width: 64,
                height: 48,
                pixels: &[200; 64 * 48]
            }),
            Ok(vec![])
        );
    }
}
