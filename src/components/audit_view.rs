//! An open audit: the camera keeps scanning, each new label is verified and added with a tone
//! and a buzz, a label already in the audit asks "same product or another?", and every change
//! is saved on the device before the next one.

use crate::audit_session::{Action, Repeat, Session};
use crate::audits::{self, problem_view, StoreProblem};
use crate::components::audit_item::{local_date_time, AuditItemRow};
use crate::components::audit_summary::AuditSummary;
use crate::components::label_input::LabelInput;
use crate::components::photo_input::PhotoInput;
use crate::components::scanner::Scanner;
use crate::i18n::{t, Lang, Msg};
use crate::lists::Lists;
use crate::platform::{clock, download, feedback};
use crate::use_latest::use_latest;
use crate::verification::verify_now;
use labelcheck_core::audit::{Audit, Source};
use labelcheck_core::audit_export::{to_csv, to_json};
use labelcheck_core::{Reason, Verdict, VerdictKind};
use labelcheck_words::item_reason;
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use yew::prelude::*;

/// A label still in view keeps being read; it counts again only after this long unseen.
const SAME_LABEL_MS: f64 = 3000.0;

#[derive(Properties, PartialEq)]
pub struct AuditViewProps {
    pub audit: Audit,
    pub lists: UseReducerHandle<Lists>,
    pub on_close: Callback<()>,
    pub on_delete: Callback<String>,
}

/// A file name from the audit's name: letters and digits kept (Chinese too), the rest dashes.
fn file_name(name: &str, ext: &str) -> String {
    let base: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .chars()
        .take(60)
        .collect();
    format!("{}.{ext}", if base.is_empty() { "audit" } else { &base })
}

/// Saves the newest audit after the save in progress: writes never overlap, the last wins.
#[derive(Default)]
struct Saver {
    busy: bool,
    next: Option<Audit>,
}

fn save_latest(saver: Rc<RefCell<Saver>>, audit: Audit, error: UseStateHandle<Option<StoreProblem>>) {
    let mut s = saver.borrow_mut();
    s.next = Some(audit);
    if s.busy {
        return;
    }
    s.busy = true;
    drop(s);
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            let Some(audit) = saver.borrow_mut().next.take() else {
                saver.borrow_mut().busy = false;
                break;
            };
            error.set(audits::save(&audit).await.err());
        }
    });
}

/// How long a label read waits for lists still being fetched (each fetch has its own timeout;
/// this bounds the wait whatever happens).
const SETTLE_MS: u32 = 30_000;

/// The lists once every source has answered (or after [`SETTLE_MS`]).
async fn settled_lists(latest: &Rc<RefCell<UseReducerHandle<Lists>>>) -> UseReducerHandle<Lists> {
    let mut waited = 0;
    loop {
        let lists = latest.borrow().clone();
        if lists.settled() || waited >= SETTLE_MS {
            return lists;
        }
        gloo_timers::future::TimeoutFuture::new(100).await;
        waited += 100;
    }
}

#[function_component(AuditView)]
pub fn audit_view(props: &AuditViewProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let session = {
        let audit = props.audit.clone();
        use_reducer(move || Session::new(audit))
    };
    let save_error = use_state(|| None::<StoreProblem>);
    let saver = use_mut_ref(Saver::default);
    let recent = use_mut_ref(|| None::<(String, f64)>);
    let in_flight: Rc<RefCell<HashSet<String>>> = use_mut_ref(HashSet::new);

    {
        let (session, saver, save_error) = (session.clone(), saver.clone(), save_error.clone());
        use_effect_with(session.revision, move |_| {
            save_latest(saver, session.audit.clone(), save_error)
        });
    }

    // The lists as they are now, not as they were when a label was read: an item is recorded
    // with the lists every source has answered for (a label read in the first seconds would
    // otherwise keep a verdict made before the revocation list arrived).
    let latest = use_latest(&props.lists);
    let check = {
        let (session, latest, in_flight) = (session.clone(), latest.clone(), in_flight.clone());
        Rc::new(move |source: Source, text: String| {
            if !in_flight.borrow_mut().insert(text.clone()) {
                return;
            }
            let (session, latest, in_flight) = (session.clone(), latest.clone(), in_flight.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let lists = settled_lists(&latest).await;
                let verdict = verify_now(&lists, &text).await;
                in_flight.borrow_mut().remove(&text);
                // Nothing can be checked before a trust file is read: the label is not kept.
                let Some(verdict) = verdict else { return };
                feedback::signal(matches!(
                    verdict.kind(),
                    VerdictKind::Genuine | VerdictKind::GenuineOffline
                ));
                session.dispatch(Action::Add {
                    at: clock::now(),
                    source,
                    text,
                    verdict: Rc::new(verdict),
                });
            });
        })
    };

    let read = {
        let (session, check, recent) = (session.clone(), check.clone(), recent.clone());
        Rc::new(move |source: Source, text: String| {
            if source == Source::Camera {
                let now = js_sys::Date::now();
                let mut r = recent.borrow_mut();
                if let Some((seen, at)) = r.as_mut() {
                    if *seen == text && now - *at < SAME_LABEL_MS {
                        *at = now;
                        return;
                    }
                }
                *r = Some((text.clone(), now));
            }
            if session.repeat.as_ref().is_some_and(|r| r.text == text) {
                return;
            }
            match session.audit.same_text(&text) {
                Some(earlier) => session.dispatch(Action::Repeat(Repeat { text, source, earlier })),
                None => check(source, text),
            }
        })
    };
    let from = |source: Source| {
        let read = read.clone();
        Callback::from(move |text: String| read(source.clone(), text))
    };

    // A photo with no label in it is an item too: the auditor must take it again.
    let on_no_label = {
        let session = session.clone();
        Callback::from(move |reason: Reason| {
            session.dispatch(Action::Add {
                at: clock::now(),
                source: Source::Photo,
                text: String::new(),
                verdict: Rc::new(Verdict::new(reason)),
            })
        })
    };
    let on_same = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(Action::DismissRepeat))
    };
    let on_another = {
        let (session, check) = (session.clone(), check.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(r) = session.repeat.clone() {
                check(r.source, r.text);
            }
        })
    };
    let on_note = {
        let session = session.clone();
        Callback::from(move |(n, text): (u32, String)| session.dispatch(Action::Note(n, text)))
    };
    let on_expected = {
        let session = session.clone();
        Callback::from(move |(n, text): (u32, String)| session.dispatch(Action::Expected(n, text)))
    };
    let on_remove = {
        let session = session.clone();
        Callback::from(move |n: u32| session.dispatch(Action::Remove(n)))
    };
    let export = |csv: bool| {
        let (session, save_error) = (session.clone(), save_error.clone());
        Callback::from(move |_: MouseEvent| {
            let a = &session.audit;
            let done = if csv {
                download::save(
                    &file_name(&a.name, "csv"),
                    "text/csv;charset=utf-8",
                    &to_csv(a, &|i| item_reason(lang, i)),
                )
            } else {
                download::save(
                    &file_name(&a.name, "json"),
                    "application/json",
                    &to_json(a, &|i| item_reason(lang, i)),
                )
            };
            if let Err(e) = done {
                save_error.set(Some(StoreProblem::Refused(e)));
            }
        })
    };
    let on_close = {
        let cb = props.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_delete = {
        let (cb, id) = (props.on_delete.clone(), props.audit.id.clone());
        Callback::from(move |_: MouseEvent| {
            if crate::platform::confirm::confirm(t(lang, Msg::AuditDeleteConfirm)) {
                cb.emit(id.clone());
            }
        })
    };

    let audit = &session.audit;
    html! {
        <section class="audit" aria-labelledby="audit-name">
            <header class="audit-head">
                <h2 id="audit-name">{ &audit.name }</h2>
                <p class="audit-started">{ local_date_time(audit.started_at, lang) }</p>
                <p class="audit-kept">{ t(lang, Msg::AuditKeptHere) }</p>
                if let Some(e) = &*save_error {
                    { problem_view(lang, e, Msg::CouldNotSave) }
                }
            </header>
            <Scanner continuous=true on_text={from(Source::Camera)} />
            if let Some(r) = &session.repeat {
                <div class="audit-repeat" role="alert" data-earlier={r.earlier.to_string()}>
                    <p>{ t(lang, Msg::AuditRepeat) }{ format!(" #{}.", r.earlier) }</p>
                    <button type="button" id="repeat-same" onclick={on_same}>{ t(lang, Msg::AuditSameProduct) }</button>
                    <button type="button" id="repeat-another" class="primary" onclick={on_another}>{ t(lang, Msg::AuditAnotherProduct) }</button>
                </div>
            }
            <AuditSummary audit={audit.clone()} />
            if audit.items.is_empty() {
                <p class="audit-empty">{ t(lang, Msg::AuditEmpty) }</p>
            } else {
                <ol class="audit-items" reversed=true>
                    { for audit.items.iter().rev().map(|i| html! {
                        <AuditItemRow key={i.n} item={i.clone()} clones={audit.clones_of(i.n)}
                            on_note={on_note.clone()} on_expected={on_expected.clone()} on_remove={on_remove.clone()} />
                    }) }
                </ol>
            }
            <PhotoInput on_text={from(Source::Photo)} on_no_label={on_no_label} />
            <LabelInput on_verify={from(Source::Typed)} />
            <div class="audit-actions">
                <button type="button" id="export-csv" onclick={export(true)}>{ t(lang, Msg::AuditExportCsv) }</button>
                <button type="button" id="export-json" onclick={export(false)}>{ t(lang, Msg::AuditExportJson) }</button>
                <button type="button" id="close-audit" onclick={on_close}>{ t(lang, Msg::AuditClose) }</button>
                <button type="button" id="delete-audit" class="danger" onclick={on_delete}>{ t(lang, Msg::AuditDelete) }</button>
            </div>
        </section>
    }
}
