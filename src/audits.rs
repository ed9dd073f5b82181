//! Audits kept on the device (IndexedDB), one record per audit, and which one is open.

use crate::i18n::{t, Lang, Msg};
use crate::platform::{idb, storage};
use labelcheck_core::audit::Audit;
use yew::prelude::*;

const OPEN_KEY: &str = "labelcheck.audit.open";

/// What went wrong with the device's storage: said in plain words, the browser's own words
/// kept for the details.
#[derive(Clone, Debug, PartialEq)]
pub enum StoreProblem {
    /// The storage refused (full, blocked, private mode): the browser's detail.
    Refused(String),
    /// This many records could not be read (a later version's, or damaged); kept as they are.
    Unreadable(usize),
}

/// The saved audits, newest first, and how many records could not be read (kept, not
/// deleted: a later version may read them).
pub async fn load() -> Result<(Vec<Audit>, usize), StoreProblem> {
    let records = idb::all(idb::AUDITS).await.map_err(StoreProblem::Refused)?;
    let total = records.len();
    let mut audits: Vec<Audit> = records
        .iter()
        .filter_map(|r| Audit::from_json(r.as_bytes()).ok())
        .collect();
    let unreadable = total - audits.len();
    audits.sort_by_key(|a| std::cmp::Reverse(a.started_at));
    Ok((audits, unreadable))
}

pub async fn save(audit: &Audit) -> Result<(), StoreProblem> {
    let json = serde_json::to_string(audit).map_err(|e| StoreProblem::Refused(e.to_string()))?;
    idb::put(idb::AUDITS, &audit.id, &json)
        .await
        .map_err(StoreProblem::Refused)
}

pub async fn delete(id: &str) -> Result<(), StoreProblem> {
    idb::delete(idb::AUDITS, id).await.map_err(StoreProblem::Refused)
}

/// The audit to reopen after a reload.
pub fn open_id() -> Option<String> {
    storage::get(OPEN_KEY).filter(|s| !s.is_empty())
}

pub fn set_open(id: Option<&str>) {
    storage::set(OPEN_KEY, id.unwrap_or(""));
}

/// A storage problem as the page says it: `plain` first, the browser's words under details.
pub fn problem_view(lang: Lang, problem: &StoreProblem, plain: Msg) -> Html {
    match problem {
        StoreProblem::Unreadable(_) => html! {
            <p class="audit-save-error" role="alert">{ t(lang, Msg::UnreadableRecords) }</p>
        },
        StoreProblem::Refused(detail) => html! {
            <div class="audit-save-error" role="alert">
                <p>{ t(lang, plain) }</p>
                <details><summary>{ t(lang, Msg::Details) }</summary><p>{ t(lang, Msg::ReportFailed) }{ " " }<code>{ detail }</code></p></details>
            </div>
        },
    }
}
