//! The one error type of the command: a sentence for the user, worded here and not in the core.

use std::fmt;
use std::path::Path;

#[derive(Debug)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CliError {}

pub fn err(msg: impl Into<String>) -> CliError {
    CliError(msg.into())
}

/// "cannot read FILE: why" and similar, for any displayable cause.
pub fn at(path: &Path, what: &str, e: impl fmt::Display) -> CliError {
    CliError(format!("cannot {what} {}: {e}", path.display()))
}

pub type Result<T> = std::result::Result<T, CliError>;
