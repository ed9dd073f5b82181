//! The page's one QR decoder worker, off the UI thread, shared by the camera and the photo
//! input (provided as a Yew context by the app) and started the first time either needs it.
//! One frame is in flight at a time; frames offered while it is busy are dropped. A panic in
//! the decoder would trap in wasm and kill the worker: its error event, or a frame left
//! unanswered too long, replaces it with a new one, and the frame's owner is told.

use crate::scan_protocol::{frame_message, read_from_worker, FromWorker, ToWorker};
use js_sys::{Reflect, Uint8ClampedArray};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, ImageData, MessageEvent, Worker};

/// Where Trunk puts the worker's loader script (see index.html).
const WORKER_URL: &str = "./scan-worker_loader.js";

/// What became of a frame.
pub enum ScanEvent {
    /// The texts found in it (often none).
    Texts(Vec<String>),
    /// The decoder stopped on it and was replaced.
    Restarted,
}

/// A frame unanswered for this long means the worker is gone: it is replaced.
const STALLED_MS: f64 = 10_000.0;

type Reply = Box<dyn FnOnce(ScanEvent)>;

struct InFlight {
    id: u32,
    sent_at: f64,
    reply: Reply,
}

#[derive(Default)]
struct Inner {
    worker: Option<Worker>,
    /// The worker has set up its message handler (it says so once).
    ready: bool,
    in_flight: Option<InFlight>,
    next_id: u32,
    onmessage: Option<Closure<dyn FnMut(MessageEvent)>>,
    onerror: Option<Closure<dyn FnMut(ErrorEvent)>>,
}

#[derive(Clone, Default)]
pub struct ScanWorker(Rc<RefCell<Inner>>);

impl PartialEq for ScanWorker {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl ScanWorker {
    /// A handle; the worker itself starts when a frame is first offered or awaited.
    pub fn new() -> ScanWorker {
        ScanWorker::default()
    }

    fn ensure_started(&self) {
        if self.0.borrow().worker.is_none() {
            self.spawn();
        }
    }

    fn spawn(&self) {
        let Ok(worker) = Worker::new(WORKER_URL) else { return };
        let weak = Rc::downgrade(&self.0);
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(inner) = weak.upgrade() else { return };
            match read_from_worker(&e.data()) {
                Some(FromWorker::Ready) => inner.borrow_mut().ready = true,
                Some(FromWorker::Decoded { id, texts, .. }) => {
                    let done = {
                        let mut i = inner.borrow_mut();
                        match i.in_flight.take() {
                            Some(f) if f.id == id => Some(f.reply),
                            other => {
                                i.in_flight = other;
                                None
                            }
                        }
                    };
                    if let Some(reply) = done {
                        reply(ScanEvent::Texts(texts));
                    }
                }
                None => {}
            }
        });
        let weak = Rc::downgrade(&self.0);
        let onerror = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            if let Some(inner) = weak.upgrade() {
                ScanWorker(inner).restart();
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        let mut i = self.0.borrow_mut();
        i.worker = Some(worker);
        i.ready = false;
        i.onmessage = Some(onmessage);
        i.onerror = Some(onerror);
    }

    fn restart(&self) {
        let lost = {
            let mut i = self.0.borrow_mut();
            if let Some(w) = i.worker.take() {
                w.terminate();
            }
            i.in_flight.take()
        };
        self.spawn();
        if let Some(f) = lost {
            (f.reply)(ScanEvent::Restarted);
        }
    }

    /// Whether a frame would be taken now: the worker is ready and idle. A worker that has
    /// left a frame unanswered too long is replaced first.
    pub fn wants_frame(&self) -> bool {
        self.ensure_started();
        let stalled = self
            .0
            .borrow()
            .in_flight
            .as_ref()
            .is_some_and(|f| js_sys::Date::now() - f.sent_at > STALLED_MS);
        if stalled {
            self.restart();
        }
        let i = self.0.borrow();
        i.ready && i.in_flight.is_none()
    }

    /// Waits (up to the stall limit) until the worker can take a frame.
    pub async fn until_ready(&self) -> bool {
        let started = js_sys::Date::now();
        while !self.wants_frame() {
            if js_sys::Date::now() - started > STALLED_MS {
                return false;
            }
            gloo_timers::future::TimeoutFuture::new(25).await;
        }
        true
    }

    /// Sends a frame unless one is in flight; `reply` hears what became of it. Returns
    /// whether it was sent. A `thorough` frame (a photo) gets every way of reading.
    pub fn offer(&self, frame: &ImageData, thorough: bool, reply: impl FnOnce(ScanEvent) + 'static) -> bool {
        if !self.wants_frame() {
            return false;
        }
        let mut i = self.0.borrow_mut();
        let Some(worker) = &i.worker else { return false };
        // The frame's own pixel buffer is transferred, not copied.
        let Ok(pixels) = Reflect::get(frame, &"data".into()).and_then(|d| d.dyn_into::<Uint8ClampedArray>()) else {
            return false;
        };
        let id = i.next_id;
        let msg = ToWorker::Decode {
            id,
            width: frame.width(),
            height: frame.height(),
            thorough,
        };
        let (message, transfer) = frame_message(&msg, &pixels);
        if worker.post_message_with_transfer(&message, &transfer).is_err() {
            return false;
        }
        i.next_id = id.wrapping_add(1);
        i.in_flight = Some(InFlight {
            id,
            sent_at: js_sys::Date::now(),
            reply: Box::new(reply),
        });
        // A photo waits on its one frame and offers no other that would notice a stall, so
        // each frame has a watchdog of its own.
        let weak = Rc::downgrade(&self.0);
        wasm_bindgen_futures::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(STALLED_MS as u32 + 100).await;
            let Some(inner) = weak.upgrade() else { return };
            let stalled = inner.borrow().in_flight.as_ref().is_some_and(|f| f.id == id);
            if stalled {
                ScanWorker(inner).restart();
            }
        });
        true
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.terminate();
        }
    }
}
