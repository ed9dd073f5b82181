//! What the QR standard fixes for each version: its size, where its alignment patterns lie,
//! and the error-correcting version blocks of versions 7 and up.

pub const MAX_VERSION: usize = 40;

/// Modules a side.
pub const fn dimension(version: usize) -> usize {
    17 + 4 * version
}

/// The version of a side length, if one has it.
pub fn version_of(dimension: usize) -> Option<usize> {
    (dimension >= 21 && (dimension - 17).is_multiple_of(4) && (dimension - 17) / 4 <= MAX_VERSION)
        .then(|| (dimension - 17) / 4)
}

/// The row and column positions of the alignment pattern centres (version 1 has none). The
/// positions in the corners where finder patterns are stand for those, as the standard lists
/// them.
pub fn alignment_positions(version: usize) -> Vec<usize> {
    if version < 2 {
        return Vec::new();
    }
    let count = version / 7 + 2;
    let last = dimension(version) - 7;
    // Spaced evenly from the last, by an even step; version 32 is the one exception.
    let step = if version == 32 {
        26
    } else {
        (4 * version + 4).div_ceil(2 * count - 2) * 2
    };
    let mut out: Vec<usize> = (0..count - 1).map(|i| last - i * step).collect();
    out.push(6);
    out.reverse();
    out
}

/// The 18-bit version block of a version (7 to 40): six bits, then a BCH(18,6) remainder.
fn version_block(version: usize) -> u32 {
    let data = (version as u32) << 12;
    let mut rem = data;
    for bit in (12..18).rev() {
        if rem & (1 << bit) != 0 {
            rem ^= 0x1f25 << (bit - 12);
        }
    }
    data | rem
}

/// The version a read block stands for, allowing the three wrong bits the code corrects.
pub fn decode_version_block(bits: u32) -> Option<(usize, u32)> {
    (7..=MAX_VERSION)
        .map(|v| (v, (version_block(v) ^ bits).count_ones()))
        .min_by_key(|&(_, errors)| errors)
        .filter(|&(_, errors)| errors <= 3)
}

/// Where bit `k` (0 = least significant) of the version block lies, in (x, y) modules: the
/// block above the bottom-left finder and its transpose beside the top-right one.
pub fn version_bit_positions(dimension: usize, k: usize) -> [(usize, usize); 2] {
    let (a, b) = (k / 3, dimension - 11 + k % 3);
    [(b, a), (a, b)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_positions_match_the_standard() {
        assert_eq!(alignment_positions(1), Vec::<usize>::new());
        assert_eq!(alignment_positions(2), vec![6, 18]);
        assert_eq!(alignment_positions(7), vec![6, 22, 38]);
        assert_eq!(alignment_positions(10), vec![6, 28, 50]);
        assert_eq!(alignment_positions(32), vec![6, 34, 60, 86, 112, 138]);
        assert_eq!(alignment_positions(36), vec![6, 24, 50, 76, 102, 128, 154]);
        assert_eq!(alignment_positions(40), vec![6, 30, 58, 86, 114, 142, 170]);
    }

    #[test]
    fn version_blocks_match_the_standard_and_correct_three_bits() {
        assert_eq!(version_block(7), 0x07c94);
        assert_eq!(version_block(40), 0x28c69);
        assert_eq!(decode_version_block(0x07c94), Some((7, 0)));
        assert_eq!(decode_version_block(0x07c94 ^ 0b1000_0000_0100_0001), Some((7, 3)));
        assert_eq!(version_of(57), Some(10));
        assert_eq!(version_of(58), None);
    }
}
