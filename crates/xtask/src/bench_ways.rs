//! What each way of preparing a frame (`labelcheck_scan::Way`) reads, per source of images:
//! alone, and first in the order a photo is tried. A way earns its place in that order by
//! reading images the ways before it miss, in more than one source.
//!
//! `cargo xtask bench-ways ROOT...`: every image under a ROOT with a `.txt` beside it (its
//! exact text) counts; its source is the first folder below the ROOT.

use labelcheck_scan::photo::grey_photo;
use labelcheck_scan::{Budget, Scanner, Way, THOROUGH};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const IMAGE_EXTENSIONS: [&str; 4] = ["png", "jpg", "jpeg", "webp"];

fn images(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            images(&p, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| IMAGE_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
            && p.with_extension("txt").is_file()
        {
            out.push(p);
        }
    }
}

#[derive(Default)]
struct Tally {
    images: usize,
    alone: [usize; 4],
    first: [usize; 4],
    none: usize,
}

fn name(way: Way) -> &'static str {
    match way {
        Way::AsIs => "as is",
        Way::Sharpened => "sharpened",
        Way::Doubled => "doubled",
        Way::Inverted => "inverted",
    }
}

pub fn run(roots: &[String]) {
    assert!(!roots.is_empty(), "usage: cargo xtask bench-ways ROOT...");
    let mut scanner = Scanner::new();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for root in roots {
        let root = Path::new(root);
        let mut paths = Vec::new();
        images(root, &mut paths);
        paths.sort();
        for p in paths {
            let want = std::fs::read_to_string(p.with_extension("txt")).unwrap();
            let Ok(photo) = grey_photo(&std::fs::read(&p).unwrap()) else {
                continue;
            };
            let source = p
                .strip_prefix(root)
                .ok()
                .and_then(|r| r.iter().next())
                .map(|c| c.to_string_lossy().into_owned())
                .unwrap_or_default();
            let t = tallies.entry(source).or_default();
            t.images += 1;
            let mut first = None;
            for (i, way) in THOROUGH.into_iter().enumerate() {
                let read = scanner
                    .read(photo.luma(), Budget::Only(way))
                    .is_ok_and(|ps| ps.iter().any(|p| p.text() == want));
                if read {
                    t.alone[i] += 1;
                    first.get_or_insert(i);
                }
            }
            match first {
                Some(i) => t.first[i] += 1,
                None => t.none += 1,
            }
        }
    }
    let ways = THOROUGH.map(name).join(" / ");
    println!("| source | images | read by each way alone ({ways}) | read first by ({ways}) | by none |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let fmt = |a: [usize; 4]| a.map(|n| n.to_string()).join(" / ");
    let mut all = Tally::default();
    for (source, t) in &tallies {
        println!(
            "| {source} | {} | {} | {} | {} |",
            t.images,
            fmt(t.alone),
            fmt(t.first),
            t.none
        );
        all.images += t.images;
        all.none += t.none;
        for i in 0..4 {
            all.alone[i] += t.alone[i];
            all.first[i] += t.first[i];
        }
    }
    println!(
        "| **all** | {} | {} | {} | {} |",
        all.images,
        fmt(all.alone),
        fmt(all.first),
        all.none
    );
}
