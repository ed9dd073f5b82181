//! What the browser provides: clock, address, storage, fetching, camera, frames, the decoder
//! worker, its Shift-JIS text and the service worker.

pub mod camera;
pub mod clock;
pub mod confirm;
pub mod download;
pub mod feedback;
pub mod frames;
pub mod idb;
pub mod location;
pub mod net;
pub mod offline;
pub mod perf;
pub mod scan_worker;
pub mod shift_jis;
pub mod storage;
