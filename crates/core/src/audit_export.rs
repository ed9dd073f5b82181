//! An audit as the files an inspector attaches to a report: CSV for a spreadsheet, JSON for a
//! program. The app's export and `labelcheck verify --report` write the same columns. Each
//! item's reason is worded by the caller (`reason`), in the language the exporter chose.

use crate::audit::{Audit, AuditItem};
use serde_json::json;
use std::collections::BTreeMap;

pub const CSV_COLUMNS: [&str; 19] = [
    "item",
    "checked_at",
    "source",
    "verdict",
    "reason_code",
    "reason",
    "authority",
    "serial",
    "maker",
    "model",
    "level",
    "max_level",
    "clone_of",
    "expected",
    "expected_mismatch",
    "note",
    "gtins",
    // The audit's name (a shipment, a shelf): on every row, so that rows pasted into one
    // sheet from several audits keep it.
    "audit",
    "qr_text",
];

/// One CSV field. Text from a label or a note could start a spreadsheet formula
/// (`=HYPERLINK(…)`): such fields get a leading apostrophe so they stay text.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn numbers(ns: &[u32]) -> String {
    ns.iter().map(u32::to_string).collect::<Vec<_>>().join(" ")
}

/// How an item's reason is worded: the wording layer's, in the exporter's language.
pub type Wording<'a> = &'a dyn Fn(&AuditItem) -> String;

fn row(audit: &Audit, earlier: &BTreeMap<u32, Vec<u32>>, i: &AuditItem, reason: Wording<'_>) -> Vec<String> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let num = |o: Option<u8>| o.map(|n| n.to_string()).unwrap_or_default();
    vec![
        i.n.to_string(),
        i.checked_at.to_string(),
        i.source.to_string(),
        i.verdict.as_str().to_owned(),
        i.reason_code.clone(),
        reason(i),
        opt(&i.authority),
        opt(&i.serial),
        opt(&i.maker),
        opt(&i.model),
        num(i.level),
        num(i.max_level),
        numbers(earlier.get(&i.n).map_or(&[][..], Vec::as_slice)),
        i.expected.clone(),
        if i.expected_mismatch() { "yes" } else { "" }.to_owned(),
        i.note.clone(),
        i.gtins.join(" "),
        audit.name.clone(),
        i.text.clone(),
    ]
}

/// RFC 4180 CSV with a header row, CRLF line ends, UTF-8 with a byte-order mark so that
/// spreadsheet programs read Chinese names correctly.
pub fn to_csv(audit: &Audit, reason: Wording<'_>) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    let earlier = audit.earlier_clones();
    for item in &audit.items {
        let fields: Vec<String> = row(audit, &earlier, item, reason).iter().map(|f| field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The audit with its summary, pretty-printed.
pub fn to_json(audit: &Audit, reason: Wording<'_>) -> String {
    let earlier = audit.earlier_clones();
    let items: Vec<serde_json::Value> = audit
        .items
        .iter()
        .map(|i| {
            let mut v = serde_json::to_value(i).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("reason".into(), json!(reason(i)));
                o.insert("clone_of".into(), json!(earlier.get(&i.n).cloned().unwrap_or_default()));
                o.insert("expected_mismatch".into(), json!(i.expected_mismatch()));
            }
            v
        })
        .collect();
    let doc = json!({
        "format": audit.format,
        "id": audit.id,
        "name": audit.name,
        "started_at": audit.started_at,
        "summary": audit.summary(),
        "items": items,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
