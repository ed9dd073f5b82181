//! The print check: the PDF as written is rendered (poppler's `pdftoppm`) at print resolution
//! and at a phone-like lower one, every label is cut out of its page where the layout put it
//! and read with the app's decoder, and what it reads is verified by the [gate](crate::gate)
//! — the core's verifier, with the label's report from the batch — and must be the genuine
//! label of the serial it was made for. A label that fails is named with its page.

use crate::error::{Action, CheckFailure, Error, Result};
use crate::gate::{judge, Gate};
use crate::parallel;
use crate::pdf::Placement;
use labelcheck_core::claim::SignedClaim;
use labelcheck_core::label_url::{classify, QrText};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Print resolution, and about what a phone's camera gives of a label held at reading
/// distance (a 0.33 mm module comes out at two pixels).
pub const RESOLUTIONS: [u32; 2] = [300, 150];

/// What the check expects of one label.
pub struct Expected<'a> {
    pub serial: &'a str,
    /// Its signed report, as the batch wrote it.
    pub report: &'a [u8],
    pub placement: Placement,
    pub width: f32,
    pub height: f32,
}

/// Renders pages `first..=last` (1-based) of `pdf` at `dpi`, in grey, into `work`. PGM, not
/// PNG: compressing the pages would take pdftoppm five times longer than drawing them.
fn render(pdf: &Path, (first, last): (usize, usize), dpi: u32, work: &Path) -> Result<()> {
    let prefix = work.join(format!("p{dpi}"));
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray"])
        .args(["-f", &first.to_string(), "-l", &last.to_string()])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .map_err(|e| Error::NoPdftoppm(e.to_string()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::Pdftoppm {
            path: pdf.to_owned(),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// All pages at `dpi`, several pdftoppm at once (one per core, each a run of pages); the
/// pages' files in order.
fn render_all(pdf: &Path, pages: usize, dpi: u32, work: &Path) -> Result<Vec<PathBuf>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = pages.div_ceil(threads).max(1);
    let ranges: Vec<(usize, usize)> = (0..pages)
        .step_by(per)
        .map(|start| (start + 1, (start + per).min(pages)))
        .collect();
    parallel::map(&ranges, |r| render(pdf, *r, dpi, work))?
        .into_iter()
        .collect::<Result<()>>()?;
    // pdftoppm numbers pages with as many digits as the document's last page needs.
    let digits = pages.to_string().len();
    Ok((1..=pages)
        .map(|n| work.join(format!("p{dpi}-{n:0digits$}.pgm")))
        .collect())
}

/// A binary PGM (P5, 8 bits), as pdftoppm writes it.
fn read_pgm(path: &Path) -> Option<image::GrayImage> {
    let bytes = std::fs::read(path).ok()?;
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..i]).ok()?);
    }
    let (w, h): (u32, u32) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
    (fields[0] == "P5" && fields[3] == "255").then_some(())?;
    let data = bytes.get(i + 1..i + 1 + (w as usize) * (h as usize))?;
    image::GrayImage::from_raw(w, h, data.to_vec())
}

/// Why one printed label did not read back as the genuine label it was made for.
fn check_one(texts: &[String], want: &Expected<'_>, gate: &Gate) -> std::result::Result<(), CheckFailure> {
    let text = match texts {
        [] => return Err(CheckFailure::NoCode),
        [t] => t,
        _ => return Err(CheckFailure::SeveralCodes(texts.len())),
    };
    judge(gate.verdict(text, want.report)).map_err(CheckFailure::NotGenuine)?;
    let serial = match classify(text) {
        QrText::Label(link) => SignedClaim::parse(&link.claim).map(|s| s.claim.serial).ok(),
        _ => None,
    };
    match serial {
        Some(s) if s == want.serial => Ok(()),
        other => Err(CheckFailure::OtherSerial(other.unwrap_or_default())),
    }
}

/// Every label of one rendered page: the failures.
fn check_page(file: &Path, page: usize, dpi: u32, labels: &[Expected<'_>], gate: &Gate) -> Vec<Failed> {
    let Some(img) = read_pgm(file) else {
        return vec![Failed {
            page: page + 1,
            serial: String::new(),
            dpi,
            why: CheckFailure::PageUnreadable,
        }];
    };
    let _ = std::fs::remove_file(file);
    let px = dpi as f32 / 25.4;
    let mut failures = Vec::new();
    for l in labels.iter().filter(|l| l.placement.page == page) {
        // The label's cell and a millimetre round it: the quiet zone is inside.
        let x = ((l.placement.x - 1.0) * px).max(0.0) as u32;
        let y = ((l.placement.y - 1.0) * px).max(0.0) as u32;
        let w = (((l.width + 2.0) * px) as u32).min(img.width().saturating_sub(x));
        let h = (((l.height + 2.0) * px) as u32).min(img.height().saturating_sub(y));
        let cell = image::imageops::crop_imm(&img, x, y, w, h).to_image();
        let luma = labelcheck_scan::Luma {
            width: cell.width() as usize,
            height: cell.height() as usize,
            pixels: cell.as_raw(),
        };
        let texts = labelcheck_scan::decode(luma).unwrap_or_default();
        if let Err(why) = check_one(&texts, l, gate) {
            failures.push(Failed {
                page: page + 1,
                serial: l.serial.to_owned(),
                dpi,
                why,
            });
        }
    }
    failures
}

/// A label that did not read back: where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failed {
    pub page: usize,
    pub serial: String,
    pub dpi: u32,
    pub why: CheckFailure,
}

/// Checks every label of `pdf`; returns how many were read at each resolution, or the list of
/// failures. Pages are decoded on every core.
pub fn check(pdf: &Path, labels: &[Expected<'_>], gate: &Gate) -> Result<Vec<(u32, usize)>> {
    let work = tempfile_dir(pdf)?;
    let pages = labels.iter().map(|l| l.placement.page).max().map_or(0, |p| p + 1);
    let mut failures = Vec::new();
    let mut read = Vec::new();
    labelcheck_scan::quiet_decoder_panics();
    for dpi in RESOLUTIONS {
        let files = match render_all(pdf, pages, dpi, &work) {
            Ok(f) => f,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&work);
                return Err(e);
            }
        };
        let pages: Vec<(usize, &PathBuf)> = files.iter().enumerate().collect();
        let found: Vec<Failed> = parallel::map(&pages, |(page, file)| check_page(file, *page, dpi, labels, gate))?
            .into_iter()
            .flatten()
            .collect();
        read.push((dpi, labels.len() - found.len()));
        failures.extend(found);
    }
    let _ = std::fs::remove_dir_all(&work);
    if failures.is_empty() {
        Ok(read)
    } else {
        failures.sort_by_key(|f| (f.page, f.serial.clone(), std::cmp::Reverse(f.dpi)));
        Err(Error::PrintCheckFailed { failures })
    }
}

/// A private folder for the rendered pages, beside the PDF.
fn tempfile_dir(pdf: &Path) -> Result<std::path::PathBuf> {
    let parent = pdf
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = pdf
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = parent.join(format!(".{name}.check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, Action::Create, &e))?;
    Ok(dir)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn pgm_pages_are_read_and_anything_else_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.pgm");
        std::fs::write(&p, b"P5\n3 2\n255\n\x00\x01\x02\x03\x04\x05").unwrap();
        let img = read_pgm(&p).unwrap();
        assert_eq!((img.width(), img.height(), img.get_pixel(2, 1).0[0]), (3, 2, 5));
        for bad in [
            &b"P5\n3 2\n255\n\x00"[..],
            b"P6\n1 1\n255\n\x00\x00\x00",
            b"P5\n1 1\n65535\n\x00\x00",
            b"",
        ] {
            std::fs::write(&p, bad).unwrap();
            assert!(read_pgm(&p).is_none());
        }
    }
}
