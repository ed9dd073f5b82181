//! `labelcheck revoke`: add a serial to a revocation list, or renew it, and re-sign it.

use crate::args::{Reason, RevokeArgs};
use crate::error::{fail, path, said, Result};
use crate::{files, token};
use labelcheck_authority::lists::{publish_revocations, RevocationChange, RevocationTarget};
use labelcheck_core::revocation::RevocationReason;
use labelcheck_core::{Arg, Date};
use labelcheck_words::{self as words, Lang};
use std::process::ExitCode;

fn reason(r: Reason) -> RevocationReason {
    match r {
        Reason::Withdrawn => RevocationReason::Withdrawn,
        Reason::Surrendered => RevocationReason::Surrendered,
        Reason::Misuse => RevocationReason::Misuse,
        Reason::Superseded => RevocationReason::Superseded,
    }
}

pub fn run(a: RevokeArgs, lang: Lang) -> Result<ExitCode> {
    let root = token::open(lang, &a.root)?;
    let now = files::now();
    let change = match &a.serial {
        None => RevocationChange::Renew,
        Some(serial) => RevocationChange::Revoke {
            serial: serial.clone(),
            date: match &a.date {
                Some(d) => {
                    Date::parse(d).map_err(|_| fail(said("bad-date").text("flag", "--date").text("value", d)))?
                }
                None => now.date(),
            },
            reason: reason(a.reason),
            note: a.note.clone(),
        },
    };
    let target = RevocationTarget {
        path: a.list.clone(),
        create_for: a.new.then(|| a.authority.clone()).flatten(),
        authority: a.authority.clone(),
    };
    let list = publish_revocations(&target, &root, change, a.valid_days, now)?;
    let m = said("revoke.published")
        .text("version", list.version)
        .text("authority", &list.authority)
        .arg("n", Arg::Count(list.revoked.len() as u64))
        .arg("path", path(&a.list))
        .date("expires", list.expires.date());
    eprintln!("labelcheck: {}", words::message(lang, &m));
    Ok(ExitCode::SUCCESS)
}
