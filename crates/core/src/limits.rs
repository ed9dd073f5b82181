//! Size limits for every input. Anything larger is refused before it is parsed.

/// A QR code holds at most 7,089 digits; no label needs more than this many characters.
pub const MAX_QR_TEXT: usize = 4096;
/// The COSE_Sign1 claim carried in a label.
pub const MAX_CLAIM_BYTES: usize = 1024;
/// A signed report file (JWS, flattened JSON serialization).
pub const MAX_REPORT_BYTES: usize = 256 * 1024;
/// A signed key list file.
pub const MAX_KEY_LIST_BYTES: usize = 64 * 1024;
/// A signed revocation list file.
pub const MAX_REVOCATION_LIST_BYTES: usize = 1024 * 1024;
/// A signed status list partition: a million labels' bits, compressed, however they fall.
pub const MAX_STATUS_LIST_BYTES: usize = 256 * 1024;
/// A trust anchor file shipped with a verifier.
pub const MAX_TRUST_FILE_BYTES: usize = 64 * 1024;

pub const MAX_AUTHORITY_LEN: usize = 16;
pub const MAX_KID_LEN: usize = 8;
pub const MAX_SERIAL_LEN: usize = 32;
/// Maker and model, in UTF-8 bytes (a Chinese character takes three).
pub const MAX_NAME_BYTES: usize = 64;
pub const MAX_GTINS: usize = 2;
pub const MAX_LOCATION_LEN: usize = 128;
pub const MAX_LEVEL: u8 = 5;
pub const MAX_PROGRAMME_ID: u32 = 65_535;
