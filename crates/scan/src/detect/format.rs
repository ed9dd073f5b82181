//! A cheap test before the decoder: do the sampled modules hold a readable format block? The
//! format information (error correction level and mask, 15 bits with a BCH code) is written
//! twice beside the finders; a triple of finders that is not a code, or a code sampled in
//! the wrong place, almost never yields a valid one. Testing it here spares the decoder's
//! much dearer error correction on every such triple.

use super::sample::Modules;

/// The 32 valid format blocks, masked as the standard writes them.
fn codewords() -> impl Iterator<Item = u32> {
    (0..32u32).map(|data| {
        let mut rem = data << 10;
        for bit in (10..15).rev() {
            if rem & (1 << bit) != 0 {
                rem ^= 0x537 << (bit - 10);
            }
        }
        ((data << 10) | rem) ^ 0x5412
    })
}

/// Whether the format block reads, as the code is or mirrored: both copies near one valid
/// block (at most six wrong bits between them), or one copy with at most one. Any 15 bits are
/// within three of some valid block more often than not, so one copy alone within three says
/// nothing.
pub fn readable(m: &Modules) -> bool {
    let n = m.dimension;
    [false, true].into_iter().any(|mirrored| {
        let dark = |x: usize, y: usize| {
            let (x, y) = if mirrored { (y, x) } else { (x, y) };
            m.dark[y * n + x]
        };
        let read = |cells: &mut dyn Iterator<Item = (usize, usize)>| {
            cells.fold(0u32, |bits, (x, y)| (bits << 1) | u32::from(dark(x, y)))
        };
        let first = read(
            &mut (0..6)
                .map(|x| (x, 8))
                .chain([(7, 8), (8, 8), (8, 7)])
                .chain((0..6).rev().map(|y| (8, y))),
        );
        let second = read(&mut (n - 7..n).rev().map(|y| (8, y)).chain((n - 8..n).map(|x| (x, 8))));
        codewords().any(|c| {
            let (a, b) = ((c ^ first).count_ones(), (c ^ second).count_ones());
            a + b <= 6 || a.min(b) <= 1
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_s_format_blocks() {
        let all: Vec<u32> = codewords().collect();
        assert_eq!(all[0], 0x5412);
        assert_eq!(all[1], 0x5125);
        assert_eq!(all[31], 0x2bed);
    }

    #[test]
    fn both_copies_of_a_real_code_read() {
        for text in [
            "labelcheck",
            "https://verify.example/#0123456789012345678901234567890123456789",
        ] {
            let code = qrcode::QrCode::new(text).unwrap();
            let n = code.width();
            let colors = code.to_colors();
            let mut m = Modules {
                dimension: n,
                dark: colors.iter().map(|c| *c == qrcode::Color::Dark).collect(),
            };
            assert!(readable(&m));
            // Mirrored, it still reads (the decoder tries both).
            m.dark = (0..n * n).map(|i| m.dark[(i % n) * n + i / n]).collect();
            assert!(readable(&m));
            // Damage one copy beyond repair: the other still reads alone only if it is exact.
            for x in 0..6 {
                m.dark[8 * n + x] ^= true;
                m.dark[x * n + 8] ^= true;
            }
            assert!(readable(&m));
        }
    }

    #[test]
    fn blank_modules_have_no_format() {
        let m = Modules {
            dimension: 21,
            dark: vec![false; 441],
        };
        assert!(!readable(&m));
    }
}
