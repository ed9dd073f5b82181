//! The full app: the camera, a photo, the paste box, the audits and the demo labels, and the
//! verdict of whatever they read. (A label link opens the lighter `LabelApp`; its "Scan
//! another label" comes here with the camera started.)

use crate::audits::{self, StoreProblem};
use crate::components::audit_start::AuditStart;
use crate::components::audit_view::AuditView;
use crate::components::check_view::CheckView;
use crate::components::demo_labels::DemoLabels;
use crate::components::label_input::LabelInput;
use crate::components::photo_input::PhotoInput;
use crate::components::scanner::Scanner;
use crate::i18n::{t, Lang, Msg};
use crate::lists::{problem_text, use_lists};
use crate::platform::scan_worker::ScanWorker;
use crate::platform::{clock, location, offline};
use crate::shell::{use_address_text, use_lang, Shell};
use crate::verification::{use_check, Check};
use labelcheck_core::audit::Audit;
use yew::prelude::*;

/// The audits saved on this device, as last read.
#[derive(Clone, PartialEq)]
struct Saved {
    audits: Vec<Audit>,
    problem: Option<StoreProblem>,
}

/// Reads the saved audits again, and reopens `open` (an audit id) if it is among them.
fn reload_audits(saved: UseStateHandle<Saved>, open_audit: Option<UseStateHandle<Option<Audit>>>) {
    wasm_bindgen_futures::spawn_local(async move {
        let next = match audits::load().await {
            Ok((audits, 0)) => Saved { audits, problem: None },
            Ok((audits, bad)) => Saved {
                audits,
                problem: Some(StoreProblem::Unreadable(bad)),
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

/// Forgets the label link in the address, so a reload shows the home page.
fn clear_address() {
    if let Some(w) = web_sys::window() {
        let _ = w
            .history()
            .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("./")));
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let (lang, on_lang) = use_lang();
    let lists = use_lists(Vec::new());
    let input = use_address_text();
    let check = use_check((*input).clone(), &lists);
    // Opened as "./?scan" (from a verdict's "Scan another label"): the camera starts at once.
    let camera_now = use_state(location::asks_to_scan);
    let saved = use_state(|| Saved {
        audits: Vec::new(),
        problem: None,
    });
    let open_audit = use_state(|| None::<Audit>);
    // One decoder worker for the page, started when the camera or a photo first needs it.
    let scan_worker = use_memo((), |_| ScanWorker::new());
    {
        let (saved, open_audit) = (saved.clone(), open_audit.clone());
        use_effect_with((), move |_| {
            offline::register_service_worker();
            reload_audits(saved, Some(open_audit));
        });
    }

    let on_text = {
        let input = input.clone();
        Callback::from(move |text: String| input.set(Some(text)))
    };
    let on_again = {
        let (input, camera_now) = (input.clone(), camera_now.clone());
        Callback::from(move |_: MouseEvent| {
            clear_address();
            input.set(None);
            camera_now.set(true);
        })
    };
    let on_camera_started = {
        let camera_now = camera_now.clone();
        Callback::from(move |_: ()| camera_now.set(false))
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

    let body = if lists.trust_missing {
        html! { <p class="checking" role="alert">{ t(lang, Msg::TrustMissing) }</p> }
    } else if let Some(text) = &*input {
        let done = matches!(check, Check::Done(_));
        html! {
            <>
                <CheckView check={check} text={text.clone()} />
                // Shown with the verdict, not before: appearing below it, it moves nothing.
                if done {
                    <button type="button" id="scan-again" class="primary" onclick={on_again}>{ t(lang, Msg::ScanAnother) }</button>
                }
            </>
        }
    } else if let Some(audit) = &*open_audit {
        html! {
            <AuditView key={audit.id.clone()} audit={audit.clone()} lists={lists.clone()}
                on_close={on_close_audit} on_delete={on_delete_audit.clone()} />
        }
    } else {
        html! {
            <>
                <Scanner on_text={on_text.clone()} autostart={*camera_now} on_started={on_camera_started} />
                <PhotoInput on_text={on_text.clone()} />
                <LabelInput on_verify={on_text.clone()} />
                <AuditStart saved={saved.audits.clone()} problem={saved.problem.clone()}
                    on_start={on_start_audit} on_open={on_open_audit} on_delete={on_delete_audit} />
                <DemoLabels on_verify={on_text} />
            </>
        }
    };

    html! {
        <ContextProvider<Lang> context={lang}>
        <ContextProvider<ScanWorker> context={(*scan_worker).clone()}>
            <Shell {on_lang}>
                { body }
                if lists.storage_failed {
                    <p class="storage-problem" role="status">{ t(lang, Msg::StorageFailed) }</p>
                }
                if !lists.problems.is_empty() {
                    <details class="list-problems"><summary>{ t(lang, Msg::ListsProblems) }</summary>
                        <ul>{ for lists.problems.iter().map(|(r, p)| html! { <li>{ problem_text(lang, r, p) }</li> }) }</ul>
                    </details>
                }
            </Shell>
        </ContextProvider<ScanWorker>>
        </ContextProvider<Lang>>
    }
}
