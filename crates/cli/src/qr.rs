//! QR encoding of label texts: error correction M, the smallest version that holds the text,
//! with the encoder's optimal split into byte and numeric segments.

use crate::error::{err, Result};
use qrcode::{Color, EcLevel, QrCode, Version};

pub struct Qr {
    /// Modules per side, without the quiet zone.
    pub width: usize,
    /// Row-major, `true` for a dark module.
    pub dark: Vec<bool>,
    pub version: i16,
}

pub const EC_LEVEL_NAME: &str = "M";

pub fn encode(text: &str) -> Result<Qr> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| err(format!("the label text does not fit in a QR code: {e:?}")))?;
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
    let bits = qrcode::bits::encode_auto(text.as_bytes(), EcLevel::M)
        .map_err(|e| err(format!("the label text does not fit in a QR code: {e:?}")))?;
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
