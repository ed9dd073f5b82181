//! `labelcheck issue`: a single label (`--report`, a batch of one) or a batch (`--batch`),
//! through the authority library's one path: every row checked, serials from the register,
//! every label verified before it is written.

use crate::args::IssueArgs;
use crate::error::{fail, path, said, Result};
use crate::progress::Progress;
use crate::{files, token};
use labelcheck_authority::artwork::Fonts;
use labelcheck_authority::batch::{self, Request};
use labelcheck_authority::qr::EC_LEVEL_NAME;
use labelcheck_authority::rows::Kind;
use labelcheck_authority::Authority;
use labelcheck_core::limits::MAX_REPORT_BYTES;
use labelcheck_core::Arg;
use labelcheck_words::{self as words, Lang};
use std::process::ExitCode;

/// A batch file larger than this is split by its author: it is read whole.
const MAX_BATCH_BYTES: usize = 512 << 20;

pub fn run(a: IssueArgs, lang: Lang) -> Result<ExitCode> {
    let (input_path, kind) = match (&a.report, &a.batch) {
        (Some(r), _) => (r.clone(), Kind::Object),
        (None, Some(b)) => {
            let kind = Kind::of(&b.to_string_lossy()).ok_or_else(|| fail(said("batch-kind").arg("path", path(b))))?;
            (b.clone(), kind)
        }
        (None, None) => return Err(fail(said("issue-what"))),
    };
    let max = if kind == Kind::Object {
        MAX_REPORT_BYTES
    } else {
        MAX_BATCH_BYTES
    };
    let input = files::read_limited(&input_path, max)?;
    let defaults = a
        .defaults
        .as_ref()
        .map(|d| files::read_limited(d, MAX_REPORT_BYTES))
        .transpose()?;
    let authority = Authority::load(&a.authority, files::now())?;
    let key = token::open(lang, &a.key)?;
    let single = kind == Kind::Object;
    let fonts = if a.artwork || single {
        Some(Fonts::load(&a.font)?)
    } else {
        None
    };
    let request = Request {
        input: &input,
        kind,
        defaults: defaults.as_deref(),
        out_dir: &a.out_dir,
        report_location: a.report_url.as_deref(),
        strict: a.strict || single,
        artwork: fonts.as_ref(),
    };
    let progress = Progress::new(0);
    let outcome = batch::issue(&authority, &key, &request, &progress)?;
    progress.clear();
    for r in &outcome.bad {
        let m = r.problem.message(r.line);
        eprintln!("labelcheck: {}: {}", input_path.display(), words::message(lang, &m));
    }
    let say = |m: labelcheck_core::Message| eprintln!("labelcheck: {}", words::message(lang, &m));
    match (&outcome.first, single) {
        (Some(first), true) => {
            crate::stdout::line(&first.qr_text)?;
            say(said("issue.single")
                .text("serial", &first.serial)
                .text("version", first.qr_version)
                .text("level", EC_LEVEL_NAME)
                .text("chars", first.qr_text.len())
                .arg("dir", path(&a.out_dir)));
        }
        (Some(_), false) => say(said("issue.batch")
            .arg("n", Arg::Count(outcome.total))
            .arg("dir", path(&a.out_dir))
            .text("signed", outcome.signed_now)
            .text("kept", outcome.kept)
            .arg("register", path(&authority.register))),
        (None, _) => say(said("issue.nothing").arg("dir", path(&a.out_dir))),
    }
    if !outcome.bad.is_empty() {
        say(said("issue.bad-rows").arg("n", Arg::Count(outcome.bad.len() as u64)));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
