//! The browser policy the app is served with: one set of headers in `static/_headers` (what a
//! deployment sends, strict), and development servers' (`./scripts/serve`, the test servers)
//! that add only loopback http to connect-src.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

fn serve_py_headers() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = std::process::Command::new("python3")
        .arg(root.join("scripts/serve.py"))
        .arg("--print-headers")
        .arg(root.join("static/_headers"))
        .output()
        .expect("python3 runs scripts/serve.py");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn development_servers_add_only_loopback_http_to_what_deployments_send() {
    let deployed = labelcheck_testkit::serve::deployment_headers();
    let development = labelcheck_testkit::serve::development_headers();
    assert_eq!(
        serve_py_headers(),
        development,
        "scripts/serve.py and the test servers agree"
    );
    assert_eq!(deployed.len(), development.len());
    for ((dn, dv), (n, v)) in deployed.iter().zip(&development) {
        assert_eq!(dn, n);
        if n == "Content-Security-Policy" {
            let loopback = format!(" {}", labelcheck_testkit::serve::LOOPBACK_SOURCES);
            assert_eq!(v.replacen(&loopback, "", 1), *dv, "only connect-src differs");
            assert!(v.contains("connect-src 'self' https: http://127.0.0.1:*"));
        } else {
            assert_eq!(v, dv);
        }
    }
    let names: Vec<&str> = deployed.iter().map(|(n, _)| n.as_str()).collect();
    for name in [
        "Content-Security-Policy",
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Content-Type-Options",
    ] {
        assert!(names.contains(&name), "{name} missing from static/_headers");
    }
}
#[test]
fn the_policy_is_strict() {
    let headers = labelcheck_testkit::serve::deployment_headers();
    let get = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap();
    let csp = get("Content-Security-Policy");
    let directive = |d: &str| {
        csp.split(';')
            .map(str::trim)
            .find(|x| x.starts_with(&format!("{d} ")))
            .unwrap_or_else(|| panic!("no {d} in {csp}"))
            .to_owned()
    };
    assert_eq!(directive("default-src"), "default-src 'none'");
    // WebAssembly needs 'wasm-unsafe-eval'; nothing else beyond the app's own files.
    assert_eq!(directive("script-src"), "script-src 'self' 'wasm-unsafe-eval'");
    assert_eq!(directive("style-src"), "style-src 'self'");
    assert_eq!(directive("frame-ancestors"), "frame-ancestors 'none'");
    assert_eq!(directive("base-uri"), "base-uri 'none'");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'") && !csp.contains('*'));
    // The production policy fetches over https only; loopback http is development's.
    assert_eq!(directive("connect-src"), "connect-src 'self' https:");
    assert_eq!(get("Referrer-Policy"), "no-referrer");
    let permissions = get("Permissions-Policy");
    let allowed: Vec<&str> = permissions.split(", ").filter(|p| !p.ends_with("=()")).collect();
    assert_eq!(
        allowed,
        ["camera=(self)"],
        "camera is the only permission the app may ask for"
    );
}

#[test]
fn the_page_has_no_inline_script() {
    let html = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index.html")).unwrap();
    for tag in html.split("<script").skip(1) {
        let open = tag.split('>').next().unwrap();
        assert!(
            open.contains(" src="),
            "index.html: scripts come from files: <script{open}>"
        );
        assert!(
            tag[open.len() + 1..].starts_with("</script>"),
            "index.html: no inline script"
        );
    }
    let handler = html.split(" on").skip(1).find(|rest| {
        let name: String = rest.chars().take_while(char::is_ascii_lowercase).collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    });
    assert!(handler.is_none(), "index.html: no inline event handlers ({handler:?})");
}
