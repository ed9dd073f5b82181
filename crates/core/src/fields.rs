//! Rules for the identifier and text fields shared by claims, reports and lists.

use crate::label_url::{is_loopback_host, split_origin};
use crate::limits::{MAX_AUTHORITY_LEN, MAX_KID_LEN, MAX_LOCATION_LEN, MAX_NAME_BYTES, MAX_SERIAL_LEN};

fn ascii_id(s: &str, max: usize, extra: &[u8]) -> bool {
    !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
}

/// Authority ids: 1–16 of `A-Z a-z 0-9 -`.
pub fn authority_ok(s: &str) -> bool {
    ascii_id(s, MAX_AUTHORITY_LEN, b"-")
}

/// Key ids: 1–8 of `A-Z a-z 0-9 - _`.
pub fn kid_ok(s: &str) -> bool {
    ascii_id(s, MAX_KID_LEN, b"-_")
}

/// Serials: 1–32 of `A-Z a-z 0-9 - _ . /`.
pub fn serial_ok(s: &str) -> bool {
    ascii_id(s, MAX_SERIAL_LEN, b"-_./")
}

/// Maker and model: 1–64 UTF-8 bytes, no control characters, no surrounding spaces.
pub fn name_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_NAME_BYTES
        && s.trim() == s
        && !s.chars().any(|c| c.is_control() || is_bidi_control(c))
}

/// Bidirectional overrides can make text display differently from what was signed.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// GTINs: 8, 12, 13 or 14 digits with a correct GS1 check digit.
pub fn gtin_ok(s: &str) -> bool {
    let b = s.as_bytes();
    if ![8, 12, 13, 14].contains(&b.len()) || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (body, check) = b.split_at(b.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    (10 - sum % 10) % 10 == u32::from(check[0] - b'0')
}

/// Report locations: `https://` URLs (plain http only on loopback), at most 128 characters,
/// printable ASCII without spaces.
pub fn location_ok(s: &str) -> bool {
    if s.len() > MAX_LOCATION_LEN || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return false;
    }
    match split_origin(s) {
        Some((origin, _)) => {
            origin.starts_with("https://") || origin.strip_prefix("http://").is_some_and(is_loopback_host)
        }
        None => false,
    }
}

/// The `host[:port]` of a URL accepted by [`location_ok`].
pub fn host_of(url: &str) -> Option<String> {
    let (origin, _) = split_origin(url)?;
    let host = origin.split_once("://")?.1;
    Some(host.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtins() {
        assert!(gtin_ok("4006381333931"));
        assert!(gtin_ok("96385074"));
        assert!(!gtin_ok("4006381333932"));
        assert!(!gtin_ok("400638133393"));
    }

    #[test]
    fn names() {
        assert!(name_ok("华为技术有限公司"));
        assert!(!name_ok(" Acme"));
        assert!(!name_ok("Ac\u{202e}me"));
        assert!(!name_ok(""));
    }

    #[test]
    fn locations() {
        assert!(location_ok("https://reports.example/r/1.jws"));
        assert!(location_ok("http://127.0.0.1:8080/demo/r.jws"));
        assert!(!location_ok("http://reports.example/r/1.jws"));
        assert!(!location_ok("https://reports.example/a b"));
        assert_eq!(
            host_of("https://Reports.Example:8443/x").as_deref(),
            Some("reports.example:8443")
        );
    }
}
