//! Status lists (FORMAT.md §6.2): whether each label is revoked, as one bit per label in a
//! compressed bit array, in the form of the IETF Token Status List (`status_list`: `bits` and
//! `lst`, the bytes deflated with zlib and base64url-encoded, label `i` at bit `i % 8` of byte
//! `i / 8`). An authority's labels are split into partitions of [`PARTITION_SIZE`] status
//! indexes; a label carries its partition and index ([`StatusRef`]), and a verifier fetches
//! only its partition, whose address names no label. Each partition is a list of its own,
//! signed by the authority's root, with a version that never goes back.
//!
//! Why a bit is set is said by the revocation list's acts (a product, a batch, a key) or, for
//! labels revoked one by one, by the partition's `singles`: acts of a date, a reason and a note,
//! each with the label indexes it covers, as one compact, deflated record stream (a partition
//! checked by every phone stays a few kilobytes after a hundred such acts).

use crate::fields;
use crate::json::{self, JsonError};
use crate::revocation::RevocationReason;
use crate::time::{Date, Timestamp};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use std::fmt;

pub const STATUS_FORMAT_VERSION: u32 = 1;
/// Status indexes per partition: 2^20, so ten million labels are ten partitions and a phone
/// downloads one.
pub const PARTITION_SIZE: u32 = 1 << 20;
/// Bytes of a partition's bit array at one bit a label.
pub const PARTITION_BYTES: usize = (PARTITION_SIZE / 8) as usize;
/// More partitions than this would be more labels than a register numbers.
pub const MAX_PARTITION: u32 = 128;
/// A note on labels revoked one by one, as on revocation list entries.
pub const MAX_NOTE_CHARS: usize = 200;

/// Where a label's status is: its partition and its index in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct StatusRef {
    pub partition: u32,
    pub index: u32,
}

impl StatusRef {
    /// The status of the label the register numbered `n`.
    pub fn of_number(n: u64) -> Option<StatusRef> {
        let partition = u32::try_from(n / u64::from(PARTITION_SIZE)).ok()?;
        (partition <= MAX_PARTITION).then_some(StatusRef {
            partition,
            index: (n % u64::from(PARTITION_SIZE)) as u32,
        })
    }

    /// The label's place in the authority's whole index space.
    pub fn number(self) -> u64 {
        u64::from(self.partition) * u64::from(PARTITION_SIZE) + u64::from(self.index)
    }

    pub fn valid(self) -> bool {
        self.partition <= MAX_PARTITION && self.index < PARTITION_SIZE
    }
}

/// The Token Status List member: bits per label and the compressed list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenStatusList {
    pub bits: u8,
    pub lst: String,
}

/// Labels of a partition revoked one by one in one act: when, why, which (ascending).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Singles {
    pub date: Date,
    pub reason: RevocationReason,
    pub note: Option<String>,
    pub indexes: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusListDoc {
    pub format: u32,
    pub authority: String,
    pub partition: u32,
    pub version: u64,
    pub issued_at: Timestamp,
    pub expires: Timestamp,
    pub status_list: TokenStatusList,
    /// The labels revoked one by one ([`encode_singles`]); absent when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub singles: Option<String>,
}

/// A partition as a verifier holds it: the document and its bits, decompressed once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusList {
    pub doc: StatusListDoc,
    bits: Vec<u8>,
    singles: Vec<Singles>,
}

/// Why a status list payload is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusListError {
    Json(JsonError),
    Format(u32),
    AuthorityId,
    Partition(u32),
    /// Only one bit a label is defined.
    Bits(u8),
    /// `lst` or a singles' `indexes` is not base64url, not zlib, or inflates to more than a
    /// partition holds (a compression bomb is stopped at that size).
    Encoding,
    /// A singles entry names an index out of order, out of range, or whose bit is not set.
    Singles,
    Note,
    ExpiresBeforeIssued,
}

impl StatusListError {
    pub fn code(&self) -> &'static str {
        match self {
            StatusListError::Json(e) => e.code(),
            StatusListError::Format(_) => "format",
            StatusListError::AuthorityId => "authority-id",
            StatusListError::Partition(_) => "partition",
            StatusListError::Bits(_) => "bits",
            StatusListError::Encoding => "encoding",
            StatusListError::Singles => "singles",
            StatusListError::Note => "note",
            StatusListError::ExpiresBeforeIssued => "expires-before-issued",
        }
    }
}

impl fmt::Display for StatusListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusListError::Json(e) => write!(f, "status-list {e}"),
            other => write!(f, "status-list {}", other.code()),
        }
    }
}

impl std::error::Error for StatusListError {}

/// Inflates `b64` (base64url of zlib) to at most `max` bytes.
fn inflate(b64: &str, max: usize) -> Result<Vec<u8>, StatusListError> {
    let z = B64.decode(b64).map_err(|_| StatusListError::Encoding)?;
    crate::inflate::zlib(&z, max).map_err(|_| StatusListError::Encoding)
}

/// Deflates and base64url-encodes `bytes`, as `lst` and `indexes` are written.
pub fn deflate(bytes: &[u8]) -> String {
    B64.encode(miniz_oxide::deflate::compress_to_vec_zlib(bytes, 9))
}

fn leb128(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn reason_code(r: RevocationReason) -> u8 {
    match r {
        RevocationReason::Withdrawn => 0,
        RevocationReason::Surrendered => 1,
        RevocationReason::Misuse => 2,
        RevocationReason::Superseded => 3,
    }
}

/// The `singles` member, for the bit array `bits` (whose bits the acts' indexes must all be):
/// the number of acts; each act's day (days since 1970-01-01), reason (one byte: 0 withdrawn,
/// 1 surrendered, 2 misuse, 3 superseded) and note (its length in bytes, 0 for none, then its
/// UTF-8); then, for each label revoked one by one in ascending index order, how many set bits
/// come between it and the one before (or the start) that are not revoked one by one, and its
/// act's number. Every number but the reason is an unsigned LEB128; the whole is deflated with
/// zlib and base64url-encoded. A label's place is its rank among the set bits, so the stream
/// does not say twice where labels are: about a byte a label. `None` when there is no act.
pub fn encode_singles(bits: &[u8], acts: &[Singles]) -> Option<String> {
    if acts.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    leb128(&mut out, acts.len() as u64);
    for a in acts {
        leb128(&mut out, u64::try_from(a.date.0).unwrap_or(0));
        out.push(reason_code(a.reason));
        let note = a.note.as_deref().unwrap_or_default().as_bytes();
        leb128(&mut out, note.len() as u64);
        out.extend_from_slice(note);
    }
    let mut singles: Vec<(u32, usize)> = acts
        .iter()
        .enumerate()
        .flat_map(|(n, a)| a.indexes.iter().map(move |i| (*i, n)))
        .collect();
    singles.sort_unstable();
    let (mut rank, mut last_rank) = (0u64, None::<u64>);
    let mut next = 0usize;
    for (i, byte) in bits.iter().enumerate() {
        if *byte == 0 {
            continue;
        }
        for b in 0..8 {
            if byte & (1 << b) == 0 {
                continue;
            }
            let index = (i * 8 + b) as u32;
            while singles.get(next).is_some_and(|(s, _)| *s < index) {
                next += 1; // a single whose bit is not set cannot be written
            }
            if let Some((_, act)) = singles.get(next).filter(|(s, _)| *s == index) {
                let skip = last_rank.map_or(rank, |l| rank - l - 1);
                leb128(&mut out, skip);
                leb128(&mut out, *act as u64);
                last_rank = Some(rank);
                next += 1;
            }
            rank += 1;
        }
    }
    Some(deflate(&out))
}

/// Reads [`encode_singles`]'s stream back, refusing anything out of shape.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn number(&mut self, max: u64) -> Result<u64, StatusListError> {
        let (mut v, mut shift) = (0u64, 0u32);
        loop {
            let b = *self.bytes.get(self.at).ok_or(StatusListError::Singles)?;
            self.at += 1;
            if shift > 56 {
                return Err(StatusListError::Singles);
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return if v <= max { Ok(v) } else { Err(StatusListError::Singles) };
            }
            shift += 7;
        }
    }

    fn take(&mut self, n: usize) -> Result<&[u8], StatusListError> {
        let end = self.at.checked_add(n).ok_or(StatusListError::Singles)?;
        let out = self.bytes.get(self.at..end).ok_or(StatusListError::Singles)?;
        self.at = end;
        Ok(out)
    }
}

/// At most one index a label, each at most three bytes, and a note per act.
const MAX_SINGLES_BYTES: usize = PARTITION_SIZE as usize * 3 + (1 << 20);

fn decode_singles(b64: &str, bits: &[u8]) -> Result<Vec<Singles>, StatusListError> {
    let raw = inflate(b64, MAX_SINGLES_BYTES)?;
    let mut r = Reader { bytes: &raw, at: 0 };
    let count = r.number(u64::from(PARTITION_SIZE))?;
    if count == 0 {
        return Err(StatusListError::Singles);
    }
    let mut acts = Vec::new();
    for _ in 0..count {
        let day = r.number(u64::from(u32::MAX))?;
        let date = Date::from_days(day as i64).map_err(|_| StatusListError::Singles)?;
        let reason = match r.take(1)?.first() {
            Some(0) => RevocationReason::Withdrawn,
            Some(1) => RevocationReason::Surrendered,
            Some(2) => RevocationReason::Misuse,
            Some(3) => RevocationReason::Superseded,
            _ => return Err(StatusListError::Singles),
        };
        let len = r.number(4 * MAX_NOTE_CHARS as u64)? as usize;
        let note = match len {
            0 => None,
            n => {
                let text = std::str::from_utf8(r.take(n)?).map_err(|_| StatusListError::Note)?;
                if text.chars().count() > MAX_NOTE_CHARS || text.chars().any(char::is_control) {
                    return Err(StatusListError::Note);
                }
                Some(text.to_owned())
            }
        };
        acts.push(Singles {
            date,
            reason,
            note,
            indexes: Vec::new(),
        });
    }
    // One pass over the bits: each entry's rank, found among the set bits in order.
    let mut set = bits.iter().enumerate().flat_map(|(i, byte)| {
        (0..8u32)
            .filter(move |b| byte & (1 << b) != 0)
            .map(move |b| i as u32 * 8 + b)
    });
    while r.at < raw.len() {
        let skip = r.number(u64::from(PARTITION_SIZE))?;
        let act = r.number(count - 1)? as usize;
        let index = set.nth(skip as usize).ok_or(StatusListError::Singles)?;
        acts.get_mut(act).ok_or(StatusListError::Singles)?.indexes.push(index);
    }
    if acts.iter().any(|a| a.indexes.is_empty()) {
        return Err(StatusListError::Singles);
    }
    Ok(acts)
}

fn bit(bits: &[u8], index: u32) -> bool {
    bits.get((index / 8) as usize)
        .is_some_and(|b| b & (1 << (index % 8)) != 0)
}

impl StatusList {
    pub fn parse(payload: &[u8]) -> Result<StatusList, StatusListError> {
        let doc: StatusListDoc = json::strict(payload).map_err(StatusListError::Json)?;
        StatusList::from_doc(doc)
    }

    pub fn from_doc(doc: StatusListDoc) -> Result<StatusList, StatusListError> {
        if doc.format != STATUS_FORMAT_VERSION {
            return Err(StatusListError::Format(doc.format));
        }
        if !fields::authority_ok(&doc.authority) {
            return Err(StatusListError::AuthorityId);
        }
        if doc.partition > MAX_PARTITION {
            return Err(StatusListError::Partition(doc.partition));
        }
        if doc.status_list.bits != 1 {
            return Err(StatusListError::Bits(doc.status_list.bits));
        }
        if doc.expires <= doc.issued_at {
            return Err(StatusListError::ExpiresBeforeIssued);
        }
        // The whole partition, every index a label can reference: the draft refuses a token
        // whose index is beyond its list, and so do independent readers.
        let bits = inflate(&doc.status_list.lst, PARTITION_BYTES)?;
        if bits.len() != PARTITION_BYTES {
            return Err(StatusListError::Encoding);
        }
        let singles = match &doc.singles {
            Some(s) => decode_singles(s, &bits)?,
            None => Vec::new(),
        };
        Ok(StatusList { doc, bits, singles })
    }

    /// Whether the label at `index` of this partition is revoked.
    pub fn revoked(&self, index: u32) -> bool {
        bit(&self.bits, index)
    }

    /// The act that revoked the label at `index` alone, if it was revoked alone.
    pub fn single(&self, index: u32) -> Option<&Singles> {
        self.singles.iter().find(|s| s.indexes.binary_search(&index).is_ok())
    }

    /// The bits, decompressed (for the authority that sets more of them).
    pub fn bits(&self) -> &[u8] {
        &self.bits
    }

    /// The acts that revoked labels of this partition one by one.
    pub fn singles(&self) -> &[Singles] {
        &self.singles
    }
}

/// A partition's bit array with no label revoked.
pub fn empty_bits() -> Vec<u8> {
    vec![0; PARTITION_BYTES]
}

/// Sets the bit of `index` in a partition's bit array (grown to the whole partition).
pub fn set_bit(bits: &mut Vec<u8>, index: u32) {
    if bits.len() < PARTITION_BYTES {
        bits.resize(PARTITION_BYTES, 0);
    }
    if let Some(b) = bits.get_mut((index / 8) as usize) {
        *b |= 1 << (index % 8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(lst: String, singles: Vec<Singles>) -> StatusListDoc {
        StatusListDoc {
            format: 1,
            authority: "ACME".into(),
            partition: 2,
            version: 1,
            issued_at: Timestamp(1_000),
            expires: Timestamp(2_000),
            singles: encode_singles(&inflate(&lst, PARTITION_BYTES).unwrap_or_default(), &singles),
            status_list: TokenStatusList { bits: 1, lst },
        }
    }

    #[test]
    fn bits_are_read_as_the_token_status_list_lays_them_out() {
        // The draft's example: statuses 1,0,0,1,1,1,0,1 / 1,1,1,0,0,0,1,0 → 0xb9, 0xa3.
        let mut bits = empty_bits();
        bits[..2].copy_from_slice(&[0xb9, 0xa3]);
        let s = StatusList::from_doc(doc(deflate(&bits), vec![])).unwrap();
        let read: Vec<bool> = (0..16).map(|i| s.revoked(i)).collect();
        let want = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1].map(|b| b == 1);
        assert_eq!(read, want);
        assert!(!s.revoked(PARTITION_SIZE - 1));
        // Shorter than the partition: an index a label may carry would be out of its range.
        assert_eq!(
            StatusList::from_doc(doc(deflate(&[0xb9, 0xa3]), vec![])),
            Err(StatusListError::Encoding)
        );
    }

    #[test]
    fn singles_name_their_labels_and_must_be_set() {
        // Bit 50 is set by an act of the revocation list, the others one by one.
        let mut bits = Vec::new();
        for i in [3, 50, 700, 1_000_000] {
            set_bit(&mut bits, i);
        }
        let single = |indexes: &[u32], note: Option<&str>| Singles {
            date: Date::parse("2026-03-01").unwrap(),
            reason: RevocationReason::Misuse,
            note: note.map(str::to_owned),
            indexes: indexes.to_vec(),
        };
        let acts = vec![single(&[3], Some("Cloned: 克隆")), single(&[700, 1_000_000], None)];
        let s = StatusList::from_doc(doc(deflate(&bits), acts.clone())).unwrap();
        assert_eq!(s.singles(), acts.as_slice(), "read back as written");
        assert_eq!(s.single(1_000_000).map(|x| x.reason), Some(RevocationReason::Misuse));
        assert_eq!(s.single(3).and_then(|x| x.note.as_deref()), Some("Cloned: 克隆"));
        assert!(s.single(5).is_none() && !s.revoked(5));
        assert!(s.single(50).is_none() && s.revoked(50));
        assert_eq!(
            StatusList::from_doc(doc(deflate(&bits), vec![single(&[4], None)])),
            Err(StatusListError::Singles),
            "a single whose bit is unset"
        );
        // One act (day 200, misuse, no note), then entries (skip, act).
        for bad in [
            vec![1u8, 200],              // cut short
            vec![1, 200, 1, 9, 0, 0, 0], // reason 9
            vec![1, 200, 1, 2, 0],       // an act with no label
            vec![1, 200, 1, 2, 0, 0, 1], // act 1 of 1
            vec![1, 200, 1, 2, 0, 4, 0], // beyond the set bits (four are set)
            vec![0],                     // no act
        ] {
            let mut d = doc(deflate(&bits), vec![]);
            d.singles = Some(deflate(&bad));
            assert_eq!(StatusList::from_doc(d), Err(StatusListError::Singles), "{bad:?}");
        }
    }

    #[test]
    fn a_bomb_or_a_broken_array_is_refused() {
        let bomb = deflate(&vec![0u8; PARTITION_BYTES + 1]);
        assert_eq!(StatusList::from_doc(doc(bomb, vec![])), Err(StatusListError::Encoding));
        let whole = deflate(&[1, 2, 3]);
        let cut = whole[..whole.len() - 4].to_owned();
        assert_eq!(StatusList::from_doc(doc(cut, vec![])), Err(StatusListError::Encoding));
        assert_eq!(
            StatusList::from_doc(doc("not base64!".into(), vec![])),
            Err(StatusListError::Encoding)
        );
        let mut two = doc(deflate(&empty_bits()), vec![]);
        two.status_list.bits = 2;
        assert_eq!(StatusList::from_doc(two), Err(StatusListError::Bits(2)));
    }

    #[test]
    fn numbers_map_to_partitions() {
        let r = StatusRef::of_number(3 * u64::from(PARTITION_SIZE) + 17).unwrap();
        assert_eq!((r.partition, r.index), (3, 17));
        assert_eq!(r.number(), 3 * u64::from(PARTITION_SIZE) + 17);
    }
}
