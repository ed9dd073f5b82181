//! Bytes as decimal digits, so that a QR code can carry them in numeric mode
//! (10 bits per 3 digits, about 1.2% larger than the bytes themselves).
//!
//! Every 7 bytes, read as a big-endian integer, become exactly 17 digits (zero-padded);
//! a final group of k < 7 bytes becomes exactly `DIGITS[k]` digits.

use std::fmt;

/// `DIGITS[k]` = number of decimal digits that hold any k-byte integer = ceil(8k·log10 2).
pub const DIGITS: [usize; 8] = [0, 3, 5, 8, 10, 13, 15, 17];
const GROUP: usize = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumericError {
    NotDigits,
    BadLength,
    OutOfRange,
}

impl NumericError {
    pub fn name(self) -> &'static str {
        match self {
            NumericError::NotDigits => "not-digits",
            NumericError::BadLength => "bad-length",
            NumericError::OutOfRange => "out-of-range",
        }
    }
}

impl fmt::Display for NumericError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "digits {}", self.name())
    }
}

impl std::error::Error for NumericError {}

pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 17 / 7 + 17);
    for chunk in bytes.chunks(GROUP) {
        let n = chunk.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        out.push_str(&format!("{:0width$}", n, width = DIGITS[chunk.len()]));
    }
    out
}

pub fn decode(digits: &str) -> Result<Vec<u8>, NumericError> {
    let d = digits.as_bytes();
    if !d.iter().all(u8::is_ascii_digit) {
        return Err(NumericError::NotDigits);
    }
    let full = d.len() / DIGITS[GROUP];
    let rest = d.len() % DIGITS[GROUP];
    let last_len = DIGITS.iter().position(|&n| n == rest).ok_or(NumericError::BadLength)?;
    let mut out = Vec::with_capacity(full * GROUP + last_len);
    for (i, group) in d.chunks(DIGITS[GROUP]).enumerate() {
        let nbytes = if i < full { GROUP } else { last_len };
        let n = group.iter().fold(0u64, |acc, c| acc * 10 + u64::from(c - b'0'));
        if n >> (8 * nbytes) != 0 {
            return Err(NumericError::OutOfRange);
        }
        out.extend_from_slice(&n.to_be_bytes()[8 - nbytes..]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 255) as u8).collect();
            assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
            let ones = vec![0xffu8; len];
            assert_eq!(decode(&encode(&ones)).unwrap(), ones);
        }
    }

    #[test]
    fn group_sizes() {
        assert_eq!(encode(&[0xff; 7]), "72057594037927935");
        assert_eq!(encode(&[0]), "000");
        assert_eq!(encode(&[1, 0]), "00256");
    }

    #[test]
    fn refuses_bad_digits() {
        assert_eq!(decode("12a"), Err(NumericError::NotDigits));
        assert_eq!(decode("1234"), Err(NumericError::BadLength));
        assert_eq!(decode("256"), Err(NumericError::OutOfRange));
        assert_eq!(decode("99999999999999999"), Err(NumericError::OutOfRange));
    }
}
