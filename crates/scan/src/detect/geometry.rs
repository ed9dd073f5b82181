//! Points and plane projections: where a module of the code lies in the image.

use std::f32::consts::FRAC_1_SQRT_2;
use std::ops::{Add, Mul, Sub};

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    pub fn distance(self, other: Point) -> f32 {
        (self - other).length()
    }

    pub fn length(self) -> f32 {
        (self.x * self.x + self.y * self.y).sqrt()
    }

    /// The z component of the cross product: its sign says on which side `b` turns from `a`.
    pub fn cross(self, other: Point) -> f32 {
        self.x * other.y - self.y * other.x
    }

    pub fn dot(self, other: Point) -> f32 {
        self.x * other.x + self.y * other.y
    }
}

impl Add for Point {
    type Output = Point;
    fn add(self, o: Point) -> Point {
        Point::new(self.x + o.x, self.y + o.y)
    }
}

impl Sub for Point {
    type Output = Point;
    fn sub(self, o: Point) -> Point {
        Point::new(self.x - o.x, self.y - o.y)
    }
}

impl Mul<f32> for Point {
    type Output = Point;
    fn mul(self, k: f32) -> Point {
        Point::new(self.x * k, self.y * k)
    }
}

/// Unit vectors every 11.25°, round the circle from +x towards +y: rays cast from a
/// finder's centre. A table rather than sines and cosines, whose code would weigh more in the
/// web app's decoder than the table does.
pub const RAYS: [Point; 32] = [
    Point::new(1.0000000, 0.0000000),
    Point::new(0.9807853, 0.1950903),
    Point::new(0.9238795, 0.3826834),
    Point::new(0.8314696, 0.5555702),
    Point::new(FRAC_1_SQRT_2, FRAC_1_SQRT_2),
    Point::new(0.5555702, 0.8314696),
    Point::new(0.3826834, 0.9238795),
    Point::new(0.1950903, 0.9807853),
    Point::new(0.0000000, 1.0000000),
    Point::new(-0.1950903, 0.9807853),
    Point::new(-0.3826834, 0.9238795),
    Point::new(-0.5555702, 0.8314696),
    Point::new(-FRAC_1_SQRT_2, FRAC_1_SQRT_2),
    Point::new(-0.8314696, 0.5555702),
    Point::new(-0.9238795, 0.3826834),
    Point::new(-0.9807853, 0.1950903),
    Point::new(-1.0000000, 0.0000000),
    Point::new(-0.9807853, -0.1950903),
    Point::new(-0.9238795, -0.3826834),
    Point::new(-0.8314696, -0.5555702),
    Point::new(-FRAC_1_SQRT_2, -FRAC_1_SQRT_2),
    Point::new(-0.5555702, -0.8314696),
    Point::new(-0.3826834, -0.9238795),
    Point::new(-0.1950903, -0.9807853),
    Point::new(-0.0000000, -1.0000000),
    Point::new(0.1950903, -0.9807853),
    Point::new(0.3826834, -0.9238795),
    Point::new(0.5555702, -0.8314696),
    Point::new(FRAC_1_SQRT_2, -FRAC_1_SQRT_2),
    Point::new(0.8314696, -0.5555702),
    Point::new(0.9238795, -0.3826834),
    Point::new(0.9807853, -0.1950903),
];

/// A plane projection (homography), mapping module coordinates to pixel coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    m: [f64; 9],
}

impl Projection {
    /// The projection taking the unit square's corners (0,0), (1,0), (1,1), (0,1) to `q`.
    fn from_unit_square(q: [Point; 4]) -> Option<Projection> {
        let [p0, p1, p2, p3] = q.map(|p| (f64::from(p.x), f64::from(p.y)));
        let dx3 = p0.0 - p1.0 + p2.0 - p3.0;
        let dy3 = p0.1 - p1.1 + p2.1 - p3.1;
        let m = if dx3.abs() < 1e-9 && dy3.abs() < 1e-9 {
            [
                p1.0 - p0.0,
                p2.0 - p1.0,
                p0.0,
                p1.1 - p0.1,
                p2.1 - p1.1,
                p0.1,
                0.0,
                0.0,
                1.0,
            ]
        } else {
            let (dx1, dx2) = (p1.0 - p2.0, p3.0 - p2.0);
            let (dy1, dy2) = (p1.1 - p2.1, p3.1 - p2.1);
            let den = dx1 * dy2 - dx2 * dy1;
            if den.abs() < 1e-12 {
                return None;
            }
            let g = (dx3 * dy2 - dx2 * dy3) / den;
            let h = (dx1 * dy3 - dx3 * dy1) / den;
            [
                p1.0 - p0.0 + g * p1.0,
                p3.0 - p0.0 + h * p3.0,
                p0.0,
                p1.1 - p0.1 + g * p1.1,
                p3.1 - p0.1 + h * p3.1,
                p0.1,
                g,
                h,
                1.0,
            ]
        };
        Some(Projection { m })
    }

    fn inverse(&self) -> Option<Projection> {
        let [a, b, c, d, e, f, g, h, i] = self.m;
        let adj = [
            e * i - f * h,
            c * h - b * i,
            b * f - c * e,
            f * g - d * i,
            a * i - c * g,
            c * d - a * f,
            d * h - e * g,
            b * g - a * h,
            a * e - b * d,
        ];
        let det = a * adj[0] + b * adj[3] + c * adj[6];
        if det.abs() < 1e-12 || !det.is_finite() {
            return None;
        }
        Some(Projection { m: adj })
    }

    fn then(&self, next: &Projection) -> Projection {
        let (a, b) = (&self.m, &next.m);
        let mut m = [0.0; 9];
        for r in 0..3 {
            for c in 0..3 {
                m[r * 3 + c] = (0..3).map(|k| b[r * 3 + k] * a[k * 3 + c]).sum();
            }
        }
        Projection { m }
    }

    /// The projection taking the four points `from` to the four points `to`, in order;
    /// `None` when either four are degenerate (three on a line).
    pub fn between(from: [Point; 4], to: [Point; 4]) -> Option<Projection> {
        let to_from = Projection::from_unit_square(from)?.inverse()?;
        Some(to_from.then(&Projection::from_unit_square(to)?))
    }

    /// The projection that best fits weighted pairs of (module, pixel) points, in the least
    /// squares sense (the direct linear transform, on normalised coordinates so that pixel
    /// and module scales do not skew the fit). `None` with fewer than four pairs or when they
    /// do not determine a projection.
    pub fn fit(pairs: &[(Point, Point, f64)]) -> Option<Projection> {
        if pairs.len() < 4 {
            return None;
        }
        let normaliser = |pick: fn(&(Point, Point, f64)) -> Point| {
            let n = pairs.len() as f64;
            let (mut cx, mut cy) = (0.0, 0.0);
            for p in pairs {
                cx += f64::from(pick(p).x);
                cy += f64::from(pick(p).y);
            }
            let (cx, cy) = (cx / n, cy / n);
            let spread = pairs
                .iter()
                .map(|p| {
                    let (dx, dy) = (f64::from(pick(p).x) - cx, f64::from(pick(p).y) - cy);
                    (dx * dx + dy * dy).sqrt()
                })
                .sum::<f64>()
                / n;
            let k = if spread > 1e-9 {
                std::f64::consts::SQRT_2 / spread
            } else {
                1.0
            };
            Projection {
                m: [k, 0.0, -k * cx, 0.0, k, -k * cy, 0.0, 0.0, 1.0],
            }
        };
        let (from_n, to_n) = (normaliser(|p| p.0), normaliser(|p| p.1));
        // Normal equations of the eight unknowns (the ninth is fixed at 1).
        let mut ata = [[0.0f64; 8]; 8];
        let mut atb = [0.0f64; 8];
        for &(from, to, w) in pairs {
            let (u, v) = from_n.apply(from);
            let (x, y) = to_n.apply(to);
            for (row, rhs) in [
                ([u, v, 1.0, 0.0, 0.0, 0.0, -u * x, -v * x], x),
                ([0.0, 0.0, 0.0, u, v, 1.0, -u * y, -v * y], y),
            ] {
                for i in 0..8 {
                    for j in 0..8 {
                        ata[i][j] += w * row[i] * row[j];
                    }
                    atb[i] += w * row[i] * rhs;
                }
            }
        }
        let h = solve8(ata, atb)?;
        let fitted = Projection {
            m: [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0],
        };
        Some(from_n.then(&fitted).then(&to_n.inverse()?))
    }

    fn apply(&self, p: Point) -> (f64, f64) {
        let q = self.map(p);
        (f64::from(q.x), f64::from(q.y))
    }

    pub fn map(&self, p: Point) -> Point {
        let [a, b, c, d, e, f, g, h, i] = self.m;
        let (x, y) = (f64::from(p.x), f64::from(p.y));
        let w = g * x + h * y + i;
        Point::new(((a * x + b * y + c) / w) as f32, ((d * x + e * y + f) / w) as f32)
    }
}

/// Gaussian elimination with partial pivoting; `None` for a singular system.
fn solve8(mut a: [[f64; 8]; 8], mut b: [f64; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (pivot_row, pivot_b) = (a[col], b[col]);
        for (row, rhs) in a.iter_mut().zip(b.iter_mut()).skip(col + 1) {
            let f = row[col] / pivot_row[col];
            for (x, p) in row.iter_mut().zip(pivot_row).skip(col) {
                *x -= f * p;
            }
            *rhs -= f * pivot_b;
        }
    }
    let mut x = [0.0; 8];
    for row in (0..8).rev() {
        let s: f64 = (row + 1..8).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// Where two lines cross, each given by two points; `None` when they are parallel.
pub fn intersection(a0: Point, a1: Point, b0: Point, b1: Point) -> Option<Point> {
    let (da, db) = (a1 - a0, b1 - b0);
    let den = da.cross(db);
    if den.abs() < 1e-6 {
        return None;
    }
    let t = (b0 - a0).cross(db) / den;
    Some(a0 + da * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Point, b: Point) -> bool {
        a.distance(b) < 1e-3
    }

    #[test]
    fn maps_corners_to_corners_and_back() {
        let square = [
            Point::new(3.5, 3.5),
            Point::new(53.5, 3.5),
            Point::new(50.5, 50.5),
            Point::new(3.5, 53.5),
        ];
        let quad = [
            Point::new(100.0, 80.0),
            Point::new(400.0, 110.0),
            Point::new(380.0, 420.0),
            Point::new(90.0, 390.0),
        ];
        let p = Projection::between(square, quad).unwrap();
        for (s, q) in square.iter().zip(&quad) {
            assert!(close(p.map(*s), *q), "{:?} -> {:?}, not {:?}", s, p.map(*s), q);
        }
        let back = Projection::between(quad, square).unwrap();
        let mid = p.map(Point::new(20.0, 30.0));
        assert!(close(back.map(mid), Point::new(20.0, 30.0)));
    }

    #[test]
    fn fits_a_projection_to_many_points() {
        let square = [
            Point::new(0.0, 0.0),
            Point::new(40.0, 0.0),
            Point::new(40.0, 40.0),
            Point::new(0.0, 40.0),
        ];
        let quad = [
            Point::new(100.0, 80.0),
            Point::new(400.0, 110.0),
            Point::new(380.0, 420.0),
            Point::new(90.0, 390.0),
        ];
        let truth = Projection::between(square, quad).unwrap();
        let pairs: Vec<(Point, Point, f64)> = (0..5)
            .flat_map(|i| (0..5).map(move |j| Point::new(i as f32 * 9.0, j as f32 * 7.0)))
            .map(|m| (m, truth.map(m), 1.0))
            .collect();
        let fitted = Projection::fit(&pairs).unwrap();
        let probe = Point::new(33.0, 21.0);
        assert!(fitted.map(probe).distance(truth.map(probe)) < 0.01);
        assert_eq!(Projection::fit(&pairs[..3]), None);
    }

    #[test]
    fn rays_are_unit_vectors_evenly_spaced() {
        for (k, r) in RAYS.iter().enumerate() {
            let angle = k as f32 * std::f32::consts::TAU / 32.0;
            assert!(r.distance(Point::new(angle.cos(), angle.sin())) < 1e-6);
        }
    }

    #[test]
    fn refuses_degenerate_quads() {
        let line = [
            Point::new(0.0, 0.0),
            Point::new(1.0, 1.0),
            Point::new(2.0, 2.0),
            Point::new(3.0, 3.0),
        ];
        let square = [
            Point::new(0.0, 0.0),
            Point::new(1.0, 0.0),
            Point::new(1.0, 1.0),
            Point::new(0.0, 1.0),
        ];
        assert_eq!(Projection::between(square, line), None);
    }

    #[test]
    fn crossing_lines() {
        let p = intersection(
            Point::new(0.0, 0.0),
            Point::new(2.0, 2.0),
            Point::new(0.0, 2.0),
            Point::new(2.0, 0.0),
        );
        assert!(close(p.unwrap(), Point::new(1.0, 1.0)));
        assert_eq!(
            intersection(
                Point::new(0.0, 0.0),
                Point::new(1.0, 0.0),
                Point::new(0.0, 1.0),
                Point::new(1.0, 1.0)
            ),
            None
        );
    }
}
