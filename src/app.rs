//! The app shell: loads the trusted lists, takes a label from the address, the camera, a
//! photo, the paste box or a demo card, and shows its verdict in the chosen language.

use crate::audits;
use crate::components::audit_start::AuditStart;
use crate::components::audit_view::AuditView;
use crate::components::demo_labels::DemoLabels;
use crate::components::label_input::LabelInput;
use crate::components::lang_switch::LangSwitch;
use crate::components::photo_input::PhotoInput;
use crate::components::scanner::Scanner;
use crate::components::verdict_view::VerdictView;
use crate::i18n::{t, Lang, Msg};
use crate::lists::{self, Lists};
use crate::platform::scan_worker::ScanWorker;
use crate::platform::{clock, location, offline, storage};
use crate::verify_label::verify;
use labelcheck_core::audit::Audit;
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

/// The audits saved on this device, as last read.
#[derive(Clone, PartialEq)]
struct Saved {
    audits: Vec<Audit>,
    problem: Option<String>,
}

/// Reads the saved audits again, and reopens `open` (an audit id) if it is among them.
fn reload_audits(saved: UseStateHandle<Saved>, open_audit: Option<UseStateHandle<Option<Audit>>>) {
    wasm_bindgen_futures::spawn_local(async move {
        let next = match audits::load().await {
            Ok((audits, 0)) => Saved { audits, problem: None },
            Ok((audits, bad)) => Saved {
                audits,
                problem: Some(format!("{bad} record(s) unreadable, kept as they are")),
            },
            Err(e) => Saved {
                audits: Vec::new(),
                problem: Some(e),
            },
        };
        if let (Some(handle), Some(id)) = (open_audit, audits::open_id()) {
            handle.set(next.audits.iter().find(|a| a.id == id).cloned());
        }
        saved.set(next);
    });
}

fn new_audit_id() -> String {
    format!(
        "audit-{}-{:08x}",
        clock::now().0,
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    )
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
    let saved = use_state(|| Saved {
        audits: Vec::new(),
        problem: None,
    });
    let open_audit = use_state(|| None::<Audit>);
    // One decoder worker for the page, started when the camera or a photo first needs it.
    let scan_worker = use_memo((), |_| ScanWorker::new());
    {
        let (saved, open_audit) = (saved.clone(), open_audit.clone());
        use_effect_with((), move |_| reload_audits(saved, Some(open_audit)));
    }

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

    let on_start_audit = {
        let open_audit = open_audit.clone();
        Callback::from(move |name: String| {
            // A user gesture: the moment browsers allow the audit's sounds to be prepared.
            crate::platform::feedback::unlock();
            let audit = Audit::new(&new_audit_id(), &name, clock::now());
            audits::set_open(Some(&audit.id));
            open_audit.set(Some(audit));
        })
    };
    let on_open_audit = {
        let (open_audit, saved) = (open_audit.clone(), saved.clone());
        Callback::from(move |id: String| {
            crate::platform::feedback::unlock();
            audits::set_open(Some(&id));
            // Read afresh: what is on the device is the truth, not the list shown.
            reload_audits(saved.clone(), Some(open_audit.clone()));
        })
    };
    let on_close_audit = {
        let (open_audit, saved) = (open_audit.clone(), saved.clone());
        Callback::from(move |_: ()| {
            audits::set_open(None);
            open_audit.set(None);
            reload_audits(saved.clone(), None);
        })
    };
    let on_delete_audit = {
        let (open_audit, saved) = (open_audit.clone(), saved.clone());
        Callback::from(move |id: String| {
            let (open_audit, saved) = (open_audit.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = audits::delete(&id).await;
                if open_audit.as_ref().is_some_and(|a| a.id == id) {
                    audits::set_open(None);
                    open_audit.set(None);
                }
                if let Err(e) = result {
                    saved.set(Saved {
                        audits: saved.audits.clone(),
                        problem: Some(e),
                    });
                } else {
                    reload_audits(saved, None);
                }
            });
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
        (ListsState::Ready(ls), None, _) if open_audit.is_some() => {
            let audit = (*open_audit)
                .clone()
                .unwrap_or_else(|| Audit::new("", "", clock::now()));
            let key = audit.id.clone();
            html! {
                <AuditView {key} {audit} lists={ls.clone()}
                    on_close={on_close_audit} on_delete={on_delete_audit.clone()} />
            }
        }
        (state, None, _) => html! {
            <>
                if *state == ListsState::Loading {
                    <p class="checking" role="status">{ t(l, Msg::ListsLoading) }</p>
                }
                if open_audit.is_none() {
                    <Scanner on_text={on_text.clone()} />
                    <PhotoInput on_text={on_text.clone()} />
                    <LabelInput on_verify={on_text.clone()} />
                    <AuditStart saved={saved.audits.clone()} problem={saved.problem.clone()}
                        on_start={on_start_audit} on_open={on_open_audit} on_delete={on_delete_audit} />
                }
            </>
        },
    };
    let problems = match &*lists {
        ListsState::Ready(ls) if !ls.problems.is_empty() => html! {
            <details class="list-problems"><summary>{ t(l, Msg::ListsProblems) }</summary>
                <ul>{ for ls.problems.iter().map(|(r, problem)| html! { <li>{ lists::problem_text(l, r, problem) }</li> }) }</ul>
            </details>
        },
        _ => html! {},
    };

    html! {
        <ContextProvider<Lang> context={l}>
        <ContextProvider<ScanWorker> context={(*scan_worker).clone()}>
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
                if input.is_none() && open_audit.is_none() { <DemoLabels on_verify={on_text} /> }
            </main>
            <footer><p>{ t(l, Msg::Privacy) }</p></footer>
        </ContextProvider<ScanWorker>>
        </ContextProvider<Lang>>
    }
}
