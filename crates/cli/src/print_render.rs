//! Print labels out: PDF (with krilla; the font subset embedded, so a print shop needs
//! nothing installed) as sheets of N labels with crop marks or one label per file, and SVG.

use crate::error::{at, err, Result};
use crate::print_layout::{Layout, Measure, Shape};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use std::path::{Path, PathBuf};

const PT_PER_MM: f32 = 72.0 / 25.4;
/// Space between labels on a sheet, where the crop marks go (mm).
const GAP: f32 = 8.0;
/// The sheet's unprinted border (mm): most office and label printers need about 5.
const SHEET_MARGIN: f32 = 10.0;
const CROP_MARK: f32 = 3.0;

/// Fonts for the Latin and the Chinese the label carries, where Debian, Fedora, Arch and macOS
/// put them: the first present of each kind is used.
const LATIN_PLACES: [&str; 5] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
];
const CHINESE_PLACES: [&str; 6] = [
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
];

struct OneFont {
    font: Font,
    /// Parsed once: measuring text asks it for every character of every label.
    face: ttf_parser::Face<'static>,
}

impl OneFont {
    fn load(path: &Path) -> Result<OneFont> {
        let bytes = std::fs::read(path).map_err(|e| at(path, "read the font", e))?;
        // A font is loaded once per run and used to its end; kept for the process's life, it
        // can be parsed once and lent to both the measuring and the PDF.
        let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let bad = || err(format!("{} is not a font this tool can embed", path.display()));
        let font = Font::new(krilla::Data::from(data), 0).ok_or_else(bad)?;
        let face = ttf_parser::Face::parse(data, 0).map_err(|_| bad())?;
        Ok(OneFont { font, face })
    }

    /// The advance of `c` in ems, if the font has it.
    fn advance(&self, c: char) -> Option<f32> {
        let g = self.face.glyph_index(c)?;
        Some(f32::from(self.face.glyph_hor_advance(g)?) / f32::from(self.face.units_per_em()))
    }
}

/// The fonts text is set in, each character in the first that has it.
pub struct PrintFont {
    fonts: Vec<OneFont>,
}

impl PrintFont {
    /// The fonts given (in order), or a Latin and a Chinese font found on this system. Every
    /// character the labels print must be in one of them.
    pub fn load(paths: &[PathBuf]) -> Result<PrintFont> {
        let found = |places: &[&str]| places.iter().map(PathBuf::from).find(|p| p.is_file());
        let paths: Vec<PathBuf> = if paths.is_empty() {
            found(&LATIN_PLACES).into_iter().chain(found(&CHINESE_PLACES)).collect()
        } else {
            paths.to_vec()
        };
        let fonts = paths.iter().map(|p| OneFont::load(p)).collect::<Result<Vec<_>>>()?;
        let f = PrintFont { fonts };
        if let Some(c) = "Scan to verify 扫码验证 No.0123456789".chars().find(|c| !f.has(*c)) {
            return Err(err(format!(
                "no font here has {c:?}: install fonts-dejavu-core and fonts-droid-fallback (Debian), or pass --font \
                 FILE (a Latin and a Chinese font, the option twice)"
            )));
        }
        Ok(f)
    }

    fn pick(&self, c: char) -> Option<usize> {
        self.fonts.iter().position(|f| f.advance(c).is_some())
    }

    pub fn has(&self, c: char) -> bool {
        c.is_whitespace() || self.pick(c).is_some()
    }

    /// `text` cut where the font changes: (font, run).
    fn runs<'t>(&self, text: &'t str) -> Vec<(usize, &'t str)> {
        let mut out: Vec<(usize, &str)> = Vec::new();
        let mut start = 0;
        let mut current = None;
        for (i, c) in text.char_indices() {
            // Spaces stay with the run they are in.
            let f = if c == ' ' { current } else { self.pick(c).or(current) };
            if f != current && i > start {
                out.push((current.unwrap_or(0), &text[start..i]));
                start = i;
            }
            current = f.or(current);
        }
        if start < text.len() {
            out.push((current.unwrap_or(0), &text[start..]));
        }
        out
    }
}

impl Measure for PrintFont {
    fn width(&self, text: &str) -> f32 {
        self.runs(text)
            .iter()
            .flat_map(|(f, run)| run.chars().map(move |c| (*f, c)))
            .map(|(f, c)| self.fonts[f].advance(c).unwrap_or(0.5))
            .sum()
    }
}

fn colour((r, g, b): (u8, u8, u8)) -> krilla::paint::Paint {
    rgb::Color::new(r, g, b).into()
}

fn fill(c: (u8, u8, u8)) -> Fill {
    Fill {
        paint: colour(c),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// Draws `l` with its top left corner at (`ox`, `oy`) mm.
fn draw(s: &mut Surface<'_>, l: &Layout, ox: f32, oy: f32, font: &PrintFont) {
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
            Shape::Polygon {
                points,
                colour: c,
                stroke,
            } => {
                let mut pb = PathBuilder::new();
                for (i, (x, y)) in points.iter().enumerate() {
                    let (px, py) = p(*x, *y);
                    if i == 0 {
                        pb.move_to(px, py);
                    } else {
                        pb.line_to(px, py);
                    }
                }
                pb.close();
                if let Some(path) = pb.finish() {
                    match stroke {
                        Some(w) => {
                            s.set_fill(None);
                            s.set_stroke(Some(Stroke {
                                paint: colour(*c),
                                width: w * PT_PER_MM,
                                ..Default::default()
                            }));
                        }
                        None => {
                            s.set_stroke(None);
                            s.set_fill(Some(fill(*c)));
                        }
                    }
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
                let mut left = x - font.width(text) * size / 2.0;
                s.set_stroke(None);
                s.set_fill(Some(fill(*c)));
                for (f, run) in font.runs(text) {
                    let (px, py) = p(left, *y);
                    s.draw_text(
                        Point::from_xy(px, py),
                        font.fonts[f].font.clone(),
                        size * PT_PER_MM,
                        run,
                        false,
                        TextDirection::Auto,
                    );
                    left += font.width(run) * size;
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
pub fn sheets(labels: &[Layout], paper: Paper, font: &PrintFont) -> Result<(Vec<u8>, Vec<Placement>)> {
    // Labels of one run differ in height only by a line's fit: the grid takes the tallest.
    let w = labels.iter().map(|l| l.width).fold(1.0, f32::max);
    let h = labels.iter().map(|l| l.height).fold(1.0, f32::max);
    let (across, down) = grid(paper, w, h);
    if across == 0 || down == 0 {
        return Err(err(format!(
            "a label of {w:.1} × {h:.1} mm does not fit on a {paper:?} sheet: print it with --single"
        )));
    }
    let (pw, ph) = paper.size();
    let per_page = across * down;
    // The grid centred on the sheet.
    let x0 = (pw - (across as f32 * (w + GAP) - GAP)) / 2.0;
    let y0 = (ph - (down as f32 * (h + GAP) - GAP)) / 2.0;
    let mut doc = Document::new();
    let mut placements = Vec::with_capacity(labels.len());
    for (page_no, chunk) in labels.chunks(per_page).enumerate() {
        let settings = PageSettings::from_wh(pw * PT_PER_MM, ph * PT_PER_MM).ok_or_else(|| err("bad page size"))?;
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
    let pdf = doc.finish().map_err(|e| err(format!("cannot make the PDF: {e:?}")))?;
    Ok((pdf, placements))
}

/// One label on a page of its own size: artwork for a printer's own layout.
pub fn single(label: &Layout, font: &PrintFont) -> Result<Vec<u8>> {
    let mut doc = Document::new();
    let settings =
        PageSettings::from_wh(label.width * PT_PER_MM, label.height * PT_PER_MM).ok_or_else(|| err("bad page size"))?;
    let mut page = doc.start_page_with(settings);
    let mut s = page.surface();
    draw(&mut s, label, 0.0, 0.0, font);
    s.finish();
    page.finish();
    doc.finish().map_err(|e| err(format!("cannot make the PDF: {e:?}")))
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The label as SVG, sized in millimetres. Text stays text (for editing in artwork tools),
/// set in a font with Chinese that the viewer has.
pub fn svg(l: &Layout) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}mm\" height=\"{h}mm\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"'Droid Sans Fallback', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif\">\n",
        w = l.width,
        h = l.height
    );
    for shape in &l.shapes {
        match shape {
            Shape::Rect { x, y, w, h, fill } => out.push_str(&format!(
                "<rect x=\"{x:.3}\" y=\"{y:.3}\" width=\"{w:.3}\" height=\"{h:.3}\" fill=\"{}\"/>\n",
                hex(*fill)
            )),
            Shape::Rects { rects, fill } => {
                out.push_str(&format!("<path fill=\"{}\" d=\"", hex(*fill)));
                for (x, y, w, h) in rects {
                    out.push_str(&format!("M{x:.3} {y:.3}h{w:.3}v{h:.3}h-{w:.3}z"));
                }
                out.push_str("\"/>\n");
            }
            Shape::Polygon { points, colour, stroke } => {
                let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x:.3},{y:.3}")).collect();
                let paint = match stroke {
                    Some(w) => format!("fill=\"none\" stroke=\"{}\" stroke-width=\"{w:.3}\"", hex(*colour)),
                    None => format!("fill=\"{}\"", hex(*colour)),
                };
                out.push_str(&format!("<polygon points=\"{}\" {paint}/>\n", pts.join(" ")));
            }
            Shape::Text {
                x,
                y,
                size,
                text,
                colour,
            } => out.push_str(&format!(
                "<text x=\"{x:.3}\" y=\"{y:.3}\" font-size=\"{size:.3}\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
                hex(*colour),
                esc(text)
            )),
        }
    }
    out.push_str("</svg>\n");
    out
}
