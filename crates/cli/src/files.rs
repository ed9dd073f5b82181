//! The clock, and bounded reads of the files a command is given.

use labelcheck_core::Timestamp;

pub use labelcheck_authority::durable::read_limited;

pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Timestamp(secs)
}
