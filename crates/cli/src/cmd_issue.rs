//! `labelcheck issue`: sign a report and produce its label.

use crate::args::IssueArgs;
use crate::artwork::LabelArt;
use crate::error::{at, err, Result};
use crate::files;
use crate::qr::{self, Qr, EC_LEVEL_NAME};
use crate::signing_key::Key;
use ed25519_dalek::{Signature, Signer};
use labelcheck_core::claim::{sign_claim, Claim};
use labelcheck_core::issuer::sign_report;
use labelcheck_core::label_url::label_url;
use labelcheck_core::limits::{MAX_KEY_LIST_BYTES, MAX_REPORT_BYTES};
use labelcheck_core::{KeyList, Report};
use serde_json::Value;
use std::path::Path;
use std::process::ExitCode;

pub struct Issued {
    pub report_file: Vec<u8>,
    pub claim: Claim,
    pub qr_text: String,
    pub qr: Qr,
}

/// Reads an authority's own key list file (its signature is the authority's own business here).
pub fn read_key_list(path: &Path) -> Result<KeyList> {
    let bytes = files::read_limited(path, MAX_KEY_LIST_BYTES)?;
    let payload = files::unverified_payload(&bytes).ok_or_else(|| at(path, "read", "not a signed key list"))?;
    KeyList::parse(&payload).map_err(|e| at(path, "use the key list in", e))
}

/// Checks that the key list allows `key` to sign `report`: what a verifier will check.
pub fn check(report: &Report, key: &Key, keys: &KeyList, location: Option<&str>) -> Result<()> {
    let kid = key.kid.as_str();
    let entry = keys
        .key(kid)
        .ok_or_else(|| err(format!("key {kid} is not in the key list")))?;
    if entry.verifying_key() != Some(key.public) {
        return Err(err(format!("the private key does not match key {kid} in the key list")));
    }
    if !entry.valid_at(report.issued_at) {
        return Err(err(format!("key {kid} is not valid at {}", report.issued_at)));
    }
    let programme = keys
        .programme(report.programme)
        .ok_or_else(|| err(format!("programme {} is not defined in the key list", report.programme)))?;
    if !programme.levels.contains(&report.level) {
        return Err(err(format!(
            "level {} does not exist in programme {}",
            report.level, programme.code
        )));
    }
    if report.authority != keys.authority {
        return Err(err(format!(
            "the report is for authority {}, the key list for {}",
            report.authority, keys.authority
        )));
    }
    if location.is_none() && keys.report_url.is_none() {
        return Err(err("the key list has no report_url: pass --report-url"));
    }
    Ok(())
}

/// Checks that the key list allows this signing, then signs report and claim.
pub fn issue(report: &Report, key: &Key, keys: &KeyList, location: Option<String>) -> Result<Issued> {
    check(report, key, keys, location.as_deref())?;
    sign_label(report, &key.kid, key, &keys.verifier, location).map_err(|e| key.explain(e))
}

/// Signs report and claim with no policy checks (the demo uses it to make bad labels).
pub fn sign_label<S: Signer<Signature> + ?Sized>(
    report: &Report,
    kid: &str,
    key: &S,
    verifier: &str,
    location: Option<String>,
) -> Result<Issued> {
    let signed = sign_report(report, kid, key).map_err(|e| err(format!("cannot sign the report: {e}")))?;
    let claim = Claim::for_report(report, signed.digest, location);
    let cose = sign_claim(&claim, kid, key).map_err(|e| err(format!("cannot sign the label: {e}")))?;
    let qr_text = label_url(verifier, &cose);
    let qr = qr::encode(&qr_text)?;
    Ok(Issued {
        report_file: signed.file,
        claim,
        qr_text,
        qr,
    })
}

pub fn art<'a>(issued: &'a Issued, keys: &'a KeyList) -> LabelArt<'a> {
    let programme = keys.programme(issued.claim.programme);
    LabelArt {
        programme_en: programme.map_or("Security label", |p| p.name.en.as_str()),
        programme_zh: programme.map_or("安全标识", |p| p.name.zh.as_str()),
        level: issued.claim.level,
        max_level: programme.map_or(issued.claim.level, |p| p.max_level),
        serial: &issued.claim.serial,
        maker: &issued.claim.maker,
        model: &issued.claim.model,
        valid_until: issued.claim.valid_until.to_string(),
        authority: &keys.name.en,
        demo: keys.demo,
        qr: &issued.qr,
    }
}

/// Writes `stem.svg`, `stem.png` and `stem.txt` into `dir`.
pub fn write_label(dir: &Path, stem: &str, issued: &Issued, keys: &KeyList) -> Result<()> {
    let artwork = art(issued, keys);
    files::write(&dir.join(format!("{stem}.svg")), artwork.svg().as_bytes())?;
    let png_path = dir.join(format!("{stem}.png"));
    artwork.png().save(&png_path).map_err(|e| at(&png_path, "write", e))?;
    files::write(
        &dir.join(format!("{stem}.txt")),
        format!("{}\n", issued.qr_text).as_bytes(),
    )
}

pub fn run(a: IssueArgs) -> Result<ExitCode> {
    let Some(report_path) = a.report.clone() else {
        return crate::cmd_issue_batch::run(a);
    };
    let bytes = files::read_limited(&report_path, MAX_REPORT_BYTES)?;
    let mut doc: Value = serde_json::from_slice(&bytes).map_err(|e| at(&report_path, "read JSON from", e))?;
    let obj = doc
        .as_object_mut()
        .ok_or_else(|| err("the report must be a JSON object"))?;
    obj.entry("format").or_insert(1.into());
    obj.entry("issued_at").or_insert(files::now().to_string().into());
    let report: Report = serde_json::from_value(doc).map_err(|e| at(&report_path, "use the report in", e))?;
    let key = Key::open(&a.key)?;
    let keys = read_key_list(&a.keys)?;
    let issued = issue(&report, &key, &keys, a.report_url)?;
    let serial = &issued.claim.serial;
    let stem = files::serial_path(serial).ok_or_else(|| {
        err(format!(
            "serial {serial}: a part between slashes is empty or starts with a dot"
        ))
    })?;
    files::write(&a.out_dir.join(format!("{stem}.jws")), &issued.report_file)?;
    write_label(&a.out_dir, stem, &issued, &keys)?;
    crate::stdout::line(format_args!("{}", issued.qr_text))?;
    eprintln!(
        "labelcheck: label {serial}: QR version {} at error correction {EC_LEVEL_NAME}, {} characters; \
         report and label written to {}/{stem}.{{jws,svg,png,txt}}",
        issued.qr.version,
        issued.qr_text.len(),
        a.out_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
