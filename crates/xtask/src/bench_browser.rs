//! The browser half of the decoder benchmark (`scripts/bench-browser`): the synthetic label
//! frames of `scripts/bench-frames`, decoded in headless Chromium by the app's own scan worker
//! (wasm) and by zxing-wasm and jsQR from npm, on identical frames in one page run
//! (`bench/browser/`). Prints Markdown tables for BENCHMARKS.md.

use labelcheck_testkit::serve::webdriver::Driver;
use labelcheck_testkit::serve::Server;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    labelcheck_testkit::serve::root().canonicalize().unwrap()
}

fn env_path(var: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or(default)
}

fn version(npm: &Path, package: &str) -> String {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(npm.join(package).join("package.json")).unwrap()).unwrap();
    manifest["version"].as_str().unwrap_or("?").to_owned()
}

pub fn run() {
    let root = root();
    let dist = env_path("LABELCHECK_DIST", root.join("dist"));
    assert!(
        dist.join("scan-worker_loader.js").is_file(),
        "build the app first (trunk build --release)"
    );
    let frames = env_path("LABELCHECK_FRAMES", root.join("target/bench-frames/per-case-1"));
    assert!(
        frames.is_dir(),
        "make the frames first (scripts/bench-frames): {}",
        frames.display()
    );
    let npm = std::env::var_os("LABELCHECK_BENCH_NPM")
        .map(PathBuf::from)
        .expect("LABELCHECK_BENCH_NPM: node_modules with zxing-wasm and jsqr");

    let site = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&npm, site.path().join("npm")).unwrap();
    std::os::unix::fs::symlink(&frames, site.path().join("frames")).unwrap();
    let mut list = Vec::new();
    let mut categories: Vec<_> = std::fs::read_dir(&frames)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    categories.sort();
    for cat in &categories {
        for size in ["640x480", "1280x720", "1920x1080"] {
            let dir = cat.join(size);
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "png") {
                    let text = std::fs::read_to_string(p.with_extension("txt")).unwrap();
                    let rel = p.strip_prefix(&frames).unwrap().to_string_lossy().into_owned();
                    list.push(json!({ "src": format!("frames/{rel}"), "text": text, "size": size }));
                }
            }
        }
    }
    std::fs::write(site.path().join("frames.json"), serde_json::to_vec(&list).unwrap()).unwrap();
    let (listener, port) = Server::bind();
    let _server = Server::start(
        listener,
        vec![root.join("bench/browser"), site.path().to_path_buf(), dist],
    );

    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    let only = std::env::var("LABELCHECK_BENCH_ONLY").unwrap_or_default();
    let sides = std::env::var("LABELCHECK_BENCH_SIDES").unwrap_or_else(|_| "640,800,960,1024".to_owned());
    // jsQR takes about a second a 1280x720 frame, most of the run: left out unless asked for.
    let skip = std::env::var("LABELCHECK_BENCH_SKIP").unwrap_or_else(|_| "jsQR".to_owned());
    s.goto(&format!(
        "http://127.0.0.1:{port}/index.html?only={only}&skip={skip}&sides={sides}"
    ));
    let deadline = Instant::now() + Duration::from_secs(3600);
    let result = loop {
        let v = s.script("return window.benchResult || null");
        if !v.is_null() {
            break v;
        }
        assert!(Instant::now() < deadline, "the benchmark page did not finish");
        if std::env::var_os("LABELCHECK_BENCH_DEBUG").is_some() {
            eprintln!("status: {}", s.text("#status"));
        }
        std::thread::sleep(Duration::from_secs(1));
    };
    assert_eq!(result["ok"], true, "{}", result["error"]);
    println!(
        "{} frames; zxing-wasm {}, jsQR {}; Chromium headless\n",
        list.len(),
        version(&npm, "zxing-wasm"),
        version(&npm, "jsqr")
    );
    println!(
        "| decoder | frame size | frames | exact reads | read at the first frame | wrong texts | traps | decodes timed \
         | median ms per frame | p95 ms | camera frames to read, median / max | page thread held, max ms |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for d in result["result"].as_array().unwrap() {
        for size in ["640x480", "1280x720", "1920x1080"] {
            let r = &d["sizes"][size];
            if r.is_null() {
                continue;
            }
            println!(
                "| {} | {size} | {} | {} | {} | {} | {} | {} | {:.1} | {:.1} | {} / {} | {:.1} |",
                d["name"].as_str().unwrap(),
                r["frames"],
                r["reads"],
                r["firstFrame"],
                r["wrong"],
                r["trapped"],
                r["timedFrames"],
                r["medianMs"].as_f64().unwrap_or(0.0),
                r["p95Ms"].as_f64().unwrap_or(0.0),
                r["framesToReadMedian"],
                r["framesToReadMax"],
                r["blockedMaxMs"].as_f64().unwrap_or(0.0)
            );
        }
    }
}
