//! The inputs of `labelcheck verify`: texts as given, image files, and folders searched for
//! images. Photos are decoded on every core, results handed back in input order.

use crate::error::Result;
use crate::images;
use labelcheck_authority::error::{Action, Error};
use labelcheck_core::reason::ImageProblem;
use std::collections::BTreeMap;
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

/// Folders become the images in them; an existing file is a photo; anything else is a text.
pub fn expand(inputs: &[String]) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for s in inputs {
        let path = Path::new(s);
        if path.is_dir() {
            let mut found = Vec::new();
            images_in(path, &mut found)?;
            out.extend(found.into_iter().map(Input::Photo));
        } else if path.is_file() {
            out.push(Input::Photo(path.to_path_buf()));
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
