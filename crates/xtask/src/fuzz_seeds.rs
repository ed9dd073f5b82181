//! Writes the fuzzer's starting inputs (`fuzz/corpus/<target>/seed-*`) from the test vectors and
//! rendered QR codes. The fuzzer adds to them; both are committed and replayed by
//! `crates/fuzz/tests/corpus.rs`.

use base64::Engine;
use image::{codecs::jpeg::JpegEncoder, GrayImage, ImageFormat};
use qrcode::{EcLevel, QrCode};
use serde_json::Value;
use std::io::Cursor;
use std::path::Path;

use labelcheck_testkit::serve::root;

fn write(target: &str, name: &str, data: &[u8]) {
    let dir = root().join("fuzz/corpus").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("seed-{name}")), data).unwrap();
}

/// A code drawn `module` pixels per module with a 4-module quiet zone, as grey pixels.
fn render(text: &str, module: u32) -> GrayImage {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
    let n = code.width() as u32;
    let side = (n + 8) * module;
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / module, y / module);
        let dark = (4..n + 4).contains(&mx)
            && (4..n + 4).contains(&my)
            && code[((mx - 4) as usize, (my - 4) as usize)] == qrcode::Color::Dark;
        image::Luma([if dark { 20 } else { 235 }])
    })
}

fn frame(img: &GrayImage) -> Vec<u8> {
    // The pixels target reads the width as 1 + (u16 % 128).
    let mut out = ((img.width() - 1) as u16).to_le_bytes().to_vec();
    out.extend_from_slice(img.as_raw());
    out
}

fn vectors(dir: &Path) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

pub fn run() {
    let dir = root().join("tests/vectors");
    let cases = vectors(&dir);
    for (name, case) in &cases {
        if let Some(qr) = case["qr"].as_str() {
            write("label", name, qr.as_bytes());
        }
        let report = &case["report"];
        if let Some(file) = report["file"].as_str() {
            write("report", name, file.as_bytes());
        } else if let Some(b64) = report["file_base64"].as_str() {
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(b64).unwrap();
            write("report", name, &bytes);
        }
    }
    for text in [
        "",
        "hello",
        "https://example.com/",
        "http://verify.example/#1",
        "javascript:alert(1)",
    ] {
        write("label", &format!("text-{}", text.len()), text.as_bytes());
    }

    for file in ["keys.jws", "revocations.jws", "trust.json"] {
        let bytes = std::fs::read(dir.join("authority").join(file)).unwrap();
        write("lists", file, &bytes);
        if file.ends_with(".jws") {
            let env: Value = serde_json::from_slice(&bytes).unwrap();
            let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(env["payload"].as_str().unwrap())
                .unwrap();
            write("lists", &format!("{file}.payload"), &payload);
        }
    }

    let genuine = cases.iter().find(|(n, _)| n == "demo-genuine").unwrap();
    let label = genuine.1["qr"].as_str().unwrap();
    for (text, module) in [
        ("https://verify.example/#1", 3),
        ("labelcheck", 2),
        (label, 2),
        (label, 4),
    ] {
        let img = render(text, module);
        let name = format!("{}-{module}px", text.len());
        if img.width() as usize <= 128 {
            write("pixels", &name, &frame(&img));
            let inverted = GrayImage::from_fn(img.width(), img.height(), |x, y| {
                image::Luma([255 - img.get_pixel(x, y).0[0]])
            });
            write("pixels", &format!("{name}-inverted"), &frame(&inverted));
        }
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        write("photo", &format!("{name}.png"), &png);
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 60).encode_image(&img).unwrap();
        write("photo", &format!("{name}.jpg"), &jpeg);
    }
    write("pixels", "blank", &[15, 0, 128, 128, 128, 128, 128, 128, 128, 128]);
    write(
        "photo",
        "fixture.png",
        &std::fs::read(root().join("tests/fixtures/genuine-label.png")).unwrap(),
    );
}
