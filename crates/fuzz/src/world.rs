//! The test-vector authority, its lists and the labels it signed, loaded once.

use labelcheck_core::label_url::{classify, QrText};
use labelcheck_core::{ListStore, Timestamp, TrustAnchors};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

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

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = vectors();
        let anchors = TrustAnchors::parse(&read(dir.join("authority/trust.json"))).unwrap();
        let mut lists = ListStore::new();
        lists
            .offer_key_list(&anchors, &read(dir.join("authority/keys.jws")))
            .unwrap();
        lists
            .offer_revocations(&anchors, &read(dir.join("authority/revocations.jws")))
            .unwrap();

        let mut known_claims = Vec::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for path in files {
            let case: Value = serde_json::from_slice(&read(path)).unwrap();
            if let Some(QrText::Label(link)) = case["qr"].as_str().map(classify) {
                known_claims.push(link.claim);
            }
        }
        let genuine: Value = serde_json::from_slice(&read(dir.join("demo-genuine.json"))).unwrap();
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
    pub fn verifier(&self) -> labelcheck_core::Verifier<'_> {
        labelcheck_core::Verifier {
            anchors: &self.anchors,
            lists: &self.lists,
            now: self.now,
        }
    }
}
