//! `labelcheck verify --report FILE`: the batch as an audit file, CSV or JSON by its name.

use crate::error::{at, err, Result};
use labelcheck_core::audit::Audit;
use labelcheck_core::audit_export::{to_csv, to_json, Wording};
use std::path::Path;

pub fn write(path: &Path, audit: &Audit, reason: Wording<'_>) -> Result<()> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let text = match ext.as_deref() {
        Some("csv") => to_csv(audit, reason),
        Some("json") => to_json(audit, reason),
        _ => return Err(err(format!("--report {}: name a .csv or .json file", path.display()))),
    };
    // Written beside the target and renamed, so an interrupted run never leaves half a report
    // in place of an earlier one.
    let tmp = path.with_extension(format!("{}.partial", ext.unwrap_or_default()));
    crate::files::write(&tmp, text.as_bytes())?;
    std::fs::rename(&tmp, path).map_err(|e| at(path, "write", e))
}
