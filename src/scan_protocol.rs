//! What the page and the decoder worker say to each other: one typed message each way, and
//! the one place that spells how each is written to and read from a posted object (the
//! frame's pixels are transferred beside it, not copied). Written field by field rather than
//! through a serializer: the worker is downloaded before the first scan, and a JSON codec
//! would add a sixth to its size.

use js_sys::{Array, Object, Reflect, Uint8ClampedArray};
use wasm_bindgen::{JsCast, JsValue};

#[derive(Clone, Debug, PartialEq)]
pub enum ToWorker {
    /// Decode one frame of `width * height` RGBA pixels, sent with it. A `thorough` frame (a
    /// photo) gets every way of reading, a live camera frame one.
    Decode {
        id: u32,
        width: u32,
        height: u32,
        thorough: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum FromWorker {
    /// The worker's handler is in place: frames sent before this would be lost.
    Ready,
    /// The texts found in frame `id` (often none), and the decoding time.
    Decoded { id: u32, texts: Vec<String>, ms: f64 },
}

const TYPE: &str = "type";
const PIXELS: &str = "rgba";

fn set(o: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(o, &key.into(), &value.into());
}

fn get(o: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(o, &key.into()).ok().filter(|v| !v.is_undefined())
}

fn number(o: &JsValue, key: &str) -> Option<f64> {
    get(o, key)?.as_f64()
}

fn whole(o: &JsValue, key: &str) -> Option<u32> {
    let n = number(o, key)?;
    (n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n)).then_some(n as u32)
}

/// A frame for the worker, and the list of what to transfer with it.
pub fn frame_message(msg: &ToWorker, pixels: &Uint8ClampedArray) -> (JsValue, Array) {
    let out = Object::new();
    let ToWorker::Decode {
        id,
        width,
        height,
        thorough,
    } = *msg;
    set(&out, TYPE, "decode");
    set(&out, "id", id);
    set(&out, "width", width);
    set(&out, "height", height);
    set(&out, "thorough", thorough);
    set(&out, PIXELS, pixels);
    (out.into(), Array::of1(&pixels.buffer()))
}

/// What the page sent: the message and the frame's pixels; `None` for anything else.
pub fn read_to_worker(data: &JsValue) -> Option<(ToWorker, Uint8ClampedArray)> {
    if get(data, TYPE)?.as_string()? != "decode" {
        return None;
    }
    let msg = ToWorker::Decode {
        id: whole(data, "id")?,
        width: whole(data, "width")?,
        height: whole(data, "height")?,
        thorough: get(data, "thorough")?.as_bool()?,
    };
    Some((msg, get(data, PIXELS)?.dyn_into().ok()?))
}

pub fn reply(msg: &FromWorker) -> JsValue {
    let out = Object::new();
    match msg {
        FromWorker::Ready => set(&out, TYPE, "ready"),
        FromWorker::Decoded { id, texts, ms } => {
            set(&out, TYPE, "decoded");
            set(&out, "id", *id);
            set(&out, "texts", texts.iter().map(JsValue::from).collect::<Array>());
            set(&out, "ms", *ms);
        }
    }
    out.into()
}

/// What the worker said; `None` for anything else.
pub fn read_from_worker(data: &JsValue) -> Option<FromWorker> {
    match get(data, TYPE)?.as_string()?.as_str() {
        "ready" => Some(FromWorker::Ready),
        "decoded" => Some(FromWorker::Decoded {
            id: whole(data, "id")?,
            texts: Array::from(&get(data, "texts")?)
                .iter()
                .map(|t| t.as_string())
                .collect::<Option<Vec<String>>>()?,
            ms: number(data, "ms")?,
        }),
        _ => None,
    }
}
