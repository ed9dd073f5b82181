//! An audit: labels checked one after another (a shelf, a shipment), each an item with its
//! verdict, and the serials that turn up on more than one item (a cloned label). The app keeps
//! one per named session, the command line makes one per batch; both export it the same way
//! (`audit_export`).

use crate::time::Timestamp;
use crate::verdict::{Verdict, VerdictKind};
use std::collections::BTreeMap;

/// Audits saved before this format changes are read by every later version.
pub const AUDIT_FORMAT: u32 = 1;
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
    /// Where the label came from: "camera", "photo", "typed", or a file name.
    pub source: String,
    pub text: String,
    pub verdict: VerdictKind,
    pub reason_code: String,
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

impl AuditItem {
    pub fn new(n: u32, checked_at: Timestamp, source: &str, text: &str, v: &Verdict) -> AuditItem {
        let first = v.reasons.first();
        AuditItem {
            n,
            checked_at,
            source: source.to_owned(),
            text: text.to_owned(),
            verdict: v.kind,
            reason_code: first.map_or("", |r| r.code()).to_owned(),
            reason: first.map(ToString::to_string).unwrap_or_default(),
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

/// Why an edit was not applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditError {
    NoSuchItem(u32),
    TooLong,
}

impl std::fmt::Display for AuditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditError::NoSuchItem(n) => write!(f, "there is no item {n} in this audit"),
            AuditError::TooLong => write!(f, "a note holds at most {MAX_NOTE_CHARS} characters"),
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

    /// Adds a checked label as the next item and returns its number.
    pub fn add(&mut self, checked_at: Timestamp, source: &str, text: &str, v: &Verdict) -> u32 {
        let n = self.items.iter().map(|i| i.n).max().unwrap_or(0) + 1;
        self.items.push(AuditItem::new(n, checked_at, source, text, v));
        n
    }

    /// An input in which no label could be read (a photo without a code, an unreadable file):
    /// kept in the audit so the auditor knows to check it again.
    pub fn add_problem(&mut self, checked_at: Timestamp, source: &str, code: &str, message: &str) -> u32 {
        let v = Verdict {
            kind: VerdictKind::CannotCheck,
            reasons: Vec::new(),
            claim: None,
            report: None,
            programme: None,
            authority: None,
        };
        let n = self.add(checked_at, source, "", &v);
        if let Ok(item) = self.item_mut(n) {
            item.reason_code = code.to_owned();
            item.reason = message.to_owned();
        }
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
        let mut groups: Vec<CloneGroup> = Vec::new();
        for item in &self.items {
            let Some((authority, serial)) = item.clone_key() else {
                continue;
            };
            match groups
                .iter_mut()
                .find(|g| g.authority == authority && g.serial == serial)
            {
                Some(g) => g.items.push(item.n),
                None => groups.push(CloneGroup {
                    authority: authority.to_owned(),
                    serial: serial.to_owned(),
                    items: vec![item.n],
                }),
            }
        }
        groups.retain(|g| g.items.len() > 1);
        groups
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
    pub fn from_json(bytes: &[u8]) -> Result<Audit, String> {
        let audit: Audit = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if audit.format == 0 || audit.format > AUDIT_FORMAT {
            return Err(format!("audit format {} is not one this version reads", audit.format));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit_export::{to_csv, to_json};
    use crate::testkit::{claim_for, report, ts};
    use crate::verdict::{AuthorityInfo, Reason};

    fn genuine(serial: &str) -> Verdict {
        let mut v = Verdict::new(VerdictKind::Genuine, Reason::ClaimVerified { kid: "k1".into() });
        let mut claim = claim_for(&report(serial, 2), [0; 16]);
        claim.gtins = vec!["06901234567892".into()];
        v.claim = Some(claim);
        v.authority = Some(AuthorityInfo {
            id: "DEMO".into(),
            name: crate::key_list::Names {
                en: "Demo".into(),
                zh: "演示".into(),
            },
            demo: true,
            key_id: Some("k1".into()),
            key_list_version: 1,
            key_list_issued_at: ts("2026-01-01T00:00:00Z"),
            revocations_version: None,
            revocations_issued_at: None,
        });
        v
    }

    fn forged() -> Verdict {
        Verdict::new(
            VerdictKind::NotGenuine,
            Reason::ClaimSignatureInvalid { kid: "k1".into() },
        )
    }

    fn shelf() -> Audit {
        let mut a = Audit::new("a1", "Shelf 4, 路由器", ts("2026-11-26T09:00:00Z"));
        a.add(
            ts("2026-11-26T09:01:00Z"),
            "camera",
            "https://v.example/#1A",
            &genuine("DEMO-1"),
        );
        a.add(
            ts("2026-11-26T09:02:00Z"),
            "camera",
            "https://v.example/#1B",
            &genuine("DEMO-2"),
        );
        a.add(
            ts("2026-11-26T09:03:00Z"),
            "camera",
            "https://v.example/#1A",
            &genuine("DEMO-1"),
        );
        a.add(ts("2026-11-26T09:04:00Z"), "photo", "https://v.example/#1F", &forged());
        a
    }

    #[test]
    fn a_serial_on_two_items_is_flagged_on_both() {
        let a = shelf();
        assert_eq!(
            a.clones(),
            vec![CloneGroup {
                authority: "DEMO".into(),
                serial: "DEMO-1".into(),
                items: vec![1, 3]
            }]
        );
        assert_eq!(a.clones_of(1), vec![3]);
        assert_eq!(a.clones_of(3), vec![1]);
        assert!(a.clones_of(2).is_empty());
        // An unverified claim's serial is not taken at its word, so never makes a clone.
        assert!(a.clones_of(4).is_empty());
        assert_eq!(a.item(4).unwrap().serial, None);
        assert_eq!(a.same_text("https://v.example/#1A"), Some(1));
        let s = a.summary();
        assert_eq!(s.items, 4);
        assert_eq!(s.by_verdict.get("genuine"), Some(&3));
        assert_eq!(s.by_verdict.get("not-genuine"), Some(&1));
    }

    #[test]
    fn an_entered_model_or_gtin_is_compared_with_the_signed_one() {
        let mut a = shelf();
        a.set_expected(1, " ax-3000 ").unwrap();
        assert!(!a.item(1).unwrap().expected_mismatch());
        a.set_expected(1, "06901234567892").unwrap();
        assert!(!a.item(1).unwrap().expected_mismatch());
        a.set_expected(1, "BX-9").unwrap();
        assert!(a.item(1).unwrap().expected_mismatch());
        assert_eq!(a.summary().mismatches, vec![1]);
        // Nothing signed to compare with.
        a.set_expected(4, "BX-9").unwrap();
        assert!(!a.item(4).unwrap().expected_mismatch());
    }

    #[test]
    fn edits_are_bounded_and_numbers_never_reused() {
        let mut a = shelf();
        assert_eq!(a.set_note(9, "x"), Err(AuditError::NoSuchItem(9)));
        assert_eq!(
            a.set_note(1, &"长".repeat(MAX_NOTE_CHARS + 1)),
            Err(AuditError::TooLong)
        );
        a.set_note(1, &"长".repeat(MAX_NOTE_CHARS)).unwrap();
        a.remove(4).unwrap();
        assert_eq!(a.remove(4), Err(AuditError::NoSuchItem(4)));
        assert_eq!(a.add(ts("2026-11-26T09:05:00Z"), "typed", "x", &forged()), 4);
        a.remove(3).unwrap();
        assert_eq!(a.add(ts("2026-11-26T09:06:00Z"), "typed", "y", &forged()), 5);
    }

    #[test]
    fn csv_has_every_item_and_keeps_hostile_text_inert() {
        let mut a = shelf();
        a.set_note(2, "=HYPERLINK(\"http://evil.example\",\"click\")").unwrap();
        a.set_note(3, "line one\nline two, with comma").unwrap();
        let csv = to_csv(&a);
        assert!(csv.starts_with("\u{feff}item,checked_at,source,verdict,"));
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines.len(), 6, "header, four items, and the final line end");
        assert!(lines[1].starts_with("1,2026-11-26T09:01:00Z,camera,genuine,claim-verified,"));
        assert!(lines[1].contains(",DEMO,DEMO-1,Acme Networks,AX-3000,2,,3,"));
        assert!(csv.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","));
        assert!(csv.contains("\"line one\nline two, with comma\""));
        assert!(lines[4].starts_with("4,2026-11-26T09:04:00Z,photo,not-genuine,claim-signature-invalid,"));
    }

    #[test]
    fn json_export_reads_back_and_says_the_clones() {
        let mut a = shelf();
        a.set_note(1, "top shelf").unwrap();
        let text = to_json(&a);
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["summary"]["clones"][0]["items"], serde_json::json!([1, 3]));
        assert_eq!(doc["items"][0]["clone_of"], serde_json::json!([3]));
        assert_eq!(Audit::from_json(text.as_bytes()).unwrap(), a);
    }

    #[test]
    fn what_is_not_a_saved_audit_is_refused() {
        assert!(Audit::from_json(b"").is_err());
        assert!(Audit::from_json(b"{\"format\":1}").is_err());
        let mut a = shelf();
        a.format = AUDIT_FORMAT + 1;
        let future = serde_json::to_vec(&a).unwrap();
        assert!(Audit::from_json(&future).unwrap_err().contains("format 2"));
    }
}
