//! Command-line arguments.

use clap::{Args as ClapArgs, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "labelcheck",
    version,
    about = "Issue and verify device security labels (Cybersecurity Label, Cyber Trust Mark)"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
    /// The language of verdicts and reports: en or zh-CN (default: from the locale, LANG).
    #[arg(long, global = true)]
    pub lang: Option<String>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Generate an Ed25519 key (root or signing). The private key goes to a file only its owner can read.
    Keygen(KeygenArgs),
    /// Build and sign an authority's key list with its root key.
    Keys(KeysArgs),
    /// Add a serial to an authority's revocation list (or just renew it) and re-sign it.
    Revoke(RevokeArgs),
    /// Sign a product's report and print its label (QR text, SVG and PNG).
    Issue(IssueArgs),
    /// Verify labels given as QR text, label links or image files.
    Verify(VerifyArgs),
    /// Print every QR text found in images, as JSON (one object per image).
    Decode(DecodeArgs),
    /// Create a complete demo authority with one label per verification case.
    Demo(DemoArgs),
    /// Print any text as a QR code in the terminal (for example the app's address, for a phone).
    Qr(QrArgs),
    /// Lay out issued labels for print: PDF sheets with crop marks, or one PDF and SVG per label.
    Print(PrintArgs),
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
    pub out: PathBuf,
}

#[derive(ClapArgs)]
pub struct KeysArgs {
    /// The key list to sign, as JSON (docs/FORMAT.md §5); `version`, `issued_at` and `expires` may be left out.
    #[arg(long)]
    pub input: PathBuf,
    /// The authority's root private key: a JWK file or a `pkcs11:` URI.
    #[arg(long)]
    pub root: PathBuf,
    /// The signed key list to write. If it exists, the new version is one more than its version.
    #[arg(long)]
    pub out: PathBuf,
    /// How long the list stays fresh when `expires` is left out.
    #[arg(long, default_value_t = 30)]
    pub valid_days: i64,
}

#[derive(ClapArgs)]
pub struct RevokeArgs {
    /// The signed revocation list to update (created if missing).
    #[arg(long)]
    pub list: PathBuf,
    /// The authority's root private key: a JWK file or a `pkcs11:` URI.
    #[arg(long)]
    pub root: PathBuf,
    /// The authority id (needed when the list is created).
    #[arg(long)]
    pub authority: Option<String>,
    /// The serial to revoke; leave out to only renew the list.
    #[arg(long)]
    pub serial: Option<String>,
    /// withdrawn, surrendered, misuse or superseded.
    #[arg(long, default_value = "withdrawn")]
    pub reason: String,
    /// Revocation date (YYYY-MM-DD); today if left out.
    #[arg(long)]
    pub date: Option<String>,
    /// A short note shown with the revocation.
    #[arg(long)]
    pub note: Option<String>,
    /// How long the list stays fresh.
    #[arg(long, default_value_t = 7)]
    pub valid_days: i64,
}

#[derive(ClapArgs)]
pub struct IssueArgs {
    /// The product's report as JSON (docs/FORMAT.md §4); `format` and `issued_at` may be left out.
    #[arg(long, required_unless_present = "batch", conflicts_with = "batch")]
    pub report: Option<PathBuf>,
    /// Issue a batch: one product per row of a CSV or JSON Lines file (.csv, .jsonl), each with
    /// a serial or a count of `units` numbered from the serial register.
    #[arg(long)]
    pub batch: Option<PathBuf>,
    /// With --batch: a JSON object of report fields every row shares (standard, test lab…).
    #[arg(long, requires = "batch")]
    pub defaults: Option<PathBuf>,
    /// With --batch: the serial register, one per authority (default: AUTHORITY.serials here).
    #[arg(long, requires = "batch")]
    pub register: Option<PathBuf>,
    /// With --batch: what numbered serials start with when the register is new (default: AUTHORITY-).
    #[arg(long, requires = "batch")]
    pub serial_prefix: Option<String>,
    /// With --batch: stop before anything is signed when any row is bad (else bad rows are
    /// listed and the good ones issued).
    #[arg(long, requires = "batch")]
    pub strict: bool,
    /// The signing private key: a JWK file or a `pkcs11:` URI.
    #[arg(long)]
    pub key: PathBuf,
    /// The authority's signed key list (gives the verifier URL, report URL and programme names).
    #[arg(long)]
    pub keys: PathBuf,
    /// Folder for SERIAL.jws (the signed report), SERIAL.svg, SERIAL.png and SERIAL.txt (the QR text).
    #[arg(long)]
    pub out_dir: PathBuf,
    /// Put this report URL in the label instead of using the key list's report_url.
    #[arg(long)]
    pub report_url: Option<String>,
}

#[derive(ClapArgs)]
pub struct VerifyArgs {
    /// QR texts, label links, image files (PNG, JPEG, WebP, HEIC), or folders (searched for
    /// those, several labels per photo).
    #[arg(required = true)]
    pub inputs: Vec<String>,
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
    /// Read reports from this folder (by the last segment of their URL) instead of fetching them.
    #[arg(long)]
    pub reports: Option<PathBuf>,
    /// The time to verify at (YYYY-MM-DDTHH:MM:SSZ); now if left out.
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(ClapArgs)]
pub struct PrintArgs {
    /// The manifest of an issued batch (manifest.json or manifest.csv).
    #[arg(long)]
    pub manifest: PathBuf,
    /// The authority's signed key list (programme names, and the keys the check verifies with).
    #[arg(long)]
    pub keys: PathBuf,
    /// The PDF of sheets to write; with --single, a folder for SERIAL.pdf and SERIAL.svg.
    #[arg(long)]
    pub out: PathBuf,
    /// One label per file (PDF and SVG artwork) instead of sheets.
    #[arg(long)]
    pub single: bool,
    /// Sheet size: a4 or letter.
    #[arg(long, default_value = "a4")]
    pub paper: String,
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
    /// A font to set the text in, in order of preference; give a Latin and a Chinese one
    /// (default: such fonts installed on this system).
    #[arg(long)]
    pub font: Vec<PathBuf>,
    /// Render what was written (at 300 and 150 dpi), read every label back with the app's
    /// decoder and verify it: each must read as the serial it was made for.
    #[arg(long)]
    pub check: bool,
}

#[derive(ClapArgs)]
pub struct DecodeArgs {
    #[arg(required = true)]
    pub images: Vec<PathBuf>,
}

#[derive(ClapArgs)]
pub struct DemoArgs {
    /// The folder to create (or refresh, keeping its keys).
    pub dir: PathBuf,
    /// Where the web app is served; demo labels link there.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub origin: String,
}
