//! The built web app in headless Chromium driven through chromedriver (WebDriver), served on
//! loopback with a fresh demo authority: label links opened directly, the camera (Chromium's
//! fake camera fed a Y4M video of each demo label), a photo, offline use, and Chinese.
//!
//! Needs `trunk build` output, Chromium and chromedriver, so it is not among the tests
//! `cargo test` runs (Cargo.toml: `test = false`); `scripts/test` builds the app and runs it
//! with `cargo test --test e2e`. Screenshots of each verdict go to `target/screenshots/`.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_testkit::serve::webdriver::{Driver, Session};
use labelcheck_testkit::serve::{labelcheck_bin, Server};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::Ordering;
use std::time::Instant;

/// The command line, run in `dir`: it makes the demo authority, and checks photos as the app does.
fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(labelcheck_bin())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the labelcheck binary runs")
}

fn dist() -> PathBuf {
    let dir = std::env::var_os("LABELCHECK_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no built app in {} (run trunk build first)",
        dir.display()
    );
    dir
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Site {
    _tmp: tempfile::TempDir,
    demo: PathBuf,
    /// A deployment of the build and the demo authority's files, served behind the
    /// authority's own folder.
    dir: PathBuf,
    origin: String,
    server: Server,
    labels: Vec<Value>,
}

fn site() -> Site {
    site_serving(dist())
}

/// A new demo authority's files deployed with the app built in `dist` and served.
fn site_serving(dist: PathBuf) -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let (listener, port) = Server::bind();
    let origin = format!("http://127.0.0.1:{port}");
    let out = run(&["demo", "demo", "--origin", &origin], tmp.path());
    assert!(out.status.success());
    let demo = tmp.path().join("demo");
    built_in_copies(&demo);
    let dir = tmp.path().join("site");
    deploy(&dist, &demo.join("public"), &dir);
    // The authority's folder first: what a test publishes there later (a revocation) is served.
    let server = Server::start(listener, vec![demo.join("public"), dir.clone()]);
    let labels: Value = serde_json::from_slice(&std::fs::read(demo.join("labels.json")).unwrap()).unwrap();
    let labels = labels["labels"].as_array().unwrap().clone();
    Site {
        _tmp: tmp,
        demo,
        dir,
        origin,
        server,
        labels,
    }
}

/// The copies of the demo authority's lists built into the app (`public/lists`), as the build
/// hook lays them.
fn built_in_copies(demo: &Path) {
    let built_in = demo.join("public/lists");
    std::fs::create_dir_all(&built_in).unwrap();
    for kind in ["keys", "revocations"] {
        std::fs::copy(
            demo.join(format!("public/demo/{kind}.jws")),
            built_in.join(format!("DEMO.{kind}.jws")),
        )
        .unwrap();
    }
    for part in std::fs::read_dir(demo.join("public/demo/status")).unwrap() {
        let part = part.unwrap().path();
        let name = part.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::copy(&part, built_in.join(format!("DEMO.status-{name}"))).unwrap();
    }
}

/// Runs one of the project's scripts (`program SCRIPT DIR`) on `dir`.
fn run_script(program: &str, script: &str, dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(program).arg(root.join(script)).arg(dir).status().unwrap();
    assert!(status.success(), "{script} {}", dir.display());
}

/// Lays `build` and an authority's public files (with the copies of its lists built into the
/// app) into `site`, as README's "Deploying" says, then runs scripts/preload.sh: the page's
/// preloads, where a label's verdict fetches from and the service worker's list of files are
/// those of this deployment.
fn deploy(build: &Path, public: &Path, site: &Path) {
    copy_tree(build, site);
    copy_tree(public, site);
    for name in ["index.html", "sw.js"] {
        for ext in ["br", "gz"] {
            let _ = std::fs::remove_file(site.join(format!("{name}.{ext}")));
        }
    }
    run_script("sh", "scripts/preload.sh", site);
}

impl Site {
    /// Deploys `build` over what is served (a host's files replaced in place).
    fn deploy(&self, build: &Path) {
        deploy(build, &self.demo.join("public"), &self.dir);
    }

    fn label(&self, case: &str) -> &Value {
        self.labels.iter().find(|l| l["case"] == case).unwrap()
    }

    /// The app's address for a QR text: a label link as is; anything else is typed in.
    fn open(&self, s: &Session, qr: &str) {
        if qr.starts_with(&self.origin) {
            s.goto(qr);
        } else {
            s.goto(&format!("{}/", self.origin));
            let script = format!(
                "const i = document.getElementById('label-text'); i.value = {}; i.form.requestSubmit(); return 1",
                serde_json::json!(qr)
            );
            assert!(s.wait_for("#label-text", 20));
            s.script(&script);
        }
    }
}

/// A 1280×720 Y4M video (4:2:0) of one label photographed on a grey table.
fn y4m_of(png: &Path, out: &Path) {
    y4m_of_shelf(&[Some(png)], 2, 10, out);
}

/// A 1280×720 Y4M video (4:2:0) at `fps` frames a second: each entry held for `frames` frames,
/// a label photographed on a grey table, or the empty table (`None`). Chromium loops it.
fn y4m_of_shelf(shots: &[Option<&Path>], frames: usize, fps: u32, out: &Path) {
    let (w, h) = (1280u32, 720u32);
    let mut data = format!("YUV4MPEG2 W1280 H720 F{fps}:1 Ip A1:1 C420jpeg\n").into_bytes();
    for shot in shots {
        let frame = table_with(*shot, w, h);
        let yuv = yuv420(&frame);
        for _ in 0..frames {
            data.extend_from_slice(b"FRAME\n");
            data.extend_from_slice(&yuv);
        }
    }
    std::fs::write(out, data).unwrap();
}

fn table_with(png: Option<&Path>, w: u32, h: u32) -> image::RgbImage {
    let mut frame = image::RgbImage::from_fn(w, h, |x, y| {
        let g = 120 + ((x + y) / 40 % 8) as u8;
        image::Rgb([g, g, g.saturating_sub(6)])
    });
    let Some(png) = png else { return frame };
    let label = image::open(png).unwrap().to_rgb8();
    let scale = 660.0 / label.height() as f64;
    let (lw, lh) = ((label.width() as f64 * scale) as u32, 660u32);
    let small = image::imageops::resize(&label, lw, lh, image::imageops::FilterType::Triangle);
    image::imageops::overlay(&mut frame, &small, i64::from((w - lw) / 2), i64::from((h - lh) / 2));
    frame
}

fn yuv420(frame: &image::RgbImage) -> Vec<u8> {
    let (w, h) = frame.dimensions();
    let px = |x: u32, y: u32| {
        let p = frame.get_pixel(x, y);
        (f64::from(p[0]), f64::from(p[1]), f64::from(p[2]))
    };
    let mut data = Vec::with_capacity((w * h * 3 / 2) as usize);
    for y in 0..h {
        for x in 0..w {
            let (r, g, b) = px(x, y);
            data.push((0.299 * r + 0.587 * g + 0.114 * b).round().clamp(0.0, 255.0) as u8);
        }
    }
    for plane in 0..2 {
        for y in (0..h).step_by(2) {
            for x in (0..w).step_by(2) {
                let (r, g, b) = px(x, y);
                let v = if plane == 0 {
                    128.0 - 0.168_736 * r - 0.331_264 * g + 0.5 * b
                } else {
                    128.0 + 0.5 * r - 0.418_688 * g - 0.081_312 * b
                };
                data.push(v.round().clamp(0.0, 255.0) as u8);
            }
        }
    }
    data
}

fn camera_args(video: &Path) -> Vec<String> {
    vec![
        "--use-fake-ui-for-media-stream".into(),
        "--use-fake-device-for-media-stream".into(),
        format!("--use-file-for-fake-video-capture={}", video.display()),
    ]
}

#[test]
fn label_links_opened_directly_show_every_verdict() {
    let site = site();
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    let mut failures = Vec::new();
    for l in &site.labels {
        site.open(&s, l["qr"].as_str().unwrap());
        let got = s.verdict(30);
        if got.as_deref() != l["expected"].as_str() {
            failures.push(format!("{}: expected {}, page shows {got:?}", l["case"], l["expected"]));
        }
        s.screenshot(&screenshots().join(format!("link-{}.png", l["case"].as_str().unwrap())));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_camera_reads_each_demo_label_and_shows_its_verdict() {
    let site = site();
    let driver = Driver::start();
    let mut failures = Vec::new();
    let mut times = Vec::new();
    for l in &site.labels {
        let case = l["case"].as_str().unwrap();
        let video = site.demo.join(format!("{case}.y4m"));
        y4m_of(&site.demo.join(l["png"].as_str().unwrap()), &video);
        let s = driver.session(&camera_args(&video), "en-US");
        s.goto(&format!("{}/", site.origin));
        assert!(s.wait_for("#start-camera", 30), "{case}: no camera button");
        // The lists load first; the camera button works at once either way.
        let started = Instant::now();
        s.click("#start-camera");
        let got = s.verdict(60);
        times.push(started.elapsed().as_millis());
        if got.as_deref() != l["expected"].as_str() {
            failures.push(format!("{case}: expected {}, camera path shows {got:?}", l["expected"]));
        }
        if case == "genuine-3-star" {
            assert!(
                s.wait_for("[aria-label='3 of 3 stars']", 5),
                "the certified stars are shown big"
            );
            assert!(s.text(".compare").contains("Compare with the printed label"));
        }
        if case == "genuine" {
            assert!(s.wait_for("[aria-label='2 of 3 stars']", 5));
        }
        // The camera is off once a verdict is shown.
        let live =
            s.script("return [...document.querySelectorAll('video')].some(v => v.srcObject && v.srcObject.active)");
        assert_eq!(live, Value::Bool(false), "{case}: camera still on");
        s.screenshot(&screenshots().join(format!("camera-{case}.png")));
    }
    times.sort_unstable();
    println!("camera: label in view to verdict, ms (sorted): {times:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_photo_of_a_label_is_verified() {
    let site = site();
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    s.goto(&format!("{}/", site.origin));
    let png = site.demo.join(site.label("genuine")["png"].as_str().unwrap());
    s.send_file("#photo-input", png.to_str().unwrap());
    assert_eq!(s.verdict(60).as_deref(), Some("genuine"));
    s.click("#scan-again");
    let tampered = site.demo.join(site.label("tampered-claim")["png"].as_str().unwrap());
    s.send_file("#photo-input", tampered.to_str().unwrap());
    assert_eq!(s.verdict(60).as_deref(), Some("not-genuine"));
}

#[test]
fn when_the_decoder_stops_answering_a_new_worker_takes_over() {
    // A decoder that traps or hangs never answers its frame. The page's first frame to the
    // worker is dropped on the way, as a dead worker would drop it: the photo's watchdog must
    // replace the worker, say so, and the next photo must be read by the new one.
    let site = site();
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    s.goto(&format!("{}/", site.origin));
    s.script(
        "const post = Worker.prototype.postMessage; let dropped = false;\
         Worker.prototype.postMessage = function (...args) {\
           if (!dropped) { dropped = true; return; }\
           return post.apply(this, args);\
         }; return true;",
    );
    let png = site.demo.join(site.label("genuine")["png"].as_str().unwrap());
    s.send_file("#photo-input", png.to_str().unwrap());
    let deadline = Instant::now() + std::time::Duration::from_secs(40);
    while !s.text(".photo-status").contains("restarted") {
        assert!(
            Instant::now() < deadline,
            "no restart reported: {:?}",
            s.text(".photo-status")
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    s.send_file("#photo-input", png.to_str().unwrap());
    assert_eq!(
        s.verdict(60).as_deref(),
        Some("genuine"),
        "scanning goes on with the new worker"
    );
}

#[test]
fn offline_the_claim_is_verified_and_the_app_still_opens() {
    let site = site();
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    let genuine = site.label("genuine")["qr"].as_str().unwrap().to_owned();
    // The report host unreachable: the claim alone is genuine, verified offline.
    site.server.unreachable.lock().unwrap().push("/demo/reports/".into());
    s.goto(&genuine);
    assert_eq!(s.verdict(40).as_deref(), Some("genuine-offline"));
    s.screenshot(&screenshots().join("offline-genuine.png"));
    // Let the service worker take control, then lose the network entirely.
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    while s.script("return !!navigator.serviceWorker.controller") != Value::Bool(true) {
        assert!(Instant::now() < deadline, "the service worker never took control");
        s.goto(&format!("{}/", site.origin));
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    site.server.offline.store(true, Ordering::SeqCst);
    let revoked = site.label("revoked")["qr"].as_str().unwrap().to_owned();
    s.goto(&revoked);
    assert_eq!(
        s.verdict(40).as_deref(),
        Some("revoked"),
        "saved lists still catch a revoked label"
    );
    s.goto(&genuine);
    assert_eq!(s.verdict(40).as_deref(), Some("genuine-offline"));
}

#[test]
fn chinese_is_chosen_from_the_browser_switchable_and_remembered() {
    let site = site();
    let driver = Driver::start();
    let s = driver.session(&[], "zh-CN");
    let genuine = site.label("genuine")["qr"].as_str().unwrap().to_owned();
    s.goto(&genuine);
    assert_eq!(s.verdict(40).as_deref(), Some("genuine"));
    assert_eq!(s.text(".verdict-word"), "真实");
    assert!(s.text(".verdict-reason").contains("认证机构签发"));
    assert_eq!(s.script("return document.documentElement.lang"), Value::from("zh-CN"));
    s.screenshot(&screenshots().join("zh-genuine.png"));
    s.goto(site.label("revoked")["qr"].as_str().unwrap());
    assert_eq!(s.verdict(40).as_deref(), Some("revoked"));
    assert_eq!(s.text(".verdict-word"), "已撤销");
    s.screenshot(&screenshots().join("zh-revoked.png"));
    s.click("#lang-en");
    assert!(s.wait_for("html[lang='en']", 10));
    assert_eq!(s.text(".verdict-word"), "Revoked");
    s.goto(&genuine);
    assert_eq!(s.verdict(40).as_deref(), Some("genuine"));
    assert_eq!(s.text(".verdict-word"), "Genuine", "the choice is remembered");
}

#[test]
fn every_demo_case_in_chinese() {
    let site = site();
    let driver = Driver::start();
    let s = driver.session(&[], "zh-CN");
    let words = [
        ("genuine", "真实"),
        ("not-genuine", "非真实"),
        ("revoked", "已撤销"),
        ("expired", "已过期"),
        ("unknown-authority", "未知认证机构"),
        ("not-a-label", "不是安全标识"),
    ];
    let mut failures = Vec::new();
    for l in &site.labels {
        site.open(&s, l["qr"].as_str().unwrap());
        let got = s.verdict(30);
        let expected = l["expected"].as_str().unwrap();
        let word = words.iter().find(|(k, _)| *k == expected).map(|(_, w)| *w).unwrap();
        let shown = s.text(".verdict-word");
        if got.as_deref() != Some(expected) || shown != word {
            failures.push(format!(
                "{}: expected {expected} / {word}, page shows {got:?} / {shown}",
                l["case"]
            ));
        }
        let reason = s.text(".verdict-reason");
        if !reason.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
            failures.push(format!("{}: reason not in Chinese: {reason}", l["case"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn reports_from_a_hostile_server_get_a_verdict_with_a_reason_in_time() {
    use labelcheck_testkit::serve::hostile::{Hostile, HostileServer, ALL};
    let tmp = tempfile::tempdir().unwrap();
    let (listener, port) = Server::bind();
    let origin = format!("http://127.0.0.1:{port}");
    assert!(run(&["demo", "demo", "--origin", &origin], tmp.path()).status.success());
    let demo = tmp.path().join("demo");
    built_in_copies(&demo);
    let site = tmp.path().join("site");
    deploy(&dist(), &demo.join("public"), &site);
    let server = HostileServer::start(listener, vec![demo.join("public"), site], 2000);
    let labels: Value = serde_json::from_slice(&std::fs::read(demo.join("labels.json")).unwrap()).unwrap();
    assert_eq!(labels["labels"][0]["case"], "genuine");
    let genuine = labels["labels"][0]["qr"].as_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    let mut failures = Vec::new();
    for how in ALL.into_iter().chain([Hostile::Gzipped]) {
        // The same verdicts as the command line's (one fetch policy): a host too slow to
        // answer leaves the claim alone, verified offline; a redirect, too much data or
        // another content type cannot be checked.
        let (expected, reason) = match how {
            Hostile::SlowStart | Hostile::Trickle => ("genuine-offline", "report-unavailable"),
            Hostile::Huge | Hostile::Endless | Hostile::GzipBomb | Hostile::WrongType | Hostile::Redirect => {
                ("cannot-check", "report-unavailable")
            }
            Hostile::Gzipped => ("genuine", "report-verified"),
            Hostile::NotUtf8 | Hostile::DuplicateKeys | Hostile::DeepNesting => ("cannot-check", "report-unreadable"),
        };
        *server.mode.lock().unwrap() = Some(how);
        s.goto("about:blank");
        let started = Instant::now();
        s.goto(&genuine);
        // The app's fetch limit is 15 s; the verdict must come within it and a margin.
        let got = s.verdict(25);
        let took = started.elapsed();
        let has_reason = s.script(&format!("return !!document.querySelector('[data-code=\"{reason}\"]')"));
        if got.as_deref() != Some(expected) || has_reason != Value::Bool(true) {
            failures.push(format!(
                "{how:?}: expected {expected} ({reason}), page shows {got:?} after {took:?}: {}",
                s.text("[data-verdict]")
            ));
        }
    }
    // And served honestly again, the same label is genuine: nothing hostile was kept.
    *server.mode.lock().unwrap() = None;
    s.goto("about:blank");
    s.goto(&genuine);
    if s.verdict(25).as_deref() != Some("genuine") {
        failures.push("served honestly afterwards: not genuine".into());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn links_read_from_a_qr_code_are_shown_inert_never_opened() {
    let site = site();
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    let hostile = [
        "https://verify-labelcheck.example/login?next=/pay",
        "javascript:document.title='pwned'",
        "http://127.0.0.1:9/phish?serial=DEMO-0001",
    ];
    for text in hostile {
        site.open(&s, text);
        let got = s.verdict(20);
        assert_eq!(got.as_deref(), Some("not-a-label"), "{text}");
        std::thread::sleep(std::time::Duration::from_millis(500));
        let state = s.script(
            "return { origin: location.origin, title: document.title, \
             links: [...document.querySelectorAll('a[href], area[href], iframe, object, embed')].map(e => e.outerHTML), \
             shown: document.body.textContent }",
        );
        assert_eq!(state["origin"], site.origin.as_str(), "{text}: the app navigated away");
        assert_ne!(state["title"], "pwned", "{text}: script ran");
        let links = state["links"].as_array().unwrap();
        assert!(
            links
                .iter()
                .all(|l| !l.as_str().unwrap().contains("example") && !l.as_str().unwrap().contains(":9/")),
            "{text}: rendered as a link: {links:?}"
        );
        // Shown as plain text, so the user sees what the code really holds.
        assert!(state["shown"].as_str().unwrap().contains(text), "{text}: not shown");
    }
}

#[test]
fn the_app_works_under_its_content_security_policy() {
    // One inline script, the boot script, and the build's policy lets exactly it run.
    let html = std::fs::read_to_string(dist().join("index.html")).unwrap();
    let inline: Vec<&str> = html
        .split("<script")
        .skip(1)
        .filter(|tag| !tag.split('>').next().unwrap().contains(" src="))
        .map(|tag| tag.split_once('>').unwrap().1.split("</script>").next().unwrap())
        .collect();
    assert_eq!(inline.len(), 1, "one inline script in the built page: {html}");
    // static/boot.js, as the build sends it: without its comment lines and indentation.
    let boot = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/boot.js")).unwrap();
    let sent: Vec<&str> = boot
        .lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .collect();
    assert_eq!(inline[0], sent.join("\n"), "the inline script is static/boot.js");
    let hash = {
        use base64::Engine as _;
        use sha2::Digest as _;
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(inline[0].as_bytes()))
        )
    };
    let script_src = format!("script-src 'self' 'wasm-unsafe-eval' {hash};");
    let site = site();
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    s.goto(&format!("{}/", site.origin));
    assert!(s.wait_for("#label-text", 20));
    let csp = s.script(
        "const x = new XMLHttpRequest(); x.open('GET', location.href, false); x.send(); \
         return x.getResponseHeader('Content-Security-Policy')",
    );
    assert!(csp.as_str().unwrap().starts_with("default-src 'none'"), "{csp}");
    assert!(csp.as_str().unwrap().contains(&script_src), "{csp}");
    assert!(!csp.as_str().unwrap().contains("unsafe-inline"), "{csp}");
    s.script(
        "window.__violations = []; \
         document.addEventListener('securitypolicyviolation', \
           e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); return 1",
    );

    // Everything a shopper does, with the policy enforced: a label typed in (report fetched),
    // a photo (the scan worker), the details and the language switch.
    let genuine = site.label("genuine")["qr"].as_str().unwrap();
    s.script(&format!(
        "const i = document.getElementById('label-text'); i.value = {}; i.form.requestSubmit(); return 1",
        serde_json::json!(genuine)
    ));
    assert_eq!(s.verdict(30).as_deref(), Some("genuine"));
    s.click("#scan-again");
    let png = site.demo.join(site.label("genuine-3-star")["png"].as_str().unwrap());
    s.send_file("#photo-input", png.to_str().unwrap());
    assert_eq!(s.verdict(60).as_deref(), Some("genuine"));
    assert_eq!(s.script("return window.__violations"), serde_json::json!([]));

    // And the policy is enforced, not only sent: an injected script and style do not apply.
    // (eval cannot be probed from here: WebDriver's own scripts are exempt from the policy.)
    let probe = s.script(
        "const sc = document.createElement('script'); sc.textContent = 'window.__injected = 1'; \
         document.body.appendChild(sc); \
         const d = document.createElement('div'); d.setAttribute('style', 'width: 123px'); \
         document.body.appendChild(d); \
         return { injected: window.__injected === 1, styled: d.offsetWidth === 123 }",
    );
    assert_eq!(probe, serde_json::json!({ "injected": false, "styled": false }));
    std::thread::sleep(std::time::Duration::from_millis(300));
    let seen = s.script("return window.__violations.join('\\n')");
    let seen = seen.as_str().unwrap();
    assert!(seen.contains("script-src") && seen.contains("style-src"), "{seen}");
}

/// The files the page fetched, by address without fragment: when each started and ended.
fn fetched(s: &Session) -> Vec<(String, f64, f64)> {
    let entries = s.script(
        "return performance.getEntriesByType('resource').map(e => [e.name.split('#')[0], e.startTime, e.responseEnd])",
    );
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e[0].as_str().unwrap().to_owned(),
                e[1].as_f64().unwrap(),
                e[2].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_label_links_report_and_lists_download_beside_the_app_each_once() {
    let site = site();
    let driver = Driver::start();
    let slow = |s: &Session| {
        // The phone network of scripts/bench-phone: the app's download lasts about a second,
        // long enough to see what is fetched beside it.
        for (cmd, params) in [
            ("Network.enable", serde_json::json!({})),
            (
                "Network.emulateNetworkConditions",
                serde_json::json!({ "offline": false, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750 }),
            ),
        ] {
            s.cdp(cmd, params).unwrap();
        }
    };
    let s = driver.session(&[], "en-US");
    slow(&s);
    s.goto(site.label("genuine")["qr"].as_str().unwrap());
    assert_eq!(s.verdict(60).as_deref(), Some("genuine"));
    let files = fetched(&s);
    let listing = || format!("{files:#?}");
    // Each file once: the boot script's fetches and the page's preloads are what the app used.
    // (Icons are the browser's: it fetches one for the tab and one for the manifest.)
    for (name, ..) in files.iter().filter(|(n, ..)| !n.contains("/icons/")) {
        let times = files.iter().filter(|(n, ..)| n == name).count();
        assert_eq!(times, 1, "{name} fetched {times} times: {}", listing());
    }
    assert_eq!(
        s.script("return Object.keys(window.labelcheckEarly)"),
        serde_json::json!([]),
        "the app took every fetch the boot script started"
    );
    // The files the verdict waits for were asked for while the app was still downloading.
    let end_of = |suffix: &str| files.iter().find(|(n, ..)| n.ends_with(suffix)).map(|f| (f.1, f.2));
    let (_, app_downloaded) = end_of("/label_bg.wasm").unwrap_or_else(|| panic!("no app download: {}", listing()));
    for verdict_needs in [
        "/demo/keys.jws",
        "/demo/revocations.jws",
        "/demo/status/0.jws",
        "/demo/reports/DEMO-0001.jws",
    ] {
        let (started, _) =
            end_of(verdict_needs).unwrap_or_else(|| panic!("{verdict_needs} not fetched: {}", listing()));
        assert!(
            started < app_downloaded,
            "{verdict_needs} asked for at {started} ms, after the app's download ended at {app_downloaded} ms"
        );
    }
    // The copies of those lists built into the app are not: the published ones come first, and
    // a second copy of each would share the link with the app's download.
    for built_in in ["/lists/DEMO.keys.jws", "/lists/DEMO.revocations.jws"] {
        if let Some((started, _)) = end_of(built_in) {
            assert!(
                started >= app_downloaded,
                "{built_in} asked for at {started} ms, beside the app's download (ended at {app_downloaded} ms)"
            );
        }
    }
    // The home page, whose app fetches no label's files, downloads them with the page.
    s.goto(&format!("{}/", site.origin));
    assert!(s.wait_for("#label-text", 30));
    for built_in in ["/lists/DEMO.keys.jws", "/lists/DEMO.revocations.jws"] {
        let preloaded = s.script(&format!(
            "return performance.getEntriesByType('resource').some(e => e.name.endsWith('{built_in}') \
               && e.initiatorType === 'link')"
        ));
        assert_eq!(
            preloaded,
            Value::Bool(true),
            "{built_in} not preloaded by the home page"
        );
    }

    // A label of an authority this app does not trust: nothing it names is fetched.
    let s = driver.session(&[], "en-US");
    slow(&s);
    s.goto(site.label("unknown-authority")["qr"].as_str().unwrap());
    assert_eq!(s.verdict(60).as_deref(), Some("unknown-authority"));
    let files = fetched(&s);
    assert!(
        files.iter().all(|(n, ..)| !n.contains("ACME")),
        "fetched for an untrusted authority: {files:#?}"
    );
}

/// The audit file an export saved into `dir`, once it is complete.
fn downloaded(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(text) = std::fs::read_to_string(&path) {
            if !text.is_empty() && !dir.join(format!("{name}.crdownload")).exists() {
                return text;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("{name} was not downloaded into {}", dir.display());
}

#[test]
fn an_audit_of_a_shelf_flags_the_clone_and_the_counterfeit_survives_a_reload_and_exports() {
    let site = site();
    let png = |case: &str| site.demo.join(site.label(case)["png"].as_str().unwrap());
    // The shelf: a genuine label, a three-star one, another product wearing a copy of the
    // first label, a counterfeit; the empty table between products.
    let shelf = [
        png("genuine"),
        png("genuine-3-star"),
        png("genuine"),
        png("tampered-claim"),
    ];
    let mut shots = Vec::new();
    for p in &shelf {
        shots.push(Some(p.as_path()));
        shots.push(None);
    }
    let video = site.demo.join("shelf.y4m");
    // Three seconds per product and between products, at 3 frames a second.
    y4m_of_shelf(&shots, 9, 3, &video);
    let downloads = tempfile::tempdir().unwrap();
    let driver = Driver::start();
    let s = driver.session_saving_to(&camera_args(&video), "en-US", Some(downloads.path()));
    s.goto(&format!("{}/", site.origin));
    assert!(s.wait_for("#audit-name-input", 30));
    s.script("document.getElementById('audit-name-input').value = 'Shelf 4, aisle 2'; return 1");
    s.click("#start-audit");
    assert!(s.wait_for("#audit-name", 20));
    assert_eq!(s.text("#audit-name"), "Shelf 4, aisle 2");
    // What the phone does per label, recorded (vibration is a method of the navigator).
    s.script(
        "window.__buzz = []; navigator.vibrate = p => { window.__buzz.push(Array.from(p)); return true; }; return 1",
    );
    s.script(
        "window.__violations = []; document.addEventListener('securitypolicyviolation', \
         e => window.__violations.push(e.violatedDirective)); return 1",
    );
    s.click("#start-camera");

    let items = || {
        s.script("return document.querySelectorAll('.audit-item').length")
            .as_u64()
            .unwrap_or(0)
    };
    // The copy of the first label: the app cannot know it is another product, so it asks.
    assert!(
        s.wait_for(".audit-repeat", 90),
        "the repeated label was not noticed; items: {}",
        items()
    );
    assert_eq!(
        s.script("return document.querySelector('.audit-repeat').dataset.earlier"),
        "1"
    );
    s.click("#repeat-another");
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    while items() < 4 && Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    s.click("#stop-camera");
    std::thread::sleep(std::time::Duration::from_millis(500));
    if s.wait_for("#repeat-same", 1) {
        s.click("#repeat-same");
    }
    // Which label the camera met first depends on where the looping video was when the camera
    // started: the checks below hold whatever the order.
    let listed = || -> Vec<(String, String, String)> {
        let v = s.script(
            "return [...document.querySelectorAll('.audit-item')].reverse().map(e => \
             [e.dataset.item, e.dataset.verdict, e.dataset.clone])",
        );
        serde_json::from_value(v).unwrap()
    };
    let items_now = listed();
    let mut verdicts: Vec<&str> = items_now.iter().map(|(_, v, _)| v.as_str()).collect();
    verdicts.sort_unstable();
    assert_eq!(
        verdicts,
        ["genuine", "genuine", "genuine", "not-genuine"],
        "{items_now:?}"
    );
    let cloned: Vec<&str> = items_now
        .iter()
        .filter(|(_, _, c)| c == "true")
        .map(|(n, _, _)| n.as_str())
        .collect();
    assert_eq!(cloned.len(), 2, "the label and its copy, both flagged: {items_now:?}");
    assert!(s
        .text(&format!("[data-item='{}'] .clone-flag", cloned[0]))
        .contains(&format!("#{}", cloned[1])));
    assert!(s
        .text(&format!("[data-item='{}'] .clone-flag", cloned[1]))
        .contains(&format!("#{}", cloned[0])));
    let counterfeit = items_now.iter().find(|(_, v, _)| v == "not-genuine").unwrap().0.clone();
    let other = items_now
        .iter()
        .find(|(_, v, c)| v == "genuine" && c == "false")
        .unwrap()
        .0
        .clone();
    let serial = site.label("genuine")["serial"].as_str().unwrap().to_owned();
    assert_eq!(
        s.script("return [...document.querySelectorAll('.audit-clones li')].map(e => e.dataset.serial)"),
        serde_json::json!([serial])
    );
    assert_eq!(
        s.script(
            "return [...document.querySelectorAll('.audit-chart .bar')].map(b => [b.dataset.verdict, b.dataset.count])"
        ),
        serde_json::json!([["genuine", "3"], ["not-genuine", "1"]])
    );
    let buzz: Vec<Vec<u64>> = serde_json::from_value(s.script("return window.__buzz")).unwrap();
    let mut buzz: Vec<String> = buzz.iter().map(|p| format!("{p:?}")).collect();
    buzz.sort();
    assert_eq!(
        buzz,
        ["[150, 80, 150, 80, 150]", "[60]", "[60]", "[60]"],
        "one short buzz per genuine label, a longer pattern for the counterfeit"
    );

    // A note, and the model read off the second product, which is not the signed one.
    let type_into = |css: &str, text: &str| {
        s.script(&format!(
            "const i = document.querySelector({}); i.value = {}; \
             i.dispatchEvent(new Event('change', {{ bubbles: true }})); return 1",
            serde_json::json!(css),
            serde_json::json!(text)
        ));
    };
    type_into(
        &format!("[data-item='{counterfeit}'] .item-note"),
        "Seized: no such product from this maker",
    );
    type_into(&format!("[data-item='{other}'] .item-expected"), "XR-9 Pro");
    assert!(s.wait_for(
        &format!("[data-item='{other}'][data-mismatch='true'] .mismatch-flag"),
        5
    ));
    std::thread::sleep(std::time::Duration::from_millis(500));

    assert_eq!(
        s.script("return window.__violations"),
        serde_json::json!([]),
        "the audit view keeps the policy"
    );

    // A reload (or a killed tab) loses nothing: the audit is still open, with every item.
    s.goto(&format!("{}/", site.origin));
    assert!(
        s.wait_for("[data-item='4']", 30),
        "the audit did not survive the reload"
    );
    assert_eq!(s.text("#audit-name"), "Shelf 4, aisle 2");
    assert_eq!(listed(), items_now);
    assert_eq!(
        s.script(&format!(
            "return document.querySelector(\"[data-item='{counterfeit}'] .item-note\").value"
        )),
        "Seized: no such product from this maker"
    );
    assert!(s.wait_for(&format!("[data-item='{other}'][data-mismatch='true']"), 5));
    s.screenshot(&screenshots().join("audit.png"));

    // Exports: saved by the browser, nothing sent anywhere.
    s.click("#export-json");
    s.click("#export-csv");
    let json: Value = serde_json::from_str(&downloaded(downloads.path(), "Shelf-4--aisle-2.json")).unwrap();
    let csv = downloaded(downloads.path(), "Shelf-4--aisle-2.csv");
    assert_eq!(json["name"], "Shelf 4, aisle 2");
    assert_eq!(json["summary"]["clones"][0]["serial"], serial.as_str());
    let n = |s: &str| s.parse::<u64>().unwrap();
    assert_eq!(
        json["summary"]["clones"][0]["items"],
        serde_json::json!([n(cloned[0]), n(cloned[1])])
    );
    assert_eq!(json["summary"]["mismatches"], serde_json::json!([n(&other)]));
    let fake = &json["items"][(n(&counterfeit) - 1) as usize];
    assert_eq!(fake["note"], "Seized: no such product from this maker");
    assert_eq!(fake["verdict"], "not-genuine");
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 5, "{csv}");
    assert_eq!(
        rows.iter()
            .filter(|r| r.contains(",genuine,") && r.contains(&serial))
            .count(),
        2
    );
    assert!(rows[n(&counterfeit) as usize].contains("Seized: no such product from this maker"));

    // The command line, given photos of the same labels, reports the same.
    let photos = site.demo.join("shelf-photos");
    std::fs::create_dir_all(&photos).unwrap();
    for (i, p) in shelf.iter().enumerate() {
        std::fs::copy(p, photos.join(format!("{:02}.png", i + 1))).unwrap();
    }
    let out = run(&["verify", "--report", "cli.json", "shelf-photos"], &site.demo);
    assert_eq!(out.status.code(), Some(1));
    let cli: Value = serde_json::from_slice(&std::fs::read(site.demo.join("cli.json")).unwrap()).unwrap();
    // Item numbers follow the order labels were met, so compare what each item says.
    let essence = |doc: &Value| -> Vec<String> {
        let mut e: Vec<String> = doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{} {} {} {}",
                    i["verdict"],
                    i["serial"],
                    i["maker"],
                    i["clone_of"].as_array().unwrap().len()
                )
            })
            .collect();
        e.sort();
        e
    };
    assert_eq!(essence(&cli), essence(&json));
    assert_eq!(cli["summary"]["by_verdict"], json["summary"]["by_verdict"]);
    assert_eq!(
        cli["summary"]["clones"][0]["serial"],
        json["summary"]["clones"][0]["serial"]
    );
    assert_eq!(cli["summary"]["clones"].as_array().unwrap().len(), 1);

    // Deleting it removes it from the device.
    s.script("window.confirm = () => true; return 1");
    s.click("#delete-audit");
    assert!(s.wait_for("#start-audit", 10));
    std::thread::sleep(std::time::Duration::from_millis(500));
    s.goto(&format!("{}/", site.origin));
    assert!(s.wait_for("#start-audit", 30));
    std::thread::sleep(std::time::Duration::from_millis(1000));
    assert_eq!(
        s.script("return document.querySelectorAll('.audit-saved li').length"),
        0
    );
}

#[test]
fn an_audit_reopened_shows_its_reasons_in_the_language_chosen_now() {
    let site = site();
    let driver = Driver::start();
    let s = driver.session(&[], "zh-CN");
    s.goto(&format!("{}/", site.origin));
    assert!(s.wait_for("#audit-name-input", 30));
    s.script("document.getElementById('audit-name-input').value = '货架 2'; return 1");
    s.click("#start-audit");
    assert!(s.wait_for("#audit-name", 20));
    let forged = site.label("tampered-claim")["qr"].as_str().unwrap();
    s.script(&format!(
        "const i = document.getElementById('label-text'); i.value = {}; i.form.requestSubmit(); return 1",
        serde_json::json!(forged)
    ));
    assert!(s.wait_for("[data-item='1'] .item-reason", 30));
    let cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    // Saved, the page reloaded: the item's reason is Chinese, not the English of a stored
    // sentence; switched to English, it is English.
    s.goto(&format!("{}/", site.origin));
    assert!(
        s.wait_for("[data-item='1'] .item-reason", 30),
        "the audit did not reopen"
    );
    let reason = s.text("[data-item='1'] .item-reason");
    assert!(cjk(&reason), "after a reload: {reason}");
    s.click("#lang-en");
    assert!(s.wait_for("html[lang='en']", 10));
    let reason = s.text("[data-item='1'] .item-reason");
    assert!(!cjk(&reason) && reason.contains("signature"), "in English: {reason}");
    s.script("window.confirm = () => true; return 1");
    s.click("#delete-audit");
}

#[test]
fn a_first_visit_with_the_list_urls_dead_verifies_from_the_built_in_copies() {
    let site = site();
    // The lists' published URLs never answer; the copies built into the app do.
    site.server
        .unreachable
        .lock()
        .unwrap()
        .extend(["/demo/keys.jws".to_owned(), "/demo/revocations.jws".to_owned()]);
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    for (case, expected) in [
        ("genuine", "genuine"),
        ("revoked", "revoked"),
        ("tampered-claim", "not-genuine"),
    ] {
        s.goto(site.label(case)["qr"].as_str().unwrap());
        assert_eq!(s.verdict(40).as_deref(), Some(expected), "{case}");
    }
    // The published lists' failure is said, under the details, not in the verdict.
    assert!(s.wait_for(".list-problems", 20), "the dead list URLs are not reported");
}

#[test]
fn each_withdrawal_reads_revoked_with_its_date_and_reason_from_the_built_in_status_list() {
    let site = site();
    // The status list's published partition never answers: the app's built-in copy decides.
    site.server
        .unreachable
        .lock()
        .unwrap()
        .push("/demo/status/0.jws".to_owned());
    let driver = Driver::start();
    let cases = [
        // A single serial, a withdrawn product, every label of a withdrawn signing key.
        ("revoked", "withdrawn by the authority", "认证机构撤回"),
        ("withdrawn-product", "withdrawn by the authority", "认证机构撤回"),
        ("replaced", "ask the seller for the new one", "请向卖家索取新的标识"),
    ];
    let dated = |t: &str| {
        t.as_bytes().windows(10).any(|w| {
            w.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            })
        })
    };
    let mut failures = Vec::new();
    for lang in ["en-US", "zh-CN"] {
        let s = driver.session(&[], lang);
        for (case, en, zh) in cases {
            site.open(&s, site.label(case)["qr"].as_str().unwrap());
            let got = s.verdict(40);
            let reason = s.text(".verdict-reason");
            let words = if lang == "zh-CN" { zh } else { en };
            if got.as_deref() != Some("revoked") || !reason.contains(words) || !dated(&reason) {
                failures.push(format!(
                    "{lang} {case}: {got:?}, {reason:?} (want {words:?} and a date)"
                ));
            }
            // The page preloaded the label's partition (boot.js) rather than asking after the
            // lists; the replaced label is decided by its key's act, before any partition.
            let preloaded = s.script(
                "return performance.getEntriesByType('resource').some(e => \
                   e.name.endsWith('/lists/DEMO.status-0.jws') && e.initiatorType === 'link')",
            );
            if case != "replaced" && preloaded != Value::Bool(true) {
                failures.push(format!("{lang} {case}: the partition was not preloaded with the page"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_withdrawn_batch_reads_revoked_with_its_date_and_reason() {
    let site = site();
    // The demo's own labels are one batch of its register: the authority withdraws it.
    let out = run(
        &[
            "revoke",
            "--authority",
            "authority.json",
            "--root",
            "private/root.jwk",
            "--batch",
            "demo-cases",
            "--reason",
            "surrendered",
            "--date",
            "2026-12-01",
        ],
        &site.demo,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let driver = Driver::start();
    for (lang, words) in [("en-US", "given up by the maker"), ("zh-CN", "生产者主动放弃")] {
        let s = driver.session(&[], lang);
        site.open(&s, site.label("genuine")["qr"].as_str().unwrap());
        assert_eq!(s.verdict(40).as_deref(), Some("revoked"), "{lang}");
        let reason = s.text(".verdict-reason");
        assert!(
            reason.contains("2026-12-01") && reason.contains(words),
            "{lang}: {reason}"
        );
    }
}

#[test]
fn an_audit_records_the_verdict_of_the_lists_that_arrive_not_of_the_built_in_ones() {
    let site = site();
    // The authority revokes the genuine label after the app was built: the app's own copies of
    // the lists do not know it, the published ones do, and they are slow to come.
    let serial = site.label("genuine")["serial"].as_str().unwrap().to_owned();
    let out = run(
        &[
            "revoke",
            "--authority",
            "authority.json",
            "--root",
            "private/root.jwk",
            "--serial",
            &serial,
            "--reason",
            "misuse",
        ],
        &site.demo,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    site.server.slow.lock().unwrap().extend([
        ("/demo/revocations.jws".to_owned(), 6_000),
        ("/demo/status/".to_owned(), 6_000),
    ]);
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    s.goto(&format!("{}/", site.origin));
    assert!(s.wait_for("#audit-name-input", 30));
    s.script("document.getElementById('audit-name-input').value = 'Shelf 1'; return 1");
    s.click("#start-audit");
    assert!(s.wait_for("#audit-name", 20));
    // Read at once, while the published lists are on their way.
    s.script(&format!(
        "const i = document.getElementById('label-text'); i.value = {}; i.form.requestSubmit(); return 1",
        serde_json::json!(site.label("genuine")["qr"])
    ));
    assert!(s.wait_for("[data-item='1']", 40), "the label was not recorded");
    assert_eq!(
        s.script("return document.querySelector(\"[data-item='1']\").dataset.verdict"),
        "revoked",
        "recorded with the lists that arrived"
    );
    assert_eq!(
        s.script("const b = document.querySelector('.audit-summary [data-verdict=revoked]'); return b ? b.dataset.count : null"),
        "1"
    );
    s.script("window.confirm = () => true; return 1");
    s.click("#delete-audit");
}

/// Copies every file of `from` into `to` (made if missing), over what is there.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Another build of the app in `dir` (a copy of a build): every wasm file gets a custom
/// section naming `tag`, so its bytes differ, and the service worker's list is written again.
fn another_build(dir: &Path, tag: &str) {
    for name in ["label_bg.wasm", "labelcheck-app_bg.wasm", "scan-worker_bg.wasm"] {
        let path = dir.join(name);
        let mut wasm = std::fs::read(&path).unwrap();
        let section_name = b"labelcheck-test-build";
        let mut content = vec![section_name.len() as u8];
        content.extend_from_slice(section_name);
        content.extend_from_slice(tag.as_bytes());
        wasm.push(0);
        let mut n = content.len();
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                wasm.push(byte);
                break;
            }
            wasm.push(byte | 0x80);
        }
        wasm.extend(content);
        std::fs::write(&path, wasm).unwrap();
        // The precompressed copies are of the old bytes: a host serves the new file.
        let _ = std::fs::remove_file(dir.join(format!("{name}.br")));
        let _ = std::fs::remove_file(dir.join(format!("{name}.gz")));
    }
    run_script("node", "scripts/sw-manifest.mjs", dir);
}

/// The files a build's service worker keeps, with their SHA-256 (from its sw.js).
fn build_files(dir: &Path) -> serde_json::Map<String, Value> {
    let sw = std::fs::read_to_string(dir.join("sw.js")).unwrap();
    let line = sw.lines().find(|l| l.starts_with("const FILES = ")).unwrap();
    let json = line.trim_start_matches("const FILES = ").split("; //").next().unwrap();
    serde_json::from_str::<Value>(json)
        .unwrap()
        .as_object()
        .unwrap()
        .clone()
}

/// Which build each of the app's files is, as the page gets them now: `"A"`, `"B"`, `"either"`
/// (the same in both) or `"other"`, by file.
fn builds_seen(
    s: &Session,
    a: &serde_json::Map<String, Value>,
    b: &serde_json::Map<String, Value>,
) -> Vec<(String, String)> {
    let names: Vec<&String> = a.keys().collect();
    let got = s.script_async(&format!(
        "const done = arguments[arguments.length - 1]; \
         (async () => {{ const out = {{}}; \
           for (const n of {names}) {{ \
             const r = await fetch(n); const d = await crypto.subtle.digest('SHA-256', await r.arrayBuffer()); \
             out[n] = Array.from(new Uint8Array(d), x => x.toString(16).padStart(2, '0')).join(''); }} \
           return out; }})().then(done, e => done(String(e)));",
        names = serde_json::json!(names)
    ));
    names
        .iter()
        .map(|n| {
            let d = &got[n.as_str()];
            let which = if a[n.as_str()] == b[n.as_str()] && *d == a[n.as_str()] {
                "either"
            } else if *d == a[n.as_str()] {
                "A"
            } else if *d == b[n.as_str()] {
                "B"
            } else {
                "other"
            };
            ((*n).clone(), which.to_owned())
        })
        .collect()
}

/// The one build every file the page uses is of; fails on a mix.
fn one_build(s: &Session, a: &serde_json::Map<String, Value>, b: &serde_json::Map<String, Value>) -> String {
    let seen = builds_seen(s, a, b);
    let telling: Vec<&String> = seen.iter().map(|(_, w)| w).filter(|w| *w != "either").collect();
    let first = telling.first().map(|w| (*w).clone()).unwrap_or_default();
    assert!(
        !telling.is_empty() && first != "other" && telling.iter().all(|w| **w == first),
        "files of more than one build: {seen:?}"
    );
    first
}

fn controlled(s: &Session, origin: &str) {
    let deadline = Instant::now() + std::time::Duration::from_secs(30);
    while s.script("return !!navigator.serviceWorker.controller") != Value::Bool(true) {
        assert!(Instant::now() < deadline, "the service worker never took control");
        s.goto(&format!("{origin}/"));
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
}

#[test]
fn a_new_build_is_taken_whole_never_mixed_with_the_old_online_or_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let b = tmp.path().join("b");
    copy_tree(&dist(), &b);
    another_build(&b, "B");
    let site = site();
    // B as a deployment here makes it, to know its files.
    let b_deployed = tmp.path().join("b-deployed");
    deploy(&b, &site.demo.join("public"), &b_deployed);
    let (files_a, files_b) = (build_files(&site.dir), build_files(&b_deployed));
    assert_ne!(files_a["label_bg.wasm"], files_b["label_bg.wasm"]);
    let label = site.label("genuine")["qr"].as_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    s.timeouts(60_000, 60_000);
    s.goto(&label);
    assert_eq!(s.verdict(40).as_deref(), Some("genuine"));
    controlled(&s, &site.origin);
    assert_eq!(one_build(&s, &files_a, &files_b), "A");

    // Half a deploy: B's service worker while the server still has A's wasm. Its install
    // fails whole; A stays in use.
    std::fs::copy(b_deployed.join("sw.js"), site.dir.join("sw.js")).unwrap();
    s.goto(&label);
    assert_eq!(s.verdict(40).as_deref(), Some("genuine"));
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(
        one_build(&s, &files_a, &files_b),
        "A",
        "a half-deployed build is never used"
    );

    // The whole of B: a page open keeps A; once no page runs A, B is taken, whole.
    site.deploy(&b);
    s.goto(&label);
    assert_eq!(s.verdict(40).as_deref(), Some("genuine"));
    let mut build = one_build(&s, &files_a, &files_b);
    assert_eq!(build, "A", "the page runs the build it started with");
    let deadline = Instant::now() + std::time::Duration::from_secs(40);
    while build != "B" {
        assert!(Instant::now() < deadline, "build B was never taken");
        // B is found and made ready while the page is open (a few seconds on the page); then the
        // tab is closed: no page runs A any more.
        let ready = Instant::now() + std::time::Duration::from_secs(20);
        while s.script_async(
            "const done = arguments[arguments.length - 1]; \
             navigator.serviceWorker.getRegistration().then(r => done(!!(r && r.waiting)))",
        ) != Value::Bool(true)
            && Instant::now() < ready
        {
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        s.new_tab();
        std::thread::sleep(std::time::Duration::from_millis(500));
        s.goto(&label);
        assert_eq!(s.verdict(40).as_deref(), Some("genuine"));
        build = one_build(&s, &files_a, &files_b);
    }

    // Offline, the app is B's, whole, and works.
    site.server.offline.store(true, Ordering::SeqCst);
    s.new_tab();
    s.goto(&label);
    assert_eq!(s.verdict(40).as_deref(), Some("genuine-offline"));
    assert_eq!(one_build(&s, &files_a, &files_b), "B");
}

#[test]
fn a_same_origin_file_opened_in_a_tab_never_replaces_the_app() {
    let site = site();
    let label = site.label("genuine")["qr"].as_str().unwrap().to_owned();
    let driver = Driver::start();
    let s = driver.session(&[], "en-US");
    s.goto(&label);
    assert_eq!(s.verdict(40).as_deref(), Some("genuine"));
    controlled(&s, &site.origin);
    // A report, a list and the trust anchors, opened in the tab the app runs in (the trust
    // anchors last: a browser shows JSON in the tab, where it downloads a report's type).
    for path in ["demo/reports/DEMO-0001.jws", "demo/keys.jws", "trust.json"] {
        s.goto(&format!("{}/{path}", site.origin));
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    site.server.offline.store(true, Ordering::SeqCst);
    // From a blank page: a file the browser downloads instead of showing (a report's type)
    // would leave the tab on whatever page it had, and that page must not pass for the app.
    s.goto("about:blank");
    s.goto(&format!("{}/", site.origin));
    assert!(s.wait_for("#label-text", 30), "the app does not open offline");
    s.goto("about:blank");
    s.goto(&label);
    assert_eq!(s.verdict(40).as_deref(), Some("genuine-offline"));
}

#[test]
fn a_phone_whose_storage_is_full_is_told_once_in_plain_words_and_still_gets_verdicts() {
    let site = site();
    let driver = Driver::start();
    for (lang, words) in [("en-US", "could not save"), ("zh-CN", "无法保存")] {
        let s = driver.session(&[], lang);
        s.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": "Storage.prototype.setItem = function () { \
                throw new DOMException('full', 'QuotaExceededError'); };" }),
        )
        .unwrap();
        for case in ["genuine", "revoked"] {
            site.open(&s, site.label(case)["qr"].as_str().unwrap());
            assert_eq!(s.verdict(40).as_deref(), Some(case), "{lang}");
        }
        assert!(s.wait_for(".storage-problem", 20), "{lang}: not said");
        assert_eq!(
            s.script("return document.querySelectorAll('.storage-problem').length"),
            1,
            "{lang}: said once"
        );
        let said = s.text(".storage-problem");
        assert!(said.contains(words), "{lang}: {said}");
        assert!(
            labelcheck_testkit::jargon_in(&said, lang == "zh-CN").is_empty(),
            "{lang}: {said}"
        );
    }
}

/// What breaks the shopper rules on the page now: tap targets under 44 px, and in Chinese,
/// English words in the page's own words (data such as makers and serials, codes in capitals,
/// and what is marked as another language, such as the button naming English, excepted).
fn page_problems(s: &Session, zh: bool) -> Vec<String> {
    let v = s.script(&format!(
        "const small = [...document.querySelectorAll('button, summary, input:not([type=file]), a[href], label.button')] \
           .filter(e => e.offsetParent !== null) \
           .map(e => [e, e.getBoundingClientRect()]) \
           .filter(([e, r]) => r.width < 44 || r.height < 44) \
           .map(([e, r]) => 'tap target ' + (e.id || e.className || e.tagName) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height)); \
         const english = {zh} ? [...document.querySelectorAll('.verdict-word, .verdict-reason, .todo, summary, button, label, \
           .claimed-note, .compare, dt, .checking, .tagline, h2, h3, .demo-badge, .caveats li, .scan-status, .photo-status')] \
           .filter(e => e.offsetParent !== null && !e.closest('[lang]:not(html)')) \
           .map(e => e.textContent.replace(/labelcheck|https?:[^ ]*/g, '')) \
           .filter(t => /[A-Za-z]*[a-z]{{2,}}[A-Za-z]*/.test(t)).map(t => 'English: ' + t) : []; \
         return small.concat(english)",
        zh = zh
    ));
    serde_json::from_value(v).unwrap()
}

#[test]
fn every_verdict_screen_follows_the_shopper_rules_in_both_languages() {
    let site = site();
    let driver = Driver::start();
    let mut failures = Vec::new();
    for lang in ["en-US", "zh-CN"] {
        let zh = lang == "zh-CN";
        let s = driver.session(&[], lang);
        s.goto(&format!("{}/", site.origin));
        assert!(s.wait_for("#label-text", 30));
        failures.extend(page_problems(&s, zh).into_iter().map(|p| format!("{lang} home: {p}")));
        for l in &site.labels {
            let case = l["case"].as_str().unwrap();
            site.open(&s, l["qr"].as_str().unwrap());
            let verdict = s.verdict(40).unwrap_or_default();
            let genuine = verdict.starts_with("genuine");
            let has = |css: &str| {
                s.script(&format!("return !!document.querySelector({})", serde_json::json!(css))) == Value::Bool(true)
            };
            // Stars large only for a genuine label; otherwise the claim small, not confirmed.
            if genuine != has(".certified .stars:not(.small)") {
                failures.push(format!("{lang} {case}: large stars shown = {}", !genuine));
            }
            if !genuine && has(".certified") {
                failures.push(format!("{lang} {case}: certified stars on a {verdict} verdict"));
            }
            // What to do, for every verdict that is not genuine.
            if genuine == has(".todo") {
                failures.push(format!("{lang} {case}: what-to-do shown = {}", !genuine));
            }
            // The verdict's icon is drawn (SVG), never a character a phone's fonts may lack.
            let icon = s.script(
                "const i = document.querySelector('.verdict-head .verdict-icon'); \
                 return i ? [i.textContent.trim(), !!i.querySelector('svg[data-glyph]')] : null",
            );
            if icon != serde_json::json!(["", true]) {
                failures.push(format!("{lang} {case}: verdict icon {icon}"));
            }
            let first = s.text(".verdict-reason");
            let jargon = labelcheck_testkit::jargon_in(&first, zh);
            if first.trim().is_empty() || !jargon.is_empty() {
                failures.push(format!("{lang} {case}: first line {first:?} has {jargon:?}"));
            }
            failures.extend(page_problems(&s, zh).into_iter().map(|p| format!("{lang} {case}: {p}")));
            s.screenshot(&screenshots().join(format!("rules-{lang}-{case}.png")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn scan_another_label_starts_the_camera() {
    let site = site();
    let genuine = site.label("genuine");
    let video = site.demo.join("another.y4m");
    y4m_of(&site.demo.join(genuine["png"].as_str().unwrap()), &video);
    let driver = Driver::start();
    let s = driver.session(&camera_args(&video), "en-US");
    // A label link opens the verifier alone; its button opens the full app with the camera on.
    s.goto(site.label("revoked")["qr"].as_str().unwrap());
    assert_eq!(s.verdict(40).as_deref(), Some("revoked"));
    s.click("#scan-again");
    // The camera is on without another tap, and reads the label in front of it.
    assert_eq!(
        s.verdict(60).as_deref(),
        Some("genuine"),
        "the camera did not start and read"
    );
    assert!(s
        .script("return location.search")
        .as_str()
        .unwrap_or_default()
        .contains("scan"));
}
