//! `scripts/serve.py`, the static server of `./scripts/serve` and the phone benchmark: it
//! serves the precompressed copy the browser accepts, the app's development headers, and
//! FORMAT.md §10's headers for lists and reports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Served(Child, u16);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &Path) -> Served {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/serve.py"))
        .arg(dir)
        .args(["--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve.py did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Served(child, port)
}

/// The response's head (lower-case header names) and body.
fn get(port: u16, path: &str, accept_encoding: &str) -> (String, Vec<u8>) {
    request(port, "GET", path, &format!("Accept-Encoding: {accept_encoding}\r\n"))
}

/// A request with `headers` (each ending in CRLF): the response's head and body.
fn request(port: u16, method: &str, path: &str, headers: &str) -> (String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8_lossy(&raw[..split]).to_lowercase(),
        raw[split + 4..].to_vec(),
    )
}

#[test]
fn the_copy_the_browser_accepts_with_the_headers_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    // The folder served, with a file beside it that must never be served.
    let d = &dir.path().join("site");
    std::fs::create_dir_all(d).unwrap();
    std::fs::write(dir.path().join("secret.txt"), b"outside the served folder").unwrap();
    std::fs::write(
        d.join("_headers"),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/_headers")).unwrap(),
    )
    .unwrap();
    std::fs::write(d.join("app.wasm"), b"raw").unwrap();
    std::fs::write(d.join("app.wasm.gz"), b"gzipped").unwrap();
    std::fs::write(d.join("app.wasm.br"), b"brotli").unwrap();
    std::fs::write(d.join("index.html"), b"<!doctype html>").unwrap();
    std::fs::create_dir_all(d.join("demo/reports")).unwrap();
    std::fs::write(d.join("demo/keys.jws"), b"{}").unwrap();
    std::fs::write(d.join("demo/reports/R-1.jws"), b"{}").unwrap();
    let s = serve(d);

    let (head, body) = get(s.1, "/app.wasm", "gzip, deflate, br");
    assert_eq!(body, b"brotli");
    assert!(
        head.contains("content-encoding: br") && head.contains("content-type: application/wasm"),
        "{head}"
    );
    assert!(head.contains("vary: accept-encoding"), "{head}");
    let (head, body) = get(s.1, "/app.wasm", "gzip");
    assert_eq!(body, b"gzipped");
    assert!(head.contains("content-encoding: gzip"), "{head}");
    let (head, body) = get(s.1, "/app.wasm", "identity");
    assert_eq!(body, b"raw");
    assert!(!head.contains("content-encoding"), "{head}");

    // The app's headers, with loopback http added for development report hosts.
    let (head, body) = get(s.1, "/", "");
    assert_eq!(body, b"<!doctype html>");
    assert!(head.contains("content-security-policy: default-src 'none'"), "{head}");
    assert!(head.contains("connect-src 'self' https: http://127.0.0.1:*"), "{head}");
    assert!(head.contains("referrer-policy: no-referrer"), "{head}");

    // FORMAT.md §10: lists re-published under one name, reports immutable, both for any origin.
    let (head, _) = get(s.1, "/demo/keys.jws", "");
    assert!(head.contains("content-type: application/jose+json"), "{head}");
    assert!(
        head.contains("access-control-allow-origin: *") && head.contains("max-age=300"),
        "{head}"
    );
    let (head, _) = get(s.1, "/demo/reports/R-1.jws", "");
    assert!(head.contains("immutable"), "{head}");

    // Nothing outside the folder, however the path climbs out of it.
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/demo/../../secret.txt",
        "/..%2fsecret.txt",
    ] {
        let (head, body) = get(s.1, path, "");
        assert!(
            head.starts_with("http/1.1 400") || head.starts_with("http/1.1 404"),
            "{path}: {head}"
        );
        assert!(
            !String::from_utf8_lossy(&body).contains("outside the served folder"),
            "{path}"
        );
    }
    let (head, _) = get(s.1, "/missing.js", "");
    assert!(head.starts_with("http/1.1 404"), "{head}");
}

#[test]
fn links_out_of_the_folder_bad_paths_q_values_ranges_and_head() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("site");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(d).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), b"outside the served folder").unwrap();
    std::fs::write(d.join("_headers"), b"/*\n  X-Test: 1\n").unwrap();
    std::fs::write(d.join("app.wasm"), b"0123456789").unwrap();
    std::fs::write(d.join("app.wasm.br"), b"brotli").unwrap();
    std::fs::write(d.join("app.wasm.gz"), b"gzipped").unwrap();
    std::fs::create_dir_all(d.join("inside")).unwrap();
    std::fs::write(d.join("inside/ok.txt"), b"inside").unwrap();
    // A link to a file and a link to a folder, both outside; a link that stays inside.
    std::os::unix::fs::symlink(outside.join("secret.txt"), d.join("linked.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, d.join("linked-dir")).unwrap();
    std::os::unix::fs::symlink(d.join("inside/ok.txt"), d.join("inner.txt")).unwrap();
    let s = serve(d);

    for path in ["/linked.txt", "/linked-dir/secret.txt"] {
        let (head, body) = get(s.1, path, "");
        assert!(head.starts_with("http/1.1 404"), "{path}: {head}");
        assert!(body.is_empty(), "{path}");
    }
    assert_eq!(get(s.1, "/inner.txt", "").1, b"inside");
    for path in [
        "/app.wasm%00.txt",
        "/%00",
        "/inside%5c..%5c..%5coutside/secret.txt",
        "/%2e/app.wasm",
    ] {
        let (head, _) = get(s.1, path, "");
        assert!(head.starts_with("http/1.1 400"), "{path}: {head}");
    }

    // q=0 means "not this one".
    let (head, body) = get(s.1, "/app.wasm", "br;q=0, gzip");
    assert_eq!(body, b"gzipped", "{head}");
    let (_, body) = get(s.1, "/app.wasm", "br;q=0, gzip;q=0");
    assert_eq!(body, b"0123456789");
    let (_, body) = get(s.1, "/app.wasm", "gzip;q=0.5, br;q=1.0");
    assert_eq!(body, b"brotli");

    // A byte range of the file itself; one that cannot be served is said so.
    let (head, body) = request(s.1, "GET", "/app.wasm", "Range: bytes=2-5\r\nAccept-Encoding: br\r\n");
    assert!(head.starts_with("http/1.1 206"), "{head}");
    assert!(head.contains("content-range: bytes 2-5/10"), "{head}");
    assert_eq!(body, b"2345");
    let (_, body) = request(s.1, "GET", "/app.wasm", "Range: bytes=-3\r\n");
    assert_eq!(body, b"789");
    let (head, _) = request(s.1, "GET", "/app.wasm", "Range: bytes=20-30\r\n");
    assert!(
        head.starts_with("http/1.1 416") && head.contains("content-range: bytes */10"),
        "{head}"
    );

    // HEAD: the head of a GET, no body.
    let (head, body) = request(s.1, "HEAD", "/app.wasm", "");
    assert!(
        head.starts_with("http/1.1 200") && head.contains("content-length: 10"),
        "{head}"
    );
    assert!(body.is_empty());
}
