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

/// Longest list URL a trust file may give (absolute or relative).
const MAX_LIST_URL_LEN: usize = 256;

/// A trust file's list URL: an https URL (plain http only on loopback), or a reference
/// relative to the trust file's own location, such as `demo/keys.jws`, so that a verifier and
/// the lists it ships can be moved to any origin together. At most 256 printable ASCII
/// characters; no `..` segments.
pub fn list_url_ok(s: &str) -> bool {
    if s.is_empty() || s.len() > MAX_LIST_URL_LEN || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return false;
    }
    if s.split(['/', '?', '#']).any(|seg| seg == "..") {
        return false;
    }
    match split_origin(s) {
        Some((origin, _)) => {
            origin.starts_with("https://") || origin.strip_prefix("http://").is_some_and(is_loopback_host)
        }
        // A relative reference: no scheme (no ':' before the first '/'), not protocol-relative.
        None => !s.starts_with("//") && s.split('/').next().is_none_or(|first| !first.contains(':')),
    }
}

/// `reference` resolved against `base` (the URL or file path of the file that holds it), for
/// the references [`list_url_ok`] accepts: an absolute URL is returned as it is; against a
/// URL, a path starting with `/` replaces the base's path and any other its last segment;
/// against a file path, it is taken from the base's folder.
pub fn resolve_url(base: &str, reference: &str) -> String {
    if split_origin(reference).is_some() {
        return reference.to_owned();
    }
    let Some((origin, path)) = split_origin(base) else {
        return match base.rfind('/') {
            Some(i) if !reference.starts_with('/') => format!("{}{reference}", &base[..=i]),
            _ => reference.to_owned(),
        };
    };
    if reference.starts_with('/') {
        return format!("{origin}{reference}");
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "/",
    };
    format!("{origin}{dir}{reference}")
}

/// A key list's report host: a lower-case DNS name or IPv4 address, or a bracketed IPv6
/// address, with an optional port (FORMAT.md §5), as [`host_of`] gives it for a URL.
pub fn report_host_ok(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, after)) if ip.parse::<std::net::Ipv6Addr>().is_ok() => match after {
                "" => return true,
                p => (ip, p.strip_prefix(':')),
            },
            _ => return false,
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    let port_ok = port.is_none_or(|p| {
        !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n > 0)
    });
    let host_ok = s.starts_with('[')
        || (!host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            }));
    port_ok && host_ok
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
    fn list_urls() {
        for ok in [
            "https://lists.example/demo/keys.jws",
            "http://127.0.0.1:8080/demo/keys.jws",
            "demo/keys.jws",
            "/lists/DEMO.keys.jws",
            "keys.jws?v=2",
        ] {
            assert!(list_url_ok(ok), "{ok}");
        }
        for bad in [
            "",
            "http://lists.example/keys.jws",
            "//evil.example/keys.jws",
            "javascript:alert(1)",
            "demo/../../keys.jws",
            "demo keys.jws",
        ] {
            assert!(!list_url_ok(bad), "{bad}");
        }
        assert_eq!(
            resolve_url("http://127.0.0.1:9000/app/trust.json", "demo/keys.jws"),
            "http://127.0.0.1:9000/app/demo/keys.jws"
        );
        assert_eq!(
            resolve_url("https://v.example/trust.json?x=1", "/lists/k.jws"),
            "https://v.example/lists/k.jws"
        );
        assert_eq!(resolve_url("https://v.example", "k.jws"), "https://v.example/k.jws");
        assert_eq!(
            resolve_url("https://v.example/", "https://other.example/k.jws"),
            "https://other.example/k.jws"
        );
        assert_eq!(
            resolve_url("public/trust.json", "demo/keys.jws"),
            "public/demo/keys.jws"
        );
        assert_eq!(resolve_url("trust.json", "demo/keys.jws"), "demo/keys.jws");
    }

    #[test]
    fn report_hosts() {
        for ok in [
            "reports.example",
            "reports.example:8443",
            "127.0.0.1:8080",
            "[::1]",
            "[::1]:80",
            "a-b.c9",
        ] {
            assert!(report_host_ok(ok), "{ok}");
        }
        for bad in [
            "Reports.Example",
            "",
            "reports.example:",
            "reports.example:0",
            "reports.example:65536",
            "https://reports.example",
            "reports.example/x",
            "-a.example",
            "a..example",
            "[::1",
            "[nope]:80",
            "user@host",
        ] {
            assert!(!report_host_ok(bad), "{bad}");
        }
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
