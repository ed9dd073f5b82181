//! labelcheck's own QR detector: finds codes in a grey image and reads their modules into
//! bits; rqrr decodes the bits (format, error correction, data).
//!
//! Steps, one file each: [`binary`] thresholds the image; [`finder`] finds finder patterns;
//! [`group`] makes triples of them that could be one code; [`locate`] works out where each
//! module lies (size, version blocks, alignment patterns, found by [`alignment`], with the
//! finders' corners from [`outline`]); [`sample`] reads the modules; [`format`] turns away
//! readings with no format block before the decoder's dearer work. Every code in the image
//! is read, each once.

mod alignment;
mod binary;
mod finder;
mod format;
mod geometry;
mod grey;
mod group;
mod locate;
mod order;
mod outline;
mod sample;
mod version;

pub use grey::Grey;

use binary::Binary;
use finder::{find_finders, Finder};

/// At most this many finder patterns are grouped into triples (several codes' worth).
const MAX_FINDERS: usize = 40;
/// At most this many finder triples are tried per image: a photo full of false finders
/// (text, tiled patterns) costs bounded time.
const MAX_TRIES: usize = 40;
/// Rows scanned for finders: every second one. A finder's centre is three modules tall, so
/// this finds finders down to under a pixel a module.
const ROW_STEP: usize = 2;

/// Buffers kept between images of one size.
#[derive(Default)]
pub struct Detector {
    bin: Binary,
    runs: Vec<(u32, u32)>,
    finders: Vec<Finder>,
}

impl Detector {
    /// The payloads (raw bytes, as the code holds them) of every code read in the image.
    pub fn read(&mut self, grey: Grey<'_>, out: &mut Vec<Vec<u8>>) {
        self.bin.threshold(grey.width, grey.height, grey.px);
        find_finders(&self.bin, &grey, ROW_STEP, &mut self.runs, &mut self.finders);
        // The most finder-like first; beyond that many, triples would cost more than they find.
        let keys: Vec<f32> = self
            .finders
            .iter()
            .map(|f| -(f32::from(f.rings) * 1e6 + f.count as f32))
            .collect();
        self.finders = order::ranked(&keys)
            .into_iter()
            .take(MAX_FINDERS)
            .map(|i| self.finders[i])
            .collect();
        let sets = group::group(&self.finders);
        let mut used = vec![false; self.finders.len()];
        for set in sets.iter().take(MAX_TRIES) {
            let ids = [set.tl, set.tr, set.bl];
            if ids.iter().any(|&i| used[i]) {
                continue;
            }
            let fs = ids.map(|i| &self.finders[i]);
            if let Some(bytes) = self.read_one(&grey, fs) {
                for i in ids {
                    used[i] = true;
                }
                if !out.contains(&bytes) {
                    out.push(bytes);
                }
            }
        }
    }

    fn read_one(&self, grey: &Grey<'_>, fs: [&Finder; 3]) -> Option<Vec<u8>> {
        let points = locate::FinderPoints::new(&self.bin, fs);
        for dim in locate::dimensions(&self.bin, fs[0], fs[1], fs[2]) {
            let Some(geometry) = locate::locate(grey, &self.bin, &points, dim) else {
                continue;
            };
            let n = geometry.dimension;
            let mut centres = sample::centres(&geometry);
            // Readings in order of how often each reads alone: sharpened grey, the
            // thresholded image, then grey again at centres moved into place.
            let mut readings = Vec::with_capacity(3);
            if let Some(samples) = sample::sample(grey, &self.bin, n, &centres) {
                readings.push(samples.sharpened());
                readings.push(samples.binary());
            }
            if geometry.module_size() >= 2.5 {
                sample::align(grey, n, &mut centres);
                if let Some(samples) = sample::sample(grey, &self.bin, n, &centres) {
                    readings.push(samples.sharpened());
                }
            }
            for modules in readings {
                if !format::readable(&modules) {
                    continue;
                }
                let mut bytes = Vec::new();
                if rqrr::Grid::new(modules).decode_to(&mut bytes).is_ok() {
                    return Some(bytes);
                }
            }
        }
        None
    }
}
