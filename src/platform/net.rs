//! Fetching signed files: no credentials, no redirects, a timeout and a size limit.
//! Failures become the core's `FetchProblem`, so each one maps to a verdict and a reason.

use gloo_net::http::Request;
use labelcheck_core::FetchProblem;
use web_sys::{AbortController, RequestCache, RequestCredentials, RequestRedirect};

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
    let body = resp.binary().await;
    drop(timer);
    match body {
        Ok(b) if b.len() > max => Err(FetchProblem::TooLarge),
        Ok(b) => Ok(b),
        Err(_) if timed_out() => Err(FetchProblem::Timeout),
        Err(e) => Err(FetchProblem::Network(e.to_string())),
    }
}
