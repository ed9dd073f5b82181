//! Scan a photo: a file input that phones also offer as "take a photo".

use crate::components::scanner::pick;
use crate::i18n::{t, Lang, Msg};
use crate::platform::frames::Grabber;
use crate::platform::scan_worker::{ScanEvent, ScanWorker};
use crate::use_latest::use_latest;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, ImageBitmap};
use yew::prelude::*;

/// Photos are decoded at up to this many pixels on the longer side.
const PHOTO_MAX_SIDE: f64 = 1600.0;

#[derive(Properties, PartialEq)]
pub struct PhotoInputProps {
    pub on_text: Callback<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Idle,
    Reading,
    NoCode,
    Unreadable,
    Restarted,
}

#[function_component(PhotoInput)]
pub fn photo_input(props: &PhotoInputProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let state = use_state(|| State::Idle);
    let on_text = use_latest(&props.on_text);
    let worker = {
        let state = state.clone();
        use_memo((), move |_| {
            ScanWorker::new(move |event| match event {
                ScanEvent::Texts(texts) => match pick(&texts) {
                    Some(text) => {
                        state.set(State::Idle);
                        let cb = on_text.borrow().clone();
                        cb.emit(text);
                    }
                    None => state.set(State::NoCode),
                },
                ScanEvent::Restarted => state.set(State::Restarted),
            })
        })
    };
    let onchange = {
        let state = state.clone();
        let worker = (*worker).clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            state.set(State::Reading);
            let (state, worker) = (state.clone(), worker.clone());
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
                        if !worker.until_ready().await || !worker.offer(&f, true) {
                            state.set(State::NoCode);
                        }
                    }
                    None => state.set(State::Unreadable),
                }
            });
        })
    };
    html! {
        <section class="photo">
            <label class="button" for="photo-input">{ t(lang, Msg::ScanPhoto) }</label>
            <input id="photo-input" class="visually-hidden" type="file" accept="image/*" {onchange} />
            <p class="photo-status" role="status" aria-live="polite">
                { match *state {
                    State::Idle => "",
                    State::Reading => t(lang, Msg::PhotoReading),
                    State::NoCode => t(lang, Msg::PhotoNoCode),
                    State::Unreadable => t(lang, Msg::PhotoUnreadable),
                    State::Restarted => t(lang, Msg::ScannerRestarted),
                } }
            </p>
        </section>
    }
}
