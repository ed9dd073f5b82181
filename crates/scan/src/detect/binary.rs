//! Dark and light pixels for the finder search: a threshold per small block of the image,
//! taken from the blocks around it, so uneven light, shadows and glare do not turn half a
//! code dark or light.
//!
//! A block with contrast has its mean as its level. A pixel is dark when it is at or below
//! the mean level of the blocks with contrast among the 5×5 around its own. Flat blocks do
//! not vote: their level says nothing about where dark ends and light begins, and counted in
//! (as a guess such as half their minimum) they drag the threshold of a low-contrast code's
//! edge under its dark modules. A block with no contrast around it (inside a large module,
//! or on blank paper) takes the threshold of the blocks before it, left and above; with none,
//! it is light. Block sides grow with the image so that the window spans a finder
//! pattern's centre at the sizes a phone sees.

/// Blocks with less spread than this between their darkest and lightest pixel are flat, as
/// are those with less than seven times the image's noise: pixel noise alone spreads a block
/// of 64 to 256 pixels by five to six times its standard deviation, and thresholded it makes
/// speckle in which rows of runs look like finders.
const MIN_CONTRAST: u32 = 24;

/// The standard deviation of the image's pixel noise, from the median difference between
/// neighbouring pixels (edges are too few to move a median), on every fourth row.
fn noise(width: usize, height: usize, px: &[u8]) -> u32 {
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    for y in (0..height).step_by(4) {
        let row = &px[y * width..(y + 1) * width];
        for pair in row.windows(2) {
            counts[usize::from(pair[0].abs_diff(pair[1]))] += 1;
            n += 1;
        }
    }
    // The median, interpolated within its one-level bin (differences are whole numbers; a
    // bin k stands for the values from k - 0.5 to k + 0.5, the bin 0 from 0 to 0.5).
    let half = n as f32 / 2.0;
    let mut below = 0.0f32;
    let mut median = 0.0;
    for (k, &c) in counts.iter().enumerate() {
        let c = c as f32;
        if below + c >= half && c > 0.0 {
            let (start, width) = if k == 0 { (0.0, 0.5) } else { (k as f32 - 0.5, 1.0) };
            median = start + width * (half - below) / c;
            break;
        }
        below += c;
    }
    (median / 0.954).round() as u32
}

/// A thresholded image: one byte per pixel, 1 for dark.
#[derive(Default)]
pub struct Binary {
    pub width: usize,
    pub height: usize,
    pub bits: Vec<u8>,
    /// The image's noise, as a standard deviation in grey levels.
    pub noise: u32,
    levels: Vec<u8>,
    thresholds: Vec<Option<u32>>,
}

impl Binary {
    #[inline]
    pub fn dark(&self, x: usize, y: usize) -> bool {
        self.bits[y * self.width + x] != 0
    }

    /// Whether the pixel at a (possibly fractional, possibly outside) position is dark;
    /// outside the image counts as light.
    #[inline]
    pub fn dark_at(&self, x: f32, y: f32) -> bool {
        if x < 0.0 || y < 0.0 {
            return false;
        }
        let (xi, yi) = (x as usize, y as usize);
        xi < self.width && yi < self.height && self.dark(xi, yi)
    }

    pub fn contains(&self, x: f32, y: f32) -> bool {
        x >= 0.0 && y >= 0.0 && x < self.width as f32 && y < self.height as f32
    }

    /// Thresholds `px` (`width` × `height` grey) into `self`, reusing its buffers.
    pub fn threshold(&mut self, width: usize, height: usize, px: &[u8]) {
        self.width = width;
        self.height = height;
        let side = (width.min(height) / 90).clamp(4, 16);
        self.noise = noise(width, height, px);
        let min_contrast = MIN_CONTRAST.max(7 * self.noise);
        let (bw, bh) = (width.div_ceil(side), height.div_ceil(side));
        self.levels.clear();
        self.levels.resize(bw * bh, 0);
        // 0 marks a flat block: a block with contrast has a level of at least 1.
        for by in 0..bh {
            let (y0, y1) = (by * side, ((by + 1) * side).min(height));
            for bx in 0..bw {
                let (x0, x1) = (bx * side, ((bx + 1) * side).min(width));
                let (mut sum, mut lo, mut hi) = (0u32, u8::MAX, 0u8);
                for y in y0..y1 {
                    for &p in &px[y * width + x0..y * width + x1] {
                        sum += u32::from(p);
                        lo = lo.min(p);
                        hi = hi.max(p);
                    }
                }
                if u32::from(hi - lo) > min_contrast {
                    let n = ((y1 - y0) * (x1 - x0)) as u32;
                    self.levels[by * bw + bx] = ((sum / n) as u8).max(1);
                }
            }
        }
        self.thresholds.clear();
        self.thresholds.resize(bw * bh, None);
        self.bits.clear();
        self.bits.resize(width * height, 0);
        for by in 0..bh {
            let (y0, y1) = (by * side, ((by + 1) * side).min(height));
            let (cy0, cy1) = (by.saturating_sub(2), (by + 3).min(bh));
            for bx in 0..bw {
                let (cx0, cx1) = (bx.saturating_sub(2), (bx + 3).min(bw));
                let (mut sum, mut n) = (0u32, 0u32);
                for cy in cy0..cy1 {
                    for &l in &self.levels[cy * bw + cx0..cy * bw + cx1] {
                        if l != 0 {
                            sum += u32::from(l);
                            n += 1;
                        }
                    }
                }
                let t = if let Some(mean) = sum.checked_div(n) {
                    Some(mean)
                } else {
                    let left = bx.checked_sub(1).and_then(|x| self.thresholds[by * bw + x]);
                    let up = by.checked_sub(1).and_then(|y| self.thresholds[y * bw + bx]);
                    match (left, up) {
                        (Some(a), Some(b)) => Some((a + b) / 2),
                        (a, b) => a.or(b),
                    }
                };
                self.thresholds[by * bw + bx] = t;
                let Some(t) = t else { continue };
                let (x0, x1) = (bx * side, ((bx + 1) * side).min(width));
                for y in y0..y1 {
                    let row = y * width;
                    for (b, &p) in self.bits[row + x0..row + x1].iter_mut().zip(&px[row + x0..row + x1]) {
                        *b = u8::from(u32::from(p) <= t);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dark_square_on_a_lit_gradient() {
        let (w, h) = (200, 120);
        let mut px: Vec<u8> = (0..w * h).map(|i| 240 - ((i % w) / 2) as u8).collect();
        for y in 40..80 {
            for x in 130..170 {
                px[y * w + x] = 60;
            }
        }
        let mut b = Binary::default();
        b.threshold(w, h, &px);
        assert!(b.dark(150, 60), "the square's middle is dark");
        assert!(!b.dark(10, 10) && !b.dark(190, 110), "lit and dim paper are both light");
        assert!(!b.dark_at(-1.0, 5.0) && !b.dark_at(5.0, 500.0));
    }

    #[test]
    fn noise_on_flat_paper_stays_light() {
        let (w, h) = (160, 120);
        // Pseudo-random noise of about 8 levels' deviation on grey paper.
        let mut state = 12345u32;
        let px: Vec<u8> = (0..w * h)
            .map(|_| {
                let mut sum = 0i32;
                for _ in 0..4 {
                    state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    sum += (state >> 24) as i32;
                }
                (150 + (sum - 510) / 20) as u8
            })
            .collect();
        assert!((5..=12).contains(&noise(w, h, &px)), "{}", noise(w, h, &px));
        let mut b = Binary::default();
        b.threshold(w, h, &px);
        let dark = b.bits.iter().filter(|&&d| d != 0).count();
        assert!(dark < w * h / 100, "{dark} dark pixels of {}", w * h);
    }
}
