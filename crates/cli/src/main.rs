//! `labelcheck`: issue and verify device security labels.
//!
//! `main` → `run` → exit code: 0 success (for `verify`: every label genuine), 1 a label was
//! not genuine or could not be checked, 2 the command itself failed.

#![forbid(unsafe_code)]

mod args;
mod artwork;
mod batch;
mod cmd_decode;
mod cmd_demo;
mod cmd_issue;
mod cmd_issue_batch;
mod cmd_keygen;
mod cmd_keys;
mod cmd_print;
mod cmd_qr;
mod cmd_revoke;
mod cmd_verify;
mod config;
mod demo_cases;
mod error;
mod fetch;
mod files;
mod images;
mod issue_rows;
mod lang;
mod output;
mod parallel;
mod pkcs11;
mod print_check;
mod print_layout;
mod print_render;
mod progress;
mod qr;
mod register;
mod report;
mod signing_key;
mod stdout;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = args::Args::parse();
    match run(args) {
        Ok(code) => code,
        Err(error::CliError::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("labelcheck: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: args::Args) -> Result<ExitCode, error::CliError> {
    use args::Command;
    let lang = lang::resolve(args.lang.as_deref())?;
    match args.command {
        Command::Keygen(a) => cmd_keygen::run(a),
        Command::Keys(a) => cmd_keys::run(a),
        Command::Revoke(a) => cmd_revoke::run(a),
        Command::Issue(a) => cmd_issue::run(a),
        Command::Verify(a) => cmd_verify::run(a, lang),
        Command::Decode(a) => cmd_decode::run(a, lang),
        Command::Demo(a) => cmd_demo::run(a),
        Command::Qr(a) => cmd_qr::run(a),
        Command::Print(a) => cmd_print::run(a),
    }
}
