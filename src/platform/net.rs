//! Fetching signed files under the verifier's fetch policy (`labelcheck_core::fetch_policy`,
//! shared with the command line): no credentials, no redirects followed, the same timeout,
//! content types and size limit. What is the browser's own is how it reports: a redirect
//! comes back as an `opaqueredirect` response, and a CORS refusal as a failed fetch (the one
//! difference the policy's module documents).
//!
//! A label link's page starts some of these fetches before the app runs (static/boot.js,
//! `window.labelcheckEarly`): the same requests as those of published files here, made a
//! round trip or more sooner. A fetch here takes such a response for its URL, once, and judges
//! it as its own, under the same timeout.

use gloo_net::http::{Request, Response};
use js_sys::{Promise, Reflect, Uint8Array};
use labelcheck_core::fetch_policy::{self, FetchProblem, ResponseHead};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, ReadableStreamDefaultReader, RequestCache, RequestCredentials, RequestRedirect, ResponseType,
};

/// A signed file from anywhere (a report, a published list): no credentials, and the HTTP
/// cache revalidated, so a list re-published under its name is seen.
pub async fn get(url: &str, max: usize) -> Result<Vec<u8>, FetchProblem> {
    fetch(url, max, Whose::Anyone).await
}

/// One of the app's own files (its trust anchors, the lists built into it): fetched as
/// `index.html` preloads them, so the download started with the page is the one used.
pub async fn get_own(url: &str, max: usize) -> Result<Vec<u8>, FetchProblem> {
    fetch(url, max, Whose::App).await
}

#[derive(Clone, Copy, PartialEq)]
enum Whose {
    Anyone,
    App,
}

/// The fetch of `url` the page's boot script started, if any, taken so that no one else uses
/// it: its response and the abort that stops it.
fn take_early(url: &str) -> Option<(Promise, AbortController)> {
    let window = web_sys::window()?;
    let early = Reflect::get(&window, &"labelcheckEarly".into()).ok()?;
    if !early.is_object() {
        return None;
    }
    let entry = Reflect::get(&early, &url.into()).ok()?;
    if !entry.is_object() {
        return None;
    }
    let _ = Reflect::delete_property(early.unchecked_ref::<js_sys::Object>(), &url.into());
    let response = Reflect::get(&entry, &"response".into()).ok()?.dyn_into().ok()?;
    let abort = Reflect::get(&entry, &"abort".into()).ok()?.dyn_into().ok()?;
    Some((response, abort))
}

async fn fetch(url: &str, max: usize, whose: Whose) -> Result<Vec<u8>, FetchProblem> {
    let timeout_ms = fetch_policy::TIMEOUT_SECS * 1000;
    let started = js_sys::Date::now();
    // The boot script fetches only published files, as `Whose::Anyone` does.
    let early = (whose == Whose::Anyone).then(|| take_early(url)).flatten();
    let controller = match &early {
        Some((_, abort)) => abort.clone(),
        None => AbortController::new().map_err(|_| FetchProblem::Unreachable)?,
    };
    let signal = controller.signal();
    let timer = gloo_timers::callback::Timeout::new(timeout_ms, move || controller.abort());
    let (credentials, cache) = match whose {
        // A preload (`<link rel=preload as=fetch crossorigin>`) is a same-origin-credentials,
        // default-cache request: only a request like it takes its response.
        Whose::App => (RequestCredentials::SameOrigin, RequestCache::Default),
        Whose::Anyone => (RequestCredentials::Omit, RequestCache::NoCache),
    };
    let result = match early {
        Some((response, _)) => JsFuture::from(response)
            .await
            .and_then(|r| r.dyn_into::<web_sys::Response>())
            .map(Response::from)
            .map_err(|_| gloo_net::Error::GlooError("early fetch failed".into())),
        None => {
            Request::get(url)
                .credentials(credentials)
                .redirect(RequestRedirect::Manual)
                .cache(cache)
                .header("Accept", fetch_policy::ACCEPT)
                .abort_signal(Some(&signal))
                .send()
                .await
        }
    };
    let timed_out = || js_sys::Date::now() - started >= f64::from(timeout_ms) - 50.0;
    let resp = match result {
        Ok(r) => r,
        Err(_) if timed_out() => return Err(FetchProblem::Timeout),
        Err(_) => return Err(FetchProblem::Unreachable),
    };
    let headers = resp.headers();
    let (content_type, content_length) = (headers.get("content-type"), headers.get("content-length"));
    let head = ResponseHead {
        status: resp.status(),
        redirected: resp.type_() == ResponseType::Opaqueredirect,
        content_type: content_type.as_deref(),
        // The browser has already decoded any content encoding: the body is counted decoded.
        content_encoding: None,
        content_length: content_length.and_then(|l| l.trim().parse().ok()),
    };
    fetch_policy::judge_head(&head, max)?;
    let body = read_at_most(&resp, max).await;
    drop(timer);
    match body {
        Ok(b) => Ok(b),
        Err(p @ FetchProblem::TooLarge) => Err(p),
        Err(_) if timed_out() => Err(FetchProblem::Timeout),
        Err(p) => Err(p),
    }
}

/// The body, read chunk by chunk and abandoned as soon as it passes `max` bytes: an endless
/// body, or a small compressed one the browser inflates without asking (its Content-Length
/// is the compressed size), must not fill the phone's memory before the timeout.
async fn read_at_most(resp: &Response, max: usize) -> Result<Vec<u8>, FetchProblem> {
    let failed = |_| FetchProblem::Unreachable;
    let Some(stream) = resp.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
        if Reflect::get(&chunk, &"done".into()).map_err(failed)?.is_truthy() {
            return Ok(out);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(failed)?
            .dyn_into()
            .map_err(failed)?;
        let len = value.length() as usize;
        if let Err(p) = fetch_policy::judge_body(out.len() + len, max) {
            let _ = reader.cancel();
            return Err(p);
        }
        let start = out.len();
        out.resize(start + len, 0);
        value.copy_to(&mut out[start..]);
    }
}
