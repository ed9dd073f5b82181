//! Saving a file the app made (an audit export) to the device, through the browser's own
//! download: nothing is sent anywhere.

use wasm_bindgen::JsCast;

pub fn save(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|_| "the file could not be made")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "the file could not be made")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .ok_or("the file could not be made")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Some browsers read the file after the click returns: let the URL go a little later.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
