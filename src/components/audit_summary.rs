//! The running totals of an audit: labels by verdict as a bar chart (word, icon and count
//! beside each bar, never colour alone), and the serials found on more than one product.

use crate::components::icon::{Glyph, Icon};
use crate::i18n::{say, t, verdict_word, Lang, Msg};
use labelcheck_core::audit::Audit;
use labelcheck_core::Arg;
use labelcheck_core::VerdictKind;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AuditSummaryProps {
    pub audit: Audit,
}

const BAR_MAX: usize = 200;

#[function_component(AuditSummary)]
pub fn audit_summary(props: &AuditSummaryProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let s = props.audit.summary();
    let most = s.by_verdict.values().copied().max().unwrap_or(1).max(1);
    let rows: Vec<(VerdictKind, usize)> = VerdictKind::ALL
        .into_iter()
        .filter_map(|k| s.by_verdict.get(k.as_str()).map(|&n| (k, n)))
        .collect();
    let height = rows.len() * 28;
    html! {
        <section class="audit-summary" aria-label={t(lang, Msg::AuditVerdicts)}>
            <p class="audit-count" id="audit-count" data-count={s.items.to_string()}>{ say(lang, Msg::AuditItems, &[("n", Arg::Count(s.items as u64))]) }</p>
            if !rows.is_empty() {
                <svg class="audit-chart" role="img" aria-label={t(lang, Msg::AuditVerdicts)}
                    viewBox={format!("0 0 420 {height}")} width="100%" height={height.to_string()}>
                    { for rows.iter().enumerate().map(|(i, (kind, n))| {
                        let y = i * 28;
                        let w = (n * BAR_MAX / most).max(2);
                        html! {
                            <g class={format!("bar bar-{}", kind.as_str())} data-verdict={kind.as_str()} data-count={n.to_string()}>
                                <Icon glyph={Glyph::of(*kind)} size="18" x="0" y={(y + 4).to_string()} />
                                <text x="24" y={(y + 18).to_string()}>{ verdict_word(lang, *kind) }</text>
                                <rect x="190" y={(y + 4).to_string()} width={w.to_string()} height="18" rx="3" />
                                <text x={(196 + w).to_string()} y={(y + 18).to_string()}>{ n }</text>
                            </g>
                        }
                    }) }
                </svg>
            }
            if s.clones.is_empty() {
                <p class="audit-no-clones">{ t(lang, Msg::AuditNoClones) }</p>
            } else {
                <div class="audit-clones" role="alert">
                    <h3><Icon glyph={Glyph::Warning} />{ " " }{ t(lang, Msg::AuditClones) }</h3>
                    <ul>
                        { for s.clones.iter().map(|g| html! {
                            <li data-serial={g.serial.clone()}>
                                { format!("{} {}: {} {}", t(lang, Msg::Serial), g.serial, t(lang, Msg::AuditItem),
                                    g.items.iter().map(|n| format!("#{n}")).collect::<Vec<_>>().join(", ")) }
                            </li>
                        }) }
                    </ul>
                </div>
            }
        </section>
    }
}
