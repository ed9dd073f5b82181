//! Frames that rqrr's own detector misses and labelcheck's reads: a label printed small and
//! soft, curved round a bottle, seen at a steep angle, on rippled cloth, light on dark,
//! several in one photo, and texts that are not UTF-8. Each case first checks that rqrr on its
//! own misses it, so a case fails if it stops proving anything.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_scan::{Budget, Charset, Luma, Scanner};
use qrcode::{EcLevel, QrCode};

/// A label's QR text: version 10 at level M, as labelcheck's labels are.
const TEXT: &str = "https://verify.example/#AAEBAQ2lYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY3ODkwYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY3ODkwYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY3ODkwYWJjZA";

struct Code {
    n: usize,
    dark: Vec<bool>,
}

impl Code {
    fn new(bytes: &[u8]) -> Code {
        let code = QrCode::with_error_correction_level(bytes, EcLevel::M).unwrap();
        Code {
            n: code.width(),
            dark: code.to_colors().iter().map(|c| *c == qrcode::Color::Dark).collect(),
        }
    }

    /// Whether module coordinates (u, v) fall on a dark module.
    fn dark_at(&self, u: f32, v: f32) -> bool {
        let (x, y) = (u.floor(), v.floor());
        x >= 0.0
            && y >= 0.0
            && (x as usize) < self.n
            && (y as usize) < self.n
            && self.dark[y as usize * self.n + x as usize]
    }
}

/// A `size`×`size` grey frame: each pixel's module coordinates from `to_module` (None:
/// background), area-sampled 4×4 so edges are grey as a camera makes them.
fn render(code: &Code, size: usize, to_module: impl Fn(f32, f32) -> Option<(f32, f32)>) -> Vec<u8> {
    const SUB: usize = 4;
    let mut px = vec![0u8; size * size];
    for y in 0..size {
        for x in 0..size {
            let (mut dark, mut paper) = (0, 0);
            for sy in 0..SUB {
                for sx in 0..SUB {
                    let (fx, fy) = (
                        x as f32 + (sx as f32 + 0.5) / SUB as f32,
                        y as f32 + (sy as f32 + 0.5) / SUB as f32,
                    );
                    if let Some((u, v)) = to_module(fx, fy) {
                        paper += 1;
                        if code.dark_at(u, v) {
                            dark += 1;
                        }
                    }
                }
            }
            // Paper 225, ink 45, background 120.
            let light = 120 + paper * 105 / (SUB * SUB);
            px[y * size + x] = (light - dark * 180 / (SUB * SUB)) as u8;
        }
    }
    px
}

/// A 3×3 box blur, `times` over.
fn blur(px: &mut [u8], size: usize, times: usize) {
    for _ in 0..times {
        let copy = px.to_vec();
        for y in 1..size - 1 {
            for x in 1..size - 1 {
                let mut s = 0u32;
                for dy in 0..3 {
                    for dx in 0..3 {
                        s += u32::from(copy[(y + dy - 1) * size + x + dx - 1]);
                    }
                }
                px[y * size + x] = (s / 9) as u8;
            }
        }
    }
}

/// A code `module` pixels a module, centred, straight on.
fn flat(code: &Code, size: usize, module: f32) -> impl Fn(f32, f32) -> Option<(f32, f32)> {
    let n = code.n as f32;
    let origin = (size as f32 - n * module) / 2.0;
    let quiet = 4.0;
    move |x, y| {
        let (u, v) = ((x - origin) / module, (y - origin) / module);
        (u > -quiet && v > -quiet && u < n + quiet && v < n + quiet).then_some((u, v))
    }
}

fn rqrr_alone(px: &[u8], size: usize) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| px[y * size + x]);
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, t)| t))
        .collect()
}

fn frame(px: &[u8], size: usize) -> Luma<'_> {
    Luma {
        width: size,
        height: size,
        pixels: px,
    }
}

fn texts(px: &[u8], size: usize, budget: Budget) -> Vec<String> {
    Scanner::new()
        .read(frame(px, size), budget)
        .unwrap()
        .iter()
        .map(|p| p.plain_text().expect("UTF-8"))
        .collect()
}

/// rqrr alone misses the frame, the pipeline reads it, at the first live frame if `live`.
fn check(name: &str, px: &[u8], size: usize, live: bool) {
    assert!(
        rqrr_alone(px, size).is_empty(),
        "{name}: rqrr alone reads it, the case proves nothing"
    );
    let budget = if live { Budget::LiveFrame(0) } else { Budget::Thorough };
    assert_eq!(texts(px, size, budget), vec![TEXT.to_owned()], "{name}");
}

#[test]
fn a_label_at_a_pixel_and_a_third_a_module_reads_at_the_first_frame() {
    let code = Code::new(TEXT.as_bytes());
    let size = 200;
    let px = render(&code, size, flat(&code, size, 1.3));
    check("1.3 px a module", &px, size, true);
}

#[test]
fn an_out_of_focus_label_reads_at_the_first_frame() {
    // Blurred over about a module and a half each way.
    let code = Code::new(TEXT.as_bytes());
    let size = 300;
    let mut px = render(&code, size, flat(&code, size, 3.0));
    blur(&mut px, size, 4);
    check("out of focus", &px, size, true);
}

#[test]
fn a_label_round_a_bottle_reads() {
    // The label wrapped a third of the way round a bottle seen side on: the outer modules are
    // squeezed to 0.8 of the middle ones, the label's sides pulled in by a module and a half
    // against a flat one, which no single plane fits.
    let code = Code::new(TEXT.as_bytes());
    let size = 420;
    let (centre, radius, module) = (210.0f32, 300.0f32, 5.0f32);
    let px = render(&code, size, |x, y| {
        let s = (x - centre) / radius;
        if s.abs() >= 1.0 {
            return None;
        }
        // Arc length along the surface, in modules from the code's middle.
        let u = s.asin() * radius / module + 28.5;
        let v = (y - centre) / module + 28.5;
        (u > -4.0 && v > -4.0 && u < 61.0 && v < 61.0).then_some((u, v))
    });
    check("curved round a cylinder", &px, size, true);
}

/// The plane projection taking the unit square's corners to `quad` (Heckbert's square to
/// quadrilateral), as a 3×3 matrix.
fn square_to_quad(q: [(f32, f32); 4]) -> [f32; 9] {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q;
    let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
    let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
    let den = dx1 * dy2 - dx2 * dy1;
    let g = (dx3 * dy2 - dx2 * dy3) / den;
    let h = (dx1 * dy3 - dx3 * dy1) / den;
    [
        x1 - x0 + g * x1,
        x3 - x0 + h * x3,
        x0,
        y1 - y0 + g * y1,
        y3 - y0 + h * y3,
        y0,
        g,
        h,
        1.0,
    ]
}

#[test]
fn a_label_seen_at_a_steep_angle_reads() {
    // The code's far edge 40 % shorter than its near one, and turned: a label on a shelf
    // seen from above and to the side.
    let code = Code::new(TEXT.as_bytes());
    let size = 420;
    let span = code.n as f32 + 8.0;
    let [a, b, c, d, e, f, g, h, i] = square_to_quad([(120.0, 60.0), (330.0, 110.0), (390.0, 380.0), (30.0, 330.0)]);
    // The inverse (adjugate; the scale does not matter for a projection).
    let inv = [
        e * i - f * h,
        c * h - b * i,
        b * f - c * e,
        f * g - d * i,
        a * i - c * g,
        c * d - a * f,
        d * h - e * g,
        b * g - a * h,
        a * e - b * d,
    ];
    let px = render(&code, size, |x, y| {
        let w = inv[6] * x + inv[7] * y + inv[8];
        let (s, t) = (
            (inv[0] * x + inv[1] * y + inv[2]) / w,
            (inv[3] * x + inv[4] * y + inv[5]) / w,
        );
        ((0.0..=1.0).contains(&s) && (0.0..=1.0).contains(&t)).then_some((s * span - 4.0, t * span - 4.0))
    });
    check("steep perspective", &px, size, false);
}

#[test]
fn a_label_on_rippled_cloth_reads() {
    // A code printed on cloth: rows and columns wander by up to 0.7 of a module.
    let code = Code::new(TEXT.as_bytes());
    let size = 360;
    let module = 5.0;
    let px = render(&code, size, |x, y| {
        let (u, v) = ((x - 37.5) / module, (y - 37.5) / module);
        let (u, v) = (u + 0.7 * (v / 6.0).sin(), v + 0.7 * (u / 7.0).sin());
        (u > -4.0 && v > -4.0 && u < 61.0 && v < 61.0).then_some((u, v))
    });
    check("rippled", &px, size, false);
}

#[test]
fn a_light_code_on_dark_ground_reads_within_eight_frames() {
    let code = Code::new(TEXT.as_bytes());
    let size = 320;
    let px: Vec<u8> = render(&code, size, flat(&code, size, 4.0))
        .iter()
        .map(|p| 255 - p)
        .collect();
    assert!(rqrr_alone(&px, size).is_empty());
    let mut scanner = Scanner::new();
    let read_at = (0..8).find(|&n| !scanner.read(frame(&px, size), Budget::LiveFrame(n)).unwrap().is_empty());
    assert_eq!(read_at, Some(7), "the inverted frame is the eighth");
    assert_eq!(texts(&px, size, Budget::Thorough), vec![TEXT.to_owned()]);
}

#[test]
fn every_label_in_a_photo_is_read() {
    let codes = [
        "https://verify.example/#first-label",
        "https://verify.example/#second-label",
        "https://verify.example/#third",
    ]
    .map(|t| (t, Code::new(t.as_bytes())));
    let size = 480;
    let px = {
        let mut px = vec![180u8; size * size];
        for (k, (_, code)) in codes.iter().enumerate() {
            let tile = render(code, 160, flat(code, 160, 4.0));
            for y in 0..160 {
                for x in 0..160 {
                    px[(y + 160 * k) * size + x + 150 * k] = tile[y * 160 + x];
                }
            }
        }
        px
    };
    let mut found = texts(&px, size, Budget::Thorough);
    found.sort();
    let mut want: Vec<String> = codes.iter().map(|(t, _)| t.to_string()).collect();
    want.sort();
    assert_eq!(found, want);
}

#[test]
fn texts_that_are_not_utf8_come_out_as_text() {
    // Shift-JIS (with half-width katakana) and ISO-8859-1, in byte mode with no ECI, as
    // Japanese phones and older generators write them.
    for (bytes, text, charset) in [
        (
            &b"\x83\x89\x83\x78\x83\x8b \xc3\xde\xbb\xde\xb2\xdd"[..],
            "ラベル ﾃﾞｻﾞｲﾝ",
            Charset::ShiftJis,
        ),
        (b"\xc9tiquette v\xe9rifi\xe9e", "Étiquette vérifiée", Charset::Latin1),
    ] {
        let code = Code::new(bytes);
        let size = 200;
        let px = render(&code, size, flat(&code, size, 4.0));
        let payloads = Scanner::new().read(frame(&px, size), Budget::Thorough).unwrap();
        assert_eq!(payloads.len(), 1);
        assert_eq!(payloads[0].charset, charset);
        #[cfg(feature = "shift-jis")]
        assert_eq!(payloads[0].text(), text);
        if charset == Charset::Latin1 {
            assert_eq!(payloads[0].plain_text().as_deref(), Some(text));
        }
    }
}
