//! The app as a label link opens it: the verdict of the label in the address, and nothing
//! else (no camera, photo or audit code is loaded for it). "Scan another label" opens the
//! full app with the camera started.

use crate::components::check_view::CheckView;
use crate::i18n::{t, Lang, Msg};
use crate::lists::{problem_text, use_lists};
use crate::platform::offline;
use crate::shell::{use_address_text, use_lang, Shell};
use crate::verification::{use_check, Check};
use labelcheck_core::verify::claimed_status;
use yew::prelude::*;

/// The full app's address, asked to start the camera at once.
pub const SCAN_ADDRESS: &str = "./?scan";

#[function_component(LabelApp)]
pub fn label_app() -> Html {
    let (lang, on_lang) = use_lang();
    let text = use_address_text();
    let early = (*text)
        .as_deref()
        .and_then(claimed_status)
        .map(|(a, s)| (a, s.partition));
    let lists = use_lists(early.into_iter().collect());
    let check = use_check((*text).clone(), &lists);
    // The service worker is registered once the verdict is on screen: its install downloads the
    // whole build (the full app and the decoder too), which on a slow link would share it with
    // the label's report and lists.
    let shown = matches!(check, Check::Done(_));
    use_effect_with(shown, |shown| {
        if *shown {
            offline::register_service_worker();
        }
    });
    let on_again = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().assign(SCAN_ADDRESS);
        }
    });
    html! {
        <ContextProvider<Lang> context={lang}>
            <Shell {on_lang}>
                if lists.trust_missing {
                    <p class="checking" role="alert">{ t(lang, Msg::TrustMissing) }</p>
                } else {
                    <CheckView check={check.clone()} text={(*text).clone().unwrap_or_default()} />
                }
                // Shown with the verdict, not before: appearing below it, it moves nothing.
                if matches!(check, Check::Done(_)) {
                    <button type="button" id="scan-again" class="primary" onclick={on_again}>{ t(lang, Msg::ScanAnother) }</button>
                }
                if lists.storage_failed {
                    <p class="storage-problem" role="status">{ t(lang, Msg::StorageFailed) }</p>
                }
                if !lists.problems.is_empty() {
                    <details class="list-problems"><summary>{ t(lang, Msg::ListsProblems) }</summary>
                        <ul>{ for lists.problems.iter().map(|(r, p)| html! { <li>{ problem_text(lang, r, p) }</li> }) }</ul>
                    </details>
                }
            </Shell>
        </ContextProvider<Lang>>
    }
}
