//! The camera: getUserMedia with the rear camera preferred, switching, and the torch where
//! the track supports it. Errors are sorted into what the user can do something about.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MediaStream, MediaStreamConstraints, MediaStreamTrack};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CameraError {
    Insecure,
    Denied,
    NotFound,
    Failed,
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

/// Opens a camera: the rear one (`environment`) or the front one (`user`).
pub async fn open(rear: bool) -> Result<MediaStream, CameraError> {
    let window = web_sys::window().ok_or(CameraError::Failed)?;
    if !window.is_secure_context() {
        return Err(CameraError::Insecure);
    }
    let devices = window.navigator().media_devices().map_err(|_| CameraError::Insecure)?;
    let video = Object::new();
    let facing = Object::new();
    set(&facing, "ideal", &(if rear { "environment" } else { "user" }).into());
    set(&video, "facingMode", &facing);
    let width = Object::new();
    set(&width, "ideal", &1280.into());
    set(&video, "width", &width);
    let height = Object::new();
    set(&height, "ideal", &720.into());
    set(&video, "height", &height);
    let constraints = MediaStreamConstraints::new();
    constraints.set_video(&video);
    constraints.set_audio(&false.into());
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| CameraError::Failed)?;
    match JsFuture::from(promise).await {
        Ok(stream) => stream.dyn_into::<MediaStream>().map_err(|_| CameraError::Failed),
        Err(e) => {
            let name = Reflect::get(&e, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .unwrap_or_default();
            Err(match name.as_str() {
                "NotAllowedError" | "SecurityError" => CameraError::Denied,
                "NotFoundError" | "OverconstrainedError" | "NotReadableError" => CameraError::NotFound,
                _ => CameraError::Failed,
            })
        }
    }
}

fn video_track(stream: &MediaStream) -> Option<MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into::<MediaStreamTrack>().ok()
}

pub fn stop(stream: &MediaStream) {
    for t in stream.get_tracks().iter() {
        if let Ok(track) = t.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// Whether the camera track offers a torch (most rear cameras on Android do).
pub fn torch_supported(stream: &MediaStream) -> bool {
    let Some(track) = video_track(stream) else { return false };
    let Ok(get) = Reflect::get(&track, &"getCapabilities".into()) else {
        return false;
    };
    let Ok(get) = get.dyn_into::<js_sys::Function>() else {
        return false;
    };
    get.call0(&track)
        .ok()
        .and_then(|caps| Reflect::get(&caps, &"torch".into()).ok())
        .is_some_and(|t| t.is_truthy())
}

pub async fn set_torch(stream: &MediaStream, on: bool) {
    let Some(track) = video_track(stream) else { return };
    let torch = Object::new();
    set(&torch, "torch", &on.into());
    let constraints = Object::new();
    set(&constraints, "advanced", &Array::of1(&torch));
    let apply = Reflect::get(&track, &"applyConstraints".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(promise) = apply.and_then(|f| f.call1(&track, &constraints).ok()) {
        let _ = JsFuture::from(js_sys::Promise::from(promise)).await;
    }
}
