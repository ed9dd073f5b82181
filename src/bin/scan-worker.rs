//! The decoder worker: frames in, QR texts out (`labelcheck_app::scan_frame` decodes, the
//! messages are `labelcheck_app::scan_protocol`'s). It says `Ready` once, when it can take frames.

#![forbid(unsafe_code)]

use labelcheck_app::scan_protocol::{read_to_worker, reply, FromWorker, ToWorker};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    static RGBA: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn handle(data: &JsValue) -> Option<FromWorker> {
    let (
        ToWorker::Decode {
            id,
            width,
            height,
            thorough,
        },
        pixels,
    ) = read_to_worker(data)?;
    let started = js_sys::Date::now();
    let texts = RGBA.with_borrow_mut(|buf| {
        buf.resize(pixels.length() as usize, 0);
        pixels.copy_to(buf);
        labelcheck_app::scan_frame::scan_rgba(buf, width as usize, height as usize, thorough)
    });
    Some(FromWorker::Decoded {
        id,
        texts,
        ms: js_sys::Date::now() - started,
    })
}

fn main() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let reply_to = scope.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        if let Some(answer) = handle(&e.data()) {
            let _ = reply_to.post_message(&reply(&answer));
        }
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The worker lives as long as its handler: keeping it is the point.
    onmessage.forget();
    let _ = scope.post_message(&reply(&FromWorker::Ready));
}
