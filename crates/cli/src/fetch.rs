//! HTTP(S) fetching with the limits a verifier needs: no redirects, a size cap, timeouts,
//! and only the content types signed files are served with.

use labelcheck_core::FetchProblem;
use std::io::Read;
use std::time::Duration;

pub const TIMEOUT: Duration = Duration::from_secs(15);
const ACCEPTED_TYPES: [&str; 4] = [
    "application/jose+json",
    "application/json",
    "application/octet-stream",
    "text/plain",
];

pub fn get(url: &str, max: usize) -> Result<Vec<u8>, FetchProblem> {
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(5))
        .timeout(TIMEOUT)
        .redirects(0)
        .user_agent(concat!("labelcheck/", env!("CARGO_PKG_VERSION")))
        .build();
    let resp = match agent
        .get(url)
        .set("Accept", "application/jose+json, application/json")
        .call()
    {
        Ok(r) => r,
        Err(ureq::Error::Status(code, _)) if (300..400).contains(&code) => return Err(FetchProblem::Redirected),
        Err(ureq::Error::Status(code, _)) => return Err(FetchProblem::HttpStatus(code)),
        Err(ureq::Error::Transport(t)) => {
            let msg = t.to_string();
            return Err(if msg.contains("timed out") {
                FetchProblem::Timeout
            } else {
                FetchProblem::Network(msg)
            });
        }
    };
    if (300..400).contains(&resp.status()) {
        return Err(FetchProblem::Redirected);
    }
    if resp.status() != 200 {
        return Err(FetchProblem::HttpStatus(resp.status()));
    }
    let ctype = resp.content_type().to_ascii_lowercase();
    if !ACCEPTED_TYPES.contains(&ctype.as_str()) {
        return Err(FetchProblem::WrongContentType(ctype));
    }
    if resp
        .header("Content-Encoding")
        .is_some_and(|e| !e.eq_ignore_ascii_case("identity"))
    {
        return Err(FetchProblem::WrongContentType("compressed content".into()));
    }
    let mut buf = Vec::new();
    match resp.into_reader().take(max as u64 + 1).read_to_end(&mut buf) {
        Ok(_) if buf.len() > max => Err(FetchProblem::TooLarge),
        Ok(_) => Ok(buf),
        Err(e) if e.kind() == std::io::ErrorKind::TimedOut || e.kind() == std::io::ErrorKind::WouldBlock => {
            Err(FetchProblem::Timeout)
        }
        Err(e) => Err(FetchProblem::Network(e.to_string())),
    }
}
