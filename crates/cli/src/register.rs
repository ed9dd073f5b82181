//! The serial register: one file per authority that never hands out a serial twice, also
//! across runs and after a crash.
//!
//! Numbered serials (`PREFIX` + eight digits) are reserved in blocks. A block is appended to
//! the file and made durable (fsync) before any label in it is written, so a crash can at most
//! leave a block unused; it can never lead to a number being given out again. A block belongs
//! to one batch (the digest of its input and output folder): a re-run of that batch gets the
//! same numbers back in the same order, so it finishes the labels it had not written yet
//! instead of starting new ones. Serials written in a batch's input are recorded the same way
//! before they are used, and refused when another batch recorded them first.
//!
//! The file is text, one record per line:
//!
//! ```text
//! labelcheck serial register 1
//! prefix DEMO-
//! block 1 10000 3f2a9c0e5d7b41a8c6e2f0b9d4a7c315
//! serial ACME-X1 3f2a9c0e5d7b41a8c6e2f0b9d4a7c315
//! ```
//!
//! It is locked for the whole run, so two runs at once cannot both take the next block. A line
//! cut short by a crash (no newline) was never made durable, so nothing was written under it:
//! it is dropped when the register is next opened.

use crate::error::{at, err, Result};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

const HEADER: &str = "labelcheck serial register 1";
/// Digits after the prefix: a hundred million labels per register before a new prefix.
const DIGITS: usize = 8;
const LAST: u64 = 99_999_999;

pub struct Register {
    path: PathBuf,
    file: File,
    prefix: String,
    /// Every block in file order: first number, count, batch.
    blocks: Vec<(u64, u64, String)>,
    /// Serials given in inputs, and the batch that recorded each.
    taken: HashMap<String, String>,
    next: u64,
}

impl Register {
    /// Opens the register, creating it with `prefix` when it does not exist, and locks it.
    /// The prefix of an existing register is kept: pass `prefix` only to check it.
    pub fn open(path: &Path, prefix: Option<&str>) -> Result<Register> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| at(dir, "create", e))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| at(path, "open the serial register", e))?;
        file.try_lock().map_err(|_| {
            err(format!(
                "the serial register {} is in use by another run; wait for it to finish",
                path.display()
            ))
        })?;
        let mut text = String::new();
        file.read_to_string(&mut text)
            .map_err(|e| at(path, "read the serial register", e))?;
        let complete = text.rfind('\n').map_or(0, |i| i + 1);
        if complete < text.len() {
            // A record cut short by a crash: never durable, so nothing was issued under it.
            file.set_len(complete as u64)
                .and_then(|_| file.sync_all())
                .map_err(|e| at(path, "repair the serial register", e))?;
            file.seek(SeekFrom::End(0))
                .map_err(|e| at(path, "repair the serial register", e))?;
        }
        let mut reg = Register {
            path: path.to_owned(),
            file,
            prefix: String::new(),
            blocks: Vec::new(),
            taken: HashMap::new(),
            next: 1,
        };
        if complete == 0 {
            let prefix = prefix.ok_or_else(|| err(format!("{}: no serial register here yet", path.display())))?;
            check_prefix(prefix)?;
            reg.append(&format!("{HEADER}\nprefix {prefix}\n"))?;
            sync_dir(path)?;
            reg.prefix = prefix.to_owned();
            return Ok(reg);
        }
        reg.parse(&text[..complete])?;
        if let Some(p) = prefix.filter(|p| *p != reg.prefix) {
            return Err(err(format!(
                "the serial register {} numbers serials as {}…, not {p}…",
                path.display(),
                reg.prefix
            )));
        }
        Ok(reg)
    }

    fn parse(&mut self, text: &str) -> Result<()> {
        let bad = |n: usize| {
            err(format!(
                "{} line {n}: not a serial register record",
                self.path.display()
            ))
        };
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        if lines.next().map(|(_, l)| l) != Some(HEADER) {
            return Err(err(format!(
                "{} is not a labelcheck serial register",
                self.path.display()
            )));
        }
        for (n, line) in lines {
            let parts: Vec<&str> = line.split(' ').collect();
            match parts.as_slice() {
                ["prefix", p] if self.prefix.is_empty() => self.prefix = (*p).to_owned(),
                ["block", first, count, batch] => {
                    let first: u64 = first.parse().map_err(|_| bad(n))?;
                    let count: u64 = count.parse().map_err(|_| bad(n))?;
                    if first != self.next || count == 0 || first + count - 1 > LAST {
                        return Err(err(format!(
                            "{} line {n}: block {first} does not follow the one before; the register was edited",
                            self.path.display()
                        )));
                    }
                    self.next = first + count;
                    self.blocks.push((first, count, (*batch).to_owned()));
                }
                ["serial", serial, batch] => {
                    self.taken
                        .entry((*serial).to_owned())
                        .or_insert_with(|| (*batch).to_owned());
                }
                _ => return Err(bad(n)),
            }
        }
        if self.prefix.is_empty() {
            return Err(bad(2));
        }
        check_prefix(&self.prefix)
    }

    pub fn serial(&self, number: u64) -> String {
        format!("{}{number:0DIGITS$}", self.prefix)
    }

    /// Whether `serial` has the shape of a numbered serial of this register: such serials come
    /// only from the register.
    pub fn is_numbered(&self, serial: &str) -> bool {
        serial
            .strip_prefix(self.prefix.as_str())
            .is_some_and(|d| d.len() == DIGITS && d.bytes().all(|b| b.is_ascii_digit()))
    }

    /// The first `count` numbers of `batch`, in order: the blocks it already holds, then new
    /// blocks of `block` numbers, each durable before this returns.
    pub fn numbers(&mut self, batch: &str, count: u64, block: u64) -> Result<Vec<Range<u64>>> {
        let mut out = Vec::new();
        let mut have = 0;
        for (first, n, _) in self.blocks.iter().filter(|(_, _, b)| b == batch) {
            if have >= count {
                break;
            }
            let take = (*n).min(count - have);
            out.push(*first..first + take);
            have += take;
        }
        while have < count {
            let n = block.max(1);
            let first = self.next;
            if first + n - 1 > LAST {
                return Err(err(format!(
                    "the serial register {} has no numbers left after {}: start a register with a new prefix",
                    self.path.display(),
                    self.serial(first - 1)
                )));
            }
            self.append(&format!("block {first} {n} {batch}\n"))?;
            self.next = first + n;
            self.blocks.push((first, n, batch.to_owned()));
            let take = n.min(count - have);
            out.push(first..first + take);
            have += take;
        }
        Ok(out)
    }

    /// The batch that recorded `serial`, if one did.
    pub fn taken_by(&self, serial: &str) -> Option<&str> {
        self.taken.get(serial).map(String::as_str)
    }

    /// Records serials given in `batch`'s input, durably, before any is used.
    pub fn record(&mut self, batch: &str, serials: &[String]) -> Result<()> {
        let mut lines = String::new();
        for s in serials.iter().filter(|s| !self.taken.contains_key(*s)) {
            lines.push_str(&format!("serial {s} {batch}\n"));
        }
        if lines.is_empty() {
            return Ok(());
        }
        self.append(&lines)?;
        for s in serials {
            self.taken.entry(s.clone()).or_insert_with(|| batch.to_owned());
        }
        Ok(())
    }

    fn append(&mut self, lines: &str) -> Result<()> {
        self.file
            .write_all(lines.as_bytes())
            .and_then(|_| self.file.sync_data())
            .map_err(|e| at(&self.path, "write the serial register", e))
    }
}

fn check_prefix(prefix: &str) -> Result<()> {
    let ok = !prefix.is_empty()
        && prefix.len() + DIGITS <= 32
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(err(format!(
            "serial prefix {prefix:?}: use 1 to 24 of A-Z a-z 0-9 - _ . / (eight digits follow it)"
        )))
    }
}

/// A new file's name is durable only once its folder is synced.
fn sync_dir(path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match File::open(dir) {
        Ok(d) => d.sync_all().or(Ok(())),
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_gets_its_own_numbers_back_and_others_get_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("DEMO.serials");
        let mut reg = Register::open(&path, Some("DEMO-")).unwrap();
        assert_eq!(reg.numbers("a", 3, 10).unwrap(), vec![1..4]);
        assert_eq!(reg.numbers("b", 12, 10).unwrap(), vec![11..21, 21..23]);
        drop(reg);
        let mut reg = Register::open(&path, None).unwrap();
        assert_eq!(reg.numbers("a", 5, 10).unwrap(), vec![1..6]);
        assert_eq!(reg.numbers("a", 15, 10).unwrap(), vec![1..11, 31..36]);
        assert_eq!(reg.serial(7), "DEMO-00000007");
        assert!(reg.is_numbered("DEMO-00000007") && !reg.is_numbered("DEMO-7"));
    }

    #[test]
    fn a_record_cut_short_by_a_crash_is_dropped_and_its_numbers_given_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r");
        let mut reg = Register::open(&path, Some("X-")).unwrap();
        reg.numbers("a", 5, 5).unwrap();
        drop(reg);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"block 6 5 b").unwrap();
        drop(f);
        let mut reg = Register::open(&path, None).unwrap();
        assert_eq!(reg.numbers("c", 1, 5).unwrap(), vec![6..7]);
        assert!(std::fs::read_to_string(&path).unwrap().ends_with("block 6 5 c\n"));
    }

    #[test]
    fn a_second_run_at_once_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r");
        let _first = Register::open(&path, Some("X-")).unwrap();
        let second = Register::open(&path, None).err().unwrap().to_string();
        assert!(second.contains("in use by another run"), "{second}");
    }

    #[test]
    fn an_edited_register_is_refused_rather_than_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r");
        std::fs::write(&path, format!("{HEADER}\nprefix X-\nblock 1 5 a\nblock 3 5 b\n")).unwrap();
        let e = Register::open(&path, None).err().unwrap().to_string();
        assert!(e.contains("does not follow"), "{e}");
        std::fs::write(&path, "something else\n").unwrap();
        assert!(Register::open(&path, None).is_err());
    }

    #[test]
    fn serials_from_inputs_are_remembered_per_batch() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r");
        let mut reg = Register::open(&path, Some("X-")).unwrap();
        reg.record("a", &["ACME-1".into(), "ACME-2".into()]).unwrap();
        drop(reg);
        let reg = Register::open(&path, Some("X-")).unwrap();
        assert_eq!(reg.taken_by("ACME-2"), Some("a"));
        assert_eq!(reg.taken_by("ACME-3"), None);
        drop(reg);
        assert!(
            Register::open(&path, Some("Y-")).is_err(),
            "the prefix is the register's"
        );
    }
}
