//! Keys in a hardware security module, with SoftHSM2 standing in for one: an authority whose
//! root and signing keys are made in a token (initialised here, in a temporary folder) signs
//! its key list, its revocation list and a batch of labels there, and every label verifies.
//! The private keys cannot be read out of the token.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::labelcheck;
use cryptoki::context::{CInitializeArgs, Pkcs11};
use cryptoki::object::{Attribute, AttributeType, ObjectClass};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PIN: &str = "246810";

fn module() -> PathBuf {
    if let Some(m) = std::env::var_os("LABELCHECK_PKCS11_MODULE") {
        return m.into();
    }
    [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/local/lib/softhsm/libsofthsm2.so",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
    .expect("SoftHSM2 is needed for these tests: install the softhsm2 package (./scripts/test does)")
}

struct Hsm {
    tmp: tempfile::TempDir,
    conf: PathBuf,
    module: PathBuf,
}

impl Hsm {
    /// A fresh token in a temporary folder, as an authority's security officer would set one up.
    fn new() -> Hsm {
        let tmp = tempfile::tempdir().unwrap();
        let tokens = tmp.path().join("tokens");
        std::fs::create_dir_all(&tokens).unwrap();
        let conf = tmp.path().join("softhsm2.conf");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        )
        .unwrap();
        let out = Command::new("softhsm2-util")
            .args([
                "--init-token",
                "--free",
                "--label",
                "authority",
                "--so-pin",
                "13579",
                "--pin",
                PIN,
            ])
            .env("SOFTHSM2_CONF", &conf)
            .output()
            .expect("softhsm2-util runs (install the softhsm2 package)");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        Hsm {
            tmp,
            conf,
            module: module(),
        }
    }

    fn uri(&self, kid: &str) -> String {
        format!(
            "pkcs11:token=authority;object={kid}?module-path={}",
            self.module.display()
        )
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    fn command(&self, args: &[&str], pin: Option<&str>) -> Command {
        let mut c = labelcheck();
        c.args(args)
            .current_dir(self.dir())
            .env("SOFTHSM2_CONF", &self.conf)
            .env_remove("LABELCHECK_PKCS11_MODULE");
        match pin {
            Some(p) => c.env("LABELCHECK_PKCS11_PIN", p),
            None => c.env_remove("LABELCHECK_PKCS11_PIN"),
        };
        // No terminal to prompt on: a missing PIN must fail, not wait.
        c.stdin(std::process::Stdio::null());
        c
    }

    fn run(&self, args: &[&str], pin: Option<&str>) -> Output {
        self.command(args, pin).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, Some(PIN));
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

#[test]
fn an_authority_with_its_keys_in_a_token_issues_labels_that_verify() {
    let hsm = Hsm::new();
    let root = hsm.ok(&["keygen", "--kid", "root-h", "--out", &hsm.uri("root-h")]);
    let sign = hsm.ok(&["keygen", "--kid", "sign-h", "--out", &hsm.uri("sign-h")]);
    std::fs::write(hsm.dir().join("root-h.pub.json"), &root).unwrap();
    std::fs::write(hsm.dir().join("sign-h.pub.json"), &sign).unwrap();
    let keys = json!({
        "authority": "HSMA", "name": {"en": "HSM Authority", "zh": "HSM 机构"},
        "verifier": "https://verify.example/", "report_hosts": ["reports.example"],
        "report_url": "https://reports.example/{serial}.jws",
        "revocations_url": "https://reports.example/revocations.jws",
        "keys": [{"key_file": "sign-h.pub.json", "not_before": "2020-01-01T00:00:00Z", "not_after": "2040-01-01T00:00:00Z"}],
        "programmes": [{"id": 1, "code": "cn-cls", "name": {"en": "Cybersecurity Label", "zh": "网络安全标识"}, "levels": [1, 2, 3], "max_level": 3}],
    });
    std::fs::write(hsm.dir().join("keys.json"), keys.to_string()).unwrap();
    hsm.ok(&[
        "keys",
        "--input",
        "keys.json",
        "--root",
        &hsm.uri("root-h"),
        "--out",
        "keys.jws",
        "--version",
        "1",
    ]);
    hsm.ok(&[
        "revoke",
        "--list",
        "revocations.jws",
        "--root",
        &hsm.uri("root-h"),
        "--new",
        "HSMA",
    ]);
    hsm.ok(&[
        "trust",
        "--root-key",
        "root-h.pub.json",
        "--key-list",
        "keys.jws",
        "--key-list-url",
        "https://reports.example/keys.jws",
        "--out",
        "trust.json",
    ]);
    hsm.ok(&[
        "setup",
        "--out",
        "authority.json",
        "--trust",
        "trust.json",
        "--key-list",
        "keys.jws",
        "--revocations",
        "revocations.jws",
        "--register",
        "HSMA.serials",
        "--serial-prefix",
        "HSMA-",
    ]);
    let row = json!({
        "authority": "HSMA", "programme": 1, "level": 2, "maker": "Acme", "model": "Cam",
        "valid_from": "2026-01-01", "valid_until": "2029-12-31", "units": 20,
        "product": {"name": "Cam", "category": "camera", "firmware_versions": ["1.0"]},
        "standard": {"id": "S-1", "title": "Baseline", "clauses": [{"id": "1", "title": "No default passwords", "result": "pass"}]},
        "test_lab": {"name": "Lab", "tested_on": "2025-12-01"},
        "support_until": "2030-12-31", "update_policy": "Monthly.", "default_password": "Unique per device.",
        "vulnerability_contact": "security@acme.example",
    });
    std::fs::write(hsm.dir().join("batch.jsonl"), format!("{row}\n")).unwrap();
    hsm.ok(&[
        "issue",
        "--authority",
        "authority.json",
        "--batch",
        "batch.jsonl",
        "--key",
        &hsm.uri("sign-h"),
        "--out-dir",
        "out",
    ]);
    // A key the token does not hold: named.
    let absent = hsm.run(
        &[
            "issue",
            "--authority",
            "authority.json",
            "--batch",
            "batch.jsonl",
            "--key",
            &hsm.uri("nope"),
            "--out-dir",
            "o",
        ],
        Some(PIN),
    );
    assert!(
        String::from_utf8_lossy(&absent.stderr).contains("The token has no private key nope"),
        "{}",
        String::from_utf8_lossy(&absent.stderr)
    );
    let manifest: Value = serde_json::from_slice(&std::fs::read(hsm.dir().join("out/manifest.json")).unwrap()).unwrap();
    let mut args: Vec<String> = [
        "verify",
        "--json",
        "--trust",
        "trust.json",
        "--keys",
        "keys.jws",
        "--revocations",
        "revocations.jws",
        "--reports",
        "out",
    ]
    .map(String::from)
    .to_vec();
    let labels = manifest["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 20);
    args.extend(labels.iter().map(|l| l["qr_text"].as_str().unwrap().to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = hsm.ok(&args);
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["verdict"], "genuine", "{line}");
        assert_eq!(v["authority"]["key_id"], "sign-h", "signed in the token: {line}");
    }
    assert_eq!(out.lines().count(), 20);

    // The private keys were made in the token and cannot leave it.
    std::env::set_var("SOFTHSM2_CONF", &hsm.conf);
    let ctx = Pkcs11::new(&hsm.module).unwrap();
    ctx.initialize(CInitializeArgs::OsThreads).unwrap();
    let slot = ctx.get_slots_with_initialized_token().unwrap()[0];
    let session = ctx.open_ro_session(slot).unwrap();
    session.login(UserType::User, Some(&AuthPin::new(PIN.into()))).unwrap();
    let private = session
        .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
        .unwrap();
    assert_eq!(private.len(), 2);
    for key in private {
        let attrs = session
            .get_attributes(
                key,
                &[
                    AttributeType::Sensitive,
                    AttributeType::Extractable,
                    AttributeType::NeverExtractable,
                    AttributeType::Value,
                ],
            )
            .unwrap();
        assert!(attrs.contains(&Attribute::Sensitive(true)), "{attrs:?}");
        assert!(attrs.contains(&Attribute::Extractable(false)), "{attrs:?}");
        assert!(attrs.contains(&Attribute::NeverExtractable(true)), "{attrs:?}");
        assert!(
            !attrs.iter().any(|a| matches!(a, Attribute::Value(_))),
            "the private key's value cannot be read: {attrs:?}"
        );
    }
}

#[test]
fn a_wrong_or_missing_pin_and_a_pin_in_the_uri_are_refused_clearly() {
    let hsm = Hsm::new();
    let uri = hsm.uri("k1");
    let wrong = hsm.run(&["keygen", "--kid", "k1", "--out", &uri], Some("000000"));
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("The token did not accept the PIN"));
    let missing = hsm.run(&["keygen", "--kid", "k1", "--out", &uri], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("LABELCHECK_PKCS11_PIN"));
    let in_uri = hsm.run(
        &["keygen", "--kid", "k1", "--out", &format!("{uri}&pin-value={PIN}")],
        Some(PIN),
    );
    assert!(String::from_utf8_lossy(&in_uri.stderr).contains("never given on the command line"));
    hsm.ok(&["keygen", "--kid", "k1", "--out", &uri]);
    // Without module-path in the URI, the module comes from the environment.
    let bare = hsm
        .command(
            &["keygen", "--kid", "k2", "--out", "pkcs11:token=authority;object=k2"],
            Some(PIN),
        )
        .env("LABELCHECK_PKCS11_MODULE", &hsm.module)
        .output()
        .unwrap();
    assert!(bare.status.success(), "{}", String::from_utf8_lossy(&bare.stderr));
    let none = hsm.run(
        &["keygen", "--kid", "k3", "--out", "pkcs11:token=authority;object=k3"],
        Some(PIN),
    );
    assert!(String::from_utf8_lossy(&none.stderr).contains("LABELCHECK_PKCS11_MODULE is not set"));
    let again = hsm.run(&["keygen", "--kid", "k1", "--out", &uri], Some(PIN));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a key k1"));
}
