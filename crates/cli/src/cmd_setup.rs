//! `labelcheck setup`: name an authority's files once, in its authority file, and make its
//! serial register. Nothing else makes either.

use crate::args::SetupArgs;
use crate::error::{path, said, Result};
use crate::files;
use labelcheck_authority::authority::{init, AuthorityFile, AUTHORITY_FILE_FORMAT};
use labelcheck_words::{self as words, Lang};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `p` as the authority file will name it: relative to the authority file's folder when both
/// are relative or both absolute under it; absolute otherwise.
fn relative_to(base: &Path, p: &Path) -> String {
    let abs = |q: &Path| std::path::absolute(q).unwrap_or_else(|_| q.to_path_buf());
    let (base, p) = (abs(base), abs(p));
    match p.strip_prefix(&base) {
        Ok(rest) => rest.to_string_lossy().into_owned(),
        Err(_) => p.to_string_lossy().into_owned(),
    }
}

pub fn run(a: SetupArgs, lang: Lang) -> Result<ExitCode> {
    let base: PathBuf = labelcheck_authority::durable::folder_of(&a.out).to_path_buf();
    let key_list = crate::files::read_limited(&a.key_list, labelcheck_core::limits::MAX_KEY_LIST_BYTES)?;
    let authority = labelcheck_authority::lists::unverified_payload(&key_list)
        .and_then(|p| serde_json::from_slice::<serde_json::Value>(&p).ok())
        .and_then(|v| v.get("authority")?.as_str().map(str::to_owned))
        .ok_or(labelcheck_authority::Error::NotSigned {
            path: a.key_list.clone(),
        })?;
    let file = AuthorityFile {
        format: AUTHORITY_FILE_FORMAT,
        authority,
        trust: relative_to(&base, &a.trust),
        key_list: relative_to(&base, &a.key_list),
        revocations: relative_to(&base, &a.revocations),
        status: a.status.as_deref().map(|s| relative_to(&base, s)),
        register: relative_to(&base, &a.register),
    };
    let done = init(&a.out, &file, a.serial_prefix.as_deref(), files::now())?;
    let m = said("setup.done")
        .text("authority", &done.id)
        .arg("path", path(&a.out))
        .arg("register", path(&done.register));
    eprintln!("labelcheck: {}", words::message(lang, &m));
    Ok(ExitCode::SUCCESS)
}
