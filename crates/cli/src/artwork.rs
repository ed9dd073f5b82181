//! The printed label: programme, certified stars, QR code, serial, maker and model,
//! as SVG (vector, for print) and PNG (for screens and quick tests).

use crate::qr::Qr;
use image::{Rgb, RgbImage};

pub struct LabelArt<'a> {
    pub programme_en: &'a str,
    pub programme_zh: &'a str,
    pub level: u8,
    pub max_level: u8,
    pub serial: &'a str,
    pub maker: &'a str,
    pub model: &'a str,
    pub valid_until: String,
    pub authority: &'a str,
    pub demo: bool,
    pub qr: &'a Qr,
}

const NAVY: &str = "#0b3d91";
const GOLD: &str = "#f2b705";
const DEMO_NOTE_EN: &str = "DEMO - NOT A REAL CERTIFICATION";
const DEMO_NOTE_ZH: &str = "演示标签 - 非真实认证";
const QUIET: usize = 4;
/// Width of a text line on the SVG label, in units of a Latin character at 16 px (about
/// 9 px); a CJK character takes two.
const SVG_LINE_UNITS: usize = 39;

fn units(c: char) -> usize {
    if c.is_ascii() || ('\u{00a0}'..'\u{1100}').contains(&c) {
        1
    } else {
        2
    }
}

/// `text` in lines of at most `max` units, broken at a space where there is one, inside a
/// word where there is not: nothing printed is cut off.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0;
    for word in text.split(' ') {
        let w: usize = word.chars().map(units).sum();
        if width > 0 && width + 1 + w <= max {
            line.push(' ');
            line.push_str(word);
            width += 1 + w;
            continue;
        }
        if width > 0 {
            lines.push(std::mem::take(&mut line));
            width = 0;
        }
        for c in word.chars() {
            if width + units(c) > max && width > 0 {
                lines.push(std::mem::take(&mut line));
                width = 0;
            }
            line.push(c);
            width += units(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn esc(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn star_points(cx: f64, cy: f64, r: f64) -> Vec<(f64, f64)> {
    (0..10)
        .map(|i| {
            let radius = if i % 2 == 0 { r } else { r * 0.42 };
            let a = std::f64::consts::PI * (i as f64) / 5.0 - std::f64::consts::FRAC_PI_2;
            (cx + radius * a.cos(), cy + radius * a.sin())
        })
        .collect()
}

impl LabelArt<'_> {
    fn star_count(&self) -> usize {
        usize::from(self.max_level.max(self.level).max(1))
    }

    /// The text under the code, each line wrapped to at most `max` units (see [`wrap`]).
    fn lines(&self, max: usize) -> Vec<String> {
        [
            format!("Serial {}", self.serial),
            format!("Maker {}", self.maker),
            format!("Model {}", self.model),
            format!("Valid until {}", self.valid_until),
            self.authority.to_owned(),
        ]
        .iter()
        .flat_map(|l| wrap(l, max))
        .collect()
    }

    pub fn svg(&self) -> String {
        let w = 400.0;
        let qr_side = 260.0;
        let module = qr_side / (self.qr.width + 2 * QUIET) as f64;
        let qr_x = (w - qr_side) / 2.0;
        let qr_y = 140.0;
        let text_y = qr_y + qr_side + 28.0;
        let lines = self.lines(SVG_LINE_UNITS);
        let h = text_y + lines.len() as f64 * 24.0 + if self.demo { 56.0 } else { 12.0 };
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             font-family=\"'Noto Sans', 'Noto Sans CJK SC', 'Microsoft YaHei', Arial, sans-serif\">\n\
             <rect x=\"1\" y=\"1\" width=\"{}\" height=\"{}\" rx=\"14\" fill=\"#fff\" stroke=\"{NAVY}\" stroke-width=\"2\"/>\n\
             <path d=\"M1 15 a14 14 0 0 1 14 -14 H{} a14 14 0 0 1 14 14 V76 H1 Z\" fill=\"{NAVY}\"/>\n\
             <text x=\"{}\" y=\"34\" text-anchor=\"middle\" font-size=\"21\" font-weight=\"bold\" fill=\"#fff\">{}</text>\n\
             <text x=\"{}\" y=\"62\" text-anchor=\"middle\" font-size=\"19\" fill=\"#fff\">{}</text>\n",
            w - 2.0,
            h - 2.0,
            w - 15.0,
            w / 2.0,
            esc(self.programme_en),
            w / 2.0,
            esc(self.programme_zh),
        );
        let n = self.star_count();
        let title = format!("{} of {} stars", self.level, n);
        s.push_str(&format!("<g><title>{}</title>\n", esc(&title)));
        for i in 0..n {
            let cx = w / 2.0 + (i as f64 - (n as f64 - 1.0) / 2.0) * 46.0;
            let pts: Vec<String> = star_points(cx, 106.0, 20.0)
                .iter()
                .map(|(x, y)| format!("{x:.1},{y:.1}"))
                .collect();
            let fill = if i < usize::from(self.level) { GOLD } else { "none" };
            s.push_str(&format!(
                "<polygon points=\"{}\" fill=\"{fill}\" stroke=\"{GOLD}\" stroke-width=\"2\"/>\n",
                pts.join(" ")
            ));
        }
        s.push_str("</g>\n");
        s.push_str(&format!(
            "<rect x=\"{qr_x}\" y=\"{qr_y}\" width=\"{qr_side}\" height=\"{qr_side}\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\""
        ));
        for y in 0..self.qr.width {
            for x in 0..self.qr.width {
                if self.qr.is_dark(x, y) {
                    s.push_str(&format!(
                        "M{:.3} {:.3}h{m:.3}v{m:.3}h-{m:.3}z",
                        qr_x + (x + QUIET) as f64 * module,
                        qr_y + (y + QUIET) as f64 * module,
                        m = module
                    ));
                }
            }
        }
        s.push_str("\"/>\n");
        for (i, line) in lines.iter().enumerate() {
            s.push_str(&format!(
                "<text x=\"24\" y=\"{}\" font-size=\"16\" fill=\"#111\">{}</text>\n",
                text_y + i as f64 * 24.0,
                esc(line)
            ));
        }
        if self.demo {
            let y = h - 48.0;
            s.push_str(&format!(
                "<rect x=\"12\" y=\"{y}\" width=\"{}\" height=\"36\" rx=\"6\" fill=\"#b00020\"/>\n\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" fill=\"#fff\">{} / {}</text>\n",
                w - 24.0,
                w / 2.0,
                y + 23.0,
                DEMO_NOTE_EN,
                DEMO_NOTE_ZH
            ));
        }
        s.push_str("</svg>\n");
        s
    }

    /// The PNG shows ASCII text only (a built-in 8×8 font); the SVG carries every script.
    pub fn png(&self) -> RgbImage {
        let module = 6usize;
        let qr_px = (self.qr.width + 2 * QUIET) * module;
        let w = qr_px.max(520) + 40;
        let qr_y = 170;
        let text_y = qr_y + qr_px + 16;
        let lines = self.lines((w - 40) / 16);
        let h = text_y + lines.len() * 26 + if self.demo { 60 } else { 16 };
        let (w32, h32) = (w as u32, h as u32);
        let mut img = RgbImage::from_pixel(w32, h32, Rgb([255, 255, 255]));
        let navy = Rgb([0x0b, 0x3d, 0x91]);
        fill_rect(&mut img, 0, 0, w, 96, navy);
        draw_text(&mut img, 20, 24, self.programme_en, 2, Rgb([255, 255, 255]), w - 40);
        draw_text(
            &mut img,
            20,
            60,
            &format!("Level {} of {}", self.level, self.star_count()),
            2,
            Rgb([255, 255, 255]),
            w - 40,
        );
        let n = self.star_count();
        for i in 0..n {
            let cx = w as f64 / 2.0 + (i as f64 - (n as f64 - 1.0) / 2.0) * 60.0;
            let filled = i < usize::from(self.level);
            draw_star(&mut img, cx, 133.0, 26.0, filled);
        }
        let qr_x = (w - qr_px) / 2;
        for y in 0..self.qr.width {
            for x in 0..self.qr.width {
                if self.qr.is_dark(x, y) {
                    fill_rect(
                        &mut img,
                        qr_x + (x + QUIET) * module,
                        qr_y + (y + QUIET) * module,
                        module,
                        module,
                        Rgb([0, 0, 0]),
                    );
                }
            }
        }
        for (i, line) in lines.iter().enumerate() {
            draw_text(&mut img, 20, text_y + i * 26, line, 2, Rgb([17, 17, 17]), w - 40);
        }
        if self.demo {
            let y = h - 52;
            fill_rect(&mut img, 12, y, w - 24, 40, Rgb([0xb0, 0x00, 0x20]));
            draw_text(&mut img, 24, y + 12, DEMO_NOTE_EN, 2, Rgb([255, 255, 255]), w - 48);
        }
        img
    }
}

fn fill_rect(img: &mut RgbImage, x: usize, y: usize, w: usize, h: usize, c: Rgb<u8>) {
    for yy in y..(y + h).min(img.height() as usize) {
        for xx in x..(x + w).min(img.width() as usize) {
            img.put_pixel(xx as u32, yy as u32, c);
        }
    }
}

fn inside(pts: &[(f64, f64)], x: f64, y: f64) -> bool {
    let mut c = false;
    let mut j = pts.len() - 1;
    for i in 0..pts.len() {
        let ((xi, yi), (xj, yj)) = (pts[i], pts[j]);
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            c = !c;
        }
        j = i;
    }
    c
}

fn draw_star(img: &mut RgbImage, cx: f64, cy: f64, r: f64, filled: bool) {
    let outer = star_points(cx, cy, r);
    let inner = star_points(cx, cy, r - 4.0);
    let gold = Rgb([0xf2, 0xb7, 0x05]);
    for y in (cy - r) as u32..=(cy + r) as u32 {
        for x in (cx - r) as u32..=(cx + r) as u32 {
            let (fx, fy) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
            if inside(&outer, fx, fy) && (filled || !inside(&inner, fx, fy)) && x < img.width() && y < img.height() {
                img.put_pixel(x, y, gold);
            }
        }
    }
}

fn draw_text(img: &mut RgbImage, x: usize, y: usize, text: &str, scale: usize, c: Rgb<u8>, max_w: usize) {
    let max_chars = max_w / (8 * scale);
    for (i, ch) in text.chars().take(max_chars).enumerate() {
        let code = if ch.is_ascii() && !ch.is_ascii_control() {
            ch as usize
        } else {
            b'?' as usize
        };
        let glyph = font8x8::legacy::BASIC_LEGACY[code];
        for (row, bits) in glyph.iter().enumerate() {
            for col in 0..8 {
                if bits & (1 << col) != 0 {
                    fill_rect(img, x + (i * 8 + col) * scale, y + row * scale, scale, scale, c);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_and_nothing_is_cut() {
        let text = "Valid until 2029-10-30 - labelcheck Demo Authority (not a real certification body)";
        let lines = wrap(text, 39);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(
            lines.iter().all(|l| l.chars().map(units).sum::<usize>() <= 39),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), text, "no character lost");
        let cjk = wrap(&"网络安全标识".repeat(8), 39);
        assert!(cjk.iter().all(|l| l.chars().map(units).sum::<usize>() <= 39), "{cjk:?}");
        assert_eq!(cjk.concat(), "网络安全标识".repeat(8));
        assert_eq!(wrap("", 10), vec![String::new()]);
    }
}
