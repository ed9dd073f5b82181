//! A demo authority in a temporary folder, with the report fields its rows share, and ways to
//! issue, re-sign its key list and verify what it issued.

use super::{labelcheck, run};
use serde_json::Value;
use std::path::PathBuf;

/// The demo's own labels take the first status numbers of its register: a batch's numbered
/// serials start after them.
pub const DEMO_LABELS: u64 = 12;

/// The `k`th numbered serial a batch of the demo authority gets.
pub fn n(k: u64) -> String {
    format!("DEMO-{:08}", DEMO_LABELS + k)
}

pub struct Authority {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Authority {
    pub fn new() -> Authority {
        let tmp = tempfile::tempdir().unwrap();
        let out = run(&["demo", "demo"], tmp.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let dir = tmp.path().join("demo");
        // The report fields every row shares, taken from a demo report.
        let shared = labelcheck_testkit::demo_defaults(&dir);
        std::fs::write(dir.join("defaults.json"), shared.to_string()).unwrap();
        Authority { _tmp: tmp, dir }
    }

    /// `labelcheck issue --batch` with the demo authority's signing key and the shared
    /// defaults (unless `extra` gives others), not yet run.
    pub fn issue_command(&self, batch: &str, out: &str, extra: &[&str]) -> std::process::Command {
        let mut c = labelcheck();
        c.args(["issue", "--batch", batch]);
        if !extra.contains(&"--defaults") {
            c.args(["--defaults", "defaults.json"]);
        }
        if !extra.contains(&"--key") {
            c.args(["--key", "private/k1.jwk"]);
        }
        c.args(["--authority", "authority.json", "--out-dir", out])
            .args(extra)
            .current_dir(&self.dir);
        c
    }

    /// Re-signs the demo's key list with its keys changed by `change` (the list as JSON).
    pub fn resign_keys(&self, change: impl FnOnce(&mut Vec<Value>)) {
        let jws: Value =
            serde_json::from_slice(&std::fs::read(self.dir.join("public/demo/keys.jws")).unwrap()).unwrap();
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(jws["payload"].as_str().unwrap())
            .unwrap();
        let mut list: Value = serde_json::from_slice(&payload).unwrap();
        for member in ["version", "issued_at", "expires"] {
            list.as_object_mut().unwrap().remove(member);
        }
        change(list["keys"].as_array_mut().unwrap());
        std::fs::write(self.dir.join("keylist.json"), list.to_string()).unwrap();
        let signed = run(
            &[
                "keys",
                "--input",
                "keylist.json",
                "--root",
                "private/root.jwk",
                "--out",
                "public/demo/keys.jws",
            ],
            &self.dir,
        );
        assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
    }

    /// A new signing key `kid` in `private/KID.jwk`, its public key in `KID.pub.json`.
    pub fn keygen(&self, kid: &str) {
        let out = run(
            &["keygen", "--kid", kid, "--out", &format!("private/{kid}.jwk")],
            &self.dir,
        );
        assert!(out.status.success());
        std::fs::write(self.dir.join(format!("{kid}.pub.json")), &out.stdout).unwrap();
    }

    /// Verifies every label of a folder: their verdicts, each with its first reason's code.
    pub fn verdicts(&self, out: &str) -> Vec<(String, String)> {
        self.verified(out, "en")
            .iter()
            .map(|v| {
                (
                    v["verdict"].as_str().unwrap().to_owned(),
                    v["reasons"][0]["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// Verifies every label of a folder in `lang`: the words of each one's first reason.
    pub fn verdict_words(&self, out: &str, lang: &str) -> Vec<String> {
        self.verified(out, lang)
            .iter()
            .map(|v| v["reasons"][0]["message"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Verifies every label of a folder in `lang` with the lists as published: one JSON
    /// object per label, in the manifest's order.
    pub fn verified(&self, out: &str, lang: &str) -> Vec<Value> {
        let texts: Vec<String> = self
            .manifest(out)
            .iter()
            .map(|l| l["qr_text"].as_str().unwrap().to_owned())
            .collect();
        texts
            .chunks(200)
            .flat_map(|chunk| self.verify_texts(out, lang, chunk))
            .collect()
    }

    /// `verify --json` of `texts` in `lang`, with the lists as published and the reports of
    /// folder `out`, from a folder of its own (no `labelcheck.json`).
    fn verify_texts(&self, out: &str, lang: &str, texts: &[String]) -> Vec<Value> {
        let d = |p: &str| self.dir.join(p).to_string_lossy().into_owned();
        let mut args = vec![
            "--lang".to_owned(),
            lang.into(),
            "verify".into(),
            "--json".into(),
            "--trust".into(),
            d("public/trust.json"),
            "--keys".into(),
            d("public/demo/keys.jws"),
            "--revocations".into(),
            d("public/demo/revocations.jws"),
            "--status".into(),
            d("public/demo/status/0.jws"),
            "--reports".into(),
            d(out),
        ];
        args.extend(texts.iter().cloned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&args, tempfile::tempdir().unwrap().path());
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// `labelcheck revoke` with the demo's authority file and root key, and `args`.
    pub fn revoke(&self, args: &[&str]) -> std::process::Output {
        let mut all = vec![
            "--lang",
            "en",
            "revoke",
            "--authority",
            "authority.json",
            "--root",
            "private/root.jwk",
        ];
        all.extend(args);
        let out = run(&all, &self.dir);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out
    }

    pub fn issue(&self, batch: &str, out: &str, extra: &[&str]) -> std::process::Output {
        self.issue_command(batch, out, extra).output().unwrap()
    }

    pub fn manifest(&self, out: &str) -> Vec<Value> {
        let m: Value =
            serde_json::from_slice(&std::fs::read(self.dir.join(out).join("manifest.json")).unwrap()).unwrap();
        m["labels"].as_array().unwrap().clone()
    }

    /// Verifies every label of a folder with the command line, reports read from the folder.
    pub fn verify_all(&self, out: &str) {
        let all = self.verified(out, "en");
        assert_eq!(all.len(), self.manifest(out).len());
        for v in all {
            assert_eq!(v["verdict"], "genuine", "{v}");
        }
    }
}
