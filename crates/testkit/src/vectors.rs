//! The committed test vectors (`tests/vectors/`, one file per case) and the authority that
//! signed them (`tests/vectors/authority/`), embedded at build time.

use labelcheck_core::label_url::{classify, QrText};
use labelcheck_core::{ListStore, Timestamp, TrustAnchors, Verifier};
use serde_json::Value;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/vectors.rs"));

/// One vector file, parsed.
pub struct Case {
    pub name: &'static str,
    pub doc: Value,
}

/// Every vector, in name order.
pub fn cases() -> Vec<Case> {
    FILES
        .iter()
        .map(|(name, text)| Case {
            name,
            doc: serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}")),
        })
        .collect()
}

/// The test-vector authority, its lists and the labels it signed, loaded once.
pub struct World {
    pub anchors: TrustAnchors,
    pub lists: ListStore,
    pub now: Timestamp,
    /// The claim (COSE) bytes of every QR text in the vectors that is shaped like a label:
    /// the only claims a genuine verdict may be given for.
    pub known_claims: Vec<Vec<u8>>,
    /// The genuine demo label and the report file it was issued with.
    pub genuine_qr: String,
    pub genuine_report: Vec<u8>,
}

pub fn anchors() -> TrustAnchors {
    TrustAnchors::parse(TRUST).unwrap()
}

/// The authority's key list and revocation list, held.
pub fn lists(anchors: &TrustAnchors) -> ListStore {
    let mut lists = ListStore::new();
    lists.offer_key_list(anchors, KEYS).unwrap();
    lists.offer_revocations(anchors, REVOCATIONS).unwrap();
    lists
}

pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let anchors = anchors();
        let lists = lists(&anchors);
        let cases = cases();
        let known_claims = cases
            .iter()
            .filter_map(|c| match c.doc["qr"].as_str().map(classify) {
                Some(QrText::Label(link)) => Some(link.claim),
                _ => None,
            })
            .collect();
        let genuine = &cases.iter().find(|c| c.name == "demo-genuine.json").unwrap().doc;
        World {
            now: Timestamp::parse(genuine["now"].as_str().unwrap()).unwrap(),
            genuine_qr: genuine["qr"].as_str().unwrap().to_owned(),
            genuine_report: genuine["report"]["file"].as_str().unwrap().as_bytes().to_vec(),
            anchors,
            lists,
            known_claims,
        }
    })
}

impl World {
    pub fn verifier(&self) -> Verifier<'_> {
        Verifier {
            anchors: &self.anchors,
            lists: &self.lists,
            now: self.now,
        }
    }
}
