//! `labelcheck verify`: labels from QR texts, links or photos, to verdicts.

use crate::args::VerifyArgs;
use crate::batch;
use crate::config;
use crate::error::{fail, said, Result};
use crate::fetch;
use crate::files;
use crate::output;
use crate::progress::Progress;
use crate::report;
use crate::stdout;
use labelcheck_core::audit::{Audit, Source};
use labelcheck_core::limits::{MAX_REPORT_BYTES, MAX_TRUST_FILE_BYTES};
use labelcheck_core::list_store::{refresh_plan, ListProblem};
use labelcheck_core::{
    Arg, FetchProblem, ListKind, ListStore, Reason, Timestamp, TrustAnchors, Verdict, VerdictKind, Verifier,
};
use labelcheck_words::{self as words, Lang, Msg};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Sources {
    mirrors: Vec<(String, PathBuf)>,
    reports_dir: Option<PathBuf>,
    offline: bool,
}

fn is_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// A list from a URL or a file, under the same limits.
fn load(source: &str, max: usize) -> std::result::Result<Vec<u8>, FetchProblem> {
    if is_url(source) {
        return fetch::get(source, max).map_err(|f| f.problem);
    }
    files::read_limited(Path::new(source), max).map_err(|_| {
        if Path::new(source).metadata().is_ok_and(|m| m.len() > max as u64) {
            FetchProblem::TooLarge
        } else {
            FetchProblem::Unreachable
        }
    })
}

impl Sources {
    fn report(&self, url: &str) -> std::result::Result<Vec<u8>, FetchProblem> {
        if self.offline {
            return Err(FetchProblem::NotAttempted);
        }
        let local = self
            .mirrors
            .iter()
            .find_map(|(prefix, dir)| url.strip_prefix(prefix.as_str()).map(|rest| dir.join(rest)))
            .or_else(|| {
                let name = url.rsplit('/').next().unwrap_or_default();
                self.reports_dir.as_ref().map(|d| d.join(name))
            });
        if let Some(path) = local {
            if path.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
                return Err(FetchProblem::Unreachable);
            }
            return load(&path.to_string_lossy(), MAX_REPORT_BYTES);
        }
        fetch::get(url, MAX_REPORT_BYTES).map_err(|f| {
            if let Some(detail) = &f.detail {
                eprintln!("labelcheck: {url}: {detail}");
            }
            f.problem
        })
    }
}

fn list_word(kind: ListKind) -> Arg {
    Arg::Word(format!("list.{}", kind.name()))
}

/// The lists to verify with: the files and URLs given first, then (unless offline) each
/// trusted authority's lists from the URLs in the trust file, as the app does. The store keeps
/// the newest of each; what could not be used is said on standard error.
fn load_lists(
    lang: Lang,
    a: &VerifyArgs,
    cfg: Option<&config::Loaded>,
    trust: &Path,
    anchors: &TrustAnchors,
) -> ListStore {
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
    let given = given_keys
        .map(|s| (ListKind::Keys, s))
        .chain(given_revocations.map(|s| (ListKind::Revocations, s)));
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
    if a.offline {
        return store;
    }
    for r in refresh_plan(anchors, &trust.to_string_lossy()) {
        let fetched = load(&r.url, r.kind.max_bytes());
        if let Err(problem) = store.offer_fetched(&r, anchors, fetched) {
            let args = [
                ("list", list_word(r.kind)),
                ("authority", Arg::Text(r.authority.clone())),
                ("source", Arg::Text(r.url.clone())),
                ("why", Arg::Text(words::message(lang, &problem.message()))),
            ];
            eprintln!("labelcheck: {}", words::say(lang, Msg::ListNotUpdated, &args));
        }
    }
    store
}

pub fn run(a: VerifyArgs, lang: Lang) -> Result<ExitCode> {
    let cfg = config::load(a.config.as_deref())?;
    let trust_path = a
        .trust
        .clone()
        .or_else(|| cfg.as_ref().map(|c| c.trust.clone()))
        .ok_or_else(|| fail(said("no-trust").text("config", config::FILE_NAME)))?;
    let trust_bytes = files::read_limited(&trust_path, MAX_TRUST_FILE_BYTES)?;
    let anchors = labelcheck_authority::trust::parse(&trust_path, &trust_bytes)?;
    let now = match &a.at {
        Some(t) => Timestamp::parse(t).map_err(|_| fail(said("bad-date").text("flag", "--at").text("value", t)))?,
        None => files::now(),
    };
    let store = load_lists(lang, &a, cfg.as_ref(), &trust_path, &anchors);

    let sources = Sources {
        mirrors: cfg.as_ref().map(|c| c.mirrors.clone()).unwrap_or_default(),
        reports_dir: a.reports.clone(),
        offline: a.offline,
    };
    let verifier = Verifier {
        anchors: &anchors,
        lists: &store,
        now,
    };
    let inputs = batch::expand(&a.inputs)?;
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
                    let v = verifier.verify_with(&t, |url| sources.report(url));
                    (Some(t), v)
                })
                .collect(),
        };
        for (text, v) in checked {
            let n = audit.add(now, source.clone(), text.as_deref().unwrap_or(""), &v);
            let earlier = if text.is_some() { audit.clones_of(n) } else { Vec::new() };
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

    if let Some(path) = &a.report {
        report::write(path, &audit, &|item| words::item_reason(lang, item))?;
    }
    let labels = audit.items.iter().filter(|i| !i.text.is_empty()).count();
    if labels + photos > 1 || a.report.is_some() {
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
