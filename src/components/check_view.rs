//! A label's check as it stands: checking, the label verified with its report on the way, or
//! the verdict. Only the verdict carries `data-verdict`: nothing provisional is shown as one.

use crate::components::icon::{Glyph, Icon};
use crate::components::verdict_view::VerdictView;
use crate::i18n::{t, Lang, Msg};
use crate::platform::clock;
use crate::verification::Check;
use labelcheck_core::VerdictKind;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CheckViewProps {
    pub check: Check,
    pub text: String,
}

#[function_component(CheckView)]
pub fn check_view(props: &CheckViewProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    match &props.check {
        Check::Checking => html! {
            <p class="checking" role="status" aria-live="polite">{ t(lang, Msg::Checking) }</p>
        },
        Check::ReportPending(v) => html! {
            <section class="verdict verdict-pending" data-stage="report-pending" aria-busy="true">
                <div class="verdict-head" role="status" aria-live="polite" aria-atomic="true">
                    <span class="verdict-icon" aria-hidden="true"><Icon glyph={Glyph::of(VerdictKind::Genuine)} /></span>
                    <div>
                        <p class="verdict-reason pending">{ t(lang, Msg::CheckingReport) }</p>
                    </div>
                </div>
                if let Some(c) = &v.claim {
                    <dl class="identity">
                        <dt>{ t(lang, Msg::Maker) }</dt><dd>{ &c.maker }</dd>
                        <dt>{ t(lang, Msg::Model) }</dt><dd>{ &c.model }</dd>
                        <dt>{ t(lang, Msg::Serial) }</dt><dd>{ &c.serial }</dd>
                    </dl>
                }
            </section>
        },
        Check::Done(v) => html! {
            <VerdictView verdict={v.clone()} text={props.text.clone()} now={clock::now()} />
        },
    }
}
