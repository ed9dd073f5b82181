//! A label as SVG, sized in millimetres. Text is drawn as the outlines of the fonts' glyphs,
//! so the SVG looks the same in every viewer, with or without the fonts; each line keeps its
//! words in an `aria-label`.

use crate::font::Fonts;
use crate::layout::{Layout, Shape};
use std::fmt::Write;

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn path_data(outlines: &[Vec<(f32, f32)>]) -> String {
    let mut d = String::new();
    for o in outlines {
        for (i, (x, y)) in o.iter().enumerate() {
            let _ = write!(d, "{}{x:.3} {y:.3}", if i == 0 { "M" } else { "L" });
        }
        d.push('Z');
    }
    d
}

pub fn svg(l: &Layout, fonts: &Fonts) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}mm\" height=\"{h}mm\" viewBox=\"0 0 {w} {h}\">\n",
        w = l.width,
        h = l.height
    );
    for shape in &l.shapes {
        match shape {
            Shape::Rect { x, y, w, h, fill } => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{x:.3}\" y=\"{y:.3}\" width=\"{w:.3}\" height=\"{h:.3}\" fill=\"{}\"/>",
                    hex(*fill)
                );
            }
            Shape::Rects { rects, fill } => {
                let _ = write!(out, "<path fill=\"{}\" d=\"", hex(*fill));
                for (x, y, w, h) in rects {
                    let _ = write!(out, "M{x:.3} {y:.3}h{w:.3}v{h:.3}h-{w:.3}z");
                }
                out.push_str("\"/>\n");
            }
            Shape::Path { outlines, colour } => {
                let _ = writeln!(
                    out,
                    "<path fill=\"{}\" fill-rule=\"evenodd\" d=\"{}\"/>",
                    hex(*colour),
                    path_data(outlines)
                );
            }
            Shape::Text {
                x,
                y,
                size,
                text,
                colour,
            } => {
                let _ = writeln!(
                    out,
                    "<path role=\"img\" aria-label=\"{}\" fill=\"{}\" d=\"{}\"/>",
                    esc(text),
                    hex(*colour),
                    path_data(&fonts.centred_outline(text, *x, *y, *size))
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}
