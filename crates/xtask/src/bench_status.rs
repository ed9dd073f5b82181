//! Revocation at a programme's scale (`scripts/bench-status`, which builds what it needs
//! first): a demo authority whose register numbers 10,000,000 labels (100 products × 100,000
//! units, reserved through the register as `issue` reserves them, but not signed) and 100,000
//! labels issued for real; 10 products withdrawn and 10,000 single serials revoked at random in
//! 100 acts on 100 days, every act through `labelcheck revoke`. Then:
//!
//! - the bytes a phone downloads to check one label's status (its partition, as published and
//!   compressed as a host serves it), and all the authority publishes;
//! - the time `revoke` takes to withdraw a product and to revoke 100 more serials (reading the
//!   register and the partitions, re-signing and writing them all);
//! - `verify --offline` of the 100,000 real labels with the lists an inspector takes along,
//!   against an earlier build (labels without status) in the same run;
//! - on the emulated cheap phone of `bench-phone`, a genuine label of this programme and a
//!   label of a programme whose revocation list is empty, cold and warm, in the same run.
//!
//! Prints Markdown; with `--write` puts it into BENCHMARKS.md between the `bench-status`
//! markers.

use crate::bench_phone::{cold_and_warm, median, serve, Visit};
use labelcheck_authority::register::{Register, Wanted};
use labelcheck_authority::rows::Units;
use labelcheck_core::Timestamp;
use labelcheck_testkit::serve::root;
use labelcheck_testkit::serve::webdriver::Driver;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const PRODUCTS_PER_BATCH: usize = 10;
const BATCHES: usize = 10;
const UNITS: u64 = 100_000;
const WITHDRAWN: usize = 10;
const SINGLES: usize = 10_000;
const ACTS: usize = 100;
const REAL_PRODUCTS: usize = 100;
const REAL_UNITS: usize = 1_000;
/// The demo's own 12 labels take the first status numbers.
const FIRST: u64 = 13;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// Runs `bin ARGS` in `dir`; stops the benchmark with its message if it fails.
fn lc(bin: &Path, dir: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(bin)
        .args(["--lang", "en"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{} {args:?}: {}",
        bin.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn timed(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64()
}

/// A small deterministic generator: the same programme every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Timestamp(secs)
}

fn real_batch(demo: &Path, bin: &Path) -> f64 {
    let shared = labelcheck_testkit::demo_defaults(demo);
    std::fs::write(demo.join("defaults.json"), shared.to_string()).unwrap();
    let mut csv = String::from("maker,model,level,units,product.name,product.category,product.firmware_versions\n");
    for p in 0..REAL_PRODUCTS {
        let _ = writeln!(csv, "Real Devices Ltd.,R-{p:02},2,{REAL_UNITS},R-{p:02},camera,1.0");
    }
    std::fs::write(demo.join("real.csv"), csv).unwrap();
    timed(|| {
        lc(
            bin,
            demo,
            &[
                "issue",
                "--batch",
                "real.csv",
                "--defaults",
                "defaults.json",
                "--key",
                "private/k1.jwk",
                "--authority",
                "authority.json",
                "--out-dir",
                "real",
            ],
        );
    })
}

fn revoke(bin: &Path, demo: &Path, args: &[&str]) -> f64 {
    let mut all = vec!["revoke", "--authority", "authority.json", "--root", "private/root.jwk"];
    all.extend(args);
    timed(|| {
        let out = lc(bin, demo, &all);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    })
}

/// Sizes of a file as published: as is, and the gzip -9 and brotli copies a host serves
/// (`scripts/precompress.mjs` writes them).
fn sizes(file: &Path) -> (u64, u64, u64) {
    let len = |p: PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let name = file.to_string_lossy();
    (
        len(file.to_path_buf()),
        len(PathBuf::from(format!("{name}.gz"))),
        len(PathBuf::from(format!("{name}.br"))),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .args(["-R", &format!("{}/.", from.display())])
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

/// The built app with an authority's public files laid over it, as the build hook lays the
/// demo's: the lists also as the copies built into the app, preloaded and precompressed.
fn site(dist: &Path, public: &Path, out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out.join("lists")).unwrap();
    copy_dir(dist, out);
    copy_dir(public, out);
    for kind in ["keys", "revocations"] {
        std::fs::copy(
            public.join(format!("demo/{kind}.jws")),
            out.join(format!("lists/DEMO.{kind}.jws")),
        )
        .unwrap();
    }
    if let Ok(parts) = std::fs::read_dir(public.join("demo/status")) {
        for p in parts.flatten() {
            let name = p.file_name().to_string_lossy().into_owned();
            if name.ends_with(".jws") {
                std::fs::copy(p.path(), out.join(format!("lists/DEMO.status-{name}"))).unwrap();
            }
        }
    }
    let r = root();
    assert!(Command::new("sh")
        .arg(r.join("scripts/preload.sh"))
        .arg(out)
        .status()
        .unwrap()
        .success());
    assert!(Command::new("node")
        .arg(r.join("scripts/precompress.mjs"))
        .arg(out)
        .status()
        .unwrap()
        .success());
}

/// `verify --offline` of every text of `texts`, 1,000 a run (a command line holds no more):
/// the seconds it took and the verdicts counted.
fn verify_all(bin: &Path, dir: &Path, lists: &[&str], texts: &[String]) -> (f64, Vec<(String, usize)>) {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let secs = timed(|| {
        for chunk in texts.chunks(1_000) {
            let mut args = vec!["verify", "--offline", "--json"];
            args.extend(lists);
            args.extend(chunk.iter().map(String::as_str));
            let out = lc(bin, dir, &args);
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                let v: Value = serde_json::from_str(line).unwrap();
                *counts
                    .entry(v["verdict"].as_str().unwrap_or("?").to_owned())
                    .or_default() += 1;
            }
        }
    });
    (secs, counts.into_iter().collect())
}

fn texts(folder: &Path) -> Vec<String> {
    std::fs::read_to_string(folder.join("qr-texts.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

pub fn run(args: &[String]) {
    let new = PathBuf::from(arg(args, "--new").expect("--new BIN: this checkout's labelcheck"));
    let old = arg(args, "--old").map(PathBuf::from);
    let dist = PathBuf::from(arg(args, "--dist").expect("--dist DIR: the app built without its demo"));
    let runs: usize = arg(args, "--runs").and_then(|r| r.parse().ok()).unwrap_or(5);
    let out = root().join("target/bench-status");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let mut md = String::new();

    // The programme: registered, partly issued, withdrawn.
    eprintln!(
        "bench-status: a register of {} labels",
        BATCHES * PRODUCTS_PER_BATCH * UNITS as usize
    );
    lc(&new, &out, &["demo", "programme", "--origin", "http://127.0.0.1:8093"]);
    let prog = out.join("programme");
    let mut reg = Register::open(&prog.join("private/DEMO.serials")).unwrap();
    let products: Vec<(String, String)> = (0..BATCHES * PRODUCTS_PER_BATCH)
        .map(|i| (format!("Maker {:02}", i / PRODUCTS_PER_BATCH), format!("Model {i:02}")))
        .collect();
    let units = Units::Count(UNITS);
    for b in 0..BATCHES {
        let rows: Vec<Wanted<'_>> = products[b * PRODUCTS_PER_BATCH..(b + 1) * PRODUCTS_PER_BATCH]
            .iter()
            .map(|(maker, model)| Wanted {
                units: &units,
                kid: "k1",
                maker,
                model,
            })
            .collect();
        reg.reserve(&format!("sim{b:02}"), &rows, now()).unwrap();
    }
    drop(reg);
    eprintln!("bench-status: issuing {} labels", REAL_PRODUCTS * REAL_UNITS);
    let issue_secs = real_batch(&prog, &new);
    let real = texts(&prog.join("real"));
    let real_first = FIRST + BATCHES as u64 * PRODUCTS_PER_BATCH as u64 * UNITS;
    let last = real_first + real.len() as u64 - 1;

    eprintln!("bench-status: withdrawing {WITHDRAWN} products");
    let mut rng = Rng(0x5eed_1abe_1c4e_c4ed);
    let mut withdrawn: Vec<usize> = Vec::new();
    while withdrawn.len() < WITHDRAWN {
        let p = rng.below(products.len() as u64) as usize;
        if !withdrawn.contains(&p) {
            withdrawn.push(p);
        }
    }
    let product_secs: Vec<f64> = withdrawn
        .iter()
        .map(|&p| {
            let (maker, model) = &products[p];
            revoke(
                &new,
                &prog,
                &["--maker", maker, "--model", model, "--reason", "withdrawn"],
            )
        })
        .collect();
    let is_withdrawn = |n: u64| n < real_first && withdrawn.contains(&(((n - FIRST) / UNITS) as usize));
    eprintln!("bench-status: revoking {SINGLES} single serials in {ACTS} acts");
    let mut chosen = std::collections::BTreeSet::new();
    while chosen.len() < SINGLES + 3 * 100 {
        let n = FIRST + rng.below(last - FIRST + 1);
        if !is_withdrawn(n) {
            chosen.insert(n);
        }
    }
    let mut chosen: Vec<u64> = chosen.into_iter().collect();
    // Shuffled, so that each act's serials fall anywhere.
    for i in (1..chosen.len()).rev() {
        chosen.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let today = now().date();
    let act = |k: usize, serials: &[u64]| -> f64 {
        let file = prog.join(format!("serials-{k}.txt"));
        let list: String = serials.iter().map(|n| format!("DEMO-{n:08}\n")).collect();
        std::fs::write(&file, list).unwrap();
        let date = today.add_days(-(k as i64) * 7).to_string();
        revoke(
            &new,
            &prog,
            &[
                "--serials",
                &file.to_string_lossy(),
                "--reason",
                "misuse",
                "--date",
                &date,
            ],
        )
    };
    let per = SINGLES / ACTS;
    let mut single_secs = Vec::new();
    for k in 0..ACTS {
        single_secs.push(act(k + 3, &chosen[k * per..(k + 1) * per]));
    }
    // 100 more revocations, three times: the figure an authority waits for.
    let more_secs: Vec<f64> = (0..3)
        .map(|k| act(k, &chosen[SINGLES + k * 100..SINGLES + (k + 1) * 100]))
        .collect();

    // What is published, and what one label's check downloads.
    let status = prog.join("public/demo/status");
    let published = out.join("published");
    std::fs::create_dir_all(&published).unwrap();
    copy_dir(&status, &published);
    std::fs::copy(
        prog.join("public/demo/revocations.jws"),
        published.join("revocations.jws"),
    )
    .unwrap();
    assert!(Command::new("node")
        .arg(root().join("scripts/precompress.mjs"))
        .arg(&published)
        .status()
        .unwrap()
        .success());
    let mut parts: Vec<(u32, (u64, u64, u64))> = std::fs::read_dir(&published)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let n: u32 = name.strip_suffix(".jws")?.parse().ok()?;
            Some((n, sizes(&e.path())))
        })
        .collect();
    parts.sort_unstable();
    let revocations = sizes(&published.join("revocations.jws"));
    let max = |f: fn(&(u64, u64, u64)) -> u64| parts.iter().map(|(_, s)| f(s)).max().unwrap_or(0);
    let total = |f: fn(&(u64, u64, u64)) -> u64| parts.iter().map(|(_, s)| f(s)).sum::<u64>();

    let _ = writeln!(
        md,
        "A programme of {} labels: {} products × {} units numbered by the register (reserved as \
         `issue` reserves them, not signed), and {} labels issued for real ({} products × {}, in {:.0} s). \
         {WITHDRAWN} products withdrawn ({} labels), then {SINGLES} single serials revoked at random in \
         {ACTS} acts of {} on {ACTS} different days, each act a `labelcheck revoke`; the status list \
         is {} partitions.\n",
        fmt(last - FIRST + 1),
        products.len(),
        fmt(UNITS),
        fmt(real.len() as u64),
        REAL_PRODUCTS,
        REAL_UNITS,
        issue_secs,
        fmt(WITHDRAWN as u64 * UNITS),
        per,
        parts.len()
    );
    let _ = writeln!(md, "| published file | bytes | gzip -9 | brotli |");
    let _ = writeln!(md, "| --- | ---: | ---: | ---: |");
    for (n, (raw, gz, br)) in &parts {
        let _ = writeln!(
            md,
            "| status partition {n} | {} | {} | {} |",
            fmt(*raw),
            fmt(*gz),
            fmt(*br)
        );
    }
    let (raw, gz, br) = revocations;
    let _ = writeln!(
        md,
        "| revocation list ({WITHDRAWN} acts) | {} | {} | {} |",
        fmt(raw),
        fmt(gz),
        fmt(br)
    );
    let _ = writeln!(
        md,
        "| **all status data** | **{}** | **{}** | **{}** |",
        fmt(total(|s| s.0) + raw),
        fmt(total(|s| s.1) + gz),
        fmt(total(|s| s.2) + br)
    );
    let _ = writeln!(
        md,
        "\nTo check any one label's status a phone downloads its partition: at most **{} bytes** as \
         published, {} gzip, {} brotli (signature and encoding included); the revocation list it \
         fetches anyway is {} bytes ({} gzip).\n",
        fmt(max(|s| s.0)),
        fmt(max(|s| s.1)),
        fmt(max(|s| s.2)),
        fmt(raw),
        fmt(gz)
    );
    let _ = writeln!(
        md,
        "| `labelcheck revoke` (release, {} partitions re-signed) | seconds, median | max |",
        parts.len()
    );
    let _ = writeln!(md, "| --- | ---: | ---: |");
    for (what, secs) in [
        ("withdraw a product (100,000 labels)", &product_secs),
        ("revoke 100 single serials", &single_secs),
        ("revoke 100 more serials, at the end", &more_secs),
    ] {
        let m = median(secs.clone());
        let x = secs.iter().copied().fold(0.0, f64::max);
        let _ = writeln!(md, "| {what} | {m:.2} | {x:.2} |");
    }

    // An inspector's offline batch: this build with the lists of `labelcheck lists`, an
    // earlier build (labels without status) with its own lists, alternating.
    lc(&new, &prog, &["lists", "--out", "inspector"]);
    let trust = prog.join("public/trust.json").to_string_lossy().into_owned();
    let inspector = prog.join("inspector").to_string_lossy().into_owned();
    let new_lists = ["--trust", trust.as_str(), "--lists", inspector.as_str()];
    let mut rows = Vec::new();
    let earlier = old.as_ref().map(|old| {
        lc(old, &out, &["demo", "earlier"]);
        let e = out.join("earlier");
        real_batch(&e, old);
        (e.clone(), texts(&e.join("real")))
    });
    let (mut new_secs, mut old_secs) = (Vec::new(), Vec::new());
    let (mut new_counts, mut old_counts) = (Vec::new(), Vec::new());
    for round in 0..3 {
        eprintln!("bench-status: verify --offline, round {}", round + 1);
        let (s, c) = verify_all(&new, &out, &new_lists, &real);
        new_secs.push(s);
        new_counts = c;
        if let (Some(old), Some((e, old_texts))) = (&old, &earlier) {
            let d = |p: &str| e.join(p).to_string_lossy().into_owned();
            let (t, k, r) = (
                d("public/trust.json"),
                d("public/demo/keys.jws"),
                d("public/demo/revocations.jws"),
            );
            let lists = ["--trust", t.as_str(), "--keys", k.as_str(), "--revocations", r.as_str()];
            let (s, c) = verify_all(old, &out, &lists, old_texts);
            old_secs.push(s);
            old_counts = c;
        }
    }
    let counts = |c: &[(String, usize)]| {
        c.iter()
            .map(|(v, n)| format!("{} {v}", fmt(*n as u64)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    rows.push((
        "this build (labels with status, 10 partitions)",
        new_secs,
        counts(&new_counts),
    ));
    if old.is_some() {
        rows.push(("earlier build (labels without status)", old_secs, counts(&old_counts)));
    }
    let _ = writeln!(
        md,
        "\n`labelcheck verify --offline --json` of {} labels, 1,000 per run, median of 3 rounds \
         alternating:\n",
        fmt(real.len() as u64)
    );
    let _ = writeln!(md, "| build | seconds | labels/s | verdicts |");
    let _ = writeln!(md, "| --- | ---: | ---: | --- |");
    for (name, secs, verdicts) in rows {
        let m = median(secs);
        let _ = writeln!(
            md,
            "| {name} | {m:.1} | {} | {verdicts} |",
            fmt((real.len() as f64 / m) as u64)
        );
    }

    // The phone: a genuine label of this programme, and of a programme with an empty list.
    eprintln!("bench-status: the emulated phone");
    let revoked_real: std::collections::HashSet<u64> = chosen[..SINGLES + 300]
        .iter()
        .copied()
        .filter(|n| *n >= real_first)
        .collect();
    let manifest: Value = serde_json::from_slice(&std::fs::read(prog.join("real/manifest.json")).unwrap()).unwrap();
    let pick = manifest["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| {
            let serial = l["serial"].as_str().unwrap_or_default();
            let n: u64 = serial.trim_start_matches("DEMO-").parse().unwrap_or(0);
            n >= real_first + 500 && !revoked_real.contains(&n)
        })
        .expect("a genuine real label")
        .clone();
    let serial = pick["serial"].as_str().unwrap();
    let site_prog = out.join("site-programme");
    site(&dist, &prog.join("public"), &site_prog);
    std::fs::copy(
        prog.join("real").join(format!("{serial}.jws")),
        site_prog.join(format!("demo/reports/{serial}.jws")),
    )
    .unwrap();
    let labels = serde_json::json!({ "labels": [{ "case": "genuine", "qr": pick["qr_text"] }] });
    std::fs::write(site_prog.join("demo/labels.json"), labels.to_string()).unwrap();

    lc(&new, &out, &["demo", "empty", "--origin", "http://127.0.0.1:8092"]);
    let empty = out.join("empty");
    lc(
        &new,
        &empty,
        &[
            "revoke",
            "--list",
            "empty.jws",
            "--root",
            "private/root.jwk",
            "--new",
            "DEMO",
        ],
    );
    std::fs::copy(empty.join("empty.jws"), empty.join("public/demo/revocations.jws")).unwrap();
    std::fs::remove_dir_all(empty.join("public/demo/status")).unwrap();
    let site_empty = out.join("site-empty");
    site(&dist, &empty.join("public"), &site_empty);

    let apps = [
        serve("empty list", &site_empty, 8092),
        serve("10M-label programme", &site_prog, 8093),
    ];
    let driver = Driver::start();
    for app in &apps {
        let s = driver.session(&[], "en-US");
        s.goto(&app.label_link("genuine"));
        let deadline = Instant::now() + std::time::Duration::from_secs(60);
        let verdict = loop {
            let v = s.script("const e = document.querySelector('[data-verdict]'); return e ? e.dataset.verdict : null");
            if let Some(v) = v.as_str() {
                break v.to_owned();
            }
            assert!(Instant::now() < deadline, "no verdict on {}", app.origin());
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        assert_eq!(verdict, "genuine", "the measured label of {}", app.origin());
    }
    let mut timings: Vec<(Vec<Visit>, Vec<Visit>)> = apps.iter().map(|_| (Vec::new(), Vec::new())).collect();
    for round in 0..runs {
        for (app, t) in apps.iter().zip(timings.iter_mut()) {
            let (cold, warm) = cold_and_warm(&driver, app);
            eprintln!("bench-status: phone round {}: cold {cold:?}, warm {warm:?}", round + 1);
            t.0.push(cold);
            t.1.push(warm);
        }
    }
    let _ = writeln!(
        md,
        "\nOn the emulated cheap phone of `bench-phone` (CPU slowed 4×, 150 ms latency, 1.6 Mbit/s \
         down; served compressed by `scripts/serve.py`), a genuine label's link, median of {runs} \
         runs, the two programmes in turn; the programme's label is in partition {} (about {} single \
         revocations), fetched from the copy built into the app and the published one:\n",
        (real_first + 500) >> 20,
        fmt((SINGLES / parts.len().max(1)) as u64)
    );
    let _ = writeln!(md, "| programme | visit | verdict ms | bytes transferred by then |");
    let _ = writeln!(md, "| --- | --- | ---: | ---: |");
    for ((cold, warm), name) in timings
        .iter()
        .zip(["empty revocation list", "10,000,000 labels, 1,010,000 revoked"])
    {
        for (kind, visits) in [("cold", cold), ("warm", warm)] {
            let _ = writeln!(
                md,
                "| {name} | {kind} | {:.0} | {} |",
                median(visits.iter().map(|v| v.verdict).collect()),
                fmt(median(visits.iter().map(|v| v.bytes).collect()) as u64)
            );
        }
    }
    print!("{md}");
    if args.iter().any(|a| a == "--write") {
        write_section(&md, arg(args, "--machine").unwrap_or_default());
    }
}

/// 1234567 → "1,234,567".
fn fmt(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Replaces what is between `<!-- bench-status:start -->` and `<!-- bench-status:end -->`.
fn write_section(md: &str, machine: String) {
    let path = root().join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- bench-status:start -->", "<!-- bench-status:end -->");
    let (Some(a), Some(b)) = (text.find(start), text.find(end)) else {
        panic!("BENCHMARKS.md has no {start} … {end} section");
    };
    let date = now().date();
    let updated = format!("{}{start}\nRun of {date}, {machine}:\n\n{md}{}", &text[..a], &text[b..]);
    std::fs::write(&path, updated).unwrap();
}
