//! Shift-JIS text through the browser's own decoder (the Encoding Standard's), so the
//! decoder worker need not carry the conversion tables.

/// The text of Shift-JIS bytes; `None` where the browser has no decoder for it.
pub fn decode(bytes: &[u8]) -> Option<String> {
    web_sys::TextDecoder::new_with_label("shift_jis")
        .ok()?
        .decode_with_u8_array(bytes)
        .ok()
}
