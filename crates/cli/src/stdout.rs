//! Results go to standard output through here: `println!` panics when the reader has gone
//! (`labelcheck verify … | head`), a write error here ends the command quietly instead.

use crate::error::{fail, said, CliError, Result};
use std::fmt::Display;
use std::io::{ErrorKind, Write};

pub fn print(text: impl Display) -> Result<()> {
    let mut out = std::io::stdout().lock();
    write!(out, "{text}")
        .and_then(|_| out.flush())
        .map_err(|e| match e.kind() {
            ErrorKind::BrokenPipe => CliError::OutputClosed,
            _ => fail(said("output").text("detail", e)),
        })
}

pub fn line(text: impl Display) -> Result<()> {
    print(format_args!("{text}\n"))
}
