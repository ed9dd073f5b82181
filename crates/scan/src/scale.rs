//! Resampling for the pipeline: box-averaged halving for large frames, bilinear enlargement
//! (optionally smoothed) for small codes. rqrr locates finder patterns and samples modules on
//! whole pixels, so a code with one or two pixels per module often reads only once enlarged.

/// Halves both sides by averaging 2×2 blocks, into `out`.
pub fn halve(width: usize, height: usize, px: &[u8], out: &mut Vec<u8>) {
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

/// The size of a `width`×`height` image enlarged by `num/den`.
pub fn enlarged(width: usize, height: usize, num: usize, den: usize) -> (usize, usize) {
    (width * num / den, height * num / den)
}

/// Bilinear enlargement by `num/den` (greater than 1), sampling at pixel centres, into `out`.
pub fn enlarge(width: usize, height: usize, px: &[u8], num: usize, den: usize, out: &mut Vec<u8>) {
    let (w, h) = enlarged(width, height, num, den);
    let step = den as f32 / num as f32;
    out.clear();
    out.reserve(w * h);
    for y in 0..h {
        let sy = ((y as f32 + 0.5) * step - 0.5).clamp(0.0, (height - 1) as f32);
        let (y0, fy) = (sy as usize, sy.fract());
        let y1 = (y0 + 1).min(height - 1);
        let (row0, row1) = (&px[y0 * width..(y0 + 1) * width], &px[y1 * width..(y1 + 1) * width]);
        for x in 0..w {
            let sx = ((x as f32 + 0.5) * step - 0.5).clamp(0.0, (width - 1) as f32);
            let (x0, fx) = (sx as usize, sx.fract());
            let x1 = (x0 + 1).min(width - 1);
            let top = f32::from(row0[x0]) * (1.0 - fx) + f32::from(row0[x1]) * fx;
            let bottom = f32::from(row1[x0]) * (1.0 - fx) + f32::from(row1[x1]) * fx;
            out.push((top * (1.0 - fy) + bottom * fy).round() as u8);
        }
    }
}

/// A 3×3 box blur in place (borders kept), using `scratch`: after bilinear enlargement it
/// rounds off the staircase edges that make rqrr misjudge module boundaries.
pub fn smooth(width: usize, height: usize, px: &mut [u8], scratch: &mut Vec<u8>) {
    if width < 3 || height < 3 {
        return;
    }
    scratch.clear();
    scratch.extend_from_slice(px);
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            let mut s = 0u16;
            for row in [y - 1, y, y + 1] {
                let r = &scratch[row * width + x - 1..row * width + x + 2];
                s += u16::from(r[0]) + u16::from(r[1]) + u16::from(r[2]);
            }
            px[y * width + x] = ((s + 4) / 9) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halving_averages_blocks() {
        let mut out = Vec::new();
        halve(4, 2, &[0, 4, 10, 10, 8, 4, 10, 10], &mut out);
        assert_eq!(out, vec![4, 10]);
    }

    #[test]
    fn enlargement_keeps_flat_areas_and_interpolates_edges() {
        let mut out = Vec::new();
        enlarge(2, 1, &[0, 200], 2, 1, &mut out);
        assert_eq!(out.len(), 4 * 2);
        assert_eq!(&out[..4], &[0, 50, 150, 200]);
        enlarge(2, 2, &[90; 4], 3, 2, &mut out);
        assert_eq!(out, vec![90; 9]);
    }

    #[test]
    fn smoothing_spreads_a_dot() {
        let mut px = vec![0u8; 25];
        px[12] = 90;
        smooth(5, 5, &mut px, &mut Vec::new());
        assert_eq!(px[12], 10);
        assert_eq!(px[6], 10);
        assert_eq!(px[0], 0);
    }
}
