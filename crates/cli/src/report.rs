//! `labelcheck verify --report FILE`: the batch as an audit file, CSV or JSON by its name.

use crate::error::{fail, path as shown, said, Result};
use labelcheck_core::audit::Audit;
use labelcheck_core::audit_export::{to_csv, to_json, Wording};
use std::path::Path;

#[derive(Clone, Copy)]
pub enum Kind {
    Csv,
    Json,
}

/// What `--report` will write, checked before any label is: its kind by its name, and a folder
/// that exists (a mistyped folder is said, not made).
pub fn check(path: &Path) -> Result<Kind> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let kind = match ext.as_deref() {
        Some("csv") => Kind::Csv,
        Some("json") => Kind::Json,
        _ => return Err(fail(said("report-kind").arg("path", shown(path)))),
    };
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(fail(
            said("report-folder")
                .arg("path", shown(path))
                .arg("folder", shown(folder)),
        ));
    }
    if path.is_dir() {
        return Err(fail(said("report-kind").arg("path", shown(path))));
    }
    Ok(kind)
}

pub fn write(path: &Path, kind: Kind, audit: &Audit, reason: Wording<'_>) -> Result<()> {
    let text = match kind {
        Kind::Csv => to_csv(audit, reason),
        Kind::Json => to_json(audit, reason),
    };
    // Written whole and durably: an interrupted run never leaves half a report in place of an
    // earlier one.
    Ok(labelcheck_authority::durable::replace(path, text.as_bytes())?)
}
