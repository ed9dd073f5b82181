//! Revocation at a programme's scale (FORMAT.md §6.2–6.3, §8 steps 4a, 10, 11a): a label
//! carries its place in a status list; each act — a product, a batch, a signing key, single
//! serials — reads *revoked* with its date and reason; an unrevoked unit of the same maker's
//! other product reads genuine; a partition that is older, another authority's, another
//! partition, out of date, truncated or a compression bomb is refused and nothing held is lost.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_core::issuer::{issue_label, sign_report};
use labelcheck_core::list_store::{ListError, ListProblem};
use labelcheck_core::revocation::{Act, ActKind, RevocationReason};
use labelcheck_core::status::{deflate, StatusRef, PARTITION_SIZE};
use labelcheck_core::{Claim, FetchProblem, ListStore, Reason, Timestamp, VerdictKind, Verifier};
use labelcheck_testkit::{day, report, singles, ts, Authority, VERIFIER};

fn now() -> Timestamp {
    ts("2026-06-15T12:00:00Z")
}

/// A label of `model` numbered `n` in the authority's status space, with its report.
fn label(a: &Authority, model: &str, n: u64, kid: &str) -> (String, Vec<u8>) {
    let mut r = report(&format!("DEMO-{n}"), 2);
    r.model = model.into();
    let key = if kid == "k1" { &a.k1 } else { &a.old };
    let signed = sign_report(&r, kid, key).unwrap();
    let claim = Claim::for_report(&r, signed.digest, None).with_status(StatusRef::of_number(n).unwrap());
    (issue_label(&claim, kid, key, VERIFIER).unwrap(), signed.file)
}

struct Held {
    a: Authority,
    store: ListStore,
}

impl Held {
    fn new(acts: Vec<Act>) -> Held {
        let a = Authority::new("DEMO", 80);
        let anchors = a.anchors();
        let mut store = ListStore::new();
        store.offer_key_list(&anchors, &a.key_list_file(1)).unwrap();
        store
            .offer_revocations(&anchors, &a.revocations_with_acts(1, acts, 4))
            .unwrap();
        Held { a, store }
    }

    fn offer(&mut self, file: &[u8]) {
        self.store.offer_status(&self.a.anchors(), file).unwrap();
    }

    fn verdict(&self, text: &str, report: &[u8]) -> (VerdictKind, Option<Reason>) {
        let anchors = self.a.anchors();
        let v = Verifier {
            anchors: &anchors,
            lists: &self.store,
            now: now(),
        }
        .verify_with(text, |_| Ok(report.to_vec()));
        (v.kind(), v.decided_by)
    }
}

fn act(kind: ActKind, date: &str, reason: RevocationReason) -> Act {
    Act::new(kind, day(date), reason, None)
}

/// Acme Networks' Cam 1, withdrawn on 2026-05-10.
fn cam_1_withdrawn() -> Act {
    Act {
        maker: Some("Acme Networks".into()),
        model: Some("Cam 1".into()),
        ..act(ActKind::Product, "2026-05-10", RevocationReason::Withdrawn)
    }
}

/// Status numbers 200 to 299, a batch surrendered on 2026-05-11.
fn batch_surrendered() -> Act {
    Act {
        batch: Some("b0a1".into()),
        ranges: vec![(200, 299)],
        ..act(ActKind::Batch, "2026-05-11", RevocationReason::Surrendered)
    }
}

#[test]
fn each_act_reads_revoked_with_its_date_and_reason() {
    let mut h = Held::new(vec![cam_1_withdrawn(), batch_surrendered()]);
    // Units 1..=99 are Cam 1 (withdrawn), 200..=299 a batch, 500 and 501 revoked alone; the
    // maker's other product, Cam 2, keeps its labels.
    let mut set: Vec<u32> = (1..100).chain(200..300).collect();
    set.extend([500, 501]);
    let alone = singles("2026-05-12", RevocationReason::Misuse, &[500, 501]);
    h.offer(&h.a.status_file(0, 1, &set, vec![alone]));
    let is_revoked = |h: &Held, model: &str, n: u64| {
        let (text, report) = label(&h.a, model, n, "k1");
        h.verdict(&text, &report)
    };
    let (kind, why) = is_revoked(&h, "Cam 1", 7);
    assert_eq!(kind, VerdictKind::Revoked);
    assert!(
        matches!(why, Some(Reason::Revoked { reason: RevocationReason::Withdrawn, date, .. }) if date == day("2026-05-10"))
    );
    let (kind, why) = is_revoked(&h, "Cam 2", 250);
    assert_eq!(kind, VerdictKind::Revoked);
    assert!(
        matches!(
            why,
            Some(Reason::Revoked {
                reason: RevocationReason::Surrendered,
                ..
            })
        ),
        "{why:?}"
    );
    let (kind, why) = is_revoked(&h, "Cam 2", 501);
    assert_eq!(kind, VerdictKind::Revoked);
    assert!(
        matches!(why, Some(Reason::Revoked { reason: RevocationReason::Misuse, date, .. }) if date == day("2026-05-12"))
    );
    let (kind, why) = is_revoked(&h, "Cam 2", 150);
    assert_eq!(
        (kind, why),
        (VerdictKind::Genuine, None),
        "an unrevoked unit of the same maker"
    );
}

#[test]
fn a_partition_older_than_the_revocation_list_hides_no_product_or_batch_withdrawal() {
    let mut h = Held::new(vec![cam_1_withdrawn(), batch_surrendered()]);
    // A partition from before both acts: no bit set.
    h.offer(&h.a.status_file(0, 1, &[], vec![]));
    for (model, n) in [("Cam 1", 7), ("Cam 2", 250)] {
        let (text, report) = label(&h.a, model, n, "k1");
        assert_eq!(h.verdict(&text, &report).0, VerdictKind::Revoked, "{model} {n}");
    }
    // Nor does a partition that cannot be had at all.
    let h = Held::new(vec![cam_1_withdrawn()]);
    let (text, report) = label(&h.a, "Cam 1", 7, "k1");
    assert_eq!(h.verdict(&text, &report).0, VerdictKind::Revoked);
    // What only the partition says, a single revocation, needs the partition.
    let (text, report) = label(&h.a, "Cam 2", 7, "k1");
    assert!(matches!(
        h.verdict(&text, &report),
        (
            VerdictKind::CannotCheck,
            Some(Reason::StatusListMissing { partition: 0, .. })
        )
    ));
}

#[test]
fn a_withdrawn_key_s_labels_read_revoked_even_once_the_key_left_the_key_list() {
    let key = Act {
        kid: Some("k1".into()),
        note: Some("Replaced after a compromise".into()),
        ..act(ActKind::Key, "2026-06-01", RevocationReason::Superseded)
    };
    let mut h = Held::new(vec![key]);
    h.offer(&h.a.status_file(0, 1, &[3], vec![]));
    let (text, report) = label(&h.a, "Cam 1", 3, "k1");
    let (kind, why) = h.verdict(&text, &report);
    assert_eq!(kind, VerdictKind::Revoked);
    let Some(reason @ Reason::Revoked { .. }) = why else {
        panic!("{why:?}")
    };
    assert_eq!(reason.message().key, "revoked.superseded.note");
    // A forger with the key, and a key list without it: still revoked, not merely not genuine.
    let mut list = h.a.key_list(2);
    list.keys.retain(|k| k.kid != "k1");
    let anchors = h.a.anchors();
    let file = labelcheck_core::issuer::sign_key_list(&list, "root", &h.a.root).unwrap();
    h.store.offer_key_list(&anchors, &file).unwrap();
    assert_eq!(h.verdict(&text, &report).0, VerdictKind::Revoked);
}

#[test]
fn a_label_s_partition_is_fetched_from_an_address_that_names_no_label() {
    let mut h = Held::new(vec![]);
    let n = 3 * u64::from(PARTITION_SIZE) + 12;
    let (text, report) = label(&h.a, "Cam 1", n, "k1");
    let (kind, why) = h.verdict(&text, &report);
    assert_eq!(kind, VerdictKind::CannotCheck);
    assert_eq!(
        why,
        Some(Reason::StatusListMissing {
            partition: 3,
            url: Some("https://reports.example/status/3.jws".into())
        })
    );
    h.offer(&h.a.status_file(3, 1, &[], vec![]));
    assert_eq!(h.verdict(&text, &report), (VerdictKind::Genuine, None));
    // A label beyond the partitions the revocation list says are published: nothing of it is
    // revoked, and no partition is asked for (issuing there needs no root signature).
    let beyond = 4 * u64::from(PARTITION_SIZE) + 1;
    let (text, report) = label(&h.a, "Cam 1", beyond, "k1");
    assert_eq!(h.verdict(&text, &report), (VerdictKind::Genuine, None));
}

#[test]
fn a_partition_a_verifier_must_not_take_is_refused_and_nothing_held_is_lost() {
    let mut h = Held::new(vec![]);
    let anchors = h.a.anchors();
    h.offer(&h.a.status_file(0, 5, &[9], vec![]));
    let (text, report) = label(&h.a, "Cam 1", 9, "k1");
    assert_eq!(h.verdict(&text, &report).0, VerdictKind::Revoked);
    let offer = |h: &mut Held, file: Vec<u8>, partition: u32| {
        h.store
            .offer_status_for(&anchors, "DEMO", partition, Ok(file))
            .err()
            .unwrap()
    };
    // An older version: the revocation it hides stays.
    let older = h.a.status_file(0, 4, &[], vec![]);
    assert!(matches!(
        offer(&mut h, older, 0),
        ListProblem::Refused(ListError::Rollback { have: 5, offered: 4 })
    ));
    // Another partition than the one asked for.
    let other = h.a.status_file(1, 9, &[], vec![]);
    assert!(matches!(
        offer(&mut h, other, 0),
        ListProblem::Refused(ListError::WrongPartition { asked: 0, got: 1 })
    ));
    // An impostor's, and another trusted authority's.
    let impostor = Authority::new("DEMO", 81).status_file(0, 9, &[], vec![]);
    assert!(matches!(
        offer(&mut h, impostor, 0),
        ListProblem::Refused(ListError::BadSignature)
    ));
    // Another trusted authority's partition, offered as this one's.
    let acme = Authority::new("ACME", 90);
    let mut both = h.a.anchors();
    both.anchors.extend(acme.anchors().anchors);
    let theirs = acme.status_file(0, 9, &[], vec![]);
    assert!(matches!(
        h.store.offer_status_for(&both, "DEMO", 0, Ok(theirs)),
        Err(ListProblem::Refused(_))
    ));
    // Truncated, and a bomb: refused before anything is believed.
    let cut = h.a.status_file(0, 9, &[], vec![]);
    let cut = cut[..cut.len() / 2].to_vec();
    assert!(matches!(offer(&mut h, cut, 0), ListProblem::Refused(_)));
    // A signed bit array that inflates far past a partition's size.
    let bomb = h.a.status_file_lst(0, 9, deflate(&vec![0u8; 16 << 20]));
    assert!(bomb.len() < 64 << 10, "a bomb is small on the wire");
    assert!(matches!(
        offer(&mut h, bomb, 0),
        ListProblem::Refused(ListError::Status(_))
    ));
    assert!(matches!(
        h.store
            .offer_status_for(&anchors, "DEMO", 0, Err(FetchProblem::TooLarge)),
        Err(ListProblem::Fetch(FetchProblem::TooLarge))
    ));
    assert_eq!(
        h.verdict(&text, &report).0,
        VerdictKind::Revoked,
        "what was held is kept"
    );
    assert_eq!(h.store.status("DEMO", 0).unwrap().list.doc.version, 5);
}

#[test]
fn a_partition_past_its_grace_cannot_confirm_a_label() {
    let mut h = Held::new(vec![]);
    h.offer(&h.a.status_file_dated(
        0,
        1,
        &[],
        vec![],
        ts("2026-05-01T00:00:00Z"),
        ts("2026-05-20T00:00:00Z"),
    ));
    let (text, report) = label(&h.a, "Cam 1", 4, "k1");
    let (kind, why) = h.verdict(&text, &report);
    assert_eq!(kind, VerdictKind::CannotCheck);
    assert!(matches!(why, Some(Reason::StatusListTooOld { .. })), "{why:?}");
    // Within the grace the label is genuine, with the caveat said.
    h.offer(&h.a.status_file_dated(
        0,
        2,
        &[],
        vec![],
        ts("2026-05-01T00:00:00Z"),
        ts("2026-06-12T00:00:00Z"),
    ));
    let anchors = h.a.anchors();
    let v = Verifier {
        anchors: &anchors,
        lists: &h.store,
        now: now(),
    }
    .verify_with(&text, |_| Ok(report.clone()));
    assert_eq!(v.kind(), VerdictKind::Genuine);
    assert!(v.findings.iter().any(|f| matches!(f, Reason::StatusListExpired { .. })));
}

#[test]
fn a_label_without_a_status_reads_a_product_withdrawal_from_the_revocation_list() {
    let product = Act {
        maker: Some("Acme Networks".into()),
        model: Some("AX-3000".into()),
        ..act(ActKind::Product, "2026-05-10", RevocationReason::Withdrawn)
    };
    let h = Held::new(vec![product]);
    let r = report("DEMO-OLD", 2);
    let signed = sign_report(&r, "k1", &h.a.k1).unwrap();
    let text = issue_label(&Claim::for_report(&r, signed.digest, None), "k1", &h.a.k1, VERIFIER).unwrap();
    assert_eq!(h.verdict(&text, &signed.file).0, VerdictKind::Revoked);
}
