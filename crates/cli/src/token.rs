//! What opening a key in a token needs from the shell: the module named by
//! `LABELCHECK_PKCS11_MODULE` when a URI names none, and the user PIN from
//! `LABELCHECK_PKCS11_PIN` or typed at a prompt — only when standard input is a terminal, so a
//! run without one fails at once instead of waiting on a terminal nobody watches. A PIN is
//! never taken from the command line.

use labelcheck_authority::key::Key;
use labelcheck_authority::pkcs11::TokenAccess;
use labelcheck_words::Lang;
use std::io::IsTerminal;

pub const PIN_VARIABLE: &str = "LABELCHECK_PKCS11_PIN";
pub const MODULE_VARIABLE: &str = "LABELCHECK_PKCS11_MODULE";

fn pin(lang: Lang) -> Option<String> {
    if let Ok(p) = std::env::var(PIN_VARIABLE) {
        return Some(p);
    }
    if !std::io::stdin().is_terminal() {
        return None;
    }
    let prompt = format!(
        "{} ",
        labelcheck_words::lookup(lang, "cli.pin-prompt").unwrap_or("PIN:")
    );
    rpassword::prompt_password(prompt).ok()
}

/// Runs `f` with the shell's access to tokens.
pub fn with_access<T>(lang: Lang, f: impl FnOnce(&TokenAccess<'_>) -> T) -> T {
    let ask = move || pin(lang);
    let access = TokenAccess {
        default_module: std::env::var(MODULE_VARIABLE).ok(),
        pin: &ask,
    };
    f(&access)
}

/// Opens the key `spec` names: a key file or a `pkcs11:` URI.
pub fn open(lang: Lang, spec: &str) -> labelcheck_authority::Result<Key> {
    with_access(lang, |access| Key::open(spec, access))
}
