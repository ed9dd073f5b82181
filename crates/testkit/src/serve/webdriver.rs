//! Just enough of the W3C WebDriver protocol to drive Chromium through chromedriver.

use serde_json::{json, Value};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Driver {
    child: Child,
    base: String,
}

pub struct Session {
    base: String,
}

fn call(method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(120)).build();
    let req = agent.request(method, url);
    let resp = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    match resp {
        Ok(r) => r
            .into_json::<Value>()
            .map(|v| v["value"].clone())
            .map_err(|e| e.to_string()),
        Err(ureq::Error::Status(code, r)) => Err(format!("HTTP {code}: {}", r.into_string().unwrap_or_default())),
        Err(e) => Err(e.to_string()),
    }
}

impl Driver {
    pub fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while call("GET", &format!("{base}/status"), None)
            .map(|v| v["ready"] != true)
            .unwrap_or(true)
        {
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, base }
    }

    /// A new headless Chromium: `extra_args` such as a fake camera, `languages` for Accept-Language.
    pub fn session(&self, extra_args: &[String], languages: &str) -> Session {
        self.session_saving_to(extra_args, languages, None)
    }

    /// As `session`, with downloads saved into `downloads` without asking.
    pub fn session_saving_to(
        &self,
        extra_args: &[String],
        languages: &str,
        downloads: Option<&std::path::Path>,
    ) -> Session {
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=430,1000",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend_from_slice(extra_args);
        args.push(format!("--lang={languages}"));
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut prefs = json!({ "intl.accept_languages": languages });
        if let Some(dir) = downloads {
            prefs["download.default_directory"] = json!(dir.display().to_string());
            prefs["download.prompt_for_download"] = json!(false);
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": binary, "args": args, "prefs": prefs }
        } } });
        let v = call("POST", &format!("{}/session", self.base), Some(caps)).expect("a browser session");
        let id = v["sessionId"].as_str().expect("a session id");
        Session {
            base: format!("{}/session/{id}", self.base),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Session {
    pub fn goto(&self, url: &str) {
        call("POST", &format!("{}/url", self.base), Some(json!({ "url": url }))).expect("navigation");
    }

    /// Opens a new tab, closes the one in use and goes on in the new one: every page of the
    /// old tab is gone (the back-forward cache included), as when a user closes a tab.
    pub fn new_tab(&self) {
        let made = call(
            "POST",
            &format!("{}/window/new", self.base),
            Some(json!({ "type": "tab" })),
        )
        .expect("a new tab");
        let handle = made["handle"].as_str().expect("its handle").to_owned();
        call("DELETE", &format!("{}/window", self.base), None).expect("the old tab closed");
        call(
            "POST",
            &format!("{}/window", self.base),
            Some(json!({ "handle": handle })),
        )
        .expect("the new tab");
    }

    /// A Chrome DevTools Protocol command, through chromedriver (`goog/cdp/execute`).
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        call(
            "POST",
            &format!("{}/goog/cdp/execute", self.base),
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// Runs `script` as an async function: its result is what it passes to
    /// `arguments[arguments.length - 1]`.
    pub fn script_async(&self, script: &str) -> Value {
        call(
            "POST",
            &format!("{}/execute/async", self.base),
            Some(json!({ "script": script, "args": [] })),
        )
        .unwrap_or(Value::Null)
    }

    /// Sets how long a script or a page load may take before WebDriver gives up.
    pub fn timeouts(&self, script_ms: u64, page_load_ms: u64) {
        let _ = call(
            "POST",
            &format!("{}/timeouts", self.base),
            Some(json!({ "script": script_ms, "pageLoad": page_load_ms })),
        );
    }

    pub fn script(&self, script: &str) -> Value {
        call(
            "POST",
            &format!("{}/execute/sync", self.base),
            Some(json!({ "script": script, "args": [] })),
        )
        .unwrap_or(Value::Null)
    }

    fn element(&self, css: &str) -> Option<String> {
        let v = call(
            "POST",
            &format!("{}/element", self.base),
            Some(json!({ "using": "css selector", "value": css })),
        )
        .ok()?;
        v.as_object()?.values().next()?.as_str().map(str::to_owned)
    }

    /// Waits up to `secs` for `css` to exist.
    pub fn wait_for(&self, css: &str, secs: u64) -> bool {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if self.element(css).is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Clicks `css`, finding it again if the page re-rendered it in between.
    pub fn click(&self, css: &str) {
        let mut last = String::new();
        for _ in 0..5 {
            assert!(self.wait_for(css, 20), "{css} never appeared");
            let id = self.element(css).unwrap_or_default();
            match call("POST", &format!("{}/element/{id}/click", self.base), Some(json!({}))) {
                Ok(_) => return,
                Err(e) => last = e,
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("could not click {css}: {last}");
    }

    pub fn send_file(&self, css: &str, path: &str) {
        assert!(self.wait_for(css, 20), "{css} never appeared");
        let id = self.element(css).unwrap_or_default();
        call(
            "POST",
            &format!("{}/element/{id}/value", self.base),
            Some(json!({ "text": path })),
        )
        .expect("file");
    }

    /// The verdict shown, once one is (`data-verdict`), waiting up to `secs`.
    pub fn verdict(&self, secs: u64) -> Option<String> {
        if !self.wait_for("[data-verdict]", secs) {
            return None;
        }
        self.script("return document.querySelector('[data-verdict]').dataset.verdict")
            .as_str()
            .map(str::to_owned)
    }

    pub fn text(&self, css: &str) -> String {
        let script = format!(
            "const e = document.querySelector({}); return e ? e.textContent : ''",
            json!(css)
        );
        self.script(&script).as_str().unwrap_or_default().to_owned()
    }

    pub fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine;
        // Let the verdict's short entrance animation finish.
        std::thread::sleep(Duration::from_millis(400));
        if let Ok(v) = call("GET", &format!("{}/screenshot", self.base), None) {
            if let Some(b) = v
                .as_str()
                .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
            {
                let _ = std::fs::write(path, b);
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = call("DELETE", &self.base, None);
    }
}
