//! Fetching reports and lists over HTTP(S) under the verifier's fetch policy
//! (`labelcheck_core::fetch_policy`, shared with the web app): what this file adds is only how
//! the HTTP client reports what happened.

use labelcheck_core::fetch_policy::{self, FetchProblem, ResponseHead};
use std::io::Read;
use std::time::Duration;

/// A failed fetch: the problem the verdict is based on, and the client's own words, shown only
/// in a fetch's diagnostics.
pub struct Failed {
    pub problem: FetchProblem,
    pub detail: Option<String>,
}

impl From<FetchProblem> for Failed {
    fn from(problem: FetchProblem) -> Failed {
        Failed { problem, detail: None }
    }
}

pub fn get(url: &str, max: usize) -> Result<Vec<u8>, Failed> {
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(5))
        .timeout(Duration::from_secs(fetch_policy::TIMEOUT_SECS.into()))
        .redirects(0)
        .user_agent(concat!("labelcheck/", env!("CARGO_PKG_VERSION")))
        .build();
    let resp = match agent.get(url).set("Accept", fetch_policy::ACCEPT).call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(ureq::Error::Transport(t)) => {
            let detail = t.to_string();
            let problem = if detail.contains("timed out") {
                FetchProblem::Timeout
            } else {
                FetchProblem::Unreachable
            };
            return Err(Failed {
                problem,
                detail: Some(detail),
            });
        }
    };
    let head = ResponseHead {
        status: resp.status(),
        redirected: false,
        content_type: resp.header("Content-Type"),
        content_encoding: resp.header("Content-Encoding"),
        content_length: resp.header("Content-Length").and_then(|l| l.trim().parse().ok()),
    };
    fetch_policy::judge_head(&head, max)?;
    // Decoded (gzip) bytes are counted: one more than the limit is enough to refuse.
    let mut buf = Vec::new();
    match resp.into_reader().take(max as u64 + 1).read_to_end(&mut buf) {
        Ok(_) => {
            fetch_policy::judge_body(buf.len(), max)?;
            Ok(buf)
        }
        Err(e) if e.kind() == std::io::ErrorKind::TimedOut || e.kind() == std::io::ErrorKind::WouldBlock => {
            Err(FetchProblem::Timeout.into())
        }
        Err(e) => Err(Failed {
            problem: FetchProblem::Unreachable,
            detail: Some(e.to_string()),
        }),
    }
}
