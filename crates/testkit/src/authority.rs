//! Throw-away authorities: keys from a seed, and the files such an authority publishes.

use ed25519_dalek::SigningKey;
use labelcheck_core::claim::Claim;
use labelcheck_core::issuer;
use labelcheck_core::jwk::PublicJwk;
use labelcheck_core::key_list::{KeyEntry, KeyList, Names, Programme};
use labelcheck_core::report::{Clause, ClauseResult, Product, Report, Standard, TestLab};
use labelcheck_core::revocation::{Act, RevocationList, RevocationReason, Revoked};
use labelcheck_core::status::{self, Singles, StatusListDoc, TokenStatusList};
use labelcheck_core::time::{Date, Timestamp};
use labelcheck_core::trust::{Anchor, TrustAnchors};
use labelcheck_core::ListStore;

pub const VERIFIER: &str = "https://verify.example/";

/// An authority whose root and signing keys come from a seed byte: two authorities made with
/// the same id and different seeds are an authority and its impostor.
pub struct Authority {
    pub id: String,
    pub root: SigningKey,
    pub k1: SigningKey,
    pub old: SigningKey,
}

pub fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

pub fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

impl Authority {
    pub fn new(id: &str, seed: u8) -> Authority {
        Authority {
            id: id.into(),
            root: SigningKey::from_bytes(&[seed; 32]),
            k1: SigningKey::from_bytes(&[seed.wrapping_add(1); 32]),
            old: SigningKey::from_bytes(&[seed.wrapping_add(2); 32]),
        }
    }

    pub fn anchors(&self) -> TrustAnchors {
        TrustAnchors {
            format: 1,
            anchors: vec![Anchor {
                authority: self.id.clone(),
                name: Names {
                    en: "Test Authority".into(),
                    zh: "测试机构".into(),
                },
                demo: false,
                root_keys: vec![PublicJwk::from_key("root", &self.root.verifying_key()).into()],
                key_list_url: "https://reports.example/keys.jws".into(),
                revocations_url: "https://reports.example/revocations.jws".into(),
            }],
        }
    }

    pub fn key_list(&self, version: u64) -> KeyList {
        KeyList {
            format: 1,
            authority: self.id.clone(),
            name: Names {
                en: "Test Authority".into(),
                zh: "测试机构".into(),
            },
            demo: false,
            version,
            issued_at: ts("2026-01-01T00:00:00Z"),
            expires: ts("2027-01-01T00:00:00Z"),
            verifier: VERIFIER.into(),
            report_hosts: vec!["reports.example".into()],
            report_url: Some("https://reports.example/r/{serial}.jws".into()),
            revocations_url: "https://reports.example/revocations.jws".into(),
            status_url: Some("https://reports.example/status/{partition}.jws".into()),
            keys: vec![
                KeyEntry::new(
                    PublicJwk::from_key("k1", &self.k1.verifying_key()),
                    ts("2025-01-01T00:00:00Z"),
                    ts("2030-01-01T00:00:00Z"),
                ),
                KeyEntry::new(
                    PublicJwk::from_key("k0", &self.old.verifying_key()),
                    ts("2020-01-01T00:00:00Z"),
                    ts("2025-01-01T00:00:00Z"),
                ),
            ],
            programmes: vec![Programme {
                id: 1,
                code: "cn-cls".into(),
                name: Names {
                    en: "Cybersecurity Label".into(),
                    zh: "网络安全标识".into(),
                },
                levels: vec![1, 2, 3],
                max_level: 3,
            }],
        }
    }

    pub fn key_list_file(&self, version: u64) -> Vec<u8> {
        issuer::sign_key_list(&self.key_list(version), "root", &self.root).unwrap()
    }

    pub fn revocations_file(&self, version: u64, serials: &[&str]) -> Vec<u8> {
        let revoked = serials
            .iter()
            .map(|s| Revoked {
                serial: (*s).into(),
                date: day("2026-05-01"),
                reason: RevocationReason::Withdrawn,
                note: None,
            })
            .collect();
        self.revocations(version, revoked, Vec::new(), 0)
    }

    fn revocations(&self, version: u64, revoked: Vec<Revoked>, acts: Vec<Act>, partitions: u32) -> Vec<u8> {
        let list = RevocationList {
            format: 1,
            authority: self.id.clone(),
            version,
            issued_at: ts("2026-06-01T00:00:00Z"),
            expires: ts("2026-12-31T00:00:00Z"),
            revoked,
            acts,
            partitions,
        };
        issuer::sign_revocations(&list, "root", &self.root).unwrap()
    }

    pub fn store(&self, revoked: &[&str]) -> (TrustAnchors, ListStore) {
        let anchors = self.anchors();
        let mut store = ListStore::new();
        store.offer_key_list(&anchors, &self.key_list_file(1)).unwrap();
        store
            .offer_revocations(&anchors, &self.revocations_file(1, revoked))
            .unwrap();
        (anchors, store)
    }
}

pub fn report(serial: &str, level: u8) -> Report {
    Report {
        format: 1,
        authority: "DEMO".into(),
        serial: serial.into(),
        programme: 1,
        level,
        maker: "Acme Networks".into(),
        model: "AX-3000".into(),
        gtins: vec![],
        valid_from: day("2026-02-01"),
        valid_until: day("2029-01-31"),
        issued_at: ts("2026-02-01T09:00:00Z"),
        product: Product {
            name: "AX-3000 router".into(),
            category: "router".into(),
            hardware_version: Some("rev B".into()),
            firmware_versions: vec!["1.4.2".into()],
        },
        standard: Standard {
            id: "GB/T 00000-2026".into(),
            title: "Test standard".into(),
            clauses: vec![Clause {
                id: "5.1".into(),
                title: "No universal default passwords".into(),
                result: ClauseResult::Pass,
                note: None,
            }],
        },
        test_lab: TestLab {
            name: "Lab".into(),
            accreditation: None,
            report_number: None,
            tested_on: day("2026-01-15"),
        },
        support_until: day("2031-12-31"),
        update_policy: "Monthly".into(),
        default_password: "Unique per device".into(),
        vulnerability_contact: "security@acme.example".into(),
    }
}

pub fn claim_for(report: &Report, digest: [u8; 16]) -> Claim {
    Claim::for_report(report, digest, None)
}

impl Authority {
    /// Partition `partition` of the status list, version `version`, with the bits of `set`
    /// and the singles given, fresh from 2026-06-01 to 2026-12-31.
    pub fn status_file(&self, partition: u32, version: u64, set: &[u32], singles: Vec<Singles>) -> Vec<u8> {
        self.status_file_dated(
            partition,
            version,
            set,
            singles,
            ts("2026-06-01T00:00:00Z"),
            ts("2026-12-31T00:00:00Z"),
        )
    }

    pub fn status_file_dated(
        &self,
        partition: u32,
        version: u64,
        set: &[u32],
        singles: Vec<Singles>,
        issued_at: Timestamp,
        expires: Timestamp,
    ) -> Vec<u8> {
        let mut bits = status::empty_bits();
        for i in set {
            status::set_bit(&mut bits, *i);
        }
        let singles = status::encode_singles(&bits, &singles);
        self.status_doc(partition, version, status::deflate(&bits), singles, issued_at, expires)
    }

    /// A partition whose bit array is `lst` as given (compressed and encoded), well formed or not.
    pub fn status_file_lst(&self, partition: u32, version: u64, lst: String) -> Vec<u8> {
        self.status_doc(
            partition,
            version,
            lst,
            None,
            ts("2026-06-01T00:00:00Z"),
            ts("2026-12-31T00:00:00Z"),
        )
    }

    fn status_doc(
        &self,
        partition: u32,
        version: u64,
        lst: String,
        singles: Option<String>,
        issued_at: Timestamp,
        expires: Timestamp,
    ) -> Vec<u8> {
        let doc = StatusListDoc {
            format: 1,
            authority: self.id.clone(),
            partition,
            version,
            issued_at,
            expires,
            status_list: TokenStatusList { bits: 1, lst },
            singles,
        };
        // Signed as it is, not through the issuer, which refuses to sign a bad one.
        let payload = serde_json::to_vec(&doc).unwrap();
        labelcheck_core::jws::sign(&payload, "root", labelcheck_core::jws::TYP_STATUS, &self.root).unwrap()
    }

    /// A revocation list of version `version` with `acts`, no single serials, and `partitions`
    /// status list partitions published.
    pub fn revocations_with_acts(&self, version: u64, acts: Vec<Act>, partitions: u32) -> Vec<u8> {
        self.revocations(version, Vec::new(), acts, partitions)
    }
}

/// A singles entry: labels `indexes` of a partition revoked on `date` for `reason`.
pub fn singles(date: &str, reason: RevocationReason, indexes: &[u32]) -> Singles {
    Singles {
        date: day(date),
        reason,
        note: None,
        indexes: indexes.to_vec(),
    }
}
