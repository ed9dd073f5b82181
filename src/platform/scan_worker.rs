//! The QR decoder runs in a Web Worker, off the UI thread. One frame is in flight at a time;
//! frames offered while it is busy are dropped. rqrr can panic, which in wasm traps and kills
//! the worker: its error event replaces it with a new one and scanning goes on.

use js_sys::{Array, Object, Reflect, Uint8ClampedArray};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, ImageData, MessageEvent, Worker};

/// Where Trunk puts the worker's loader script (see index.html).
const WORKER_URL: &str = "./scan-worker_loader.js";

pub enum ScanEvent {
    /// The texts found in one frame (often none).
    Texts(Vec<String>),
    Restarted,
}

/// A frame unanswered for this long means the worker is gone: it is replaced.
const STALLED_MS: f64 = 10_000.0;

struct Inner {
    worker: Option<Worker>,
    /// The worker has set up its message handler (it says so once).
    ready: bool,
    busy: bool,
    /// When the frame in flight was sent (ms since the epoch).
    sent_at: f64,
    on_event: Rc<dyn Fn(ScanEvent)>,
    onmessage: Option<Closure<dyn FnMut(MessageEvent)>>,
    onerror: Option<Closure<dyn FnMut(ErrorEvent)>>,
    restarts: u32,
}

#[derive(Clone)]
pub struct ScanWorker(Rc<RefCell<Inner>>);

impl PartialEq for ScanWorker {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl ScanWorker {
    pub fn new(on_event: impl Fn(ScanEvent) + 'static) -> ScanWorker {
        let me = ScanWorker(Rc::new(RefCell::new(Inner {
            worker: None,
            ready: false,
            busy: false,
            sent_at: 0.0,
            on_event: Rc::new(on_event),
            onmessage: None,
            onerror: None,
            restarts: 0,
        })));
        me.spawn();
        me
    }

    fn spawn(&self) {
        let Ok(worker) = Worker::new(WORKER_URL) else { return };
        let weak = Rc::downgrade(&self.0);
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(inner) = weak.upgrade() else { return };
            if Reflect::get(&e.data(), &"ready".into()).is_ok_and(|r| r.is_truthy()) {
                inner.borrow_mut().ready = true;
                return;
            }
            let texts: Vec<String> = Reflect::get(&e.data(), &"texts".into())
                .ok()
                .map(|v| Array::from(&v).iter().filter_map(|t| t.as_string()).collect())
                .unwrap_or_default();
            let cb = {
                let mut i = inner.borrow_mut();
                i.busy = false;
                i.on_event.clone()
            };
            cb(ScanEvent::Texts(texts));
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
        i.busy = false;
        i.onmessage = Some(onmessage);
        i.onerror = Some(onerror);
    }

    fn restart(&self) {
        let cb = {
            let mut i = self.0.borrow_mut();
            if let Some(w) = i.worker.take() {
                w.terminate();
            }
            i.restarts += 1;
            i.on_event.clone()
        };
        self.spawn();
        cb(ScanEvent::Restarted);
    }

    /// Whether a frame would be taken now: the worker is ready and idle. A worker that has
    /// left a frame unanswered too long is replaced first.
    pub fn wants_frame(&self) -> bool {
        let stalled = {
            let i = self.0.borrow();
            i.busy && js_sys::Date::now() - i.sent_at > STALLED_MS
        };
        if stalled {
            self.restart();
        }
        let i = self.0.borrow();
        i.ready && !i.busy
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

    /// Sends a frame unless one is in flight; returns whether it was sent. A `thorough` frame
    /// (a photo) gets every decoding attempt, a live one a single attempt.
    pub fn offer(&self, frame: &ImageData, thorough: bool) -> bool {
        let mut i = self.0.borrow_mut();
        if i.busy || !i.ready {
            return false;
        }
        let Some(worker) = &i.worker else { return false };
        // The frame's own pixel buffer is transferred, not copied.
        let Ok(data) = Reflect::get(frame, &"data".into()).and_then(|d| d.dyn_into::<Uint8ClampedArray>()) else {
            return false;
        };
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"width".into(), &frame.width().into());
        let _ = Reflect::set(&msg, &"height".into(), &frame.height().into());
        let _ = Reflect::set(&msg, &"rgba".into(), &data);
        let _ = Reflect::set(&msg, &"thorough".into(), &thorough.into());
        let transfer = Array::of1(&data.buffer());
        if worker.post_message_with_transfer(&msg, &transfer).is_ok() {
            i.busy = true;
            i.sent_at = js_sys::Date::now();
            true
        } else {
            false
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.terminate();
        }
    }
}
