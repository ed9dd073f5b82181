//! Labels as PDF (with krilla; the fonts' subsets embedded, so a print shop needs nothing
//! installed): sheets of labels with crop marks, or one label per file. Text stays text.

use crate::error::{Error, Result};
use crate::font::Fonts;
use crate::layout::{Layout, Shape};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;

const PT_PER_MM: f32 = 72.0 / 25.4;
/// Space between labels on a sheet, where the crop marks go (mm).
const GAP: f32 = 8.0;
/// The sheet's unprinted border (mm): most office and label printers need about 5.
const SHEET_MARGIN: f32 = 10.0;
const CROP_MARK: f32 = 3.0;

/// The fonts as PDFs embed them.
pub struct PdfFonts<'f> {
    fonts: &'f Fonts,
    embedded: Vec<Font>,
}

impl<'f> PdfFonts<'f> {
    pub fn new(fonts: &'f Fonts) -> Result<PdfFonts<'f>> {
        let embedded = fonts
            .fonts
            .iter()
            .map(|f| Font::new(krilla::Data::from(f.data), 0).ok_or_else(|| Error::NotAFont { path: f.path.clone() }))
            .collect::<Result<Vec<_>>>()?;
        Ok(PdfFonts { fonts, embedded })
    }
}

fn colour((r, g, b): (u8, u8, u8)) -> krilla::paint::Paint {
    rgb::Color::new(r, g, b).into()
}

fn fill_with(c: (u8, u8, u8), rule: FillRule) -> Fill {
    Fill {
        paint: colour(c),
        opacity: NormalizedF32::ONE,
        rule,
    }
}

fn fill(c: (u8, u8, u8)) -> Fill {
    fill_with(c, FillRule::NonZero)
}

/// Draws `l` with its top left corner at (`ox`, `oy`) mm.
fn draw(s: &mut Surface<'_>, l: &Layout, ox: f32, oy: f32, font: &PdfFonts<'_>) {
    let p = |x: f32, y: f32| ((ox + x) * PT_PER_MM, (oy + y) * PT_PER_MM);
    for shape in &l.shapes {
        match shape {
            Shape::Rect { x, y, w, h, fill: c } => {
                let (px, py) = p(*x, *y);
                if let Some(r) = Rect::from_xywh(px, py, w * PT_PER_MM, h * PT_PER_MM) {
                    let mut pb = PathBuilder::new();
                    pb.push_rect(r);
                    if let Some(path) = pb.finish() {
                        s.set_stroke(None);
                        s.set_fill(Some(fill(*c)));
                        s.draw_path(&path);
                    }
                }
            }
            Shape::Rects { rects, fill: c } => {
                let mut pb = PathBuilder::new();
                for (x, y, w, h) in rects {
                    let (px, py) = p(*x, *y);
                    if let Some(r) = Rect::from_xywh(px, py, w * PT_PER_MM, h * PT_PER_MM) {
                        pb.push_rect(r);
                    }
                }
                if let Some(path) = pb.finish() {
                    s.set_stroke(None);
                    s.set_fill(Some(fill(*c)));
                    s.draw_path(&path);
                }
            }
            Shape::Path { outlines, colour: c } => {
                let mut pb = PathBuilder::new();
                for o in outlines {
                    for (i, (x, y)) in o.iter().enumerate() {
                        let (px, py) = p(*x, *y);
                        if i == 0 {
                            pb.move_to(px, py);
                        } else {
                            pb.line_to(px, py);
                        }
                    }
                    pb.close();
                }
                if let Some(path) = pb.finish() {
                    s.set_stroke(None);
                    s.set_fill(Some(fill_with(*c, FillRule::EvenOdd)));
                    s.draw_path(&path);
                }
            }
            Shape::Text {
                x,
                y,
                size,
                text,
                colour: c,
            } => {
                let mut left = x - font.fonts.width(text) * size / 2.0;
                s.set_stroke(None);
                s.set_fill(Some(fill(*c)));
                for (f, run) in font.fonts.runs(text) {
                    let (px, py) = p(left, *y);
                    if let Some(embedded) = font.embedded.get(f) {
                        s.draw_text(
                            Point::from_xy(px, py),
                            embedded.clone(),
                            size * PT_PER_MM,
                            run,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    left += font.fonts.width(run) * size;
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

/// Where a label went: page (0-based) and its top left corner (mm).
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    pub page: usize,
    pub x: f32,
    pub y: f32,
}

/// How many labels of `w`×`h` mm a sheet holds across and down.
pub fn grid(paper: Paper, w: f32, h: f32) -> (usize, usize) {
    let (pw, ph) = paper.size();
    let across = ((pw - 2.0 * SHEET_MARGIN + GAP) / (w + GAP)).floor().max(0.0) as usize;
    let down = ((ph - 2.0 * SHEET_MARGIN + GAP) / (h + GAP)).floor().max(0.0) as usize;
    (across, down)
}

fn crop_marks(s: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32) {
    let mut pb = PathBuilder::new();
    let pt = |v: f32| v * PT_PER_MM;
    for (cx, cy, dx, dy) in [
        (x, y, -1.0, -1.0),
        (x + w, y, 1.0, -1.0),
        (x, y + h, -1.0, 1.0),
        (x + w, y + h, 1.0, 1.0),
    ] {
        // Outside the label, starting 1 mm from its corner: a cut there leaves no mark on it.
        pb.move_to(pt(cx + dx), pt(cy));
        pb.line_to(pt(cx + dx * (1.0 + CROP_MARK)), pt(cy));
        pb.move_to(pt(cx), pt(cy + dy));
        pb.line_to(pt(cx), pt(cy + dy * (1.0 + CROP_MARK)));
    }
    if let Some(path) = pb.finish() {
        s.set_fill(None);
        s.set_stroke(Some(Stroke {
            paint: rgb::Color::new(0, 0, 0).into(),
            width: 0.25,
            ..Default::default()
        }));
        s.draw_path(&path);
    }
}

/// Sheets of `paper`, labels left to right and top to bottom, each with crop marks.
pub fn sheets(labels: &[Layout], paper: Paper, font: &PdfFonts<'_>) -> Result<(Vec<u8>, Vec<Placement>)> {
    // Labels of one run differ in height only by a line's fit: the grid takes the tallest.
    let w = labels.iter().map(|l| l.width).fold(1.0, f32::max);
    let h = labels.iter().map(|l| l.height).fold(1.0, f32::max);
    let (across, down) = grid(paper, w, h);
    if across == 0 || down == 0 {
        return Err(Error::LabelTooLargeForSheet { width: w, height: h });
    }
    let (pw, ph) = paper.size();
    let per_page = across * down;
    // The grid centred on the sheet.
    let x0 = (pw - (across as f32 * (w + GAP) - GAP)) / 2.0;
    let y0 = (ph - (down as f32 * (h + GAP) - GAP)) / 2.0;
    let mut doc = Document::new();
    let mut placements = Vec::with_capacity(labels.len());
    for (page_no, chunk) in labels.chunks(per_page).enumerate() {
        let settings = PageSettings::from_wh(pw * PT_PER_MM, ph * PT_PER_MM).ok_or(Error::WorkerFailed)?;
        let mut page = doc.start_page_with(settings);
        let mut s = page.surface();
        for (i, l) in chunk.iter().enumerate() {
            let x = x0 + (i % across) as f32 * (w + GAP);
            let y = y0 + (i / across) as f32 * (h + GAP);
            draw(&mut s, l, x, y, font);
            crop_marks(&mut s, x, y, w, h);
            placements.push(Placement { page: page_no, x, y });
        }
        s.finish();
        page.finish();
    }
    let pdf = doc.finish().map_err(|e| Error::Pdf(format!("{e:?}")))?;
    Ok((pdf, placements))
}

/// One label on a page of its own size: artwork for a printer's own layout.
pub fn single(label: &Layout, font: &PdfFonts<'_>) -> Result<Vec<u8>> {
    let mut doc = Document::new();
    let settings =
        PageSettings::from_wh(label.width * PT_PER_MM, label.height * PT_PER_MM).ok_or(Error::WorkerFailed)?;
    let mut page = doc.start_page_with(settings);
    let mut s = page.surface();
    draw(&mut s, label, 0.0, 0.0, font);
    s.finish();
    page.finish();
    doc.finish().map_err(|e| Error::Pdf(format!("{e:?}")))
}
