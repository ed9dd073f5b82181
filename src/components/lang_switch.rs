use crate::i18n::{t, Lang, Msg};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LangSwitchProps {
    pub on_change: Callback<Lang>,
}

/// One button that names the other language in that language.
#[function_component(LangSwitch)]
pub fn lang_switch(props: &LangSwitchProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let other = match lang {
        Lang::En => Lang::Zh,
        Lang::Zh => Lang::En,
    };
    let onclick = {
        let on_change = props.on_change.clone();
        Callback::from(move |_| on_change.emit(other))
    };
    html! {
        <button type="button" id="lang-switch" class="lang" lang={other.code()}
            aria-label={t(lang, Msg::SwitchLanguageLabel)} {onclick}>
            { t(lang, Msg::SwitchLanguage) }
        </button>
    }
}
