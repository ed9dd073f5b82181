//! The decoder worker: RGBA frames in, QR texts out (see `labelcheck_app::scan_frame`).
//! Message in: `{width, height, rgba: Uint8ClampedArray, thorough}`; out: `{texts: [..], ms}`,
//! and `{ready: true}` once, when the worker can take frames.

#![forbid(unsafe_code)]

use js_sys::{Array, Object, Reflect, Uint8ClampedArray};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    static RGBA: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn handle(data: &JsValue) -> Result<Vec<String>, JsValue> {
    let width = Reflect::get(data, &"width".into())?.as_f64().unwrap_or(0.0) as usize;
    let height = Reflect::get(data, &"height".into())?.as_f64().unwrap_or(0.0) as usize;
    let rgba: Uint8ClampedArray = Reflect::get(data, &"rgba".into())?.dyn_into()?;
    let thorough = Reflect::get(data, &"thorough".into())?.is_truthy();
    Ok(RGBA.with_borrow_mut(|buf| {
        buf.resize(rgba.length() as usize, 0);
        rgba.copy_to(buf);
        labelcheck_app::scan_frame::scan_rgba(buf, width, height, thorough)
    }))
}

fn main() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let reply_to = scope.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let started = js_sys::Date::now();
        let texts = handle(&e.data()).unwrap_or_default();
        let out = Object::new();
        let list: Array = texts.into_iter().map(JsValue::from).collect();
        let _ = Reflect::set(&out, &"texts".into(), &list);
        let _ = Reflect::set(&out, &"ms".into(), &(js_sys::Date::now() - started).into());
        let _ = reply_to.post_message(&out);
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The worker lives as long as its handler: keeping it is the point.
    onmessage.forget();
    // Messages sent before the handler existed would be lost: the page waits for this.
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &true.into());
    let _ = scope.post_message(&ready);
}
