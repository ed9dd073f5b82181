//! An audit: labels checked one after another (a shelf, a shipment), each an item with its
//! verdict, and the serials that turn up on more than one item (a cloned label). The app keeps
//! one per named session, the command line makes one per batch; both export it the same way
//! (`audit_export`).

use crate::message::Message;
use crate::time::Timestamp;
use crate::verdict::{Verdict, VerdictKind};
use std::collections::BTreeMap;
use std::fmt;

/// Audits saved in any earlier format are read by every later version. Format 2 stores each
/// item's reason as a message (key and arguments) instead of English text.
pub const AUDIT_FORMAT: u32 = 2;
/// A note or an expected model is a line or two, not a document.
pub const MAX_NOTE_CHARS: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Audit {
    pub format: u32,
    pub id: String,
    pub name: String,
    pub started_at: Timestamp,
    pub items: Vec<AuditItem>,
}

/// One checked label. What was signed (serial, maker, model, stars) is only filled in once the
/// claim's signature verified: a counterfeit's printed claims are not repeated as facts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditItem {
    /// 1 for the first item of the audit, never reused.
    pub n: u32,
    pub checked_at: Timestamp,
    pub source: Source,
    pub text: String,
    pub verdict: VerdictKind,
    pub reason_code: String,
    /// The headline reason, to be worded in the reader's language. Absent in format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// Format 1 stored the reason as English text, kept to show those items as they were.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default)]
    pub authority: Option<String>,
    #[serde(default)]
    pub serial: Option<String>,
    #[serde(default)]
    pub maker: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub gtins: Vec<String>,
    #[serde(default)]
    pub level: Option<u8>,
    #[serde(default)]
    pub max_level: Option<u8>,
    /// The product's model or GTIN as the auditor read it off the product, if entered.
    #[serde(default)]
    pub expected: String,
    #[serde(default)]
    pub note: String,
}

/// Where a checked label came from (FORMAT.md §11): in the app the camera, a photo or text
/// typed or pasted (a label link opened directly counts as typed); on the command line a
/// text given as an argument is typed, and a photo is named by its file path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    Camera,
    Photo,
    Typed,
    File(String),
}

impl Source {
    pub fn as_str(&self) -> &str {
        match self {
            Source::Camera => "camera",
            Source::Photo => "photo",
            Source::Typed => "typed",
            Source::File(path) => path,
        }
    }

    fn parse(s: &str) -> Source {
        match s {
            "camera" => Source::Camera,
            "photo" => Source::Photo,
            // Command-line audits written before `typed` was used for arguments said `text`.
            "typed" | "text" => Source::Typed,
            path => Source::File(path.to_owned()),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Source {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Source::parse(&s))
    }
}

impl AuditItem {
    pub fn new(n: u32, checked_at: Timestamp, source: Source, text: &str, v: &Verdict) -> AuditItem {
        let headline = v.headline();
        AuditItem {
            n,
            checked_at,
            source,
            text: text.to_owned(),
            verdict: v.kind(),
            reason_code: headline.map_or("", |r| r.code()).to_owned(),
            message: headline.map(|r| r.message()),
            reason: String::new(),
            authority: v.authority.as_ref().map(|a| a.id.clone()),
            serial: v.claim.as_ref().map(|c| c.serial.clone()),
            maker: v.claim.as_ref().map(|c| c.maker.clone()),
            model: v.claim.as_ref().map(|c| c.model.clone()),
            gtins: v.claim.as_ref().map(|c| c.gtins.clone()).unwrap_or_default(),
            level: v.claim.as_ref().map(|c| c.level),
            max_level: v.programme.as_ref().map(|p| p.max_level),
            expected: String::new(),
            note: String::new(),
        }
    }

    /// The serial as the clone check compares it: issued by one authority, so both count.
    fn clone_key(&self) -> Option<(&str, &str)> {
        Some((self.authority.as_deref()?, self.serial.as_deref()?))
    }

    /// The entered model or GTIN matches neither the signed model nor a signed GTIN: the
    /// label may be a genuine one stuck on another product. Compared without case and spaces.
    pub fn expected_mismatch(&self) -> bool {
        let squash = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let want = squash(&self.expected);
        if want.is_empty() || self.serial.is_none() {
            return false;
        }
        let model = self.model.as_deref().map(squash);
        model.as_deref() != Some(want.as_str()) && !self.gtins.iter().any(|g| squash(g) == want)
    }
}

/// Why saved bytes are not an audit this version reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditReadError {
    NotAnAudit,
    /// Written by a later version.
    Format(u32),
}

impl fmt::Display for AuditReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditReadError::NotAnAudit => f.write_str("audit not-an-audit"),
            AuditReadError::Format(v) => write!(f, "audit format {v}"),
        }
    }
}

impl std::error::Error for AuditReadError {}

/// Why an edit was not applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditError {
    NoSuchItem(u32),
    TooLong,
}

impl std::fmt::Display for AuditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditError::NoSuchItem(n) => write!(f, "audit no-such-item {n}"),
            AuditError::TooLong => write!(f, "audit note-too-long (most {MAX_NOTE_CHARS})"),
        }
    }
}

impl std::error::Error for AuditError {}

/// What the summary says: counts by verdict and the serials on more than one item.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub items: usize,
    pub by_verdict: BTreeMap<&'static str, usize>,
    pub clones: Vec<CloneGroup>,
    pub mismatches: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CloneGroup {
    pub authority: String,
    pub serial: String,
    pub items: Vec<u32>,
}

impl Audit {
    pub fn new(id: &str, name: &str, started_at: Timestamp) -> Audit {
        Audit {
            format: AUDIT_FORMAT,
            id: id.to_owned(),
            name: name.to_owned(),
            started_at,
            items: Vec::new(),
        }
    }

    /// Adds a checked input as the next item and returns its number. An input in which no
    /// label could be read (a photo without a code) is an item too, with an empty text: the
    /// auditor must look at it again.
    pub fn add(&mut self, checked_at: Timestamp, source: Source, text: &str, v: &Verdict) -> u32 {
        // Items stay in the order of their numbers (added in turn, removed in place): the
        // last holds the highest, so a batch of any size adds in constant time.
        let n = self.items.last().map_or(0, |i| i.n) + 1;
        self.items.push(AuditItem::new(n, checked_at, source, text, v));
        n
    }

    pub fn item(&self, n: u32) -> Option<&AuditItem> {
        self.items.iter().find(|i| i.n == n)
    }

    /// The earlier item with exactly this QR text: the same label scanned again, or a copy.
    pub fn same_text(&self, text: &str) -> Option<u32> {
        self.items.iter().find(|i| i.text == text).map(|i| i.n)
    }

    pub fn set_note(&mut self, n: u32, note: &str) -> Result<(), AuditError> {
        let note = limited(note)?;
        self.item_mut(n)?.note = note;
        Ok(())
    }

    pub fn set_expected(&mut self, n: u32, expected: &str) -> Result<(), AuditError> {
        let expected = limited(expected)?;
        self.item_mut(n)?.expected = expected;
        Ok(())
    }

    pub fn remove(&mut self, n: u32) -> Result<(), AuditError> {
        let before = self.items.len();
        self.items.retain(|i| i.n != n);
        if self.items.len() == before {
            return Err(AuditError::NoSuchItem(n));
        }
        Ok(())
    }

    fn item_mut(&mut self, n: u32) -> Result<&mut AuditItem, AuditError> {
        self.items
            .iter_mut()
            .find(|i| i.n == n)
            .ok_or(AuditError::NoSuchItem(n))
    }

    /// The serials verified on more than one item, in the order first seen.
    pub fn clones(&self) -> Vec<CloneGroup> {
        // In the order each serial was first seen; looked up by serial, so that an audit of a
        // warehouse (every serial different) is grouped in n log n, not n².
        let mut groups: Vec<CloneGroup> = Vec::new();
        let mut at: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for item in &self.items {
            let Some(key) = item.clone_key() else {
                continue;
            };
            match at.get(&key) {
                Some(&g) => groups[g].items.push(item.n),
                None => {
                    at.insert(key, groups.len());
                    groups.push(CloneGroup {
                        authority: key.0.to_owned(),
                        serial: key.1.to_owned(),
                        items: vec![item.n],
                    });
                }
            }
        }
        groups.retain(|g| g.items.len() > 1);
        groups
    }

    /// For every item whose serial was seen before it, those earlier items: what an export
    /// and `labelcheck verify --json` call `clone_of`, the same whether the batch is streamed
    /// or written at its end (the summary's `clones` names every item of each serial).
    pub fn earlier_clones(&self) -> BTreeMap<u32, Vec<u32>> {
        let mut out = BTreeMap::new();
        for g in self.clones() {
            for (i, &n) in g.items.iter().enumerate().skip(1) {
                out.insert(n, g.items[..i].to_vec());
            }
        }
        out
    }

    /// The other items carrying this item's serial.
    pub fn clones_of(&self, n: u32) -> Vec<u32> {
        let Some(key) = self.item(n).and_then(AuditItem::clone_key) else {
            return Vec::new();
        };
        self.items
            .iter()
            .filter(|i| i.n != n && i.clone_key() == Some(key))
            .map(|i| i.n)
            .collect()
    }

    pub fn summary(&self) -> Summary {
        let mut by_verdict = BTreeMap::new();
        for kind in VerdictKind::ALL {
            let count = self.items.iter().filter(|i| i.verdict == kind).count();
            if count > 0 {
                by_verdict.insert(kind.as_str(), count);
            }
        }
        Summary {
            items: self.items.len(),
            by_verdict,
            clones: self.clones(),
            mismatches: self
                .items
                .iter()
                .filter(|i| i.expected_mismatch())
                .map(|i| i.n)
                .collect(),
        }
    }

    /// An audit as saved earlier (by this or an older version). Refuses what is not one.
    pub fn from_json(bytes: &[u8]) -> Result<Audit, AuditReadError> {
        let mut audit: Audit = serde_json::from_slice(bytes).map_err(|_| AuditReadError::NotAnAudit)?;
        if audit.format == 0 || audit.format > AUDIT_FORMAT {
            return Err(AuditReadError::Format(audit.format));
        }
        // Held in memory, and saved again, in the current format; older items keep their text.
        audit.format = AUDIT_FORMAT;
        // An export read back carries its reason worded as well: the message is what counts.
        for item in audit.items.iter_mut().filter(|i| i.message.is_some()) {
            item.reason.clear();
        }
        Ok(audit)
    }
}

fn limited(s: &str) -> Result<String, AuditError> {
    if s.chars().count() > MAX_NOTE_CHARS {
        return Err(AuditError::TooLong);
    }
    Ok(s.trim().to_owned())
}
