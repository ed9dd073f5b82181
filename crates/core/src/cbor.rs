//! The subset of CBOR (RFC 8949) that COSE_Sign1 label claims use.
//!
//! Hand-written rather than a general library so that hostile input has hard bounds: definite
//! lengths only, nesting at most [`MAX_DEPTH`], no length larger than the bytes that remain,
//! no duplicate map keys, and no floats or undefined simple values.

use std::fmt;

pub const MAX_DEPTH: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Uint(u64),
    /// The negative integer `-1 - n`.
    Nint(u64),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Value>),
    Map(Vec<(Value, Value)>),
    Tag(u64, Box<Value>),
    Bool(bool),
    Null,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CborError {
    Truncated,
    TrailingBytes,
    TooDeep,
    Indefinite,
    Unsupported,
    InvalidUtf8,
    DuplicateKey,
}

impl CborError {
    pub const ALL: [CborError; 7] = [
        CborError::Truncated,
        CborError::TrailingBytes,
        CborError::TooDeep,
        CborError::Indefinite,
        CborError::Unsupported,
        CborError::InvalidUtf8,
        CborError::DuplicateKey,
    ];

    /// A stable name, for codes and wording keys.
    pub fn name(self) -> &'static str {
        match self {
            CborError::Truncated => "truncated",
            CborError::TrailingBytes => "trailing-bytes",
            CborError::TooDeep => "too-deep",
            CborError::Indefinite => "indefinite",
            CborError::Unsupported => "unsupported",
            CborError::InvalidUtf8 => "invalid-utf8",
            CborError::DuplicateKey => "duplicate-key",
        }
    }
}

impl fmt::Display for CborError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cbor {}", self.name())
    }
}

impl std::error::Error for CborError {}

pub fn decode(bytes: &[u8]) -> Result<Value, CborError> {
    let mut r = Reader { bytes, pos: 0 };
    let v = r.value(0)?;
    if r.pos != bytes.len() {
        return Err(CborError::TrailingBytes);
    }
    Ok(v)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], CborError> {
        let end = self.pos.checked_add(n).ok_or(CborError::Truncated)?;
        let s = self.bytes.get(self.pos..end).ok_or(CborError::Truncated)?;
        self.pos = end;
        Ok(s)
    }

    fn argument(&mut self, info: u8) -> Result<u64, CborError> {
        let n = match info {
            0..=23 => return Ok(u64::from(info)),
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            31 => return Err(CborError::Indefinite),
            _ => return Err(CborError::Unsupported),
        };
        Ok(self.take(n)?.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    /// A length is only believed if that many bytes (or items, each at least one byte) remain.
    fn length(&mut self, info: u8) -> Result<usize, CborError> {
        let n = self.argument(info)?;
        let remaining = (self.bytes.len() - self.pos) as u64;
        if n > remaining {
            return Err(CborError::Truncated);
        }
        usize::try_from(n).map_err(|_| CborError::Truncated)
    }

    fn value(&mut self, depth: usize) -> Result<Value, CborError> {
        if depth > MAX_DEPTH {
            return Err(CborError::TooDeep);
        }
        let initial = *self.take(1)?.first().ok_or(CborError::Truncated)?;
        let (major, info) = (initial >> 5, initial & 0x1f);
        Ok(match major {
            0 => Value::Uint(self.argument(info)?),
            1 => Value::Nint(self.argument(info)?),
            2 => {
                let n = self.length(info)?;
                Value::Bytes(self.take(n)?.to_vec())
            }
            3 => {
                let n = self.length(info)?;
                let s = std::str::from_utf8(self.take(n)?).map_err(|_| CborError::InvalidUtf8)?;
                Value::Text(s.to_owned())
            }
            4 => {
                let n = self.length(info)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Value::Array(items)
            }
            5 => {
                let n = self.length(info)?;
                let mut entries: Vec<(Value, Value)> = Vec::with_capacity(n);
                for _ in 0..n {
                    let k = self.value(depth + 1)?;
                    if entries.iter().any(|(existing, _)| *existing == k) {
                        return Err(CborError::DuplicateKey);
                    }
                    let v = self.value(depth + 1)?;
                    entries.push((k, v));
                }
                Value::Map(entries)
            }
            6 => {
                let tag = self.argument(info)?;
                Value::Tag(tag, Box::new(self.value(depth + 1)?))
            }
            _ => match info {
                20 => Value::Bool(false),
                21 => Value::Bool(true),
                22 => Value::Null,
                31 => return Err(CborError::Indefinite),
                _ => return Err(CborError::Unsupported),
            },
        })
    }
}

fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n <= 0xff {
        out.extend_from_slice(&[m | 24, n as u8]);
    } else if n <= 0xffff {
        out.push(m | 25);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else if n <= 0xffff_ffff {
        out.push(m | 26);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

/// Encodes with the shortest heads (RFC 8949 preferred serialization), keys in the given order.
pub fn encode(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(v, &mut out);
    out
}

fn encode_into(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Uint(n) => head(out, 0, *n),
        Value::Nint(n) => head(out, 1, *n),
        Value::Bytes(b) => {
            head(out, 2, b.len() as u64);
            out.extend_from_slice(b);
        }
        Value::Text(s) => {
            head(out, 3, s.len() as u64);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            head(out, 4, items.len() as u64);
            for i in items {
                encode_into(i, out);
            }
        }
        Value::Map(entries) => {
            head(out, 5, entries.len() as u64);
            for (k, v) in entries {
                encode_into(k, out);
                encode_into(v, out);
            }
        }
        Value::Tag(t, inner) => {
            head(out, 6, *t);
            encode_into(inner, out);
        }
        Value::Bool(false) => out.push(0xf4),
        Value::Bool(true) => out.push(0xf5),
        Value::Null => out.push(0xf6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let v = Value::Tag(
            18,
            Box::new(Value::Array(vec![
                Value::Bytes(vec![1, 2, 3]),
                Value::Map(vec![(Value::Uint(1), Value::Nint(7))]),
                Value::Text("水".into()),
                Value::Uint(70_000),
                Value::Uint(u64::MAX),
                Value::Bool(true),
                Value::Null,
            ])),
        );
        assert_eq!(decode(&encode(&v)).unwrap(), v);
    }

    #[test]
    fn known_encodings() {
        assert_eq!(encode(&Value::Nint(7)), vec![0x27]); // -8, the EdDSA algorithm id
        assert_eq!(encode(&Value::Uint(500)), vec![0x19, 0x01, 0xf4]);
    }

    #[test]
    fn refuses_hostile_input() {
        assert_eq!(decode(&[0x5f]), Err(CborError::Indefinite));
        assert_eq!(
            decode(&[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            Err(CborError::Truncated)
        );
        assert_eq!(
            decode(&[0x9b, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
            Err(CborError::Truncated)
        );
        assert_eq!(decode(&[0x01, 0x02]), Err(CborError::TrailingBytes));
        assert_eq!(decode(&[0xa2, 0x01, 0x01, 0x01, 0x02]), Err(CborError::DuplicateKey));
        assert_eq!(decode(&[0xfb, 0, 0, 0, 0, 0, 0, 0, 0]), Err(CborError::Unsupported));
        assert_eq!(decode(&[0x62, 0xff, 0xfe]), Err(CborError::InvalidUtf8));
        assert_eq!(decode(&[0x81; 64]), Err(CborError::TooDeep));
        assert_eq!(decode(&[]), Err(CborError::Truncated));
    }
}
