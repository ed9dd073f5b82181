//! Reading every module of a located code into bits.
//!
//! Each module is read from the grey image at its centre. Blur spreads every module into its
//! neighbours, most of all in small codes, so the readings are first sharpened in the code's
//! own space (each reading pushed away from the mean of its four neighbours, undoing their
//! spill), then called dark or light against the mean of the 9×9 modules around: a threshold
//! that follows glare and shadow across the code and owes nothing to the pixel-level threshold
//! the finders were found with. The thresholded image's calls at the centres are kept as a
//! second reading.
//!
//! Where the geometry is only roughly right (cloth, a crumpled sleeve, a projection fitted
//! to few points), the centres can be moved into place first: a module read at its centre is
//! clearly dark or light, read across an edge it is grey, so in each patch of modules the
//! offset (up to 0.4 of a module each way) at which the readings spread most is where the
//! centres are. Offsets are smoothed across patches and interpolated for each module.

use super::binary::Binary;
use super::geometry::Point;
use super::grey::Grey;
use super::locate::Geometry;
use super::order::median;

/// A square of bits for rqrr's decoder.
pub struct Modules {
    pub dimension: usize,
    pub dark: Vec<bool>,
}

impl rqrr::BitGrid for Modules {
    fn size(&self) -> usize {
        self.dimension
    }

    fn bit(&self, y: usize, x: usize) -> bool {
        self.dark[y * self.dimension + x]
    }
}

/// Where each module's centre lies in the image, row by row.
pub fn centres(g: &Geometry) -> Vec<Point> {
    let n = g.dimension;
    (0..n * n)
        .map(|i| g.to_pixel((i % n) as f32 + 0.5, (i / n) as f32 + 0.5))
        .collect()
}

/// Moves the centres to where the readings are sharpest, patch by patch. Not for codes under
/// about three pixels a module: there the interpolation between pixels, not the module edges,
/// decides where readings spread most.
///
/// A reading's spread repeats every module, so one search can move a patch at most half a
/// module without the risk of landing on its neighbour. It is done twice: in patches of 11
/// modules (many readings, so little noise, for the smooth part of the distortion), then in
/// patches of 5 from there (the local part), which together follow more than half a module.
pub fn align(grey: &Grey<'_>, n: usize, centres: &mut [Point]) {
    for patch in [11, 5] {
        align_in(grey, n, centres, patch);
    }
}

fn align_in(grey: &Grey<'_>, n: usize, centres: &mut [Point], patch: usize) {
    let patches = n.div_ceil(patch);
    let step = |i: usize| {
        let (x, y) = (i % n, i / n);
        let du = if x + 1 < n {
            centres[i + 1] - centres[i]
        } else {
            centres[i] - centres[i - 1]
        };
        let dv = if y + 1 < n {
            centres[i + n] - centres[i]
        } else {
            centres[i] - centres[i - n]
        };
        (du, dv)
    };
    const OFFSETS: [f32; 5] = [-0.4, -0.2, 0.0, 0.2, 0.4];
    let mut offsets = vec![(0.0f32, 0.0f32); patches * patches];
    for (p, offset) in offsets.iter_mut().enumerate() {
        let (px, py) = (p % patches, p / patches);
        let members: Vec<usize> = (py * patch..((py + 1) * patch).min(n))
            .flat_map(|y| (px * patch..((px + 1) * patch).min(n)).map(move |x| y * n + x))
            .collect();
        let spread = |a: f32, b: f32| -> Option<f32> {
            let (mut sum, mut sq) = (0.0, 0.0);
            for &i in &members {
                let (du, dv) = step(i);
                let v = grey.at(centres[i] + du * a + dv * b)?;
                sum += v;
                sq += v * v;
            }
            let k = members.len() as f32;
            Some(sq / k - (sum / k) * (sum / k))
        };
        // Staying put wins near-ties: a patch with little in it keeps its place.
        let Some(still) = spread(0.0, 0.0) else { continue };
        let mut best = (still * 1.05, 0.0, 0.0);
        for a in OFFSETS {
            for b in OFFSETS {
                if let Some(s) = spread(a, b) {
                    if s > best.0 {
                        best = (s, a, b);
                    }
                }
            }
        }
        *offset = (best.1, best.2);
    }
    // A patch with little in it can still pick a wrong offset: one far from the median of
    // the patches around it is replaced by that median.
    let smoothed: Vec<(f32, f32)> = (0..patches * patches)
        .map(|i| {
            let (px, py) = (i % patches, i / patches);
            let mut a = Vec::with_capacity(9);
            let mut b = Vec::with_capacity(9);
            for y in py.saturating_sub(1)..(py + 2).min(patches) {
                for x in px.saturating_sub(1)..(px + 2).min(patches) {
                    a.push(offsets[y * patches + x].0);
                    b.push(offsets[y * patches + x].1);
                }
            }
            let (ma, mb) = (median(&a), median(&b));
            let own = offsets[i];
            if (own.0 - ma).abs() > 0.25 || (own.1 - mb).abs() > 0.25 {
                (ma, mb)
            } else {
                own
            }
        })
        .collect();
    let moved: Vec<Point> = (0..n * n)
        .map(|i| {
            let (x, y) = (i % n, i / n);
            // Between the patch centres around this module.
            let fx = ((x as f32 + 0.5) / patch as f32 - 0.5).clamp(0.0, (patches - 1) as f32);
            let fy = ((y as f32 + 0.5) / patch as f32 - 0.5).clamp(0.0, (patches - 1) as f32);
            let (x0, y0) = (fx as usize, fy as usize);
            let (x1, y1) = ((x0 + 1).min(patches - 1), (y0 + 1).min(patches - 1));
            let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
            let o = |x: usize, y: usize| smoothed[y * patches + x];
            let lerp = |a: (f32, f32), b: (f32, f32), t: f32| (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            let (a, b) = lerp(lerp(o(x0, y0), o(x1, y0), tx), lerp(o(x0, y1), o(x1, y1), tx), ty);
            let (du, dv) = step(i);
            centres[i] + du * a + dv * b
        })
        .collect();
    centres.copy_from_slice(&moved);
}

/// The modules as read at their centres: grey levels and the thresholded image's calls.
pub struct Samples {
    pub dimension: usize,
    grey: Vec<f32>,
    binary: Vec<bool>,
}

/// Modules outside the image read as light; more than this share of them and the code is not
/// read at all.
const MAX_OUTSIDE: f32 = 0.03;

pub fn sample(grey: &Grey<'_>, bin: &Binary, n: usize, centres: &[Point]) -> Option<Samples> {
    let mut out = Samples {
        dimension: n,
        grey: Vec::with_capacity(n * n),
        binary: Vec::with_capacity(n * n),
    };
    let mut outside = 0usize;
    let mut light = 0.0f32;
    for c in centres {
        match grey.at(*c) {
            Some(v) => {
                light = light.max(v);
                out.grey.push(v);
            }
            None => {
                outside += 1;
                out.grey.push(f32::NAN);
            }
        }
        out.binary.push(bin.dark_at(c.x, c.y));
    }
    if outside as f32 > MAX_OUTSIDE * (n * n) as f32 {
        return None;
    }
    for v in out.grey.iter_mut().filter(|v| v.is_nan()) {
        *v = light;
    }
    Some(out)
}

impl Samples {
    /// The grey readings sharpened, then thresholded against their 9×9-module neighbourhood.
    pub fn sharpened(&self) -> Modules {
        threshold(self.dimension, &sharpen(self.dimension, &self.grey))
    }

    /// The thresholded image's calls at the module centres.
    pub fn binary(&self) -> Modules {
        Modules {
            dimension: self.dimension,
            dark: self.binary.clone(),
        }
    }
}

/// Each reading pushed away from the mean of its four neighbours by as much as it differs
/// from it: what a blur of about a module spread into it from them, taken back.
fn sharpen(n: usize, v: &[f32]) -> Vec<f32> {
    (0..n * n)
        .map(|i| {
            let (x, y) = (i % n, i / n);
            let (mut sum, mut k) = (0.0, 0.0);
            for (nx, ny) in [(x.wrapping_sub(1), y), (x + 1, y), (x, y.wrapping_sub(1)), (x, y + 1)] {
                if nx < n && ny < n {
                    sum += v[ny * n + nx];
                    k += 1.0;
                }
            }
            2.0 * v[i] - sum / k
        })
        .collect()
}

/// Dark where a reading is below the mean of the 9×9 readings around it.
fn threshold(n: usize, grey: &[f32]) -> Modules {
    let stride = n + 1;
    let mut integral = vec![0.0f64; stride * stride];
    for y in 0..n {
        let mut row = 0.0;
        for x in 0..n {
            row += f64::from(grey[y * n + x]);
            integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row;
        }
    }
    let r = 4;
    let mut dark = Vec::with_capacity(n * n);
    for y in 0..n {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(n));
        for x in 0..n {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(n));
            let sum = integral[y1 * stride + x1] + integral[y0 * stride + x0]
                - integral[y0 * stride + x1]
                - integral[y1 * stride + x0];
            let mean = sum / ((y1 - y0) * (x1 - x0)) as f64;
            dark.push(f64::from(grey[y * n + x]) < mean);
        }
    }
    Modules { dimension: n, dark }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 21-module pattern, `module` px a module, under a brightness ramp across the code,
    /// blurred by a 3×3 box, its grid offset by `shift` of a module.
    fn read_back(module: usize, shift: f32, aligned: bool) -> usize {
        let n = 21;
        let pattern = |x: usize, y: usize| (x * 7 + y * 3) % 5 < 2;
        let (w, h) = (n * module + 2 * module, n * module + 2 * module);
        let sharp: Vec<f32> = (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as isize - module as isize, (i / w) as isize - module as isize);
                let lit = 120.0 + (i % w) as f32;
                let inside = x >= 0 && y >= 0 && (x as usize) < n * module && (y as usize) < n * module;
                if inside && pattern(x as usize / module, y as usize / module) {
                    lit / 3.0
                } else {
                    lit.min(255.0)
                }
            })
            .collect();
        let px: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let mut s = 0.0;
                let mut k = 0.0;
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1), (2, 1), (1, 2), (2, 2), (0, 2), (2, 0)] {
                    let (sx, sy) = ((x + dx).saturating_sub(1), (y + dy).saturating_sub(1));
                    if sx < w && sy < h {
                        s += sharp[sy * w + sx];
                        k += 1.0;
                    }
                }
                (s / k) as u8
            })
            .collect();
        let grey = Grey {
            width: w,
            height: h,
            px: &px,
        };
        let mut bin = Binary::default();
        bin.threshold(w, h, &px);
        let mut at = centres(&Geometry::scaled(n, module as f32));
        for c in &mut at {
            *c = *c + Point::new(module as f32 * (1.0 + shift), module as f32 * (1.0 + shift));
        }
        if aligned {
            align(&grey, n, &mut at);
        }
        let m = sample(&grey, &bin, n, &at).unwrap().sharpened();
        (0..n * n).filter(|&i| m.dark[i] != pattern(i % n, i / n)).count()
    }

    #[test]
    fn a_blurred_module_grid_reads_back() {
        assert_eq!(read_back(3, 0.0, false), 0);
        assert_eq!(
            read_back(3, 0.0, true),
            0,
            "aligning centres that are right leaves them"
        );
        // Two pixels a module under a blur of a pixel each way: the sharpening takes back most
        // of what spilled between modules.
        assert!(read_back(2, 0.0, false) <= 10);
    }

    #[test]
    fn centres_off_by_almost_half_a_module_are_moved_back() {
        assert!(read_back(4, 0.45, false) > 20, "the shift alone spoils the reading");
        assert_eq!(read_back(4, 0.45, true), 0);
    }
}
