//! The serial register: one file per authority that never hands out a serial twice, also
//! across runs, folders and crashes.
//!
//! It is the authority's, not a folder's: its place is named in the authority file, and it is
//! made only on request ([`Register::create`]); opening one that is not there is refused, so a
//! run from another folder, or with a mistyped path, cannot start numbering again from 1.
//!
//! Numbered serials (`PREFIX` and eight digits) are reserved for a batch in one record, made
//! durable (fsync) before any label under them is written, after checking that the whole count
//! fits: a crash can at most leave numbers unused, never give one out twice. A batch that is
//! run again gets its own numbers back, in the same order, so it finishes the labels it had not
//! written yet. Serials a batch's input names are recorded the same way before they are used,
//! and refused when another batch recorded them first. Serials are compared without regard to
//! case, as the report files named after them are on case-insensitive file systems.
//!
//! Each record carries the time its batch was issued at, so that a label signed again after a
//! crash is the same bytes as before.
//!
//! Every label also gets a **status number** from the register, its place in the authority's
//! status list (FORMAT.md §6.2): a numbered serial's number is its status number; a serial the
//! input named takes the next number. With the numbers, the register records which product
//! and signing key each range of labels is, so that a product, a batch or a key can be
//! withdrawn in one act.
//!
//! The file is text, one record per line:
//!
//! ```text
//! labelcheck serial register 1
//! prefix ACME-
//! authority ACME
//! block 1 25000 3f2a9c0e5d7b41a8c6e2f0b9d4a7c315 2026-12-01T09:00:00Z
//! product 1 25000 k1 QWNtZQ Q2FtIDE
//! serial ACME-X1 3f2a9c0e5d7b41a8c6e2f0b9d4a7c315 2026-12-01T09:00:00Z 25001
//! product 25001 1 k1 QWNtZQ Q2FtIDI
//! ```
//!
//! (`product FIRST COUNT KID MAKER MODEL`: maker and model in unpadded base64url.)
//!
//! It is locked for the whole run, so two runs at once cannot take the same numbers. A line cut
//! short by a crash (no newline) was never made durable, so nothing was written under it: it is
//! dropped when the register is next opened.

use crate::durable::{self, Step};
use crate::error::{Action, Error, Result};
use crate::rows::Units;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use labelcheck_core::fields::{authority_ok, serial_ok};
use labelcheck_core::Timestamp;
use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

const HEADER: &str = "labelcheck serial register 1";
/// Digits after the prefix: a hundred million labels per register before a new prefix.
pub const DIGITS: usize = 8;
pub const LAST: u64 = 99_999_999;

/// A serial a batch's input named, as the register holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Given {
    serial: String,
    batch: String,
    issued_at: Option<Timestamp>,
    /// Its status number (none for serials recorded before status lists).
    number: Option<u64>,
}

/// Whose labels a range of status numbers is: the product and the key that signed them.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Product {
    first: u64,
    count: u64,
    kid: String,
    maker: String,
    model: String,
}

/// What a row of a batch needs from the register: its units, and whose they are.
pub struct Wanted<'a> {
    pub units: &'a Units,
    pub kid: &'a str,
    pub maker: &'a str,
    pub model: &'a str,
}

/// Inclusive ranges of status numbers.
pub type Ranges = Vec<(u64, u64)>;

fn b64(s: &str) -> String {
    B64.encode(s.as_bytes())
}

fn un64(s: &str) -> Option<String> {
    String::from_utf8(B64.decode(s).ok()?).ok()
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Block {
    first: u64,
    count: u64,
    batch: String,
    issued_at: Option<Timestamp>,
}

pub struct Register {
    path: PathBuf,
    file: File,
    prefix: String,
    authority: Option<String>,
    blocks: Vec<Block>,
    /// Serials given in inputs, by their lower-case form.
    given: HashMap<String, Given>,
    products: Vec<Product>,
    next: u64,
}

/// Whether a prefix makes serials that are valid and name files safely: `PREFIX00000001` a
/// serial, and no part between slashes empty or starting with a dot (`../` would write
/// reports outside the output folder).
pub fn prefix_ok(prefix: &str) -> bool {
    let example = format!("{prefix}{}", "0".repeat(DIGITS));
    !prefix.is_empty() && serial_ok(&example) && serial_names_a_file(&example)
}

/// Whether a serial can name its report file: `/` makes folders, as in the report URL, and no
/// part is empty or starts with a dot (`.`, `..`, hidden files).
pub fn serial_names_a_file(serial: &str) -> bool {
    serial.split('/').all(|part| !part.is_empty() && !part.starts_with('.'))
}

fn lock(path: &Path, file: &File) -> Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(Error::RegisterInUse { path: path.to_owned() }),
        Err(TryLockError::Error(e)) => Err(lock_refused(path, &e)),
    }
}

/// A file system that cannot lock (some network file systems, `ENOLCK`): two runs could then
/// take the same numbers, so the register is not used there.
fn lock_refused(path: &Path, e: &std::io::Error) -> Error {
    Error::RegisterCannotLock {
        path: path.to_owned(),
        detail: e.to_string(),
    }
}

impl Register {
    /// Makes a new register for `authority`, numbering serials `PREFIX00000001` on; refused
    /// if a file is there.
    pub fn create(path: &Path, authority: &str, prefix: &str) -> Result<()> {
        if !authority_ok(authority) {
            return Err(Error::AuthorityId {
                id: authority.to_owned(),
            });
        }
        if !prefix_ok(prefix) {
            return Err(Error::SerialPrefix {
                prefix: prefix.to_owned(),
            });
        }
        durable::create(
            path,
            format!("{HEADER}\nprefix {prefix}\nauthority {authority}\n").as_bytes(),
            0o644,
        )
    }

    /// Opens an existing register and locks it for as long as it is held.
    pub fn open(path: &Path) -> Result<Register> {
        let mut file = match OpenOptions::new().read(true).append(true).open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::RegisterMissing { path: path.to_owned() })
            }
            Err(e) => return Err(Error::io(path, Action::OpenRegister, &e)),
        };
        lock(path, &file)?;
        let mut text = String::new();
        file.read_to_string(&mut text)
            .map_err(|e| Error::io(path, Action::OpenRegister, &e))?;
        let complete = text.rfind('\n').map_or(0, |i| i + 1);
        if complete < text.len() {
            // A record cut short by a crash: never durable, so nothing was issued under it.
            file.set_len(complete as u64)
                .and_then(|_| file.sync_all())
                .and_then(|_| file.seek(SeekFrom::End(0)).map(drop))
                .map_err(|e| Error::io(path, Action::RepairRegister, &e))?;
        }
        let mut reg = Register {
            path: path.to_owned(),
            file,
            prefix: String::new(),
            authority: None,
            blocks: Vec::new(),
            given: HashMap::new(),
            products: Vec::new(),
            next: 1,
        };
        reg.parse(&text[..complete])?;
        Ok(reg)
    }

    fn parse(&mut self, text: &str) -> Result<()> {
        let bad = |line: usize| Error::RegisterRecord {
            path: self.path.clone(),
            line,
        };
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        if lines.next().map(|(_, l)| l) != Some(HEADER) {
            return Err(Error::NotARegister {
                path: self.path.clone(),
            });
        }
        let time = |s: Option<&&str>, n: usize| match s {
            None => Ok(None),
            Some(s) => Timestamp::parse(s).map(Some).map_err(|_| bad(n)),
        };
        for (n, line) in lines {
            let parts: Vec<&str> = line.split(' ').collect();
            match parts.as_slice() {
                ["prefix", p] if self.prefix.is_empty() => self.prefix = (*p).to_owned(),
                ["authority", a] if self.authority.is_none() => self.authority = Some((*a).to_owned()),
                ["block", first, count, batch, rest @ ..] if rest.len() <= 1 => {
                    let first: u64 = first.parse().map_err(|_| bad(n))?;
                    let count: u64 = count.parse().map_err(|_| bad(n))?;
                    if first != self.next || count == 0 || first.saturating_add(count - 1) > LAST {
                        return Err(Error::RegisterEdited {
                            path: self.path.clone(),
                            line: n,
                        });
                    }
                    self.next = first + count;
                    self.blocks.push(Block {
                        first,
                        count,
                        batch: (*batch).to_owned(),
                        issued_at: time(rest.first(), n)?,
                    });
                }
                ["serial", serial, batch, rest @ ..] if rest.len() <= 2 => {
                    let issued_at = time(rest.first(), n)?;
                    let number = match rest.get(1) {
                        None => None,
                        Some(num) => {
                            let num: u64 = num.parse().map_err(|_| bad(n))?;
                            if num != self.next || num > LAST {
                                return Err(Error::RegisterEdited {
                                    path: self.path.clone(),
                                    line: n,
                                });
                            }
                            self.next = num + 1;
                            Some(num)
                        }
                    };
                    self.given.entry(serial.to_ascii_lowercase()).or_insert_with(|| Given {
                        serial: (*serial).to_owned(),
                        batch: (*batch).to_owned(),
                        issued_at,
                        number,
                    });
                }
                ["product", first, count, kid, maker, model] => {
                    let first: u64 = first.parse().map_err(|_| bad(n))?;
                    let count: u64 = count.parse().map_err(|_| bad(n))?;
                    if first == 0 || count == 0 || first.saturating_add(count) > self.next {
                        return Err(Error::RegisterEdited {
                            path: self.path.clone(),
                            line: n,
                        });
                    }
                    self.products.push(Product {
                        first,
                        count,
                        kid: (*kid).to_owned(),
                        maker: un64(maker).ok_or_else(|| bad(n))?,
                        model: un64(model).ok_or_else(|| bad(n))?,
                    });
                }
                _ => return Err(bad(n)),
            }
        }
        if !prefix_ok(&self.prefix) {
            return Err(Error::SerialPrefix {
                prefix: self.prefix.clone(),
            });
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The authority the register was made for (registers of early versions do not say).
    pub fn authority(&self) -> Option<&str> {
        self.authority.as_deref()
    }

    pub fn serial(&self, number: u64) -> String {
        format!("{}{number:0DIGITS$}", self.prefix)
    }

    /// Whether `serial` has the shape of a numbered serial of this register (in any case):
    /// such serials come only from the register.
    pub fn is_numbered(&self, serial: &str) -> bool {
        let (s, p) = (serial.as_bytes(), self.prefix.as_bytes());
        s.len() == p.len() + DIGITS
            && s[..p.len()].eq_ignore_ascii_case(p)
            && s[p.len()..].iter().all(u8::is_ascii_digit)
    }

    /// Numbers the register can still give.
    pub fn numbers_left(&self) -> u64 {
        (LAST + 1).saturating_sub(self.next)
    }

    /// When `batch` was issued, if the register has a record of it: a batch run again signs
    /// at the same time, so what it signs again is the same bytes.
    pub fn issued_at(&self, batch: &str) -> Option<Timestamp> {
        let blocks = self.blocks.iter().filter(|b| b.batch == batch).map(|b| b.issued_at);
        let given = self.given.values().filter(|g| g.batch == batch).map(|g| g.issued_at);
        blocks.chain(given).flatten().next()
    }

    /// The numbers `batch` already holds.
    fn held(&self, batch: &str) -> u64 {
        let blocks: u64 = self.blocks.iter().filter(|b| b.batch == batch).map(|b| b.count).sum();
        let given = self
            .given
            .values()
            .filter(|g| g.batch == batch && g.number.is_some())
            .count();
        blocks + given as u64
    }

    /// Checks, before anything is recorded, that `count` numbers for `batch` fit.
    pub fn check_fits(&self, batch: &str, count: u64) -> Result<()> {
        let more = count.saturating_sub(self.held(batch));
        if more > self.numbers_left() {
            return Err(Error::RegisterFull {
                path: self.path.clone(),
                asked: more,
                left: self.numbers_left(),
            });
        }
        Ok(())
    }

    /// The numbers of each row of `batch`, in order: a row of units gets a range of
    /// numbered serials (the numbers are their status numbers too), a row with a serial one
    /// status number. A batch run again gets back what it was given; the rest is recorded in
    /// one append, with the product and key of every range, durable before this returns. A
    /// serial another batch recorded (in any case) is refused.
    pub fn reserve(
        &mut self,
        batch: &str,
        rows: &[Wanted<'_>],
        issued_at: Timestamp,
    ) -> Result<Vec<std::ops::Range<u64>>> {
        let total: u64 = rows
            .iter()
            .map(|r| match r.units {
                Units::Count(n) => *n,
                Units::Serial(_) => 1,
            })
            .sum();
        self.check_fits(batch, total)?;
        let mut earlier = self
            .blocks
            .iter()
            .filter(|b| b.batch == batch)
            .map(|b| (b.first, b.count));
        let mut next = self.next;
        let mut lines = String::new();
        let mut out = Vec::with_capacity(rows.len());
        let (mut new_blocks, mut new_given, mut new_products) = (Vec::new(), Vec::new(), Vec::new());
        for r in rows {
            let range = match r.units {
                Units::Count(count) => match earlier.next() {
                    Some((first, n)) if n == *count => first..first + n,
                    Some(_) => {
                        return Err(Error::RegisterEdited {
                            path: self.path.clone(),
                            line: 0,
                        })
                    }
                    None => {
                        lines.push_str(&format!("block {next} {count} {batch} {issued_at}\n"));
                        new_blocks.push(Block {
                            first: next,
                            count: *count,
                            batch: batch.to_owned(),
                            issued_at: Some(issued_at),
                        });
                        next += count;
                        next - count..next
                    }
                },
                Units::Serial(s) => match self.taken_by(s) {
                    Some((b, _)) if b == batch => {
                        match self.given.get(&s.to_ascii_lowercase()).and_then(|g| g.number) {
                            Some(num) => num..num + 1,
                            // Recorded before status numbers: its labels carry none.
                            None => 0..0,
                        }
                    }
                    Some((_, earlier)) => {
                        return Err(Error::SerialTaken {
                            serial: s.clone(),
                            earlier: earlier.to_owned(),
                        })
                    }
                    None => {
                        lines.push_str(&format!("serial {s} {batch} {issued_at} {next}\n"));
                        new_given.push(Given {
                            serial: s.clone(),
                            batch: batch.to_owned(),
                            issued_at: Some(issued_at),
                            number: Some(next),
                        });
                        next += 1;
                        next - 1..next
                    }
                },
            };
            if !range.is_empty() && !self.products.iter().any(|p| p.first == range.start) {
                lines.push_str(&format!(
                    "product {} {} {} {} {}\n",
                    range.start,
                    range.end - range.start,
                    r.kid,
                    b64(r.maker),
                    b64(r.model)
                ));
                new_products.push(Product {
                    first: range.start,
                    count: range.end - range.start,
                    kid: r.kid.to_owned(),
                    maker: r.maker.to_owned(),
                    model: r.model.to_owned(),
                });
            }
            out.push(range);
        }
        if !lines.is_empty() {
            self.append(&lines)?;
        }
        self.next = next;
        self.blocks.extend(new_blocks);
        for g in new_given {
            self.given.insert(g.serial.to_ascii_lowercase(), g);
        }
        self.products.extend(new_products);
        Ok(out)
    }

    /// The batch that recorded `serial` (in any case), and the serial as it recorded it.
    pub fn taken_by(&self, serial: &str) -> Option<(&str, &str)> {
        self.given
            .get(&serial.to_ascii_lowercase())
            .map(|g| (g.batch.as_str(), g.serial.as_str()))
    }

    /// Records serials outside any batch's status (the demo's fixed serials), durably.
    pub fn record(&mut self, batch: &str, serials: &[String], issued_at: Timestamp) -> Result<()> {
        let mut lines = String::new();
        let mut new = Vec::new();
        for s in serials {
            match self.taken_by(s) {
                Some((b, _)) if b == batch => {}
                Some((_, earlier)) => {
                    return Err(Error::SerialTaken {
                        serial: s.clone(),
                        earlier: earlier.to_owned(),
                    })
                }
                None => {
                    lines.push_str(&format!("serial {s} {batch} {issued_at}\n"));
                    new.push(s);
                }
            }
        }
        if lines.is_empty() {
            return Ok(());
        }
        self.append(&lines)?;
        for s in new {
            self.given.insert(
                s.to_ascii_lowercase(),
                Given {
                    serial: s.clone(),
                    batch: batch.to_owned(),
                    issued_at: Some(issued_at),
                    number: None,
                },
            );
        }
        Ok(())
    }

    /// The status number of `serial`: a numbered serial's own number, a recorded serial's.
    pub fn number_of(&self, serial: &str) -> Option<u64> {
        if self.is_numbered(serial) {
            let n: u64 = serial[self.prefix.len()..].parse().ok()?;
            return self
                .blocks
                .iter()
                .any(|b| (b.first..b.first + b.count).contains(&n))
                .then_some(n);
        }
        self.given.get(&serial.to_ascii_lowercase()).and_then(|g| g.number)
    }

    fn ranges(&self, keep: impl Fn(&Product) -> bool) -> Ranges {
        let mut out: Ranges = self
            .products
            .iter()
            .filter(|p| keep(p))
            .map(|p| (p.first, p.first + p.count - 1))
            .collect();
        out.sort_unstable();
        out
    }

    /// The status numbers of every label of a maker's model.
    pub fn product_numbers(&self, maker: &str, model: &str) -> Ranges {
        self.ranges(|p| p.maker == maker && p.model == model)
    }

    /// The status numbers of every label signing key `kid` signed.
    pub fn key_numbers(&self, kid: &str) -> Ranges {
        self.ranges(|p| p.kid == kid)
    }

    /// The status numbers of every label of `batch`.
    pub fn batch_numbers(&self, batch: &str) -> Ranges {
        let mut out: Ranges = self
            .blocks
            .iter()
            .filter(|b| b.batch == batch)
            .map(|b| (b.first, b.first + b.count - 1))
            .chain(
                self.given
                    .values()
                    .filter(|g| g.batch == batch)
                    .filter_map(|g| g.number.map(|n| (n, n))),
            )
            .collect();
        out.sort_unstable();
        out
    }

    fn append(&mut self, lines: &str) -> Result<()> {
        self.file
            .write_all(lines.as_bytes())
            .and_then(|_| self.file.sync_data())
            .map_err(|e| Error::io(&self.path, Action::WriteRegister, &e))?;
        durable::step(Step::Reserved);
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn new(dir: &Path, prefix: &str) -> PathBuf {
        let path = dir.join("DEMO.serials");
        Register::create(&path, "DEMO", prefix).unwrap();
        path
    }

    fn units(units: &[Units]) -> Vec<Wanted<'_>> {
        units
            .iter()
            .map(|u| Wanted {
                units: u,
                kid: "k1",
                maker: "Acme",
                model: match u {
                    Units::Count(_) => "Cam 1",
                    Units::Serial(_) => "Lamp",
                },
            })
            .collect()
    }

    fn count(n: u64) -> Units {
        Units::Count(n)
    }

    #[test]
    fn a_register_is_made_only_on_request_and_never_twice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("R.serials");
        assert!(matches!(Register::open(&path), Err(Error::RegisterMissing { .. })));
        assert!(!path.exists(), "opening does not create");
        Register::create(&path, "DEMO", "DEMO-").unwrap();
        assert!(matches!(
            Register::create(&path, "DEMO", "X-"),
            Err(Error::Exists { .. })
        ));
        let reg = Register::open(&path).unwrap();
        assert_eq!((reg.prefix(), reg.authority()), ("DEMO-", Some("DEMO")));
    }

    #[test]
    fn a_batch_gets_its_own_numbers_back_and_others_get_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = new(dir.path(), "DEMO-");
        let at = t("2026-12-01T09:00:00Z");
        let mut reg = Register::open(&path).unwrap();
        let a = [count(3), Units::Serial("LAMP-1".into()), count(2)];
        assert_eq!(reg.reserve("a", &units(&a), at).unwrap(), vec![1..4, 4..5, 5..7]);
        assert_eq!(
            reg.reserve("b", &units(&[count(12)]), t("2026-12-02T09:00:00Z"))
                .unwrap(),
            vec![7..19]
        );
        drop(reg);
        let mut reg = Register::open(&path).unwrap();
        assert_eq!(
            reg.reserve("a", &units(&a), t("2027-01-01T00:00:00Z")).unwrap(),
            vec![1..4, 4..5, 5..7]
        );
        assert_eq!(
            reg.issued_at("a"),
            Some(at),
            "a batch keeps the time it was first issued at"
        );
        assert_eq!(reg.serial(7), "DEMO-00000007");
        assert!(reg.is_numbered("DEMO-00000007") && reg.is_numbered("demo-00000007"));
        assert!(!reg.is_numbered("DEMO-7"));
        // The numbers are the labels' status numbers, and say whose labels they are.
        assert_eq!(reg.number_of("DEMO-00000002"), Some(2));
        assert_eq!(reg.number_of("lamp-1"), Some(4));
        assert_eq!(reg.number_of("DEMO-00000099"), None, "not issued");
        assert_eq!(reg.product_numbers("Acme", "Cam 1"), vec![(1, 3), (5, 6), (7, 18)]);
        assert_eq!(reg.product_numbers("Acme", "Lamp"), vec![(4, 4)]);
        assert_eq!(reg.batch_numbers("a"), vec![(1, 3), (4, 4), (5, 6)]);
        assert_eq!(reg.key_numbers("k1").len(), 4);
        assert!(reg.key_numbers("k2").is_empty());
    }

    #[test]
    fn a_count_that_does_not_fit_is_refused_before_anything_is_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let path = new(dir.path(), "DEMO-");
        let mut reg = Register::open(&path).unwrap();
        let before = std::fs::read(&path).unwrap();
        let e = reg
            .reserve("a", &units(&[count(LAST + 1)]), t("2026-12-01T09:00:00Z"))
            .err()
            .unwrap();
        assert!(
            matches!(e, Error::RegisterFull { asked, left, .. } if asked == LAST + 1 && left == LAST),
            "{e:?}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), before, "nothing reserved");
        assert_eq!(
            reg.reserve("a", &units(&[count(LAST)]), t("2026-12-01T09:00:00Z"))
                .unwrap(),
            vec![1..LAST + 1]
        );
        assert!(matches!(
            reg.reserve("b", &units(&[count(1)]), t("2026-12-01T09:00:00Z")),
            Err(Error::RegisterFull { .. })
        ));
    }

    #[test]
    fn a_record_cut_short_by_a_crash_is_dropped_and_its_numbers_given_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = new(dir.path(), "X-");
        let at = t("2026-12-01T09:00:00Z");
        let mut reg = Register::open(&path).unwrap();
        reg.reserve("a", &units(&[count(5)]), at).unwrap();
        drop(reg);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"block 6 5 b").unwrap();
        drop(f);
        let mut reg = Register::open(&path).unwrap();
        assert_eq!(reg.reserve("c", &units(&[count(1)]), at).unwrap(), vec![6..7]);
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .contains("block 6 1 c 2026-12-01T09:00:00Z\n"));
    }

    #[test]
    fn a_second_run_at_once_is_refused_and_a_file_system_without_locks_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = new(dir.path(), "X-");
        let _first = Register::open(&path).unwrap();
        assert!(matches!(Register::open(&path), Err(Error::RegisterInUse { .. })));
        // What try_lock gives on a file system that refuses locks (ENOLCK on Linux).
        let e = lock_refused(&path, &std::io::Error::from_raw_os_error(37));
        assert!(matches!(e, Error::RegisterCannotLock { .. }), "{e:?}");
    }

    #[test]
    fn an_edited_register_is_refused_rather_than_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r");
        std::fs::write(&path, format!("{HEADER}\nprefix X-\nblock 1 5 a\nblock 3 5 b\n")).unwrap();
        assert!(matches!(
            Register::open(&path),
            Err(Error::RegisterEdited { line: 4, .. })
        ));
        std::fs::write(&path, "something else\n").unwrap();
        assert!(matches!(Register::open(&path), Err(Error::NotARegister { .. })));
        std::fs::write(&path, format!("{HEADER}\nprefix ../\n")).unwrap();
        assert!(matches!(Register::open(&path), Err(Error::SerialPrefix { .. })));
        std::fs::write(&path, format!("{HEADER}\nprefix X-\nproduct 1 5 k1 QQ Qg\n")).unwrap();
        assert!(
            matches!(Register::open(&path), Err(Error::RegisterEdited { line: 3, .. })),
            "numbers not reserved"
        );
    }

    #[test]
    fn prefixes_are_checked_like_serials_and_file_names() {
        for good in ["ACME-", "A", "acme/2026/", "X_1."] {
            assert!(prefix_ok(good), "{good}");
        }
        for bad in [
            "",
            "../",
            "a/../",
            "/abs",
            "a//",
            ".hidden",
            "a b",
            "a".repeat(25).as_str(),
            "é-",
        ] {
            assert!(!prefix_ok(bad), "{bad}");
        }
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Register::create(&dir.path().join("r"), "DEMO", "../"),
            Err(Error::SerialPrefix { .. })
        ));
    }

    #[test]
    fn serials_from_inputs_are_remembered_per_batch_in_any_case() {
        let dir = tempfile::tempdir().unwrap();
        let path = new(dir.path(), "X-");
        let at = t("2026-12-01T09:00:00Z");
        let mut reg = Register::open(&path).unwrap();
        let given = [Units::Serial("ACME-1".into()), Units::Serial("ACME-2".into())];
        reg.reserve("a", &units(&given), at).unwrap();
        drop(reg);
        let mut reg = Register::open(&path).unwrap();
        assert_eq!(reg.taken_by("ACME-2"), Some(("a", "ACME-2")));
        assert_eq!(
            reg.taken_by("acme-2"),
            Some(("a", "ACME-2")),
            "case does not make another serial"
        );
        assert_eq!(reg.taken_by("ACME-3"), None);
        assert_eq!(reg.issued_at("a"), Some(at));
        assert!(matches!(
            reg.reserve("b", &units(&[Units::Serial("Acme-1".into())]), at),
            Err(Error::SerialTaken { ref earlier, .. }) if earlier == "ACME-1"
        ));
    }
}
