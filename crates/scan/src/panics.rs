//! rqrr panics on some images. Natively the scanner catches that and reports
//! [`crate::ScanError::DecoderPanicked`], so the panic hook's message for it is only noise;
//! any other panic is a bug and must still be heard.

use std::panic::PanicHookInfo;

/// Whether a panic was raised inside the QR decoder (the one the scanner catches).
pub fn is_decoder_panic(info: &PanicHookInfo<'_>) -> bool {
    info.location().is_some_and(|l| l.file().contains("rqrr"))
}

/// Installs, once per process, a hook that stays silent for decoder panics and passes every
/// other panic to the hook that was there before. Safe to call from many threads.
pub fn quiet_decoder_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !is_decoder_panic(info) {
                previous(info);
            }
        }));
    });
}
