//! Test servers and a browser driver, for the command line's tests, the app's end-to-end
//! tests and the benchmarks: a static file server on loopback that sends the app's security
//! headers, report hosts that misbehave on purpose, and a WebDriver client for Chromium.

pub mod hostile;
pub mod webdriver;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// The repository's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A static server on 127.0.0.1 for the life of the test process, serving the first of `roots`
/// that has the path. `/redirect/...` answers 302 to another host.
pub struct Server {
    pub port: u16,
    /// While set, every connection is closed unanswered: the network is gone.
    pub offline: Arc<AtomicBool>,
    /// Requests whose path starts with one of these are closed unanswered.
    pub unreachable: Arc<Mutex<Vec<String>>>,
    /// Requests whose path starts with one of these are answered after this many milliseconds
    /// (a slow network for one file).
    pub slow: Arc<Mutex<Vec<(String, u64)>>>,
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" => "application/json",
        "jws" => "application/jose+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

/// The headers of `static/_headers` (name, value), the policy a deployment sends with every
/// response (a build adds its boot script's hash to script-src: `scripts/inline-boot.mjs`).
pub fn deployment_headers() -> Vec<(String, String)> {
    headers_of(&root().join("static/_headers"))
}

/// The headers a `_headers` file lists (Netlify and Cloudflare Pages format).
pub fn headers_of(file: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    text.lines()
        .filter(|l| l.starts_with("  "))
        .filter_map(|l| l.trim().split_once(": "))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

/// Plain http to loopback hosts, which FORMAT.md §1.1 allows for demo and development
/// report hosts: added to connect-src by development servers, never by deployments.
pub const LOOPBACK_SOURCES: &str = "http://127.0.0.1:* http://localhost:*";

/// The headers a development server sends: the deployment's, with loopback http allowed to
/// be fetched (`scripts/serve.py` makes the same change; a test compares them).
pub fn development_headers() -> Vec<(String, String)> {
    for_development(deployment_headers())
}

fn for_development(headers: Vec<(String, String)>) -> Vec<(String, String)> {
    headers
        .into_iter()
        .map(|(n, v)| {
            let v = if n == "Content-Security-Policy" {
                v.replace(
                    "connect-src 'self' https:",
                    &format!("connect-src 'self' https: {LOOPBACK_SOURCES}"),
                )
            } else {
                v
            };
            (n, v)
        })
        .collect()
}

/// The headers as this server sends them: those of the first root with a `_headers` (a built
/// app's, which let its boot script run), else the policy's; the tests' report hosts are other
/// loopback ports.
fn served_headers(roots: &[PathBuf]) -> String {
    let headers = match roots.iter().map(|r| r.join("_headers")).find(|f| f.is_file()) {
        Some(file) => headers_of(&file),
        None => deployment_headers(),
    };
    for_development(headers)
        .into_iter()
        .map(|(n, v)| format!("{n}: {v}\r\n"))
        .collect()
}

fn respond(
    mut stream: TcpStream,
    roots: &[PathBuf],
    offline: &AtomicBool,
    unreachable: &Mutex<Vec<String>>,
    slow: &Mutex<Vec<(String, u64)>>,
) {
    let mut line = String::new();
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
            break;
        }
    }
    // Offline means no answer at all, also on a connection the browser opened before (it
    // preconnects): otherwise a page asked for offline could still come from this server.
    if offline.load(Ordering::SeqCst) {
        return;
    }
    let path = line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    if unreachable
        .lock()
        .map(|u| u.iter().any(|p| path.starts_with(p.as_str())))
        .unwrap_or(false)
    {
        return;
    }
    let delay = slow
        .lock()
        .ok()
        .and_then(|s| s.iter().find(|(p, _)| path.starts_with(p.as_str())).map(|(_, ms)| *ms));
    if let Some(ms) = delay {
        thread::sleep(std::time::Duration::from_millis(ms.min(60_000)));
    }
    if path.starts_with("/redirect/") {
        let _ = stream.write_all(b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:9/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    }
    let rel = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    if rel.contains("..") {
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    }
    for root in roots {
        let file = root.join(rel.trim_start_matches('/'));
        if let Ok(body) = std::fs::read(&file) {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nAccess-Control-Allow-Origin: *\r\n{}Connection: close\r\n\r\n",
                content_type(&file),
                body.len(),
                served_headers(roots)
            );
            let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(&body));
            return;
        }
    }
    let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

impl Server {
    /// Binds first, so the port is known before the content (which may name it) is made.
    pub fn bind() -> (TcpListener, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("an address").port();
        (listener, port)
    }

    pub fn start(listener: TcpListener, roots: Vec<PathBuf>) -> Server {
        let port = listener.local_addr().expect("an address").port();
        let offline = Arc::new(AtomicBool::new(false));
        let unreachable = Arc::new(Mutex::new(Vec::new()));
        let slow = Arc::new(Mutex::new(Vec::new()));
        let (off, unr, slw) = (offline.clone(), unreachable.clone(), slow.clone());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if off.load(Ordering::SeqCst) {
                    drop(stream);
                    continue;
                }
                let (roots, unr, slw) = (roots.clone(), unr.clone(), slw.clone());
                let off = off.clone();
                thread::spawn(move || respond(stream, &roots, &off, &unr, &slw));
            }
        });
        Server {
            port,
            offline,
            unreachable,
            slow,
        }
    }
}

/// The `labelcheck` binary of this checkout, built (debug) the first time it is asked for.
pub fn labelcheck_bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["build", "--quiet", "--package", "labelcheck"])
                .current_dir(root())
                .status()
                .expect("cargo runs");
            assert!(status.success(), "cargo build --package labelcheck failed");
            root().join("target/debug/labelcheck")
        })
        .clone()
}
