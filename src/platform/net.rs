//! Fetching signed files: no credentials, no redirects, a timeout and a size limit.
//! Failures become the core's `FetchProblem`, so each one maps to a verdict and a reason.

use gloo_net::http::{Request, Response};
use js_sys::{Reflect, Uint8Array};
use labelcheck_core::FetchProblem;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestCache, RequestCredentials, RequestRedirect};

pub const TIMEOUT_MS: u32 = 15_000;
const ACCEPTED_TYPES: [&str; 4] = [
    "application/jose+json",
    "application/json",
    "application/octet-stream",
    "text/plain",
];

pub async fn get(url: &str, max: usize) -> Result<Vec<u8>, FetchProblem> {
    let controller = AbortController::new().map_err(|_| FetchProblem::Network("fetch is not available".into()))?;
    let signal = controller.signal();
    let timer = gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || controller.abort());
    let started = js_sys::Date::now();
    let result = Request::get(url)
        .credentials(RequestCredentials::Omit)
        .redirect(RequestRedirect::Error)
        .cache(RequestCache::NoCache)
        .header("Accept", "application/jose+json, application/json")
        .abort_signal(Some(&signal))
        .send()
        .await;
    let timed_out = || js_sys::Date::now() - started >= f64::from(TIMEOUT_MS) - 50.0;
    let resp = match result {
        Ok(r) => r,
        Err(_) if timed_out() => return Err(FetchProblem::Timeout),
        // A redirect with redirect mode "error" surfaces as a network error; the browser does
        // not say which, so the message covers both.
        Err(e) => return Err(FetchProblem::Network(format!("network error or redirect: {e}"))),
    };
    if resp.status() != 200 {
        return Err(FetchProblem::HttpStatus(resp.status()));
    }
    let ctype = resp
        .headers()
        .get("content-type")
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !ACCEPTED_TYPES.contains(&ctype.as_str()) {
        return Err(FetchProblem::WrongContentType(ctype));
    }
    let declared = resp
        .headers()
        .get("content-length")
        .and_then(|l| l.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(FetchProblem::TooLarge);
    }
    let body = read_at_most(&resp, max).await;
    drop(timer);
    match body {
        Err(BodyError::TooLarge) => Err(FetchProblem::TooLarge),
        Ok(b) => Ok(b),
        Err(_) if timed_out() => Err(FetchProblem::Timeout),
        Err(BodyError::Failed(e)) => Err(FetchProblem::Network(e)),
    }
}

enum BodyError {
    TooLarge,
    Failed(String),
}

/// The body, read chunk by chunk and abandoned as soon as it passes `max` bytes: an endless
/// body, or a small compressed one the browser inflates without asking (its Content-Length
/// is the compressed size), must not fill the phone's memory before the timeout.
async fn read_at_most(resp: &Response, max: usize) -> Result<Vec<u8>, BodyError> {
    let failed = |e: wasm_bindgen::JsValue| {
        BodyError::Failed(e.as_string().unwrap_or_else(|| "the body could not be read".into()))
    };
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
        if out.len() + len > max {
            let _ = reader.cancel();
            return Err(BodyError::TooLarge);
        }
        let start = out.len();
        out.resize(start + len, 0);
        value.copy_to(&mut out[start..]);
    }
}
