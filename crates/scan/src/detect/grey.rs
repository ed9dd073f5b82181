//! The grey image the modules are read from: values between pixels are interpolated, so a
//! module's centre is read where it is, not at the nearest whole pixel.

use super::geometry::Point;

#[derive(Clone, Copy)]
pub struct Grey<'a> {
    pub width: usize,
    pub height: usize,
    pub px: &'a [u8],
}

impl Grey<'_> {
    /// The bilinear value at a point (pixel centres at half-integers); `None` outside.
    pub fn at(&self, p: Point) -> Option<f32> {
        let (x, y) = (p.x - 0.5, p.y - 0.5);
        if !(x > -0.5 && y > -0.5 && x < self.width as f32 - 0.5 && y < self.height as f32 - 0.5) {
            return None;
        }
        let (x, y) = (x.max(0.0), y.max(0.0));
        let (x0, y0) = (x as usize, y as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let v = |x: usize, y: usize| f32::from(self.px[y * self.width + x]);
        let top = v(x0, y0) + (v(x1, y0) - v(x0, y0)) * fx;
        let bottom = v(x0, y1) + (v(x1, y1) - v(x0, y1)) * fx;
        Some(top + (bottom - top) * fy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolates_between_pixel_centres() {
        let g = Grey {
            width: 2,
            height: 1,
            px: &[0, 100],
        };
        assert_eq!(g.at(Point::new(0.5, 0.5)), Some(0.0));
        assert_eq!(g.at(Point::new(1.0, 0.5)), Some(50.0));
        assert_eq!(g.at(Point::new(1.5, 0.5)), Some(100.0));
        assert_eq!(g.at(Point::new(2.5, 0.5)), None);
        assert_eq!(g.at(Point::new(-1.0, 0.5)), None);
    }
}
