//! `labelcheck keygen`: a key in a file only its owner can read, or in a token.

use crate::args::KeygenArgs;
use crate::error::{said, Result};
use crate::token;
use labelcheck_authority::key::{self, is_token_uri};
use labelcheck_words::{self as words, Lang};
use std::process::ExitCode;

pub fn run(a: KeygenArgs, lang: Lang) -> Result<ExitCode> {
    let public = token::with_access(lang, |access| key::generate(&a.kid, &a.out, access))?;
    let json = serde_json::to_string_pretty(&public).unwrap_or_default();
    crate::stdout::line(json)?;
    let done = if is_token_uri(&a.out) {
        said("keygen.in-token").text("kid", &a.kid)
    } else {
        said("keygen.in-file").text("path", &a.out)
    };
    eprintln!("labelcheck: {}", words::message(lang, &done));
    Ok(ExitCode::SUCCESS)
}
