//! labelcheck-words: everything labelcheck says to people, in each language it speaks, for
//! the web app and the command line alike.
//!
//! One table per language (`en.rs`, `zh.rs`): keys to sentences, with `{name}` where an
//! argument goes. The core decides what is said (a [`Message`]: a key and its arguments); this
//! crate says it. English is the reference: [`problems`] lists what another table lacks or
//! adds, and the tests fail on any. A new language is one new table and its line in
//! [`LANGUAGES`].

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod en;
#[cfg(feature = "cli")]
mod en_cli;
mod render;
mod zh;
#[cfg(feature = "cli")]
mod zh_cli;

use labelcheck_core::audit::AuditItem;
use labelcheck_core::key_list::Names;
use labelcheck_core::{Arg, Message, Reason, VerdictKind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A language: its table and how it writes lists, quotes and plurals.
pub struct Language {
    /// BCP 47 tag, for `<html lang>` and `--lang`.
    pub code: &'static str,
    /// Its own name for itself, as the language switch shows it.
    pub name: &'static str,
    /// Primary language subtags it serves (`zh` serves `zh-TW` too).
    pub matches: &'static [&'static str],
    pub list_separator: &'static str,
    pub quotes: (&'static str, &'static str),
    pub plural: fn(u64) -> Plural,
    pub table: &'static [(&'static str, &'static str)],
    /// The command line's own sentences (the `cli` feature; empty without it).
    pub cli_table: &'static [(&'static str, &'static str)],
}

impl Language {
    /// Every sentence of the language: the shared table, then the command line's.
    pub fn entries(&self) -> impl Iterator<Item = &(&'static str, &'static str)> {
        self.table.iter().chain(self.cli_table)
    }
}

/// Which form a sentence with a count takes: `key.one` or `key.other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    One,
    Other,
}

/// Every language, English first (the reference, and the fallback for a missing key).
pub const LANGUAGES: [&Language; 2] = [&en::LANGUAGE, &zh::LANGUAGE];

/// A language by its place in [`LANGUAGES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Lang(usize);

impl Lang {
    pub const EN: Lang = Lang(0);

    pub fn all() -> impl Iterator<Item = Lang> {
        (0..LANGUAGES.len()).map(Lang)
    }

    pub fn language(self) -> &'static Language {
        LANGUAGES.get(self.0).copied().unwrap_or(&en::LANGUAGE)
    }

    pub fn code(self) -> &'static str {
        self.language().code
    }

    pub fn name(self) -> &'static str {
        self.language().name
    }

    /// A language for a tag: its exact code, or a language serving its primary subtag.
    pub fn from_code(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['-', '_', '.'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Lang::all()
            .find(|l| l.code().eq_ignore_ascii_case(tag))
            .or_else(|| Lang::all().find(|l| l.language().matches.contains(&primary.as_str())))
    }

    /// The first of the user's preferred languages that is spoken here; English otherwise.
    pub fn from_preferences<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::from_code).unwrap_or(Lang::EN)
    }

    /// From POSIX locale settings such as `zh_CN.UTF-8` (LANGUAGE may list several, `:`-separated).
    pub fn from_locale(values: &[Option<String>]) -> Lang {
        let tags: Vec<&str> = values
            .iter()
            .flatten()
            .flat_map(|v| v.split(':'))
            .filter(|t| !t.is_empty() && *t != "C" && *t != "POSIX")
            .collect();
        Lang::from_preferences(tags)
    }
}

fn index(lang: Lang) -> &'static HashMap<&'static str, &'static str> {
    static INDEX: [OnceLock<HashMap<&str, &str>>; LANGUAGES.len()] = [const { OnceLock::new() }; LANGUAGES.len()];
    INDEX[lang.0.min(LANGUAGES.len() - 1)].get_or_init(|| lang.language().entries().copied().collect())
}

/// The sentence for `key` in `lang`, else in English; `None` if no table has it.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    index(lang).get(key).or_else(|| index(Lang::EN).get(key)).copied()
}

macro_rules! ui {
    ($($name:ident => $key:literal,)*) => {
        /// The app's and the command's own sentences, by name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($name),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            pub fn key(self) -> &'static str {
                match self { $(Msg::$name => $key),* }
            }
        }
    };
}

ui! {
    Language => "app.language",
    Tagline => "app.tagline",
    ScanWithCamera => "app.scan-with-camera",
    StopCamera => "app.stop-camera",
    SwitchCamera => "app.switch-camera",
    TorchOn => "app.torch-on",
    TorchOff => "app.torch-off",
    PointAtCode => "app.point-at-code",
    CameraStarting => "app.camera-starting",
    CameraDenied => "app.camera-denied",
    CameraMissing => "app.camera-missing",
    CameraInsecure => "app.camera-insecure",
    CameraFailed => "app.camera-failed",
    ScannerRestarted => "app.scanner-restarted",
    ScanPhoto => "app.scan-photo",
    PhotoReading => "app.photo-reading",
    PasteLabel => "app.paste-label",
    Verify => "app.verify",
    Checking => "app.checking",
    ScanAnother => "app.scan-another",
    ComparePrinted => "app.compare-printed",
    StarsOf => "app.stars-of",
    Maker => "app.maker",
    Model => "app.model",
    Serial => "app.serial",
    Valid => "app.valid",
    ValidTo => "app.valid-to",
    Gtin => "app.gtin",
    CodeText => "app.code-text",
    SecurityReport => "app.security-report",
    ProductTested => "app.product-tested",
    Product => "app.product",
    Category => "app.category",
    Hardware => "app.hardware",
    FirmwareTested => "app.firmware-tested",
    SupportUntil => "app.support-until",
    TestResults => "app.test-results",
    ClausePass => "app.clause-pass",
    ClauseFail => "app.clause-fail",
    ClauseNotApplicable => "app.clause-not-applicable",
    TestedBy => "app.tested-by",
    TestedOn => "app.tested-on",
    UpdatesPasswords => "app.updates-passwords",
    UpdatePolicy => "app.update-policy",
    DefaultPassword => "app.default-password",
    VulnerabilityContact => "app.vulnerability-contact",
    Authority => "app.authority",
    SigningKey => "app.signing-key",
    KeyList => "app.key-list",
    RevocationList => "app.revocation-list",
    Version => "app.version",
    Issued => "app.issued",
    Today => "app.today",
    DayAgo => "app.day-ago",
    DaysAgo => "app.days-ago",
    AllChecks => "app.all-checks",
    DemoBadge => "app.demo-badge",
    DemoTitle => "app.demo-title",
    DemoIntro => "app.demo-intro",
    DemoVerify => "app.demo-verify",
    ListsLoading => "app.lists-loading",
    ListsProblems => "app.lists-problems",
    TrustMissing => "app.trust-missing",
    AuditTitle => "app.audit-title",
    AuditIntro => "app.audit-intro",
    AuditName => "app.audit-name",
    AuditDefaultName => "app.audit-default-name",
    AuditStart => "app.audit-start",
    AuditSaved => "app.audit-saved",
    AuditOpen => "app.audit-open",
    AuditDelete => "app.audit-delete",
    AuditDeleteConfirm => "app.audit-delete-confirm",
    AuditClose => "app.audit-close",
    AuditExportCsv => "app.audit-export-csv",
    AuditExportJson => "app.audit-export-json",
    AuditItems => "app.audit-items",
    AuditEmpty => "app.audit-empty",
    AuditKeptHere => "app.audit-kept-here",
    AuditSaveFailed => "app.audit-save-failed",
    AuditStoreFailed => "app.audit-store-failed",
    AuditClone => "app.audit-clone",
    AuditClones => "app.audit-clones",
    AuditNoClones => "app.audit-no-clones",
    AuditRepeat => "app.audit-repeat",
    AuditSameProduct => "app.audit-same-product",
    AuditAnotherProduct => "app.audit-another-product",
    AuditNote => "app.audit-note",
    AuditExpected => "app.audit-expected",
    AuditMismatch => "app.audit-mismatch",
    AuditRemove => "app.audit-remove",
    AuditItem => "app.audit-item",
    AuditSourceCamera => "app.audit-source-camera",
    AuditSourcePhoto => "app.audit-source-photo",
    AuditSourceTyped => "app.audit-source-typed",
    AuditVerdicts => "app.audit-verdicts",
    Privacy => "app.privacy",
    StorageFailed => "app.storage-failed",
    ListNotUpdated => "list.not-updated",
    ListNotUsed => "list.not-used",
    CliStars => "cli.stars",
    CliStarsCompare => "cli.stars-compare",
    CliIdentity => "cli.identity",
    CliValid => "cli.valid",
    CliCodeText => "cli.code-text",
    CliClone => "cli.clone",
    CliItem => "cli.item",
    CliItemFrom => "cli.item-from",
    CliSummary => "cli.summary",
    CliSummaryPhotos => "cli.summary-photos",
    CliCloned => "cli.cloned",
    CliNoClones => "cli.no-clones",
    CliReportWritten => "cli.report-written",
    WhatToDo => "app.what-to-do",
    ClaimedNotConfirmed => "app.claimed-not-confirmed",
    CheckingReport => "app.checking-report",
    Details => "app.details",
    StartingUp => "app.starting-up",
    DemoCaseLabel => "app.demo-case-label",
    CouldNotSave => "app.could-not-save",
    CouldNotRead => "app.could-not-read",
    CouldNotExport => "app.could-not-export",
    UnreadableRecords => "app.unreadable-records",
    ReportFailed => "app.report-failed",
}

/// A sentence without arguments.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    lookup(lang, msg.key()).unwrap_or(msg.key())
}

/// A sentence with arguments.
pub fn say(lang: Lang, msg: Msg, args: &[(&str, Arg)]) -> String {
    let args: Vec<(String, Arg)> = args.iter().map(|(n, a)| ((*n).to_owned(), a.clone())).collect();
    render::render(lang, msg.key(), &args)
}

/// The word for a verdict.
pub fn verdict_word(lang: Lang, kind: VerdictKind) -> &'static str {
    let key = match kind {
        VerdictKind::Genuine => "verdict.genuine",
        VerdictKind::GenuineOffline => "verdict.genuine-offline",
        VerdictKind::NotGenuine => "verdict.not-genuine",
        VerdictKind::Revoked => "verdict.revoked",
        VerdictKind::Expired => "verdict.expired",
        VerdictKind::UnknownAuthority => "verdict.unknown-authority",
        VerdictKind::NotALabel => "verdict.not-a-label",
        VerdictKind::CannotCheck => "verdict.cannot-check",
    };
    lookup(lang, key).unwrap_or(key)
}

/// Any message, by its own key (a list problem, for example).
pub fn message(lang: Lang, m: &Message) -> String {
    render::render(lang, &m.key, &m.args)
}

/// A reason in full, as inspectors and the command line read it.
pub fn detail(lang: Lang, message: &Message) -> String {
    render::render(lang, &format!("reason.{}", message.key), &message.args)
}

/// A reason in full.
pub fn reason(lang: Lang, r: &Reason) -> String {
    detail(lang, &r.message())
}

/// A reason as a shopper's first line: plain words, no key ids, digests, hosts or raw errors
/// (those are in the full sentence, under the details). `plain.KEY` if the table has it,
/// else the same for a shorter key (`plain.report-unavailable` for
/// `report-unavailable.timeout`), else the full sentence.
pub fn plain(lang: Lang, m: &Message) -> String {
    let mut key = m.key.as_str();
    loop {
        let candidate = format!("plain.{key}");
        if lookup(lang, &candidate).is_some() {
            return render::render(lang, &candidate, &m.args);
        }
        match key.rfind('.') {
            Some(i) => key = &key[..i],
            None => return detail(lang, m),
        }
    }
}

/// [`plain`], for a reason.
pub fn plain_reason(lang: Lang, r: &Reason) -> String {
    plain(lang, &r.message())
}

/// What to do after a verdict that is not genuine: the deciding reason's own advice if it has
/// some (`todo.clock-behind`), else the verdict's (`todo.revoked`). `None` for genuine.
pub fn what_to_do(lang: Lang, v: &labelcheck_core::Verdict) -> Option<String> {
    let kind = v.kind();
    if matches!(kind, VerdictKind::Genuine | VerdictKind::GenuineOffline) {
        return None;
    }
    let by_reason = v.decided_by.as_ref().map(|r| format!("todo.{}", r.code()));
    let key = by_reason
        .filter(|k| lookup(lang, k).is_some())
        .unwrap_or_else(|| format!("todo.{}", kind.as_str()));
    let authority = v
        .authority
        .as_ref()
        .map(|a| name(lang, &a.name).to_owned())
        .unwrap_or_default();
    Some(render::render(
        lang,
        &key,
        &[("authority".to_owned(), Arg::Text(authority))],
    ))
}

/// An audit item's reason, worded now in `lang`; an item saved by an early version, which
/// stored English text instead of a message, keeps its text.
pub fn item_reason(lang: Lang, item: &AuditItem) -> String {
    match &item.message {
        Some(m) => detail(lang, m),
        None => item.reason.clone(),
    }
}

/// An authority's or programme's own name: the formats carry English and Chinese; other
/// languages are shown the English one.
pub fn name(lang: Lang, names: &Names) -> &str {
    if lang.language().matches.contains(&"zh") {
        &names.zh
    } else {
        &names.en
    }
}

/// Everything wrong with a language's table, measured against English: keys it lacks or adds,
/// empty sentences, sentences whose `{arguments}` differ, keys given twice.
pub fn problems(language: &Language) -> Vec<String> {
    render::problems(language, &en::LANGUAGE)
}
