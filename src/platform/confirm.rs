//! Asking before something the user saved is destroyed. No answer (no window, or dialogs
//! blocked) counts as no.

pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}
