use crate::i18n::{t, Lang, Msg};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LangSwitchProps {
    pub on_change: Callback<Lang>,
}

/// A button for each other language, named in that language (its visible name is its
/// accessible name: what a screen reader says is what the eye reads).
#[function_component(LangSwitch)]
pub fn lang_switch(props: &LangSwitchProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    html! {
        <nav class="langs" aria-label={t(lang, Msg::Language)}>
            { for Lang::all().filter(|l| *l != lang).map(|other| {
                let on_change = props.on_change.clone();
                let onclick = Callback::from(move |_| on_change.emit(other));
                html! {
                    <button type="button" id={format!("lang-{}", other.code())} class="lang" lang={other.code()} {onclick}>
                        { other.name() }
                    </button>
                }
            }) }
        </nav>
    }
}
