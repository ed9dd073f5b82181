//! `labelcheck verify`: labels from QR texts, links or photos, to verdicts.

use crate::args::VerifyArgs;
use crate::batch;
use crate::config;
use crate::error::{at, err, Result};
use crate::fetch;
use crate::files;
use crate::output;
use crate::progress::Progress;
use crate::report;
use crate::stdout;
use labelcheck_core::audit::Audit;
use labelcheck_core::limits::{MAX_KEY_LIST_BYTES, MAX_REPORT_BYTES, MAX_REVOCATION_LIST_BYTES, MAX_TRUST_FILE_BYTES};
use labelcheck_core::{FetchProblem, ListStore, Timestamp, TrustAnchors, VerdictKind, Verifier};
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

fn load_list(source: &str, max: usize) -> std::result::Result<Vec<u8>, String> {
    if is_url(source) {
        fetch::get(source, max).map_err(|e| e.to_string())
    } else {
        files::read_limited(Path::new(source), max).map_err(|e| e.to_string())
    }
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
                return Err(FetchProblem::Network("the report path leaves the report folder".into()));
            }
            return match files::read_limited(&path, MAX_REPORT_BYTES) {
                Ok(b) => Ok(b),
                Err(_) if path.metadata().is_ok_and(|m| m.len() > MAX_REPORT_BYTES as u64) => {
                    Err(FetchProblem::TooLarge)
                }
                Err(e) => Err(FetchProblem::Network(e.to_string())),
            };
        }
        fetch::get(url, MAX_REPORT_BYTES)
    }
}

pub fn run(a: VerifyArgs) -> Result<ExitCode> {
    let cfg = config::load(a.config.as_deref())?;
    let trust_path = a
        .trust
        .clone()
        .or_else(|| cfg.as_ref().map(|c| c.trust.clone()))
        .ok_or_else(|| {
            err(format!(
                "no trusted root keys: pass --trust FILE, or run where a {} is",
                config::FILE_NAME
            ))
        })?;
    let trust_bytes = files::read_limited(&trust_path, MAX_TRUST_FILE_BYTES)?;
    let anchors = TrustAnchors::parse(&trust_bytes).map_err(|e| at(&trust_path, "use the trust anchors in", e))?;
    let now = match &a.at {
        Some(t) => Timestamp::parse(t).map_err(|e| err(format!("--at: {e}")))?,
        None => files::now(),
    };

    let mut key_sources: Vec<String> = cfg.as_ref().map(|c| c.key_lists.clone()).unwrap_or_default();
    key_sources.extend(a.key_lists.iter().cloned());
    let mut rev_sources: Vec<String> = cfg.as_ref().map(|c| c.revocation_lists.clone()).unwrap_or_default();
    rev_sources.extend(a.revocation_lists.iter().cloned());

    let mut store = ListStore::new();
    for s in &key_sources {
        match load_list(s, MAX_KEY_LIST_BYTES)
            .and_then(|b| store.offer_key_list(&anchors, &b).map_err(|e| e.to_string()))
        {
            Ok(_) => {}
            Err(e) => eprintln!("labelcheck: key list {s} not used: {e}"),
        }
    }
    for s in &rev_sources {
        match load_list(s, MAX_REVOCATION_LIST_BYTES)
            .and_then(|b| store.offer_revocations(&anchors, &b).map_err(|e| e.to_string()))
        {
            Ok(_) => {}
            Err(e) => eprintln!("labelcheck: revocation list {s} not used: {e}"),
        }
    }
    if !a.offline {
        for anchor in &anchors.anchors {
            if store.key_list(&anchor.authority).is_none() {
                if let Err(e) = load_list(&anchor.key_list_url, MAX_KEY_LIST_BYTES)
                    .and_then(|b| store.offer_key_list(&anchors, &b).map_err(|e| e.to_string()))
                {
                    eprintln!(
                        "labelcheck: key list of {} not loaded from {}: {e}",
                        anchor.authority, anchor.key_list_url
                    );
                }
            }
            if store.revocations(&anchor.authority).is_none() {
                if let Err(e) = load_list(&anchor.revocations_url, MAX_REVOCATION_LIST_BYTES)
                    .and_then(|b| store.offer_revocations(&anchors, &b).map_err(|e| e.to_string()))
                {
                    eprintln!(
                        "labelcheck: revocation list of {} not loaded from {}: {e}",
                        anchor.authority, anchor.revocations_url
                    );
                }
            }
        }
    }

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
    let mut progress = Progress::new(inputs.len());
    let mut audit = Audit::new(
        &format!("cli-{now}"),
        a.name.as_deref().unwrap_or("labelcheck verify"),
        now,
    );
    batch::read_all(inputs, |found| {
        progress.clear();
        let input = found.input.as_str();
        let source = if found.is_photo { input } else { "text" };
        // An input that yielded no label still gets a line and an item: it must be looked at again.
        let mut problem = |code: &str, msg: &str| {
            audit.add_problem(now, source, code, msg);
            if a.json {
                stdout::line(output::problem_json(input, code, msg))
            } else {
                stdout::line(format_args!("{input}: CANNOT CHECK\n  - {msg}"))
            }
        };
        match found.texts {
            Ok(texts) if texts.is_empty() => problem("no-code-found", "No QR code was found in this image.")?,
            Err(e) => problem("image-unreadable", &e.to_string())?,
            Ok(texts) => {
                for t in texts {
                    let v = verifier.verify_with(&t, |url| sources.report(url));
                    let n = audit.add(now, source, &t, &v);
                    let earlier = audit.clones_of(n);
                    if a.json {
                        let mut obj = output::verdict_json(input, Some(&t), &v);
                        obj["item"] = n.into();
                        obj["clone_of"] = earlier.clone().into();
                        stdout::line(obj)?;
                    } else {
                        stdout::print(output::verdict_text(input, Some(&t), &v))?;
                        if !earlier.is_empty() {
                            stdout::line(output::clone_line(&audit, &earlier))?;
                        }
                    }
                }
            }
        }
        progress.step(input);
        Ok(())
    })?;
    progress.clear();

    if let Some(path) = &a.report {
        report::write(path, &audit)?;
    }
    let labels = audit.items.iter().filter(|i| !i.text.is_empty()).count();
    if labels + photos > 1 || a.report.is_some() {
        let summary = output::summary_text(&audit, photos, a.report.as_deref());
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
