//! What a verdict says, as data: a key into the wording tables and its arguments. The core
//! decides what is said; the wording layer (the `labelcheck-words` crate, used by the app and
//! the command line) says it in the user's language. Audits store messages, not sentences,
//! so a saved audit is shown in whatever language its reader chooses.

use crate::time::Date;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Message {
    /// For example `revoked.note`: the wording layer looks it up as `reason.revoked.note`
    /// (the full sentence, for inspectors) or `plain.revoked.note` (a shopper's first line).
    pub key: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, Arg)>,
}

/// One argument of a message.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arg {
    /// Shown as it is: an id, a serial, a host, a number.
    Text(String),
    Date(Date),
    /// A number that also chooses the plural form of the sentence.
    Count(u64),
    /// A word that is itself worded in the user's language (a key of the wording tables).
    Word(String),
    /// Several words, joined as the language joins a list.
    Words(Vec<String>),
    /// Text an authority wrote: shown quoted, never translated.
    Quote(String),
    /// A sentence of its own (a problem within a problem), said by its full key.
    Message(Box<Message>),
}

impl std::fmt::Display for Message {
    /// The key and its arguments, for logs and errors' `Display`; people are told a message
    /// through the wording tables.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key)?;
        for (name, arg) in &self.args {
            write!(f, " {name}={arg:?}")?;
        }
        Ok(())
    }
}

impl Message {
    pub fn new(key: impl Into<String>) -> Message {
        Message {
            key: key.into(),
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &str, value: Arg) -> Message {
        self.args.push((name.to_owned(), value));
        self
    }

    pub fn text(self, name: &str, value: impl ToString) -> Message {
        self.arg(name, Arg::Text(value.to_string()))
    }

    pub fn date(self, name: &str, value: Date) -> Message {
        self.arg(name, Arg::Date(value))
    }

    pub fn word(self, name: &str, key: impl Into<String>) -> Message {
        self.arg(name, Arg::Word(key.into()))
    }

    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| n == name).map(|(_, a)| a)
    }
}
