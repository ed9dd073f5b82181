//! The web app manifest's icons: every file there at its declared size, and a maskable icon of
//! its own whose picture stays inside the safe zone (the centre circle of 40 % of the width's
//! radius, which Android keeps whatever shape it cuts), on an opaque, full-bleed background.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

fn manifest() -> serde_json::Value {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/manifest.webmanifest")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn icons() -> Vec<serde_json::Value> {
    manifest()["icons"].as_array().unwrap().clone()
}

fn png(src: &str) -> image::RgbaImage {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("static").join(src);
    image::open(&path).unwrap_or_else(|e| panic!("{src}: {e}")).to_rgba8()
}

#[test]
fn every_icon_is_there_at_its_declared_size() {
    for icon in icons() {
        let src = icon["src"].as_str().unwrap();
        if icon["type"] == "image/svg+xml" {
            assert!(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("static").join(src).is_file(),
                "{src}"
            );
            continue;
        }
        let img = png(src);
        assert_eq!(icon["sizes"], format!("{}x{}", img.width(), img.height()), "{src}");
    }
}

#[test]
fn the_maskable_icons_keep_their_picture_inside_the_safe_zone() {
    let maskable: Vec<serde_json::Value> = icons()
        .into_iter()
        .filter(|i| {
            i["purpose"]
                .as_str()
                .is_some_and(|p| p.split(' ').any(|p| p == "maskable"))
        })
        .collect();
    assert!(!maskable.is_empty(), "a maskable icon is declared");
    let regular: Vec<String> = icons()
        .into_iter()
        .filter(|i| i["purpose"].is_null())
        .map(|i| i["src"].as_str().unwrap().to_owned())
        .collect();
    for icon in maskable {
        let src = icon["src"].as_str().unwrap();
        assert!(
            !regular.iter().any(|r| r == src),
            "{src}: a maskable icon of its own, not the regular one"
        );
        let img = png(src);
        let (w, h) = (img.width() as f64, img.height() as f64);
        let background = *img.get_pixel(0, 0);
        let near = |a: &image::Rgba<u8>, b: &image::Rgba<u8>| a.0.iter().zip(b.0).all(|(x, y)| x.abs_diff(y) <= 8);
        let mut outside = 0;
        for (x, y, p) in img.enumerate_pixels() {
            assert_eq!(p[3], 255, "{src}: opaque everywhere, full bleed ({x}, {y})");
            let (dx, dy) = (x as f64 + 0.5 - w / 2.0, y as f64 + 0.5 - h / 2.0);
            if (dx * dx + dy * dy).sqrt() > 0.4 * w && !near(p, &background) {
                outside += 1;
            }
        }
        assert_eq!(
            outside, 0,
            "{src}: {outside} pixels of the picture outside the safe zone"
        );
    }
}
