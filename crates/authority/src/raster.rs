//! A label as pixels (PNG): the same shapes as the SVG and the PDF, filled with 4×4 samples a
//! pixel and the exact share of each pixel a span covers. The scale is chosen so that a QR
//! module is a whole number of pixels and the code starts on a pixel: its modules are crisp.

use crate::error::{Error, Result};
use crate::font::Fonts;
use crate::layout::{Layout, Shape};

/// Sample rows per pixel.
const SS: usize = 4;

#[derive(Clone, Copy)]
enum Rule {
    EvenOdd,
    NonZero,
}

struct Canvas {
    w: usize,
    h: usize,
    rgb: Vec<[f32; 3]>,
    /// Millimetres to pixels: scale, then offset.
    scale: f32,
    offset: (f32, f32),
}

impl Canvas {
    fn px(&self, (x, y): (f32, f32)) -> (f32, f32) {
        (x * self.scale + self.offset.0, y * self.scale + self.offset.1)
    }

    /// Fills `outlines` (in millimetres) by `rule`.
    fn fill(&mut self, outlines: &[Vec<(f32, f32)>], colour: (u8, u8, u8), rule: Rule) {
        let edges: Vec<((f32, f32), (f32, f32))> = outlines
            .iter()
            .flat_map(|o| {
                let pts: Vec<(f32, f32)> = o.iter().map(|p| self.px(*p)).collect();
                let n = pts.len();
                (0..n).map(move |i| (pts[i], pts[(i + 1) % n]))
            })
            .filter(|(a, b)| a.1 != b.1)
            .collect();
        if edges.is_empty() {
            return;
        }
        let y_min = edges
            .iter()
            .map(|(a, b)| a.1.min(b.1))
            .fold(f32::MAX, f32::min)
            .max(0.0);
        let y_max = edges
            .iter()
            .map(|(a, b)| a.1.max(b.1))
            .fold(f32::MIN, f32::max)
            .min(self.h as f32);
        if y_max <= y_min {
            return;
        }
        let (row0, row1) = (y_min.floor() as usize, (y_max.ceil() as usize).min(self.h));
        let mut cover = vec![0f32; self.w * (row1 - row0)];
        let mut crossings: Vec<(f32, i32)> = Vec::new();
        for sub in row0 * SS..row1 * SS {
            let yc = (sub as f32 + 0.5) / SS as f32;
            crossings.clear();
            for ((x0, y0), (x1, y1)) in &edges {
                let (lo, hi) = if y0 < y1 { (*y0, *y1) } else { (*y1, *y0) };
                if yc >= lo && yc < hi {
                    let x = x0 + (yc - y0) * (x1 - x0) / (y1 - y0);
                    crossings.push((x, if y1 > y0 { 1 } else { -1 }));
                }
            }
            crossings.sort_by(|a, b| a.0.total_cmp(&b.0));
            let row = &mut cover[(sub / SS - row0) * self.w..][..self.w];
            let mut winding = 0;
            for pair in crossings.windows(2) {
                winding += pair[0].1;
                let inside = match rule {
                    Rule::NonZero => winding != 0,
                    Rule::EvenOdd => winding % 2 != 0,
                };
                if inside {
                    span(row, pair[0].0, pair[1].0);
                }
            }
        }
        let c = [f32::from(colour.0), f32::from(colour.1), f32::from(colour.2)];
        for (i, a) in cover.iter().enumerate() {
            let a = (a / SS as f32).min(1.0);
            if a > 0.0 {
                let p = &mut self.rgb[row0 * self.w + i];
                for k in 0..3 {
                    p[k] = p[k] * (1.0 - a) + c[k] * a;
                }
            }
        }
    }
}

/// Adds the share of each pixel of `row` that `[x0, x1)` covers.
fn span(row: &mut [f32], x0: f32, x1: f32) {
    let (x0, x1) = (x0.max(0.0), x1.min(row.len() as f32));
    if x1 <= x0 {
        return;
    }
    let (first, last) = (x0.floor() as usize, (x1.ceil() as usize).min(row.len()));
    for (c, cell) in row.iter_mut().enumerate().take(last).skip(first) {
        let overlap = x1.min(c as f32 + 1.0) - x0.max(c as f32);
        if overlap > 0.0 {
            *cell += overlap;
        }
    }
}

fn rect(x: f32, y: f32, w: f32, h: f32) -> Vec<(f32, f32)> {
    vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
}

/// The label with each QR module `module_px` pixels wide, as PNG.
pub fn png(l: &Layout, fonts: &Fonts, module_px: u32) -> Result<Vec<u8>> {
    let scale = module_px as f32 / l.module;
    let (qx, qy, _) = l.qr_box;
    // Shifted by under a pixel so the code's corner is on one.
    let offset = ((qx * scale).round() - qx * scale, (qy * scale).round() - qy * scale);
    let (w, h) = ((l.width * scale).ceil() as usize, (l.height * scale).ceil() as usize);
    let mut c = Canvas {
        w,
        h,
        rgb: vec![[255.0; 3]; w * h],
        scale,
        offset,
    };
    for shape in &l.shapes {
        match shape {
            Shape::Rect { x, y, w, h, fill } => c.fill(&[rect(*x, *y, *w, *h)], *fill, Rule::NonZero),
            Shape::Rects { rects, fill } => {
                let outlines: Vec<_> = rects.iter().map(|(x, y, w, h)| rect(*x, *y, *w, *h)).collect();
                c.fill(&outlines, *fill, Rule::NonZero);
            }
            Shape::Path { outlines, colour } => c.fill(outlines, *colour, Rule::EvenOdd),
            Shape::Text {
                x,
                y,
                size,
                text,
                colour,
            } => {
                c.fill(&fonts.centred_outline(text, *x, *y, *size), *colour, Rule::NonZero);
            }
        }
    }
    let raw: Vec<u8> = c
        .rgb
        .iter()
        .flat_map(|p| p.map(|v| v.round().clamp(0.0, 255.0) as u8))
        .collect();
    let img = image::RgbImage::from_raw(w as u32, h as u32, raw).ok_or(Error::WorkerFailed)?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|_| Error::WorkerFailed)?;
    Ok(out.into_inner())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_exact_share_of_each_pixel() {
        let mut row = vec![0.0; 4];
        span(&mut row, 0.5, 2.25);
        assert_eq!(row, [0.5, 1.0, 0.25, 0.0]);
        span(&mut row, -3.0, 0.5);
        assert_eq!(row[0], 1.0);
        span(&mut row, 3.5, 9.0);
        assert_eq!(row[3], 0.5);
    }

    #[test]
    fn even_odd_cuts_holes_and_non_zero_does_not() {
        let mut c = Canvas {
            w: 10,
            h: 10,
            rgb: vec![[255.0; 3]; 100],
            scale: 1.0,
            offset: (0.0, 0.0),
        };
        let ring = [rect(0.0, 0.0, 10.0, 10.0), rect(3.0, 3.0, 4.0, 4.0)];
        c.fill(&ring, (0, 0, 0), Rule::EvenOdd);
        assert_eq!(c.rgb[5 * 10 + 5], [255.0; 3], "the hole stays white");
        assert_eq!(c.rgb[11], [0.0; 3]);
        c.fill(&ring, (0, 0, 0), Rule::NonZero);
        assert_eq!(c.rgb[5 * 10 + 5], [0.0; 3]);
    }
}
