//! The app's words are the wording layer's (`labelcheck-words`: one table per language, the
//! same as the command line's); the icons are drawn (`components/icon.rs`).

pub use labelcheck_words::{name, reason, say, t, verdict_word, Lang, Msg};
