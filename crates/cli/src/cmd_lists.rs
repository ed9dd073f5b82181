//! `labelcheck lists`: every list of every trusted authority — key list, revocation list and
//! each partition of its status list — fetched, verified as `verify` would, and kept in a
//! folder, for checking labels offline later (a warehouse without a network): `labelcheck
//! verify --lists DIR --offline …`.

use crate::args::ListsArgs;
use crate::config;
use crate::error::{path, said, Result};
use crate::sources::{folder_lists, load, say_not_updated, trust, Sources};
use labelcheck_core::list_store::{refresh_plan, ListProblem, ListUpdate};
use labelcheck_core::{Arg, ListKind, ListStore};
use labelcheck_words::{self as words, Lang};
use std::process::ExitCode;

pub fn run(a: ListsArgs, lang: Lang) -> Result<ExitCode> {
    let cfg = config::load(a.config.as_deref())?;
    let (trust_path, anchors) = trust(a.trust.as_deref(), cfg.as_ref())?;
    let sources = Sources {
        mirrors: cfg.as_ref().map(|c| c.mirrors.clone()).unwrap_or_default(),
        reports_dir: None,
        offline: false,
    };
    let mut store = ListStore::new();
    // What the folder holds already is held first: a list fetched now replaces it only when
    // newer, so a run against a host serving an older copy never takes a list back.
    for (kind, file) in folder_lists(&a.out) {
        if let Ok(raw) = load(&file, kind.max_bytes()) {
            let _ = match kind {
                ListKind::Status => store.offer_status(&anchors, &raw).map(drop),
                _ => store.offer(kind, &anchors, &raw).map(drop),
            };
        }
    }
    let mut failed = 0usize;
    let mut said_problem = |kind: ListKind, authority: &str, source: &str, problem: &ListProblem| {
        failed += 1;
        say_not_updated(lang, kind, authority, source, problem);
    };
    let (mut written, mut current) = (0u64, 0u64);
    let mut keep = |name: String, update: &ListUpdate, raw: Option<&[u8]>| -> Result<()> {
        match (update, raw) {
            (ListUpdate::Installed { .. }, Some(raw)) => {
                labelcheck_authority::durable::replace(&a.out.join(name), raw)?;
                written += 1;
            }
            _ => current += 1,
        }
        Ok(())
    };
    for r in refresh_plan(&anchors, &trust_path.to_string_lossy()) {
        let fetched = sources.list(&r.url, r.kind.max_bytes());
        match store.offer_fetched(&r, &anchors, fetched) {
            Ok(update) => keep(
                format!("{}.{}.jws", r.authority, r.kind.name()),
                &update,
                store.raw(r.kind, &r.authority),
            )?,
            Err(problem) => said_problem(r.kind, &r.authority, &r.url, &problem),
        }
    }
    for anchor in &anchors.anchors {
        let id = &anchor.authority;
        let count = store.revocations(id).map_or(0, |r| r.list.partitions);
        let template = store.key_list(id).and_then(|k| k.list.status_url.clone());
        for p in 0..count {
            let Some(url) = template.as_ref().map(|t| t.replace("{partition}", &p.to_string())) else {
                break;
            };
            let fetched = sources.list(&url, ListKind::Status.max_bytes());
            match store.offer_status_for(&anchors, id, p, fetched) {
                Ok(update) => keep(format!("{id}.status-{p}.jws"), &update, store.status_raw(id, p))?,
                Err(problem) => said_problem(ListKind::Status, id, &url, &problem),
            }
        }
    }
    let m = said("lists.written")
        .arg("n", Arg::Count(written))
        .arg("current", Arg::Count(current))
        .arg("dir", path(&a.out));
    eprintln!("labelcheck: {}", words::message(lang, &m));
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
