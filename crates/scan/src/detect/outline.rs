//! A finder pattern's four corners, for the projection: one point per finder says nothing
//! about how the code is tilted, four do.
//!
//! Rays from the finder's centre cross its dark ring; the middle of each crossing lies on the
//! ring's centre line, a square three modules out from the centre. Blur or exposure that
//! widens or narrows dark areas moves the ring's two edges by the same amount in opposite
//! directions, so the middle stays put. Crossings are sorted onto the square's four sides by
//! the code's directions, a line is fitted to each side, and the corners are where
//! neighbouring sides meet.

use super::binary::Binary;
use super::finder::edges_along;
use super::geometry::{intersection, Point, RAYS};

/// The corners of the finder's ring centre line, in the code's order: towards `-u - v`,
/// `+u - v`, `+u + v`, `-u + v`, where `u` and `v` point along the code's rows and columns.
pub fn outline(bin: &Binary, centre: Point, size: f32, u: Point, v: Point) -> Option<[Point; 4]> {
    let det = u.cross(v);
    if det.abs() < 1e-6 {
        return None;
    }
    // Points on each side: 0 top (-v), 1 right (+u), 2 bottom (+v), 3 left (-u).
    let mut sides: [Vec<Point>; 4] = Default::default();
    for &dir in &RAYS {
        let Some(e) = edges_along(bin, centre, dir, size) else {
            continue;
        };
        let p = centre + dir * ((e[1] + e[2]) / 2.0);
        let d = p - centre;
        // d in the basis (u, v).
        let (a, b) = (d.cross(v) / det, u.cross(d) / det);
        let side = if a.abs() > 1.3 * b.abs() {
            if a > 0.0 {
                1
            } else {
                3
            }
        } else if b.abs() > 1.3 * a.abs() {
            if b > 0.0 {
                2
            } else {
                0
            }
        } else {
            continue;
        };
        sides[side].push(p);
    }
    let lines: Vec<(Point, Point)> = sides.iter().map(|pts| fit_line(pts)).collect::<Option<_>>()?;
    let corner = |a: usize, b: usize| intersection(lines[a].0, lines[a].1, lines[b].0, lines[b].1);
    let corners = [corner(0, 3)?, corner(0, 1)?, corner(2, 1)?, corner(2, 3)?];
    // A corner far from the finder means a side was fitted to the wrong points.
    corners.iter().all(|c| c.distance(centre) < size).then_some(corners)
}

/// Two points on the line best fitting `pts` (principal axis through their mean).
fn fit_line(pts: &[Point]) -> Option<(Point, Point)> {
    if pts.len() < 3 {
        return None;
    }
    let n = pts.len() as f32;
    let mean = pts.iter().fold(Point::default(), |s, &p| s + p) * (1.0 / n);
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for &p in pts {
        let d = p - mean;
        sxx += d.x * d.x;
        sxy += d.x * d.y;
        syy += d.y * d.y;
    }
    // The covariance's principal eigenvector.
    let half_gap = (sxx - syy) / 2.0;
    let largest = (sxx + syy) / 2.0 + (half_gap * half_gap + sxy * sxy).sqrt();
    let dir = if sxy.abs() > 1e-6 {
        Point::new(sxy, largest - sxx)
    } else if sxx >= syy {
        Point::new(1.0, 0.0)
    } else {
        Point::new(0.0, 1.0)
    };
    Some((mean, mean + dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_ring_s_corners_of_a_turned_finder() {
        // A finder of 4 px modules centred at (50, 50), turned 20°.
        let (w, h) = (100, 100);
        let (s, c) = (20f32.to_radians().sin(), 20f32.to_radians().cos());
        let px: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as f32 + 0.5 - 50.0, (i / w) as f32 + 0.5 - 50.0);
                let (mu, mv) = ((x * c + y * s) / 4.0, (-x * s + y * c) / 4.0);
                let d = mu.abs().max(mv.abs());
                if d < 1.5 || (2.5..3.5).contains(&d) {
                    20
                } else {
                    230
                }
            })
            .collect();
        let mut bin = Binary::default();
        bin.threshold(w, h, &px);
        let (u, v) = (Point::new(c, s), Point::new(-s, c));
        let corners = outline(&bin, Point::new(50.0, 50.0), 28.0, u, v).unwrap();
        for (corner, (du, dv)) in corners.iter().zip([(-3.0, -3.0), (3.0, -3.0), (3.0, 3.0), (-3.0, 3.0)]) {
            let want = Point::new(50.0, 50.0) + u * (du * 4.0) + v * (dv * 4.0);
            assert!(corner.distance(want) < 1.0, "{corner:?} is not {want:?}");
        }
    }
}
