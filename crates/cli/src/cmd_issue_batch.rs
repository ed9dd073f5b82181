//! `labelcheck issue --batch`: a production run. Every row is checked first (bad rows are
//! listed with their line and never stop the good ones, or with `--strict` stop everything
//! before anything is signed); serials come from the register, durably reserved before any
//! label under them is written; labels are signed on every core; each file is written whole
//! or not at all; a re-run of the same batch into the same folder keeps what is done and
//! finishes the rest. Writes `SERIAL.jws` (the signed report, where the key list's
//! `report_url` points), and, once the batch is complete, `manifest.csv` / `manifest.json`
//! (with every label's QR text) and `qr-texts.txt` (one per line, in the manifest's order).
//!
//! One file per label, because file creation is most of the cost of a large batch: a label's
//! QR text is not stored apart from its report, since Ed25519 signing is deterministic, the
//! claim re-signed from a finished report gives back exactly the QR text it was issued with.

use crate::args::IssueArgs;
use crate::cmd_issue::{check, read_key_list};
use crate::error::{at, err, Result};
use crate::files;
use crate::issue_rows::{self, Kind, RowError, Units};
use crate::parallel;
use crate::register::Register;
use crate::signing_key::Key;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use labelcheck_core::claim::{sign_claim, Claim};
use labelcheck_core::fields::serial_ok;
use labelcheck_core::issuer::sign_report;
use labelcheck_core::jws::{Jws, TYP_REPORT};
use labelcheck_core::label_url::label_url;
use labelcheck_core::limits::MAX_REPORT_BYTES;
use labelcheck_core::report::report_digest;
use labelcheck_core::{KeyList, Report};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A batch file larger than this is split by its author: it is read whole, twice.
const MAX_BATCH_BYTES: usize = 512 << 20;
/// Numbers reserved at a time; a crash wastes at most the unused rest of a block, and a
/// re-run of the same batch uses that rest.
const BLOCK: u64 = 10_000;
/// Labels signed between two appends to the manifest: bounds memory, not speed.
const CHUNK: usize = 8_192;

/// A good row, ready to be signed once per unit.
struct Plan {
    line: usize,
    report: Report,
    units: Units,
}

/// One manifest line.
struct Done {
    line: usize,
    serial: String,
    kid: String,
    qr_version: i16,
    report: String,
    digest: String,
    qr_text: String,
    signed_now: bool,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Written beside the target and renamed over it: a reader (or a re-run) sees the whole
/// file or none.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| at(dir, "create", e))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".partial");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|e| at(&tmp, "write", e))?;
    std::fs::rename(&tmp, path).map_err(|e| at(path, "write", e))
}

/// A report written by an earlier run: whole, signed by this key, for this serial. Anything
/// else (missing, cut short, another key's) is signed again.
fn finished(dir: &Path, key: &Key, serial: &str) -> Option<(Report, [u8; 16])> {
    let stem = files::serial_path(serial)?;
    let bytes = std::fs::read(dir.join(format!("{stem}.jws"))).ok()?;
    let jws = Jws::parse(&bytes, MAX_REPORT_BYTES, TYP_REPORT).ok()?;
    (jws.kid == key.kid && jws.verify(&key.public)).then_some(())?;
    let report = Report::parse(&jws.payload).ok()?;
    (report.serial == serial).then_some((report, report_digest(&jws.payload)))
}

struct Signing<'a> {
    key: &'a Key,
    keys: &'a KeyList,
    location: Option<String>,
    dir: &'a Path,
}

impl Signing<'_> {
    fn one(&self, plan: &Plan, serial: String) -> Result<Done> {
        let stem = files::serial_path(&serial)
            .ok_or_else(|| err("serial cannot name a file"))?
            .to_owned();
        let kid = self.key.kid.as_str();
        let fail = |e| {
            self.key
                .explain(err(format!("line {}: cannot sign {serial}: {e}", plan.line)))
        };
        let (report, digest, signed_now) = match finished(self.dir, self.key, &serial) {
            Some((report, digest)) => (report, digest, false),
            None => {
                let mut report = plan.report.clone();
                report.serial = serial.clone();
                let signed = sign_report(&report, kid, self.key).map_err(fail)?;
                write_atomic(&self.dir.join(format!("{stem}.jws")), &signed.file)?;
                (report, signed.digest, true)
            }
        };
        let claim = Claim::for_report(&report, digest, self.location.clone());
        let cose = sign_claim(&claim, kid, self.key).map_err(fail)?;
        let qr_text = label_url(&self.keys.verifier, &cose);
        Ok(Done {
            line: plan.line,
            qr_version: crate::qr::version(&qr_text)?,
            serial,
            kid: kid.to_owned(),
            report: format!("{stem}.jws"),
            digest: hex(&digest),
            qr_text,
            signed_now,
        })
    }

    /// Signs a chunk on every core; results in the chunk's order.
    fn chunk(&self, plans: &[Plan], units: &[(usize, String)]) -> Result<Vec<Result<Done>>> {
        parallel::map(units, |(p, serial)| self.one(&plans[*p], serial.clone()))
    }
}

/// The manifest, written as labels are done and renamed into place at the end.
struct Manifest {
    csv: csv::Writer<std::io::BufWriter<std::fs::File>>,
    json: std::io::BufWriter<std::fs::File>,
    texts: std::io::BufWriter<std::fs::File>,
    first: bool,
    paths: [(PathBuf, PathBuf); 3],
}

impl Manifest {
    fn create(dir: &Path, batch: &str) -> Result<Manifest> {
        let target = |name: &str| dir.join(name);
        let partial = |name: &str| dir.join(format!("{name}.partial"));
        let open = |p: &Path| {
            std::fs::File::create(p)
                .map(std::io::BufWriter::new)
                .map_err(|e| at(p, "write", e))
        };
        let names = ["manifest.csv", "manifest.json", "qr-texts.txt"];
        let mut csv = csv::Writer::from_writer(open(&partial(names[0]))?);
        csv.write_record(["line", "serial", "kid", "qr_version", "report", "digest", "qr_text"])
            .map_err(|e| at(&partial(names[0]), "write", e))?;
        let mut json = open(&partial(names[1]))?;
        write!(json, "{{\"batch\":\"{batch}\",\"labels\":[").map_err(|e| at(&partial(names[1]), "write", e))?;
        Ok(Manifest {
            csv,
            json,
            texts: open(&partial(names[2]))?,
            first: true,
            paths: names.map(|n| (partial(n), target(n))),
        })
    }

    fn add(&mut self, d: &Done) -> Result<()> {
        let version = d.qr_version.to_string();
        let line = d.line.to_string();
        self.csv
            .write_record([&line, &d.serial, &d.kid, &version, &d.report, &d.digest, &d.qr_text])
            .map_err(|e| at(&self.paths[0].0, "write", e))?;
        let row = serde_json::json!({
            "line": d.line, "serial": d.serial, "kid": d.kid, "qr_version": d.qr_version,
            "report": d.report, "digest": d.digest, "qr_text": d.qr_text,
        });
        let sep = if std::mem::take(&mut self.first) { "\n" } else { ",\n" };
        write!(self.json, "{sep}{row}").map_err(|e| at(&self.paths[1].0, "write", e))?;
        writeln!(self.texts, "{}", d.qr_text).map_err(|e| at(&self.paths[2].0, "write", e))
    }

    fn finish(mut self) -> Result<()> {
        self.csv.flush().map_err(|e| at(&self.paths[0].0, "write", e))?;
        writeln!(self.json, "\n]}}")
            .and_then(|_| self.json.flush())
            .map_err(|e| at(&self.paths[1].0, "write", e))?;
        self.texts.flush().map_err(|e| at(&self.paths[2].0, "write", e))?;
        drop(self.csv);
        drop(self.json);
        drop(self.texts);
        for (partial, target) in &self.paths {
            std::fs::rename(partial, target).map_err(|e| at(target, "write", e))?;
        }
        Ok(())
    }
}

fn read_defaults(path: Option<&Path>) -> Result<(Map<String, Value>, Vec<u8>)> {
    let Some(path) = path else {
        return Ok((Map::new(), Vec::new()));
    };
    let bytes = files::read_limited(path, labelcheck_core::limits::MAX_REPORT_BYTES)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(o)) => Ok((o, bytes)),
        Ok(_) => Err(err(format!("{}: the defaults must be a JSON object", path.display()))),
        Err(e) => Err(at(path, "read JSON from", e)),
    }
}

/// Pass one: every row checked as a verifier would check its label, before anything is signed.
fn plan(
    rows: Vec<std::result::Result<issue_rows::Row, RowError>>,
    register: &Register,
    batch: &str,
    signing: &Signing<'_>,
    issued_at: &str,
) -> (Vec<Plan>, Vec<RowError>) {
    let mut plans = Vec::new();
    let mut bad = Vec::new();
    let mut seen = HashSet::new();
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                bad.push(e);
                continue;
            }
        };
        let line = row.line;
        let fail = |why: String| RowError { line, why };
        let mut obj = row.report;
        obj.entry("format").or_insert(1.into());
        obj.entry("issued_at").or_insert(issued_at.into());
        let serial = match &row.units {
            Units::Serial(s) => s.clone(),
            // A stand-in with the shape of the register's serials, to check the row with.
            Units::Count(_) => register.serial(0),
        };
        obj.insert("serial".into(), Value::String(serial.clone()));
        let report: Report = match serde_json::from_value(Value::Object(obj)) {
            Ok(r) => r,
            Err(e) => {
                bad.push(fail(format!("the report: {e}")));
                continue;
            }
        };
        let checked = report
            .validate()
            .map_err(|e| e.to_string())
            .and_then(|_| {
                check(&report, signing.key, signing.keys, signing.location.as_deref()).map_err(|e| e.to_string())
            })
            .and_then(|_| {
                Claim::for_report(&report, [0; 16], signing.location.clone())
                    .validate()
                    .map_err(|e| format!("the label: {e}"))
            });
        if let Err(why) = checked {
            bad.push(fail(why));
            continue;
        }
        if let Units::Serial(s) = &row.units {
            let why = if !serial_ok(s) {
                Some(format!("serial {s:?}: use 1 to 32 of A-Z a-z 0-9 - _ . /"))
            } else if register.is_numbered(s) {
                Some(format!(
                    "serial {s} has the register's numbered form; give units to number it"
                ))
            } else if register.taken_by(s).is_some_and(|b| b != batch) {
                Some(format!("serial {s} was issued by an earlier batch"))
            } else if files::serial_path(s).is_none() {
                Some(format!(
                    "serial {s}: a part between slashes is empty or starts with a dot"
                ))
            } else if !seen.insert(s.clone()) {
                Some(format!("serial {s} appears twice"))
            } else {
                None
            };
            if let Some(why) = why {
                bad.push(fail(why));
                continue;
            }
        }
        plans.push(Plan {
            line,
            report,
            units: row.units,
        });
    }
    (plans, bad)
}

pub fn run(a: IssueArgs) -> Result<ExitCode> {
    let batch_path = a.batch.clone().ok_or_else(|| err("give --report or --batch"))?;
    let kind = Kind::of(&batch_path.to_string_lossy())
        .ok_or_else(|| err(format!("--batch {}: name a .csv or .jsonl file", batch_path.display())))?;
    let input = files::read_limited(&batch_path, MAX_BATCH_BYTES)?;
    let (defaults, defaults_bytes) = read_defaults(a.defaults.as_deref())?;
    let key = Key::open(&a.key)?;
    let keys = read_key_list(&a.keys)?;
    std::fs::create_dir_all(&a.out_dir).map_err(|e| at(&a.out_dir, "create", e))?;
    let dir = std::fs::canonicalize(&a.out_dir).map_err(|e| at(&a.out_dir, "use", e))?;
    // Not beside the key list by default: that folder is often the one published.
    let register_path = a
        .register
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.serials", keys.authority)));
    let prefix = a
        .serial_prefix
        .clone()
        .or_else(|| (!register_path.exists()).then(|| format!("{}-", keys.authority)));
    let mut register = Register::open(&register_path, prefix.as_deref())?;
    // The batch is its input and where it goes: the same rows into another folder are
    // another batch, with serials of their own.
    let mut h = Sha256::new();
    for part in [&input[..], &defaults_bytes, dir.as_os_str().as_encoded_bytes()] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    let batch = hex(&h.finalize()[..16]);
    let signing = Signing {
        key: &key,
        keys: &keys,
        location: a.report_url.clone(),
        dir: &dir,
    };
    let issued_at = files::now().to_string();
    let (plans, bad) = plan(
        issue_rows::rows(&input, kind, &defaults),
        &register,
        &batch,
        &signing,
        &issued_at,
    );
    for e in &bad {
        eprintln!("labelcheck: {}: {e}", batch_path.display());
    }
    if a.strict && !bad.is_empty() {
        return Err(err(format!(
            "{} bad row(s) in {}; nothing was signed (--strict)",
            bad.len(),
            batch_path.display()
        )));
    }
    let numbered: u64 = plans
        .iter()
        .map(|p| match p.units {
            Units::Count(n) => n,
            Units::Serial(_) => 0,
        })
        .sum();
    let given: Vec<String> = plans
        .iter()
        .filter_map(|p| match &p.units {
            Units::Serial(s) => Some(s.clone()),
            Units::Count(_) => None,
        })
        .collect();
    // Durable before any label under them is written.
    let ranges = register.numbers(&batch, numbered, BLOCK)?;
    register.record(&batch, &given)?;
    let total = numbered + given.len() as u64;
    let mut numbers = ranges.into_iter().flatten();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} labels, {per_sec}, about {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut manifest = Manifest::create(&dir, &batch)?;
    let (mut signed_now, mut kept) = (0u64, 0u64);
    let mut units: Vec<(usize, String)> = Vec::with_capacity(CHUNK);
    let mut flush = |units: &mut Vec<(usize, String)>| -> Result<()> {
        for done in signing.chunk(&plans, units)? {
            let done = done?;
            if done.signed_now {
                signed_now += 1;
            } else {
                kept += 1;
            }
            manifest.add(&done)?;
        }
        bar.inc(units.len() as u64);
        units.clear();
        Ok(())
    };
    for (i, p) in plans.iter().enumerate() {
        let count = match &p.units {
            Units::Serial(s) => {
                units.push((i, s.clone()));
                0
            }
            Units::Count(n) => *n,
        };
        for _ in 0..count {
            let n = numbers
                .next()
                .ok_or_else(|| err("the register gave fewer numbers than asked"))?;
            units.push((i, register.serial(n)));
            if units.len() == CHUNK {
                flush(&mut units)?;
            }
        }
        if units.len() >= CHUNK {
            flush(&mut units)?;
        }
    }
    flush(&mut units)?;
    bar.finish_and_clear();
    manifest.finish()?;
    eprintln!(
        "labelcheck: {total} label(s) in {} ({signed_now} signed now, {kept} done by an earlier run); \
         manifest.csv, manifest.json and qr-texts.txt list them; serial register {}{}",
        a.out_dir.display(),
        register_path.display(),
        if bad.is_empty() {
            String::new()
        } else {
            format!("; {} bad row(s) skipped, listed above", bad.len())
        }
    );
    Ok(if bad.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
