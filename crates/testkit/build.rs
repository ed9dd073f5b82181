//! Embeds the committed test vectors (`tests/vectors/`), so that tests read them the same way
//! natively and in a browser, where there is no file system.

use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("../../tests/vectors");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed={}", dir.join("authority").display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from("/// Every vector file: its name and text.\npub const FILES: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string());
    }
    out.push_str("];\n");
    for (konst, file) in [
        ("TRUST", "trust.json"),
        ("KEYS", "keys.jws"),
        ("REVOCATIONS", "revocations.jws"),
    ] {
        let path = dir.join("authority").join(file);
        let _ = writeln!(
            out,
            "pub const {konst}: &[u8] = include_bytes!({:?});",
            path.display().to_string()
        );
    }
    let target = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("vectors.rs");
    if let Err(e) = std::fs::write(&target, out) {
        println!("cargo:warning=cannot write {}: {e}", target.display());
    }
}
