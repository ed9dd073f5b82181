//! Everything the command says exists in every language it speaks, with every argument filled:
//! each error and refusal of the issuing side (one sample per kind; a new kind does not compile
//! here until it has one), each problem of a row and of a printed label, and each sentence of
//! the command's own that its source asks for.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_authority::error::{Action, CheckFailure, Error, FieldRule, RowProblem, TokenProblem};
use labelcheck_authority::gate::Refusal;
use labelcheck_authority::lists::Unknown;
use labelcheck_authority::pkcs11::UriProblem;
use labelcheck_authority::print_check::Failed;
use labelcheck_authority::rows::RowError;
use labelcheck_core::claim::{ClaimError, ClaimField};
use labelcheck_core::jwk::JwkError;
use labelcheck_core::jws::JwsError;
use labelcheck_core::key_list::KeyListError;
use labelcheck_core::list_store::ListError;
use labelcheck_core::report::ReportError;
use labelcheck_core::revocation::RevocationListError;
use labelcheck_core::trust::TrustError;
use labelcheck_core::{Arg, ListKind, Message, Reason, VerdictKind};
use labelcheck_words::{lookup, message, Lang};
use std::path::PathBuf;

fn p() -> PathBuf {
    PathBuf::from("a/b.json")
}

fn refusal() -> Refusal {
    Refusal {
        verdict: VerdictKind::NotGenuine,
        reason: Reason::KeyNotPublished { kid: "k9".into() }.message(),
    }
}

/// One of each error, checked to be every kind there is.
fn errors() -> Vec<Error> {
    let io = Error::io(&p(), Action::Read, &std::io::Error::from(std::io::ErrorKind::NotFound));
    let other_io = Error::io(&p(), Action::Sync, &std::io::Error::other("disk on fire"));
    let all = vec![
        io,
        other_io,
        Error::TooLarge { path: p(), max: 10 },
        Error::Exists { path: p() },
        Error::json(&p(), Action::ReadKeyList, &serde_json::from_str::<u8>("x").unwrap_err()),
        Error::NotAnObject { path: p() },
        Error::Format { path: p(), format: 9 },
        Error::WorkerFailed,
        Error::NoRandomness,
        Error::QrTooLong { bytes: 3000, max: 2331 },
        Error::KeyId { kid: "bad kid".into() },
        Error::Jwk {
            path: p(),
            problem: JwkError::WeakKey,
        },
        Error::KeyFileName,
        Error::TokenUri(UriProblem::PinInUri),
        Error::Token(TokenProblem::NoPin),
        Error::AuthorityId { id: "a b".into() },
        Error::AuthorityFileMissing { path: p() },
        Error::SerialPrefix { prefix: "../".into() },
        Error::Serial { serial: "a b".into() },
        Error::RegisterMissing { path: p() },
        Error::RegisterInUse { path: p() },
        Error::RegisterCannotLock {
            path: p(),
            detail: "No locks available".into(),
        },
        Error::NotARegister { path: p() },
        Error::RegisterRecord { path: p(), line: 3 },
        Error::RegisterEdited { path: p(), line: 3 },
        Error::RegisterFull {
            path: p(),
            asked: 10,
            left: 2,
        },
        Error::SerialTaken {
            serial: "a-1".into(),
            earlier: "A-1".into(),
        },
        Error::Trust {
            path: p(),
            problem: TrustError::DuplicateAuthority { authority: "X".into() },
        },
        Error::TrustIsAKey { path: p() },
        Error::NotInTrust {
            path: p(),
            authority: "X".into(),
        },
        Error::NotSigned { path: p() },
        Error::SignedFile {
            path: p(),
            problem: JwsError::BadBase64,
        },
        Error::KeyList {
            path: p(),
            problem: KeyListError::KeyWindow { kid: "k1".into() },
        },
        Error::Revocations {
            path: p(),
            problem: RevocationListError::Serial { serial: "x y".into() },
        },
        Error::ListRefused {
            path: p(),
            kind: ListKind::Keys,
            problem: ListError::Rollback { have: 3, offered: 2 },
        },
        Error::ListMissing { path: p() },
        Error::NotSignedByRoot {
            path: p(),
            kid: "root".into(),
        },
        Error::OtherAuthority {
            path: p(),
            found: "A".into(),
            expected: "B".into(),
        },
        Error::VersionNotNewer {
            path: p(),
            version: 2,
            previous: 2,
        },
        Error::VersionNeeded {
            path: p(),
            why: Unknown::Unreadable,
        },
        Error::AlreadyRevoked { serial: "A-1".into() },
        Error::AlreadyWithdrawn {
            what: "Acme Cam".into(),
        },
        Error::UnknownBatch { batch: "0f".into() },
        Error::NeedsAuthority,
        Error::NoStatusFolder,
        Error::PartitionMissing {
            path: p(),
            partition: 3,
        },
        Error::DefaultsNotAnObject,
        Error::ReportLocation { url: "ftp://x".into() },
        Error::BadRows {
            rows: vec![RowError {
                line: 2,
                problem: RowProblem::NoSerialOrUnits,
            }],
        },
        Error::OtherBatch {
            dir: p(),
            kid: "k1".into(),
            differs: vec!["signing key", "input", "report location"],
        },
        Error::NotABatchFolder { dir: p() },
        Error::LabelRefused {
            serial: "A-1".into(),
            refusal: refusal(),
        },
        Error::FinishedReportDiffers {
            path: p(),
            serial: "A-1".into(),
        },
        Error::NotAManifest { path: p() },
        Error::NothingToPrint { path: p() },
        Error::ManifestMismatch {
            serial: "A-1".into(),
            qr_serial: "A-2".into(),
        },
        Error::NotALabelText,
        Error::Claim {
            problem: ClaimError::MissingField(ClaimField::Maker),
        },
        Error::UnknownProgramme { programme: 7 },
        Error::LabelTooNarrow {
            width: 20.0,
            version: 10,
            min_module: 0.33,
            need: 23.5,
        },
        Error::LabelTooLargeForSheet {
            width: 300.0,
            height: 400.0,
        },
        Error::PrintSize {
            width: 1.0,
            min_module: 9.0,
        },
        Error::NotAFont { path: p() },
        Error::NoFontFor { character: '扫' },
        Error::Pdf("x".into()),
        Error::NoPdftoppm("not found".into()),
        Error::Pdftoppm {
            path: p(),
            detail: "x".into(),
        },
        Error::PrintCheckFailed {
            failures: vec![Failed {
                page: 1,
                serial: "A-1".into(),
                dpi: 150,
                why: CheckFailure::NoCode,
            }],
        },
    ];
    // Every kind of error has a sample above: a new one is a compile error here.
    for e in &all {
        match e {
            Error::Io { .. }
            | Error::TooLarge { .. }
            | Error::Exists { .. }
            | Error::Json { .. }
            | Error::NotAnObject { .. }
            | Error::Format { .. }
            | Error::WorkerFailed
            | Error::NoRandomness
            | Error::QrTooLong { .. }
            | Error::KeyId { .. }
            | Error::Jwk { .. }
            | Error::KeyFileName
            | Error::TokenUri(_)
            | Error::Token(_)
            | Error::AuthorityId { .. }
            | Error::AuthorityFileMissing { .. }
            | Error::SerialPrefix { .. }
            | Error::Serial { .. }
            | Error::RegisterMissing { .. }
            | Error::RegisterInUse { .. }
            | Error::RegisterCannotLock { .. }
            | Error::NotARegister { .. }
            | Error::RegisterRecord { .. }
            | Error::RegisterEdited { .. }
            | Error::RegisterFull { .. }
            | Error::SerialTaken { .. }
            | Error::Trust { .. }
            | Error::TrustIsAKey { .. }
            | Error::NotInTrust { .. }
            | Error::NotSigned { .. }
            | Error::SignedFile { .. }
            | Error::KeyList { .. }
            | Error::Revocations { .. }
            | Error::ListRefused { .. }
            | Error::ListMissing { .. }
            | Error::NotSignedByRoot { .. }
            | Error::OtherAuthority { .. }
            | Error::VersionNotNewer { .. }
            | Error::VersionNeeded { .. }
            | Error::AlreadyRevoked { .. }
            | Error::AlreadyWithdrawn { .. }
            | Error::UnknownBatch { .. }
            | Error::NeedsAuthority
            | Error::NoStatusFolder
            | Error::PartitionMissing { .. }
            | Error::DefaultsNotAnObject
            | Error::ReportLocation { .. }
            | Error::BadRows { .. }
            | Error::OtherBatch { .. }
            | Error::NotABatchFolder { .. }
            | Error::LabelRefused { .. }
            | Error::FinishedReportDiffers { .. }
            | Error::NotAManifest { .. }
            | Error::NothingToPrint { .. }
            | Error::ManifestMismatch { .. }
            | Error::NotALabelText
            | Error::Claim { .. }
            | Error::UnknownProgramme { .. }
            | Error::LabelTooNarrow { .. }
            | Error::LabelTooLargeForSheet { .. }
            | Error::PrintSize { .. }
            | Error::NotAFont { .. }
            | Error::NoFontFor { .. }
            | Error::Pdf(_)
            | Error::NoPdftoppm(_)
            | Error::Pdftoppm { .. }
            | Error::PrintCheckFailed { .. } => {}
        }
    }
    all
}

fn token_problems() -> Vec<Error> {
    let t = |p| Error::Token(p);
    let mut out = vec![
        t(TokenProblem::Module {
            module: "m.so".into(),
            detail: "x".into(),
        }),
        t(TokenProblem::NoToken("T".into())),
        t(TokenProblem::NoPin),
        t(TokenProblem::PinRefused("CKR_PIN_INCORRECT".into())),
        t(TokenProblem::NoPublicKey("k".into())),
        t(TokenProblem::NoPrivateKey("k".into())),
        t(TokenProblem::NotEd25519("k".into())),
        t(TokenProblem::KeyExists("k".into())),
        t(TokenProblem::ObjectNotKid {
            object: "a".into(),
            kid: "b".into(),
        }),
        t(TokenProblem::SigningFailed(String::new())),
        t(TokenProblem::SigningFailed("removed".into())),
        t(TokenProblem::Refused("x".into())),
    ];
    for u in [
        UriProblem::NotPkcs11,
        UriProblem::PercentEncoding("%z".into()),
        UriProblem::NotNameValue("x".into()),
        UriProblem::UnknownAttribute("colour".into()),
        UriProblem::PinInUri,
        UriProblem::NoObject,
        UriProblem::NoToken,
        UriProblem::NoModule,
    ] {
        out.push(Error::TokenUri(u));
    }
    for (i, problem) in [
        KeyListError::Format(2),
        KeyListError::AuthorityId,
        KeyListError::KeyCount,
        KeyListError::Key {
            kid: "k".into(),
            problem: JwkError::NotEd25519,
        },
        KeyListError::DuplicateKey { kid: "k".into() },
        KeyListError::ProgrammeCount,
        KeyListError::ProgrammeId { id: 99 },
        KeyListError::DuplicateProgramme { id: 1 },
        KeyListError::ProgrammeLevels { id: 1 },
        KeyListError::Verifier,
        KeyListError::ReportHost { host: "X".into() },
        KeyListError::ReportUrl,
        KeyListError::RevocationsUrl,
        KeyListError::StatusUrl,
        KeyListError::ExpiresBeforeIssued,
    ]
    .into_iter()
    .enumerate()
    {
        out.push(Error::KeyList {
            path: PathBuf::from(format!("k{i}.jws")),
            problem,
        });
    }
    for problem in [
        TrustError::TooLarge,
        TrustError::Format(2),
        TrustError::AuthorityId { authority: "x".into() },
        TrustError::RootKey {
            authority: "A".into(),
            kid: "r".into(),
            problem: JwkError::BadEncoding,
        },
        TrustError::DuplicateRootKey {
            authority: "A".into(),
            kid: "r".into(),
        },
        TrustError::ListUrl { authority: "A".into() },
    ] {
        out.push(Error::Trust { path: p(), problem });
    }
    for problem in [
        RevocationListError::Format(2),
        RevocationListError::AuthorityId,
        RevocationListError::Act { index: 0 },
        RevocationListError::ExpiresBeforeIssued,
    ] {
        out.push(Error::Revocations { path: p(), problem });
    }
    for why in [
        CheckFailure::NoCode,
        CheckFailure::SeveralCodes(2),
        CheckFailure::NotGenuine(refusal()),
        CheckFailure::OtherSerial("X".into()),
        CheckFailure::PageUnreadable,
    ] {
        out.push(Error::PrintCheckFailed {
            failures: vec![Failed {
                page: 1,
                serial: "A".into(),
                dpi: 300,
                why,
            }],
        });
    }
    out
}

fn row_problems() -> Vec<RowProblem> {
    let rule = |r| RowProblem::Invalid {
        field: "f".into(),
        value: "v".into(),
        rule: r,
    };
    vec![
        RowProblem::NotJson("x".into()),
        RowProblem::NotAnObject,
        RowProblem::CsvHeader("x".into()),
        RowProblem::NotCsv("x".into()),
        RowProblem::NotAWholeNumber {
            field: "level".into(),
            value: "two".into(),
        },
        RowProblem::CellNotJson {
            field: "standard.clauses".into(),
            detail: "x".into(),
        },
        RowProblem::UnitsRange {
            value: "0".into(),
            max: 10,
        },
        RowProblem::SerialAndUnits,
        RowProblem::NoSerialOrUnits,
        RowProblem::SerialNotText,
        RowProblem::Missing {
            field: "maker".into(),
            empty_cell: true,
        },
        RowProblem::Missing {
            field: "maker".into(),
            empty_cell: false,
        },
        RowProblem::Unknown { field: "colour".into() },
        RowProblem::Shape("x".into()),
        RowProblem::Report(ReportError::Format(2)),
        RowProblem::Report(ReportError::TooManyClauses),
        RowProblem::Empty { field: "model".into() },
        rule(FieldRule::Name),
        rule(FieldRule::Gtin),
        rule(FieldRule::Serial),
        rule(FieldRule::ValidityOrder),
        rule(FieldRule::Level),
        RowProblem::OtherAuthority {
            found: "A".into(),
            expected: "B".into(),
        },
        RowProblem::Numbered {
            serial: "A-00000001".into(),
        },
        RowProblem::Taken {
            serial: "A".into(),
            earlier: "A".into(),
        },
        RowProblem::Taken {
            serial: "a".into(),
            earlier: "A".into(),
        },
        RowProblem::Twice { serial: "A".into() },
        RowProblem::WouldNotVerify(refusal()),
        RowProblem::SigningFailed,
    ]
}

/// Every key a message needs: its own and those of its worded and nested arguments.
fn keys(m: &Message, out: &mut Vec<String>) {
    out.push(m.key.clone());
    for (_, a) in &m.args {
        match a {
            Arg::Word(k) => out.push(k.clone()),
            Arg::Words(ks) => out.extend(ks.iter().cloned()),
            Arg::Message(inner) => keys(inner, out),
            _ => {}
        }
    }
}

fn check(m: &Message) {
    let mut needed = Vec::new();
    keys(m, &mut needed);
    let counted = m.args.iter().any(|(_, a)| matches!(a, Arg::Count(_)));
    for lang in Lang::all() {
        for (i, key) in needed.iter().enumerate() {
            let plural = i == 0 && counted;
            let found = if plural {
                lookup(lang, &format!("{key}.one")).is_some() && lookup(lang, &format!("{key}.other")).is_some()
            } else {
                lookup(lang, key).is_some()
            };
            assert!(found, "{}: no {key}", lang.code());
        }
        let text = message(lang, m);
        let unfilled = text.replace("{serial}", "").replace("{partition}", "");
        assert!(
            !unfilled.contains('{') && !unfilled.contains('}'),
            "{}: {text}",
            lang.code()
        );
    }
}

#[test]
fn every_error_and_refusal_is_said_in_every_language() {
    for e in errors().iter().chain(&token_problems()) {
        check(&e.message());
    }
    for r in row_problems() {
        check(&r.message(7));
    }
}

#[test]
fn every_sentence_the_command_asks_for_exists() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut asked = Vec::new();
    for entry in std::fs::read_dir(src).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for part in text.split("said(\"").skip(1) {
            asked.push(format!("cli.{}", part.split('"').next().unwrap()));
        }
    }
    assert!(asked.len() > 20, "{asked:?}");
    // Chosen at run time, so not a literal at the call.
    for key in [
        "trust.created",
        "trust.added",
        "trust.replaced",
        "demo.made",
        "demo.refreshed",
        "pin-prompt",
    ] {
        asked.push(format!("cli.{key}"));
    }
    for key in asked {
        for lang in Lang::all() {
            let found = lookup(lang, &key).is_some()
                || (lookup(lang, &format!("{key}.one")).is_some() && lookup(lang, &format!("{key}.other")).is_some());
            assert!(found, "{}: no {key}", lang.code());
        }
    }
}
