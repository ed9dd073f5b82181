//! The app shell: loads the trusted lists, takes a label from the address, a demo card or
//! the paste box, and shows its verdict.

use crate::components::demo_labels::DemoLabels;
use crate::components::label_input::LabelInput;
use crate::components::verdict_view::VerdictView;
use crate::lists::{self, Lists};
use crate::platform::{clock, location};
use crate::verify_label::verify;
use labelcheck_core::Verdict;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone)]
enum ListsState {
    Loading,
    Ready(Rc<Lists>),
    Failed(String),
}

impl PartialEq for ListsState {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ListsState::Loading, ListsState::Loading) => true,
            (ListsState::Ready(a), ListsState::Ready(b)) => Rc::ptr_eq(a, b),
            (ListsState::Failed(a), ListsState::Failed(b)) => a == b,
            _ => false,
        }
    }
}

#[derive(Clone, PartialEq)]
struct Checked {
    text: String,
    verdict: Rc<Verdict>,
}

#[function_component(App)]
pub fn app() -> Html {
    let lists = use_state(|| ListsState::Loading);
    let input = use_state(location::label_from_address);
    let checked = use_state(|| None::<Checked>);

    {
        let lists = lists.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                lists.set(match lists::load().await {
                    Ok(l) => ListsState::Ready(Rc::new(l)),
                    Err(e) => ListsState::Failed(e),
                });
            });
        });
    }
    {
        // A label link opened while the app is already open changes only the fragment.
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
        use_effect_with(((*lists).clone(), (*input).clone()), move |(lists, input)| {
            if let (ListsState::Ready(l), Some(text)) = (lists, input) {
                let (l, text) = (l.clone(), text.clone());
                checked.set(None);
                wasm_bindgen_futures::spawn_local(async move {
                    let verdict = verify(&l, &text).await;
                    checked.set(Some(Checked {
                        text,
                        verdict: Rc::new(verdict),
                    }));
                });
            }
        });
    }

    let on_verify = {
        let input = input.clone();
        Callback::from(move |text: String| input.set(Some(text)))
    };

    let body = match (&*lists, &*input, &*checked) {
        (ListsState::Failed(e), _, _) => html! {
            <section class="verdict verdict-cannot-check" data-verdict="cannot-check">
                <div class="verdict-head" role="status" aria-live="assertive">
                    <span class="verdict-icon" aria-hidden="true">{ "⚠" }</span>
                    <div><h2 class="verdict-word">{ "Cannot check" }</h2><p class="verdict-reason">{ e }</p></div>
                </div>
            </section>
        },
        (_, Some(_), Some(c)) => {
            html! { <VerdictView verdict={c.verdict.clone()} text={c.text.clone()} now={clock::now()} /> }
        }
        (_, Some(_), None) => {
            html! { <p class="checking" role="status" aria-live="polite">{ "Checking the label…" }</p> }
        }
        (_, None, _) => html! {},
    };
    let problems = match &*lists {
        ListsState::Ready(l) if !l.problems.is_empty() => html! {
            <details class="list-problems"><summary>{ "Some lists could not be loaded" }</summary>
                <ul>{ for l.problems.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
            </details>
        },
        _ => html! {},
    };

    html! {
        <>
            <header class="top">
                <h1>{ "labelcheck" }</h1>
                <p class="tagline">{ "Is this security label genuine? · 这个安全标识是真的吗？" }</p>
            </header>
            <main>
                { body }
                <LabelInput on_verify={on_verify.clone()} />
                { problems }
                <DemoLabels {on_verify} />
            </main>
            <footer>
                <p>{ "Verification happens on this device. Nothing you scan is sent anywhere except to fetch the label's own report." }</p>
            </footer>
        </>
    }
}
