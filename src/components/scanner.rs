//! Camera scanning: video preview, frames to the decoder worker. For one label the first code
//! read wins and the camera stops; in an audit (`continuous`) it keeps scanning and reports
//! every read. The camera also stops when the page is hidden, and when this unmounts.

use crate::i18n::{t, Lang, Msg};
use crate::platform::camera::{self, CameraError};
use crate::platform::frames::Grabber;
use crate::platform::scan_worker::{ScanEvent, ScanWorker};
use crate::use_latest::use_latest;
use labelcheck_core::label_url::{classify, QrText};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlVideoElement, MediaStream};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScannerProps {
    pub on_text: Callback<String>,
    #[prop_or_default]
    pub continuous: bool,
    /// Start the camera without waiting for its button (the user asked to scan another label).
    #[prop_or_default]
    pub autostart: bool,
    /// Told once the camera was started by `autostart`.
    #[prop_or_default]
    pub on_started: Callback<()>,
}

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Starting,
    Running { torch: Option<bool> },
    Failed(CameraError),
}

/// Prefers a label link when a frame holds several codes.
pub fn pick(texts: &[String]) -> Option<String> {
    texts
        .iter()
        .find(|t| matches!(classify(t), QrText::Label(_) | QrText::Damaged(_)))
        .or(texts.first())
        .cloned()
}

fn error_msg(e: CameraError) -> Msg {
    match e {
        CameraError::Insecure => Msg::CameraInsecure,
        CameraError::Denied => Msg::CameraDenied,
        CameraError::NotFound => Msg::CameraMissing,
        CameraError::Failed => Msg::CameraFailed,
    }
}

#[function_component(Scanner)]
pub fn scanner(props: &ScannerProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let state = use_state(|| State::Idle);
    let rear = use_state(|| true);
    let restarted = use_state(|| false);
    let video = use_node_ref();
    let stream: Rc<RefCell<Option<MediaStream>>> = use_mut_ref(|| None);

    let stop = {
        let stream = stream.clone();
        let state = state.clone();
        Callback::from(move |_: ()| {
            if let Some(s) = stream.borrow_mut().take() {
                camera::stop(&s);
            }
            state.set(State::Idle);
        })
    };

    let on_text = use_latest(&props.on_text);
    let continuous = use_latest(&props.continuous);
    let worker = use_context::<ScanWorker>().unwrap_or_default();
    // What to do with the worker's answer for one of this camera's frames.
    let on_event = {
        let stop = stop.clone();
        let restarted = restarted.clone();
        Rc::new(move |event: ScanEvent| match event {
            ScanEvent::Texts(texts) => {
                if let Some(text) = pick(&texts) {
                    if !*continuous.borrow() {
                        stop.emit(());
                    }
                    let cb = on_text.borrow().clone();
                    cb.emit(text);
                }
            }
            ScanEvent::Restarted => restarted.set(true),
        })
    };

    let start = {
        let state = state.clone();
        let stream = stream.clone();
        let video = video.clone();
        Callback::from(move |rear: bool| {
            let (state, stream, video) = (state.clone(), stream.clone(), video.clone());
            state.set(State::Starting);
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(old) = stream.borrow_mut().take() {
                    camera::stop(&old);
                }
                match camera::open(rear).await {
                    Ok(s) => {
                        let torch = camera::torch_supported(&s).then_some(false);
                        if let Some(v) = video.cast::<HtmlVideoElement>() {
                            v.set_src_object(Some(&s));
                            let _ = v.play();
                        }
                        *stream.borrow_mut() = Some(s);
                        state.set(State::Running { torch });
                    }
                    Err(e) => state.set(State::Failed(e)),
                }
            });
        })
    };

    {
        let (start, rear, on_started) = (start.clone(), *rear, props.on_started.clone());
        use_effect_with(props.autostart, move |autostart| {
            if *autostart {
                start.emit(rear);
                on_started.emit(());
            }
        });
    }

    // The frame pump: at most one frame in flight, the rest dropped.
    {
        let running = matches!(*state, State::Running { .. });
        let video = video.clone();
        let worker = worker.clone();
        let on_event = on_event.clone();
        use_effect_with(running, move |running| {
            let interval = running.then(|| {
                let grabber = Grabber::new();
                gloo_timers::callback::Interval::new(80, move || {
                    if !worker.wants_frame() {
                        return;
                    }
                    let (Some(g), Some(v)) = (&grabber, video.cast::<HtmlVideoElement>()) else {
                        return;
                    };
                    if let Some(frame) = g.from_video(&v) {
                        let on_event = on_event.clone();
                        worker.offer(&frame, false, move |event| on_event(event));
                    }
                })
            });
            move || drop(interval)
        });
    }

    // A hidden page must not keep the camera on.
    {
        let stop = stop.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
                let d = doc.clone();
                gloo_events::EventListener::new(&doc, "visibilitychange", move |_| {
                    if d.hidden() {
                        stop.emit(());
                    }
                })
            });
            move || drop(listener)
        });
    }
    {
        let stream = stream.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(s) = stream.borrow_mut().take() {
                    camera::stop(&s);
                }
            }
        });
    }

    let on_start = {
        let start = start.clone();
        let rear = *rear;
        Callback::from(move |_: MouseEvent| start.emit(rear))
    };
    let on_stop = {
        let stop = stop.clone();
        Callback::from(move |_: MouseEvent| stop.emit(()))
    };
    let on_switch = {
        let rear = rear.clone();
        let start = start.clone();
        Callback::from(move |_: MouseEvent| {
            let next = !*rear;
            rear.set(next);
            start.emit(next);
        })
    };
    let on_torch = {
        let state = state.clone();
        let stream = stream.clone();
        Callback::from(move |_: MouseEvent| {
            if let State::Running { torch: Some(on) } = *state {
                let stream = stream.borrow().clone();
                let state = state.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(s) = stream {
                        camera::set_torch(&s, !on).await;
                    }
                    state.set(State::Running { torch: Some(!on) });
                });
            }
        })
    };

    let running = matches!(*state, State::Running { .. } | State::Starting);
    html! {
        <section class="scanner" aria-label={t(lang, Msg::ScanWithCamera)}>
            <div class={classes!("viewfinder", running.then_some("on"))}>
                <video ref={video} class="preview" autoplay=true muted=true playsinline=true aria-hidden="true"></video>
                if running { <div class="aim" aria-hidden="true"></div> }
            </div>
            <div class="scan-controls">
                if !running {
                    <button type="button" id="start-camera" class="primary" onclick={on_start}>{ t(lang, Msg::ScanWithCamera) }</button>
                } else {
                    <button type="button" id="stop-camera" onclick={on_stop}>{ t(lang, Msg::StopCamera) }</button>
                    <button type="button" id="switch-camera" onclick={on_switch}>{ t(lang, Msg::SwitchCamera) }</button>
                    if let State::Running { torch: Some(on) } = *state {
                        <button type="button" id="torch" aria-pressed={on.to_string()} onclick={on_torch}>
                            { t(lang, if on { Msg::TorchOff } else { Msg::TorchOn }) }
                        </button>
                    }
                }
            </div>
            <p class="scan-status" role="status" aria-live="polite">
                { match &*state {
                    State::Starting => t(lang, Msg::CameraStarting),
                    State::Running { .. } => t(lang, Msg::PointAtCode),
                    State::Failed(e) => t(lang, error_msg(*e)),
                    State::Idle => "",
                } }
                if *restarted { <span class="restarted">{ " " }{ t(lang, Msg::ScannerRestarted) }</span> }
            </p>
        </section>
    }
}
