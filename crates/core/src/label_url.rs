//! The text of a label's QR code: an `https://` link to the verifier whose fragment carries the
//! signed claim as digits (`#1` + digits), so that an ordinary camera app opens the verifier and
//! the claim never reaches a server.

use crate::limits::MAX_QR_TEXT;
use crate::numeric::{self, NumericError};
use std::fmt;

/// The first digit of the fragment: the version of this encoding.
pub const FRAGMENT_VERSION: char = '1';

/// A QR text that is shaped like a label link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelLink {
    /// `scheme://host[:port]` of the link, for display; trust never depends on it.
    pub origin: String,
    /// The COSE_Sign1 bytes carried in the fragment.
    pub claim: Vec<u8>,
}

/// Why a QR text is not a label at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotALabel {
    TooLong,
    NotALink,
    NoLabelData,
    InsecureLink,
}

/// A text that is shaped like a label link but whose label data cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DamagedLink {
    UnsupportedVersion,
    Digits(NumericError),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QrText {
    Label(LabelLink),
    Damaged(DamagedLink),
    NotALabel(NotALabel),
}

impl NotALabel {
    pub fn name(self) -> &'static str {
        match self {
            NotALabel::TooLong => "too-long",
            NotALabel::NotALink => "not-a-link",
            NotALabel::NoLabelData => "no-label-data",
            NotALabel::InsecureLink => "insecure-link",
        }
    }
}

impl fmt::Display for NotALabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not-a-label {}", self.name())
    }
}

impl fmt::Display for DamagedLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DamagedLink::UnsupportedVersion => f.write_str("damaged-label-data unsupported-version"),
            DamagedLink::Digits(e) => write!(f, "damaged-label-data {e}"),
        }
    }
}

/// Loopback hosts may use plain http, so that a verifier and its demo run on one machine.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((h, port)) if !h.ends_with(':') && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let name = name.to_ascii_lowercase();
    name == "localhost" || name == "[::1]" || name.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Splits `scheme://host...` into (origin, rest). Only http and https are links here.
pub fn split_origin(text: &str) -> Option<(String, &str)> {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let (scheme, rest) = if lower.starts_with("https://") {
        ("https", text.get(8..)?)
    } else if lower.starts_with("http://") {
        ("http", text.get(7..)?)
    } else {
        return None;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest.get(..end)?;
    if host.is_empty() || host.contains('@') || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    Some((format!("{scheme}://{}", host.to_ascii_lowercase()), rest.get(end..)?))
}

/// White space removed from both ends of a QR text before it is classified (FORMAT.md §2):
/// scanners and clipboards often add a line end, which no label link contains.
pub const TRIMMED: [char; 4] = [' ', '\t', '\n', '\r'];

pub fn classify(text: &str) -> QrText {
    if text.len() > MAX_QR_TEXT {
        return QrText::NotALabel(NotALabel::TooLong);
    }
    let text = text.trim_matches(TRIMMED);
    let Some((origin, rest)) = split_origin(text) else {
        return QrText::NotALabel(NotALabel::NotALink);
    };
    let Some((_, fragment)) = rest.split_once('#') else {
        return QrText::NotALabel(NotALabel::NoLabelData);
    };
    if fragment.is_empty() || !fragment.bytes().all(|b| b.is_ascii_digit()) {
        return QrText::NotALabel(NotALabel::NoLabelData);
    }
    if origin.starts_with("http://") && !is_loopback_host(&origin["http://".len()..]) {
        return QrText::NotALabel(NotALabel::InsecureLink);
    }
    let Some(digits) = fragment.strip_prefix(FRAGMENT_VERSION) else {
        return QrText::Damaged(DamagedLink::UnsupportedVersion);
    };
    match numeric::decode(digits) {
        Ok(claim) => QrText::Label(LabelLink { origin, claim }),
        Err(e) => QrText::Damaged(DamagedLink::Digits(e)),
    }
}

/// The QR text for a signed claim: `verifier` is the verifier's base URL (ending in `/`).
pub fn label_url(verifier: &str, cose_sign1: &[u8]) -> String {
    format!("{verifier}#{FRAGMENT_VERSION}{}", numeric::encode(cose_sign1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_label_link() {
        let url = label_url("https://verify.example/", &[1, 2, 3]);
        assert_eq!(url, "https://verify.example/#100066051");
        assert_eq!(
            classify(&url),
            QrText::Label(LabelLink {
                origin: "https://verify.example".into(),
                claim: vec![1, 2, 3]
            })
        );
        let upper = url.replace("https://verify.example", "HTTPS://VERIFY.EXAMPLE");
        assert!(matches!(classify(&upper), QrText::Label(_)));
    }

    #[test]
    fn other_codes_are_not_labels() {
        for t in [
            "hello",
            "WIFI:S:home;T:WPA;P:secret;;",
            "https://shop.example/pay?order=1",
            "https://shop.example/#section",
            "javascript:alert(1)//#1000",
            "https://user@evil.example/#1000",
            "",
        ] {
            assert!(matches!(classify(t), QrText::NotALabel(_)), "{t}");
        }
        assert_eq!(
            classify("http://evil.example/#1000"),
            QrText::NotALabel(NotALabel::InsecureLink)
        );
        assert!(matches!(classify("http://127.0.0.1:8080/#1000"), QrText::Label(_)));
        assert_eq!(
            classify(&"9".repeat(MAX_QR_TEXT + 1)),
            QrText::NotALabel(NotALabel::TooLong)
        );
    }

    #[test]
    fn white_space_at_the_ends_is_ignored_and_nowhere_else() {
        let url = label_url("https://verify.example/", &[1, 2, 3]);
        assert!(matches!(classify(&format!(" \t{url}\r\n")), QrText::Label(_)));
        // Other white space is part of the text: a label link never has it.
        assert!(!matches!(classify(&format!("\u{a0}{url}")), QrText::Label(_)));
        assert!(!matches!(classify(&url.replace("#1", "#1 ")), QrText::Label(_)));
    }

    #[test]
    fn damaged_links_are_told_apart() {
        assert_eq!(
            classify("https://verify.example/#2000"),
            QrText::Damaged(DamagedLink::UnsupportedVersion)
        );
        assert!(matches!(
            classify("https://verify.example/#11234"),
            QrText::Damaged(DamagedLink::Digits(_))
        ));
    }

    #[test]
    fn loopback() {
        assert!(is_loopback_host("127.0.0.1:8080"));
        assert!(is_loopback_host("localhost"));
        assert!(is_loopback_host("[::1]:80"));
        assert!(!is_loopback_host("127.example.com.evil"));
        assert!(!is_loopback_host("example.com"));
    }
}
