//! Codes that rqrr alone misses and the pipeline in front of it reads: a label printed small
//! (under two pixels per module) and slightly out of focus, as a phone sees it from a step
//! back. Each case first checks that rqrr on its own really misses it, so the test fails if the
//! pipeline stops adding anything.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_scan::{Budget, Luma, Scanner};
use qrcode::{EcLevel, QrCode};

const TEXT: &str =
    "https://verify.example/#1592551883047667241869520935062007400282584760468813222402738119836951271935";

/// The code rendered with `px_per_module` pixels per module (area-sampled, so edges are grey),
/// centred on a `size`×`size` light background, then blurred `blur` times with a 3×3 box.
fn render(px_per_module: f32, size: usize, blur: usize) -> Vec<u8> {
    let code = QrCode::with_error_correction_level(TEXT, EcLevel::M).unwrap();
    let n = code.width();
    let modules = code.to_colors();
    let dark = |mx: i64, my: i64| {
        mx >= 0
            && my >= 0
            && (mx as usize) < n
            && (my as usize) < n
            && modules[my as usize * n + mx as usize] == qrcode::Color::Dark
    };
    let side = n as f32 * px_per_module;
    let origin = (size as f32 - side) / 2.0;
    let mut px = vec![0u8; size * size];
    const SUB: usize = 4;
    for y in 0..size {
        for x in 0..size {
            let mut dark_samples = 0;
            for sy in 0..SUB {
                for sx in 0..SUB {
                    let fx = (x as f32 + (sx as f32 + 0.5) / SUB as f32 - origin) / px_per_module;
                    let fy = (y as f32 + (sy as f32 + 0.5) / SUB as f32 - origin) / px_per_module;
                    if dark(fx.floor() as i64, fy.floor() as i64) {
                        dark_samples += 1;
                    }
                }
            }
            px[y * size + x] = (225 - dark_samples * 180 / (SUB * SUB)) as u8;
        }
    }
    for _ in 0..blur {
        let copy = px.clone();
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
    px
}

fn rqrr_alone(px: &[u8], size: usize) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| px[y * size + x]);
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, t)| t))
        .collect()
}

fn check(px_per_module: f32, size: usize, blur: usize) {
    let px = render(px_per_module, size, blur);
    assert!(
        rqrr_alone(&px, size).is_empty(),
        "rqrr alone reads it ({px_per_module} px/module, blur {blur}): the case proves nothing"
    );
    let found = Scanner::new()
        .decode(Luma {
            width: size,
            height: size,
            pixels: &px,
        })
        .unwrap();
    assert_eq!(found, vec![TEXT.to_owned()], "{px_per_module} px/module, blur {blur}");
}

#[test]
fn a_small_code_reads() {
    check(1.7, 320, 0);
}

#[test]
fn a_small_slightly_blurred_code_reads() {
    check(2.5, 320, 1);
}

#[test]
fn a_blurred_code_reads() {
    check(4.0, 320, 3);
}

fn frame(px: &[u8]) -> Luma<'_> {
    Luma {
        width: 320,
        height: 320,
        pixels: px,
    }
}

#[test]
fn a_camera_loop_reads_a_clear_code_at_once_and_a_hard_one_within_a_cycle() {
    let mut scanner = Scanner::new();
    let clear = render(4.0, 320, 0);
    assert_eq!(
        scanner.decode_within(frame(&clear), Budget::LiveFrame(0)).unwrap(),
        vec![TEXT.to_owned()]
    );
    // Only the rescue attempts read this one: the cheap frames miss it, a later full-order
    // frame gets it.
    let small = render(1.7, 320, 0);
    let mut read_at = None;
    for n in 0..400 {
        let found = scanner.decode_within(frame(&small), Budget::LiveFrame(n)).unwrap();
        if !found.is_empty() {
            assert_eq!(found, vec![TEXT.to_owned()]);
            read_at = Some(n);
            break;
        }
    }
    let n = read_at.expect("never read in 400 camera frames");
    assert_eq!(
        n % 4,
        3,
        "read on a cheap frame ({n}): the cheap attempt is not the cheap one"
    );
}
