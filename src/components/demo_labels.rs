//! The demo authority's labels, when the app is served with them: a page to try every case.

use crate::i18n::{say, t, Lang, Msg};
use crate::platform::{location, net};
use labelcheck_core::Arg;
use labelcheck_words::lookup;
use yew::prelude::*;

#[derive(Clone, PartialEq, serde::Deserialize)]
struct DemoLabel {
    case: String,
    qr: String,
    svg: String,
}

#[derive(serde::Deserialize)]
struct DemoFile {
    labels: Vec<DemoLabel>,
}

#[derive(Properties, PartialEq)]
pub struct DemoLabelsProps {
    pub on_verify: Callback<String>,
}

#[function_component(DemoLabels)]
pub fn demo_labels(props: &DemoLabelsProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let labels = use_state(Vec::<DemoLabel>::new);
    {
        let labels = labels.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(bytes) = net::get(&location::resolve("demo/labels.json"), 64 * 1024).await {
                    if let Ok(file) = serde_json::from_slice::<DemoFile>(&bytes) {
                        labels.set(file.labels);
                    }
                }
            });
        });
    }
    if labels.is_empty() {
        return html! {};
    }
    html! {
        <section class="demo" aria-labelledby="demo-title">
            <h2 id="demo-title">{ t(lang, Msg::DemoTitle) }</h2>
            <p>{ t(lang, Msg::DemoIntro) }</p>
            <ul class="demo-grid">
                { for labels.iter().map(|l| {
                    let on_verify = props.on_verify.clone();
                    let qr = l.qr.clone();
                    let onclick = Callback::from(move |_| on_verify.emit(qr.clone()));
                    // The case's name in the reader's language (the id itself if a table lacks it).
                    let case = lookup(lang, &format!("demo-case.{}", l.case)).unwrap_or(&l.case).to_owned();
                    let alt = say(lang, Msg::DemoCaseLabel, &[("case", Arg::Text(case.clone()))]);
                    html! {
                        <li class="demo-card">
                            <img src={l.svg.clone()} alt={alt} loading="lazy" width="160" height="251" />
                            <button type="button" data-case={l.case.clone()} {onclick}>{ format!("{}: {case}", t(lang, Msg::DemoVerify)) }</button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
