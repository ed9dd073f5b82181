//! The verdict screen: one word, its reason, colour + icon + text, announced to screen readers.

use crate::components::stars::Stars;
use labelcheck_core::report::ClauseResult;
use labelcheck_core::{Timestamp, Verdict, VerdictKind};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct VerdictViewProps {
    pub verdict: Rc<Verdict>,
    /// The QR text, shown inert when it is not a label.
    pub text: String,
    pub now: Timestamp,
}

pub fn word(kind: VerdictKind) -> (&'static str, &'static str) {
    match kind {
        VerdictKind::Genuine => ("✔", "Genuine"),
        VerdictKind::GenuineOffline => ("✔", "Genuine, verified offline"),
        VerdictKind::NotGenuine => ("✖", "Not genuine"),
        VerdictKind::Revoked => ("⊘", "Revoked"),
        VerdictKind::Expired => ("⌛", "Expired"),
        VerdictKind::UnknownAuthority => ("?", "Unknown authority"),
        VerdictKind::NotALabel => ("ℹ", "Not a label"),
        VerdictKind::CannotCheck => ("⚠", "Cannot check"),
    }
}

fn age(now: Timestamp, then: Timestamp) -> String {
    let days = (now.0 - then.0).max(0) / 86_400;
    match days {
        0 => "today".into(),
        1 => "1 day ago".into(),
        n => format!("{n} days ago"),
    }
}

#[function_component(VerdictView)]
pub fn verdict_view(props: &VerdictViewProps) -> Html {
    let v = &props.verdict;
    let kind = v.kind.as_str();
    let (icon, title) = word(v.kind);
    let first = v.reasons.first().map(ToString::to_string).unwrap_or_default();
    html! {
        <section class={classes!("verdict", format!("verdict-{kind}"))} data-verdict={kind}>
            <div class="verdict-head" role="status" aria-live="assertive" aria-atomic="true">
                <span class="verdict-icon" aria-hidden="true">{ icon }</span>
                <div>
                    <h2 class="verdict-word">{ title }</h2>
                    <p class="verdict-reason">{ first }</p>
                </div>
            </div>
            if v.authority.as_ref().is_some_and(|a| a.demo) {
                <p class="demo-badge">{ "DEMO authority: not a real certification · 演示机构：非真实认证" }</p>
            }
            if let Some(c) = &v.claim {
                <div class="certified">
                    <Stars level={c.level} max={v.programme.as_ref().map_or(c.level, |p| p.max_level)} />
                    <p class="compare">{ "Compare with the printed label" }</p>
                    if let Some(p) = &v.programme {
                        <p class="programme">{ format!("{} · {}", p.name.en, p.name.zh) }</p>
                    }
                </div>
                <dl class="identity">
                    <dt>{ "Maker" }</dt><dd>{ &c.maker }</dd>
                    <dt>{ "Model" }</dt><dd>{ &c.model }</dd>
                    <dt>{ "Serial" }</dt><dd>{ &c.serial }</dd>
                    <dt>{ "Valid" }</dt><dd>{ format!("{} to {}", c.valid_from, c.valid_until) }</dd>
                    { for c.gtins.iter().map(|g| html! { <><dt>{ "GTIN" }</dt><dd>{ g }</dd></> }) }
                </dl>
            }
            if v.kind == VerdictKind::NotALabel {
                <div class="inert">
                    <p>{ "The code contains this text. It was not opened:" }</p>
                    <pre>{ props.text.chars().take(500).collect::<String>() }</pre>
                </div>
            }
            if let Some(r) = &v.report {
                <div class="report">
                    <h3>{ "Security report" }</h3>
                    <details open=true>
                        <summary>{ "Product tested" }</summary>
                        <dl>
                            <dt>{ "Product" }</dt><dd>{ &r.product.name }</dd>
                            <dt>{ "Category" }</dt><dd>{ &r.product.category }</dd>
                            if let Some(h) = &r.product.hardware_version { <dt>{ "Hardware" }</dt><dd>{ h }</dd> }
                            <dt>{ "Firmware tested" }</dt><dd>{ r.product.firmware_versions.join(", ") }</dd>
                            <dt>{ "Security updates until" }</dt><dd>{ r.support_until.to_string() }</dd>
                        </dl>
                    </details>
                    <details>
                        <summary>{ format!("Test results: {}", r.standard.id) }</summary>
                        <p>{ &r.standard.title }</p>
                        <ul class="clauses">
                            { for r.standard.clauses.iter().map(|cl| {
                                let (mark, text) = match cl.result {
                                    ClauseResult::Pass => ("✔", "pass"),
                                    ClauseResult::Fail => ("✖", "fail"),
                                    ClauseResult::NotApplicable => ("–", "not applicable"),
                                };
                                html! {
                                    <li class={format!("clause-{text}").replace(' ', "-")}>
                                        <span aria-hidden="true">{ mark }</span>
                                        { format!(" {} {}: {}", cl.id, cl.title, text) }
                                        if let Some(n) = &cl.note { <small>{ format!(" ({n})") }</small> }
                                    </li>
                                }
                            }) }
                        </ul>
                        <p>{ format!("Tested by {} on {}", r.test_lab.name, r.test_lab.tested_on) }</p>
                    </details>
                    <details>
                        <summary>{ "Updates, passwords and vulnerability contact" }</summary>
                        <dl>
                            <dt>{ "Update policy" }</dt><dd>{ &r.update_policy }</dd>
                            <dt>{ "Default password" }</dt><dd>{ &r.default_password }</dd>
                            <dt>{ "Report a vulnerability" }</dt><dd>{ &r.vulnerability_contact }</dd>
                        </dl>
                    </details>
                </div>
            }
            if let Some(a) = &v.authority {
                <dl class="authority">
                    <dt>{ "Authority" }</dt><dd>{ format!("{} · {}", a.name.en, a.name.zh) }</dd>
                    if let Some(k) = &a.key_id { <dt>{ "Signing key" }</dt><dd>{ k }</dd> }
                    <dt>{ "Key list" }</dt>
                    <dd>{ format!("version {}, issued {}", a.key_list_version, age(props.now, a.key_list_issued_at)) }</dd>
                    if let (Some(rv), Some(ri)) = (a.revocations_version, a.revocations_issued_at) {
                        <dt>{ "Revocation list" }</dt><dd>{ format!("version {rv}, issued {}", age(props.now, ri)) }</dd>
                    }
                </dl>
            }
            <details class="reasons">
                <summary>{ "All checks" }</summary>
                <ul>
                    { for v.reasons.iter().map(|r| html! { <li data-code={r.code()}>{ r.to_string() }</li> }) }
                </ul>
            </details>
        </section>
    }
}
