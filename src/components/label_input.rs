use crate::i18n::{t, Lang, Msg};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LabelInputProps {
    pub on_verify: Callback<String>,
}

/// Paste or type a label link (or any QR text) to verify it.
#[function_component(LabelInput)]
pub fn label_input(props: &LabelInputProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let input = use_node_ref();
    let onsubmit = {
        let input = input.clone();
        let on_verify = props.on_verify.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let text = el.value();
                if !text.trim().is_empty() {
                    // Cleared for the next one (in an audit the form stays on the page).
                    el.set_value("");
                    on_verify.emit(text.trim().to_owned());
                }
            }
        })
    };
    html! {
        <form class="paste" {onsubmit}>
            <label for="label-text">{ t(lang, Msg::PasteLabel) }</label>
            <div class="row">
                <input id="label-text" ref={input} type="text" inputmode="url" autocomplete="off"
                    spellcheck="false" maxlength="4096" placeholder="https://…#1…" />
                <button type="submit">{ t(lang, Msg::Verify) }</button>
            </div>
        </form>
    }
}
