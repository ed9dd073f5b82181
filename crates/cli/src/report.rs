//! `labelcheck verify --report FILE`: the batch as an audit file, CSV or JSON by its name.

use crate::error::{fail, path as shown, said, Result};
use labelcheck_core::audit::Audit;
use labelcheck_core::audit_export::{to_csv, to_json, Wording};
use std::path::Path;

pub fn write(path: &Path, audit: &Audit, reason: Wording<'_>) -> Result<()> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let text = match ext.as_deref() {
        Some("csv") => to_csv(audit, reason),
        Some("json") => to_json(audit, reason),
        _ => return Err(fail(said("report-kind").arg("path", shown(path)))),
    };
    // Written whole and durably: an interrupted run never leaves half a report in place of an
    // earlier one.
    Ok(labelcheck_authority::durable::replace(path, text.as_bytes())?)
}
