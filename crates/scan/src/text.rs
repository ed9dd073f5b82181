//! A code's payload bytes as text. QR byte segments carry no reliable charset: most codes
//! today hold UTF-8, Japanese ones often Shift-JIS (kanji segments always are), and the
//! standard's own default is ISO-8859-1. The decoder does not pass on ECI designators, so the
//! charset is judged from the bytes: UTF-8 when they are valid UTF-8 (other charsets rarely
//! are, beyond plain ASCII, which all three agree on); Shift-JIS when they are well formed
//! Shift-JIS and read as Japanese (two double-byte characters in a row, three half-width
//! katakana in a row, or C1 control codes under ISO-8859-1, which text never has);
//! ISO-8859-1 otherwise, which every byte string is.
//!
//! Judging needs no tables; turning Shift-JIS into text does. The command line uses
//! `encoding_rs` (feature `shift-jis`); the browser has its own decoder, so the web app's
//! worker does not carry the tables.

/// The charset a payload is read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    ShiftJis,
    Latin1,
}

/// What a code holds: its bytes, and the charset they are judged to be in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    pub bytes: Vec<u8>,
    pub charset: Charset,
}

impl Payload {
    pub fn new(bytes: Vec<u8>) -> Payload {
        let charset = charset_of(&bytes);
        Payload { bytes, charset }
    }

    /// The text, when no table is needed for it (UTF-8 and ISO-8859-1).
    pub fn plain_text(&self) -> Option<String> {
        match self.charset {
            Charset::Utf8 => String::from_utf8(self.bytes.clone()).ok(),
            Charset::Latin1 => Some(self.bytes.iter().map(|&b| char::from(b)).collect()),
            Charset::ShiftJis => None,
        }
    }

    /// The text, in whichever charset.
    #[cfg(feature = "shift-jis")]
    pub fn text(&self) -> String {
        self.plain_text().unwrap_or_else(|| {
            encoding_rs::SHIFT_JIS
                .decode_without_bom_handling(&self.bytes)
                .0
                .into_owned()
        })
    }
}

fn charset_of(bytes: &[u8]) -> Charset {
    if std::str::from_utf8(bytes).is_ok() {
        return Charset::Utf8;
    }
    match shift_jis_shape(bytes) {
        Some(pairs_in_a_row) if pairs_in_a_row || bytes.iter().any(|b| (0x80..0xa0).contains(b)) => Charset::ShiftJis,
        _ => Charset::Latin1,
    }
}

/// Whether the bytes are well formed Shift-JIS: single bytes (ASCII, half-width katakana) and
/// pairs of a lead byte (0x81–0x9F, 0xE0–0xFC) and a trail byte (0x40–0x7E, 0x80–0xFC). If
/// so, whether they read as Japanese: two pairs in a row, or three half-width katakana.
fn shift_jis_shape(bytes: &[u8]) -> Option<bool> {
    let (mut i, mut pairs, mut kana, mut japanese) = (0, 0, 0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, 0x81..=0x9f | 0xe0..=0xfc) {
            let t = *bytes.get(i + 1)?;
            if !matches!(t, 0x40..=0x7e | 0x80..=0xfc) {
                return None;
            }
            (pairs, kana) = (pairs + 1, 0);
            i += 2;
        } else if (0xa1..=0xdf).contains(&b) {
            (pairs, kana) = (0, kana + 1);
            i += 1;
        } else if b < 0x80 {
            (pairs, kana) = (0, 0);
            i += 1;
        } else {
            return None;
        }
        japanese |= pairs >= 2 || kana >= 3;
    }
    Some(japanese)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_are_judged_from_the_bytes() {
        let utf8 = Payload::new("https://example.com/ラベル".as_bytes().to_vec());
        assert_eq!(utf8.charset, Charset::Utf8);
        assert_eq!(utf8.plain_text().as_deref(), Some("https://example.com/ラベル"));
        // "QRコード" in Shift-JIS.
        let sjis = Payload::new(b"QR\x83\x52\x81\x5b\x83\x68".to_vec());
        assert_eq!(sjis.charset, Charset::ShiftJis);
        assert_eq!(sjis.plain_text(), None);
        // "ﾃﾞｻﾞｲﾝQR": half-width katakana only.
        assert_eq!(
            Payload::new(b"\xc3\xde\xbb\xde\xb2\xdd QR".to_vec()).charset,
            Charset::ShiftJis
        );
        // "café crème" and "résumés" in ISO-8859-1: not UTF-8, and not Japanese.
        for (bytes, text) in [(&b"caf\xe9 cr\xe8me"[..], "café crème"), (b"r\xe9sum\xe9s", "résumés")] {
            let p = Payload::new(bytes.to_vec());
            assert_eq!(p.charset, Charset::Latin1);
            assert_eq!(p.plain_text().as_deref(), Some(text));
        }
    }

    #[cfg(feature = "shift-jis")]
    #[test]
    fn shift_jis_reads_as_text() {
        assert_eq!(Payload::new(b"QR\x83\x52\x81\x5b\x83\x68".to_vec()).text(), "QRコード");
    }
}
