//! From three finder patterns to where every module of the code lies.
//!
//! The size comes from the finders' spacing over their module size (measured edge to edge
//! along the line between them, so blur does not bias it), and for versions 7 and up from the
//! version blocks beside the finders, which correct three wrong bits. One projection is fitted
//! to the finders and the bottom-right alignment pattern. A code with more alignment patterns
//! (version 7 and up) is then followed from pattern to pattern: each is looked for where its
//! found neighbours put it, and each cell between four of them gets its own projection, so a
//! label bent over a bottle or creased on a box is followed rather than forced onto one plane.

use super::alignment::locate_alignment;
use super::binary::Binary;
use super::finder::{finder_runs, Finder};
use super::geometry::{Point, Projection};
use super::grey::Grey;
use super::outline::outline;
use super::version::{alignment_positions, decode_version_block, dimension, version_bit_positions, version_of};

/// Where the modules of one code lie.
pub struct Geometry {
    pub dimension: usize,
    /// Module coordinates of the lines between cells (alignment pattern centres); empty when
    /// one projection covers the code.
    lines: Vec<f32>,
    /// One projection per cell, row by row; a single one when `lines` is empty.
    cells: Vec<Projection>,
}

impl Geometry {
    /// The pixel position of a point in module coordinates (a module's centre is at +0.5).
    pub fn to_pixel(&self, u: f32, v: f32) -> Point {
        if self.lines.is_empty() {
            return self.cells[0].map(Point::new(u, v));
        }
        let n = self.lines.len() - 1;
        let cell = |c: f32| self.lines[1..n].iter().take_while(|&&l| c >= l).count();
        self.cells[cell(v) * n + cell(u)].map(Point::new(u, v))
    }

    /// A code seen straight on, `module` pixels a module, its corner at the image's origin.
    #[cfg(test)]
    pub fn scaled(dimension: usize, module: f32) -> Geometry {
        let n = dimension as f32;
        let square = [
            Point::new(0.0, 0.0),
            Point::new(n, 0.0),
            Point::new(n, n),
            Point::new(0.0, n),
        ];
        let cells = vec![Projection::between(square, square.map(|p| p * module)).expect("a square")];
        Geometry {
            dimension,
            lines: Vec::new(),
            cells,
        }
    }

    /// The size of a module in pixels, around the middle of the code.
    pub fn module_size(&self) -> f32 {
        let m = self.dimension as f32 / 2.0;
        let (du, dv) = self.steps(m, m);
        (du.length() + dv.length()) / 2.0
    }

    /// One module along the code's rows and along its columns, near a point.
    pub fn steps(&self, u: f32, v: f32) -> (Point, Point) {
        let p = self.to_pixel(u, v);
        (self.to_pixel(u + 1.0, v) - p, self.to_pixel(u, v + 1.0) - p)
    }
}

/// The runs of a finder pattern read from its centre along a unit direction, both ways.
fn runs_along(bin: &Binary, centre: Point, dir: Point, max: usize) -> Option<[f32; 5]> {
    if !bin.dark_at(centre.x, centre.y) {
        return None;
    }
    let count = |d: Point| -> Option<[usize; 3]> {
        let mut out = [0usize; 3];
        let mut k = 1.0;
        for (i, want_dark) in [true, false, true].into_iter().enumerate() {
            loop {
                let p = centre + d * k;
                if !bin.contains(p.x, p.y) {
                    return (i == 2 && out[2] > 0).then_some(out);
                }
                if bin.dark_at(p.x, p.y) != want_dark {
                    break;
                }
                out[i] += 1;
                k += 1.0;
                if out[i] > max {
                    return None;
                }
            }
        }
        Some(out)
    };
    let (a, b) = (count(dir * -1.0)?, count(dir)?);
    let runs = [a[2], a[1], a[0] + b[0] + 1, b[1], b[2]].map(|n| n as f32);
    finder_runs(runs).then_some(runs)
}

/// A finder's module size measured along the line to another finder.
fn module_towards(bin: &Binary, from: &Finder, to: &Finder) -> f32 {
    let d = to.centre - from.centre;
    let len = d.length();
    if len < 1.0 {
        return from.module();
    }
    let dir = d * (1.0 / len);
    // Along a diagonal a whole-pixel step is longer than a pixel: scaled back below.
    match runs_along(bin, from.centre, dir, (from.size * 2.0) as usize + 2) {
        // Edge to edge: (r0+r1) + (r1+r2) + (r2+r3) + (r3+r4) spans twelve modules.
        Some(r) => (2.0 * r.iter().sum::<f32>() - r[0] - r[4]) / 12.0,
        None => from.module(),
    }
}

/// The code sizes the three finders suggest, most likely first.
pub fn dimensions(bin: &Binary, tl: &Finder, tr: &Finder, bl: &Finder) -> Vec<usize> {
    let top = (module_towards(bin, tl, tr) + module_towards(bin, tr, tl)) / 2.0;
    let left = (module_towards(bin, tl, bl) + module_towards(bin, bl, tl)) / 2.0;
    let across = (tl.centre.distance(tr.centre) / top + tl.centre.distance(bl.centre) / left) / 2.0 + 7.0;
    // Sizes are 4k + 1.
    let nearest = ((across - 1.0) / 4.0).round() as i64 * 4 + 1;
    let mut out = Vec::new();
    for d in [nearest, nearest + 4, nearest - 4] {
        if let Some(d) = usize::try_from(d).ok().filter(|&d| version_of(d).is_some()) {
            out.push(d);
        }
    }
    out
}

fn corners_of(n: f32) -> [Point; 3] {
    [Point::new(3.5, 3.5), Point::new(n - 3.5, 3.5), Point::new(3.5, n - 3.5)]
}

/// What the finders say of the code's geometry: each centre, and its ring's four corners
/// when they can be found, in pixels.
pub struct FinderPoints {
    centres: [Point; 3],
    outlines: [Option<[Point; 4]>; 3],
}

impl FinderPoints {
    pub fn new(bin: &Binary, fs: [&Finder; 3]) -> FinderPoints {
        let centres = fs.map(|f| f.centre);
        let (u, v) = (centres[1] - centres[0], centres[2] - centres[0]);
        FinderPoints {
            centres,
            outlines: fs.map(|f| outline(bin, f.centre, f.size, u, v)),
        }
    }

    /// (module, pixel, weight) pairs for a code `dim` modules a side.
    fn pairs(&self, dim: usize) -> Vec<(Point, Point, f64)> {
        let mut pairs = Vec::with_capacity(16);
        for ((centre, outline), m) in self.centres.iter().zip(&self.outlines).zip(corners_of(dim as f32)) {
            pairs.push((m, *centre, 1.0));
            if let Some(quad) = outline {
                for (c, (du, dv)) in quad.iter().zip([(-3.0, -3.0), (3.0, -3.0), (3.0, 3.0), (-3.0, 3.0)]) {
                    pairs.push((m + Point::new(du, dv), *c, 1.0));
                }
            }
        }
        pairs
    }

    /// The projection the finders alone give.
    fn projection(&self, dim: usize) -> Option<Projection> {
        let n = dim as f32;
        let [tl, tr, bl] = self.centres;
        let pairs = self.pairs(dim);
        let parallelogram = || {
            let [m_tl, m_tr, m_bl] = corners_of(n);
            Projection::between(
                [m_tl, m_tr, Point::new(n - 3.5, n - 3.5), m_bl],
                [tl, tr, tr + bl - tl, bl],
            )
        };
        if pairs.len() > 4 {
            Projection::fit(&pairs).or_else(parallelogram)
        } else {
            parallelogram()
        }
    }
}

/// The finders' projection refined with the bottom-right alignment pattern, when found: far
/// from the finders, it alone says how the far corner lies.
fn with_alignment(grey: &Grey<'_>, points: &FinderPoints, first: Projection, dim: usize) -> Projection {
    let n = dim as f32;
    if dim == 21 {
        return first;
    }
    let at = Point::new(n - 6.5, n - 6.5);
    let estimate = first.map(at);
    let du = first.map(at + Point::new(1.0, 0.0)) - estimate;
    let dv = first.map(at + Point::new(0.0, 1.0)) - estimate;
    let Some(ap) = locate_alignment(grey, estimate, du, dv, (n / 8.0).clamp(3.0, 8.0)) else {
        return first;
    };
    let mut pairs = points.pairs(dim);
    pairs.push((at, ap, 4.0));
    Projection::fit(&pairs).unwrap_or(first)
}

/// The projection for a trial size, if the timing patterns agree with that size.
fn global(grey: &Grey<'_>, points: &FinderPoints, dim: usize) -> Option<Projection> {
    let first = points.projection(dim)?;
    timing_fits(grey, &first, dim).then(|| with_alignment(grey, points, first, dim))
}

/// Whether the timing patterns (the rows of alternating modules joining the finders) are
/// where a code of this size has them: a cheap test that turns away wrong sizes and triples
/// of finders that are not one code before the dearer steps. Each pattern is read from the
/// grey image against its own mean; three quarters of its modules must be right.
fn timing_fits(grey: &Grey<'_>, p: &Projection, dim: usize) -> bool {
    let fits = |along_row: bool| {
        let cells: Vec<f32> = (8..dim - 8)
            .filter_map(|i| {
                let (u, v) = if along_row {
                    (i as f32 + 0.5, 6.5)
                } else {
                    (6.5, i as f32 + 0.5)
                };
                grey.at(p.map(Point::new(u, v)))
            })
            .collect();
        if cells.len() < dim - 16 {
            return false;
        }
        let mean = cells.iter().sum::<f32>() / cells.len() as f32;
        let right = cells
            .iter()
            .enumerate()
            .filter(|&(i, &v)| (v < mean) == (i % 2 == 0))
            .count();
        right * 4 >= cells.len() * 3
    };
    fits(true) || fits(false)
}

/// The version read from the version blocks, if they can be read.
fn read_version(bin: &Binary, p: &Projection, dim: usize) -> Option<usize> {
    let mut blocks = [0u32; 2];
    for k in 0..18 {
        for (b, (x, y)) in blocks.iter_mut().zip(version_bit_positions(dim, k)) {
            let q = p.map(Point::new(x as f32 + 0.5, y as f32 + 0.5));
            if bin.dark_at(q.x, q.y) {
                *b |= 1 << k;
            }
        }
    }
    blocks
        .iter()
        .filter_map(|&b| decode_version_block(b))
        .min_by_key(|&(_, errors)| errors)
        .map(|(v, _)| v)
}

/// Where the modules of the code with these finders lie, for a trial size; the size may be
/// corrected by the version blocks.
pub fn locate(grey: &Grey<'_>, bin: &Binary, points: &FinderPoints, trial: usize) -> Option<Geometry> {
    let mut dim = trial;
    let mut p = global(grey, points, dim)?;
    if dim >= dimension(7) {
        let v = read_version(bin, &p, dim)?;
        if dimension(v) != dim {
            if dimension(v).abs_diff(dim) > 8 {
                return None;
            }
            dim = dimension(v);
            p = global(grey, points, dim)?;
        }
    }
    let positions = alignment_positions(version_of(dim)?);
    if positions.len() < 3 {
        return Some(Geometry {
            dimension: dim,
            lines: Vec::new(),
            cells: vec![p],
        });
    }
    let k = positions.len();
    let at = |i: usize| positions[i] as f32 + 0.5;
    let mut found: Vec<Option<Point>> = vec![None; k * k];
    for (x, y) in [(0, 0), (k - 1, 0), (0, k - 1)] {
        found[y * k + x] = Some(p.map(Point::new(at(x), at(y))));
    }
    for y in 0..k {
        for x in 0..k {
            if found[y * k + x].is_some() {
                continue;
            }
            let here = p.map(Point::new(at(x), at(y)));
            // Predicted from found neighbours, each moved by the step the projection makes.
            let mut guesses = Vec::new();
            if x > 0 {
                if let Some(left) = found[y * k + x - 1] {
                    guesses.push(left + here - p.map(Point::new(at(x - 1), at(y))));
                }
            }
            if y > 0 {
                if let Some(up) = found[(y - 1) * k + x] {
                    guesses.push(up + here - p.map(Point::new(at(x), at(y - 1))));
                }
            }
            if x > 0 && y > 0 {
                if let (Some(l), Some(u), Some(d)) =
                    (found[y * k + x - 1], found[(y - 1) * k + x], found[(y - 1) * k + x - 1])
                {
                    guesses.push(l + u - d);
                }
            }
            let guess = if guesses.is_empty() {
                here
            } else {
                guesses.iter().fold(Point::default(), |s, &g| s + g) * (1.0 / guesses.len() as f32)
            };
            let du = p.map(Point::new(at(x) + 1.0, at(y))) - here;
            let dv = p.map(Point::new(at(x), at(y) + 1.0)) - here;
            found[y * k + x] = locate_alignment(grey, guess, du, dv, 3.0);
        }
    }
    let mut cells = Vec::with_capacity((k - 1) * (k - 1));
    let point = |x: usize, y: usize| found[y * k + x].unwrap_or_else(|| p.map(Point::new(at(x), at(y))));
    for y in 0..k - 1 {
        for x in 0..k - 1 {
            let from = [
                Point::new(at(x), at(y)),
                Point::new(at(x + 1), at(y)),
                Point::new(at(x + 1), at(y + 1)),
                Point::new(at(x), at(y + 1)),
            ];
            let to = [point(x, y), point(x + 1, y), point(x + 1, y + 1), point(x, y + 1)];
            cells.push(Projection::between(from, to).unwrap_or(p));
        }
    }
    Some(Geometry {
        dimension: dim,
        lines: positions.iter().map(|&l| l as f32 + 0.5).collect(),
        cells,
    })
}
