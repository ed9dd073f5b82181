//! Frames in, QR texts out: the frame prepared a few ways, each given to the detector, until
//! one way reads.
//!
//! The ways, in order, each kept because it reads images the ones before it miss, in the
//! shared photo corpus and in synthetic camera frames alike (BENCHMARKS.md lists what each
//! adds): the frame as it is; sharpened (blur and small size fill a finder's thin light gap
//! with grey, and sharpening restores it); doubled (codes of about a pixel a module, in small
//! images); inverted (light codes on dark ground). Frames over 4 megapixels are first halved
//! until they are not: a code in such a frame has modules large enough to survive it.

use crate::detect::{Detector, Grey};
use crate::luma::Luma;
use crate::scale::{double, halve, sharpen};
use crate::text::Payload;
use std::fmt;

/// Larger frames are refused rather than decoded slowly: 40 megapixels.
pub const MAX_PIXELS: usize = 40_000_000;
/// Frames are decoded at or below this size (larger ones are halved first).
const WORKING_PIXELS: usize = 4_000_000;
/// Doubling is for small images only: its cost grows fourfold and large images do not need it.
const DOUBLE_UNDER: usize = 1_000_000;

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

/// One way of preparing the frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    AsIs,
    Sharpened,
    /// Doubled in each direction; a frame of a megapixel or more is not doubled (and so not
    /// read this way).
    Doubled,
    Inverted,
}

/// Every way, in the order a photo is tried.
pub const THOROUGH: [Way; 4] = [Way::AsIs, Way::Sharpened, Way::Doubled, Way::Inverted];

/// How much work one frame may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// Every way until one reads: a photo, or the command line.
    Thorough,
    /// The `n`th frame of a live camera stream: the frame as it is, then sharpened if that
    /// read nothing (a frame with a clear code in it reads at the first way, so most frames
    /// cost one); every eighth frame is tried inverted instead of sharpened, so a
    /// light-on-dark code is read within a second of camera frames, and a clear label still
    /// reads at whichever frame comes first. Doubling, for codes of about a pixel a module,
    /// is left to photos: a camera user moves closer.
    LiveFrame(usize),
    /// One given way only: to measure what each way reads.
    Only(Way),
}

impl Budget {
    fn ways(self) -> &'static [Way] {
        match self {
            Budget::Thorough => &THOROUGH,
            Budget::Only(Way::AsIs) => &[Way::AsIs],
            Budget::Only(Way::Sharpened) => &[Way::Sharpened],
            Budget::Only(Way::Doubled) => &[Way::Doubled],
            Budget::Only(Way::Inverted) => &[Way::Inverted],
            Budget::LiveFrame(n) if n % 8 == 7 => &[Way::AsIs, Way::Inverted],
            Budget::LiveFrame(_) => &[Way::AsIs, Way::Sharpened],
        }
    }
}

/// Decoding state kept across frames: buffers are reused, so a stream of frames of one size
/// allocates little once it has started.
#[derive(Default)]
pub struct Scanner {
    detector: Detector,
    halved: Vec<u8>,
    scratch: Vec<u8>,
    prepared: Vec<u8>,
}

impl Scanner {
    pub fn new() -> Scanner {
        Scanner::default()
    }

    /// Every distinct QR text found in the frame, trying every way until one reads.
    #[cfg(feature = "shift-jis")]
    pub fn decode(&mut self, frame: Luma<'_>) -> Result<Vec<String>, ScanError> {
        Ok(self.read(frame, Budget::Thorough)?.iter().map(Payload::text).collect())
    }

    /// What every distinct code in the frame holds, trying the ways the budget allows until
    /// one reads.
    pub fn read(&mut self, frame: Luma<'_>, budget: Budget) -> Result<Vec<Payload>, ScanError> {
        let Luma { width, height, pixels } = frame;
        if width == 0 || height == 0 || width.checked_mul(height) != Some(pixels.len()) {
            return Err(ScanError::BadDimensions);
        }
        if pixels.len() > MAX_PIXELS {
            return Err(ScanError::TooLarge);
        }
        let (mut w, mut h) = (width, height);
        let mut source: &[u8] = pixels;
        while w * h > WORKING_PIXELS {
            halve(w, h, source, &mut self.scratch);
            std::mem::swap(&mut self.scratch, &mut self.halved);
            (w, h) = (w / 2, h / 2);
            source = &self.halved;
        }
        let mut payloads = Vec::new();
        let mut panicked = false;
        for &way in budget.ways() {
            let (pw, ph) = match way {
                Way::Doubled if w * h >= DOUBLE_UNDER => continue,
                Way::Doubled => (w * 2, h * 2),
                _ => (w, h),
            };
            let px: &[u8] = match way {
                Way::AsIs => source,
                Way::Sharpened => {
                    sharpen(w, h, source, &mut self.prepared);
                    &self.prepared
                }
                Way::Doubled => {
                    double(w, h, source, &mut self.prepared);
                    &self.prepared
                }
                Way::Inverted => {
                    self.prepared.clear();
                    self.prepared.extend(source.iter().map(|p| 255 - p));
                    &self.prepared
                }
            };
            let detector = &mut self.detector;
            let grey = Grey {
                width: pw,
                height: ph,
                px,
            };
            match guarded(|| {
                let mut found = Vec::new();
                detector.read(grey, &mut found);
                found
            }) {
                Some(found) if !found.is_empty() => {
                    payloads = found;
                    break;
                }
                Some(_) => {}
                None => panicked = true,
            }
        }
        if payloads.is_empty() && panicked {
            return Err(ScanError::DecoderPanicked);
        }
        Ok(payloads.into_iter().map(Payload::new).collect())
    }
}

/// One-shot decoding with fresh buffers; frame loops should keep a [`Scanner`].
#[cfg(feature = "shift-jis")]
pub fn decode(frame: Luma<'_>) -> Result<Vec<String>, ScanError> {
    Scanner::new().decode(frame)
}

/// `None` when the decoder panicked. In wasm a panic aborts instead, and the app's worker
/// recovers.
#[cfg(not(target_arch = "wasm32"))]
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

#[cfg(target_arch = "wasm32")]
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    Some(f())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(width: usize, height: usize, pixels: &[u8]) -> Result<Vec<Payload>, ScanError> {
        Scanner::new().read(Luma { width, height, pixels }, Budget::Thorough)
    }

    #[test]
    fn refuses_mismatched_sizes() {
        assert_eq!(read(3, 3, &[0; 8]), Err(ScanError::BadDimensions));
        assert_eq!(read(0, 0, &[]), Err(ScanError::BadDimensions));
    }

    #[test]
    fn blank_frame_has_no_codes() {
        assert_eq!(read(640, 480, &[200; 640 * 480]), Ok(vec![]));
    }
}
