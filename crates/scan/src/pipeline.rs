//! The decode pipeline in front of rqrr: several binarisations and scales, tried in order
//! until one reads, with buffers kept between frames.
//!
//! Order of attempts, at each scale (full, then half for frames over 400 px, then a quarter
//! for frames over 1600 px): rqrr's own row threshold, then the block-adaptive threshold; then
//! the same on the inverted image (light-on-dark codes). Frames over 4 megapixels start at the
//! first scale under it.

use crate::luma::Luma;
use crate::threshold::{adaptive, MAX_ADAPTIVE_PIXELS};
use std::fmt;

/// Larger frames are refused rather than decoded slowly: 40 megapixels.
pub const MAX_PIXELS: usize = 40_000_000;
/// Frames are decoded at or below this size (larger ones are scaled down first).
const WORKING_PIXELS: usize = 4_000_000;
/// Half scale is tried for frames whose longer side exceeds this: rqrr misses some codes at
/// one scale that it reads at another.
const HALVE_ABOVE: usize = 400;
/// Frames whose longer side is below this are also tried at double size: rqrr needs a few
/// pixels per module to find the finder patterns of small codes.
const DOUBLE_BELOW: usize = 1400;
const MARGIN: u32 = 6;

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

/// Decoding state kept across frames: scratch buffers are reused, so a stream of frames of one
/// size allocates nothing in the pipeline itself.
#[derive(Default)]
pub struct Scanner {
    levels: Vec<Vec<u8>>,
    doubled: Vec<u8>,
    inverted: Vec<u8>,
    integral: Vec<u32>,
    dark: Vec<u8>,
}

/// How much work one frame may take: `attempts` decoding attempts, starting at attempt
/// `first` of the pipeline's fixed order (wrapping around). A camera loop gives each frame a
/// couple of attempts and moves `first` on, so consecutive frames cover every attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub attempts: usize,
    pub first: usize,
}

impl Budget {
    pub const THOROUGH: Budget = Budget {
        attempts: usize::MAX,
        first: 0,
    };

    /// The budget for the `n`th frame of a live camera stream.
    pub fn live_frame(n: usize) -> Budget {
        Budget {
            attempts: 2,
            first: n.wrapping_mul(2),
        }
    }
}

#[derive(Clone, Copy)]
enum Binarise {
    Rows,
    Adaptive,
}

impl Scanner {
    pub fn new() -> Scanner {
        Scanner::default()
    }

    /// Every distinct QR text found in the frame, trying every attempt until one reads.
    pub fn decode(&mut self, frame: Luma<'_>) -> Result<Vec<String>, ScanError> {
        self.decode_within(frame, Budget::THOROUGH)
    }

    /// As [`Scanner::decode`], but making only the attempts the budget allows.
    pub fn decode_within(&mut self, frame: Luma<'_>, budget: Budget) -> Result<Vec<String>, ScanError> {
        let Luma { width, height, pixels } = frame;
        if width == 0 || height == 0 || width.checked_mul(height) != Some(pixels.len()) {
            return Err(ScanError::BadDimensions);
        }
        if pixels.len() > MAX_PIXELS {
            return Err(ScanError::TooLarge);
        }
        // Scales: each level is half the previous; level 0 is the frame itself.
        let mut dims = vec![(width, height)];
        while let Some(&(w, h)) = dims.last() {
            let next_needed = w * h > WORKING_PIXELS
                || (dims.len() == 1 && w.max(h) > HALVE_ABOVE)
                || (dims.len() == 2 && w.max(h) > HALVE_ABOVE * 2);
            if !next_needed || w < 64 || h < 64 {
                break;
            }
            dims.push((w / 2, h / 2));
        }
        self.levels.resize_with(dims.len(), Vec::new);
        for i in 1..dims.len() {
            let (src, dst) = self.levels.split_at_mut(i);
            let from: &[u8] = if i == 1 { pixels } else { &src[i - 1] };
            halve(dims[i - 1].0, dims[i - 1].1, from, &mut dst[0]);
        }
        // The doubled frame goes last, as the most expensive attempt.
        let doubled = width.max(height) < DOUBLE_BELOW;
        if doubled {
            double(width, height, pixels, &mut self.doubled);
            dims.push((width * 2, height * 2));
        }
        let last = dims.len() - 1;
        let mut attempts = Vec::new();
        for invert in [false, true] {
            for (i, &(w, h)) in dims.iter().enumerate() {
                if w * h <= WORKING_PIXELS {
                    attempts.push((i, invert, Binarise::Rows));
                    attempts.push((i, invert, Binarise::Adaptive));
                }
            }
        }
        let n = attempts.len();
        let mut panicked = false;
        // The inverted copy of a level serves both of its attempts: made once, not twice.
        let mut inverted_level = None;
        for k in 0..budget.attempts.min(n) {
            let (i, invert, how) = attempts[(budget.first + k) % n];
            let (w, h) = dims[i];
            let base: &[u8] = match i {
                0 => pixels,
                i if doubled && i == last => &self.doubled,
                i => &self.levels[i],
            };
            let px: &[u8] = if invert {
                if inverted_level != Some(i) {
                    self.inverted.clear();
                    self.inverted.extend(base.iter().map(|p| 255 - p));
                    inverted_level = Some(i);
                }
                &self.inverted
            } else {
                base
            };
            let found = match how {
                Binarise::Rows => guarded(|| rqrr_rows(w, h, px)),
                Binarise::Adaptive if w * h <= MAX_ADAPTIVE_PIXELS => {
                    let window = (w.min(h) / 8).clamp(15, 101);
                    adaptive(px, w, h, window, MARGIN, &mut self.integral, &mut self.dark);
                    let dark = &self.dark;
                    guarded(|| rqrr_bitmap(w, h, dark))
                }
                Binarise::Adaptive => Some(Vec::new()),
            };
            match found {
                Some(texts) if !texts.is_empty() => return Ok(dedup(texts)),
                Some(_) => {}
                None => panicked = true,
            }
        }
        if panicked {
            return Err(ScanError::DecoderPanicked);
        }
        Ok(Vec::new())
    }
}

/// One-shot decoding with fresh buffers; frame loops should keep a [`Scanner`].
pub fn decode(frame: Luma<'_>) -> Result<Vec<String>, ScanError> {
    Scanner::new().decode(frame)
}

fn dedup(texts: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(texts.len());
    for t in texts {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Bilinear 2× upscale.
fn double(width: usize, height: usize, px: &[u8], out: &mut Vec<u8>) {
    let (w, h) = (width * 2, height * 2);
    out.clear();
    out.reserve(w * h);
    for y in 0..h {
        // Sample positions in source coordinates, at pixel centres.
        let sy = ((y as f32 + 0.5) / 2.0 - 0.5).max(0.0);
        let (y0, fy) = (sy as usize, sy.fract());
        let y1 = (y0 + 1).min(height - 1);
        for x in 0..w {
            let sx = ((x as f32 + 0.5) / 2.0 - 0.5).max(0.0);
            let (x0, fx) = (sx as usize, sx.fract());
            let x1 = (x0 + 1).min(width - 1);
            let p = |xx: usize, yy: usize| f32::from(px[yy * width + xx]);
            let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
            let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
            out.push((top * (1.0 - fy) + bottom * fy).round() as u8);
        }
    }
}

fn halve(width: usize, height: usize, px: &[u8], out: &mut Vec<u8>) {
    let (w, h) = (width / 2, height / 2);
    out.clear();
    out.reserve(w * h);
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
}

// rqrr does not export its image buffer type, so each entry point collects its own grids.
fn rqrr_rows(width: usize, height: usize, px: &[u8]) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| px[y * width + x]);
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

fn rqrr_bitmap(width: usize, height: usize, dark: &[u8]) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_bitmap(width, height, |x, y| dark[y * width + x] != 0);
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

/// `None` when rqrr panicked. In wasm a panic aborts instead, and the app's worker recovers.
#[cfg(not(target_arch = "wasm32"))]
fn guarded(f: impl FnOnce() -> Vec<String>) -> Option<Vec<String>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

#[cfg(target_arch = "wasm32")]
fn guarded(f: impl FnOnce() -> Vec<String>) -> Option<Vec<String>> {
    Some(f())
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
                width: 640,
                height: 480,
                pixels: &[200; 640 * 480]
            }),
            Ok(vec![])
        );
    }
}
