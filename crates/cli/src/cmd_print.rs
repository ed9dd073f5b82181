//! `labelcheck print`: issued labels laid out for print, from a batch's manifest, and with
//! `--check` proved to scan: what was written is rendered and every label read back.

use crate::args::PrintArgs;
use crate::cmd_issue::read_key_list;
use crate::error::{at, err, Result};
use crate::files;
use crate::print_check::{self, Expected};
use crate::print_layout::{layout, min_width, LabelContent, Layout};
use crate::print_render::{self, Paper, Placement, PrintFont};
use crate::qr::{self, Qr};
use labelcheck_core::claim::SignedClaim;
use labelcheck_core::label_url::{classify, QrText};
use labelcheck_core::KeyList;
use serde_json::Value;
use std::path::Path;
use std::process::ExitCode;

/// The manifest of a batch of a million labels is about 600 MB; a print run is smaller.
const MAX_MANIFEST_BYTES: usize = 1 << 30;

struct Entry {
    serial: String,
    qr_text: String,
}

fn read_manifest(path: &Path) -> Result<Vec<Entry>> {
    let bytes = files::read_limited(path, MAX_MANIFEST_BYTES)?;
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut out = Vec::new();
    if is_csv {
        let mut r = csv::Reader::from_reader(&bytes[..]);
        let head = r.headers().map_err(|e| at(path, "read", e))?.clone();
        let col = |name: &str| {
            head.iter()
                .position(|h| h == name)
                .ok_or_else(|| err(format!("{}: no {name} column", path.display())))
        };
        let (s, t) = (col("serial")?, col("qr_text")?);
        for rec in r.records() {
            let rec = rec.map_err(|e| at(path, "read", e))?;
            out.push(Entry {
                serial: rec.get(s).unwrap_or_default().to_owned(),
                qr_text: rec.get(t).unwrap_or_default().to_owned(),
            });
        }
    } else {
        let v: Value = serde_json::from_slice(&bytes).map_err(|e| at(path, "read JSON from", e))?;
        let labels = v["labels"]
            .as_array()
            .ok_or_else(|| err(format!("{}: not a batch manifest (no labels)", path.display())))?;
        for l in labels {
            out.push(Entry {
                serial: l["serial"].as_str().unwrap_or_default().to_owned(),
                qr_text: l["qr_text"].as_str().unwrap_or_default().to_owned(),
            });
        }
    }
    if out.is_empty() {
        return Err(err(format!("{}: no labels to print", path.display())));
    }
    Ok(out)
}

/// What a label shows, from its own QR text: nothing printed can disagree with what it encodes.
fn content<'a>(e: &Entry, qr: &'a Qr, keys: &'a KeyList, claim: &'a SignedClaim) -> Result<LabelContent<'a>> {
    let c = &claim.claim;
    if c.serial != e.serial {
        return Err(err(format!(
            "manifest serial {} has the QR text of {}",
            e.serial, c.serial
        )));
    }
    let programme = keys.programme(c.programme).ok_or_else(|| {
        err(format!(
            "{}: programme {} is not in the key list",
            e.serial, c.programme
        ))
    })?;
    Ok(LabelContent {
        programme_en: &programme.name.en,
        programme_zh: &programme.name.zh,
        level: c.level,
        max_level: programme.max_level,
        serial: &c.serial,
        qr,
        demo: keys.demo,
    })
}

fn parse_claim(e: &Entry) -> Result<SignedClaim> {
    let QrText::Label(link) = classify(&e.qr_text) else {
        return Err(err(format!("{}: the manifest's QR text is not a label link", e.serial)));
    };
    SignedClaim::parse(&link.claim).map_err(|x| err(format!("{}: the label cannot be read: {x}", e.serial)))
}

/// The QR codes and layouts of `entries`, made on every core.
fn lay_out(entries: &[Entry], keys: &KeyList, a: &PrintArgs, font: &PrintFont) -> Result<Vec<Layout>> {
    crate::parallel::map(entries, |e| {
        let claim = parse_claim(e)?;
        let q = qr::encode(&e.qr_text)?;
        layout(&content(e, &q, keys, &claim)?, a.width, a.min_module, font)
    })?
    .into_iter()
    .collect()
}

/// `sheets.pdf`, or `sheets-0001.pdf`, … when the run takes several files.
fn file_name(out: &Path, index: usize, files: usize) -> std::path::PathBuf {
    if files <= 1 {
        return out.to_owned();
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!("{stem}-{:04}.pdf", index + 1))
}

pub fn run(a: PrintArgs) -> Result<ExitCode> {
    let paper = match a.paper.to_ascii_lowercase().as_str() {
        "a4" => Paper::A4,
        "letter" => Paper::Letter,
        other => return Err(err(format!("--paper {other}: use a4 or letter"))),
    };
    if !(0.1..=5.0).contains(&a.min_module) || !(10.0..=300.0).contains(&a.width) {
        return Err(err("--min-module takes 0.1 to 5 mm, --width 10 to 300 mm"));
    }
    let keys = read_key_list(&a.keys)?;
    let entries = read_manifest(&a.manifest)?;
    let font = PrintFont::load(&a.font)?;
    // Refused before anything is written when one label is too small for its code.
    let versions = entries
        .iter()
        .map(|e| qr::version(&e.qr_text))
        .collect::<Result<Vec<_>>>()?;
    let v = versions.iter().copied().max().unwrap_or(1);
    let need = min_width(qr::width_of(v), a.min_module);
    if a.width + 1e-4 < need {
        return Err(err(format!(
            "a label {} mm wide is too small for QR version {v} at {} mm per module: use at least {need} mm (--width)",
            a.width, a.min_module
        )));
    }
    let first = lay_out(&entries[..1], &keys, &a, &font)?;
    let per_file = if a.single {
        entries.len()
    } else {
        let (across, down) = print_render::grid(paper, first[0].width, first[0].height);
        // A print run of 100,000 labels is many files of a size a print shop's software opens,
        // and memory stays bounded.
        (across * down).max(1) * a.sheets_per_file.max(1)
    };
    let chunks: Vec<&[Entry]> = entries.chunks(per_file).collect();
    let mut sizes = Sizes::default();
    let (mut pages, mut read) = (0, vec![(0u32, 0usize); print_check::RESOLUTIONS.len()]);
    let mut written = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let layouts = lay_out(chunk, &keys, &a, &font)?;
        layouts.iter().for_each(|l| sizes.add(l));
        if a.single {
            std::fs::create_dir_all(&a.out).map_err(|e| at(&a.out, "create", e))?;
            for (l, e) in layouts.iter().zip(chunk.iter()) {
                let stem = files::serial_path(&e.serial)
                    .ok_or_else(|| err(format!("serial {} cannot name a file", e.serial)))?;
                let pdf = a.out.join(format!("{stem}.pdf"));
                files::write(&pdf, &print_render::single(l, &font)?)?;
                files::write(&a.out.join(format!("{stem}.svg")), print_render::svg(l).as_bytes())?;
                if a.check {
                    let one = [expect(
                        e,
                        l,
                        Placement {
                            page: 0,
                            x: 0.0,
                            y: 0.0,
                        },
                    )];
                    add(&mut read, print_check::check(&pdf, &one, &keys)?);
                }
            }
            continue;
        }
        let path = file_name(&a.out, i, chunks.len());
        let (pdf, placements) = print_render::sheets(&layouts, paper, &font)?;
        files::write(&path, &pdf)?;
        pages += placements.last().map_or(0, |p| p.page + 1);
        if a.check {
            let expected: Vec<Expected<'_>> = layouts
                .iter()
                .zip(chunk.iter())
                .zip(&placements)
                .map(|((l, e), p)| expect(e, l, *p))
                .collect();
            add(&mut read, print_check::check(&path, &expected, &keys)?);
        }
        written.push(path.display().to_string());
    }
    let sizes = sizes.say(a.width, a.min_module);
    if a.single {
        eprintln!(
            "labelcheck: {} label(s) written to {} as PDF and SVG; {sizes}",
            entries.len(),
            a.out.display()
        );
    } else {
        eprintln!(
            "labelcheck: {} label(s) on {pages} {paper:?} sheet(s) in {}; {sizes}",
            entries.len(),
            written.join(", ")
        );
    }
    if a.check {
        let said: Vec<String> = read.iter().map(|(dpi, n)| format!("{n} at {dpi} dpi")).collect();
        eprintln!(
            "labelcheck: print check passed: every label read back and verified ({})",
            said.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn expect<'a>(e: &'a Entry, l: &Layout, placement: Placement) -> Expected<'a> {
    Expected {
        serial: &e.serial,
        placement,
        width: l.width,
        height: l.height,
    }
}

fn add(total: &mut [(u32, usize)], more: Vec<(u32, usize)>) {
    for (t, (dpi, n)) in total.iter_mut().zip(more) {
        *t = (dpi, t.1 + n);
    }
}

/// The sizes printed, for the message: label, code with quiet zone, module (mm).
struct Sizes {
    height: f32,
    qr: (f32, f32),
    module: (f32, f32),
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes {
            height: 0.0,
            qr: (f32::MAX, 0.0),
            module: (f32::MAX, 0.0),
        }
    }
}

impl Sizes {
    fn add(&mut self, l: &Layout) {
        self.height = self.height.max(l.height);
        self.qr = (self.qr.0.min(l.qr_box.2), self.qr.1.max(l.qr_box.2));
        self.module = (self.module.0.min(l.module), self.module.1.max(l.module));
    }

    fn say(&self, width: f32, min_module: f32) -> String {
        format!(
            "labels {width:.1} × {:.1} mm, QR codes {} mm wide with their quiet zone, modules {} mm (at least {min_module})",
            self.height,
            range(self.qr.0, self.qr.1),
            range(self.module.0, self.module.1),
        )
    }
}

fn range(lo: f32, hi: f32) -> String {
    if (hi - lo).abs() < 0.005 {
        format!("{lo:.2}")
    } else {
        format!("{lo:.2}–{hi:.2}")
    }
}
