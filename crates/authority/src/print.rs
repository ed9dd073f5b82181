//! Printing a batch: its labels laid out (the one [layout](crate::layout)) as PDF sheets with
//! crop marks, or one PDF and SVG per label, and with `check`, proved to scan: what was
//! written is rendered and every label read back and verified by the [gate](crate::gate).
//! Checked output is written beside its place and moved there only once the check passed: a
//! print that failed its check is never left where a usable one would be.

use crate::authority::Authority;
use crate::durable;
use crate::error::{Action, Error, Result};
use crate::font::Fonts;
use crate::layout::{content, layout, min_width, Layout};
use crate::manifest::{self, Entry};
use crate::parallel;
use crate::pdf::{self, Paper, PdfFonts, Placement};
use crate::print_check::{self, Expected};
use labelcheck_core::limits::MAX_REPORT_BYTES;
use std::path::{Path, PathBuf};

pub struct Request<'a> {
    pub manifest: &'a Path,
    /// The PDF of sheets; with `single`, a folder for `SERIAL.pdf` and `SERIAL.svg`.
    pub out: &'a Path,
    pub single: bool,
    pub paper: Paper,
    /// At most this many sheets per PDF: a longer run is several files.
    pub sheets_per_file: usize,
    /// Label width and the smallest QR module (mm).
    pub width: f32,
    pub min_module: f32,
    pub check: bool,
    pub fonts: &'a Fonts,
}

/// The sizes printed: label height, code with quiet zone, module (mm), as ranges.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    pub height: f32,
    pub qr: (f32, f32),
    pub module: (f32, f32),
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
}

pub struct Printed {
    pub labels: usize,
    pub pages: usize,
    pub files: Vec<PathBuf>,
    pub sizes: Sizes,
    /// With the check: labels read back and verified at each resolution.
    pub read: Vec<(u32, usize)>,
}

/// `sheets.pdf`, or `sheets-0001.pdf`, … when the run takes several files.
fn file_name(out: &Path, index: usize, files: usize) -> PathBuf {
    if files <= 1 {
        return out.to_owned();
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!("{stem}-{:04}.pdf", index + 1))
}

/// The file a checked output is written to until its check passes.
fn pending(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(format!(".{}.unchecked", std::process::id()));
    PathBuf::from(p)
}

/// The layouts of `entries`, made on every core. What each label shows comes from its own QR
/// text; a manifest row whose text is of another serial is refused.
fn lay_out(entries: &[Entry], a: &Authority, r: &Request<'_>) -> Result<Vec<Layout>> {
    parallel::map(entries, |e| {
        let c = content(&e.qr_text, a.gate.key_list())?;
        if c.serial != e.serial {
            return Err(Error::ManifestMismatch {
                serial: e.serial.clone(),
                qr_serial: c.serial,
            });
        }
        layout(&c, r.width, r.min_module, r.fonts)
    })?
    .into_iter()
    .collect()
}

fn reports(entries: &[Entry], folder: &Path) -> Result<Vec<Vec<u8>>> {
    entries
        .iter()
        .map(|e| durable::read_limited(&folder.join(&e.report), MAX_REPORT_BYTES))
        .collect()
}

/// Prints the labels of `r.manifest`.
pub fn print(a: &Authority, r: &Request<'_>) -> Result<Printed> {
    if !(0.1..=5.0).contains(&r.min_module) || !(10.0..=300.0).contains(&r.width) {
        return Err(Error::PrintSize {
            width: r.width,
            min_module: r.min_module,
        });
    }
    let entries = manifest::read(r.manifest)?;
    let folder = durable::folder_of(r.manifest);
    let pdf_fonts = PdfFonts::new(r.fonts)?;
    // Refused before anything is written when one label is too small for its code.
    let versions = entries
        .iter()
        .map(|e| crate::qr::version(&e.qr_text))
        .collect::<Result<Vec<_>>>()?;
    let v = versions.iter().copied().max().unwrap_or(1);
    let need = min_width(crate::qr::width_of(v), r.min_module);
    if r.width + 1e-4 < need {
        return Err(Error::LabelTooNarrow {
            width: r.width,
            version: v,
            min_module: r.min_module,
            need,
        });
    }
    let first = lay_out(&entries[..1], a, r)?;
    let per_file = if r.single {
        entries.len()
    } else {
        let (across, down) = pdf::grid(r.paper, first[0].width, first[0].height);
        // A print run of 100,000 labels is many files of a size a print shop's software opens,
        // and memory stays bounded.
        (across * down).max(1) * r.sheets_per_file.max(1)
    };
    let chunks: Vec<&[Entry]> = entries.chunks(per_file).collect();
    let mut out = Printed {
        labels: entries.len(),
        pages: 0,
        files: Vec::new(),
        sizes: Sizes::default(),
        read: print_check::RESOLUTIONS.iter().map(|d| (*d, 0)).collect(),
    };
    // (written to, its place): moved into place once every check passed.
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = print_chunks(a, r, &chunks, folder, &pdf_fonts, &mut out, &mut staged);
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (tmp, place) in &staged {
        if tmp != place {
            std::fs::rename(tmp, place).map_err(|e| Error::io(place, Action::Write, &e))?;
        }
    }
    if let Some((_, place)) = staged.first() {
        durable::sync_folder(durable::folder_of(place))?;
    }
    Ok(out)
}

fn print_chunks(
    a: &Authority,
    r: &Request<'_>,
    chunks: &[&[Entry]],
    folder: &Path,
    fonts: &PdfFonts<'_>,
    out: &mut Printed,
    staged: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<()> {
    let write = |place: &Path, bytes: &[u8], staged: &mut Vec<(PathBuf, PathBuf)>| -> Result<PathBuf> {
        let to = if r.check { pending(place) } else { place.to_owned() };
        durable::create_folders(durable::folder_of(&to))?;
        std::fs::write(&to, bytes)
            .and_then(|_| std::fs::File::open(&to)?.sync_all())
            .map_err(|e| Error::io(&to, Action::Write, &e))?;
        staged.push((to.clone(), place.to_owned()));
        Ok(to)
    };
    for (i, chunk) in chunks.iter().enumerate() {
        let layouts = lay_out(chunk, a, r)?;
        layouts.iter().for_each(|l| out.sizes.add(l));
        let reports = if r.check { reports(chunk, folder)? } else { Vec::new() };
        let expect = |j: usize, l: &Layout, placement: Placement| Expected {
            serial: &chunk[j].serial,
            report: reports.get(j).map_or(&[][..], Vec::as_slice),
            placement,
            width: l.width,
            height: l.height,
        };
        if r.single {
            for (j, (l, e)) in layouts.iter().zip(chunk.iter()).enumerate() {
                let stem = r.out.join(&e.serial);
                let with = |ext: &str| {
                    let mut p = stem.as_os_str().to_owned();
                    p.push(ext);
                    PathBuf::from(p)
                };
                let pdf_path = write(&with(".pdf"), &pdf::single(l, fonts)?, staged)?;
                write(&with(".svg"), crate::svg::svg(l, r.fonts).as_bytes(), staged)?;
                if r.check {
                    let placed = Placement {
                        page: 0,
                        x: 0.0,
                        y: 0.0,
                    };
                    add(
                        &mut out.read,
                        print_check::check(&pdf_path, &[expect(j, l, placed)], &a.gate)?,
                    );
                }
            }
            out.pages += layouts.len();
            continue;
        }
        let place = file_name(r.out, i, chunks.len());
        let (pdf, placements) = pdf::sheets(&layouts, r.paper, fonts)?;
        let written = write(&place, &pdf, staged)?;
        out.pages += placements.last().map_or(0, |p| p.page + 1);
        if r.check {
            let expected: Vec<Expected<'_>> = layouts
                .iter()
                .zip(&placements)
                .enumerate()
                .map(|(j, (l, p))| expect(j, l, *p))
                .collect();
            add(&mut out.read, print_check::check(&written, &expected, &a.gate)?);
        }
        out.files.push(place);
    }
    if r.single {
        out.files.push(r.out.to_owned());
    }
    Ok(())
}

fn add(total: &mut [(u32, usize)], more: Vec<(u32, usize)>) {
    for (t, (dpi, n)) in total.iter_mut().zip(more) {
        *t = (dpi, t.1 + n);
    }
}
