//! `labelcheck man`: manual pages from the same definitions as `--help` (options, value lists,
//! examples, exit codes): `labelcheck.1` printed, or with `--out` one page per command written.

use crate::args::{Args, ManArgs};
use crate::error::{fail, path as shown, said, Result};
use clap::CommandFactory;
use labelcheck_authority::error::{Action, Error};
use labelcheck_words::Lang;
use std::path::Path;
use std::process::ExitCode;

/// A page's title names the program and its version, on every page (`labelcheck 0.1.0`).
fn man(cmd: clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(cmd).source(concat!("labelcheck ", env!("CARGO_PKG_VERSION")))
}

fn page(cmd: clap::Command) -> Result<Vec<u8>> {
    let mut roff = Vec::new();
    man(cmd)
        .render(&mut roff)
        .map_err(|e| fail(said("output").text("detail", e)))?;
    Ok(roff)
}

/// The command and every subcommand below it, each with its full name (`labelcheck-verify`).
fn pages(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
        pages(sub, out)?;
    }
    out.push((man(cmd.clone()).get_filename(), page(cmd)?));
    Ok(())
}

pub fn run(a: ManArgs, lang: Lang) -> Result<ExitCode> {
    let mut cmd = Args::command().disable_help_subcommand(true);
    cmd.build();
    let Some(dir) = a.out else {
        crate::stdout::print(String::from_utf8_lossy(&page(cmd)?))?;
        return Ok(ExitCode::SUCCESS);
    };
    let mut written = Vec::new();
    pages(cmd, &mut written)?;
    if dir.exists() && !dir.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder");
        return Err(Error::io(&dir, Action::Write, &e).into());
    }
    for (name, roff) in &written {
        labelcheck_authority::durable::replace(&dir.join(name), roff)?;
    }
    let m = said("man.written")
        .text("n", written.len())
        .arg("dir", shown(Path::new(&dir)));
    crate::stdout::line(labelcheck_words::message(lang, &m))?;
    Ok(ExitCode::SUCCESS)
}
