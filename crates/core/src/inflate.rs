//! Inflating a zlib stream (RFC 1950 around RFC 1951 DEFLATE): how a status list's bits and
//! its single revocations are carried (FORMAT.md §6).
//!
//! Small on purpose, after Mark Adler's `puff`: a phone downloads this before its first
//! verdict, and a general-purpose inflater was 10 KB of that download. Codes are decoded a bit
//! at a time, which is slower than a table but fast enough: a partition (128 KiB at most) is
//! inflated once, and its long runs are copied whole. Strict: the stream must be complete, its
//! check value right, and nothing may follow it; the output may not grow past the caller's
//! limit.

/// The stream is not zlib, is damaged, or inflates to more than allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InflateError;

type Result<T> = std::result::Result<T, InflateError>;

/// Inflates the zlib stream `input` to at most `max` bytes.
pub fn zlib(input: &[u8], max: usize) -> Result<Vec<u8>> {
    let (&cmf, rest) = input.split_first().ok_or(InflateError)?;
    let (&flg, _) = rest.split_first().ok_or(InflateError)?;
    // Deflate, a window of at most 32 KiB, a header check that holds, no preset dictionary.
    if cmf & 0x0f != 8 || cmf >> 4 > 7 || (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 || flg & 0x20 != 0 {
        return Err(InflateError);
    }
    let mut s = State {
        bits: Bits {
            input,
            pos: 2,
            buf: 0,
            count: 0,
        },
        out: Vec::new(),
        max,
    };
    loop {
        let last = s.bits.take(1)?;
        match s.bits.take(2)? {
            0 => s.stored()?,
            1 => s.codes(&Huffman::new(&fixed_lengths(), true)?, &Huffman::new(&[5; 30], true)?)?,
            2 => s.dynamic()?,
            _ => return Err(InflateError),
        }
        if last == 1 {
            break;
        }
    }
    // The check value starts at the next whole byte, and ends the input.
    let pos = s.bits.pos;
    let check = input.get(pos..pos + 4).ok_or(InflateError)?;
    if pos + 4 != input.len() || u32::from_be_bytes([check[0], check[1], check[2], check[3]]) != adler32(&s.out) {
        return Err(InflateError);
    }
    Ok(s.out)
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that cannot overflow `b` before it is reduced.
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    b << 16 | a
}

/// The input's bits, least significant first, as DEFLATE packs them.
struct Bits<'a> {
    input: &'a [u8],
    /// The next byte not yet in `buf`.
    pos: usize,
    buf: u32,
    /// Bits in `buf`: always fewer than 8 between calls.
    count: u32,
}

impl Bits<'_> {
    /// The next `n` bits (at most 16) as a number, the first in the lowest place.
    fn take(&mut self, n: u32) -> Result<u32> {
        while self.count < n {
            let byte = *self.input.get(self.pos).ok_or(InflateError)?;
            self.pos += 1;
            self.buf |= u32::from(byte) << self.count;
            self.count += 8;
        }
        let value = self.buf & ((1 << n) - 1);
        self.buf >>= n;
        self.count -= n;
        Ok(value)
    }

    /// Drops the rest of the current byte.
    fn align(&mut self) {
        self.buf = 0;
        self.count = 0;
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
    count: [u16; 16],
    symbol: Vec<u16>,
}

impl Huffman {
    /// The code with these code lengths (0: the symbol is not used). A code with more codes
    /// than its lengths allow is refused; a code with fewer too, unless it is `fixed` (the
    /// fixed distance code has 30 of its 32) or it has a single code (RFC 1951 allows that).
    fn new(lengths: &[u8], fixed: bool) -> Result<Huffman> {
        let mut count = [0u16; 16];
        for &l in lengths {
            count[usize::from(l)] += 1;
        }
        let used = lengths.len() - usize::from(count[0]);
        let mut left: i32 = 1;
        for &c in &count[1..] {
            left = left * 2 - i32::from(c);
            if left < 0 {
                return Err(InflateError);
            }
        }
        // As zlib: besides the fixed code, only a single code of one bit, or none at all (a
        // block of literals only needs no distances), may leave codes unused.
        if left > 0 && !fixed && used != 0 && !(used == 1 && count[1] == 1) {
            return Err(InflateError);
        }
        let mut offset = [0u16; 16];
        for len in 1..15 {
            offset[len + 1] = offset[len] + count[len];
        }
        let mut symbol = vec![0u16; used];
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                let at = &mut offset[usize::from(l)];
                symbol[usize::from(*at)] = sym as u16;
                *at += 1;
            }
        }
        Ok(Huffman { count, symbol })
    }

    fn decode(&self, bits: &mut Bits<'_>) -> Result<u16> {
        // `code` is the bits read so far; `first` the first code of this length; `index`
        // where this length's symbols start.
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for &count in &self.count[1..] {
            code |= bits.take(1)? as i32;
            let count = i32::from(count);
            if code - first < count {
                return self
                    .symbol
                    .get((index + code - first) as usize)
                    .copied()
                    .ok_or(InflateError);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(InflateError)
    }
}

const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/// The order in which a dynamic block gives the code lengths' code lengths.
const ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

fn fixed_lengths() -> [u8; 288] {
    let mut l = [8u8; 288];
    l[144..256].fill(9);
    l[256..280].fill(7);
    l
}

struct State<'a> {
    bits: Bits<'a>,
    out: Vec<u8>,
    max: usize,
}

impl State<'_> {
    fn push(&mut self, byte: u8) -> Result<()> {
        if self.out.len() >= self.max {
            return Err(InflateError);
        }
        self.out.push(byte);
        Ok(())
    }

    fn stored(&mut self) -> Result<()> {
        self.bits.align();
        let pos = self.bits.pos;
        let head = self.bits.input.get(pos..pos + 4).ok_or(InflateError)?;
        let len = u16::from_le_bytes([head[0], head[1]]);
        if u16::from_le_bytes([head[2], head[3]]) != !len {
            return Err(InflateError);
        }
        let start = pos + 4;
        let data = self
            .bits
            .input
            .get(start..start + usize::from(len))
            .ok_or(InflateError)?;
        if self.out.len() + data.len() > self.max {
            return Err(InflateError);
        }
        self.out.extend_from_slice(data);
        self.bits.pos = start + usize::from(len);
        Ok(())
    }

    fn dynamic(&mut self) -> Result<()> {
        let nlen = self.bits.take(5)? as usize + 257;
        let ndist = self.bits.take(5)? as usize + 1;
        let ncode = self.bits.take(4)? as usize + 4;
        if nlen > 286 || ndist > 30 {
            return Err(InflateError);
        }
        let mut lengths = [0u8; 19];
        for &at in &ORDER[..ncode] {
            lengths[at] = self.bits.take(3)? as u8;
        }
        let code = Huffman::new(&lengths, false)?;
        if code.symbol.len() == 1 {
            // The one code the rule above lets through is for literals and distances only.
            return Err(InflateError);
        }
        let mut lengths = [0u8; 286 + 30];
        let mut n = 0;
        while n < nlen + ndist {
            let sym = code.decode(&mut self.bits)?;
            let (value, repeat) = match sym {
                0..=15 => (sym as u8, 1),
                16 => {
                    let previous = *lengths[..n].last().ok_or(InflateError)?;
                    (previous, 3 + self.bits.take(2)? as usize)
                }
                17 => (0, 3 + self.bits.take(3)? as usize),
                _ => (0, 11 + self.bits.take(7)? as usize),
            };
            let run = lengths.get_mut(n..n + repeat).filter(|_| n + repeat <= nlen + ndist);
            run.ok_or(InflateError)?.fill(value);
            n += repeat;
        }
        // A block without an end-of-block code could never end.
        if lengths[256] == 0 {
            return Err(InflateError);
        }
        let lencode = Huffman::new(&lengths[..nlen], false)?;
        let distcode = Huffman::new(&lengths[nlen..nlen + ndist], false)?;
        self.codes(&lencode, &distcode)
    }

    fn codes(&mut self, lencode: &Huffman, distcode: &Huffman) -> Result<()> {
        loop {
            let sym = usize::from(lencode.decode(&mut self.bits)?);
            if sym < 256 {
                self.push(sym as u8)?;
                continue;
            }
            if sym == 256 {
                return Ok(());
            }
            let at = sym - 257;
            let (&base, &extra) = LENGTH_BASE.get(at).zip(LENGTH_EXTRA.get(at)).ok_or(InflateError)?;
            let len = usize::from(base) + self.bits.take(u32::from(extra))? as usize;
            let at = usize::from(distcode.decode(&mut self.bits)?);
            let (&base, &extra) = DIST_BASE.get(at).zip(DIST_EXTRA.get(at)).ok_or(InflateError)?;
            let dist = usize::from(base) + self.bits.take(u32::from(extra))? as usize;
            if dist > self.out.len() || self.out.len() + len > self.max {
                return Err(InflateError);
            }
            // The copy may overlap what it writes (a run of zeros is one byte copied 258
            // times): what lies from `start` on repeats every `dist` bytes, so each copy can
            // take all that is written from `start` so far, a whole number of repeats, and
            // the run is written in a few copies instead of byte by byte.
            let start = self.out.len() - dist;
            let mut left = len;
            while left > 0 {
                let chunk = left.min(self.out.len() - start);
                self.out.extend_from_within(start..start + chunk);
                left -= chunk;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{zlib, InflateError};
    use miniz_oxide::deflate::compress_to_vec_zlib;
    use miniz_oxide::inflate::decompress_to_vec_zlib_with_limit;

    /// Deterministic bytes: `runs` picks how repetitive (0: noise).
    fn sample(len: usize, seed: u64, runs: u64) -> Vec<u8> {
        let mut x = seed | 1;
        let mut out = Vec::with_capacity(len);
        while out.len() < len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let byte = (x >> 24) as u8;
            let repeat = if runs == 0 { 1 } else { (x % runs) as usize + 1 };
            for _ in 0..repeat.min(len - out.len()) {
                out.push(if runs > 8 { byte & 0x81 } else { byte });
            }
        }
        out
    }

    #[test]
    fn inflates_what_a_deflater_writes_at_every_level() {
        for (len, runs) in [
            (0, 0),
            (1, 0),
            (300, 0),
            (70_000, 0),
            (5_000, 3),
            (65_536, 40),
            (200_000, 400),
        ] {
            let data = sample(len, len as u64 + runs, runs);
            for level in [0, 1, 6, 9, 10] {
                let z = compress_to_vec_zlib(&data, level);
                assert_eq!(
                    zlib(&z, data.len()).as_deref(),
                    Ok(&data[..]),
                    "{len} bytes at level {level}"
                );
                if !data.is_empty() {
                    assert_eq!(zlib(&z, data.len() - 1), Err(InflateError), "one byte over the limit");
                }
            }
        }
    }

    #[test]
    fn inflates_streams_of_another_writer() {
        // Python's zlib.compress: of b"hello" and of b"a" * 100 at level 9 (fixed codes), and
        // of bytes((i * i * 7 + i // 3) % 23 + 97 for i in range(400)) at level 9 (a dynamic
        // block).
        let hello = [
            0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15,
        ];
        assert_eq!(zlib(&hello, 5).as_deref(), Ok(&b"hello"[..]));
        let a100 = [0x78, 0xda, 0x4b, 0x4c, 0xa4, 0x3d, 0x00, 0x00, 0x7a, 0x47, 0x25, 0xe5];
        assert_eq!(zlib(&a100, 100), Ok(vec![b'a'; 100]));
        let dynamic = [
            0x78, 0xda, 0xed, 0xcc, 0xc1, 0x11, 0xc0, 0x20, 0x08, 0x00, 0xb0, 0x59, 0xa9, 0xa2, 0x70, 0x0a, 0xe2, 0xa1,
            0xb0, 0x7e, 0x97, 0xe8, 0xb3, 0x19, 0x20, 0x40, 0xcd, 0xc3, 0x1e, 0x50, 0xd7, 0x84, 0x75, 0x76, 0xc5, 0x5b,
            0x41, 0x16, 0x99, 0x96, 0x0e, 0xcc, 0x51, 0x82, 0x28, 0x11, 0xa6, 0xe0, 0xe4, 0x93, 0x96, 0x31, 0x94, 0xb7,
            0xf5, 0xd1, 0xcc, 0xba, 0xb0, 0x5f, 0xf1, 0x8d, 0x1d, 0xfe, 0xe4, 0xab, 0xe4, 0x05, 0x15, 0x49, 0xa8, 0xb6,
        ];
        let expected: Vec<u8> = (0u32..400).map(|i| ((i * i * 7 + i / 3) % 23 + 97) as u8).collect();
        assert_eq!(zlib(&dynamic, 400), Ok(expected));
    }

    #[test]
    fn refuses_damaged_streams_and_agrees_with_a_general_inflater() {
        let data = sample(1_000, 7, 5);
        for level in [0, 1, 9] {
            let z = compress_to_vec_zlib(&data, level);
            for cut in 0..z.len() {
                assert_eq!(
                    zlib(&z[..cut], 10_000),
                    Err(InflateError),
                    "cut at {cut}, level {level}"
                );
            }
            let mut longer = z.clone();
            longer.push(0);
            assert_eq!(zlib(&longer, 10_000), Err(InflateError), "something after the stream");
            // Every bit flipped: never a panic, and the same outcome as a general inflater's.
            for at in 0..z.len() * 8 {
                let mut bad = z.clone();
                bad[at / 8] ^= 1 << (at % 8);
                let general = decompress_to_vec_zlib_with_limit(&bad, 10_000).map_err(|_| InflateError);
                assert_eq!(zlib(&bad, 10_000), general, "bit {at} flipped, level {level}");
            }
        }
        for seed in 0..2_000 {
            let mut noise = sample(64, seed, 0);
            noise[0] = 0x78;
            noise[1] = 0x9c;
            let general = decompress_to_vec_zlib_with_limit(&noise, 10_000).map_err(|_| InflateError);
            assert_eq!(zlib(&noise, 10_000), general, "noise {seed}");
        }
        assert_eq!(
            zlib(&[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x02], 10),
            Err(InflateError),
            "wrong check value"
        );
        assert_eq!(zlib(&[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01], 10), Ok(vec![]));
        assert_eq!(
            zlib(&[0x78, 0xbb, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01], 10),
            Err(InflateError),
            "a preset dictionary"
        );
        assert_eq!(
            zlib(&[0x79, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01], 10),
            Err(InflateError),
            "not deflate"
        );
    }
}
