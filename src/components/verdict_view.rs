//! The verdict screen. For a shopper first: one word with its icon and colour, a first line in
//! plain words, and for anything but genuine what to do now; the certified stars large only
//! when the label is genuine (otherwise the label's claim, small, marked as not confirmed).
//! Key ids, list versions and the full reasons are under the details, for inspectors.

use crate::components::icon::{Glyph, Icon};
use crate::components::stars::Stars;
use crate::i18n::{name, reason, t, verdict_word, Lang, Msg};
use labelcheck_core::report::ClauseResult;
use labelcheck_core::{Timestamp, Verdict, VerdictKind};
use labelcheck_words::{plain_reason, what_to_do};
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

fn is_genuine(kind: VerdictKind) -> bool {
    matches!(kind, VerdictKind::Genuine | VerdictKind::GenuineOffline)
}

#[function_component(VerdictView)]
pub fn verdict_view(props: &VerdictViewProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let tr = |m: Msg| t(lang, m);
    let v = &props.verdict;
    let kind = v.kind();
    let first = v.headline().map(|r| plain_reason(lang, r)).unwrap_or_default();
    let todo = what_to_do(lang, v);
    let genuine = is_genuine(kind);
    html! {
        <section class={classes!("verdict", format!("verdict-{}", kind.as_str()))} data-verdict={kind.as_str()}>
            <div class="verdict-head" role="status" aria-live="assertive" aria-atomic="true">
                <span class="verdict-icon" aria-hidden="true"><Icon glyph={Glyph::of(kind)} /></span>
                <div>
                    <h2 class="verdict-word">{ verdict_word(lang, kind) }</h2>
                    <p class="verdict-reason">{ first }</p>
                </div>
            </div>
            if let Some(todo) = todo {
                <p class="todo"><strong>{ tr(Msg::WhatToDo) }</strong>{ " " }{ todo }</p>
            }
            if v.authority.as_ref().is_some_and(|a| a.demo) {
                <p class="demo-badge">{ tr(Msg::DemoBadge) }</p>
            }
            // A list past its expiry weakens any verdict: said up front, in plain words.
            if v.caveats().any(|r| r.code() != "demo-authority") {
                <ul class="caveats">
                    { for v.caveats().filter(|r| r.code() != "demo-authority").map(|r| html! {
                        <li data-code={r.code()}><Icon glyph={Glyph::Warning} />{ " " }{ plain_reason(lang, r) }</li>
                    }) }
                </ul>
            }
            if let Some(c) = &v.claim {
                if genuine {
                    <div class="certified">
                        <Stars level={c.level} max={v.programme.as_ref().map_or(c.level, |p| p.max_level)} />
                        <p class="compare">{ tr(Msg::ComparePrinted) }</p>
                        if let Some(p) = &v.programme {
                            <p class="programme">{ names(lang, &p.name) }</p>
                        }
                    </div>
                } else {
                    <div class="claimed">
                        <Stars small=true level={c.level} max={v.programme.as_ref().map_or(c.level, |p| p.max_level)} />
                        <p class="claimed-note">{ tr(Msg::ClaimedNotConfirmed) }</p>
                    </div>
                }
                <dl class="identity">
                    <dt>{ tr(Msg::Maker) }</dt><dd>{ &c.maker }</dd>
                    <dt>{ tr(Msg::Model) }</dt><dd>{ &c.model }</dd>
                    <dt>{ tr(Msg::Serial) }</dt><dd>{ &c.serial }</dd>
                    <dt>{ tr(Msg::Valid) }</dt><dd>{ format!("{} {} {}", c.valid_from, tr(Msg::ValidTo), c.valid_until) }</dd>
                    { for c.gtins.iter().map(|g| html! { <><dt>{ tr(Msg::Gtin) }</dt><dd>{ g }</dd></> }) }
                </dl>
            }
            if kind == VerdictKind::NotALabel {
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
                        <p><q class="quoted">{ &r.standard.title }</q></p>
                        <ul class="clauses">
                            { for r.standard.clauses.iter().map(|cl| {
                                let (mark, class, word) = match cl.result {
                                    ClauseResult::Pass => (html! { <Icon glyph={Glyph::Check} /> }, "clause-pass", tr(Msg::ClausePass)),
                                    ClauseResult::Fail => (html! { <Icon glyph={Glyph::Cross} /> }, "clause-fail", tr(Msg::ClauseFail)),
                                    ClauseResult::NotApplicable => (html! { { "–" } }, "clause-na", tr(Msg::ClauseNotApplicable)),
                                };
                                html! {
                                    <li class={class}>
                                        <span aria-hidden="true">{ mark }</span>
                                        { " " }<q class="quoted">{ format!("{} {}", cl.id, cl.title) }</q>{ format!(": {word}") }
                                        if let Some(n) = &cl.note { { " " }<q class="quoted">{ n }</q> }
                                    </li>
                                }
                            }) }
                        </ul>
                        <p>{ format!("{} {} · {} {}", tr(Msg::TestedBy), r.test_lab.name, tr(Msg::TestedOn), r.test_lab.tested_on) }</p>
                    </details>
                    <details>
                        <summary>{ tr(Msg::UpdatesPasswords) }</summary>
                        <dl>
                            <dt>{ tr(Msg::UpdatePolicy) }</dt><dd><q class="quoted">{ &r.update_policy }</q></dd>
                            <dt>{ tr(Msg::DefaultPassword) }</dt><dd><q class="quoted">{ &r.default_password }</q></dd>
                            <dt>{ tr(Msg::VulnerabilityContact) }</dt><dd>{ &r.vulnerability_contact }</dd>
                        </dl>
                    </details>
                </div>
            }
            <details class="details">
                <summary>{ tr(Msg::Details) }</summary>
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
                <h3 class="all-checks">{ tr(Msg::AllChecks) }</h3>
                <ul class="reasons">
                    { for v.reasons().map(|r| html! { <li data-code={r.code()}>{ reason(lang, r) }</li> }) }
                </ul>
            </details>
        </section>
    }
}
