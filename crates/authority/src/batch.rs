//! Issuing a batch: a production run of one product per row, or a single label (a batch of
//! one), through the same path.
//!
//! 1. Every row is planned ([`plan`](crate::plan)): checked field by field, against the
//!    register, and as a verifier would check its label. Bad rows are listed with their line
//!    and never stop the good ones, or with `strict` stop everything before anything is
//!    reserved or signed.
//! 2. The output folder is bound to the batch (`batch.json`): a batch is its input, its
//!    defaults, the output folder, the authority, the signing key, the verifier address and the
//!    report location. A folder holding another batch is refused, so a finished batch run again
//!    with another key is stopped, not signed over its published reports.
//! 3. The register reserves the batch's serials, durably, after checking that they fit; a
//!    batch run again gets its own serials back, and its original time of issue, so each label
//!    signed again is the same bytes as before.
//! 4. Labels are signed on every core, each passed through the [gate](crate::gate) — the
//!    core's verifier, report included — and only then written: each report whole, synced
//!    and renamed into place, its folder synced. A report already there is kept when it is
//!    exactly what the row signs; one that is damaged (not a whole signed report) is written
//!    again; a whole report that differs is never replaced: the run stops and says why.
//! 5. The manifest is published when every label is done.

use crate::artwork::{self, Fonts};
use crate::authority::Authority;
use crate::durable::{self, Step};
use crate::error::{Action, Error, Result};
use crate::gate::Gate;
use crate::key::Key;
use crate::manifest::{self, Entry};
use crate::parallel;
use crate::plan::{self, Plan};
use crate::register::Wanted;
use crate::rows::{self, Kind, RowError, Units};
use crate::sign::sign_label;
use labelcheck_core::jws::{Jws, TYP_REPORT};
use labelcheck_core::limits::MAX_REPORT_BYTES;
use labelcheck_core::status::StatusRef;
use labelcheck_core::{Report, Timestamp};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Labels signed and written between two appends to the manifest: bounds memory.
const CHUNK: usize = 8_192;
/// Files synced at once: a journaling file system commits concurrent syncs together, which
/// makes a synced file about as cheap as a signature.
const SYNC_THREADS: usize = 32;
pub const MARKER: &str = "batch.json";

/// What to issue.
pub struct Request<'a> {
    /// The rows: CSV, JSON Lines, or one report object.
    pub input: &'a [u8],
    pub kind: Kind,
    /// A JSON object of report fields every row shares, under each row.
    pub defaults: Option<&'a [u8]>,
    pub out_dir: &'a Path,
    /// A report URL to put in each label instead of the key list's `report_url`.
    pub report_location: Option<&'a str>,
    /// Stop before anything is reserved or signed when any row is bad.
    pub strict: bool,
    /// Also write each label's artwork (`SERIAL.svg`, `SERIAL.png`) and QR text (`SERIAL.txt`).
    pub artwork: Option<&'a Fonts>,
}

/// What a run did.
#[derive(Debug)]
pub struct Outcome {
    pub total: u64,
    pub signed_now: u64,
    pub kept: u64,
    pub bad: Vec<RowError>,
    /// The first label issued, for a single label's message.
    pub first: Option<Entry>,
}

/// Told as labels are done.
pub trait Progress {
    fn start(&self, _total: u64) {}
    fn advance(&self, _labels: u64) {}
    fn finish(&self) {}
}

impl Progress for () {}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    hex(&h.finalize()[..16])
}

/// What makes a batch what it is; stored in its folder as `batch.json`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Identity {
    batch: String,
    authority: String,
    kid: String,
    key: String,
    verifier: String,
    report_location: String,
    input: String,
    defaults: String,
    folder: String,
}

impl Identity {
    fn new(gate: &Gate, key: &Key, req: &Request<'_>, folder: &Path) -> Identity {
        use base64::Engine;
        let keys = gate.key_list();
        let location = req
            .report_location
            .or(keys.report_url.as_deref())
            .unwrap_or_default()
            .to_owned();
        let mut id = Identity {
            batch: String::new(),
            authority: gate.authority().to_owned(),
            kid: key.kid.clone(),
            key: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.public.as_bytes()),
            verifier: keys.verifier.clone(),
            report_location: location,
            input: sha(&[req.input]),
            defaults: sha(&[req.defaults.unwrap_or_default()]),
            folder: folder.to_string_lossy().into_owned(),
        };
        id.batch = sha(&[
            id.authority.as_bytes(),
            id.kid.as_bytes(),
            id.key.as_bytes(),
            id.verifier.as_bytes(),
            id.report_location.as_bytes(),
            id.input.as_bytes(),
            id.defaults.as_bytes(),
            id.folder.as_bytes(),
        ]);
        id
    }

    /// What differs from `other`, by name.
    fn differences(&self, other: &Identity) -> Vec<&'static str> {
        [
            ("authority", self.authority == other.authority),
            ("signing key", self.kid == other.kid && self.key == other.key),
            ("verifier", self.verifier == other.verifier),
            ("report location", self.report_location == other.report_location),
            ("input", self.input == other.input),
            ("defaults", self.defaults == other.defaults),
            ("folder", self.folder == other.folder),
        ]
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(name, _)| name)
        .collect()
    }
}

/// The folder's path as it will stay once made: the nearest folder that exists, resolved
/// (links followed), with the rest added. Nothing is made.
fn stable_path(dir: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(dir).map_err(|e| Error::io(dir, Action::Read, &e))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(existing).map_err(|e| Error::io(existing, Action::Read, &e))?;
    out.extend(rest.iter().rev());
    Ok(out)
}

/// Binds the output folder to this batch, or checks that it is bound to it already.
fn bind_folder(dir: &Path, id: &Identity) -> Result<()> {
    durable::create_folders(dir)?;
    let marker = dir.join(MARKER);
    match durable::read_limited(&marker, 64 << 10) {
        Ok(bytes) => {
            let held: Identity = serde_json::from_slice(&bytes).map_err(|e| Error::json(&marker, Action::Read, &e))?;
            if held.batch == id.batch {
                return Ok(());
            }
            let mut differs = held.differences(id);
            if differs.is_empty() {
                differs.push("input");
            }
            Err(Error::OtherBatch {
                dir: dir.to_owned(),
                kid: held.kid,
                differs,
            })
        }
        Err(Error::Io { cause, .. }) if cause.not_found() => {
            let occupied = std::fs::read_dir(dir)
                .map_err(|e| Error::io(dir, Action::Read, &e))?
                .flatten()
                .any(|e| !e.file_name().to_string_lossy().ends_with(".partial"));
            if occupied {
                return Err(Error::NotABatchFolder { dir: dir.to_owned() });
            }
            let mut json = serde_json::to_vec_pretty(id).map_err(|e| Error::json(&marker, Action::Write, &e))?;
            json.push(b'\n');
            durable::create(&marker, &json, 0o644)
        }
        Err(e) => Err(e),
    }
}

fn read_defaults(bytes: Option<&[u8]>) -> Result<Map<String, Value>> {
    let Some(bytes) = bytes else { return Ok(Map::new()) };
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(Error::DefaultsNotAnObject),
        Err(e) => Err(Error::json(Path::new("--defaults"), Action::Read, &e)),
    }
}

/// One label, signed and passed by the gate, not yet written.
struct Made {
    entry: Entry,
    stem: String,
    report_file: Vec<u8>,
}

/// What becomes of a made label's report.
enum Fate {
    Write,
    Keep,
}

struct Run<'a> {
    gate: &'a Gate,
    key: &'a Key,
    dir: &'a Path,
    location: Option<String>,
    issued_at: Timestamp,
}

impl Run<'_> {
    fn make(&self, plan: &Plan, serial: &str, number: Option<u64>) -> Result<Made> {
        let mut report: Report = plan.report.clone();
        report.serial = serial.to_owned();
        report.issued_at = self.issued_at;
        // A label carries its status where verifiers can fetch it: once the key list says.
        let status = number
            .filter(|_| self.gate.key_list().status_url.is_some())
            .and_then(StatusRef::of_number);
        let signed = sign_label(
            &report,
            self.key,
            &self.gate.key_list().verifier,
            self.location.clone(),
            status,
        )
        .map_err(|_| self.key.signing_failed())?;
        self.gate
            .pass(&signed.qr_text, &signed.report_file)
            .map_err(|refusal| Error::LabelRefused {
                serial: serial.to_owned(),
                refusal,
            })?;
        let digest = signed.digest;
        Ok(Made {
            entry: Entry {
                line: plan.line,
                serial: serial.to_owned(),
                kid: self.key.kid.clone(),
                qr_version: crate::qr::version(&signed.qr_text)?,
                status: status.map(StatusRef::number),
                report: format!("{serial}.jws"),
                digest: hex(&digest),
                qr_text: signed.qr_text,
            },
            stem: serial.to_owned(),
            report_file: signed.report_file,
        })
    }

    /// Whether the report already at `path` is kept, written (again), or stops the run.
    fn fate(&self, m: &Made) -> Result<Fate> {
        let path = self.dir.join(format!("{}.jws", m.stem));
        let Ok(existing) = std::fs::read(&path) else {
            return Ok(Fate::Write);
        };
        if existing == m.report_file {
            return Ok(Fate::Keep);
        }
        // A whole report signed by one of the authority's keys is published, or may be: never
        // written over. Anything else (cut short, not a report) was never whole.
        let whole = Jws::parse(&existing, MAX_REPORT_BYTES, TYP_REPORT).is_ok_and(|j| {
            Report::parse(&j.payload).is_ok()
                && self
                    .gate
                    .key_list()
                    .key(&j.kid)
                    .and_then(|k| k.verifying_key())
                    .is_some_and(|k| j.verify(&k))
        });
        if whole {
            return Err(Error::FinishedReportDiffers {
                path,
                serial: m.entry.serial.clone(),
            });
        }
        Ok(Fate::Write)
    }
}

/// Files held open at once to be synced together: well under the usual limit of open files.
const SYNC_GROUP: usize = 512;

/// Writes `files` (path, bytes) whole and durably: each to a file beside it, synced, renamed
/// into place, then each folder synced once. Files are made one after another (made at once,
/// they would queue on their folder's lock) and synced many at once.
fn write_all(files: &[(PathBuf, &[u8])]) -> Result<()> {
    let folders: BTreeSet<&Path> = files.iter().map(|(p, _)| durable::folder_of(p)).collect();
    for f in &folders {
        durable::create_folders(f)?;
    }
    let staged: Vec<PathBuf> = files
        .iter()
        .map(|(p, _)| {
            let mut tmp = p.as_os_str().to_owned();
            tmp.push(format!(".{}.partial", std::process::id()));
            PathBuf::from(tmp)
        })
        .collect();
    for (group, names) in files.chunks(SYNC_GROUP).zip(staged.chunks(SYNC_GROUP)) {
        let mut open = Vec::with_capacity(group.len());
        for ((_, bytes), tmp) in group.iter().zip(names) {
            let mut f = std::fs::File::create(tmp).map_err(|e| Error::io(tmp, Action::Write, &e))?;
            f.write_all(bytes).map_err(|e| Error::io(tmp, Action::Write, &e))?;
            durable::step(Step::Written);
            open.push((f, tmp));
        }
        let per = open.len().div_ceil(SYNC_THREADS).max(1);
        std::thread::scope(|s| {
            let runs: Vec<_> = open
                .chunks(per)
                .map(|run| {
                    s.spawn(move || -> Result<()> {
                        for (f, tmp) in run {
                            f.sync_data().map_err(|e| Error::io(tmp, Action::Sync, &e))?;
                            durable::step(Step::Synced);
                        }
                        Ok(())
                    })
                })
                .collect();
            for r in runs {
                r.join().map_err(|_| Error::WorkerFailed)??;
            }
            Ok::<(), Error>(())
        })?;
    }
    for (tmp, (target, _)) in staged.iter().zip(files) {
        std::fs::rename(tmp, target).map_err(|e| Error::io(target, Action::Write, &e))?;
        durable::step(Step::Renamed);
    }
    for f in folders {
        durable::sync_folder(f)?;
    }
    durable::step(Step::Published);
    Ok(())
}

/// What writes a batch's labels, chunk by chunk, and counts them.
struct Writer<'a> {
    dir: &'a Path,
    keys: &'a labelcheck_core::KeyList,
    artwork: Option<&'a Fonts>,
    manifest: manifest::Writer,
    signed_now: u64,
    kept: u64,
    first: Option<Entry>,
}

impl Writer<'_> {
    fn write(&mut self, made: Vec<(Made, Fate)>) -> Result<()> {
        let mut files: Vec<(PathBuf, &[u8])> = Vec::new();
        let mut art = Vec::new();
        for (m, fate) in &made {
            match fate {
                Fate::Write => {
                    files.push((self.dir.join(format!("{}.jws", m.stem)), &m.report_file));
                    self.signed_now += 1;
                }
                Fate::Keep => self.kept += 1,
            }
            if let Some(fonts) = self.artwork {
                art.push((m, artwork::render(&m.entry.qr_text, self.keys, fonts)?));
            }
        }
        write_all(&files)?;
        for (m, a) in &art {
            let stem = self.dir.join(&m.stem);
            let with = |ext: &str| {
                let mut p = stem.as_os_str().to_owned();
                p.push(ext);
                PathBuf::from(p)
            };
            durable::replace(&with(".svg"), a.svg.as_bytes())?;
            durable::replace(&with(".png"), &a.png)?;
            durable::replace(&with(".txt"), format!("{}\n", m.entry.qr_text).as_bytes())?;
        }
        for (m, _) in made {
            self.manifest.add(&m.entry)?;
            if self.first.is_none() {
                self.first = Some(m.entry);
            }
        }
        Ok(())
    }
}

/// Issues the batch `req` describes with `key`, for `authority`.
pub fn issue(authority: &Authority, key: &Key, req: &Request<'_>, progress: &dyn Progress) -> Result<Outcome> {
    let gate = &authority.gate;
    if let Some(loc) = req.report_location {
        if !labelcheck_core::fields::location_ok(loc) {
            return Err(Error::ReportLocation { url: loc.to_owned() });
        }
    }
    let defaults = read_defaults(req.defaults)?;
    let mut register = authority.open_register()?;
    let dir = stable_path(req.out_dir)?;
    let id = Identity::new(gate, key, req, &dir);
    // A batch run again signs at the time it was first issued at.
    let issued_at = register.issued_at(&id.batch).unwrap_or(gate.now());
    let context = plan::Context {
        gate,
        key,
        register: &register,
        batch: &id.batch,
        issued_at,
        location: req.report_location,
    };
    let (plans, bad) = plan::plan(rows::rows(req.input, req.kind, &defaults), &context);
    if req.strict && !bad.is_empty() {
        return Err(Error::BadRows { rows: bad });
    }
    let total: u64 = plans
        .iter()
        .map(|p| match p.units {
            Units::Count(n) => n,
            Units::Serial(_) => 1,
        })
        .sum();
    if total == 0 {
        return Ok(Outcome {
            total,
            signed_now: 0,
            kept: 0,
            bad,
            first: None,
        });
    }
    register.check_fits(&id.batch, total)?;
    bind_folder(&dir, &id)?;
    // The folder is this batch's and the register is locked: nothing else writes here now.
    durable::remove_leftovers(&dir);
    // Durable before any label under them is written.
    let wanted: Vec<Wanted<'_>> = plans
        .iter()
        .map(|p| Wanted {
            units: &p.units,
            kid: &key.kid,
            maker: &p.report.maker,
            model: &p.report.model,
        })
        .collect();
    let numbers = register.reserve(&id.batch, &wanted, issued_at)?;
    let run = Run {
        gate,
        key,
        dir: &dir,
        location: req.report_location.map(str::to_owned),
        issued_at,
    };
    progress.start(total);
    let manifest = manifest::Writer::create(&dir, &id.batch)?;
    let writer = Writer {
        dir: &dir,
        keys: gate.key_list(),
        artwork: req.artwork,
        manifest,
        signed_now: 0,
        kept: 0,
        first: None,
    };
    // Labels are signed on every core while the chunk before is written: writing is mostly
    // waiting for the disk.
    let written = std::thread::scope(|s| -> Result<Writer<'_>> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(Made, Fate)>>(1);
        let writing = s.spawn(move || -> Result<Writer<'_>> {
            let mut writer = writer;
            for made in rx {
                writer.write(made)?;
            }
            Ok(writer)
        });
        let signing = (|| -> Result<()> {
            let mut units: Vec<(usize, String, Option<u64>)> = Vec::with_capacity(CHUNK);
            let send = |units: &mut Vec<(usize, String, Option<u64>)>| -> Result<bool> {
                let made = parallel::map(units, |(p, serial, number)| {
                    let m = run.make(&plans[*p], serial, *number)?;
                    let fate = run.fate(&m)?;
                    Ok((m, fate))
                })?
                .into_iter()
                .collect::<Result<Vec<(Made, Fate)>>>()?;
                progress.advance(units.len() as u64);
                units.clear();
                // The writer stopped: its error is the run's.
                Ok(tx.send(made).is_ok())
            };
            for (i, (p, range)) in plans.iter().zip(&numbers).enumerate() {
                let count = match &p.units {
                    Units::Serial(s) => {
                        units.push((i, s.clone(), (!range.is_empty()).then_some(range.start)));
                        0
                    }
                    Units::Count(n) => *n,
                };
                for n in range.clone().take(count as usize) {
                    units.push((i, register.serial(n), Some(n)));
                    if units.len() == CHUNK && !send(&mut units)? {
                        return Ok(());
                    }
                }
                if units.len() >= CHUNK && !send(&mut units)? {
                    return Ok(());
                }
            }
            if !units.is_empty() {
                send(&mut units)?;
            }
            Ok(())
        })();
        drop(tx);
        let written = writing.join().map_err(|_| Error::WorkerFailed)?;
        // Labels already signed are written before a signing error is told.
        signing?;
        written
    })?;
    let outcome = Outcome {
        total,
        signed_now: written.signed_now,
        kept: written.kept,
        bad,
        first: written.first,
    };
    written.manifest.finish()?;
    progress.finish();
    drop(register);
    Ok(outcome)
}
