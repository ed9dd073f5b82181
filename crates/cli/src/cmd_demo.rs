//! `labelcheck demo DIR`: a complete demo authority, marked as a demo everywhere it shows,
//! with one label and report per verification case, and an authority file and serial register
//! so that `labelcheck issue` works in it as in a real authority's folder. Keys are generated on
//! first run and kept, so labels printed earlier keep verifying; every run publishes newer list
//! versions. Its genuine labels pass the same gate as every issued label; the others are made
//! through the same signing sequence and then spoiled, each in the way its case needs.

use crate::args::DemoArgs;
use crate::config::{Config, Mirror, FILE_NAME};
use crate::demo_cases::{DemoCase, CASES, NOT_A_LABEL_TEXT, SWAP_SOURCE};
use crate::error::{fail, path, said, Result};
use crate::files;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use ed25519_dalek::SigningKey;
use labelcheck_authority::artwork::{render_content, Fonts};
use labelcheck_authority::authority::{AuthorityFile, AUTHORITY_FILE_FORMAT};
use labelcheck_authority::durable;
use labelcheck_authority::key::{random_key, read_private_key, write_private_key};
use labelcheck_authority::layout::LabelContent;
use labelcheck_authority::register::{Register, Wanted};
use labelcheck_authority::rows::Units;
use labelcheck_authority::sign::{sign_with, Signed};
use labelcheck_authority::{Authority, Error as IssueError};
use labelcheck_core::cbor::{self, Value};
use labelcheck_core::issuer::{sign_key_list, sign_revocations, sign_status};
use labelcheck_core::jwk::{PrivateJwk, PublicJwk};
use labelcheck_core::key_list::{KeyEntry, Names, Programme};
use labelcheck_core::label_url::label_url;
use labelcheck_core::report::{Clause, ClauseResult, Product, Standard, TestLab};
use labelcheck_core::revocation::{Act, ActKind, RevocationReason, Revoked};
use labelcheck_core::status::{encode_singles, Singles, StatusListDoc, StatusRef, TokenStatusList};
use labelcheck_core::trust::{Anchor, TrustAnchors};
use labelcheck_core::{fields, Date, KeyList, Report, RevocationList, Timestamp};
use labelcheck_words::{self as words, Lang};
use serde_json::json;
use std::path::Path;
use std::process::ExitCode;

const AUTHORITY: &str = "DEMO";
const STRANGER: &str = "ACME-CERT";
const YEAR: i64 = 365;

fn key(dir: &Path, name: &str, kid: &str) -> Result<SigningKey> {
    let path = dir.join(format!("{name}.jwk"));
    if path.exists() {
        let (found, key) = read_private_key(&path)?;
        if found == kid {
            return Ok(key);
        }
        return Err(fail(
            said("demo.wrong-key")
                .arg("path", self::path(&path))
                .text("found", found)
                .text("kid", kid),
        ));
    }
    let key = random_key()?;
    write_private_key(&path, &PrivateJwk::from_key(kid, &key))?;
    Ok(key)
}

/// Writes a demo file whole (the demo is made again on every run).
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    Ok(durable::replace(path, bytes)?)
}

fn json_bytes(v: &impl serde::Serialize) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// What a folder given to `demo` holds.
enum Found {
    Nothing,
    Demo,
    Other,
}

fn what_is(dir: &Path) -> Found {
    if dir.join("authority.json").is_file() && dir.join("private/root.jwk").is_file() {
        return Found::Demo;
    }
    match std::fs::read_dir(dir) {
        Err(_) => Found::Nothing,
        Ok(mut entries) => match entries.next() {
            None => Found::Nothing,
            Some(_) => Found::Other,
        },
    }
}

/// The key each demo case's label is signed with.
fn case_kid(name: &str) -> &'static str {
    match name {
        "forged-key" => "k9",
        "retired-key" | "expired" => "k0",
        "replaced" => "k2",
        "unknown-authority" | "not-a-label" => "a1",
        _ => "k1",
    }
}

fn names(en: &str, zh: &str) -> Names {
    Names {
        en: en.into(),
        zh: zh.into(),
    }
}

fn report_for(c: &DemoCase, authority: &str, from: Date, until: Date, issued_at: Timestamp) -> Report {
    let clause = |id: &str, title: &str| Clause {
        id: id.into(),
        title: title.into(),
        result: ClauseResult::Pass,
        note: None,
    };
    Report {
        format: 1,
        authority: authority.into(),
        serial: c.serial.into(),
        programme: c.programme,
        level: c.level,
        maker: c.maker.into(),
        model: c.model.into(),
        gtins: Vec::new(),
        valid_from: from,
        valid_until: until,
        issued_at,
        product: Product {
            name: c.model.into(),
            category: c.category.into(),
            hardware_version: Some("rev. B".into()),
            firmware_versions: vec!["2.4.1".into(), "2.4.3".into()],
        },
        standard: Standard {
            id: "DEMO-STD-1:2026".into(),
            title: "Demonstration baseline for consumer IoT security (modelled on ETSI EN 303 645)".into(),
            clauses: vec![
                clause("5.1", "No universal default passwords"),
                clause("5.2", "Means to manage reports of vulnerabilities"),
                clause("5.3", "Keep software updated"),
                clause("5.4", "Securely store sensitive security parameters"),
                clause("5.5", "Communicate securely"),
                Clause {
                    id: "5.6".into(),
                    title: "Minimise exposed attack surfaces".into(),
                    result: if c.level >= 2 {
                        ClauseResult::Pass
                    } else {
                        ClauseResult::Fail
                    },
                    note: (c.level < 2).then(|| "Telnet service enabled on port 23 in factory settings".into()),
                },
                Clause {
                    id: "5.7".into(),
                    title: "Ensure software integrity (secure boot)".into(),
                    result: if c.level >= 3 {
                        ClauseResult::Pass
                    } else {
                        ClauseResult::NotApplicable
                    },
                    note: None,
                },
            ],
        },
        test_lab: TestLab {
            name: "Demo Test Laboratory (not real)".into(),
            accreditation: Some("DEMO-LAB-0000".into()),
            report_number: Some(format!("TR-{}", c.serial)),
            tested_on: from.add_days(-14),
        },
        support_until: until.add_days(2 * YEAR),
        update_policy: "Security updates monthly, critical fixes within 14 days, delivered automatically.".into(),
        default_password:
            "Each device ships with a unique password printed under the base; change it in Settings > Security.".into(),
        vulnerability_contact: format!(
            "security@{}.example",
            c.maker.split(' ').next().unwrap_or("maker").to_ascii_lowercase()
        ),
    }
}

/// Re-encodes a signed claim with its level raised, keeping the original signature.
fn raise_level(cose: &[u8], level: u8) -> Option<Vec<u8>> {
    let Value::Tag(tag, inner) = cbor::decode(cose).ok()? else {
        return None;
    };
    let Value::Array(mut items) = *inner else { return None };
    let Value::Bytes(payload) = items.get(2)?.clone() else {
        return None;
    };
    let Value::Map(mut entries) = cbor::decode(&payload).ok()? else {
        return None;
    };
    for (k, v) in &mut entries {
        if *k == Value::Uint(labelcheck_core::claim::key::LEVEL) {
            *v = Value::Uint(u64::from(level));
        }
    }
    items[2] = Value::Bytes(cbor::encode(&Value::Map(entries)));
    Some(cbor::encode(&Value::Tag(tag, Box::new(Value::Array(items)))))
}

/// The report file with its payload edited and the signature left as it was.
fn edit_report_level(file: &[u8], level: u8) -> Option<Vec<u8>> {
    let mut doc: serde_json::Value = serde_json::from_slice(file).ok()?;
    let payload = B64.decode(doc.get("payload")?.as_str()?).ok()?;
    let mut report: serde_json::Value = serde_json::from_slice(&payload).ok()?;
    report["level"] = level.into();
    doc["payload"] = B64.encode(serde_json::to_vec(&report).ok()?).into();
    let mut out = serde_json::to_vec_pretty(&doc).ok()?;
    out.push(b'\n');
    Some(out)
}

pub fn run(a: DemoArgs, lang: Lang) -> Result<ExitCode> {
    let origin = a.origin.trim_end_matches('/').to_owned();
    let verifier = format!("{origin}/");
    let bad_origin = || fail(said("demo.origin").text("origin", &a.origin));
    if !fields::location_ok(&verifier) {
        return Err(bad_origin());
    }
    let host = fields::host_of(&verifier).ok_or_else(bad_origin)?;
    let dir = a.dir;
    let refresh = match what_is(&dir) {
        Found::Nothing => false,
        Found::Demo => true,
        Found::Other => return Err(fail(said("demo.not-a-demo-folder").arg("path", path(&dir)))),
    };
    let private = dir.join("private");
    let public = dir.join("public");
    let site = public.join("demo");
    durable::create_folders(&private)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700));
    }

    let root = key(&private, "root", "root-1")?;
    let k1 = key(&private, "k1", "k1")?;
    let k0 = key(&private, "k0", "k0")?;
    let forged = key(&private, "forged", "k9")?;
    // Signed the `replaced` case's label, then withdrawn (and left out of the key list).
    let k2 = key(&private, "k2", "k2")?;
    // The stranger has a root of its own, which no verifier here trusts.
    key(&private, "acme-root", "root-1")?;
    let stranger_k1 = key(&private, "acme-k1", "a1")?;

    let now = files::now();
    let today = now.date();
    let keys_path = site.join("keys.jws");
    let revocations_path = site.join("revocations.jws");
    let next = |p: &Path| {
        labelcheck_authority::lists::unverified_payload(&std::fs::read(p).unwrap_or_default())
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v.get("version")?.as_u64())
            .map_or(1, |v| v + 1)
    };
    let key_list = KeyList {
        format: 1,
        authority: AUTHORITY.into(),
        name: names(
            "labelcheck Demo Authority (not real)",
            "labelcheck 演示认证机构（非真实）",
        ),
        demo: true,
        version: next(&keys_path),
        issued_at: now,
        expires: now.add_secs(30 * 86_400),
        verifier: verifier.clone(),
        report_hosts: vec![host],
        report_url: Some(format!("{origin}/demo/reports/{{serial}}.jws")),
        revocations_url: format!("{origin}/demo/revocations.jws"),
        status_url: Some(format!("{origin}/demo/status/{{partition}}.jws")),
        keys: vec![
            KeyEntry::new(
                PublicJwk::from_key("k1", &k1.verifying_key()),
                today.add_days(-YEAR).start(),
                today.add_days(4 * YEAR).start(),
            ),
            KeyEntry::new(
                PublicJwk::from_key("k0", &k0.verifying_key()),
                today.add_days(-6 * YEAR).start(),
                today.add_days(-YEAR).start(),
            ),
        ],
        programmes: vec![
            Programme {
                id: 1,
                code: "cn-cls".into(),
                name: names("Cybersecurity Label (demo)", "网络安全标识（演示）"),
                levels: vec![1, 2, 3],
                max_level: 3,
            },
            Programme {
                id: 2,
                code: "us-ctm".into(),
                name: names("Cyber Trust Mark (demo)", "网络信任标志（演示）"),
                levels: vec![1],
                max_level: 1,
            },
        ],
    };
    let signed_keys = sign_key_list(&key_list, "root-1", &root).map_err(|_| IssueError::WorkerFailed)?;
    write(&keys_path, &signed_keys)?;

    let stranger_list = KeyList {
        authority: STRANGER.into(),
        name: names("ACME Certification (untrusted demo)", "ACME 认证（不受信任的演示）"),
        version: 1,
        keys: vec![KeyEntry::new(
            PublicJwk::from_key("a1", &stranger_k1.verifying_key()),
            today.add_days(-YEAR).start(),
            today.add_days(4 * YEAR).start(),
        )],
        ..key_list.clone()
    };

    let trust = TrustAnchors {
        format: 1,
        anchors: vec![Anchor {
            authority: AUTHORITY.into(),
            name: key_list.name.clone(),
            demo: true,
            root_keys: vec![PublicJwk::from_key("root-1", &root.verifying_key()).into()],
            // Relative to trust.json: the app and its lists move to any origin together.
            key_list_url: "demo/keys.jws".into(),
            revocations_url: "demo/revocations.jws".into(),
        }],
    };
    write(&public.join("trust.json"), &json_bytes(&trust))?;

    // The register `labelcheck issue` uses here, made once and kept: the demo's own labels
    // are recorded in it, each with its status number.
    let register_path = private.join("DEMO.serials");
    if !register_path.exists() {
        Register::create(&register_path, AUTHORITY, "DEMO-")?;
    }
    let ours: Vec<(&DemoCase, Units)> = std::iter::once(&SWAP_SOURCE)
        .chain(
            CASES
                .iter()
                .filter(|c| !c.serial.is_empty() && c.serial.starts_with("DEMO-")),
        )
        .map(|c| (c, Units::Serial(c.serial.to_owned())))
        .collect();
    let wanted: Vec<Wanted<'_>> = ours
        .iter()
        .map(|(c, units)| Wanted {
            units,
            kid: case_kid(c.name),
            maker: c.maker,
            model: c.model,
        })
        .collect();
    let numbers = Register::open(&register_path)?.reserve("demo-cases", &wanted, now)?;
    let status_of = |serial: &str| {
        ours.iter()
            .zip(&numbers)
            .find(|((c, _), _)| c.serial == serial)
            // An empty range: recorded by a demo of before status lists, so without one.
            .filter(|(_, r)| !r.is_empty())
            .and_then(|(_, r)| StatusRef::of_number(r.start))
    };

    // Three labels withdrawn, one of each kind a shopper can meet: a single serial (revoked),
    // a product (withdrawn-product), and every label of a withdrawn signing key (replaced).
    let case = |name: &str| CASES.iter().find(|c| c.name == name);
    let mut bits = labelcheck_core::status::empty_bits();
    let mut single = Vec::new();
    for name in ["revoked", "withdrawn-product", "replaced"] {
        if let Some(s) = case(name).and_then(|c| status_of(c.serial)) {
            labelcheck_core::status::set_bit(&mut bits, s.index);
            if name == "revoked" {
                single.push(s.index);
            }
        }
    }
    let single_revoked = (
        today.add_days(-20),
        "A firmware update restored a shared default password; re-test failed.",
    );
    let status_dir = site.join("status");
    let partition = StatusListDoc {
        format: 1,
        authority: AUTHORITY.into(),
        partition: 0,
        version: next(&status_dir.join("0.jws")),
        issued_at: now,
        expires: now.add_secs(7 * 86_400),
        status_list: TokenStatusList {
            bits: 1,
            lst: labelcheck_core::status::deflate(&bits),
        },
        singles: if single.is_empty() {
            None
        } else {
            encode_singles(
                &bits,
                &[Singles {
                    date: single_revoked.0,
                    reason: RevocationReason::Withdrawn,
                    note: Some(single_revoked.1.into()),
                    indexes: single.clone(),
                }],
            )
        },
    };
    let signed_partition = sign_status(&partition, "root-1", &root).map_err(|_| IssueError::WorkerFailed)?;
    write(&status_dir.join("0.jws"), &signed_partition)?;
    let withdrawn = case("withdrawn-product").copied().unwrap_or(SWAP_SOURCE);
    let act = |kind| Act::new(kind, today.add_days(-10), RevocationReason::Withdrawn, None);
    let revocations = RevocationList {
        format: 1,
        authority: AUTHORITY.into(),
        version: next(&revocations_path),
        issued_at: now,
        expires: now.add_secs(7 * 86_400),
        // A demo register of before status lists numbered none of its labels: the revoked
        // case is then revoked by serial, as such labels are.
        revoked: match case("revoked") {
            Some(c) if single.is_empty() => vec![Revoked {
                serial: c.serial.into(),
                date: single_revoked.0,
                reason: RevocationReason::Withdrawn,
                note: Some(single_revoked.1.into()),
            }],
            _ => Vec::new(),
        },
        acts: vec![
            Act {
                maker: Some(withdrawn.maker.into()),
                model: Some(withdrawn.model.into()),
                note: Some("Re-testing found the camera's video stream unencrypted.".into()),
                ..act(ActKind::Product)
            },
            Act {
                kid: Some("k2".into()),
                date: today.add_days(-5),
                reason: RevocationReason::Superseded,
                note: Some("Signing key withdrawn after a suspected compromise; the products carry new labels.".into()),
                ..act(ActKind::Key)
            },
        ],
        partitions: 1,
    };
    let signed_revocations = sign_revocations(&revocations, "root-1", &root).map_err(|_| IssueError::WorkerFailed)?;
    write(&revocations_path, &signed_revocations)?;

    // The authority file `labelcheck issue` uses here: the demo's own, written every run.
    let authority_path = dir.join("authority.json");
    let file = AuthorityFile {
        format: AUTHORITY_FILE_FORMAT,
        authority: AUTHORITY.into(),
        trust: "public/trust.json".into(),
        key_list: "public/demo/keys.jws".into(),
        revocations: "public/demo/revocations.jws".into(),
        status: Some("public/demo/status".into()),
        register: "private/DEMO.serials".into(),
    };
    write(&authority_path, &json_bytes(&file))?;
    let authority = Authority::load(&authority_path, now)?;
    let fonts = Fonts::load(&[])?;

    let reports = site.join("reports");
    let labels = site.join("labels");
    let current = (today.add_days(-30), today.add_days(3 * YEAR - 30));
    let issued_on = |from: Date| from.start().add_secs(9 * 3600);
    let mut entries = Vec::new();
    let mut public_entries = Vec::new();
    let write_report = |serial: &str, bytes: &[u8]| write(&reports.join(format!("{serial}.jws")), bytes);
    let sign = |r: &Report, kid: &str, key: &SigningKey, location: Option<String>| {
        sign_with(r, kid, key, &verifier, location, status_of(&r.serial)).map_err(|_| IssueError::WorkerFailed)
    };
    // A genuine demo label is let out by the same gate as every issued label.
    let gated = |s: &Signed| {
        authority
            .gate
            .pass(&s.qr_text, &s.report_file)
            .map(drop)
            .map_err(|refusal| IssueError::LabelRefused {
                serial: s.claim.serial.clone(),
                refusal,
            })
    };

    let swap = {
        let r = report_for(&SWAP_SOURCE, AUTHORITY, current.0, current.1, issued_on(current.0));
        let signed = sign(&r, "k1", &k1, None)?;
        gated(&signed)?;
        write_report(SWAP_SOURCE.serial, &signed.report_file)?;
        signed.report_file
    };

    for c in &CASES {
        let (authority_id, kid, signer, from, until, location) = match c.name {
            "forged-key" => (AUTHORITY, "k9", &forged, current.0, current.1, None),
            "retired-key" => (
                AUTHORITY,
                "k0",
                &k0,
                today.add_days(-10),
                today.add_days(3 * YEAR),
                None,
            ),
            "expired" => (
                AUTHORITY,
                "k0",
                &k0,
                today.add_days(-4 * YEAR),
                today.add_days(-30),
                None,
            ),
            "replaced" => (AUTHORITY, "k2", &k2, current.0, current.1, None),
            "unknown-authority" | "not-a-label" => (
                STRANGER,
                "a1",
                &stranger_k1,
                current.0,
                current.1,
                Some(format!(
                    "{origin}/demo/reports/{}.jws",
                    if c.serial.is_empty() { "none" } else { c.serial }
                )),
            ),
            _ => (AUTHORITY, "k1", &k1, current.0, current.1, None),
        };
        let serial_case = DemoCase {
            serial: if c.serial.is_empty() { "ACME-0002" } else { c.serial },
            ..*c
        };
        let report = report_for(&serial_case, authority_id, from, until, issued_on(from));
        let mut signed = sign(&report, kid, signer, location)?;
        if c.expected == "genuine" {
            gated(&signed)?;
        }
        let mut report_file = signed.report_file.clone();
        match c.name {
            "tampered-report" => {
                report_file = edit_report_level(&report_file, 3).ok_or(IssueError::WorkerFailed)?;
            }
            "tampered-claim" => {
                let edited = raise_level(&signed.cose, 3).ok_or(IssueError::WorkerFailed)?;
                signed.claim.level = 3;
                signed.qr_text = label_url(&verifier, &edited);
            }
            "swapped-report" => report_file = swap.clone(),
            "not-a-label" => signed.qr_text = NOT_A_LABEL_TEXT.into(),
            _ => {}
        }
        let has_report = c.name != "not-a-label";
        if has_report {
            write_report(serial_case.serial, &report_file)?;
        }
        let art_list = if authority_id == STRANGER {
            &stranger_list
        } else {
            &key_list
        };
        let programme = art_list.programme(signed.claim.programme);
        let content = LabelContent {
            programme_en: programme.map(|p| p.name.en.clone()).unwrap_or_default(),
            programme_zh: programme.map(|p| p.name.zh.clone()).unwrap_or_default(),
            level: signed.claim.level,
            max_level: programme.map_or(signed.claim.level, |p| p.max_level),
            serial: signed.claim.serial.clone(),
            qr: labelcheck_authority::qr::encode(&signed.qr_text)?,
            demo: art_list.demo,
        };
        let art = render_content(&content, &fonts)?;
        write(&labels.join(format!("{}.svg", c.name)), art.svg.as_bytes())?;
        write(&labels.join(format!("{}.png", c.name)), &art.png)?;
        write(
            &labels.join(format!("{}.txt", c.name)),
            format!("{}\n", signed.qr_text).as_bytes(),
        )?;
        let report_rel = has_report.then(|| format!("demo/reports/{}.jws", serial_case.serial));
        entries.push(json!({
            "case": c.name,
            "expected": c.expected,
            "serial": if has_report { serial_case.serial } else { "" },
            "qr": signed.qr_text,
            "qr_version": content.qr.version,
            "svg": format!("public/demo/labels/{}.svg", c.name),
            "png": format!("public/demo/labels/{}.png", c.name),
            "report": report_rel.as_ref().map(|r| format!("public/{r}")),
        }));
        public_entries.push(json!({
            "case": c.name,
            "expected": c.expected,
            "qr": signed.qr_text,
            "svg": format!("/demo/labels/{}.svg", c.name),
            "png": format!("/demo/labels/{}.png", c.name),
            "report": report_rel.map(|r| format!("/{r}")),
        }));
    }
    write(
        &dir.join("labels.json"),
        &json_bytes(&json!({ "origin": origin, "labels": entries })),
    )?;
    write(
        &site.join("labels.json"),
        &json_bytes(&json!({ "origin": origin, "labels": public_entries })),
    )?;
    let config = Config {
        trust: "public/trust.json".into(),
        key_lists: vec!["public/demo/keys.jws".into()],
        revocation_lists: vec!["public/demo/revocations.jws".into()],
        status_lists: Vec::new(),
        report_mirrors: vec![
            Mirror {
                prefix: format!("{origin}/demo/reports/"),
                dir: "public/demo/reports".into(),
            },
            Mirror {
                prefix: format!("{origin}/demo/status/"),
                dir: "public/demo/status".into(),
            },
        ],
    };
    write(&dir.join(FILE_NAME), &json_bytes(&config))?;
    let m = said(if refresh { "demo.refreshed" } else { "demo.made" })
        .text("authority", AUTHORITY)
        .text("n", CASES.len())
        .arg("dir", path(&dir))
        .text("keys", key_list.version)
        .text("revocations", revocations.version);
    eprintln!("labelcheck: {}", words::message(lang, &m));
    Ok(ExitCode::SUCCESS)
}
