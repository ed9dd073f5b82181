//! A server on 127.0.0.1 that serves the demo authority's files honestly, except the genuine
//! demo label's report, which it serves in one of the hostile ways below (switchable while it
//! runs, so one browser session can meet them all).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// Where the demo puts the genuine label's report.
pub const REPORT: &str = "/demo/reports/DEMO-0001.jws";

/// Every hostile way, for tests that go through them all.
pub const ALL: [Hostile; 10] = [
    Hostile::Huge,
    Hostile::Endless,
    Hostile::SlowStart,
    Hostile::Trickle,
    Hostile::Redirect,
    Hostile::GzipBomb,
    Hostile::WrongType,
    Hostile::NotUtf8,
    Hostile::DuplicateKeys,
    Hostile::DeepNesting,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hostile {
    /// Declares 50 MB and starts sending it.
    Huge,
    /// Chunked, never ends (the server stops after 64 MiB or when the client hangs up).
    Endless,
    /// Accepts the connection and says nothing for 30 s.
    SlowStart,
    /// Sends the headers, then one byte every 200 ms.
    Trickle,
    /// 302 to another host.
    Redirect,
    /// A gzip bomb: 10 MiB of zeros in about 66 KiB, sent as Content-Encoding: gzip.
    GzipBomb,
    /// An HTML page where the signed report should be.
    WrongType,
    /// Bytes that are not UTF-8.
    NotUtf8,
    /// The real report with a duplicated payload key, the second one forged.
    DuplicateKeys,
    /// 100,000 nested arrays.
    DeepNesting,
    /// Not hostile: the real report, gzip-compressed as a CDN may send it. Both shells read it.
    Gzipped,
}

fn header(stream: &mut TcpStream, status: &str, extra: &str) -> std::io::Result<()> {
    write!(stream, "HTTP/1.1 {status}\r\nConnection: close\r\n{extra}\r\n")
}

/// A 200 answer with `extra` headers and the whole `body`.
fn whole(stream: &mut TcpStream, extra: &str, body: &[u8]) -> std::io::Result<()> {
    header(stream, "200 OK", &format!("{extra}Content-Length: {}\r\n", body.len()))?;
    stream.write_all(body)
}

fn misbehave(mut stream: TcpStream, how: Hostile, real: &[u8]) -> std::io::Result<()> {
    let json = "Content-Type: application/jose+json\r\n";
    match how {
        Hostile::Huge => {
            header(&mut stream, "200 OK", &format!("{json}Content-Length: 52428800\r\n"))?;
            let block = [b' '; 65536];
            for _ in 0..800 {
                stream.write_all(&block)?;
            }
        }
        Hostile::Endless => {
            header(&mut stream, "200 OK", &format!("{json}Transfer-Encoding: chunked\r\n"))?;
            let block = [b'['; 65536];
            for _ in 0..1024 {
                write!(stream, "10000\r\n")?;
                stream.write_all(&block)?;
                write!(stream, "\r\n")?;
            }
        }
        Hostile::SlowStart => thread::sleep(Duration::from_secs(30)),
        Hostile::Trickle => {
            header(
                &mut stream,
                "200 OK",
                &format!("{json}Content-Length: {}\r\n", real.len()),
            )?;
            for b in real.iter().take(200) {
                stream.write_all(&[*b])?;
                thread::sleep(Duration::from_millis(200));
            }
        }
        Hostile::Redirect => header(
            &mut stream,
            "302 Found",
            "Location: http://reports.attacker.example/DEMO-0001.jws\r\nContent-Length: 0\r\n",
        )?,
        Hostile::GzipBomb => whole(
            &mut stream,
            &format!("{json}Content-Encoding: gzip\r\n"),
            &gzip_of_zeros(10 << 20),
        )?,
        Hostile::WrongType => whole(
            &mut stream,
            "Content-Type: text/html\r\n",
            b"<html><body>Certified! Trust us.</body></html>",
        )?,
        Hostile::NotUtf8 => {
            let mut body = real.to_vec();
            body.splice(1..1, [0xff, 0xfe, 0xc3, 0x28]);
            whole(&mut stream, json, &body)?;
        }
        Hostile::DuplicateKeys => {
            let text = String::from_utf8(real.to_vec()).unwrap();
            whole(
                &mut stream,
                json,
                text.replacen('{', "{\"payload\": \"e30\",", 1).as_bytes(),
            )?;
        }
        Hostile::DeepNesting => {
            let body = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
            whole(&mut stream, json, body.as_bytes())?;
        }
        Hostile::Gzipped => whole(
            &mut stream,
            &format!("{json}Content-Encoding: gzip\r\n"),
            &gzip_stored(real),
        )?,
    }
    Ok(())
}

/// A valid gzip member of `n` zero bytes, built by hand (stored deflate blocks would be as
/// large as the data; this uses one fixed-Huffman block of repeated back-references).
pub fn gzip_of_zeros(n: usize) -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.put(1, 1); // final block
    bits.put(1, 2); // fixed Huffman
                    // A literal 0 (code 00110000, 8 bits), then length-258 copies at distance 1.
    bits.put_rev(0b0011_0000, 8);
    let mut left = n - 1;
    while left >= 258 {
        bits.put_rev(0b1100_0101, 8); // length code 285 = 258
        bits.put_rev(0, 5); // distance code 0 = 1
        left -= 258;
    }
    for _ in 0..left {
        bits.put_rev(0b0011_0000, 8);
    }
    bits.put_rev(0, 7); // end of block (256)
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend(bits.finish());
    out.extend(crate::crc32(std::iter::repeat_n(0, n)).to_le_bytes());
    out.extend((n as u32).to_le_bytes());
    out
}

/// A valid gzip member holding `data` in stored (uncompressed) deflate blocks.
pub fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    if blocks.is_empty() {
        out.extend([1, 0, 0, 0xff, 0xff]);
    }
    out.extend(crate::crc32(data.iter().copied()).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    count: u32,
}

impl BitWriter {
    /// `n` bits of `v`, least significant first (deflate's order for header fields).
    fn put(&mut self, v: u32, n: u32) {
        for i in 0..n {
            self.acc |= ((v >> i) & 1) << self.count;
            self.count += 1;
            if self.count == 8 {
                self.out.push(self.acc as u8);
                self.acc = 0;
                self.count = 0;
            }
        }
    }

    /// A Huffman code: most significant bit first.
    fn put_rev(&mut self, code: u32, n: u32) {
        for i in (0..n).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

pub struct HostileServer {
    pub port: u16,
    /// How the report is served now; `None` serves it honestly.
    pub mode: Arc<Mutex<Option<Hostile>>>,
}

impl HostileServer {
    /// Serves the first of `roots` that has a path; at most `connections` connections, so a
    /// test's server thread always ends.
    pub fn start(listener: TcpListener, roots: Vec<PathBuf>, connections: usize) -> HostileServer {
        let port = listener.local_addr().expect("an address").port();
        let mode = Arc::new(Mutex::new(None));
        let shared = mode.clone();
        thread::spawn(move || {
            for stream in listener.incoming().take(connections).flatten() {
                let roots = roots.clone();
                let how = *shared.lock().expect("the mode");
                thread::spawn(move || answer(stream, &roots, how));
            }
        });
        HostileServer { port, mode }
    }
}

fn answer(stream: TcpStream, roots: &[PathBuf], how: Option<Hostile>) {
    let Ok(clone) = stream.try_clone() else { return };
    let mut reader = BufReader::new(clone);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut h = String::new();
    while reader.read_line(&mut h).is_ok_and(|n| n > 2) {
        h.clear();
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let path = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    };
    let find = |p: &str| {
        roots
            .iter()
            .find_map(|r| std::fs::read(r.join(p.trim_start_matches('/'))).ok())
    };
    let mut stream = stream;
    if let (true, Some(how), Some(real)) = (path == REPORT, how, find(REPORT)) {
        let _ = misbehave(stream, how, &real);
        return;
    }
    match find(&path) {
        Some(body) => {
            let ctype = super::content_type(Path::new(&path));
            let _ = whole(
                &mut stream,
                &format!("Content-Type: {ctype}\r\nCache-Control: no-store\r\n"),
                &body,
            );
        }
        None => {
            let _ = header(&mut stream, "404 Not Found", "Content-Length: 0\r\n");
        }
    }
}
