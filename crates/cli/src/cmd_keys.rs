//! `labelcheck keys`: build, sign and publish a key list.

use crate::args::KeysArgs;
use crate::error::{path, said, Result};
use crate::{files, token};
use labelcheck_authority::lists::publish_key_list;
use labelcheck_words::{self as words, Lang};
use std::process::ExitCode;

pub fn run(a: KeysArgs, lang: Lang) -> Result<ExitCode> {
    let root = token::open(lang, &a.root)?;
    let p = publish_key_list(&a.input, &a.out, &root, a.version, a.valid_days, files::now())?;
    let m = said("keys.published")
        .text("version", p.list.version)
        .text("authority", &p.list.authority)
        .arg("n", labelcheck_core::Arg::Count(p.list.keys.len() as u64))
        .arg("path", path(&a.out))
        .date("expires", p.list.expires.date());
    eprintln!("labelcheck: {}", words::message(lang, &m));
    Ok(ExitCode::SUCCESS)
}
