//! Audits kept on the device (IndexedDB), one record per audit, and which one is open.

use crate::platform::{idb, storage};
use labelcheck_core::audit::Audit;

const OPEN_KEY: &str = "labelcheck.audit.open";

/// The saved audits, newest first, and how many records could not be read (kept, not
/// deleted: a later version may read them).
pub async fn load() -> Result<(Vec<Audit>, usize), String> {
    let records = idb::all(idb::AUDITS).await?;
    let total = records.len();
    let mut audits: Vec<Audit> = records
        .iter()
        .filter_map(|r| Audit::from_json(r.as_bytes()).ok())
        .collect();
    let unreadable = total - audits.len();
    audits.sort_by_key(|a| std::cmp::Reverse(a.started_at));
    Ok((audits, unreadable))
}

pub async fn save(audit: &Audit) -> Result<(), String> {
    let json = serde_json::to_string(audit).map_err(|e| e.to_string())?;
    idb::put(idb::AUDITS, &audit.id, &json).await
}

pub async fn delete(id: &str) -> Result<(), String> {
    idb::delete(idb::AUDITS, id).await
}

/// The audit to reopen after a reload.
pub fn open_id() -> Option<String> {
    storage::get(OPEN_KEY).filter(|s| !s.is_empty())
}

pub fn set_open(id: Option<&str>) {
    storage::set(OPEN_KEY, id.unwrap_or(""));
}
