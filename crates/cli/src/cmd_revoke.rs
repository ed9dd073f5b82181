//! `labelcheck revoke`: withdraw single serials, a product, a batch or a signing key's labels
//! in one act, or renew the lists; the revocation list and status list re-signed.

use crate::args::{Reason, RevokeArgs};
use crate::error::{fail, path, said, Result};
use crate::{files, token};
use labelcheck_authority::revoke::{revoke, Request, Target, Withdraw};
use labelcheck_authority::Authority;
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

/// A file of serials, one a line; blank lines and surrounding spaces ignored.
fn serials_in(path: &std::path::Path) -> Result<Vec<String>> {
    let bytes = files::read_limited(path, 64 << 20)?;
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// A batch by its id, or by its folder (the id its `batch.json` names).
fn batch_id(given: &str) -> Result<String> {
    let folder = std::path::Path::new(given);
    if !folder.is_dir() {
        return Ok(given.to_owned());
    }
    let marker = folder.join(labelcheck_authority::batch::MARKER);
    let bytes = files::read_limited(&marker, 1 << 20)?;
    #[derive(serde::Deserialize)]
    struct Marker {
        batch: String,
    }
    serde_json::from_slice::<Marker>(&bytes)
        .map(|m| m.batch)
        .map_err(|_| fail(said("revoke.no-batch-id").arg("path", path(&marker))))
}

pub fn run(a: RevokeArgs, lang: Lang) -> Result<ExitCode> {
    let now = files::now();
    let authority = a.authority.as_ref().map(|p| Authority::load(p, now)).transpose()?;
    let list = a
        .list
        .clone()
        .or_else(|| authority.as_ref().map(|x| x.revocations.clone()))
        .ok_or_else(|| fail(said("revoke.which-list")))?;
    let what = if let (Some(maker), Some(model)) = (&a.maker, &a.model) {
        Withdraw::Product {
            maker: maker.clone(),
            model: model.clone(),
        }
    } else if let Some(b) = &a.batch {
        Withdraw::Batch(batch_id(b)?)
    } else if let Some(k) = &a.key_id {
        Withdraw::Key(k.clone())
    } else {
        let mut serials = a.serial.clone();
        if let Some(f) = &a.serials {
            serials.extend(serials_in(f)?);
        }
        if serials.is_empty() {
            Withdraw::Renew
        } else {
            Withdraw::Serials(serials)
        }
    };
    let date = match &a.date {
        Some(d) => Date::parse(d).map_err(|_| fail(said("bad-date").text("flag", "--date").text("value", d)))?,
        None => now.date(),
    };
    let root = token::open(lang, &a.root)?;
    let request = Request {
        what,
        date,
        reason: reason(a.reason),
        note: a.note.clone(),
    };
    let target = Target {
        path: list.clone(),
        create_for: a.new.clone(),
    };
    let done = revoke(&target, authority.as_ref(), &root, &request, a.valid_days, now)?;
    let say = |m: labelcheck_core::Message| eprintln!("labelcheck: {}", words::message(lang, &m));
    if !done.already.is_empty() {
        say(said("revoke.already")
            .arg("n", Arg::Count(done.already.len() as u64))
            .text(
                "serials",
                done.already.iter().take(10).cloned().collect::<Vec<_>>().join(", "),
            ));
    }
    let acted = match &request.what {
        Withdraw::Renew => None,
        _ => Some(said("revoke.withdrawn").arg("n", Arg::Count(done.labels))),
    };
    if let Some(m) = acted {
        say(m);
    }
    say(said("revoke.published")
        .text("version", done.list.version)
        .text("authority", &done.list.authority)
        .text("acts", done.list.acts.len())
        .text("partitions", done.partitions)
        .arg("n", Arg::Count(done.list.revoked.len() as u64))
        .arg("path", path(&list))
        .date("expires", done.list.expires.date()));
    Ok(ExitCode::SUCCESS)
}
