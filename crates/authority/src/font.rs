//! The fonts a label's text is set in: each character in the first font that has it. Fonts
//! given by the user come first, then a Latin and a Chinese font found on the system. They
//! measure text for the [layout](crate::layout), give glyph outlines to the SVG and PNG
//! renderers, and are embedded (a subset) in PDFs.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use ttf_parser::OutlineBuilder;

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

/// Characters every label may print: the fonts must have them all.
pub const NEEDED: &str = "Scan to verify · 扫码验证 No.0123456789 DEMO - NOT A REAL CERTIFICATION 演示标签 非真实认证";

pub struct OneFont {
    pub path: PathBuf,
    /// The file's bytes, kept for the process's life: a font is loaded once per run and
    /// used to its end, parsed once and lent to measuring, outlines and PDFs alike.
    pub data: &'static [u8],
    face: ttf_parser::Face<'static>,
}

impl OneFont {
    fn load(path: &Path) -> Result<OneFont> {
        let bytes = crate::durable::read_limited(path, 64 << 20)?;
        let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let face = ttf_parser::Face::parse(data, 0).map_err(|_| Error::NotAFont { path: path.to_owned() })?;
        Ok(OneFont {
            path: path.to_owned(),
            data,
            face,
        })
    }

    /// The advance of `c` in ems, if the font has it.
    fn advance(&self, c: char) -> Option<f32> {
        let g = self.face.glyph_index(c)?;
        Some(f32::from(self.face.glyph_hor_advance(g)?) / f32::from(self.face.units_per_em()))
    }
}

/// A path of closed outlines, in millimetres: what a run of text looks like.
pub type Outline = Vec<Vec<(f32, f32)>>;

pub struct Fonts {
    pub fonts: Vec<OneFont>,
}

impl Fonts {
    /// The fonts given (in order of preference), then a Latin and a Chinese font found on this
    /// system. Every character a label prints must be in one of them.
    pub fn load(given: &[PathBuf]) -> Result<Fonts> {
        let found = |places: &[&str]| places.iter().map(PathBuf::from).find(|p| p.is_file());
        let paths: Vec<PathBuf> = given
            .iter()
            .cloned()
            .chain(found(&LATIN_PLACES))
            .chain(found(&CHINESE_PLACES))
            .collect();
        let fonts = paths.iter().map(|p| OneFont::load(p)).collect::<Result<Vec<_>>>()?;
        let f = Fonts { fonts };
        if let Some(c) = NEEDED.chars().find(|c| !f.has(*c)) {
            return Err(Error::NoFontFor { character: c });
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
    pub fn runs<'t>(&self, text: &'t str) -> Vec<(usize, &'t str)> {
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

    /// How wide `text` is at 1 mm.
    pub fn width(&self, text: &str) -> f32 {
        self.runs(text)
            .iter()
            .flat_map(|(f, run)| run.chars().map(move |c| (*f, c)))
            .map(|(f, c)| self.fonts.get(f).and_then(|font| font.advance(c)).unwrap_or(0.5))
            .sum()
    }

    /// The outlines of `text` set `size` mm high, centred on `x`, its baseline at `y` (mm).
    pub fn centred_outline(&self, text: &str, x: f32, y: f32, size: f32) -> Outline {
        self.outline(text, x - self.width(text) * size / 2.0, y, size)
    }

    /// The outlines of `text` set `size` mm high with its baseline starting at (`x`, `y`) mm,
    /// y growing downwards; curves flattened to lines.
    pub fn outline(&self, text: &str, x: f32, y: f32, size: f32) -> Outline {
        let mut out = Vec::new();
        let mut left = x;
        for (f, run) in self.runs(text) {
            let Some(font) = self.fonts.get(f) else { continue };
            let scale = size / f32::from(font.face.units_per_em());
            for c in run.chars() {
                let Some(g) = font.face.glyph_index(c) else {
                    left += 0.5 * size;
                    continue;
                };
                let mut b = Builder {
                    out: &mut out,
                    current: Vec::new(),
                    at: (0.0, 0.0),
                    x: left,
                    y,
                    scale,
                };
                font.face.outline_glyph(g, &mut b);
                b.close();
                left += f32::from(font.face.glyph_hor_advance(g).unwrap_or(0)) * scale;
            }
        }
        out
    }
}

/// Collects a glyph's contours, in millimetres.
struct Builder<'o> {
    out: &'o mut Outline,
    current: Vec<(f32, f32)>,
    /// The pen, in font units.
    at: (f32, f32),
    x: f32,
    y: f32,
    scale: f32,
}

/// Segments a curve is flattened into: at label sizes a segment is a few micrometres.
const CURVE_STEPS: usize = 8;

impl Builder<'_> {
    fn point(&mut self, (px, py): (f32, f32)) {
        self.current.push((self.x + px * self.scale, self.y - py * self.scale));
        self.at = (px, py);
    }
}

impl ttf_parser::OutlineBuilder for Builder<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.close();
        self.point((x, y));
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.point((x, y));
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x0, y0) = self.at;
        for i in 1..=CURVE_STEPS {
            let t = i as f32 / CURVE_STEPS as f32;
            let u = 1.0 - t;
            self.point((
                u * u * x0 + 2.0 * u * t * x1 + t * t * x,
                u * u * y0 + 2.0 * u * t * y1 + t * t * y,
            ));
        }
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (x0, y0) = self.at;
        for i in 1..=CURVE_STEPS {
            let t = i as f32 / CURVE_STEPS as f32;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            self.point((a * x0 + b * x1 + c * x2 + d * x, a * y0 + b * y1 + c * y2 + d * y));
        }
    }

    fn close(&mut self) {
        if self.current.len() > 2 {
            self.out.push(std::mem::take(&mut self.current));
        } else {
            self.current.clear();
        }
    }
}
