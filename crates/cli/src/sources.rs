//! Where the command gets lists and reports from: a URL fetched under the app's policy, a file,
//! or a local copy of a URL (a mirror: a prefix and the folder that holds what is under it, as
//! `labelcheck.json` names them), and the lists of a folder written by `labelcheck lists`.

use crate::config::{self, Loaded};
use crate::error::{fail, said, Result};
use crate::{fetch, files};
use labelcheck_core::limits::{MAX_REPORT_BYTES, MAX_TRUST_FILE_BYTES};
use labelcheck_core::list_store::ListProblem;
use labelcheck_core::{Arg, FetchProblem, ListKind, TrustAnchors};
use labelcheck_words::{self as words, Lang, Msg};
use std::path::{Path, PathBuf};

/// The trust file (`--trust`, else the configuration's) and its anchors.
pub fn trust(given: Option<&Path>, cfg: Option<&Loaded>) -> Result<(PathBuf, TrustAnchors)> {
    let path = given
        .map(Path::to_path_buf)
        .or_else(|| cfg.map(|c| c.trust.clone()))
        .ok_or_else(|| fail(said("no-trust").text("config", config::FILE_NAME)))?;
    let bytes = files::read_limited(&path, MAX_TRUST_FILE_BYTES)?;
    let anchors = labelcheck_authority::trust::parse(&path, &bytes)?;
    Ok((path, anchors))
}

/// Says on standard error that `authority`'s list of `kind` was not brought up to date from
/// `source`, and why.
pub fn say_not_updated(lang: Lang, kind: ListKind, authority: &str, source: &str, problem: &ListProblem) {
    let args = [
        ("list", Arg::Word(format!("list.{}", kind.name()))),
        ("authority", Arg::Text(authority.to_owned())),
        ("source", Arg::Text(source.to_owned())),
        ("why", Arg::Text(words::message(lang, &problem.message()))),
    ];
    eprintln!("labelcheck: {}", words::say(lang, Msg::ListNotUpdated, &args));
}

pub struct Sources {
    pub mirrors: Vec<(String, PathBuf)>,
    pub reports_dir: Option<PathBuf>,
    pub offline: bool,
}

pub fn is_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// A list from a URL or a file, under the same limits.
pub fn load(source: &str, max: usize) -> std::result::Result<Vec<u8>, FetchProblem> {
    if is_url(source) {
        return fetch::get(source, max).map_err(|f| f.problem);
    }
    files::read_limited(Path::new(source), max).map_err(|_| {
        if Path::new(source).metadata().is_ok_and(|m| m.len() > max as u64) {
            FetchProblem::TooLarge
        } else {
            FetchProblem::Unreachable
        }
    })
}

impl Sources {
    pub fn report(&self, url: &str) -> std::result::Result<Vec<u8>, FetchProblem> {
        self.get(url, MAX_REPORT_BYTES, true)
    }

    /// A status list partition: from a mirror, else fetched (not when offline: a mirror is
    /// a copy on this computer, and is read offline too).
    pub fn status(&self, url: &str) -> std::result::Result<Vec<u8>, FetchProblem> {
        self.get(url, ListKind::Status.max_bytes(), false)
    }

    /// A list named by a URL (a mirror's copy, else fetched) or a file path.
    pub fn list(&self, source: &str, max: usize) -> std::result::Result<Vec<u8>, FetchProblem> {
        if is_url(source) {
            self.get(source, max, false)
        } else {
            load(source, max)
        }
    }

    pub fn get(&self, url: &str, max: usize, report: bool) -> std::result::Result<Vec<u8>, FetchProblem> {
        // Offline, a label is checked alone: no report is read at all.
        if self.offline && report {
            return Err(FetchProblem::NotAttempted);
        }
        let local = self
            .mirrors
            .iter()
            .find_map(|(prefix, dir)| url.strip_prefix(prefix.as_str()).map(|rest| dir.join(rest)))
            .or_else(|| {
                let name = url.rsplit('/').next().unwrap_or_default();
                self.reports_dir.as_ref().filter(|_| report).map(|d| d.join(name))
            });
        if let Some(path) = local {
            if path.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
                return Err(FetchProblem::Unreachable);
            }
            return load(&path.to_string_lossy(), max);
        }
        // A file named by a local trust file is read offline too: offline skips the network,
        // not the disk.
        if !is_url(url) {
            return load(url, max);
        }
        if self.offline {
            return Err(FetchProblem::NotAttempted);
        }
        fetch::get(url, max).map_err(|f| {
            if let Some(detail) = &f.detail {
                eprintln!("labelcheck: {url}: {detail}");
            }
            f.problem
        })
    }
}

/// The lists of a folder written by `labelcheck lists`, by their names.
pub fn folder_lists(dir: &Path) -> Vec<(ListKind, String)> {
    folder_files(dir)
        .into_iter()
        .map(|(kind, path, _)| (kind, path))
        .collect()
}

/// A status list partition file's authority and partition, from its name `AUTH.status-N.jws`
/// (as `labelcheck lists` writes it).
pub fn partition_named(name: &str) -> Option<(String, u32)> {
    let (authority, rest) = name.strip_suffix(".jws")?.split_once(".status-")?;
    Some((authority.to_owned(), rest.parse().ok()?))
}

/// A list file of a folder: its kind, its path, and for a partition whose and which.
pub type FolderFile = (ListKind, String, Option<(String, u32)>);

/// The lists of a folder.
pub fn folder_files(dir: &Path) -> Vec<FolderFile> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<FolderFile> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let kind = if name.ends_with(".keys.jws") {
                ListKind::Keys
            } else if name.ends_with(".revocations.jws") {
                ListKind::Revocations
            } else if name.contains(".status-") && name.ends_with(".jws") {
                ListKind::Status
            } else {
                return None;
            };
            Some((kind, e.path().to_string_lossy().into_owned(), partition_named(&name)))
        })
        .collect();
    out.sort();
    out
}
