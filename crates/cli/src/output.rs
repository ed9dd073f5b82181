//! How a verdict is printed: one JSON object per label, or a few lines for people.

use labelcheck_core::audit::Audit;
use labelcheck_core::{Verdict, VerdictKind};
use serde_json::{json, Value};
use std::path::Path;

pub fn verdict_json(input: &str, qr_text: Option<&str>, v: &Verdict) -> Value {
    let mut obj = json!({
        "input": input,
        "verdict": v.kind.as_str(),
        "reasons": v.reasons.iter().map(|r| json!({ "code": r.code(), "message": r.to_string() })).collect::<Vec<_>>(),
    });
    if let Some(t) = qr_text {
        obj["qr_text"] = Value::String(t.to_owned());
    }
    if let Some(c) = &v.claim {
        obj["label"] = serde_json::to_value(c).unwrap_or(Value::Null);
    }
    if let Some(p) = &v.programme {
        obj["programme"] = serde_json::to_value(p).unwrap_or(Value::Null);
    }
    if let Some(a) = &v.authority {
        obj["authority"] = serde_json::to_value(a).unwrap_or(Value::Null);
    }
    if let Some(r) = &v.report {
        obj["report"] = serde_json::to_value(r).unwrap_or(Value::Null);
    }
    obj
}

/// A verdict with no label behind it, such as an image in which no code was found.
pub fn problem_json(input: &str, code: &str, message: &str) -> Value {
    json!({
        "input": input,
        "verdict": VerdictKind::CannotCheck.as_str(),
        "reasons": [{ "code": code, "message": message }],
    })
}

fn headline(kind: VerdictKind) -> &'static str {
    match kind {
        VerdictKind::Genuine => "GENUINE",
        VerdictKind::GenuineOffline => "GENUINE (verified offline, report not checked)",
        VerdictKind::NotGenuine => "NOT GENUINE",
        VerdictKind::Revoked => "REVOKED",
        VerdictKind::Expired => "EXPIRED",
        VerdictKind::UnknownAuthority => "UNKNOWN AUTHORITY",
        VerdictKind::NotALabel => "NOT A LABEL",
        VerdictKind::CannotCheck => "CANNOT CHECK",
    }
}

/// Text shown inert: control characters escaped, long text cut.
fn inert(s: &str) -> String {
    let shown: String = s.chars().take(200).flat_map(char::escape_debug).collect();
    if s.chars().count() > 200 {
        format!("{shown}…")
    } else {
        shown
    }
}

pub fn verdict_text(input: &str, qr_text: Option<&str>, v: &Verdict) -> String {
    let mut out = format!("{}: {}\n", inert(input), headline(v.kind));
    if let Some(c) = &v.claim {
        let max = v.programme.as_ref().map_or(c.level, |p| p.max_level);
        let stars: String = (0..max.max(c.level))
            .map(|i| if i < c.level { '★' } else { '☆' })
            .collect();
        let name = v.programme.as_ref().map_or("", |p| p.name.en.as_str());
        out.push_str(&format!(
            "  {stars} level {} of {max}, {name} (compare with the printed label)\n",
            c.level
        ));
        out.push_str(&format!(
            "  maker {}, model {}, serial {}\n",
            c.maker, c.model, c.serial
        ));
        out.push_str(&format!("  valid {} to {}\n", c.valid_from, c.valid_until));
    }
    if v.kind == VerdictKind::NotALabel {
        if let Some(t) = qr_text {
            out.push_str(&format!("  code text (not opened): {}\n", inert(t)));
        }
    }
    for r in &v.reasons {
        out.push_str(&format!("  - {r}\n"));
    }
    out
}

fn item_name(audit: &Audit, n: u32) -> String {
    match audit.item(n) {
        Some(i) if i.source != "text" => format!("item {n} ({})", inert(&i.source)),
        _ => format!("item {n}"),
    }
}

/// Said under a label whose serial was already seen in this batch.
pub fn clone_line(audit: &Audit, earlier: &[u32]) -> String {
    let items: Vec<String> = earlier.iter().map(|&n| item_name(audit, n)).collect();
    format!(
        "  ! CLONED LABEL? The same serial is on {}: one label, more than one product.",
        items.join(", ")
    )
}

/// The end of a batch: counts by verdict, serials on more than one item, the report file.
pub fn summary_text(audit: &Audit, photos: usize, report: Option<&Path>) -> String {
    let s = audit.summary();
    let labels = audit.items.iter().filter(|i| !i.text.is_empty()).count();
    let mut out = format!("\nSummary: {labels} label(s)");
    if photos > 0 {
        out.push_str(&format!(" from {photos} photo(s)"));
    }
    out.push('\n');
    let counts: Vec<String> = VerdictKind::ALL
        .iter()
        .filter_map(|k| s.by_verdict.get(k.as_str()).map(|n| format!("{n} {k}")))
        .collect();
    out.push_str(&format!("  {}\n", counts.join(", ")));
    for g in &s.clones {
        let items: Vec<String> = g.items.iter().map(|&n| item_name(audit, n)).collect();
        out.push_str(&format!(
            "  CLONED: serial {} of {} on {}\n",
            inert(&g.serial),
            inert(&g.authority),
            items.join(", ")
        ));
    }
    if s.clones.is_empty() {
        out.push_str("  No serial was seen on more than one item.\n");
    }
    if let Some(p) = report {
        out.push_str(&format!("  Report written to {}\n", p.display()));
    }
    out
}
