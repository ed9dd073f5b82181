//! Finding an alignment pattern (the small ring of five by five modules) near where the code's
//! geometry so far puts it.
//!
//! Matched against the grey image rather than found in the thresholded one: the pattern's 25
//! module centres are read through the local scale and rotation of the code and correlated
//! with the ring's light and dark, at every offset around the estimate. Correlation does not
//! care about contrast or a shift in brightness, and reading module centres keeps working when
//! blur has merged the ring's one-module gaps in the thresholded image.

use super::geometry::Point;
use super::grey::Grey;

/// The lowest correlation with the pattern accepted as one.
const MIN_MATCH: f32 = 0.6;
/// A correlation this high near the estimate ends the search there.
const CLEAR_MATCH: f32 = 0.85;

/// How well the 5×5 modules around `centre` (one module along the code's rows is `du`, along
/// its columns `dv`) match the alignment pattern: the correlation, from -1 to 1.
fn correlation(grey: &Grey<'_>, centre: Point, du: Point, dv: Point) -> Option<f32> {
    let (mut sum, mut sq, mut dark_sum) = (0.0f32, 0.0f32, 0.0f32);
    for j in -2i32..=2 {
        for i in -2i32..=2 {
            let v = grey.at(centre + du * i as f32 + dv * j as f32)?;
            sum += v;
            sq += v * v;
            if i.abs().max(j.abs()) != 1 {
                dark_sum += v;
            }
        }
    }
    let n = 25.0;
    let mean = sum / n;
    let var = sq / n - mean * mean;
    if var <= 1.0 {
        return None;
    }
    let light_sum = sum - dark_sum;
    // The template is -1 on the 17 dark modules (ring and centre) and +1 on the 8 light ones.
    let t_mean = (8.0 - 17.0) / n;
    let cov = (light_sum - dark_sum) / n - mean * t_mean;
    Some(cov / (var.sqrt() * (1.0 - t_mean * t_mean).sqrt()))
}

/// The alignment pattern's centre nearest `estimate` within `radius` modules, if the image has
/// one there.
pub fn locate_alignment(grey: &Grey<'_>, estimate: Point, du: Point, dv: Point, radius: f32) -> Option<Point> {
    let module = (du.length() + dv.length()) / 2.0;
    if module < 0.8 {
        return None;
    }
    // (score, correlation, centre)
    let mut best: Option<(f32, f32, Point)> = None;
    let consider = |p: Point, best: &mut Option<(f32, f32, Point)>| {
        if let Some(c) = correlation(grey, p, du, dv) {
            let score = c - 0.03 * p.distance(estimate) / module;
            if c >= MIN_MATCH && best.is_none_or(|(s, _, _)| score > s) {
                *best = Some((score, c, p));
            }
        }
    };
    // Coarse: half a module apart, in the code's own directions; near the estimate first,
    // which is where it usually is, and the whole radius only if nothing there is clearly
    // the pattern (data modules now and then look somewhat like it).
    for r in [radius.min(2.5), radius] {
        let steps = (r * 2.0).ceil() as i32;
        for j in -steps..=steps {
            for i in -steps..=steps {
                consider(estimate + du * (i as f32 * 0.5) + dv * (j as f32 * 0.5), &mut best);
            }
        }
        if best.is_some_and(|(_, c, _)| c >= CLEAR_MATCH) {
            break;
        }
    }
    // Fine: a sixth of a module apart around the best.
    let (_, _, coarse) = best?;
    for j in -3..=3 {
        for i in -3..=3 {
            consider(coarse + du * (i as f32 / 6.0) + dv * (j as f32 / 6.0), &mut best);
        }
    }
    best.map(|(_, _, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_ring_near_its_estimate() {
        // A 5×5-module ring at 4 px a module, centred at (42, 38), on light paper with a few
        // dark modules around it.
        let (w, h) = (80, 80);
        let mut px = vec![220u8; w * h];
        let dark = |mx: i32, my: i32| {
            let d = mx.abs().max(my.abs());
            d == 0 || d == 2 || (mx == 4 && my == -3)
        };
        for y in 0..h {
            for x in 0..w {
                let (mx, my) = (
                    ((x as f32 - 42.0) / 4.0).round() as i32,
                    ((y as f32 - 38.0) / 4.0).round() as i32,
                );
                if dark(mx, my) {
                    px[y * w + x] = 30;
                }
            }
        }
        let g = Grey {
            width: w,
            height: h,
            px: &px,
        };
        let du = Point::new(4.0, 0.0);
        let dv = Point::new(0.0, 4.0);
        let found = locate_alignment(&g, Point::new(36.0, 44.0), du, dv, 3.0).unwrap();
        assert!(found.distance(Point::new(42.5, 38.5)) < 1.5, "{found:?}");
        assert_eq!(
            locate_alignment(
                &Grey {
                    width: w,
                    height: h,
                    px: &[220; 6400]
                },
                Point::new(40.0, 40.0),
                du,
                dv,
                3.0
            ),
            None
        );
    }
}
