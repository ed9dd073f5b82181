//! A batch's manifest: every label of the batch, in order — the row it came from, serial,
//! signing key, QR version, report file, report digest and QR text — as `manifest.csv`,
//! `manifest.json` and `qr-texts.txt` (one QR text per line). Written beside the reports as
//! labels are done, and published (synced and renamed into place) only when the batch is
//! complete, so a manifest is never of half a batch.

use crate::durable::{self, Step};
use crate::error::{Action, Error, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub const FILES: [&str; 3] = ["manifest.csv", "manifest.json", "qr-texts.txt"];
/// The manifest of a batch of a million labels is about 600 MB; a print run is smaller.
const MAX_MANIFEST_BYTES: usize = 1 << 30;

/// One label of the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub serial: String,
    pub kid: String,
    pub qr_version: i16,
    /// The label's status number (its place in the status list), if it carries one.
    pub status: Option<u64>,
    /// The report file, relative to the manifest's folder.
    pub report: String,
    pub digest: String,
    pub qr_text: String,
}

pub struct Writer {
    csv: csv::Writer<BufWriter<File>>,
    json: BufWriter<File>,
    texts: BufWriter<File>,
    first: bool,
    /// (being written, published as)
    paths: [(PathBuf, PathBuf); 3],
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, Action::Write, &e)
}

impl Writer {
    pub fn create(dir: &Path, batch: &str) -> Result<Writer> {
        let paths = FILES.map(|n| (dir.join(format!("{n}.partial")), dir.join(n)));
        let open = |p: &Path| File::create(p).map(BufWriter::new).map_err(io(p));
        let mut csv = csv::Writer::from_writer(open(&paths[0].0)?);
        csv.write_record([
            "line",
            "serial",
            "kid",
            "qr_version",
            "status",
            "report",
            "digest",
            "qr_text",
        ])
        .map_err(|e| Error::io(&paths[0].0, Action::Write, &std::io::Error::other(e.to_string())))?;
        let mut json = open(&paths[1].0)?;
        write!(json, "{{\"batch\":\"{batch}\",\"labels\":[").map_err(io(&paths[1].0))?;
        let texts = open(&paths[2].0)?;
        Ok(Writer {
            csv,
            json,
            texts,
            first: true,
            paths,
        })
    }

    pub fn add(&mut self, d: &Entry) -> Result<()> {
        let version = d.qr_version.to_string();
        let line = d.line.to_string();
        let status = d.status.map(|s| s.to_string()).unwrap_or_default();
        self.csv
            .write_record([
                &line, &d.serial, &d.kid, &version, &status, &d.report, &d.digest, &d.qr_text,
            ])
            .map_err(|e| Error::io(&self.paths[0].0, Action::Write, &std::io::Error::other(e.to_string())))?;
        let row = serde_json::json!({
            "line": d.line, "serial": d.serial, "kid": d.kid, "qr_version": d.qr_version,
            "status": d.status, "report": d.report, "digest": d.digest, "qr_text": d.qr_text,
        });
        let sep = if std::mem::take(&mut self.first) { "\n" } else { ",\n" };
        write!(self.json, "{sep}{row}").map_err(io(&self.paths[1].0))?;
        writeln!(self.texts, "{}", d.qr_text).map_err(io(&self.paths[2].0))
    }

    /// Syncs the three files and renames them into place.
    pub fn finish(mut self) -> Result<()> {
        self.csv
            .flush()
            .map_err(|e| Error::io(&self.paths[0].0, Action::Write, &e))?;
        writeln!(self.json, "\n]}}").map_err(io(&self.paths[1].0))?;
        let csv = self
            .csv
            .into_inner()
            .map_err(|e| Error::io(&self.paths[0].0, Action::Write, e.error()))?;
        let files = [csv, self.json, self.texts];
        for (w, (partial, _)) in files.into_iter().zip(&self.paths) {
            let f = w
                .into_inner()
                .map_err(|e| Error::io(partial, Action::Write, e.error()))?;
            f.sync_all().map_err(|e| Error::io(partial, Action::Sync, &e))?;
        }
        durable::step(Step::Synced);
        for (partial, target) in &self.paths {
            std::fs::rename(partial, target).map_err(io(target))?;
        }
        durable::step(Step::Renamed);
        durable::sync_folder(durable::folder_of(&self.paths[0].1))?;
        durable::step(Step::Published);
        Ok(())
    }
}

/// The labels of a manifest (`manifest.json` or `manifest.csv`), with the folder its report
/// paths are relative to.
pub fn read(path: &Path) -> Result<Vec<Entry>> {
    let bytes = durable::read_limited(path, MAX_MANIFEST_BYTES)?;
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let not_a_manifest = || Error::NotAManifest { path: path.to_owned() };
    let mut out = Vec::new();
    if is_csv {
        let mut r = csv::Reader::from_reader(&bytes[..]);
        let head = r.headers().map_err(|_| not_a_manifest())?.clone();
        let col = |name: &str| head.iter().position(|h| h == name).ok_or_else(not_a_manifest);
        let cols = [
            col("line")?,
            col("serial")?,
            col("kid")?,
            col("qr_version")?,
            col("report")?,
            col("digest")?,
            col("qr_text")?,
        ];
        for rec in r.records() {
            let rec = rec.map_err(|_| not_a_manifest())?;
            let cell = |i: usize| rec.get(cols[i]).unwrap_or_default().to_owned();
            out.push(Entry {
                line: cell(0).parse().unwrap_or(0),
                serial: cell(1),
                kid: cell(2),
                qr_version: cell(3).parse().unwrap_or(0),
                status: head
                    .iter()
                    .position(|h| h == "status")
                    .and_then(|i| rec.get(i)?.parse().ok()),
                report: cell(4),
                digest: cell(5),
                qr_text: cell(6),
            });
        }
    } else {
        let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| not_a_manifest())?;
        let labels = v.get("labels").and_then(|l| l.as_array()).ok_or_else(not_a_manifest)?;
        for l in labels {
            let text = |k: &str| l.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let number = |k: &str| l.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
            out.push(Entry {
                line: number("line") as usize,
                serial: text("serial"),
                kid: text("kid"),
                qr_version: number("qr_version") as i16,
                status: l.get("status").and_then(|v| v.as_u64()),
                report: text("report"),
                digest: text("digest"),
                qr_text: text("qr_text"),
            });
        }
    }
    if out.is_empty() {
        return Err(Error::NothingToPrint { path: path.to_owned() });
    }
    Ok(out)
}
