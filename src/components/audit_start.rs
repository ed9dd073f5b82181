//! Starting an audit, and the audits saved on this device: open one, or delete it.

use crate::audits::{problem_view, StoreProblem};
use crate::i18n::{say, t, Lang, Msg};
use labelcheck_core::audit::Audit;
use labelcheck_core::Arg;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AuditStartProps {
    pub saved: Vec<Audit>,
    /// Why saved audits could not be read, or how many records were unreadable.
    pub problem: Option<StoreProblem>,
    pub on_start: Callback<String>,
    pub on_open: Callback<String>,
    pub on_delete: Callback<String>,
}

#[function_component(AuditStart)]
pub fn audit_start(props: &AuditStartProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let name = use_node_ref();
    let onsubmit = {
        let (name, cb) = (name.clone(), props.on_start.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = name.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let typed: String = typed.trim().chars().take(100).collect();
            cb.emit(if typed.is_empty() {
                t(lang, Msg::AuditDefaultName).to_owned()
            } else {
                typed
            });
        })
    };
    html! {
        <section class="audit-start" aria-labelledby="audit-start-title">
            <h2 id="audit-start-title">{ t(lang, Msg::AuditTitle) }</h2>
            <p>{ t(lang, Msg::AuditIntro) }</p>
            <form class="paste" {onsubmit}>
                <label for="audit-name-input">{ t(lang, Msg::AuditName) }</label>
                <div class="row">
                    <input id="audit-name-input" ref={name} type="text" maxlength="100" autocomplete="off" />
                    <button type="submit" id="start-audit" class="primary">{ t(lang, Msg::AuditStart) }</button>
                </div>
            </form>
            if let Some(p) = &props.problem {
                { problem_view(lang, p, Msg::CouldNotRead) }
            }
            if !props.saved.is_empty() {
                <h3>{ t(lang, Msg::AuditSaved) }</h3>
                <ul class="audit-saved">
                    { for props.saved.iter().map(|a| {
                        let (open, delete) = (props.on_open.clone(), props.on_delete.clone());
                        let (id1, id2) = (a.id.clone(), a.id.clone());
                        let on_delete = Callback::from(move |_: MouseEvent| {
                            if crate::platform::confirm::confirm(t(lang, Msg::AuditDeleteConfirm)) {
                                delete.emit(id2.clone());
                            }
                        });
                        html! {
                            <li data-audit={a.id.clone()}>
                                <span>{ &a.name }{ format!(" · {} · {}", a.started_at.date(), say(lang, Msg::AuditItems, &[("n", Arg::Count(a.items.len() as u64))])) }</span>
                                <button type="button" class="open-audit" onclick={Callback::from(move |_: MouseEvent| open.emit(id1.clone()))}>{ t(lang, Msg::AuditOpen) }</button>
                                <button type="button" class="delete-audit danger" onclick={on_delete}>{ t(lang, Msg::AuditDelete) }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}
