//! Preparing a frame for the detector: box-averaged halving for large frames, bilinear
//! doubling for small ones, and sharpening.

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

/// Bilinear doubling of both sides, sampling at pixel centres, into `out`.
pub fn double(width: usize, height: usize, px: &[u8], out: &mut Vec<u8>) {
    let (w, h) = (width * 2, height * 2);
    out.clear();
    out.reserve(w * h);
    for y in 0..h {
        let sy = ((y as f32 + 0.5) / 2.0 - 0.5).clamp(0.0, (height - 1) as f32);
        let (y0, fy) = (sy as usize, sy.fract());
        let y1 = (y0 + 1).min(height - 1);
        let (row0, row1) = (&px[y0 * width..(y0 + 1) * width], &px[y1 * width..(y1 + 1) * width]);
        for x in 0..w {
            let sx = ((x as f32 + 0.5) / 2.0 - 0.5).clamp(0.0, (width - 1) as f32);
            let (x0, fx) = (sx as usize, sx.fract());
            let x1 = (x0 + 1).min(width - 1);
            let top = f32::from(row0[x0]) * (1.0 - fx) + f32::from(row0[x1]) * fx;
            let bottom = f32::from(row1[x0]) * (1.0 - fx) + f32::from(row1[x1]) * fx;
            out.push((top * (1.0 - fy) + bottom * fy).round() as u8);
        }
    }
}

/// Unsharp masking with a 3×3 box: each pixel pushed away from the mean around it by as
/// much as it differs from it, into `out` (borders kept). Blur and small size fill the one
/// module light gap of a finder with grey; this brings it back above the threshold.
pub fn sharpen(width: usize, height: usize, px: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(px);
    if width < 3 || height < 3 {
        return;
    }
    // Sums of three pixels across, for the rows above, at and below the one being written.
    let across = |y: usize, sums: &mut Vec<u16>| {
        sums.clear();
        let row = &px[y * width..(y + 1) * width];
        sums.push(0);
        sums.extend(
            row.windows(3)
                .map(|w| u16::from(w[0]) + u16::from(w[1]) + u16::from(w[2])),
        );
    };
    let (mut above, mut here, mut below) = (
        Vec::with_capacity(width),
        Vec::with_capacity(width),
        Vec::with_capacity(width),
    );
    across(0, &mut above);
    across(1, &mut here);
    for y in 1..height - 1 {
        across(y + 1, &mut below);
        let row = &mut out[y * width..(y + 1) * width];
        for x in 1..width - 1 {
            let mean = (i32::from(above[x]) + i32::from(here[x]) + i32::from(below[x])) / 9;
            row[x] = (2 * i32::from(px[y * width + x]) - mean).clamp(0, 255) as u8;
        }
        std::mem::swap(&mut above, &mut here);
        std::mem::swap(&mut here, &mut below);
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
    fn doubling_keeps_flat_areas_and_interpolates_edges() {
        let mut out = Vec::new();
        double(2, 1, &[0, 200], &mut out);
        assert_eq!(out.len(), 4 * 2);
        assert_eq!(&out[..4], &[0, 50, 150, 200]);
        double(2, 2, &[90; 4], &mut out);
        assert_eq!(out, vec![90; 16]);
    }

    #[test]
    fn sharpening_deepens_a_faint_gap_and_keeps_flat_areas() {
        // A light column of 150 between dark ones, as blur leaves a finder's gap.
        let px: Vec<u8> = (0..25).map(|i| if i % 5 == 2 { 150 } else { 40 }).collect();
        let mut out = Vec::new();
        sharpen(5, 5, &px, &mut out);
        assert_eq!(out[12], 224, "the gap is lifted");
        assert_eq!(out[11], 4, "its sides are pushed down");
        let flat = [90u8; 25];
        sharpen(5, 5, &flat, &mut out);
        assert_eq!(out, flat.to_vec());
    }
}
