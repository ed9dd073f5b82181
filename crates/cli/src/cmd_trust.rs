//! `labelcheck trust`: the trust file verifiers are given, from the authority's root public
//! keys and its signed key list (which must verify under them).

use crate::args::TrustArgs;
use crate::error::{path, said, Result};
use labelcheck_authority::key::read_public_key;
use labelcheck_authority::trust::{anchor, write, Written};
use labelcheck_core::limits::MAX_KEY_LIST_BYTES;
use labelcheck_words::{self as words, Lang};
use std::process::ExitCode;

pub fn run(a: TrustArgs, lang: Lang) -> Result<ExitCode> {
    let roots = a
        .root_keys
        .iter()
        .map(|p| read_public_key(p))
        .collect::<labelcheck_authority::Result<Vec<_>>>()?;
    let bytes = crate::files::read_limited(&a.key_list, MAX_KEY_LIST_BYTES)?;
    let anchor = anchor(
        (&a.key_list, &bytes),
        &roots,
        &a.key_list_url,
        a.revocations_url.as_deref(),
    )?;
    let authority = anchor.authority.clone();
    let key = match write(&a.out, anchor, a.update)? {
        Written::Created => "trust.created",
        Written::Added => "trust.added",
        Written::Replaced => "trust.replaced",
    };
    let m = said(key)
        .text("authority", authority)
        .arg("n", labelcheck_core::Arg::Count(roots.len() as u64))
        .arg("path", path(&a.out));
    eprintln!("labelcheck: {}", words::message(lang, &m));
    Ok(ExitCode::SUCCESS)
}
