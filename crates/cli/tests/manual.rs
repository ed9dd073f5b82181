//! `labelcheck completions` and `labelcheck man` cover every subcommand and every option that
//! `--help` shows, with the value lists, examples and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{run, stdout};

/// The subcommands `labelcheck --help` lists (not `help`).
fn subcommands(dir: &std::path::Path) -> Vec<String> {
    let help = stdout(&run(&["--help"], dir));
    help.split("Commands:")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|c| c != "help")
        .collect()
}

/// The long options a subcommand's `--help` lists, `--help` itself aside.
fn options(dir: &std::path::Path, sub: &str) -> Vec<String> {
    stdout(&run(&[sub, "--help"], dir))
        .lines()
        .flat_map(|l| l.split([' ', ',', '=', '[', '<']))
        .filter(|w| w.starts_with("--") && w.len() > 2 && *w != "--help" && *w != "--version")
        .map(|w| w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).to_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn help_lists_values_examples_and_exit_codes_for_every_subcommand() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = subcommands(tmp.path());
    assert!(subs.len() >= 14, "{subs:?}");
    for sub in &subs {
        let help = stdout(&run(&[sub, "--help"], tmp.path()));
        assert!(help.contains("Examples:\n  labelcheck "), "{sub}: {help}");
        assert!(help.contains("Exit codes:\n  0  "), "{sub}: {help}");
        assert!(help.contains("[possible values: en, zh-CN]"), "{sub}: --lang");
    }
    // Short help lists the values, long help says what each means.
    let revoke = stdout(&run(&["revoke", "-h"], tmp.path()));
    assert!(
        revoke.contains("[possible values: withdrawn, surrendered, misuse, superseded]"),
        "{revoke}"
    );
    let revoke = stdout(&run(&["revoke", "--help"], tmp.path()));
    assert!(
        revoke.contains("- superseded:  Replaced by a new certification"),
        "{revoke}"
    );
    let print = stdout(&run(&["print", "-h"], tmp.path()));
    assert!(print.contains("[possible values: a4, letter]"), "{print}");
    let completions = stdout(&run(&["completions", "--help"], tmp.path()));
    assert!(
        completions.contains("bash") && completions.contains("powershell"),
        "{completions}"
    );
    let top = stdout(&run(&["--help"], tmp.path()));
    assert!(top.contains("Examples:") && top.contains("Exit codes:"), "{top}");
}

#[test]
fn completions_know_every_subcommand_and_option_in_every_shell() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = subcommands(tmp.path());
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell], tmp.path());
        assert!(out.status.success(), "{shell}");
        let script = stdout(&out);
        for sub in &subs {
            assert!(script.contains(sub.as_str()), "{shell}: {sub}");
            for opt in options(tmp.path(), sub) {
                // fish names options without their dashes (`-l report`).
                let bare = opt.trim_start_matches('-');
                assert!(
                    script.contains(&opt) || script.contains(&format!("-l {bare}")),
                    "{shell}: {sub} {opt}"
                );
            }
        }
        // Value lists complete too, where the shell's completions take them.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(script.contains("superseded") && script.contains("zh-CN"), "{shell}");
        }
    }
    let out = run(&["completions", "tcsh"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_manual_has_a_page_for_every_subcommand_with_its_options() {
    let tmp = tempfile::tempdir().unwrap();
    let printed = run(&["man"], tmp.path());
    assert!(printed.status.success());
    let main = stdout(&printed);
    assert!(main.contains(".TH labelcheck 1"), "{main}");
    assert!(main.contains("Exit codes:"));

    let out = run(&["--lang", "en", "man", "--out", "man"], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let subs = subcommands(tmp.path());
    assert!(
        stdout(&out).contains(&format!("{} manual pages written", subs.len() + 1)),
        "{}",
        stdout(&out)
    );
    for sub in &subs {
        let page = std::fs::read_to_string(tmp.path().join(format!("man/labelcheck-{sub}.1"))).unwrap();
        let version = env!("CARGO_PKG_VERSION");
        assert!(
            page.contains(&format!(".TH labelcheck-{sub} 1  \"labelcheck {version}\"")),
            "{sub}: {page}"
        );
        assert!(page.contains("Examples:") && page.contains("Exit codes:"), "{sub}");
        for opt in options(tmp.path(), sub) {
            // roff escapes each dash: --out is \-\-out.
            let roff = opt.replace('-', "\\-");
            assert!(page.contains(&roff), "{sub}: {opt}");
        }
    }
    assert_eq!(
        std::fs::read_dir(tmp.path().join("man")).unwrap().count(),
        subs.len() + 1
    );
    // A file where the folder should be is refused.
    std::fs::write(tmp.path().join("file"), "x").unwrap();
    let out = run(&["man", "--out", "file"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
}
