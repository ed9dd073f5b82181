//! The tables are complete, and every sentence the app and the command line can ask for is
//! in them, in every language.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use labelcheck_core::cbor::CborError;
use labelcheck_core::claim::{ClaimError, ClaimField};
use labelcheck_core::json::{JsonError, ShapeError, ShapeProblem};
use labelcheck_core::jws::JwsError;
use labelcheck_core::label_url::{DamagedLink, NotALabel};
use labelcheck_core::numeric::NumericError;
use labelcheck_core::reason::{ImageProblem, ReportProblem};
use labelcheck_core::report::{ReportError, SharedField};
use labelcheck_core::revocation::RevocationReason;
use labelcheck_core::{Arg, Date, FetchProblem, Reason, Timestamp, VerdictKind};
use labelcheck_testkit::jargon_in;
use labelcheck_words::{detail, lookup, plain, problems, say, t, verdict_word, Lang, Language, Msg, Plural, LANGUAGES};

/// One of every reason, and of every variant of what they carry.
fn every_reason() -> Vec<Reason> {
    let (d, ts) = (Date(20_000), Timestamp(1_700_000_000));
    let kid = || "k1".to_owned();
    let mut all = vec![
        Reason::NoCodeFound,
        Reason::ImageUnreadable(ImageProblem::FileUnreadable),
        Reason::ImageUnreadable(ImageProblem::TooLarge),
        Reason::ImageUnreadable(ImageProblem::NotAnImage),
        Reason::ImageUnreadable(ImageProblem::UnsupportedFormat("HEIC")),
        Reason::ImageUnreadable(ImageProblem::Damaged),
        Reason::ImageUnreadable(ImageProblem::DecoderFailed),
        Reason::NotALabel(NotALabel::TooLong),
        Reason::NotALabel(NotALabel::NotALink),
        Reason::NotALabel(NotALabel::NoLabelData),
        Reason::NotALabel(NotALabel::InsecureLink),
        Reason::DamagedLink(DamagedLink::UnsupportedVersion),
        Reason::DamagedLink(DamagedLink::Digits(NumericError::NotDigits)),
        Reason::DamagedLink(DamagedLink::Digits(NumericError::BadLength)),
        Reason::DamagedLink(DamagedLink::Digits(NumericError::OutOfRange)),
        Reason::MalformedClaim(ClaimError::TooLarge),
        Reason::MalformedClaim(ClaimError::NotCoseSign1),
        Reason::MalformedClaim(ClaimError::UnsupportedHeader),
        Reason::MalformedClaim(ClaimError::UnsupportedAlgorithm),
        Reason::MalformedClaim(ClaimError::MissingKeyId),
        Reason::MalformedClaim(ClaimError::BadSignatureLength),
        Reason::MalformedClaim(ClaimError::UnsupportedVersion(2)),
        Reason::MalformedClaim(ClaimError::UnknownField(99)),
        Reason::UnknownAuthority { authority: "X".into() },
        Reason::NoKeyList { authority: "X".into() },
        Reason::KeyNotPublished { kid: kid() },
        Reason::ClaimSignatureInvalid { kid: kid() },
        Reason::KeyNotValidAtSigning {
            kid: kid(),
            signed: d,
            not_before: ts,
            not_after: ts,
        },
        Reason::UnknownProgramme { programme: 9 },
        Reason::LevelNotInProgramme { level: 4 },
        Reason::ClockBehind { now: ts, signed: ts },
        Reason::Expired { on: d },
        Reason::NotYetValid { from: d },
        Reason::KeyListTooOld { on: ts },
        Reason::RevocationListMissing,
        Reason::RevocationListTooOld { on: ts },
        Reason::NoReportLocation,
        Reason::ReportHostNotAllowed { host: "h".into() },
        Reason::ReportUnavailable(FetchProblem::NotAttempted),
        Reason::ReportUnavailable(FetchProblem::Unreachable),
        Reason::ReportUnavailable(FetchProblem::Timeout),
        Reason::ReportUnavailable(FetchProblem::HttpStatus(404)),
        Reason::ReportUnavailable(FetchProblem::Redirected),
        Reason::ReportUnavailable(FetchProblem::TooLarge),
        Reason::ReportUnavailable(FetchProblem::WrongContentType("text/html".into())),
        Reason::ReportUnavailable(FetchProblem::UnexpectedEncoding),
        Reason::ReportUnreadable(ReportProblem::Document(ReportError::Json(JsonError::Syntax {
            line: 1,
            column: 1,
        }))),
        Reason::ReportUnreadable(ReportProblem::Document(ReportError::Json(JsonError::DuplicateMember))),
        Reason::ReportUnreadable(ReportProblem::Document(ReportError::Format(2))),
        Reason::ReportUnreadable(ReportProblem::Document(ReportError::TooManyClauses)),
        Reason::ReportKeyNotPublished { kid: kid() },
        Reason::ReportSignatureInvalid { kid: kid() },
        Reason::ReportKeyNotValidAtSigning { kid: kid(), signed: ts },
        Reason::ReportDigestMismatch,
        Reason::ReportFieldMismatch {
            fields: vec![SharedField::Level, SharedField::ValidUntil],
        },
        Reason::ClaimVerified { kid: kid() },
        Reason::DemoAuthority,
        Reason::KeyListExpired { on: ts },
        Reason::NotRevoked {
            list_version: 1,
            list_issued: ts,
        },
        Reason::RevocationListExpired { on: ts },
        Reason::ReportVerified { kid: kid() },
        Reason::RevokedUnexplained { since: d },
        Reason::StatusListMissing {
            partition: 3,
            url: Some("https://r.example/status/3.jws".into()),
        },
        Reason::StatusListMissing {
            partition: 3,
            url: None,
        },
        Reason::StatusListTooOld { on: ts },
        Reason::StatusNotRevoked {
            partition: 3,
            version: 2,
            issued: ts,
        },
        Reason::StatusListExpired { on: ts },
    ];
    all.extend(CborError::ALL.map(|e| Reason::MalformedClaim(ClaimError::Cbor(e))));
    all.extend(ClaimField::ALL.map(|f| Reason::MalformedClaim(ClaimError::MissingField(f))));
    all.extend(ClaimField::ALL.map(|f| Reason::MalformedClaim(ClaimError::InvalidField(f))));
    all.extend(JwsError::ALL.map(|e| Reason::ReportUnreadable(ReportProblem::SignedFile(e))));
    for problem in [
        ShapeProblem::NotAnObject,
        ShapeProblem::UnknownMember("x".into()),
        ShapeProblem::MissingMember("y"),
        ShapeProblem::WrongType,
        ShapeProblem::InvalidValue,
    ] {
        let shape = ShapeError {
            problem,
            at: "standard.clauses[0]".into(),
        };
        all.push(Reason::ReportUnreadable(ReportProblem::Document(ReportError::Json(
            JsonError::Shape(shape),
        ))));
    }
    for reason in RevocationReason::ALL {
        for note in [None, Some("Seized at customs".to_owned())] {
            all.push(Reason::Revoked { date: d, reason, note });
        }
    }
    all.push(Reason::ReportFieldMismatch {
        fields: SharedField::ALL.to_vec(),
    });
    all
}

/// A compile-time guard: a new reason breaks this match until `every_reason` has it too.
fn listed(r: &Reason) -> usize {
    match r {
        Reason::NoCodeFound => 0,
        Reason::ImageUnreadable(_) => 1,
        Reason::NotALabel(_) => 2,
        Reason::DamagedLink(_) => 3,
        Reason::MalformedClaim(_) => 4,
        Reason::UnknownAuthority { .. } => 5,
        Reason::NoKeyList { .. } => 6,
        Reason::KeyNotPublished { .. } => 7,
        Reason::ClaimSignatureInvalid { .. } => 8,
        Reason::KeyNotValidAtSigning { .. } => 9,
        Reason::UnknownProgramme { .. } => 10,
        Reason::LevelNotInProgramme { .. } => 11,
        Reason::Revoked { .. } => 12,
        Reason::ClockBehind { .. } => 13,
        Reason::Expired { .. } => 14,
        Reason::NotYetValid { .. } => 15,
        Reason::KeyListTooOld { .. } => 16,
        Reason::RevocationListMissing => 17,
        Reason::RevocationListTooOld { .. } => 18,
        Reason::NoReportLocation => 19,
        Reason::ReportHostNotAllowed { .. } => 20,
        Reason::ReportUnavailable(_) => 21,
        Reason::ReportUnreadable(_) => 22,
        Reason::ReportKeyNotPublished { .. } => 23,
        Reason::ReportSignatureInvalid { .. } => 24,
        Reason::ReportKeyNotValidAtSigning { .. } => 25,
        Reason::ReportDigestMismatch => 26,
        Reason::ReportFieldMismatch { .. } => 27,
        Reason::ClaimVerified { .. } => 28,
        Reason::DemoAuthority => 29,
        Reason::KeyListExpired { .. } => 30,
        Reason::NotRevoked { .. } => 31,
        Reason::RevocationListExpired { .. } => 32,
        Reason::ReportVerified { .. } => 33,
        Reason::RevokedUnexplained { .. } => 34,
        Reason::StatusListMissing { .. } => 35,
        Reason::StatusListTooOld { .. } => 36,
        Reason::StatusNotRevoked { .. } => 37,
        Reason::StatusListExpired { .. } => 38,
    }
}

#[test]
fn the_sample_has_every_reason() {
    let mut seen: Vec<usize> = every_reason().iter().map(listed).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen, (0..=38).collect::<Vec<_>>());
}

#[test]
fn every_table_has_every_key_and_nothing_else() {
    for language in LANGUAGES {
        let found = problems(language);
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}

/// What a third language's table would get wrong if it left a key out, named an argument
/// differently or added a key of its own: the test above fails on each.
#[test]
fn a_table_missing_a_key_is_caught() {
    let english = LANGUAGES[0];
    let mut table: Vec<(&'static str, &'static str)> = english.table.to_vec();
    let dropped = table.remove(3).0;
    let renamed = table.iter().position(|(k, _)| *k == "reason.expired").unwrap();
    table[renamed].1 = "Abgelaufen am {date}.";
    table.push(("reason.invented", "Erfunden."));
    let draft = Language {
        code: "de",
        name: "Deutsch",
        matches: &["de"],
        list_separator: ", ",
        quotes: ("„", "“"),
        plural: |n| if n == 1 { Plural::One } else { Plural::Other },
        table: table.leak(),
        cli_table: english.cli_table,
    };
    let found = problems(&draft).join("\n");
    assert!(found.contains(&format!("de: {dropped} is missing")), "{found}");
    assert!(found.contains("de: reason.expired has the arguments"), "{found}");
    assert!(found.contains("de: reason.invented is not an English key"), "{found}");
}

fn word_keys(args: &[(String, Arg)]) -> Vec<String> {
    args.iter()
        .flat_map(|(_, a)| match a {
            Arg::Word(k) => vec![k.clone()],
            Arg::Words(ks) => ks.clone(),
            _ => Vec::new(),
        })
        .collect()
}

#[test]
fn every_sentence_asked_for_exists_and_is_filled_in() {
    let english = Lang::EN;
    for m in Msg::ALL {
        // A sentence with a count has a form per plural category instead.
        let forms = ["", ".one", ".other"].map(|f| lookup(english, &format!("{}{f}", m.key())).is_some());
        assert!(forms[0] || (forms[1] && forms[2]), "{m:?}: {}", m.key());
    }
    for kind in VerdictKind::ALL {
        assert_ne!(verdict_word(english, kind), "", "{kind}");
        assert!(!verdict_word(english, kind).starts_with("verdict."), "{kind}");
    }
    for kind in VerdictKind::ALL {
        if !matches!(kind, VerdictKind::Genuine | VerdictKind::GenuineOffline) {
            let key = format!("todo.{}", kind.as_str());
            assert!(lookup(english, &key).is_some(), "no {key}");
        }
    }
    for r in every_reason() {
        // Every reason has a plain first line of its own (not the full sentence's fallback).
        let key = format!("plain.{}", r.code());
        assert!(lookup(english, &key).is_some(), "{r:?}: no {key}");
        let m = r.message();
        let key = format!("reason.{}", m.key);
        assert!(lookup(english, &key).is_some(), "{r:?}: no {key}");
        for w in word_keys(&m.args) {
            assert!(lookup(english, &w).is_some(), "{r:?}: no {w}");
        }
        for lang in Lang::all() {
            for text in [detail(lang, &m), plain(lang, &m)] {
                assert!(!text.contains('{') && !text.contains('}'), "{}: {text}", lang.code());
            }
        }
    }
}

#[test]
fn chinese_is_chinese() {
    let zh = Lang::from_code("zh-CN").unwrap();
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for (key, text) in zh.language().entries() {
        // A sentence that is only what the system said has nothing to translate.
        let only_quoted = *text == "{detail}";
        assert!(cjk(text) || only_quoted, "{key} is not translated: {text}");
    }
    for (key, text) in LANGUAGES[0].entries() {
        assert!(!cjk(text), "English {key} has Chinese: {text}");
    }
}

#[test]
fn arguments_are_worded_in_the_reader_s_language() {
    let zh = Lang::from_code("zh").unwrap();
    let revoked = Reason::Revoked {
        date: Date::parse("2026-05-01").unwrap(),
        reason: RevocationReason::Misuse,
        note: Some("Seized".into()),
    };
    assert_eq!(
        detail(Lang::EN, &revoked.message()),
        "The certification was revoked on 2026-05-01: the label was misused or counterfeited. The authority notes: \u{201c}Seized\u{201d}"
    );
    assert_eq!(
        detail(zh, &revoked.message()),
        "该认证已于 2026-05-01 被撤销：标识被冒用或伪造。认证机构备注：\u{201c}Seized\u{201d}"
    );
    let fields = Reason::ReportFieldMismatch {
        fields: vec![SharedField::Level, SharedField::Maker],
    };
    assert!(detail(zh, &fields.message()).contains("等级、生产者"));
    assert_eq!(t(zh, Msg::Verify), "验证");
    assert_eq!(say(Lang::EN, Msg::Verify, &[]), "Verify");
}

#[test]
fn languages_from_browsers_and_locales() {
    let zh = Lang::from_code("zh-CN").unwrap();
    assert_eq!(Lang::from_preferences(["zh-CN", "en"]), zh);
    assert_eq!(Lang::from_preferences(["fr-FR", "zh-TW"]), zh);
    assert_eq!(Lang::from_preferences(["de", "en-GB"]), Lang::EN);
    assert_eq!(Lang::from_preferences([]), Lang::EN);
    assert_eq!(Lang::from_locale(&[None, Some("zh_CN.UTF-8".into())]), zh);
    assert_eq!(
        Lang::from_locale(&[Some("C".into()), Some("en_US.UTF-8".into())]),
        Lang::EN
    );
    assert_eq!(Lang::from_locale(&[Some("fr:zh".into())]), zh);
}

#[test]
fn first_lines_are_plain_in_every_language() {
    for r in every_reason() {
        let m = r.message();
        let en = plain(Lang::EN, &m);
        assert_eq!(jargon_in(&en, false), Vec::<&str>::new(), "{r:?}: {en}");
        let zh = plain(Lang::from_code("zh").unwrap(), &m);
        assert_eq!(jargon_in(&zh, true), Vec::<&str>::new(), "{r:?}: {zh}");
    }
}

/// A real printed label of a programme that does not sign links to a registry page: its code is
/// said to hold no signed label data (so it cannot be checked here), never to be "not a
/// security label", which a shopper holding it would read as "fake".
#[test]
fn a_code_without_signed_label_data_is_never_called_not_a_label() {
    let zh = Lang::from_code("zh").unwrap();
    let not_a_label: Vec<Reason> = every_reason()
        .into_iter()
        .filter(|r| matches!(r, Reason::NotALabel(_)))
        .collect();
    assert_eq!(not_a_label.len(), 4);
    for r in not_a_label {
        let m = r.message();
        for (lang, says, never) in [
            (Lang::EN, "no signed label data", "not a security label"),
            (zh, "不含可核验的标识数据", "不是安全标识"),
        ] {
            for line in [plain(lang, &m), labelcheck_words::reason(lang, &r)] {
                assert!(line.contains(says), "{r:?}: {line}");
                assert!(
                    line.contains("cannot be checked here") || line.contains("无法在此核验"),
                    "{r:?}: {line}"
                );
                assert!(!line.to_lowercase().contains(never), "{r:?}: {line}");
            }
        }
    }
}
