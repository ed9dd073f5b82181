//! `labelcheck completions SHELL`: the shell's completion script, from the same definitions as
//! `--help`, so that it never falls behind the options.

use crate::args::{Args, CompletionsArgs};
use crate::error::Result;
use clap::CommandFactory;
use std::process::ExitCode;

pub fn run(a: CompletionsArgs) -> Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut Args::command(), "labelcheck", &mut script);
    crate::stdout::print(String::from_utf8_lossy(&script))?;
    Ok(ExitCode::SUCCESS)
}
