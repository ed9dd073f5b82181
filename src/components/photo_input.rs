//! Scan a photo: a file input that phones also offer as "take a photo".

use crate::components::scanner::pick;
use crate::i18n::{t, Lang, Msg};
use crate::platform::frames::Grabber;
use crate::platform::scan_worker::{ScanEvent, ScanWorker};
use crate::use_latest::use_latest;
use labelcheck_core::reason::ImageProblem;
use labelcheck_core::Reason;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, ImageBitmap};
use yew::prelude::*;

/// Photos are decoded at up to this many pixels on the longer side.
const PHOTO_MAX_SIDE: f64 = 1600.0;

#[derive(Properties, PartialEq)]
pub struct PhotoInputProps {
    pub on_text: Callback<String>,
    /// A photo that yields no label (no code in it, or not an image): its reason, for a parent
    /// that keeps a record of every input (an audit). It is said here either way.
    #[prop_or_default]
    pub on_no_label: Option<Callback<Reason>>,
}

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Reading,
    NoLabel(Reason),
    Restarted,
}

#[function_component(PhotoInput)]
pub fn photo_input(props: &PhotoInputProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let state = use_state(|| State::Idle);
    let on_text = use_latest(&props.on_text);
    let on_no_label = use_latest(&props.on_no_label);
    let worker = use_context::<ScanWorker>().unwrap_or_default();
    // Said in the status line, and told to a parent that records it.
    let no_label = {
        let state = state.clone();
        Rc::new(move |reason: Reason| {
            if let Some(cb) = on_no_label.borrow().as_ref() {
                cb.emit(reason.clone());
            }
            state.set(State::NoLabel(reason));
        })
    };
    let onchange = {
        let state = state.clone();
        let worker = worker.clone();
        let no_label = no_label.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            state.set(State::Reading);
            let (state, worker, on_text, no_label) = (state.clone(), worker.clone(), on_text.clone(), no_label.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let bitmap = match web_sys::window().map(|w| w.create_image_bitmap_with_blob(&file)) {
                    Some(Ok(p)) => JsFuture::from(p)
                        .await
                        .ok()
                        .and_then(|b| b.dyn_into::<ImageBitmap>().ok()),
                    _ => None,
                };
                let frame = bitmap
                    .as_ref()
                    .and_then(|b| Grabber::new()?.from_bitmap(b, PHOTO_MAX_SIDE));
                match frame {
                    Some(f) => {
                        let answered = state.clone();
                        let none_found = no_label.clone();
                        let on_event = move |event| match event {
                            ScanEvent::Texts(texts) => match pick(&texts) {
                                Some(text) => {
                                    answered.set(State::Idle);
                                    let cb = on_text.borrow().clone();
                                    cb.emit(text);
                                }
                                None => none_found(Reason::NoCodeFound),
                            },
                            ScanEvent::Restarted => answered.set(State::Restarted),
                        };
                        if !worker.until_ready().await || !worker.offer(&f, true, on_event) {
                            no_label(Reason::ImageUnreadable(ImageProblem::DecoderFailed));
                        }
                    }
                    None => no_label(Reason::ImageUnreadable(ImageProblem::NotAnImage)),
                }
            });
        })
    };
    html! {
        <section class="photo">
            <label class="button" for="photo-input">{ t(lang, Msg::ScanPhoto) }</label>
            <input id="photo-input" class="visually-hidden" type="file" accept="image/*" {onchange} />
            <p class="photo-status" role="status" aria-live="polite">
                { match &*state {
                    State::Idle => String::new(),
                    State::Reading => t(lang, Msg::PhotoReading).to_owned(),
                    State::NoLabel(reason) => crate::i18n::reason(lang, reason),
                    State::Restarted => t(lang, Msg::ScannerRestarted).to_owned(),
                } }
            </p>
        </section>
    }
}
