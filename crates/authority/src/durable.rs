//! Files that are published or that hold the authority's state are written whole or not at
//! all, and durably: the bytes go to a file beside the target, which is synced, renamed over
//! the target, and the folder synced, so that after a crash or a power loss the target is
//! either the old file or the new one, never empty or cut short.
//!
//! Every step that a crash could fall between is a [`Step`]; a test can stop the process at
//! any of them ([`testing::stop_at`]) to prove that a re-run finishes exactly.

use crate::error::{Action, Error, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A point between two effects on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The temporary file is written, not yet synced.
    Written,
    /// The temporary file is synced, not yet renamed into place.
    Synced,
    /// Renamed into place; the folder not yet synced.
    Renamed,
    /// The folder is synced: the file is published.
    Published,
    /// A record was appended to the serial register and synced.
    Reserved,
}

/// Stopping a process at a chosen step, for crash tests. Not for anything else: the hook is
/// process-wide.
#[doc(hidden)]
pub mod testing {
    use super::Step;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Steps passed so far, and the one to stop at (0: never).
    static PASSED: AtomicU64 = AtomicU64::new(0);
    static STOP_AT: AtomicU64 = AtomicU64::new(0);

    /// Aborts the process (no unwinding, no destructors: as a kill would) at the `n`th step.
    pub fn stop_at(n: u64) {
        STOP_AT.store(n, Ordering::SeqCst);
    }

    /// How many steps this process has passed.
    pub fn passed() -> u64 {
        PASSED.load(Ordering::SeqCst)
    }

    pub(crate) fn step(_: Step) {
        let n = PASSED.fetch_add(1, Ordering::SeqCst) + 1;
        if n == STOP_AT.load(Ordering::SeqCst) {
            std::process::abort();
        }
    }
}

pub(crate) fn step(s: Step) {
    testing::step(s);
}

fn io(path: &Path, action: Action) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, action, &e)
}

/// The folder a path is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Makes a file's name (a creation or a rename in `folder`) durable. File systems that cannot
/// sync a folder (some network and Windows file systems) sync its entries with the files.
pub fn sync_folder(folder: &Path) -> Result<()> {
    match File::open(folder).and_then(|d| d.sync_all()) {
        Ok(()) => Ok(()),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(Error::io(folder, Action::Sync, &e)),
    }
}

/// Creates `folder` and its parents, each new one made durable in its parent.
pub fn create_folders(folder: &Path) -> Result<()> {
    if folder.as_os_str().is_empty() || folder.is_dir() {
        return Ok(());
    }
    if let Some(parent) = folder.parent() {
        create_folders(parent)?;
    }
    match std::fs::create_dir(folder) {
        Ok(()) => sync_folder(folder_of(folder)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && folder.is_dir() => Ok(()),
        Err(e) => Err(Error::io(folder, Action::Create, &e)),
    }
}

fn temporary(path: &Path) -> PathBuf {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.partial", std::process::id()));
    PathBuf::from(tmp)
}

/// The bytes in a synced temporary file beside `path`.
fn stage(path: &Path, bytes: &[u8], mode: u32) -> Result<PathBuf> {
    create_folders(folder_of(path))?;
    let tmp = temporary(path);
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = opts.open(&tmp).map_err(io(&tmp, Action::Write))?;
    f.write_all(bytes).map_err(io(&tmp, Action::Write))?;
    step(Step::Written);
    f.sync_all().map_err(io(&tmp, Action::Sync))?;
    step(Step::Synced);
    Ok(tmp)
}

/// Puts the staged `tmp` in place at `path` by `put`, then makes its name durable.
fn publish(tmp: &Path, path: &Path, put: impl FnOnce() -> std::io::Result<()>) -> Result<()> {
    if let Err(e) = put() {
        let _ = std::fs::remove_file(tmp);
        return Err(Error::io(path, Action::Write, &e));
    }
    step(Step::Renamed);
    sync_folder(folder_of(path))?;
    step(Step::Published);
    Ok(())
}

/// Writes `path` whole, replacing what was there.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = stage(path, bytes, 0o644)?;
    publish(&tmp, path, || std::fs::rename(&tmp, path))
}

/// Writes `path` whole, only if nothing is there: an existing file is never replaced
/// ([`Error::Exists`]). `mode` is the new file's permission bits (Unix).
pub fn create(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    if path.symlink_metadata().is_ok() {
        return Err(Error::Exists { path: path.to_owned() });
    }
    let tmp = stage(path, bytes, mode)?;
    // A hard link is created only where no file is: a file made there since the check above
    // is not replaced.
    match std::fs::hard_link(&tmp, path) {
        Ok(()) => publish(&tmp, path, || std::fs::remove_file(&tmp)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let _ = std::fs::remove_file(&tmp);
            Err(Error::Exists { path: path.to_owned() })
        }
        // File systems without hard links: the check above stands.
        Err(_) => publish(&tmp, path, || std::fs::rename(&tmp, path)),
    }
}

/// Reads at most `max` bytes of `path`; a larger file is refused rather than read in part.
pub fn read_limited(path: &Path, max: usize) -> Result<Vec<u8>> {
    use std::io::Read;
    let f = File::open(path).map_err(io(path, Action::Read))?;
    let mut buf = Vec::new();
    f.take(max as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(io(path, Action::Read))?;
    if buf.len() > max {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            max,
        });
    }
    Ok(buf)
}

/// Removes what a stopped run left half made in `folder` and the folders in it: files
/// written beside their place and never renamed into it. Only for a folder no other run
/// writes to at the same time.
pub fn remove_leftovers(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for e in entries.flatten() {
        let path = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            remove_leftovers(&path);
        } else if e.file_name().to_string_lossy().ends_with(".partial") {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn create_never_replaces_and_replace_does() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b/c.txt");
        create(&p, b"one", 0o600).unwrap();
        assert!(matches!(create(&p, b"two", 0o600), Err(Error::Exists { .. })));
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        replace(&p, b"three").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"three");
        let left: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let q = dir.path().join("private");
            create(&q, b"k", 0o600).unwrap();
            assert_eq!(std::fs::metadata(&q).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn a_file_larger_than_allowed_is_refused_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, [0u8; 11]).unwrap();
        assert!(matches!(read_limited(&p, 10), Err(Error::TooLarge { max: 10, .. })));
        assert_eq!(read_limited(&p, 11).unwrap().len(), 11);
    }
}
