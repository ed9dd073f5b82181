//! The one error type of the command: a sentence for the user, worded here and not in the core.

use std::fmt;
use std::path::Path;

#[derive(Debug)]
pub enum CliError {
    Message(String),
    /// Standard output was closed by its reader (`labelcheck verify … | head`): nothing more
    /// can be said, and nothing went wrong.
    OutputClosed,
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Message(m) => f.write_str(m),
            CliError::OutputClosed => f.write_str("standard output was closed"),
        }
    }
}

impl std::error::Error for CliError {}

pub fn err(msg: impl Into<String>) -> CliError {
    CliError::Message(msg.into())
}

/// "cannot read FILE: why" and similar, for any displayable cause.
pub fn at(path: &Path, what: &str, e: impl fmt::Display) -> CliError {
    CliError::Message(format!("cannot {what} {}: {e}", path.display()))
}

pub type Result<T> = std::result::Result<T, CliError>;
