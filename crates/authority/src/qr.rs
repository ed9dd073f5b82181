//! QR encoding of label texts: error correction M, the smallest version that holds the text,
//! with the encoder's optimal split into byte and numeric segments.

use crate::error::{Error, Result};
use qrcode::{Color, EcLevel, QrCode, Version};

pub struct Qr {
    /// Modules per side, without the quiet zone.
    pub width: usize,
    /// Row-major, `true` for a dark module.
    pub dark: Vec<bool>,
    pub version: i16,
}

/// The error-correction level every label is printed at: 15 % of the code may be lost.
pub const EC_LEVEL_NAME: &str = "M";
/// The most bytes a QR code holds at level M (version 40, byte mode).
pub const MAX_BYTES: usize = 2331;

fn too_long(text: &str) -> Error {
    Error::QrTooLong {
        bytes: text.len(),
        max: MAX_BYTES,
    }
}

pub fn encode(text: &str) -> Result<Qr> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| too_long(text))?;
    let version = match code.version() {
        Version::Normal(v) | Version::Micro(v) => v,
    };
    Ok(Qr {
        width: code.width(),
        dark: code.to_colors().into_iter().map(|c| c == Color::Dark).collect(),
        version,
    })
}

/// The version `text` needs at error correction M, without drawing the code: cheap.
pub fn version(text: &str) -> Result<i16> {
    let bits = qrcode::bits::encode_auto(text.as_bytes(), EcLevel::M).map_err(|_| too_long(text))?;
    Ok(match bits.version() {
        Version::Normal(v) | Version::Micro(v) => v,
    })
}

/// Modules per side of a code of `version`.
pub fn width_of(version: i16) -> usize {
    17 + 4 * version.max(1) as usize
}

impl Qr {
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn too_much_text_is_refused_with_the_limit() {
        assert_eq!(
            encode("https://verify.example/#1").unwrap().width,
            width_of(version("https://verify.example/#1").unwrap())
        );
        let long = "x".repeat(MAX_BYTES + 1);
        assert!(matches!(encode(&long), Err(Error::QrTooLong { bytes, max: MAX_BYTES }) if bytes == MAX_BYTES + 1));
        assert!(encode(&"x".repeat(MAX_BYTES)).is_ok());
    }
}
