//! `labelcheck verify` over folders of photos: several labels per photo, a cloned label on two
//! products, a counterfeit, a photo without a code; the report (CSV and JSON) and the summary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{json_lines, run, stdout};
use image::{imageops, GrayImage, ImageFormat, Luma};
use serde_json::Value;
use std::path::Path;

/// Demo labels stuck side by side on a grey shelf, photographed.
fn photo(demo: &Path, labels: &[&Value], out: &Path) {
    let (w, h) = (700 * labels.len() as u32 + 100, 900);
    let mut shelf = GrayImage::from_fn(w, h, |x, y| Luma([118 + ((x / 7 + y / 5) % 9) as u8]));
    for (i, l) in labels.iter().enumerate() {
        let label = image::open(demo.join(l["png"].as_str().unwrap())).unwrap().to_luma8();
        let label = imageops::resize(&label, 476, 629, imageops::FilterType::Triangle);
        imageops::overlay(&mut shelf, &label, 100 + 700 * i as i64, 120);
    }
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let format = if out.extension().unwrap() == "jpg" {
        ImageFormat::Jpeg
    } else {
        ImageFormat::Png
    };
    shelf.save_with_format(out, format).unwrap();
}

#[test]
fn a_folder_of_shelf_photos_gets_a_report_with_the_clone_and_the_counterfeit() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(&["demo", "demo"], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let demo = tmp.path().join("demo");
    let listing: Value = serde_json::from_slice(&std::fs::read(demo.join("labels.json")).unwrap()).unwrap();
    let label = |case: &str| {
        listing["labels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["case"] == case)
            .unwrap()
            .clone()
    };
    let (genuine, three, fake, revoked) = (
        label("genuine"),
        label("genuine-3-star"),
        label("tampered-claim"),
        label("revoked"),
    );
    let shelf = demo.join("shelf");
    photo(&demo, &[&genuine, &three], &shelf.join("01-left.png"));
    photo(&demo, &[&fake], &shelf.join("02-aisle/02-middle.jpg"));
    photo(&demo, &[&revoked, &genuine], &shelf.join("02-aisle/03-right.png"));
    GrayImage::from_pixel(400, 300, Luma([120]))
        .save(shelf.join("04-blurred.png"))
        .unwrap();
    std::fs::write(shelf.join("notes.txt"), "not a photo").unwrap();

    let out = run(
        &[
            "verify",
            "--json",
            "--name",
            "Shelf 4",
            "--report",
            "audit.json",
            "shelf",
        ],
        &demo,
    );
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    let got: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            (
                Path::new(l["input"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                l["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        ("01-left.png", "genuine"),
        ("01-left.png", "genuine"),
        ("02-middle.jpg", "not-genuine"),
        ("03-right.png", "revoked"),
        ("03-right.png", "genuine"),
        ("04-blurred.png", "cannot-check"),
    ];
    let mut sorted_got = got.clone();
    // Labels within one photo come in the decoder's order.
    sorted_got[..2].sort();
    sorted_got[3..5].sort();
    let mut sorted_want: Vec<(String, String)> = want.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect();
    sorted_want[3..5].sort();
    assert_eq!(sorted_got, sorted_want);
    // The second copy of the genuine label says which item carried it first.
    let copy = lines
        .iter()
        .find(|l| l["clone_of"].as_array().is_some_and(|c| !c.is_empty()))
        .unwrap();
    assert_eq!(copy["label"]["serial"], genuine["serial"]);
    assert!(copy["input"].as_str().unwrap().ends_with("03-right.png"));

    let report: Value = serde_json::from_slice(&std::fs::read(demo.join("audit.json")).unwrap()).unwrap();
    assert_eq!(report["name"], "Shelf 4");
    assert_eq!(report["summary"]["items"], 6);
    assert_eq!(report["summary"]["by_verdict"]["genuine"], 3);
    assert_eq!(report["summary"]["by_verdict"]["not-genuine"], 1);
    assert_eq!(report["summary"]["by_verdict"]["revoked"], 1);
    assert_eq!(report["summary"]["by_verdict"]["cannot-check"], 1);
    let clones = report["summary"]["clones"].as_array().unwrap();
    assert_eq!(clones.len(), 1);
    assert_eq!(clones[0]["serial"], genuine["serial"]);
    let cloned: Vec<u64> = clones[0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert_eq!(cloned.len(), 2);
    // Each item names the earlier items with its serial, as the --json lines do.
    let item = |n: u64| &report["items"][(n - 1) as usize];
    assert_eq!(item(cloned[0])["serial"], genuine["serial"]);
    assert_eq!(item(cloned[1])["serial"], genuine["serial"]);
    assert_eq!(item(cloned[0])["clone_of"], serde_json::json!([]));
    assert_eq!(item(cloned[1])["clone_of"], serde_json::json!([cloned[0]]));
    let blurred = &report["items"][5];
    assert_eq!(blurred["reason_code"], "no-code-found");
    assert!(blurred["source"].as_str().unwrap().ends_with("04-blurred.png"));

    // The same batch as CSV, and the summary people read.
    let out = run(&["verify", "--report", "audit.csv", "shelf"], &demo);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("CLONED LABEL?"), "{text}");
    assert!(
        text.contains(&format!(
            "CLONED: serial {} of DEMO on item",
            genuine["serial"].as_str().unwrap()
        )),
        "{text}"
    );
    // Six items (five labels and a photo without one), from four photos.
    assert!(text.contains("Summary: 6 items from 4 photos"), "{text}");
    assert!(text.contains("3 genuine"), "{text}");
    let csv = std::fs::read_to_string(demo.join("audit.csv")).unwrap();
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 7, "{csv}");
    assert!(rows[0]
        .trim_start_matches('\u{feff}')
        .starts_with("item,checked_at,source,verdict,"));
    let with_clone = rows[1..]
        .iter()
        .filter(|r| r.contains(genuine["serial"].as_str().unwrap()))
        .count();
    assert_eq!(with_clone, 2);
    assert!(!demo.join("audit.csv.partial").exists());

    // A report file of another kind is refused before anything is checked.
    let out = run(&["verify", "--report", "audit.xlsx", "shelf"], &demo);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".csv or .json"));
    assert_eq!(stdout(&out), "", "nothing was checked");
}
