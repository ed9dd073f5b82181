//! The browser policy the app is served with: one set of headers in `static/_headers` (what a
//! deployment sends), the same in `Trunk.toml` (what `./scripts/serve` sends), and strict.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

fn trunk_serve_headers() -> Vec<(String, String)> {
    let toml = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Trunk.toml")).unwrap();
    let section = toml
        .split("[serve.headers]")
        .nth(1)
        .expect("Trunk.toml has [serve.headers]");
    section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = "))
        .map(|(n, v)| (n.trim_matches('"').to_owned(), v.trim().trim_matches('"').to_owned()))
        .collect()
}

#[test]
fn serve_sends_what_deployments_send() {
    let deployed = labelcheck_testkit::serve::deployment_headers();
    assert_eq!(trunk_serve_headers(), deployed);
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
    assert!(!html.contains("<script"), "index.html: scripts come from files");
    let handler = html.split(" on").skip(1).find(|rest| {
        let name: String = rest.chars().take_while(char::is_ascii_lowercase).collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    });
    assert!(handler.is_none(), "index.html: no inline event handlers ({handler:?})");
}
