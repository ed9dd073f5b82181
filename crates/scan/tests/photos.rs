//! The photo formats the command line reads, each through the same function: the same label
//! photographed once and saved as PNG, JPEG, WebP and HEIC (the HEIC written by libheif with
//! x265, not by the decoder under test).

#![cfg(feature = "photo")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_scan::photo::{grey_photo, PhotoError};
use labelcheck_scan::{Budget, Scanner};
use std::path::PathBuf;

fn photo(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/photos")
            .join(name),
    )
    .unwrap()
}

#[test]
fn every_format_reads_the_same_label() {
    let want = String::from_utf8(photo("label.txt")).unwrap();
    for name in ["label.png", "label.jpg", "label.webp", "label.heic"] {
        let grey = grey_photo(&photo(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((grey.width, grey.height), (400, 400), "{name}");
        let found = Scanner::new().read(grey.luma(), Budget::Thorough).unwrap();
        let texts: Vec<String> = found.iter().filter_map(|p| p.plain_text()).collect();
        assert_eq!(texts, vec![want.clone()], "{name}");
    }
}

#[test]
fn a_cut_short_heic_is_damaged_not_a_crash() {
    let heic = photo("label.heic");
    for len in [40, heic.len() / 3, heic.len() - 100] {
        assert_eq!(grey_photo(&heic[..len]), Err(PhotoError::Damaged), "{len} bytes");
    }
}

#[test]
fn heif_with_another_codec_is_named() {
    let mut avif = photo("label.heic");
    avif[8..12].copy_from_slice(b"avif");
    assert_eq!(grey_photo(&avif), Err(PhotoError::Unsupported("AVIF")));
}
