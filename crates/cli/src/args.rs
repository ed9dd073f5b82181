//! Command-line arguments.

use crate::help;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};
use labelcheck_words::Lang;
use std::path::PathBuf;

/// `--lang`: the languages are listed in `--help` and completions, while an unknown one is
/// refused by the command itself, in the locale's language (`lang::resolve`), and `zh` or
/// `zh_CN.UTF-8` are taken as a locale would be.
#[derive(Clone)]
pub struct LangParser;

impl TypedValueParser for LangParser {
    type Value = String;

    fn parse_ref(
        &self,
        _: &clap::Command,
        _: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(Lang::all().map(|l| PossibleValue::new(l.code()))))
    }
}

#[derive(Parser)]
#[command(
    name = "labelcheck",
    version,
    about = "Issue and verify device security labels (Cybersecurity Label, Cyber Trust Mark)",
    after_help = help::MAIN
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
    /// The language of what the command says (default: from the locale: LANGUAGE, LC_ALL,
    /// LC_MESSAGES, LANG).
    #[arg(long, global = true, value_parser = LangParser)]
    pub lang: Option<String>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Generate an Ed25519 key (root or signing). The private key goes to a file only its owner can read.
    #[command(after_long_help = help::KEYGEN)]
    Keygen(KeygenArgs),
    /// Build and sign an authority's key list with its root key.
    #[command(after_long_help = help::KEYS)]
    Keys(KeysArgs),
    /// Withdraw labels — single serials, a product, a batch or a signing key's — or renew the
    /// revocation and status lists, and re-sign them.
    #[command(after_long_help = help::REVOKE)]
    Revoke(RevokeArgs),
    /// Write the trust file verifiers are given: an authority's root public keys and list addresses.
    #[command(after_long_help = help::TRUST)]
    Trust(TrustArgs),
    /// Set an authority up for issuing: write its authority file and make its serial register.
    #[command(after_long_help = help::SETUP)]
    Setup(SetupArgs),
    /// Sign a product's report and its label, or a batch of them; every label is verified before it is written.
    #[command(after_long_help = help::ISSUE)]
    Issue(IssueArgs),
    /// Verify labels given as QR text, label links or image files.
    #[command(after_long_help = help::VERIFY)]
    Verify(VerifyArgs),
    /// Fetch and verify every list of every trusted authority (status list partitions too) into
    /// a folder, to check labels offline later with `verify --lists DIR`.
    #[command(after_long_help = help::LISTS)]
    Lists(ListsArgs),
    /// Print every QR text found in images, as JSON (one object per image).
    #[command(after_long_help = help::DECODE)]
    Decode(DecodeArgs),
    /// Create a complete demo authority with one label per verification case.
    #[command(after_long_help = help::DEMO)]
    Demo(DemoArgs),
    /// Print any text as a QR code in the terminal (for example the app's address, for a phone).
    #[command(after_long_help = help::QR)]
    Qr(QrArgs),
    /// Lay out issued labels for print: PDF sheets with crop marks, or one PDF and SVG per label.
    #[command(after_long_help = help::PRINT)]
    Print(PrintArgs),
    /// Print a shell's completion script for labelcheck.
    #[command(after_long_help = help::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Print labelcheck's manual page (roff), or write one page per command to a folder.
    #[command(after_long_help = help::MAN)]
    Man(ManArgs),
}

#[derive(ClapArgs)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(ClapArgs)]
pub struct ManArgs {
    /// A folder to write labelcheck.1 and a page per command (labelcheck-verify.1, …) to,
    /// instead of printing labelcheck.1.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(ClapArgs)]
pub struct QrArgs {
    pub text: String,
}

#[derive(ClapArgs)]
pub struct KeygenArgs {
    /// Key id: 1 to 8 of A-Z a-z 0-9 - _
    #[arg(long)]
    pub kid: String,
    /// Where to write the private key (JWK); refused if the file exists. Or a PKCS#11 URI
    /// (`pkcs11:token=LABEL;object=KID?module-path=…`): the key is made in the token and never
    /// leaves it.
    #[arg(long)]
    pub out: String,
}

#[derive(ClapArgs)]
pub struct KeysArgs {
    /// The key list to sign, as JSON (docs/FORMAT.md §5); `version`, `issued_at` and `expires`
    /// may be left out. A key may be given as `{"key_file": "k1.pub.json", "not_before", "not_after"}`,
    /// the file taken from this file's folder.
    #[arg(long)]
    pub input: PathBuf,
    /// The authority's root private key: a JWK file or a `pkcs11:` URI.
    #[arg(long)]
    pub root: String,
    /// The signed key list to write (the one published).
    #[arg(long)]
    pub out: PathBuf,
    /// The list's version. Needed when the list at --out cannot be read (verifiers refuse any
    /// version not above the one they hold); otherwise one above it.
    #[arg(long)]
    pub version: Option<u64>,
    /// How long the list stays fresh when `expires` is left out.
    #[arg(long, default_value_t = 30)]
    pub valid_days: i64,
}

/// Why a certification was revoked (docs/FORMAT.md §6).
#[derive(Clone, Copy, ValueEnum)]
pub enum Reason {
    /// The certification was withdrawn (the product no longer meets the standard).
    Withdrawn,
    /// The maker gave it up, for example when the product left the market.
    Surrendered,
    /// Labels with this serial were found counterfeited or misused.
    Misuse,
    /// Replaced by a new certification under another serial.
    Superseded,
}

#[derive(ClapArgs)]
#[command(group = clap::ArgGroup::new("what").args(["serial", "serials", "maker", "batch", "key_id"]))]
pub struct RevokeArgs {
    /// The authority file (see `labelcheck setup`): its revocation list, register and status
    /// list. Needed to withdraw a product, a batch or a key, and serials of labels with a status.
    #[arg(long, env = "LABELCHECK_AUTHORITY")]
    pub authority: Option<PathBuf>,
    /// The signed revocation list to update (default: the authority file's).
    #[arg(long)]
    pub list: Option<PathBuf>,
    /// The authority's root private key: a JWK file or a `pkcs11:` URI.
    #[arg(long)]
    pub root: String,
    /// Make a new, empty revocation list at --list for this authority id (refused if a file is there).
    #[arg(long, value_name = "AUTHORITY-ID", requires = "list")]
    pub new: Option<String>,
    /// A serial to withdraw (a cloned or misused label); give it again for more.
    #[arg(long)]
    pub serial: Vec<String>,
    /// A file of serials to withdraw, one a line.
    #[arg(long)]
    pub serials: Option<PathBuf>,
    /// Withdraw a product: every label of this maker's --model certified before --date.
    #[arg(long, requires = "model")]
    pub maker: Option<String>,
    #[arg(long, requires = "maker")]
    pub model: Option<String>,
    /// Withdraw every label of a batch: its folder, or its id (`batch` in its manifest).
    #[arg(long)]
    pub batch: Option<String>,
    /// Withdraw every label a signing key signed (a compromised key; use --reason superseded
    /// when its products are issued again).
    #[arg(long)]
    pub key_id: Option<String>,
    #[arg(long, value_enum, default_value_t = Reason::Withdrawn)]
    pub reason: Reason,
    /// The date the withdrawal takes effect (YYYY-MM-DD); today if left out.
    #[arg(long)]
    pub date: Option<String>,
    /// A short note shown with the withdrawal.
    #[arg(long)]
    pub note: Option<String>,
    /// How long the lists stay fresh.
    #[arg(long, default_value_t = 7)]
    pub valid_days: i64,
}

#[derive(ClapArgs)]
pub struct TrustArgs {
    /// A root public key (a JWK, as `keygen` prints it); give each root key, the spare too.
    #[arg(long = "root-key", required = true)]
    pub root_keys: Vec<PathBuf>,
    /// The signed key list: it must verify under one of the root keys.
    #[arg(long)]
    pub key_list: PathBuf,
    /// Where verifiers fetch the key list (https, or a path relative to the trust file).
    #[arg(long)]
    pub key_list_url: String,
    /// Where verifiers fetch the revocation list (default: the key list's revocations_url).
    #[arg(long)]
    pub revocations_url: Option<String>,
    /// The trust file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Add or replace this authority in an existing trust file, keeping the others.
    #[arg(long)]
    pub update: bool,
}

#[derive(ClapArgs)]
pub struct SetupArgs {
    /// The authority file to write (refused if it exists). Issuing commands take it with
    /// --authority or LABELCHECK_AUTHORITY; the paths below are kept relative to it.
    #[arg(long)]
    pub out: PathBuf,
    /// The trust file verifiers are given (see `labelcheck trust`).
    #[arg(long)]
    pub trust: PathBuf,
    /// The signed key list, as published.
    #[arg(long)]
    pub key_list: PathBuf,
    /// The signed revocation list, as published.
    #[arg(long)]
    pub revocations: PathBuf,
    /// The folder of the status list's partitions as published (0.jws, 1.jws, …; made by
    /// `revoke` when it first withdraws a label).
    #[arg(long)]
    pub status: Option<PathBuf>,
    /// The serial register: made here, numbering serials PREFIX00000001 on.
    #[arg(long)]
    pub register: PathBuf,
    /// What numbered serials start with (1 to 24 of A-Z a-z 0-9 - _ . /).
    #[arg(long, required_unless_present = "existing_register")]
    pub serial_prefix: Option<String>,
    /// Use the register already at --register instead of making one.
    #[arg(long, conflicts_with = "serial_prefix")]
    pub existing_register: bool,
}

#[derive(ClapArgs)]
pub struct IssueArgs {
    /// The authority file (see `labelcheck setup`): the register, trust file and lists to issue with.
    #[arg(long, env = "LABELCHECK_AUTHORITY")]
    pub authority: PathBuf,
    /// One product's report as JSON (docs/FORMAT.md §4), with a serial or units: a batch of
    /// one, which also writes the label's artwork.
    #[arg(long, required_unless_present = "batch", conflicts_with = "batch")]
    pub report: Option<PathBuf>,
    /// Issue a batch: one product per row of a CSV or JSON Lines file (.csv, .jsonl), each with
    /// a serial or a count of `units` numbered from the serial register.
    #[arg(long)]
    pub batch: Option<PathBuf>,
    /// With --batch: a JSON object of report fields every row shares (standard, test lab…).
    #[arg(long, requires = "batch")]
    pub defaults: Option<PathBuf>,
    /// With --batch: stop before anything is signed when any row is bad (else bad rows are
    /// listed and the good ones issued).
    #[arg(long, requires = "batch")]
    pub strict: bool,
    /// Also write each label's artwork (SERIAL.svg, SERIAL.png) and QR text (SERIAL.txt).
    #[arg(long)]
    pub artwork: bool,
    /// The signing private key: a JWK file or a `pkcs11:` URI.
    #[arg(long)]
    pub key: String,
    /// A new folder for the batch (or the folder of this batch, to finish it): SERIAL.jws
    /// (the signed reports, to publish) and the manifest.
    #[arg(long)]
    pub out_dir: PathBuf,
    /// Put this report URL in the labels instead of the key list's report_url.
    #[arg(long)]
    pub report_url: Option<String>,
    /// A font for the artwork's text, in order of preference (before the system's).
    #[arg(long)]
    pub font: Vec<PathBuf>,
}

#[derive(ClapArgs)]
pub struct VerifyArgs {
    /// QR texts, label links, image files (PNG, JPEG, WebP, HEIC), or folders (searched for
    /// those, several labels per photo); `-` reads them from standard input, one a line.
    #[arg(required_unless_present = "from")]
    pub inputs: Vec<String>,
    /// A file of inputs, one a line (QR texts, links or paths; `-` for standard input): read
    /// with the other inputs as one batch, with one summary and one clone check.
    #[arg(long, value_name = "FILE")]
    pub from: Vec<PathBuf>,
    /// Write every label's verdict, the duplicate serials and a summary to this file: CSV
    /// (FILE.csv) or JSON (FILE.json), the columns of the app's audit export.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// The name the report gives this batch (such as a shipment or shelf).
    #[arg(long)]
    pub name: Option<String>,
    /// Print one JSON object per label.
    #[arg(long)]
    pub json: bool,
    /// Do not fetch reports: check the labels alone.
    #[arg(long)]
    pub offline: bool,
    /// Configuration file (default: ./labelcheck.json if present).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Trust anchors file (the root keys to trust).
    #[arg(long)]
    pub trust: Option<PathBuf>,
    /// Signed key list files or URLs.
    #[arg(long = "keys")]
    pub key_lists: Vec<String>,
    /// Signed revocation list files or URLs.
    #[arg(long = "revocations")]
    pub revocation_lists: Vec<String>,
    /// Signed status list partition files or URLs (a label's partition is otherwise fetched
    /// from the key list's status_url when the label needs it, unless --offline).
    #[arg(long = "status")]
    pub status_lists: Vec<String>,
    /// A folder of lists written by `labelcheck lists`: every list file in it is offered.
    #[arg(long)]
    pub lists: Option<PathBuf>,
    /// Read reports from this folder (by the last segment of their URL) instead of fetching them.
    #[arg(long)]
    pub reports: Option<PathBuf>,
    /// The time to verify at (YYYY-MM-DDTHH:MM:SSZ); now if left out.
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Paper {
    A4,
    Letter,
}

#[derive(ClapArgs)]
pub struct PrintArgs {
    /// The authority file: the key list and trust file the printed labels are checked with.
    #[arg(long, env = "LABELCHECK_AUTHORITY")]
    pub authority: PathBuf,
    /// The manifest of an issued batch (manifest.json or manifest.csv).
    #[arg(long)]
    pub manifest: PathBuf,
    /// The PDF of sheets to write; with --single, a folder for SERIAL.pdf and SERIAL.svg.
    #[arg(long)]
    pub out: PathBuf,
    /// One label per file (PDF and SVG artwork) instead of sheets.
    #[arg(long)]
    pub single: bool,
    #[arg(long, value_enum, default_value_t = Paper::A4)]
    pub paper: Paper,
    /// At most this many sheets per PDF: a longer run is written as OUT-0001.pdf, OUT-0002.pdf, …
    #[arg(long, default_value_t = 100)]
    pub sheets_per_file: usize,
    /// Label width in millimetres; refused, with the width that works, when the QR code's
    /// modules would be smaller than --min-module.
    #[arg(long, default_value_t = 40.0)]
    pub width: f32,
    /// The smallest printed QR module, in millimetres.
    #[arg(long, default_value_t = 0.33)]
    pub min_module: f32,
    /// A font to set the text in, in order of preference (before the system's); the labels
    /// need a Latin and a Chinese one.
    #[arg(long)]
    pub font: Vec<PathBuf>,
    /// Render what was written (at 300 and 150 dpi), read every label back with the app's
    /// decoder and verify it with its report; written in place only if every label passes.
    #[arg(long)]
    pub check: bool,
}

#[derive(ClapArgs)]
pub struct ListsArgs {
    /// The folder to write the lists to.
    #[arg(long)]
    pub out: PathBuf,
    /// Trust anchors file (default: from ./labelcheck.json).
    #[arg(long)]
    pub trust: Option<PathBuf>,
    /// Configuration file (default: ./labelcheck.json if present).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(ClapArgs)]
pub struct DecodeArgs {
    #[arg(required = true)]
    pub images: Vec<PathBuf>,
}

#[derive(ClapArgs)]
pub struct DemoArgs {
    /// The folder to create (or a demo folder to refresh, keeping its keys and register).
    pub dir: PathBuf,
    /// Where the web app is served; demo labels link there.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub origin: String,
}
