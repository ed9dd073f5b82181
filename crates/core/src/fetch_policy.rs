//! How a verifier fetches a report or a list (FORMAT.md §8 step 13, §10): one policy, which
//! the web app (browser `fetch`) and the command line (an HTTP client) both apply to what
//! their platform hands them. No credentials, no redirects, one timeout, a size limit
//! checked as the body arrives, and only the content types signed files are served with.
//!
//! The one difference a browser cannot avoid: it refuses a response that lacks
//! `Access-Control-Allow-Origin` (CORS) and does not say so, only that the fetch failed; the
//! app therefore reports such a host as unreachable ([`FetchProblem::Unreachable`]: the claim
//! alone, verified offline), where the command line, which is not bound by CORS, reads the
//! report. Everything else is judged here, from the same facts, in both.

use std::fmt;

/// Seconds a fetch may take, from sending the request to the last byte of the body.
pub const TIMEOUT_SECS: u32 = 15;

/// The `Accept` header sent with every fetch.
pub const ACCEPT: &str = "application/jose+json, application/json";

/// Content types a signed file may be served with (FORMAT.md §4).
pub const ACCEPTED_TYPES: [&str; 4] = [
    "application/jose+json",
    "application/json",
    "application/octet-stream",
    "text/plain",
];

/// Content encodings a shell may meet. A browser decodes them itself and shows the decoded
/// bytes; the command line asks for gzip only and decodes it; the size limit counts decoded
/// bytes in both, so a small compressed body that inflates past it is refused.
pub const DECODED_ENCODINGS: [&str; 2] = ["identity", "gzip"];

/// Why a report (or list) could not be had. Supplied by whoever fetched it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchProblem {
    /// The caller chose not to fetch (offline mode, or no network).
    NotAttempted,
    /// The host could not be reached (no network, refused, name unknown, TLS failed, or a
    /// browser's CORS refusal, which looks the same).
    Unreachable,
    Timeout,
    HttpStatus(u16),
    Redirected,
    TooLarge,
    /// Served as something else than a signed file; the type received, lower case.
    WrongContentType(String),
    /// Compressed in a way the verifier did not ask for.
    UnexpectedEncoding,
}

impl FetchProblem {
    /// Problems that say nothing about the report itself: the label is still genuine offline.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            FetchProblem::NotAttempted
                | FetchProblem::Unreachable
                | FetchProblem::Timeout
                | FetchProblem::HttpStatus(_)
        )
    }

    /// A stable name, for wording keys.
    pub fn name(&self) -> &'static str {
        match self {
            FetchProblem::NotAttempted => "not-attempted",
            FetchProblem::Unreachable => "unreachable",
            FetchProblem::Timeout => "timeout",
            FetchProblem::HttpStatus(_) => "http-status",
            FetchProblem::Redirected => "redirected",
            FetchProblem::TooLarge => "too-large",
            FetchProblem::WrongContentType(_) => "wrong-content-type",
            FetchProblem::UnexpectedEncoding => "unexpected-encoding",
        }
    }
}

impl fmt::Display for FetchProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchProblem::HttpStatus(s) => write!(f, "HTTP status {s}"),
            FetchProblem::WrongContentType(t) => write!(f, "wrong content type {t:?}"),
            p => f.write_str(p.name()),
        }
    }
}

/// What a shell knows of a response once its status line and headers are in.
#[derive(Clone, Copy, Debug, Default)]
pub struct ResponseHead<'a> {
    pub status: u16,
    /// Whether the platform saw a redirect it did not follow (a browser's `opaqueredirect`).
    pub redirected: bool,
    pub content_type: Option<&'a str>,
    pub content_encoding: Option<&'a str>,
    pub content_length: Option<u64>,
}

/// Whether to read the body of a response, judged from its head alone.
pub fn judge_head(head: &ResponseHead<'_>, max: usize) -> Result<(), FetchProblem> {
    if head.redirected || (300..400).contains(&head.status) {
        return Err(FetchProblem::Redirected);
    }
    if head.status != 200 {
        return Err(FetchProblem::HttpStatus(head.status));
    }
    let ctype = head
        .content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !ACCEPTED_TYPES.contains(&ctype.as_str()) {
        return Err(FetchProblem::WrongContentType(ctype));
    }
    let encoding = head.content_encoding.map(|e| e.trim().to_ascii_lowercase());
    if encoding.as_deref().is_some_and(|e| !DECODED_ENCODINGS.contains(&e)) {
        return Err(FetchProblem::UnexpectedEncoding);
    }
    // A declared length is only the compressed size when encoded: the body check counts.
    if encoding.is_none() && head.content_length.is_some_and(|n| n > max as u64) {
        return Err(FetchProblem::TooLarge);
    }
    Ok(())
}

/// Whether a body of `received` (decoded) bytes so far is still within the limit: a shell
/// stops reading as soon as it is not, so an endless body cannot fill memory.
pub fn judge_body(received: usize, max: usize) -> Result<(), FetchProblem> {
    if received > max {
        return Err(FetchProblem::TooLarge);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(status: u16, ctype: &str) -> ResponseHead<'_> {
        ResponseHead {
            status,
            content_type: Some(ctype),
            ..ResponseHead::default()
        }
    }

    #[test]
    fn statuses_and_redirects() {
        assert_eq!(judge_head(&head(200, "application/jose+json"), 10), Ok(()));
        assert_eq!(judge_head(&head(302, "text/html"), 10), Err(FetchProblem::Redirected));
        let opaque = ResponseHead {
            redirected: true,
            ..head(0, "")
        };
        assert_eq!(judge_head(&opaque, 10), Err(FetchProblem::Redirected));
        assert_eq!(
            judge_head(&head(404, "application/json"), 10),
            Err(FetchProblem::HttpStatus(404))
        );
    }

    #[test]
    fn content_types_and_encodings() {
        assert_eq!(judge_head(&head(200, "Application/JSON; charset=utf-8"), 10), Ok(()));
        assert_eq!(
            judge_head(&head(200, "text/html"), 10),
            Err(FetchProblem::WrongContentType("text/html".into()))
        );
        let br = ResponseHead {
            content_encoding: Some("br"),
            ..head(200, "text/plain")
        };
        assert_eq!(judge_head(&br, 10), Err(FetchProblem::UnexpectedEncoding));
        let gz = ResponseHead {
            content_encoding: Some("gzip"),
            content_length: Some(5),
            ..head(200, "text/plain")
        };
        assert_eq!(judge_head(&gz, 10), Ok(()));
    }

    #[test]
    fn sizes() {
        let big = ResponseHead {
            content_length: Some(11),
            ..head(200, "text/plain")
        };
        assert_eq!(judge_head(&big, 10), Err(FetchProblem::TooLarge));
        assert_eq!(judge_body(10, 10), Ok(()));
        assert_eq!(judge_body(11, 10), Err(FetchProblem::TooLarge));
    }
}
