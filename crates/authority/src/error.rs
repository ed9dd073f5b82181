//! What can stop an issuing act, as data: each error carries what it is about (a path, a
//! serial, a line, a value) and says it through [`Error::message`], a key of the wording
//! tables (`labelcheck-words`, `issue.…`) and its arguments, so that the shell says it in its
//! user's language. A refusal is an error here: nothing was signed or written because of it.

use crate::gate::Refusal;
use crate::lists::Unknown;
use crate::pkcs11::UriProblem;
use crate::print_check::Failed;
use labelcheck_core::claim::ClaimError;
use labelcheck_core::jwk::JwkError;
use labelcheck_core::jws::JwsError;
use labelcheck_core::key_list::KeyListError;
use labelcheck_core::list_store::ListError;
use labelcheck_core::report::ReportError;
use labelcheck_core::revocation::RevocationListError;
use labelcheck_core::trust::TrustError;
use labelcheck_core::{Arg, Date, ListKind, Message};
use std::fmt;
use std::path::{Path, PathBuf};

pub type Result<T> = std::result::Result<T, Error>;

/// What was being done to a file when it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
    Sync,
    Create,
    ReadKey,
    ReadKeyList,
    ReadAuthorityFile,
    OpenRegister,
    RepairRegister,
    WriteRegister,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
            Action::Sync => "sync",
            Action::Create => "create",
            Action::ReadKey => "read-key",
            Action::ReadKeyList => "read-key-list",
            Action::ReadAuthorityFile => "read-authority-file",
            Action::OpenRegister => "open-register",
            Action::RepairRegister => "repair-register",
            Action::WriteRegister => "write-register",
        }
    }
}

/// Why the system refused a file operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IoCause {
    kind: std::io::ErrorKind,
    /// The system's own words, for the ones without a sentence of their own.
    detail: String,
}

impl IoCause {
    pub fn not_found(&self) -> bool {
        self.kind == std::io::ErrorKind::NotFound
    }

    fn message(&self) -> Message {
        use std::io::ErrorKind::*;
        let known = match self.kind {
            NotFound => "not-found",
            PermissionDenied => "permission-denied",
            AlreadyExists => "already-exists",
            StorageFull | QuotaExceeded => "storage-full",
            ReadOnlyFilesystem => "read-only",
            IsADirectory => "is-a-folder",
            NotADirectory => "not-a-folder",
            _ => return Message::new("io.other").text("detail", &self.detail),
        };
        Message::new(format!("io.{known}"))
    }
}

/// How a token (PKCS#11) failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenProblem {
    Module { module: String, detail: String },
    NoToken(String),
    NoPin,
    PinRefused(String),
    NoPublicKey(String),
    NoPrivateKey(String),
    NotEd25519(String),
    KeyExists(String),
    ObjectNotKid { object: String, kid: String },
    SigningFailed(String),
    Refused(String),
}

/// The rule a field's value breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldRule {
    /// Maker and model: 1–64 bytes, no control characters, no surrounding spaces.
    Name,
    /// 8, 12, 13 or 14 digits with a correct check digit.
    Gtin,
    /// 1–32 of `A-Z a-z 0-9 - _ . /`, no part between slashes empty or starting with a dot.
    Serial,
    /// Valid until must not be before valid from.
    ValidityOrder,
    /// A level is 0 to 5.
    Level,
}

impl FieldRule {
    fn name(self) -> &'static str {
        match self {
            FieldRule::Name => "name",
            FieldRule::Gtin => "gtin",
            FieldRule::Serial => "serial",
            FieldRule::ValidityOrder => "validity-order",
            FieldRule::Level => "level",
        }
    }
}

/// Why one row of a batch cannot be issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    NotJson(String),
    NotAnObject,
    CsvHeader(String),
    NotCsv(String),
    NotAWholeNumber {
        field: String,
        value: String,
    },
    CellNotJson {
        field: String,
        detail: String,
    },
    UnitsRange {
        value: String,
        max: u64,
    },
    SerialAndUnits,
    NoSerialOrUnits,
    SerialNotText,
    /// A required field is missing; `empty_cell` when the row's cell for it was empty.
    Missing {
        field: String,
        empty_cell: bool,
    },
    Unknown {
        field: String,
    },
    /// Another shape problem, in the JSON reader's words.
    Shape(String),
    Report(ReportError),
    Empty {
        field: String,
    },
    Invalid {
        field: String,
        value: String,
        rule: FieldRule,
    },
    OtherAuthority {
        found: String,
        expected: String,
    },
    /// A serial with the register's numbered form: those come only from the register.
    Numbered {
        serial: String,
    },
    /// A serial another batch was issued under (`earlier`, as that batch wrote it).
    Taken {
        serial: String,
        earlier: String,
    },
    Twice {
        serial: String,
    },
    /// The revocation list withdrew this maker's model: it is not certified any more.
    ProductWithdrawn {
        maker: String,
        model: String,
        date: Date,
    },
    /// A verifier would not call this row's labels genuine.
    WouldNotVerify(Refusal),
    SigningFailed,
}

/// Why a printed label did not read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckFailure {
    NoCode,
    SeveralCodes(usize),
    NotGenuine(Refusal),
    OtherSerial(String),
    PageUnreadable,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    Io {
        path: PathBuf,
        action: Action,
        cause: IoCause,
    },
    TooLarge {
        path: PathBuf,
        max: usize,
    },
    /// A file is there, and is never replaced by this act.
    Exists {
        path: PathBuf,
    },
    /// A JSON file that cannot be read as what it should be, in the JSON reader's words.
    Json {
        path: PathBuf,
        action: Action,
        detail: String,
    },
    NotAnObject {
        path: PathBuf,
    },
    Format {
        path: PathBuf,
        format: u64,
    },
    WorkerFailed,
    NoRandomness,
    QrTooLong {
        bytes: usize,
        max: usize,
    },
    KeyId {
        kid: String,
    },
    Jwk {
        path: PathBuf,
        problem: JwkError,
    },
    KeyFileName,
    TokenUri(UriProblem),
    Token(TokenProblem),
    AuthorityId {
        id: String,
    },
    AuthorityFileMissing {
        path: PathBuf,
    },
    SerialPrefix {
        prefix: String,
    },
    Serial {
        serial: String,
    },
    RegisterMissing {
        path: PathBuf,
    },
    RegisterInUse {
        path: PathBuf,
    },
    RegisterCannotLock {
        path: PathBuf,
        detail: String,
    },
    NotARegister {
        path: PathBuf,
    },
    RegisterRecord {
        path: PathBuf,
        line: usize,
    },
    RegisterEdited {
        path: PathBuf,
        line: usize,
    },
    RegisterFull {
        path: PathBuf,
        asked: u64,
        left: u64,
    },
    SerialTaken {
        serial: String,
        earlier: String,
    },
    Trust {
        path: PathBuf,
        problem: TrustError,
    },
    TrustIsAKey {
        path: PathBuf,
    },
    NotInTrust {
        path: PathBuf,
        authority: String,
    },
    NotSigned {
        path: PathBuf,
    },
    SignedFile {
        path: PathBuf,
        problem: JwsError,
    },
    KeyList {
        path: PathBuf,
        problem: KeyListError,
    },
    Revocations {
        path: PathBuf,
        problem: RevocationListError,
    },
    ListRefused {
        path: PathBuf,
        kind: ListKind,
        problem: ListError,
    },
    ListMissing {
        path: PathBuf,
    },
    NotSignedByRoot {
        path: PathBuf,
        kid: String,
    },
    OtherAuthority {
        path: PathBuf,
        found: String,
        expected: String,
    },
    VersionNotNewer {
        path: PathBuf,
        version: u64,
        previous: u64,
    },
    VersionNeeded {
        path: PathBuf,
        why: Unknown,
    },
    AlreadyRevoked {
        serial: String,
    },
    AlreadyWithdrawn {
        what: String,
    },
    UnknownBatch {
        batch: String,
    },
    /// The act needs the authority's register: name the authority file.
    NeedsAuthority,
    /// The authority file names no status folder, and the act needs one.
    NoStatusFolder,
    PartitionMissing {
        path: PathBuf,
        partition: u32,
    },
    DefaultsNotAnObject,
    ReportLocation {
        url: String,
    },
    BadRows {
        rows: Vec<crate::rows::RowError>,
    },
    OtherBatch {
        dir: PathBuf,
        kid: String,
        differs: Vec<&'static str>,
    },
    NotABatchFolder {
        dir: PathBuf,
    },
    LabelRefused {
        serial: String,
        refusal: Refusal,
    },
    FinishedReportDiffers {
        path: PathBuf,
        serial: String,
    },
    NotAManifest {
        path: PathBuf,
    },
    NothingToPrint {
        path: PathBuf,
    },
    ManifestMismatch {
        serial: String,
        qr_serial: String,
    },
    NotALabelText,
    Claim {
        problem: ClaimError,
    },
    UnknownProgramme {
        programme: u32,
    },
    LabelTooNarrow {
        width: f32,
        version: i16,
        min_module: f32,
        need: f32,
    },
    LabelTooLargeForSheet {
        width: f32,
        height: f32,
    },
    PrintSize {
        width: f32,
        min_module: f32,
    },
    NotAFont {
        path: PathBuf,
    },
    NoFontFor {
        character: char,
    },
    Pdf(String),
    NoPdftoppm(String),
    Pdftoppm {
        path: PathBuf,
        detail: String,
    },
    PrintCheckFailed {
        failures: Vec<Failed>,
    },
}

impl Error {
    pub fn io(path: &Path, action: Action, e: &std::io::Error) -> Error {
        Error::Io {
            path: path.to_owned(),
            action,
            cause: IoCause {
                kind: e.kind(),
                detail: e.to_string(),
            },
        }
    }

    pub fn json(path: &Path, action: Action, e: &serde_json::Error) -> Error {
        Error::Json {
            path: path.to_owned(),
            action,
            detail: e.to_string(),
        }
    }

    /// A member of the wrong type.
    pub fn json_shape(path: &Path, member: &str) -> Error {
        Error::Json {
            path: path.to_owned(),
            action: Action::Read,
            detail: member.to_owned(),
        }
    }

    /// What to say, as a key of the wording tables (`issue.…`) and its arguments.
    pub fn message(&self) -> Message {
        let m = |key: &str| Message::new(format!("issue.{key}"));
        let path = |p: &Path| Arg::Text(p.display().to_string());
        match self {
            Error::Io { path: p, action, cause } => m("io")
                .arg("path", path(p))
                .word("action", format!("io-action.{}", action.name()))
                .arg("cause", Arg::Message(Box::new(cause.message()))),
            Error::TooLarge { path: p, max } => m("too-large").arg("path", path(p)).text("max", max),
            Error::Exists { path: p } => m("exists").arg("path", path(p)),
            Error::Json {
                path: p,
                action,
                detail,
            } => m("json")
                .arg("path", path(p))
                .word("action", format!("io-action.{}", action.name()))
                .text("detail", detail),
            Error::NotAnObject { path: p } => m("not-an-object").arg("path", path(p)),
            Error::Format { path: p, format } => m("format").arg("path", path(p)).text("format", format),
            Error::WorkerFailed => m("worker-failed"),
            Error::NoRandomness => m("no-randomness"),
            Error::QrTooLong { bytes, max } => m("qr-too-long").text("bytes", bytes).text("max", max),
            Error::KeyId { kid } => m("key-id").text("kid", kid),
            Error::Jwk { path: p, problem } => m("jwk")
                .arg("path", path(p))
                .word("problem", format!("jwk.{}", problem.name())),
            Error::KeyFileName => m("key-file-name"),
            Error::TokenUri(u) => uri_message(u),
            Error::Token(t) => token_message(t),
            Error::AuthorityId { id } => m("authority-id").text("id", id),
            Error::AuthorityFileMissing { path: p } => m("authority-file-missing").arg("path", path(p)),
            Error::SerialPrefix { prefix } => m("serial-prefix").text("prefix", prefix),
            Error::Serial { serial } => m("serial").text("serial", serial),
            Error::RegisterMissing { path: p } => m("register-missing").arg("path", path(p)),
            Error::RegisterInUse { path: p } => m("register-in-use").arg("path", path(p)),
            Error::RegisterCannotLock { path: p, detail } => {
                m("register-cannot-lock").arg("path", path(p)).text("detail", detail)
            }
            Error::NotARegister { path: p } => m("not-a-register").arg("path", path(p)),
            Error::RegisterRecord { path: p, line } => m("register-record").arg("path", path(p)).text("line", line),
            Error::RegisterEdited { path: p, line } => m("register-edited").arg("path", path(p)).text("line", line),
            Error::RegisterFull { path: p, asked, left } => m("register-full")
                .arg("path", path(p))
                .text("asked", asked)
                .text("left", left),
            Error::SerialTaken { serial, earlier } => m("serial-taken").text("serial", serial).text("earlier", earlier),
            Error::Trust { path: p, problem } => m("trust")
                .arg("path", path(p))
                .arg("problem", Arg::Message(Box::new(problem.message()))),
            Error::TrustIsAKey { path: p } => m("trust-is-a-key").arg("path", path(p)),
            Error::NotInTrust { path: p, authority } => {
                m("not-in-trust").arg("path", path(p)).text("authority", authority)
            }
            Error::NotSigned { path: p } => m("not-signed").arg("path", path(p)),
            Error::SignedFile { path: p, problem } => m("signed-file")
                .arg("path", path(p))
                .word("problem", format!("signed-file.{}", problem.name())),
            Error::KeyList { path: p, problem } => m("key-list")
                .arg("path", path(p))
                .arg("problem", Arg::Message(Box::new(problem.message()))),
            Error::Revocations { path: p, problem } => m("revocations")
                .arg("path", path(p))
                .arg("problem", Arg::Message(Box::new(problem.message()))),
            Error::ListRefused { path: p, kind, problem } => m("list-refused")
                .arg("path", path(p))
                .word("list", format!("list.{}", kind.name()))
                .arg("why", Arg::Message(Box::new(problem.message()))),
            Error::ListMissing { path: p } => m("list-missing").arg("path", path(p)),
            Error::NotSignedByRoot { path: p, kid } => m("not-signed-by-root").arg("path", path(p)).text("kid", kid),
            Error::OtherAuthority {
                path: p,
                found,
                expected,
            } => m("other-authority")
                .arg("path", path(p))
                .text("found", found)
                .text("expected", expected),
            Error::VersionNotNewer {
                path: p,
                version,
                previous,
            } => m("version-not-newer")
                .arg("path", path(p))
                .text("version", version)
                .text("previous", previous),
            Error::VersionNeeded { path: p, why } => m(match why {
                Unknown::Missing => "version-needed.missing",
                Unknown::Unreadable => "version-needed.unreadable",
            })
            .arg("path", path(p)),
            Error::AlreadyRevoked { serial } => m("already-revoked").text("serial", serial),
            Error::AlreadyWithdrawn { what } => m("already-withdrawn").text("what", what),
            Error::UnknownBatch { batch } => m("unknown-batch").text("batch", batch),
            Error::NeedsAuthority => m("needs-authority"),
            Error::NoStatusFolder => m("no-status-folder"),
            Error::PartitionMissing { path: p, partition } => {
                m("partition-missing").arg("path", path(p)).text("partition", partition)
            }
            Error::DefaultsNotAnObject => m("defaults-not-an-object"),
            Error::ReportLocation { url } => m("report-location").text("url", url),
            Error::BadRows { rows } => m("bad-rows").arg("n", Arg::Count(rows.len() as u64)),
            Error::OtherBatch { dir, kid, differs } => m("other-batch").arg("dir", path(dir)).text("kid", kid).arg(
                "differs",
                Arg::Words(
                    differs
                        .iter()
                        .map(|d| format!("batch-part.{}", d.replace(' ', "-")))
                        .collect(),
                ),
            ),
            Error::NotABatchFolder { dir } => m("not-a-batch-folder").arg("dir", path(dir)),
            Error::LabelRefused { serial, refusal } => m("label-refused")
                .text("serial", serial)
                .word("verdict", format!("verdict.{}", refusal.verdict.as_str()))
                .arg("why", Arg::Message(Box::new(reason(&refusal.reason)))),
            Error::FinishedReportDiffers { path: p, serial } => {
                m("finished-report-differs").arg("path", path(p)).text("serial", serial)
            }
            Error::NotAManifest { path: p } => m("not-a-manifest").arg("path", path(p)),
            Error::NothingToPrint { path: p } => m("nothing-to-print").arg("path", path(p)),
            Error::ManifestMismatch { serial, qr_serial } => m("manifest-mismatch")
                .text("serial", serial)
                .text("qr_serial", qr_serial),
            Error::NotALabelText => m("not-a-label-text"),
            Error::Claim { problem } => m("claim").arg(
                "problem",
                Arg::Message(Box::new(reason(
                    &labelcheck_core::Reason::MalformedClaim(*problem).message(),
                ))),
            ),
            Error::UnknownProgramme { programme } => m("unknown-programme").text("programme", programme),
            Error::LabelTooNarrow {
                width,
                version,
                min_module,
                need,
            } => m("label-too-narrow")
                .text("width", width)
                .text("version", version)
                .text("min_module", min_module)
                .text("need", need),
            Error::LabelTooLargeForSheet { width, height } => m("label-too-large")
                .text("width", format!("{width:.1}"))
                .text("height", format!("{height:.1}")),
            Error::PrintSize { width, min_module } => {
                m("print-size").text("width", width).text("min_module", min_module)
            }
            Error::NotAFont { path: p } => m("not-a-font").arg("path", path(p)),
            Error::NoFontFor { character } => m("no-font-for").text("character", character),
            Error::Pdf(detail) => m("pdf").text("detail", detail),
            Error::NoPdftoppm(detail) => m("no-pdftoppm").text("detail", detail),
            Error::Pdftoppm { path: p, detail } => m("pdftoppm").arg("path", path(p)).text("detail", detail),
            Error::PrintCheckFailed { failures } => m("print-check-failed").arg("n", Arg::Count(failures.len() as u64)),
        }
    }
}

/// A verifier's reason, as a full sentence (the tables' `reason.…` keys).
pub fn reason(m: &Message) -> Message {
    Message {
        key: format!("reason.{}", m.key),
        args: m.args.clone(),
    }
}

fn uri_message(u: &UriProblem) -> Message {
    let m = |key: &str| Message::new(format!("issue.token-uri.{key}"));
    match u {
        UriProblem::NotPkcs11 => m("not-pkcs11"),
        UriProblem::PercentEncoding(s) => m("percent-encoding").text("text", s),
        UriProblem::NotNameValue(s) => m("not-name-value").text("text", s),
        UriProblem::UnknownAttribute(s) => m("unknown-attribute").text("name", s),
        UriProblem::PinInUri => m("pin-in-uri"),
        UriProblem::NoObject => m("no-object"),
        UriProblem::NoToken => m("no-token"),
        UriProblem::NoModule => m("no-module"),
    }
}

fn token_message(t: &TokenProblem) -> Message {
    let m = |key: &str| Message::new(format!("issue.token.{key}"));
    match t {
        TokenProblem::Module { module, detail } => m("module").text("module", module).text("detail", detail),
        TokenProblem::NoToken(label) => m("no-token").text("token", label),
        TokenProblem::NoPin => m("no-pin"),
        TokenProblem::PinRefused(detail) => m("pin-refused").text("detail", detail),
        TokenProblem::NoPublicKey(kid) => m("no-public-key").text("kid", kid),
        TokenProblem::NoPrivateKey(kid) => m("no-private-key").text("kid", kid),
        TokenProblem::NotEd25519(kid) => m("not-ed25519").text("kid", kid),
        TokenProblem::KeyExists(kid) => m("key-exists").text("kid", kid),
        TokenProblem::ObjectNotKid { object, kid } => m("object-not-kid").text("object", object).text("kid", kid),
        TokenProblem::SigningFailed(detail) if detail.is_empty() => m("signing-failed"),
        TokenProblem::SigningFailed(detail) => m("signing-failed.detail").text("detail", detail),
        TokenProblem::Refused(detail) => m("refused").text("detail", detail),
    }
}

impl RowProblem {
    /// What to say of a row (`row.…` keys), with its line.
    pub fn message(&self, line: usize) -> Message {
        let m = |key: &str| Message::new(format!("row.{key}")).text("line", line);
        match self {
            RowProblem::NotJson(d) => m("not-json").text("detail", d),
            RowProblem::NotAnObject => m("not-an-object"),
            RowProblem::CsvHeader(d) => m("csv-header").text("detail", d),
            RowProblem::NotCsv(d) => m("not-csv").text("detail", d),
            RowProblem::NotAWholeNumber { field, value } => {
                m("not-a-whole-number").text("field", field).text("value", value)
            }
            RowProblem::CellNotJson { field, detail } => m("cell-not-json").text("field", field).text("detail", detail),
            RowProblem::UnitsRange { value, max } => m("units-range").text("value", value).text("max", max),
            RowProblem::SerialAndUnits => m("serial-and-units"),
            RowProblem::NoSerialOrUnits => m("no-serial-or-units"),
            RowProblem::SerialNotText => m("serial-not-text"),
            RowProblem::Missing {
                field,
                empty_cell: true,
            } => m("empty-cell").text("field", field),
            RowProblem::Missing { field, .. } => m("missing").text("field", field),
            RowProblem::Unknown { field } => m("unknown").text("field", field),
            RowProblem::Shape(d) => m("shape").text("detail", d),
            RowProblem::Report(ReportError::Format(v)) => m("report-format").text("version", v),
            RowProblem::Report(ReportError::TooManyClauses) => m("too-many-clauses"),
            RowProblem::Report(ReportError::Json(e)) => m("shape").text("detail", e.code()),
            RowProblem::Empty { field } => m("empty").text("field", field),
            RowProblem::Invalid { field, value, rule } => m(&format!("invalid.{}", rule.name()))
                .text("field", field)
                .text("value", value),
            RowProblem::OtherAuthority { found, expected } => {
                m("other-authority").text("found", found).text("expected", expected)
            }
            RowProblem::Numbered { serial } => m("numbered").text("serial", serial),
            RowProblem::Taken { serial, earlier } if serial == earlier => m("taken").text("serial", serial),
            RowProblem::Taken { serial, earlier } => m("taken-case").text("serial", serial).text("earlier", earlier),
            RowProblem::Twice { serial } => m("twice").text("serial", serial),
            RowProblem::ProductWithdrawn { maker, model, date } => m("product-withdrawn")
                .text("maker", maker)
                .text("model", model)
                .date("date", *date),
            RowProblem::WouldNotVerify(r) => m("would-not-verify")
                .word("verdict", format!("verdict.{}", r.verdict.as_str()))
                .arg("why", Arg::Message(Box::new(reason(&r.reason)))),
            RowProblem::SigningFailed => m("signing-failed"),
        }
    }
}

impl CheckFailure {
    /// What to say of a printed label that did not read back (`print-check.…` keys).
    pub fn message(&self) -> Message {
        let m = |key: &str| Message::new(format!("print-check.{key}"));
        match self {
            CheckFailure::NoCode => m("no-code"),
            CheckFailure::SeveralCodes(n) => m("several-codes").text("n", n),
            CheckFailure::NotGenuine(r) => m("not-genuine")
                .word("verdict", format!("verdict.{}", r.verdict.as_str()))
                .arg("why", Arg::Message(Box::new(reason(&r.reason)))),
            CheckFailure::OtherSerial(s) => m("other-serial").text("serial", s),
            CheckFailure::PageUnreadable => m("page-unreadable"),
        }
    }
}

impl fmt::Display for Error {
    /// The key and its arguments, for logs; people are told [`Error::message`] in words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for Error {}
