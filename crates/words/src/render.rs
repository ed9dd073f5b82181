//! Filling a sentence's `{arguments}`, and checking a table against the reference.

use crate::{lookup, Lang, Language, Plural};
use labelcheck_core::Arg;
use std::collections::{BTreeSet, HashMap};

/// The sentence for `key` with its arguments filled. A sentence with a count may come in
/// forms (`key.one`, `key.other`), chosen by the language's plural rule. A key no table has
/// is shown as the key itself: a gap in a table must never hide a verdict.
pub fn render(lang: Lang, key: &str, args: &[(String, Arg)]) -> String {
    let count = args.iter().find_map(|(_, a)| match a {
        Arg::Count(n) => Some(*n),
        _ => None,
    });
    let template = lookup(lang, key).or_else(|| {
        let form = match (lang.language().plural)(count?) {
            Plural::One => "one",
            Plural::Other => "other",
        };
        lookup(lang, &format!("{key}.{form}"))
    });
    let Some(template) = template else {
        return key.to_owned();
    };
    fill(lang, template, args)
}

fn fill(lang: Lang, template: &str, args: &[(String, Arg)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| n == name) {
                    Some((_, arg)) => out.push_str(&value(lang, arg)),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn value(lang: Lang, arg: &Arg) -> String {
    let language = lang.language();
    match arg {
        Arg::Text(t) => t.clone(),
        Arg::Date(d) => d.to_string(),
        Arg::Count(n) => n.to_string(),
        Arg::Word(key) => lookup(lang, key).unwrap_or(key).to_owned(),
        Arg::Words(keys) => keys
            .iter()
            .map(|k| lookup(lang, k).unwrap_or(k))
            .collect::<Vec<_>>()
            .join(language.list_separator),
        Arg::Quote(t) => format!("{}{t}{}", language.quotes.0, language.quotes.1),
        Arg::Message(m) => render(lang, &m.key, &m.args),
    }
}

/// The `{arguments}` a sentence uses.
pub fn placeholders(template: &str) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        found.insert(&after[..close]);
        rest = &after[close + 1..];
    }
    found
}

pub fn problems(language: &Language, reference: &Language) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for (key, text) in language.entries() {
        if seen.insert(*key, *text).is_some() {
            out.push(format!("{}: {key} is given twice", language.code));
        }
        if text.trim().is_empty() {
            out.push(format!("{}: {key} is empty", language.code));
        }
    }
    let reference_keys: HashMap<&str, &str> = reference.entries().copied().collect();
    for (key, text) in &reference_keys {
        match seen.get(key) {
            None => out.push(format!("{}: {key} is missing", language.code)),
            Some(own) if placeholders(own) != placeholders(text) => out.push(format!(
                "{}: {key} has the arguments {:?}, English {:?}",
                language.code,
                placeholders(own),
                placeholders(text)
            )),
            Some(_) => {}
        }
    }
    for key in seen.keys() {
        if !reference_keys.contains_key(key) {
            out.push(format!("{}: {key} is not an English key", language.code));
        }
    }
    out.sort();
    out
}
