//! `labelcheck verify`: labels from QR texts, links or photos, to verdicts.

use crate::args::VerifyArgs;
use crate::batch;
use crate::config;
use crate::error::{fail, said, Result};
use crate::files;
use crate::output;
use crate::progress::Progress;
use crate::report;
use crate::sources::{folder_files, is_url, load, say_not_updated, trust, Sources};
use crate::stdout;
use labelcheck_core::audit::{Audit, Source};
use labelcheck_core::list_store::{refresh_plan, ListProblem};
use labelcheck_core::{Arg, ListKind, ListStore, Reason, Timestamp, TrustAnchors, Verdict, VerdictKind, Verifier};
use labelcheck_words::{self as words, Lang, Msg};
use std::path::Path;
use std::process::ExitCode;

fn list_word(kind: ListKind) -> Arg {
    Arg::Word(format!("list.{}", kind.name()))
}

/// The status list partitions of a `--lists` folder, by authority and partition: each read only
/// when a label needs it (an inspector's folder may hold a hundred).
type FolderParts = std::collections::HashMap<(String, u32), String>;

/// The lists to verify with: the files and URLs given first, then (unless offline) each
/// trusted authority's lists from the URLs in the trust file, as the app does. The store keeps
/// the newest of each; what could not be used is said on standard error.
fn load_lists(
    lang: Lang,
    a: &VerifyArgs,
    cfg: Option<&config::Loaded>,
    trust: &Path,
    anchors: &TrustAnchors,
) -> (ListStore, FolderParts) {
    let mut store = ListStore::new();
    let given_keys = cfg
        .map(|c| c.key_lists.clone())
        .unwrap_or_default()
        .into_iter()
        .chain(a.key_lists.clone());
    let given_revocations = cfg
        .map(|c| c.revocation_lists.clone())
        .unwrap_or_default()
        .into_iter()
        .chain(a.revocation_lists.clone());
    let given_status = cfg
        .map(|c| c.status_lists.clone())
        .unwrap_or_default()
        .into_iter()
        .chain(a.status_lists.clone());
    let mut parts = FolderParts::new();
    let in_folder: Vec<(ListKind, String)> = a
        .lists
        .as_deref()
        .map(folder_files)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(kind, path, part)| match part {
            Some(which) => {
                parts.insert(which, path);
                None
            }
            None => Some((kind, path)),
        })
        .collect();
    let given = given_keys
        .map(|s| (ListKind::Keys, s))
        .chain(given_revocations.map(|s| (ListKind::Revocations, s)))
        .chain(given_status.map(|s| (ListKind::Status, s)))
        .chain(in_folder);
    for (kind, source) in given {
        let offered = load(&source, kind.max_bytes())
            .map_err(ListProblem::Fetch)
            .and_then(|bytes| store.offer(kind, anchors, &bytes).map_err(ListProblem::Refused));
        if let Err(problem) = offered {
            let args = [
                ("list", list_word(kind)),
                ("source", Arg::Text(source.clone())),
                ("why", Arg::Text(words::message(lang, &problem.message()))),
            ];
            eprintln!("labelcheck: {}", words::say(lang, Msg::ListNotUsed, &args));
        }
    }
    for r in refresh_plan(anchors, &trust.to_string_lossy()) {
        // Offline skips the network, not the list files a local trust file names.
        if a.offline && is_url(&r.url) {
            continue;
        }
        let fetched = load(&r.url, r.kind.max_bytes());
        if let Err(problem) = store.offer_fetched(&r, anchors, fetched) {
            say_not_updated(lang, r.kind, &r.authority, &r.url, &problem);
        }
    }
    (store, parts)
}

pub fn run(a: VerifyArgs, lang: Lang) -> Result<ExitCode> {
    // Everything the batch needs is checked before any label is: the report's file, and the
    // inputs (a missing file or an empty folder is said now, not after an hour of photos).
    let report_kind = a.report.as_deref().map(report::check).transpose()?;
    let given = batch::given(&a.inputs, &a.from)?;
    if given.is_empty() {
        return Err(fail(said("no-inputs")));
    }
    let inputs = batch::expand(&given)?;
    drop(given);
    let cfg = config::load(a.config.as_deref())?;
    let (trust_path, anchors) = trust(a.trust.as_deref(), cfg.as_ref())?;
    let now = match &a.at {
        Some(t) => Timestamp::parse(t).map_err(|_| fail(said("bad-date").text("flag", "--at").text("value", t)))?,
        None => files::now(),
    };
    let (mut store, mut folder_parts) = load_lists(lang, &a, cfg.as_ref(), &trust_path, &anchors);

    let sources = Sources {
        mirrors: cfg.as_ref().map(|c| c.mirrors.clone()).unwrap_or_default(),
        reports_dir: a.reports.clone(),
        offline: a.offline,
    };
    // Items by the serial they carry (authority, serial), for the clone check.
    let mut seen: std::collections::HashMap<(String, String), Vec<u32>> = std::collections::HashMap::new();
    // Partitions asked for already, so that a batch fetches each at most once.
    let mut tried = std::collections::HashSet::new();
    let photos = inputs.iter().filter(|i| matches!(i, batch::Input::Photo(_))).count();
    let progress = Progress::new(inputs.len() as u64);
    let mut audit = Audit::new(
        &format!("cli-{now}"),
        a.name.as_deref().unwrap_or("labelcheck verify"),
        now,
    );
    batch::read_all(inputs, |found| {
        progress.clear();
        let input = found.input.as_str();
        let source = if found.is_photo {
            Source::File(input.to_owned())
        } else {
            Source::Typed
        };
        // An input that yielded no label still gets a verdict and an item: it must be looked
        // at again.
        let checked: Vec<(Option<String>, Verdict)> = match found.texts {
            Ok(texts) if texts.is_empty() => vec![(None, Verdict::new(Reason::NoCodeFound))],
            Err(problem) => vec![(None, Verdict::new(Reason::ImageUnreadable(problem)))],
            Ok(texts) => texts
                .into_iter()
                .map(|t| {
                    let verify = |store: &ListStore| {
                        Verifier {
                            anchors: &anchors,
                            lists: store,
                            now,
                        }
                        .verify_with(&t, |url| sources.report(url))
                    };
                    let mut v = verify(&store);
                    // The label's status list partition, fetched when it is needed (its
                    // address names a million labels, not this one).
                    if let (Some(Reason::StatusListMissing { partition, .. }), Some(who)) =
                        (&v.decided_by, &v.authority)
                    {
                        if let Some(path) = folder_parts.remove(&(who.id.clone(), *partition)) {
                            let held = load(&path, ListKind::Status.max_bytes())
                                .map_err(ListProblem::Fetch)
                                .and_then(|b| store.offer_status_for(&anchors, &who.id, *partition, Ok(b)).map(drop));
                            match held {
                                Ok(()) => v = verify(&store),
                                Err(problem) => say_not_updated(lang, ListKind::Status, &who.id, &path, &problem),
                            }
                        }
                    }
                    if let (
                        Some(Reason::StatusListMissing {
                            partition,
                            url: Some(url),
                        }),
                        Some(who),
                    ) = (&v.decided_by, &v.authority)
                    {
                        if tried.insert(url.clone()) {
                            let fetched = sources.status(url);
                            match store.offer_status_for(&anchors, &who.id, *partition, fetched) {
                                Ok(_) => v = verify(&store),
                                Err(problem) => say_not_updated(lang, ListKind::Status, &who.id, url, &problem),
                            }
                        }
                    }
                    (Some(t), v)
                })
                .collect(),
        };
        for (text, v) in checked {
            let n = audit.add(now, source.clone(), text.as_deref().unwrap_or(""), &v);
            // The earlier items with this serial, kept as the batch goes: a clone check of
            // a long batch costs a lookup per label, not a pass over the batch.
            let key = audit
                .items
                .last()
                .and_then(|i| Some((i.authority.clone()?, i.serial.clone()?)));
            let earlier = match key {
                Some(key) if text.is_some() => {
                    let items = seen.entry(key).or_default();
                    let earlier = items.clone();
                    items.push(n);
                    earlier
                }
                _ => Vec::new(),
            };
            if a.json {
                let mut obj = output::verdict_json(lang, input, text.as_deref(), &v);
                obj["item"] = n.into();
                obj["clone_of"] = earlier.clone().into();
                stdout::line(obj)?;
            } else {
                stdout::print(output::verdict_text(lang, input, text.as_deref(), &v))?;
                if !earlier.is_empty() {
                    stdout::line(output::clone_line(lang, &audit, &earlier))?;
                }
            }
        }
        progress.step(input);
        Ok(())
    })?;
    progress.clear();

    if let (Some(path), Some(kind)) = (&a.report, report_kind) {
        report::write(path, kind, &audit, &|item| words::item_reason(lang, item))?;
    }
    if audit.items.len() > 1 || a.report.is_some() {
        let summary = output::summary_text(lang, &audit, photos, a.report.as_deref());
        if a.json {
            eprint!("{summary}");
        } else {
            stdout::print(summary)?;
        }
    }
    let all_genuine = audit.clones().is_empty()
        && audit
            .items
            .iter()
            .all(|i| matches!(i.verdict, VerdictKind::Genuine | VerdictKind::GenuineOffline));
    Ok(if all_genuine {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
