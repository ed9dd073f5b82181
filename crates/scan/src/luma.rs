//! Greyscale frames, the only input the decoder takes.

/// A borrowed 8-bit greyscale image, row-major, `width * height` bytes.
#[derive(Clone, Copy, Debug)]
pub struct Luma<'a> {
    pub width: usize,
    pub height: usize,
    pub pixels: &'a [u8],
}

/// Converts RGBA (as a canvas gives it) to luma with integer BT.601 weights, into `out`
/// (resized as needed, so a caller can reuse one buffer across frames).
pub fn rgba_to_luma(rgba: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend(
        rgba.chunks_exact(4)
            .map(|p| ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8) as u8),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts() {
        let mut out = Vec::new();
        rgba_to_luma(&[255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255], &mut out);
        assert_eq!(out, vec![255, 0, 77]);
    }
}
