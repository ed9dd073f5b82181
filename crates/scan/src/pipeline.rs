//! The decode pipeline in front of rqrr: several binarisations and scales, tried in order
//! until one reads, with buffers kept between frames.
//!
//! Order of attempts: first, at each scale (full, then half for frames over 400 px, then a
//! quarter for frames over 800 px, then double for frames whose enlargement stays under
//! 4 megapixels), rqrr's own row threshold and a block-adaptive threshold. Then the rescue
//! attempts below, for small, blurred and unevenly lit codes. Last, the first group again on
//! the inverted image (light-on-dark codes). Frames over 4 megapixels start at the first
//! scale under it.
//!
//! The rescue list was chosen greedily on the images the first group missed (the shared QR
//! corpus and labelcheck's synthetic label frames, see BENCHMARKS.md): each entry reads images
//! no earlier one did. rqrr's result depends on the exact pixels it gets, so diversity of
//! inputs (scale, smoothing, threshold window) is what raises reads.

use crate::luma::Luma;
use crate::scale::{enlarge, enlarged, halve, smooth};
use crate::threshold::{adaptive, otsu, MAX_ADAPTIVE_PIXELS};
use std::fmt;

/// Larger frames are refused rather than decoded slowly: 40 megapixels.
pub const MAX_PIXELS: usize = 40_000_000;
/// Frames are decoded at or below this size (larger ones are scaled down first).
const WORKING_PIXELS: usize = 4_000_000;
/// Enlarged copies of small frames may be a little larger than that.
const ENLARGED_PIXELS: usize = 5_000_000;
/// Half scale is tried for frames whose longer side exceeds this: rqrr misses some codes at
/// one scale that it reads at another.
const HALVE_ABOVE: usize = 400;

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

/// Where an attempt's pixels come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// The frame scaled down by 2^n (level 0 is the frame itself).
    Level(usize),
    /// The frame enlarged by `num/den`, then smoothed or not.
    Enlarged { num: usize, den: usize, smooth: bool },
}

#[derive(Clone, Copy, Debug)]
enum Binarise {
    /// rqrr's own threshold.
    Rows,
    /// Global, by Otsu's method.
    Otsu,
    /// Block-adaptive, with a window of the shorter side over `div`, and a margin.
    Adaptive { div: usize, margin: u32 },
}

#[derive(Clone, Copy, Debug)]
struct Attempt {
    source: Source,
    how: Binarise,
    invert: bool,
}

const fn rescue(num: usize, den: usize, smooth: bool, how: Binarise) -> Attempt {
    Attempt {
        source: Source::Enlarged { num, den, smooth },
        how,
        invert: false,
    }
}

const fn ad(div: usize, margin: u32) -> Binarise {
    Binarise::Adaptive { div, margin }
}

const BASE_ADAPTIVE: Binarise = ad(8, 6);

/// After the first group: see the module comment for how these were chosen.
const RESCUE: [Attempt; 11] = [
    rescue(4, 1, true, ad(32, 6)),
    rescue(3, 2, true, ad(16, 3)),
    rescue(2, 1, false, ad(4, 0)),
    rescue(3, 1, true, Binarise::Rows),
    rescue(3, 1, false, Binarise::Otsu),
    rescue(3, 2, true, ad(4, 3)),
    rescue(4, 1, false, ad(32, 3)),
    Attempt {
        source: Source::Level(0),
        how: ad(16, 3),
        invert: false,
    },
    rescue(3, 1, false, ad(32, 6)),
    rescue(3, 1, true, ad(4, 3)),
    rescue(4, 1, false, ad(16, 0)),
];

/// Decoding state kept across frames: scratch buffers are reused, so a stream of frames of one
/// size allocates nothing in the pipeline itself.
#[derive(Default)]
pub struct Scanner {
    levels: Vec<Vec<u8>>,
    enlarged: Vec<u8>,
    inverted: Vec<u8>,
    scratch: Vec<u8>,
    integral: Vec<u32>,
    dark: Vec<u8>,
    attempts: Vec<Attempt>,
}

/// How much work one frame may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// Every attempt until one reads: a photo, or the command line.
    Thorough,
    /// The `n`th frame of a live camera stream: one attempt. Three frames in four make the
    /// cheap one (rqrr's row threshold or the adaptive one, alternately, on the frame halved
    /// until it is at most 960 px, the size of the app's camera frames); every fourth makes the
    /// next attempt of the full order, so a code the cheap attempt misses is still tried every
    /// way within a few seconds of camera frames. The worker stays quick and the phone cool;
    /// no frame waits on a slow attempt more than once in four.
    LiveFrame(usize),
}

/// The longer side of the level a live frame's cheap attempt uses, at most.
const CHEAP_SIDE: usize = 960;

impl Scanner {
    pub fn new() -> Scanner {
        Scanner::default()
    }

    /// Every distinct QR text found in the frame, trying every attempt until one reads.
    pub fn decode(&mut self, frame: Luma<'_>) -> Result<Vec<String>, ScanError> {
        self.decode_within(frame, Budget::Thorough)
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
        // Levels are made when an attempt first needs them: a live frame usually needs one.
        self.levels.resize_with(dims.len(), Vec::new);
        let mut levels_made = 1;
        // Which enlargement `self.enlarged` holds for this frame, if any.
        let mut enlarged_holds = None;
        let size_of = |source: Source| match source {
            Source::Level(i) => dims.get(i).copied(),
            Source::Enlarged { num, den, .. } => {
                let (w, h) = enlarged(width, height, num, den);
                (w * h <= ENLARGED_PIXELS).then_some((w, h))
            }
        };
        let fits = |source: Source| match source {
            Source::Level(_) => size_of(source).is_some_and(|(w, h)| w * h <= WORKING_PIXELS),
            Source::Enlarged { .. } => size_of(source).is_some(),
        };
        let double = Source::Enlarged {
            num: 2,
            den: 1,
            smooth: false,
        };
        let mut first_group: Vec<Source> = (0..dims.len()).map(Source::Level).collect();
        if size_of(double).is_some_and(|(w, h)| w * h <= WORKING_PIXELS) {
            first_group.push(double);
        }
        first_group.retain(|&s| fits(s));
        let mut attempts = std::mem::take(&mut self.attempts);
        attempts.clear();
        for invert in [false, true] {
            for &source in &first_group {
                for how in [Binarise::Rows, BASE_ADAPTIVE] {
                    attempts.push(Attempt { source, how, invert });
                }
            }
            if !invert {
                attempts.extend(RESCUE.iter().filter(|a| fits(a.source)));
            }
        }
        let n = attempts.len();
        let (first, count) = match budget {
            Budget::Thorough => (0, n),
            Budget::LiveFrame(k) if k % 4 < 3 => {
                let level = dims
                    .iter()
                    .position(|&(w, h)| w.max(h) <= CHEAP_SIDE)
                    .unwrap_or(dims.len() - 1);
                let rows = attempts
                    .iter()
                    .position(|a| a.source == Source::Level(level) && !a.invert)
                    .unwrap_or(0);
                (rows + k % 2, 1)
            }
            Budget::LiveFrame(k) => (k / 4, 1),
        };
        let mut panicked = false;
        let mut found_texts = Vec::new();
        // The inverted copy of a source serves both of its attempts: made once, not twice.
        let mut inverted_from = None;
        for k in 0..count {
            let Attempt { source, how, invert } = attempts[(first + k) % n];
            let Some((w, h)) = size_of(source) else { continue };
            if let Source::Level(level) = source {
                while levels_made <= level {
                    let i = levels_made;
                    let (src, dst) = self.levels.split_at_mut(i);
                    let from: &[u8] = if i == 1 { pixels } else { &src[i - 1] };
                    halve(dims[i - 1].0, dims[i - 1].1, from, &mut dst[0]);
                    levels_made += 1;
                }
            }
            if let Source::Enlarged { num, den, smooth: soft } = source {
                if enlarged_holds != Some(source) {
                    enlarge(width, height, pixels, num, den, &mut self.enlarged);
                    if soft {
                        smooth(w, h, &mut self.enlarged, &mut self.scratch);
                    }
                    enlarged_holds = Some(source);
                }
            }
            let base: &[u8] = match source {
                Source::Level(0) => pixels,
                Source::Level(i) => &self.levels[i],
                Source::Enlarged { .. } => &self.enlarged,
            };
            let px: &[u8] = if invert {
                if inverted_from != Some(source) {
                    self.inverted.clear();
                    self.inverted.extend(base.iter().map(|p| 255 - p));
                    inverted_from = Some(source);
                }
                &self.inverted
            } else {
                base
            };
            let found = match how {
                Binarise::Rows => guarded(|| rqrr_rows(w, h, px)),
                Binarise::Otsu => {
                    otsu(px, &mut self.dark);
                    let dark = &self.dark;
                    guarded(|| rqrr_bitmap(w, h, dark))
                }
                Binarise::Adaptive { div, margin } if w * h <= MAX_ADAPTIVE_PIXELS => {
                    let window = (w.min(h) / div).clamp(7, 301);
                    adaptive(px, w, h, window, margin, &mut self.integral, &mut self.dark);
                    let dark = &self.dark;
                    guarded(|| rqrr_bitmap(w, h, dark))
                }
                Binarise::Adaptive { .. } => Some(Vec::new()),
            };
            match found {
                Some(texts) if !texts.is_empty() => {
                    found_texts = texts;
                    break;
                }
                Some(_) => {}
                None => panicked = true,
            }
        }
        self.attempts = attempts;
        if !found_texts.is_empty() {
            return Ok(dedup(found_texts));
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
