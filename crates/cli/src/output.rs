//! How a verdict is printed: one JSON object per label, or a few lines for people, in the
//! language chosen (`--lang`). The words are the app's (`labelcheck-words`).

use labelcheck_core::audit::{Audit, Source};
use labelcheck_core::{Arg, Verdict, VerdictKind};
use labelcheck_words::{self as words, say, Lang, Msg};
use serde_json::{json, Value};
use std::path::Path;

pub fn verdict_json(lang: Lang, input: &str, qr_text: Option<&str>, v: &Verdict) -> Value {
    let mut obj = json!({
        "input": input,
        "verdict": v.kind().as_str(),
        "reasons": v.reasons().map(|r| json!({ "code": r.code(), "message": words::reason(lang, r) })).collect::<Vec<_>>(),
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

/// Text shown inert: control characters escaped, long text cut.
fn inert(s: &str) -> String {
    let shown: String = s.chars().take(200).flat_map(char::escape_debug).collect();
    if s.chars().count() > 200 {
        format!("{shown}…")
    } else {
        shown
    }
}

fn text(s: impl ToString) -> Arg {
    Arg::Text(s.to_string())
}

pub fn verdict_text(lang: Lang, input: &str, qr_text: Option<&str>, v: &Verdict) -> String {
    let mut out = format!(
        "{}: {}\n",
        inert(input),
        words::verdict_word(lang, v.kind()).to_uppercase()
    );
    if let Some(c) = &v.claim {
        let max = v.programme.as_ref().map_or(c.level, |p| p.max_level);
        let stars: String = (0..max.max(c.level))
            .map(|i| if i < c.level { '★' } else { '☆' })
            .collect();
        // Only a genuine label's stars are worth comparing with the print: on any other verdict
        // they are what the code claims, not what was certified.
        let genuine = matches!(v.kind(), VerdictKind::Genuine | VerdictKind::GenuineOffline);
        let key = if genuine { Msg::CliStarsCompare } else { Msg::CliStars };
        let name = v.programme.as_ref().map_or("", |p| words::name(lang, &p.name));
        let args = [
            ("stars", text(stars)),
            ("level", text(c.level)),
            ("max", text(max)),
            ("programme", text(name)),
        ];
        out.push_str(&format!("  {}\n", say(lang, key, &args)));
        let args = [
            ("maker", text(&c.maker)),
            ("model", text(&c.model)),
            ("serial", text(&c.serial)),
        ];
        out.push_str(&format!("  {}\n", say(lang, Msg::CliIdentity, &args)));
        let args = [("from", Arg::Date(c.valid_from)), ("until", Arg::Date(c.valid_until))];
        out.push_str(&format!("  {}\n", say(lang, Msg::CliValid, &args)));
    }
    if v.kind() == VerdictKind::NotALabel {
        if let Some(t) = qr_text {
            out.push_str(&format!(
                "  {}\n",
                say(lang, Msg::CliCodeText, &[("text", text(inert(t)))])
            ));
        }
    }
    for r in v.reasons() {
        out.push_str(&format!("  - {}\n", words::reason(lang, r)));
    }
    out
}

fn item_name(lang: Lang, audit: &Audit, n: u32) -> String {
    match audit.item(n) {
        Some(i) if matches!(i.source, Source::File(_)) => say(
            lang,
            Msg::CliItemFrom,
            &[("n", text(n)), ("source", text(inert(i.source.as_str())))],
        ),
        _ => say(lang, Msg::CliItem, &[("n", text(n))]),
    }
}

fn item_list(lang: Lang, audit: &Audit, items: &[u32]) -> String {
    items
        .iter()
        .map(|&n| item_name(lang, audit, n))
        .collect::<Vec<_>>()
        .join(lang.language().list_separator)
}

/// Said under a label whose serial was already seen in this batch.
pub fn clone_line(lang: Lang, audit: &Audit, earlier: &[u32]) -> String {
    format!(
        "  {}",
        say(lang, Msg::CliClone, &[("items", text(item_list(lang, audit, earlier)))])
    )
}

/// The end of a batch: counts by verdict (of items: a label, or a photo with none, so that
/// they add up to the first line's), serials on more than one item, the report file.
pub fn summary_text(lang: Lang, audit: &Audit, photos: usize, report: Option<&Path>) -> String {
    let s = audit.summary();
    let mut out = format!("\n{}", say(lang, Msg::CliSummary, &[("n", Arg::Count(s.items as u64))]));
    if photos > 0 {
        out.push(' ');
        out.push_str(&say(lang, Msg::CliSummaryPhotos, &[("n", Arg::Count(photos as u64))]));
    }
    out.push('\n');
    let counts: Vec<String> = VerdictKind::ALL
        .iter()
        .filter_map(|k| {
            let word = words::verdict_word(lang, *k).to_lowercase();
            s.by_verdict.get(k.as_str()).map(|n| format!("{n} {word}"))
        })
        .collect();
    out.push_str(&format!("  {}\n", counts.join(" · ")));
    for g in &s.clones {
        let args = [
            ("serial", text(inert(&g.serial))),
            ("authority", text(inert(&g.authority))),
            ("items", text(item_list(lang, audit, &g.items))),
        ];
        out.push_str(&format!("  {}\n", say(lang, Msg::CliCloned, &args)));
    }
    if s.clones.is_empty() {
        out.push_str(&format!("  {}\n", words::t(lang, Msg::CliNoClones)));
    }
    if let Some(p) = report {
        let args = [("path", text(p.display()))];
        out.push_str(&format!("  {}\n", say(lang, Msg::CliReportWritten, &args)));
    }
    out
}
