//! The verdict screen: one word, its reason, colour + icon + text, announced to screen readers.

use crate::components::stars::Stars;
use crate::i18n::{name, reason, t, verdict_icon, verdict_word, Lang, Msg};
use labelcheck_core::report::ClauseResult;
use labelcheck_core::{Reason, Timestamp, Verdict, VerdictKind};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct VerdictViewProps {
    pub verdict: Rc<Verdict>,
    /// The QR text, shown inert when it is not a label.
    pub text: String,
    pub now: Timestamp,
}

fn age(lang: Lang, now: Timestamp, then: Timestamp) -> String {
    match (now.0 - then.0).max(0) / 86_400 {
        0 => t(lang, Msg::Today).into(),
        1 => t(lang, Msg::DayAgo).into(),
        n => format!("{n} {}", t(lang, Msg::DaysAgo)),
    }
}

/// An authority's or programme's name in the reader's language first, then the other one.
fn names(lang: Lang, n: &labelcheck_core::key_list::Names) -> String {
    let own = name(lang, n);
    let other = if own == n.en { &n.zh } else { &n.en };
    format!("{own} · {other}")
}

/// Caveats said up front: a list past its expiry. (A demo authority has its own badge.)
fn is_stale_list(r: &Reason) -> bool {
    matches!(r, Reason::KeyListExpired { .. } | Reason::RevocationListExpired { .. })
}

#[function_component(VerdictView)]
pub fn verdict_view(props: &VerdictViewProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let tr = |m: Msg| t(lang, m);
    let v = &props.verdict;
    let kind = v.kind().as_str();
    let first = v.headline().map(|r| reason(lang, r)).unwrap_or_default();
    html! {
        <section class={classes!("verdict", format!("verdict-{kind}"))} data-verdict={kind}>
            <div class="verdict-head" role="status" aria-live="assertive" aria-atomic="true">
                <span class="verdict-icon" aria-hidden="true">{ verdict_icon(v.kind()) }</span>
                <div>
                    <h2 class="verdict-word">{ verdict_word(lang, v.kind()) }</h2>
                    <p class="verdict-reason">{ first }</p>
                </div>
            </div>
            if v.authority.as_ref().is_some_and(|a| a.demo) {
                <p class="demo-badge">{ tr(Msg::DemoBadge) }</p>
            }
            // Stale lists weaken any verdict: said up front, not only in the details.
            if v.caveats().any(is_stale_list) {
                <ul class="caveats">
                    { for v.caveats().filter(|r| is_stale_list(r)).map(|r| html! {
                        <li data-code={r.code()}><span aria-hidden="true">{ "⚠ " }</span>{ reason(lang, r) }</li>
                    }) }
                </ul>
            }
            if let Some(c) = &v.claim {
                <div class="certified">
                    <Stars level={c.level} max={v.programme.as_ref().map_or(c.level, |p| p.max_level)} />
                    <p class="compare">{ tr(Msg::ComparePrinted) }</p>
                    if let Some(p) = &v.programme {
                        <p class="programme">{ names(lang, &p.name) }</p>
                    }
                </div>
                <dl class="identity">
                    <dt>{ tr(Msg::Maker) }</dt><dd>{ &c.maker }</dd>
                    <dt>{ tr(Msg::Model) }</dt><dd>{ &c.model }</dd>
                    <dt>{ tr(Msg::Serial) }</dt><dd>{ &c.serial }</dd>
                    <dt>{ tr(Msg::Valid) }</dt><dd>{ format!("{} {} {}", c.valid_from, tr(Msg::ValidTo), c.valid_until) }</dd>
                    { for c.gtins.iter().map(|g| html! { <><dt>{ tr(Msg::Gtin) }</dt><dd>{ g }</dd></> }) }
                </dl>
            }
            if v.kind() == VerdictKind::NotALabel {
                <div class="inert">
                    <p>{ tr(Msg::CodeText) }</p>
                    <pre>{ props.text.chars().take(500).collect::<String>() }</pre>
                </div>
            }
            if let Some(r) = &v.report {
                <div class="report">
                    <h3>{ tr(Msg::SecurityReport) }</h3>
                    <details open=true>
                        <summary>{ tr(Msg::ProductTested) }</summary>
                        <dl>
                            <dt>{ tr(Msg::Product) }</dt><dd>{ &r.product.name }</dd>
                            <dt>{ tr(Msg::Category) }</dt><dd>{ &r.product.category }</dd>
                            if let Some(h) = &r.product.hardware_version { <dt>{ tr(Msg::Hardware) }</dt><dd>{ h }</dd> }
                            <dt>{ tr(Msg::FirmwareTested) }</dt><dd>{ r.product.firmware_versions.join(", ") }</dd>
                            <dt>{ tr(Msg::SupportUntil) }</dt><dd>{ r.support_until.to_string() }</dd>
                        </dl>
                    </details>
                    <details>
                        <summary>{ format!("{}: {}", tr(Msg::TestResults), r.standard.id) }</summary>
                        <p>{ &r.standard.title }</p>
                        <ul class="clauses">
                            { for r.standard.clauses.iter().map(|cl| {
                                let (mark, class, word) = match cl.result {
                                    ClauseResult::Pass => ("✔", "clause-pass", tr(Msg::ClausePass)),
                                    ClauseResult::Fail => ("✖", "clause-fail", tr(Msg::ClauseFail)),
                                    ClauseResult::NotApplicable => ("–", "clause-na", tr(Msg::ClauseNotApplicable)),
                                };
                                html! {
                                    <li class={class}>
                                        <span aria-hidden="true">{ mark }</span>
                                        { format!(" {} {}: {}", cl.id, cl.title, word) }
                                        if let Some(n) = &cl.note { <small>{ format!(" ({n})") }</small> }
                                    </li>
                                }
                            }) }
                        </ul>
                        <p>{ format!("{} {} · {} {}", tr(Msg::TestedBy), r.test_lab.name, tr(Msg::TestedOn), r.test_lab.tested_on) }</p>
                    </details>
                    <details>
                        <summary>{ tr(Msg::UpdatesPasswords) }</summary>
                        <dl>
                            <dt>{ tr(Msg::UpdatePolicy) }</dt><dd>{ &r.update_policy }</dd>
                            <dt>{ tr(Msg::DefaultPassword) }</dt><dd>{ &r.default_password }</dd>
                            <dt>{ tr(Msg::VulnerabilityContact) }</dt><dd>{ &r.vulnerability_contact }</dd>
                        </dl>
                    </details>
                </div>
            }
            if let Some(a) = &v.authority {
                <dl class="authority">
                    <dt>{ tr(Msg::Authority) }</dt><dd>{ names(lang, &a.name) }</dd>
                    if let Some(k) = &a.key_id { <dt>{ tr(Msg::SigningKey) }</dt><dd>{ k }</dd> }
                    <dt>{ tr(Msg::KeyList) }</dt>
                    <dd>{ format!("{} {}, {} {}", tr(Msg::Version), a.key_list_version, tr(Msg::Issued), age(lang, props.now, a.key_list_issued_at)) }</dd>
                    if let (Some(rv), Some(ri)) = (a.revocations_version, a.revocations_issued_at) {
                        <dt>{ tr(Msg::RevocationList) }</dt>
                        <dd>{ format!("{} {rv}, {} {}", tr(Msg::Version), tr(Msg::Issued), age(lang, props.now, ri)) }</dd>
                    }
                </dl>
            }
            <details class="reasons">
                <summary>{ tr(Msg::AllChecks) }</summary>
                <ul>
                    { for v.reasons().map(|r| html! { <li data-code={r.code()}>{ reason(lang, r) }</li> }) }
                </ul>
            </details>
        </section>
    }
}
