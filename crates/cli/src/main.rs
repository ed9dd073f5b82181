//! `labelcheck`: issue and verify device security labels.
//!
//! `main` → `run` → exit code: 0 success (for `verify`: every label genuine), 1 a label was
//! not genuine or could not be checked (for `issue`: a row could not be issued), 2 the command
//! itself failed (the message says why; `help.rs` says the same in `--help`). What is said is
//! worded in the user's language.

#![forbid(unsafe_code)]

mod args;
mod batch;
mod cmd_completions;
mod cmd_decode;
mod cmd_demo;
mod cmd_issue;
mod cmd_keygen;
mod cmd_keys;
mod cmd_lists;
mod cmd_man;
mod cmd_print;
mod cmd_qr;
mod cmd_revoke;
mod cmd_setup;
mod cmd_trust;
mod cmd_verify;
mod config;
mod demo_cases;
mod error;
mod fetch;
mod files;
mod help;
mod images;
mod lang;
mod output;
mod progress;
mod report;
mod sources;
mod stdout;
mod token;

use clap::Parser;
use labelcheck_words::Lang;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = args::Args::parse();
    // An unknown --lang is said in the locale's language.
    let (lang, result) = match lang::resolve(args.lang.as_deref()) {
        Ok(lang) => (lang, run(args, lang)),
        Err(e) => (lang::resolve(None).unwrap_or(Lang::EN), Err(e)),
    };
    match result {
        Ok(code) => code,
        Err(error::CliError::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            for line in e.lines(lang) {
                eprintln!("labelcheck: {line}");
            }
            ExitCode::from(2)
        }
    }
}

fn run(args: args::Args, lang: Lang) -> Result<ExitCode, error::CliError> {
    use args::Command;
    match args.command {
        Command::Keygen(a) => cmd_keygen::run(a, lang),
        Command::Keys(a) => cmd_keys::run(a, lang),
        Command::Revoke(a) => cmd_revoke::run(a, lang),
        Command::Trust(a) => cmd_trust::run(a, lang),
        Command::Setup(a) => cmd_setup::run(a, lang),
        Command::Issue(a) => cmd_issue::run(a, lang),
        Command::Verify(a) => cmd_verify::run(a, lang),
        Command::Lists(a) => cmd_lists::run(a, lang),
        Command::Decode(a) => cmd_decode::run(a, lang),
        Command::Demo(a) => cmd_demo::run(a, lang),
        Command::Qr(a) => cmd_qr::run(a),
        Command::Print(a) => cmd_print::run(a, lang),
        Command::Completions(a) => cmd_completions::run(a),
        Command::Man(a) => cmd_man::run(a, lang),
    }
}
