//! The device clock, read once per verification and passed to the core.

use labelcheck_core::Timestamp;

pub fn now() -> Timestamp {
    Timestamp((js_sys::Date::now() / 1000.0) as i64)
}
