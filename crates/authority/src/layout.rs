//! The label, laid out once in millimetres as a list of shapes, so that every rendering of it
//! — the PDF sheets and single-label PDF of `print`, the SVG and PNG artwork of `issue` and
//! `demo` — shows exactly the same thing: the programme's mark (stars, or the pass mark of a
//! one-level programme), its name in English and Chinese, the QR code with its quiet zone, the
//! serial, and "Scan to verify". What the label shows comes from its own QR text
//! ([`content`]): nothing printed can disagree with what the code says.
//!
//! The QR code's size follows from its version: every module is at least the stated minimum
//! (0.33 mm by default, what phone cameras read at arm's length from a printed label), and a
//! label too narrow for that is refused with the smallest width that works.

use crate::error::{Error, Result};
use crate::font::Fonts;
use crate::qr::Qr;
use labelcheck_core::claim::SignedClaim;
use labelcheck_core::key_list::KeyList;
use labelcheck_core::label_url::{classify, QrText};

pub const NAVY: (u8, u8, u8) = (0x0b, 0x3d, 0x91);
pub const GOLD: (u8, u8, u8) = (0xf2, 0xb7, 0x05);
pub const BLACK: (u8, u8, u8) = (0, 0, 0);
pub const WHITE: (u8, u8, u8) = (0xff, 0xff, 0xff);
pub const RED: (u8, u8, u8) = (0xb0, 0x00, 0x20);
/// Modules of white around the code, as ISO/IEC 18004 asks.
pub const QUIET: usize = 4;
/// Side margin of the label, as a share of its width.
const MARGIN: f32 = 0.06;
/// The label's width unless asked otherwise, and the smallest module printed (mm).
pub const WIDTH: f32 = 40.0;
pub const MIN_MODULE: f32 = 0.33;
pub const SCAN: &str = "Scan to verify · 扫码验证";
pub const DEMO_NOTE: &str = "DEMO - NOT A REAL CERTIFICATION · 演示标签 - 非真实认证";

pub enum Shape {
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: (u8, u8, u8),
    },
    /// Many rectangles of one colour, drawn as one shape: a QR code's modules.
    Rects {
        rects: Vec<(f32, f32, f32, f32)>,
        fill: (u8, u8, u8),
    },
    /// Closed outlines filled by the even-odd rule: an outline inside another cuts a hole.
    Path {
        outlines: Vec<Vec<(f32, f32)>>,
        colour: (u8, u8, u8),
    },
    /// A line of text centred on `x`, its baseline at `y`, `size` mm high (em).
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        colour: (u8, u8, u8),
    },
}

/// What one label shows.
pub struct LabelContent {
    pub programme_en: String,
    pub programme_zh: String,
    pub level: u8,
    pub max_level: u8,
    pub serial: String,
    pub qr: Qr,
    /// A demonstration authority's label says so, in both languages, on the label itself.
    pub demo: bool,
}

/// What the label of `qr_text` shows: its claim's serial and level, the programme's names from
/// the key list, the code itself. The claim's signature is the gate's to check.
pub fn content(qr_text: &str, keys: &KeyList) -> Result<LabelContent> {
    let QrText::Label(link) = classify(qr_text) else {
        return Err(Error::NotALabelText);
    };
    let claim = SignedClaim::parse(&link.claim)
        .map_err(|problem| Error::Claim { problem })?
        .claim;
    let programme = keys.programme(claim.programme).ok_or(Error::UnknownProgramme {
        programme: claim.programme,
    })?;
    Ok(LabelContent {
        programme_en: programme.name.en.clone(),
        programme_zh: programme.name.zh.clone(),
        level: claim.level,
        max_level: programme.max_level,
        serial: claim.serial,
        qr: crate::qr::encode(qr_text)?,
        demo: keys.demo,
    })
}

pub struct Layout {
    pub width: f32,
    pub height: f32,
    pub shapes: Vec<Shape>,
    /// The code with its quiet zone: x, y, side (mm).
    pub qr_box: (f32, f32, f32),
    pub module: f32,
}

/// Text widths, to fit a line into the label: how wide `text` is at 1 mm.
pub trait Measure {
    fn width(&self, text: &str) -> f32;
}

impl Measure for Fonts {
    fn width(&self, text: &str) -> f32 {
        Fonts::width(self, text)
    }
}

/// The smallest label width (mm) whose code, `modules` wide, has modules of at least
/// `min_module` mm.
pub fn min_width(modules: usize, min_module: f32) -> f32 {
    let side = (modules + 2 * QUIET) as f32 * min_module;
    // Hundredths of a millimetre up, so that the width asked for always suffices.
    (side / (1.0 - 2.0 * MARGIN) * 100.0).ceil() / 100.0
}

fn star(cx: f32, cy: f32, r: f32) -> Vec<(f32, f32)> {
    let r = r.max(0.0);
    (0..10)
        .map(|i| {
            let radius = if i % 2 == 0 { r } else { r * 0.42 };
            let a = std::f32::consts::PI * i as f32 / 5.0 - std::f32::consts::FRAC_PI_2;
            (cx + radius * a.cos(), cy + radius * a.sin())
        })
        .collect()
}

fn circle(cx: f32, cy: f32, r: f32) -> Vec<(f32, f32)> {
    (0..48)
        .map(|i| {
            let a = std::f32::consts::PI * i as f32 / 24.0;
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect()
}

/// A tick in a ring: the mark of a programme with one level (pass or not labelled).
fn pass_mark(cx: f32, cy: f32, r: f32, out: &mut Vec<Shape>) {
    let line = r * 0.16;
    out.push(Shape::Path {
        outlines: vec![circle(cx, cy, r + line / 2.0), circle(cx, cy, r - line / 2.0)],
        colour: GOLD,
    });
    out.push(Shape::Path {
        outlines: vec![vec![
            (cx - 0.5 * r, cy),
            (cx - 0.15 * r, cy + 0.38 * r),
            (cx + 0.55 * r, cy - 0.4 * r),
            (cx + 0.45 * r, cy - 0.5 * r),
            (cx - 0.15 * r, cy + 0.16 * r),
            (cx - 0.4 * r, cy - 0.1 * r),
        ]],
        colour: GOLD,
    });
}

/// The label `width` mm wide. Refused when the code's modules would be under `min_module`.
pub fn layout(c: &LabelContent, width: f32, min_module: f32, m: &dyn Measure) -> Result<Layout> {
    let need = min_width(c.qr.width, min_module);
    if width + 1e-4 < need {
        return Err(Error::LabelTooNarrow {
            width,
            version: c.qr.version,
            min_module,
            need,
        });
    }
    let margin = width * MARGIN;
    let cx = width / 2.0;
    let inner = width - 2.0 * margin;
    // A line's size: `want` mm, smaller when the text would not fit the label's width.
    let fit = |text: &str, want: f32| {
        let w = m.width(text);
        if w * want > inner {
            inner / w
        } else {
            want
        }
    };
    let mut s = Vec::new();
    let title_en = fit(&c.programme_en, width * 0.075);
    let title_zh = fit(&c.programme_zh, width * 0.07);
    let band = margin + title_en + title_zh * 1.25 + margin * 0.8;
    let mark_r = width * 0.06;
    let mark_y = band + margin * 0.6 + mark_r;
    let qr_y = mark_y + mark_r + margin * 0.4;
    let qr_side = inner;
    let serial_size = fit(&format!("No. {}", c.serial), width * 0.055);
    let scan_size = fit(SCAN, width * 0.05);
    let serial_y = qr_y + qr_side + serial_size;
    let scan_y = serial_y + scan_size * 1.5;
    let demo_size = fit(DEMO_NOTE, width * 0.045);
    let demo_y = scan_y + margin * 0.6;
    let height = if c.demo {
        demo_y + demo_size * 1.6 + margin * 0.6
    } else {
        scan_y + margin
    };
    s.push(Shape::Rect {
        x: 0.0,
        y: 0.0,
        w: width,
        h: height,
        fill: WHITE,
    });
    s.push(Shape::Rect {
        x: 0.0,
        y: 0.0,
        w: width,
        h: band,
        fill: NAVY,
    });
    s.push(Shape::Text {
        x: cx,
        y: margin + title_en * 0.8,
        size: title_en,
        text: c.programme_en.to_owned(),
        colour: WHITE,
    });
    s.push(Shape::Text {
        x: cx,
        y: margin + title_en + title_zh * 1.05,
        size: title_zh,
        text: c.programme_zh.to_owned(),
        colour: WHITE,
    });
    if c.max_level <= 1 {
        pass_mark(cx, mark_y, mark_r, &mut s);
    } else {
        let n = usize::from(c.max_level.max(c.level));
        for i in 0..n {
            let x = cx + (i as f32 - (n as f32 - 1.0) / 2.0) * mark_r * 2.3;
            let filled = i < usize::from(c.level);
            // An empty star is its outline: the star with a smaller one cut out.
            let line = mark_r * 0.1;
            let outlines = if filled {
                vec![star(x, mark_y, mark_r)]
            } else {
                vec![
                    star(x, mark_y, mark_r + line / 2.0),
                    star(x, mark_y, mark_r - line * 1.6),
                ]
            };
            s.push(Shape::Path { outlines, colour: GOLD });
        }
    }
    let module = qr_side / (c.qr.width + 2 * QUIET) as f32;
    let mut modules = Vec::new();
    for y in 0..c.qr.width {
        // Runs of dark modules as one rectangle: fewer shapes, and no hairline seams between
        // neighbours in renderers that anti-alias each edge.
        let mut x = 0;
        while x < c.qr.width {
            if !c.qr.is_dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < c.qr.width && c.qr.is_dark(x, y) {
                x += 1;
            }
            modules.push((
                margin + (start + QUIET) as f32 * module,
                qr_y + (y + QUIET) as f32 * module,
                (x - start) as f32 * module,
                module,
            ));
        }
    }
    s.push(Shape::Rects {
        rects: modules,
        fill: BLACK,
    });
    s.push(Shape::Text {
        x: cx,
        y: serial_y,
        size: serial_size,
        text: format!("No. {}", c.serial),
        colour: BLACK,
    });
    s.push(Shape::Text {
        x: cx,
        y: scan_y,
        size: scan_size,
        text: SCAN.to_owned(),
        colour: NAVY,
    });
    if c.demo {
        s.push(Shape::Rect {
            x: margin,
            y: demo_y,
            w: inner,
            h: demo_size * 1.6,
            fill: RED,
        });
        s.push(Shape::Text {
            x: cx,
            y: demo_y + demo_size * 1.15,
            size: demo_size,
            text: DEMO_NOTE.to_owned(),
            colour: WHITE,
        });
    }
    Ok(Layout {
        width,
        height,
        shapes: s,
        qr_box: (margin, qr_y, qr_side),
        module,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    struct Fixed;
    impl Measure for Fixed {
        fn width(&self, text: &str) -> f32 {
            text.chars().count() as f32 * 0.55
        }
    }

    fn qr() -> Qr {
        crate::qr::encode(&format!("https://verify.example/#1{}", "7".repeat(400))).unwrap()
    }

    fn stars(l: &Layout) -> (usize, usize) {
        let mut full = 0;
        let mut empty = 0;
        for s in &l.shapes {
            if let Shape::Path { outlines, .. } = s {
                if outlines[0].len() == 10 {
                    if outlines.len() == 1 {
                        full += 1;
                    } else {
                        empty += 1;
                    }
                }
            }
        }
        (full, empty)
    }

    #[test]
    fn modules_are_never_under_the_minimum_and_too_small_a_label_names_the_size_that_works() {
        let qr = qr();
        let qr_width = qr.width;
        let c = LabelContent {
            programme_en: "Cybersecurity Label".into(),
            programme_zh: "网络安全标识".into(),
            level: 2,
            max_level: 3,
            serial: "DEMO-00000001".into(),
            qr,
            demo: false,
        };
        let need = min_width(qr_width, 0.33);
        let l = layout(&c, need, 0.33, &Fixed).unwrap();
        assert!(l.module >= 0.33, "{}", l.module);
        assert!(l.height > l.width);
        let e = layout(&c, need - 0.5, 0.33, &Fixed).err().unwrap();
        assert!(matches!(e, Error::LabelTooNarrow { need: n, .. } if n == need), "{e:?}");
        assert_eq!(stars(&l), (2, 1), "two of three stars filled");
    }

    #[test]
    fn a_long_programme_name_shrinks_to_the_width() {
        let qr = qr();
        let long = "A very long programme name that would never fit on one line of a small label";
        let c = LabelContent {
            programme_en: long.into(),
            programme_zh: "网络安全标识".into(),
            level: 1,
            max_level: 1,
            serial: "S-1".into(),
            qr,
            demo: true,
        };
        let l = layout(&c, 40.0, 0.33, &Fixed).unwrap();
        let size = l
            .shapes
            .iter()
            .find_map(|s| match s {
                Shape::Text { size, text, .. } if text == long => Some(*size),
                _ => None,
            })
            .unwrap();
        assert!(Fixed.width(long) * size <= 40.0 * (1.0 - 2.0 * MARGIN) + 1e-3);
    }
}
