//! Which three finder patterns make one code: every triple whose shape could be a code's
//! corners, most square first.

use super::finder::Finder;
use super::order::ranked;
use super::version::{dimension, MAX_VERSION};

/// Three finders in the code's order: top left (the corner), top right, bottom left.
#[derive(Clone, Copy, Debug)]
pub struct Corners {
    pub tl: usize,
    pub tr: usize,
    pub bl: usize,
}

/// How much larger one finder of a code, or one of its sides, can look than another.
const MAX_SIZE_RATIO: f32 = 2.5;

/// At most this many triples are kept: a photo full of false finders stays bounded.
const MAX_SETS: usize = 64;

/// Plausible triples, best first, as indices into `finders`.
pub fn group(finders: &[Finder]) -> Vec<Corners> {
    let sizes: Vec<f32> = finders.iter().map(|f| f.size).collect();
    let order = ranked(&sizes);
    let mut sets: Vec<(f32, Corners)> = Vec::new();
    let n = order.len();
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                let (a, b, c) = (order[i], order[j], order[k]);
                let (fa, fc) = (&finders[a], &finders[c]);
                // Sorted by size: the rest of this row is larger still. Seen at a steep angle,
                // a code's near finder can be more than twice the size of its far one.
                if fc.size > fa.size * MAX_SIZE_RATIO {
                    break;
                }
                if let Some(set) = corners(finders, [a, b, c]) {
                    sets.push(set);
                }
            }
        }
    }
    let scores: Vec<f32> = sets.iter().map(|s| s.0).collect();
    ranked(&scores).into_iter().take(MAX_SETS).map(|i| sets[i].1).collect()
}

/// The triple as corners, with how far it is from an isosceles right triangle (0 is exact),
/// or `None` if it cannot be one code's finders.
fn corners(finders: &[Finder], ids: [usize; 3]) -> Option<(f32, Corners)> {
    let p = ids.map(|i| finders[i].centre);
    let d2 = |a: usize, b: usize| {
        let d = p[a] - p[b];
        d.dot(d)
    };
    // The corner is opposite the longest side.
    let sides = [d2(1, 2), d2(0, 2), d2(0, 1)];
    let corner = (0..3).max_by(|&a, &b| sides[a].total_cmp(&sides[b]))?;
    let (o1, o2) = ((corner + 1) % 3, (corner + 2) % 3);
    let (ab, ac, bc) = (d2(corner, o1), d2(corner, o2), sides[corner]);
    let (lab, lac) = (ab.sqrt(), ac.sqrt());
    if lab > MAX_SIZE_RATIO * lac || lac > MAX_SIZE_RATIO * lab {
        return None;
    }
    let cos = (ab + ac - bc) / (2.0 * lab * lac);
    if !(-0.71..=0.71).contains(&cos) {
        return None;
    }
    let module = (finders[ids[0]].size + finders[ids[1]].size + finders[ids[2]].size) / 21.0;
    let modules = (lab + lac) / 2.0 / module + 7.0;
    if modules < 21.0 * 0.8 || modules > dimension(MAX_VERSION) as f32 * 1.5 {
        return None;
    }
    // Image y points down: top right is clockwise from bottom left around the corner.
    let (v1, v2) = (p[o1] - p[corner], p[o2] - p[corner]);
    let (tr, bl) = if v1.cross(v2) > 0.0 { (o1, o2) } else { (o2, o1) };
    let sizes = ids.map(|i| finders[i].size);
    let spread = sizes.iter().fold(0.0f32, |m, &s| m.max(s)) / sizes.iter().fold(f32::MAX, |m, &s| m.min(s));
    let squareness = ((bc - 2.0 * ab).abs() + (bc - 2.0 * ac).abs()) / bc;
    Some((
        squareness + (spread - 1.0) * 0.5,
        Corners {
            tl: ids[corner],
            tr: ids[tr],
            bl: ids[bl],
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::geometry::Point;

    fn finder(x: f32, y: f32) -> Finder {
        Finder {
            centre: Point::new(x, y),
            size: 21.0,
            count: 1,
            rings: 8,
        }
    }

    #[test]
    fn orders_a_code_s_corners() {
        // A code turned a quarter clockwise: its top left is at the image's top right.
        let fs = [finder(300.0, 100.0), finder(300.0, 300.0), finder(100.0, 100.0)];
        let sets = group(&fs);
        assert_eq!(sets.len(), 1);
        let c = sets[0];
        assert_eq!((c.tl, c.tr, c.bl), (0, 1, 2));
    }

    #[test]
    fn refuses_a_line_of_three() {
        let fs = [finder(100.0, 100.0), finder(200.0, 100.0), finder(300.0, 100.0)];
        assert!(group(&fs).is_empty());
    }
}
