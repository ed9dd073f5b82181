//! What every page of the app shares: the language (chosen, remembered, on `<html lang>`),
//! the text a label link brings in the address, and the page's frame: header, main, footer.
//! `index.html` carries the same frame before any code runs (its words filled in from the
//! same tables at build time), so the app takes the page over without moving anything.

use crate::components::lang_switch::LangSwitch;
use crate::i18n::{t, Lang, Msg};
use crate::platform::{location, storage};
use yew::prelude::*;

const LANG_KEY: &str = "labelcheck.lang";

fn initial_lang() -> Lang {
    if let Some(l) = storage::get(LANG_KEY).and_then(|c| Lang::from_code(&c)) {
        return l;
    }
    let langs: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages().iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
    Lang::from_preferences(langs.iter().map(String::as_str))
}

fn set_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// The page's language and a callback that changes (and remembers) it.
#[hook]
pub fn use_lang() -> (Lang, Callback<Lang>) {
    let lang = use_state(initial_lang);
    use_effect_with(*lang, |lang| set_document_lang(*lang));
    let change = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| {
            storage::set(LANG_KEY, l.code());
            lang.set(l);
        })
    };
    (*lang, change)
}

/// The text a label link carries in the address, following the address as it changes (a
/// label link opened while the app is open changes only the fragment).
#[hook]
pub fn use_address_text() -> UseStateHandle<Option<String>> {
    let input = use_state(location::label_from_address);
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "hashchange", move |_| input.set(location::label_from_address()))
            });
            move || drop(listener)
        });
    }
    input
}

#[derive(Properties, PartialEq)]
pub struct ShellProps {
    pub on_lang: Callback<Lang>,
    #[prop_or_default]
    pub children: Html,
}

/// Header, main and footer, in the language of the context.
#[function_component(Shell)]
pub fn shell(props: &ShellProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    html! {
        <>
            <header class="top">
                <div>
                    <h1>{ "labelcheck" }</h1>
                    <p class="tagline">{ t(lang, Msg::Tagline) }</p>
                </div>
                <LangSwitch on_change={props.on_lang.clone()} />
            </header>
            <main>{ props.children.clone() }</main>
            <footer><p>{ t(lang, Msg::Privacy) }</p></footer>
        </>
    }
}
