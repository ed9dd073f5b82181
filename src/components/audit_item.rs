//! One checked label in an audit: verdict, maker, model, stars and time; a cloned-label flag;
//! the auditor's note and the model or GTIN read off the product.

use crate::components::icon::{Glyph, Icon};
use crate::i18n::{t, verdict_word, Lang, Msg};
use labelcheck_core::audit::{AuditItem, Source};
use labelcheck_words::item_reason;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AuditItemProps {
    pub item: AuditItem,
    /// Other items carrying the same serial.
    pub clones: Vec<u32>,
    pub on_note: Callback<(u32, String)>,
    pub on_expected: Callback<(u32, String)>,
    pub on_remove: Callback<u32>,
}

fn source_word(lang: Lang, source: &Source) -> String {
    match source {
        Source::Camera => t(lang, Msg::AuditSourceCamera).into(),
        Source::Photo => t(lang, Msg::AuditSourcePhoto).into(),
        Source::Typed => t(lang, Msg::AuditSourceTyped).into(),
        Source::File(path) => path.clone(),
    }
}

/// The time on the device's clock face, not UTC: what the auditor's watch says.
pub fn local_time(at: labelcheck_core::Timestamp, lang: Lang) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.0 as f64 * 1000.0));
    d.to_locale_time_string(lang.code()).into()
}

/// The date and time on the device's clock face.
pub fn local_date_time(at: labelcheck_core::Timestamp, lang: Lang) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.0 as f64 * 1000.0));
    d.to_locale_string(lang.code(), &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

fn input_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<HtmlInputElement>().map(|i| i.value())
}

#[function_component(AuditItemRow)]
pub fn audit_item_row(props: &AuditItemProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let i = &props.item;
    let n = i.n;
    let kind = i.verdict.as_str();
    let why = item_reason(lang, i);
    let time = local_time(i.checked_at, lang);
    let on_note = {
        let cb = props.on_note.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                cb.emit((n, v));
            }
        })
    };
    let on_expected = {
        let cb = props.on_expected.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                cb.emit((n, v));
            }
        })
    };
    let on_remove = {
        let cb = props.on_remove.clone();
        Callback::from(move |_: MouseEvent| cb.emit(n))
    };
    let stars = match (i.level, i.max_level) {
        (Some(l), Some(m)) => (0..m.max(l)).map(|k| if k < l { '★' } else { '☆' }).collect::<String>(),
        (Some(l), None) => "★".repeat(usize::from(l)),
        _ => String::new(),
    };
    let cloned = !props.clones.is_empty();
    let mismatch = i.expected_mismatch();
    html! {
        <li class={classes!("audit-item", format!("verdict-{kind}"), cloned.then_some("cloned"))}
            data-item={n.to_string()} data-verdict={kind} data-clone={cloned.to_string()}
            data-mismatch={mismatch.to_string()}>
            <div class="audit-item-head">
                <span class="item-n">{ format!("#{n}") }</span>
                <span class="verdict-icon" aria-hidden="true"><Icon glyph={Glyph::of(i.verdict)} /></span>
                <strong class="item-verdict">{ verdict_word(lang, i.verdict) }</strong>
                <time datetime={i.checked_at.to_string()}>{ time }</time>
                <span class="item-source">{ source_word(lang, &i.source) }</span>
            </div>
            if i.serial.is_some() {
                <p class="item-identity">
                    <span class="item-stars" aria-label={format!("{} / {}", i.level.unwrap_or(0), i.max_level.unwrap_or(0))}>{ stars }</span>
                    { format!(" {} · {} · {}", i.maker.clone().unwrap_or_default(), i.model.clone().unwrap_or_default(), i.serial.clone().unwrap_or_default()) }
                </p>
            }
            if !why.is_empty() { <p class="item-reason">{ why }</p> }
            if cloned {
                <p class="clone-flag" role="alert">
                    <Icon glyph={Glyph::Warning} />{ " " }{ t(lang, Msg::AuditClone) }{ " " }
                    { props.clones.iter().map(|c| format!("#{c}")).collect::<Vec<_>>().join(", ") }
                </p>
            }
            if mismatch {
                <p class="mismatch-flag" role="alert"><Icon glyph={Glyph::Warning} />{ " " }{ t(lang, Msg::AuditMismatch) }</p>
            }
            <div class="item-fields">
                <label>{ t(lang, Msg::AuditNote) }
                    <input class="item-note" type="text" maxlength="500" value={i.note.clone()} onchange={on_note} />
                </label>
                if i.serial.is_some() {
                    <label>{ t(lang, Msg::AuditExpected) }
                        <input class="item-expected" type="text" maxlength="500" value={i.expected.clone()} onchange={on_expected} />
                    </label>
                }
                <button type="button" class="item-remove" onclick={on_remove}>{ t(lang, Msg::AuditRemove) }</button>
            </div>
        </li>
    }
}
