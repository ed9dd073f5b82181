//! What the browser provides: the clock, the page location, and fetching files.

pub mod clock;
pub mod location;
pub mod net;
