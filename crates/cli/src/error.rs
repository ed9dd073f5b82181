//! The command's one error type. What went wrong is data — the authority library's errors, or
//! a message of the command's own — and is worded here, in the user's language, by
//! `labelcheck-words` (the `cli.…`, `issue.…` and `row.…` keys).

use labelcheck_authority::error::Error as IssueError;
use labelcheck_core::{Arg, Message};
use labelcheck_words::{self as words, Lang};
use std::path::Path;

#[derive(Debug)]
pub enum CliError {
    Issue(IssueError),
    /// A sentence of the command's own: a `cli.…` key and its arguments.
    Said(Message),
    /// Standard output was closed by its reader (`labelcheck verify … | head`): nothing more
    /// can be said, and nothing went wrong.
    OutputClosed,
}

impl From<IssueError> for CliError {
    fn from(e: IssueError) -> CliError {
        CliError::Issue(e)
    }
}

pub type Result<T> = std::result::Result<T, CliError>;

/// The command's own sentence `cli.KEY`, its arguments to be added.
pub fn said(key: &str) -> Message {
    Message::new(format!("cli.{key}"))
}

pub fn fail(m: Message) -> CliError {
    CliError::Said(m)
}

pub fn path(p: &Path) -> Arg {
    Arg::Text(p.display().to_string())
}

impl CliError {
    /// What to say: the sentence, and for errors made of several (rows, printed labels) one
    /// line each before it.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        match self {
            CliError::Issue(e) => {
                let mut out: Vec<String> = match e {
                    IssueError::BadRows { rows } => rows
                        .iter()
                        .map(|r| words::message(lang, &r.problem.message(r.line)))
                        .collect(),
                    IssueError::PrintCheckFailed { failures } => failures
                        .iter()
                        .map(|f| {
                            let m = said("print-check-failure")
                                .text("page", f.page)
                                .text("serial", &f.serial)
                                .text("dpi", f.dpi)
                                .arg("why", Arg::Message(Box::new(f.why.message())));
                            format!("  {}", words::message(lang, &m))
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                out.push(words::message(lang, &e.message()));
                out
            }
            CliError::Said(m) => vec![words::message(lang, m)],
            CliError::OutputClosed => Vec::new(),
        }
    }
}
