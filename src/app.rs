//! The app shell: loads the trusted lists, takes a label from the address, the camera, a
//! photo, the paste box or a demo card, and shows its verdict in the chosen language.

use crate::components::demo_labels::DemoLabels;
use crate::components::label_input::LabelInput;
use crate::components::lang_switch::LangSwitch;
use crate::components::photo_input::PhotoInput;
use crate::components::scanner::Scanner;
use crate::components::verdict_view::VerdictView;
use crate::i18n::{t, Lang, Msg};
use crate::lists::{self, Lists};
use crate::platform::{clock, location, offline, storage};
use crate::verify_label::verify;
use labelcheck_core::Verdict;
use std::rc::Rc;
use yew::prelude::*;

const LANG_KEY: &str = "labelcheck.lang";

#[derive(Clone)]
enum ListsState {
    Loading,
    Ready(Rc<Lists>),
    Failed,
}

impl PartialEq for ListsState {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ListsState::Ready(a), ListsState::Ready(b)) => Rc::ptr_eq(a, b),
            (ListsState::Loading, ListsState::Loading) | (ListsState::Failed, ListsState::Failed) => true,
            _ => false,
        }
    }
}

#[derive(Clone, PartialEq)]
struct Checked {
    text: String,
    verdict: Rc<Verdict>,
}

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

#[function_component(App)]
pub fn app() -> Html {
    let lang = use_state(initial_lang);
    let lists = use_state(|| ListsState::Loading);
    let input = use_state(location::label_from_address);
    let checked = use_state(|| None::<Checked>);

    use_effect_with(*lang, |lang| set_document_lang(*lang));
    {
        let lists = lists.clone();
        use_effect_with((), move |_| {
            offline::register_service_worker();
            wasm_bindgen_futures::spawn_local(async move {
                lists.set(match lists::load().await {
                    Ok(l) => ListsState::Ready(Rc::new(l)),
                    Err(_) => ListsState::Failed,
                });
            });
        });
    }
    {
        // A label link opened while the app is open changes only the fragment.
        let input = input.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "hashchange", move |_| input.set(location::label_from_address()))
            });
            move || drop(listener)
        });
    }
    {
        let checked = checked.clone();
        // A slow verification finishing after a newer one started must not overwrite it.
        let latest = use_mut_ref(|| None::<String>);
        use_effect_with(((*lists).clone(), (*input).clone()), move |(lists, input)| {
            latest.borrow_mut().clone_from(input);
            if let (ListsState::Ready(l), Some(text)) = (lists, input) {
                let (l, text) = (l.clone(), text.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let verdict = verify(&l, &text).await;
                    if latest.borrow().as_deref() == Some(text.as_str()) {
                        checked.set(Some(Checked {
                            text,
                            verdict: Rc::new(verdict),
                        }));
                    }
                });
            }
        });
    }

    let on_text = {
        let input = input.clone();
        Callback::from(move |text: String| input.set(Some(text)))
    };
    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| {
            storage::set(LANG_KEY, l.code());
            lang.set(l);
        })
    };
    let on_again = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = web_sys::window() {
                let _ = w
                    .history()
                    .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("./")));
            }
            input.set(None);
        })
    };

    let l = *lang;
    let body = match (&*lists, &*input, &*checked) {
        (ListsState::Failed, _, _) => html! {
            <section class="verdict verdict-cannot-check" data-verdict="cannot-check">
                <div class="verdict-head" role="status" aria-live="assertive">
                    <span class="verdict-icon" aria-hidden="true">{ "⚠" }</span>
                    <div>
                        <h2 class="verdict-word">{ crate::i18n::verdict_word(l, labelcheck_core::VerdictKind::CannotCheck) }</h2>
                        <p class="verdict-reason">{ t(l, Msg::TrustMissing) }</p>
                    </div>
                </div>
            </section>
        },
        // Only the verdict for the text being checked: never a stale one for a moment.
        (_, Some(text), Some(c)) if *text == c.text => html! {
            <>
                <VerdictView verdict={c.verdict.clone()} text={c.text.clone()} now={clock::now()} />
                <button type="button" id="scan-again" class="primary" onclick={on_again}>{ t(l, Msg::ScanAnother) }</button>
            </>
        },
        (_, Some(_), _) => {
            html! { <p class="checking" role="status" aria-live="polite">{ t(l, Msg::Checking) }</p> }
        }
        (state, None, _) => html! {
            <>
                if *state == ListsState::Loading {
                    <p class="checking" role="status">{ t(l, Msg::ListsLoading) }</p>
                }
                <Scanner on_text={on_text.clone()} />
                <PhotoInput on_text={on_text.clone()} />
                <LabelInput on_verify={on_text.clone()} />
            </>
        },
    };
    let problems = match &*lists {
        ListsState::Ready(ls) if !ls.problems.is_empty() => html! {
            <details class="list-problems"><summary>{ t(l, Msg::ListsProblems) }</summary>
                <ul>{ for ls.problems.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
            </details>
        },
        _ => html! {},
    };

    html! {
        <ContextProvider<Lang> context={l}>
            <header class="top">
                <div>
                    <h1>{ "labelcheck" }</h1>
                    <p class="tagline">{ t(l, Msg::Tagline) }</p>
                </div>
                <LangSwitch on_change={on_lang} />
            </header>
            <main>
                { body }
                { problems }
                if input.is_none() { <DemoLabels on_verify={on_text} /> }
            </main>
            <footer><p>{ t(l, Msg::Privacy) }</p></footer>
        </ContextProvider<Lang>>
    }
}
