//! The app's words are the wording layer's (`labelcheck-words`: one table per language, the
//! same as the command line's); what is the app's own is how a verdict looks.

use labelcheck_core::VerdictKind;
pub use labelcheck_words::{name, reason, say, t, verdict_word, Lang, Msg};

/// The icon shown with each verdict, beside its word and colour (never colour alone).
pub fn verdict_icon(kind: VerdictKind) -> &'static str {
    match kind {
        VerdictKind::Genuine | VerdictKind::GenuineOffline => "✔",
        VerdictKind::NotGenuine => "✖",
        VerdictKind::Revoked => "⊘",
        VerdictKind::Expired => "⌛",
        VerdictKind::UnknownAuthority => "?",
        VerdictKind::NotALabel => "ℹ",
        VerdictKind::CannotCheck => "⚠",
    }
}
