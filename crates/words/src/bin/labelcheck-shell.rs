//! Fills the words of the frame `index.html` paints before the app loads, from the same
//! tables the app uses, in every language: `labelcheck-shell DIR` (a built app, run by Trunk
//! after each build). In `DIR/index.html`, `{{shell:KEY}}` becomes the sentence for KEY in each
//! language (`<span lang=…>`), `{{shell:langs}}` the languages `boot.js` chooses from; to
//! `DIR/style.css` are added the rules that show only the page's language.

#![forbid(unsafe_code)]

use labelcheck_words::{lookup, Lang};
use std::path::Path;
use std::process::ExitCode;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `index.html` with its `{{shell:…}}` markers filled.
fn fill(html: &str) -> Result<String, String> {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    while let Some(start) = rest.find("{{shell:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "{{shell:".len()..];
        let end = after.find("}}").ok_or("a {{shell: marker is not closed")?;
        let key = &after[..end];
        if key == "langs" {
            let langs: Vec<String> = Lang::all()
                .map(|l| format!("{}:{}", l.code(), l.language().matches.join(":")))
                .collect();
            out.push_str(&langs.join(" "));
        } else {
            out.push_str("<span class=\"shell-words\">");
            for lang in Lang::all() {
                let text = lookup(lang, key).ok_or_else(|| format!("no sentence {key}"))?;
                out.push_str(&format!("<span lang=\"{}\">{}</span>", lang.code(), escape(text)));
            }
            out.push_str("</span>");
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// One rule per language: its words are hidden unless the page is in it.
fn rules() -> String {
    let mut css =
        String::from("\n/* The frame's words before the app loads: the page's language only (labelcheck-shell). */\n");
    for lang in Lang::all() {
        let code = lang.code();
        css.push_str(&format!(
            "html:not([lang=\"{code}\"]) .shell-words > [lang=\"{code}\"] {{ display: none; }}\n"
        ));
    }
    css
}

fn run(dir: &Path) -> Result<(), String> {
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    std::fs::write(&index, fill(&html)?).map_err(|e| format!("{}: {e}", index.display()))?;
    let style = dir.join("style.css");
    let mut css = std::fs::read_to_string(&style).map_err(|e| format!("{}: {e}", style.display()))?;
    if !css.contains("(labelcheck-shell)") {
        css.push_str(&rules());
        std::fs::write(&style, css).map_err(|e| format!("{}: {e}", style.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: labelcheck-shell DIR");
        return ExitCode::from(2);
    };
    match run(Path::new(&dir)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("labelcheck-shell: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_every_language_and_the_languages_list() {
        let filled = fill(r#"<html data-langs="{{shell:langs}}"><p>{{shell:app.checking}}</p>"#).unwrap_or_default();
        assert!(filled.contains(r#"data-langs="en:en zh-CN:zh""#), "{filled}");
        assert!(
            filled.contains(r#"<span lang="en">Checking the label…</span>"#),
            "{filled}"
        );
        assert!(
            filled.contains(r#"<span lang="zh-CN">正在验证标识…</span>"#),
            "{filled}"
        );
        assert!(fill("{{shell:no.such.key}}").is_err());
        assert!(fill("{{shell:app.checking").is_err());
    }

    #[test]
    fn the_frame_of_index_html_has_only_known_words() {
        let html = include_str!("../../../../index.html");
        let filled = fill(html).unwrap_or_default();
        assert!(!filled.contains("{{shell:"), "every marker is filled");
    }
}
