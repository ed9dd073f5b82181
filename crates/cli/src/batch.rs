//! The inputs of `labelcheck verify`: texts as given, image files, and folders searched for
//! images. Photos are decoded on every core, results handed back in input order.

use crate::error::{fail, path as shown, said, Result};
use crate::{files, images};
use labelcheck_authority::error::{Action, Error};
use labelcheck_core::reason::ImageProblem;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

pub enum Input {
    Text(String),
    Photo(PathBuf),
}

/// What one input yielded: the QR texts to verify, or why none could be read.
pub struct Found {
    pub input: String,
    pub is_photo: bool,
    pub texts: std::result::Result<Vec<String>, ImageProblem>,
}

/// What folders are searched for: the photo formats `labelcheck_scan::photo` reads.
const IMAGE_EXTENSIONS: [&str; 6] = ["png", "jpg", "jpeg", "webp", "heic", "heif"];

fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Image files under `dir`, in name order; links to folders are not followed (no cycles).
fn images_in(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, Action::Read, &e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path).map_err(|e| Error::io(&path, Action::Read, &e))?;
        if meta.is_dir() {
            images_in(&path, out)?;
        } else if is_image(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// The most a list of inputs (standard input, `--from FILE`) may hold: a scanner's log of a
/// large shipment is a few megabytes.
const MAX_INPUT_LIST_BYTES: usize = 256 * 1024 * 1024;

/// One input as given: on the command line, or a line of standard input or of a `--from` file
/// (`listed`).
pub struct Given {
    pub text: String,
    pub listed: bool,
}

/// The inputs as given: `-` is standard input and `--from` files are read, one input a line
/// (blank lines skipped, line ends of any platform).
pub fn given(args: &[String], from: &[PathBuf]) -> Result<Vec<Given>> {
    let mut out = Vec::new();
    let mut stdin_read = false;
    let lines = |text: &str, out: &mut Vec<Given>| {
        out.extend(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Given {
            text: l.to_owned(),
            listed: true,
        }));
    };
    let mut read_stdin = |out: &mut Vec<Given>| -> Result<()> {
        // Standard input can be read once: a second `-` adds nothing.
        if std::mem::replace(&mut stdin_read, true) {
            return Ok(());
        }
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_LIST_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(Path::new("-"), Action::Read, &e))?;
        if bytes.len() > MAX_INPUT_LIST_BYTES {
            return Err(fail(
                said("inputs-too-large")
                    .text("path", "-")
                    .text("max", MAX_INPUT_LIST_BYTES),
            ));
        }
        lines(&String::from_utf8_lossy(&bytes), out);
        Ok(())
    };
    for f in from {
        if f.as_os_str() == "-" {
            read_stdin(&mut out)?;
        } else {
            let bytes = files::read_limited(f, MAX_INPUT_LIST_BYTES)?;
            lines(&String::from_utf8_lossy(&bytes), &mut out);
        }
    }
    for a in args {
        if a == "-" {
            read_stdin(&mut out)?;
        } else {
            out.push(Given {
                text: a.clone(),
                listed: false,
            });
        }
    }
    Ok(out)
}

/// Whether an argument that is neither a file nor a folder was meant as one: a label's QR text
/// is a link (`https://…`) or text without a path's shape, while `photos/IMG_1.jpg`, `C:\\x`
/// or an unmatched `*.jpg` is a mistyped or missing file.
fn meant_as_path(s: &str) -> bool {
    !s.contains("://") && (s.contains(['/', '\\', '*']) || is_image(Path::new(s)))
}

/// Folders become the images in them; an existing file is a photo, given once however often
/// it is named (the same photo twice is one item, not a clone); anything else is a text. A
/// missing file or a folder without photos given as an argument is refused before any work; a
/// listed line naming a missing photo is an item that could not be read, so that one bad line
/// of a long list is said beside the others.
pub fn expand(inputs: &[Given]) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut photo = |p: PathBuf, out: &mut Vec<Input>| {
        let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if seen.insert(key) {
            out.push(Input::Photo(p));
        }
    };
    for g in inputs {
        let (s, path) = (&g.text, Path::new(&g.text));
        if path.is_dir() {
            let mut found = Vec::new();
            images_in(path, &mut found)?;
            if found.is_empty() {
                let kinds = IMAGE_EXTENSIONS.map(|e| format!(".{e}")).join(", ");
                return Err(fail(said("no-photos").arg("path", shown(path)).text("kinds", kinds)));
            }
            for p in found {
                photo(p, &mut out);
            }
        } else if path.is_file() || (g.listed && !s.contains("://") && is_image(path)) {
            photo(path.to_path_buf(), &mut out);
        } else if !g.listed && meant_as_path(s) {
            return Err(fail(said("no-such-input").arg("path", shown(path))));
        } else {
            out.push(Input::Text(s.clone()));
        }
    }
    Ok(out)
}

/// Calls `each` with every input's texts in input order while photos decode in parallel.
pub fn read_all(inputs: Vec<Input>, mut each: impl FnMut(Found) -> Result<()>) -> Result<()> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let next = AtomicUsize::new(0);
    let inputs = &inputs;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Found)>();
        for _ in 0..workers {
            let (tx, next) = (tx.clone(), &next);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(input) = inputs.get(i) else { break };
                let found = match input {
                    Input::Text(t) => Found {
                        input: t.clone(),
                        is_photo: false,
                        texts: Ok(vec![t.clone()]),
                    },
                    Input::Photo(p) => Found {
                        input: p.display().to_string(),
                        is_photo: true,
                        texts: images::decode_file(p),
                    },
                };
                if tx.send((i, found)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        // Results that arrive before their turn wait here (QR texts only: small).
        let mut waiting = BTreeMap::new();
        let mut turn = 0;
        for (i, found) in rx {
            waiting.insert(i, found);
            while let Some(found) = waiting.remove(&turn) {
                turn += 1;
                if let Err(e) = each(found) {
                    // Stop handing out work; the workers finish what they hold.
                    next.store(usize::MAX / 2, Ordering::SeqCst);
                    return Err(e);
                }
            }
        }
        Ok(())
    })
}
