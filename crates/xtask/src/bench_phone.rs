//! A shopper's first seconds on a cheap phone (`scripts/bench-phone`, which builds the apps
//! and installs Lighthouse and axe-core first): headless Chromium emulating a phone through
//! the DevTools protocol (390×844 at 3×, touch, a mobile user agent, CPU slowed 4×, 150 ms
//! latency, 1.6 Mbit/s down and 0.75 up), opening the genuine demo label's link.
//!
//! For each app given (`NAME=DIR@PORT`, served compressed by `scripts/serve.py`, runs
//! interleaved so machine load hits all alike): cold (a new browser profile) and warm (the
//! same profile again, its service worker in control): first contentful paint, the first
//! answer on screen (the label's own verdict, or the verdict), the verdict with the report
//! checked, and the bytes transferred until then. Then Lighthouse (mobile) on the label link
//! and the home page, and axe-core on the home page and every demo verdict in English and
//! Chinese. Prints Markdown, and with `--write` puts it into BENCHMARKS.md between the
//! `bench-phone` markers.

use labelcheck_testkit::serve::root;
use labelcheck_testkit::serve::webdriver::{Driver, Session};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const UA: &str = "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 \
                  (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";

/// Records when a verdict (or the label's own answer) first appears, from inside the page:
/// the same for every build, and exact to the DOM change, not to a polling interval.
const WATCH: &str = "window.__lc = {}; new MutationObserver(() => { const t = performance.now(); \
    if (!__lc.first && document.querySelector('[data-verdict],[data-stage]')) __lc.first = t; \
    if (!__lc.verdict && document.querySelector('[data-verdict]')) { __lc.verdict = t; \
      __lc.bytes = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')) \
        .reduce((n, e) => n + (e.transferSize || 0), 0); } \
  }).observe(document, { subtree: true, childList: true, attributes: true });";

pub(crate) struct App {
    name: String,
    dir: PathBuf,
    port: u16,
    server: Child,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

impl App {
    pub(crate) fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub(crate) fn label_link(&self, case: &str) -> String {
        let labels: Value =
            serde_json::from_slice(&std::fs::read(self.dir.join("demo/labels.json")).expect("demo/labels.json"))
                .unwrap();
        labels["labels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["case"] == case)
            .unwrap()["qr"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

pub(crate) fn serve(name: &str, dir: &Path, port: u16) -> App {
    let server = Command::new("python3")
        .arg(root().join("scripts/serve.py"))
        .arg(dir)
        .args(["--address", "127.0.0.1", "--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 scripts/serve.py");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the server for {name} did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    App {
        name: name.to_owned(),
        dir: dir.to_path_buf(),
        port,
        server,
    }
}

/// The emulated phone, on the session's page.
pub(crate) fn emulate_phone(s: &Session) {
    let steps = [
        (
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": true }),
        ),
        ("Emulation.setTouchEmulationEnabled", json!({ "enabled": true })),
        ("Emulation.setUserAgentOverride", json!({ "userAgent": UA })),
        ("Emulation.setCPUThrottlingRate", json!({ "rate": 4 })),
        ("Network.enable", json!({})),
        (
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8 }),
        ),
        ("Page.enable", json!({})),
        ("Page.addScriptToEvaluateOnNewDocument", json!({ "source": WATCH })),
    ];
    for (cmd, params) in steps {
        s.cdp(cmd, params).unwrap_or_else(|e| panic!("{cmd}: {e}"));
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Visit {
    pub(crate) fcp: f64,
    pub(crate) first: f64,
    pub(crate) verdict: f64,
    pub(crate) bytes: f64,
}

/// Opens `url` and waits (up to 30 s) for its verdict.
fn visit(s: &Session, url: &str) -> Visit {
    s.goto("about:blank");
    s.goto(url);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = s.script(
            "const p = performance.getEntriesByName('first-contentful-paint')[0]; \
             return window.__lc && window.__lc.verdict ? { fcp: p ? p.startTime : 0, first: __lc.first, \
             verdict: __lc.verdict, bytes: __lc.bytes } : null",
        );
        if !v.is_null() {
            let f = |k: &str| v[k].as_f64().unwrap_or(0.0);
            return Visit {
                fcp: f("fcp"),
                first: f("first"),
                verdict: f("verdict"),
                bytes: f("bytes"),
            };
        }
        assert!(Instant::now() < deadline, "no verdict for {url}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Cold: a new profile. Warm: the same profile once its service worker controls the page.
pub(crate) fn cold_and_warm(driver: &Driver, app: &App) -> (Visit, Visit) {
    let s = driver.session(&[], "en-US");
    s.timeouts(60_000, 60_000);
    emulate_phone(&s);
    let link = app.label_link("genuine");
    let cold = visit(&s, &link);
    until_controlled(&s, app);
    let warm = visit(&s, &link);
    (cold, warm)
}

/// Waits for the app's service worker to control the session's pages and to have cached
/// what the page fetched.
fn until_controlled(s: &Session, app: &App) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while s.script("return !!navigator.serviceWorker.controller") != Value::Bool(true) {
        assert!(
            Instant::now() < deadline,
            "{}: the service worker never took control",
            app.name
        );
        s.goto(&format!("{}/", app.origin()));
        std::thread::sleep(Duration::from_millis(500));
    }
    // Let the service worker finish caching what the page fetched.
    std::thread::sleep(Duration::from_secs(2));
}

pub(crate) fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

struct Lighthouse {
    performance: f64,
    accessibility: f64,
    best_practices: f64,
    fcp: f64,
    lcp: f64,
    tbt: f64,
    cls: f64,
}

fn lighthouse(npm: &Path, url: &str, out: &Path) -> Lighthouse {
    let chrome_flags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --disable-background-networking --disable-component-update --disable-sync --no-first-run";
    let status = Command::new("node")
        .arg(npm.join("lighthouse/cli/index.js"))
        .arg(url)
        .args([
            "--quiet",
            "--output=json",
            "--only-categories=performance,accessibility,best-practices",
            "--form-factor=mobile",
            "--max-wait-for-load=60000",
        ])
        .arg(format!("--output-path={}", out.display()))
        .arg(format!("--chrome-flags={chrome_flags}"))
        .env(
            "CHROME_PATH",
            std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        )
        .stdout(Stdio::null())
        .status()
        .expect("node runs lighthouse");
    assert!(status.success(), "lighthouse failed on {url}");
    let r: Value = serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap();
    let score = |c: &str| r["categories"][c]["score"].as_f64().unwrap_or(0.0) * 100.0;
    let audit = |a: &str| r["audits"][a]["numericValue"].as_f64().unwrap_or(-1.0);
    Lighthouse {
        performance: score("performance"),
        accessibility: score("accessibility"),
        best_practices: score("best-practices"),
        fcp: audit("first-contentful-paint"),
        lcp: audit("largest-contentful-paint"),
        tbt: audit("total-blocking-time"),
        cls: audit("cumulative-layout-shift"),
    }
}

/// axe-core's violations on the page now, `id (nodes)` each: every WCAG 2.x A and AA rule, its
/// best practices, and its experimental rules (label-content-name-mismatch is one).
fn axe(s: &Session, source: &str) -> Vec<String> {
    s.script(&format!("{source}\nreturn 1"));
    let v = s.script_async(
        "const done = arguments[arguments.length - 1]; \
         axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: \
           ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental'] } }) \
           .then(r => done(r.violations.map(v => v.id + ' (' + v.nodes.length + ')'))) \
           .catch(e => done(['axe failed: ' + e]));",
    );
    serde_json::from_value(v).unwrap_or_else(|_| vec!["axe gave no answer".into()])
}

fn axe_everywhere(driver: &Driver, app: &App, npm: &Path) -> Vec<(String, usize, Vec<String>)> {
    let source = std::fs::read_to_string(npm.join("axe-core/axe.min.js")).expect("axe-core is installed");
    let labels: Value = serde_json::from_slice(&std::fs::read(app.dir.join("demo/labels.json")).unwrap()).unwrap();
    let mut rows = Vec::new();
    for lang in ["en-US", "zh-CN"] {
        let s = driver.session(&[], lang);
        s.timeouts(60_000, 60_000);
        let mut pages = vec![("home".to_owned(), format!("{}/", app.origin()))];
        for l in labels["labels"].as_array().unwrap() {
            let qr = l["qr"].as_str().unwrap();
            if qr.starts_with(&app.origin()) {
                pages.push((format!("verdict: {}", l["case"].as_str().unwrap()), qr.to_owned()));
            }
        }
        for (name, url) in pages {
            s.goto("about:blank");
            s.goto(&url);
            let ready = if name == "home" {
                "#label-text"
            } else {
                "[data-verdict]"
            };
            assert!(s.wait_for(ready, 30), "{lang} {name}: never ready");
            // Let the verdict's entrance animation finish before colours are measured.
            std::thread::sleep(Duration::from_millis(400));
            let found = axe(&s, &source);
            rows.push((format!("{lang} {name}"), found.len(), found));
        }
    }
    rows
}

fn arg_value(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The apps given as `NAME=DIR@PORT`, each served.
fn serve_all(args: &[String]) -> Vec<App> {
    args.iter()
        .filter_map(|a| {
            let (name, rest) = a.split_once('=')?;
            let (dir, port) = rest.rsplit_once('@')?;
            Some(serve(name, Path::new(dir), port.parse().ok()?))
        })
        .collect()
}

/// Where a cold visit's time goes: each app's label link opened once on the emulated phone,
/// every file it fetched with when it started, first answered and ended, and its bytes; then
/// the same warm (`cargo xtask phone-trace NAME=DIR@PORT...`, the apps built as `scripts/bench-phone`
/// builds them).
pub fn trace(args: &[String]) {
    let apps = serve_all(args);
    assert!(!apps.is_empty(), "usage: cargo xtask phone-trace NAME=DIR@PORT...");
    let driver = Driver::start();
    for app in &apps {
        let s = driver.session(&[], "en-US");
        s.timeouts(60_000, 60_000);
        emulate_phone(&s);
        let link = app.label_link("genuine");
        for how in ["cold", "warm"] {
            if how == "warm" {
                until_controlled(&s, app);
            }
            let v = visit(&s, &link);
            let entries = s.script(
                "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')) \
                   .map(e => [e.name.replace(location.origin, ''), e.startTime, e.responseStart, e.responseEnd, e.transferSize || 0])",
            );
            println!(
                "{} {how}: first {:.0} ms, verdict {:.0} ms, {:.0} B",
                app.name, v.first, v.verdict, v.bytes
            );
            for e in entries.as_array().into_iter().flatten() {
                let f = |i: usize| e[i].as_f64().unwrap_or(0.0);
                let name = e[0].as_str().unwrap_or("?");
                let name = name.split('#').next().unwrap_or(name);
                println!("  {:>6.0} {:>6.0} {:>6.0} {:>8.0}  {}", f(1), f(2), f(3), f(4), name);
            }
        }
    }
}

pub fn run(args: &[String]) {
    let runs: usize = arg_value(args, "--runs").and_then(|r| r.parse().ok()).unwrap_or(5);
    let npm = PathBuf::from(
        std::env::var("LABELCHECK_BENCH_NPM").expect("LABELCHECK_BENCH_NPM: node_modules with lighthouse and axe-core"),
    );
    let apps = serve_all(args);
    assert!(
        !apps.is_empty(),
        "usage: cargo xtask bench-phone NAME=DIR@PORT... [--runs N] [--write]"
    );
    let driver = Driver::start();

    let mut timings: Vec<(Vec<Visit>, Vec<Visit>)> = apps.iter().map(|_| (Vec::new(), Vec::new())).collect();
    for round in 0..runs {
        for (app, t) in apps.iter().zip(timings.iter_mut()) {
            let (cold, warm) = cold_and_warm(&driver, app);
            eprintln!(
                "bench-phone: round {} {}: cold {cold:?}, warm {warm:?}",
                round + 1,
                app.name
            );
            t.0.push(cold);
            t.1.push(warm);
        }
    }

    let mut md = String::new();
    let agent = driver.session(&[], "en-US").script("return navigator.userAgent");
    let _ = writeln!(
        md,
        "Emulated phone: 390×844 at 3×, touch, mobile user agent, CPU slowed 4×, 150 ms latency, \
         1.6 Mbit/s down, 0.75 up (DevTools protocol); served compressed by `scripts/serve.py`; \
         the genuine demo label's link; median of {runs} runs, the apps measured in turn. Browser: {}.\n",
        agent
            .as_str()
            .unwrap_or("?")
            .replace("HeadlessChrome", "Headless Chromium")
    );
    let _ = writeln!(
        md,
        "| app | visit | first contentful paint ms | first answer ms | verdict (report checked) ms | bytes transferred by then |"
    );
    let _ = writeln!(md, "| --- | --- | ---: | ---: | ---: | ---: |");
    for (app, (cold, warm)) in apps.iter().zip(&timings) {
        for (kind, visits) in [("cold", cold), ("warm", warm)] {
            let col = |f: fn(&Visit) -> f64| median(visits.iter().map(f).collect());
            let _ = writeln!(
                md,
                "| {} | {kind} | {:.0} | {:.0} | {:.0} | {:.0} |",
                app.name,
                col(|v| v.fcp),
                col(|v| v.first),
                col(|v| v.verdict),
                col(|v| v.bytes)
            );
        }
    }

    let lh_runs = runs.min(3);
    let _ = writeln!(
        md,
        "\nLighthouse {} (mobile: its own simulated slow 4G and 4× CPU), median of {lh_runs} runs:\n",
        npm_version(&npm, "lighthouse")
    );
    let _ = writeln!(
        md,
        "| app | page | performance | accessibility | best practices | FCP ms | LCP ms | TBT ms | CLS |"
    );
    let _ = writeln!(md, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let out = root().join("target/bench-phone");
    std::fs::create_dir_all(&out).unwrap();
    for app in &apps {
        for (page, url) in [
            ("label link", app.label_link("genuine")),
            ("home", format!("{}/", app.origin())),
        ] {
            let results: Vec<Lighthouse> = (0..lh_runs)
                .map(|i| {
                    let file = format!("lighthouse-{}-{}-{i}.json", app.name, page.replace(' ', "-"));
                    lighthouse(&npm, &url, &out.join(file))
                })
                .collect();
            let m = |f: fn(&Lighthouse) -> f64| median(results.iter().map(f).collect());
            let _ = writeln!(
                md,
                "| {} | {page} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.3} |",
                app.name,
                m(|l| l.performance),
                m(|l| l.accessibility),
                m(|l| l.best_practices),
                m(|l| l.fcp),
                m(|l| l.lcp),
                m(|l| l.tbt),
                m(|l| l.cls)
            );
        }
    }

    let _ = writeln!(
        md,
        "\naxe-core {} (WCAG 2.x A and AA, best practices and experimental rules): violations on the home page \
         and on every demo verdict, in English and Chinese:\n",
        npm_version(&npm, "axe-core")
    );
    let _ = writeln!(md, "| app | pages | violations | which |");
    let _ = writeln!(md, "| --- | ---: | ---: | --- |");
    for app in &apps {
        let rows = axe_everywhere(&driver, app, &npm);
        let total: usize = rows.iter().map(|r| r.1).sum();
        let which: Vec<String> = rows
            .iter()
            .filter(|r| r.1 > 0)
            .map(|r| format!("{}: {}", r.0, r.2.join(", ")))
            .collect();
        let _ = writeln!(
            md,
            "| {} | {} | {total} | {} |",
            app.name,
            rows.len(),
            if which.is_empty() {
                "none".to_owned()
            } else {
                which.join("; ")
            }
        );
    }

    print!("{md}");
    if args.iter().any(|a| a == "--write") {
        write_section(&md);
    }
}

fn npm_version(npm: &Path, package: &str) -> String {
    std::fs::read(npm.join(package).join("package.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

/// Replaces what is between `<!-- bench-phone:start -->` and `<!-- bench-phone:end -->`.
fn write_section(md: &str) {
    let path = root().join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- bench-phone:start -->", "<!-- bench-phone:end -->");
    let (Some(a), Some(b)) = (text.find(start), text.find(end)) else {
        panic!("BENCHMARKS.md has no {start} … {end} section");
    };
    let updated = format!("{}{start}\n{md}{}", &text[..a], &text[b..]);
    std::fs::write(&path, updated).unwrap();
}
