//! A local (block) adaptive threshold: a pixel is dark when it is darker than the mean of
//! the square window around it by more than a margin. Copes with shadows, glare and uneven
//! light that a single global or per-row threshold cannot.

/// Fills `dark` (one byte per pixel, 1 = dark) from `px`, using `integral` as scratch space.
/// `window` is the side of the averaging square; `margin` how much darker than the local mean
/// a pixel must be. Both buffers are resized as needed and can be reused across frames.
pub fn adaptive(
    px: &[u8],
    w: usize,
    h: usize,
    window: usize,
    margin: u32,
    integral: &mut Vec<u32>,
    dark: &mut Vec<u8>,
) {
    let stride = w + 1;
    integral.clear();
    integral.resize(stride * (h + 1), 0);
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            row += u32::from(px[y * w + x]);
            integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row;
        }
    }
    let r = window / 2;
    dark.clear();
    dark.resize(w * h, 0);
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let sum = integral[y1 * stride + x1] + integral[y0 * stride + x0]
                - integral[y0 * stride + x1]
                - integral[y1 * stride + x0];
            let area = ((y1 - y0) * (x1 - x0)) as u64;
            let p = u64::from(px[y * w + x]) + u64::from(margin);
            dark[y * w + x] = u8::from(p * area < u64::from(sum));
        }
    }
}

/// A global threshold chosen by Otsu's method (the level that best separates the histogram
/// into two classes): dark where a pixel is at or below it. Blurred codes often read with it
/// when neither rqrr's row threshold nor a local one does.
pub fn otsu(px: &[u8], dark: &mut Vec<u8>) {
    let mut hist = [0u64; 256];
    for &p in px {
        hist[usize::from(p)] += 1;
    }
    let total = px.len() as f64;
    let sum: f64 = hist.iter().enumerate().map(|(i, &n)| i as f64 * n as f64).sum();
    let (mut below_sum, mut below, mut best, mut level) = (0.0, 0.0, 0.0, 0u8);
    for (t, &n) in hist.iter().enumerate() {
        below += n as f64;
        if below == 0.0 {
            continue;
        }
        let above = total - below;
        if above == 0.0 {
            break;
        }
        below_sum += t as f64 * n as f64;
        let gap = below_sum / below - (sum - below_sum) / above;
        let between = below * above * gap * gap;
        if between > best {
            best = between;
            level = t as u8;
        }
    }
    dark.clear();
    dark.extend(px.iter().map(|&p| u8::from(p <= level)));
}

/// The largest image [`adaptive`] handles without its `u32` sums overflowing.
pub const MAX_ADAPTIVE_PIXELS: usize = (u32::MAX / 255) as usize;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_square_on_a_gradient() {
        // A light-to-dark gradient with a darker square in the bright half and a lighter
        // square in the dark half: a global threshold gets one of them wrong.
        let (w, h) = (64, 32);
        let mut px: Vec<u8> = (0..w * h).map(|i| 250 - ((i % w) * 3) as u8).collect();
        for y in 10..20 {
            for x in 5..15 {
                px[y * w + x] = 150;
            }
        }
        let (mut integral, mut dark) = (Vec::new(), Vec::new());
        adaptive(&px, w, h, 16, 8, &mut integral, &mut dark);
        assert_eq!(dark[15 * w + 10], 1, "the square is dark against its surroundings");
        assert_eq!(dark[2 * w + 10], 0, "the bright surroundings are not");
        assert_eq!(dark[2 * w + 60], 0, "the dark end of the gradient alone is not dark");
    }

    #[test]
    fn otsu_splits_two_populations() {
        let px: Vec<u8> = (0..100)
            .map(|i| {
                if i % 3 == 0 {
                    40 + (i % 7) as u8
                } else {
                    200 + (i % 5) as u8
                }
            })
            .collect();
        let mut dark = Vec::new();
        otsu(&px, &mut dark);
        for (p, d) in px.iter().zip(&dark) {
            assert_eq!(*d, u8::from(*p < 100), "pixel {p}");
        }
    }
}
