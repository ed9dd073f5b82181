//! A label's verdict as the page shows it, kept up to date: decided at once from the lists at
//! hand, then the report fetched while fresher lists arrive, and decided again whenever either
//! changes. What is shown is always the verdict of the text shown on the newest lists held.

use crate::lists::{accept_status, fetch_status, get_status, offer_saved_status, status_sources, Lists};
use crate::platform::{clock, net, perf};
use labelcheck_core::fetch_policy::FetchProblem;
use labelcheck_core::limits::MAX_REPORT_BYTES;
use labelcheck_core::verify::claimed_status;
use labelcheck_core::{Reason, Step, Verdict, Verifier};
use std::rc::Rc;
use yew::prelude::*;

/// Where the check of one text stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// Nothing can be said yet: the trust file or the lists it needs are still on their way.
    Checking,
    /// The label itself is the authority's, current and not revoked; its report is on its way.
    ReportPending(Rc<Verdict>),
    /// The verdict.
    Done(Rc<Verdict>),
}

/// Reasons that only say a list has not arrived yet: while lists are still being fetched,
/// such a verdict is not given, the check waits for them.
fn waits_for_lists(v: &Verdict) -> bool {
    matches!(
        v.decided_by,
        Some(
            Reason::NoKeyList { .. }
                | Reason::RevocationListMissing
                | Reason::KeyListTooOld { .. }
                | Reason::RevocationListTooOld { .. }
                | Reason::StatusListMissing { .. }
                | Reason::StatusListTooOld { .. }
                | Reason::UnknownProgramme { .. }
        )
    )
}

/// A status list partition to fetch: whose, which, the app's own copy or not, and where it is
/// published (`None`: not yet known, or asked already).
type StatusWanted = (String, u32, bool, Option<String>);

/// The partition the label of `text` will need, fetched as soon as its claim is read, in
/// parallel with the lists rather than after them: the app's own copy at once, the published
/// one once the key list says where it is and the revocation list says it exists (or a verdict
/// waits for it).
fn status_wanted(lists: &Lists, text: &str, v: Option<&Verdict>) -> Option<StatusWanted> {
    let (authority, status) = claimed_status(text)?;
    let anchors = lists.anchors.as_ref()?;
    if !anchors.anchors.iter().any(|a| a.authority == authority) {
        return None;
    }
    let p = status.partition;
    let revocations = lists.store.revocations(&authority);
    if revocations.is_some_and(|r| p >= r.list.partitions) {
        return None;
    }
    let missing = matches!(
        v.and_then(|v| v.decided_by.as_ref()),
        Some(Reason::StatusListMissing { .. })
    );
    let url = lists
        .store
        .key_list(&authority)
        .and_then(|k| k.list.status_url_for(p))
        .filter(|_| revocations.is_some() || missing)
        .filter(|_| !lists.status_asked.contains(&(authority.clone(), p, true)));
    let built_in = !lists.status_asked.contains(&(authority.clone(), p, false));
    (built_in || url.is_some()).then_some((authority, p, built_in, url))
}

/// A fetched report, for the text and URL it was fetched for.
#[derive(Clone, PartialEq)]
struct Fetched {
    text: String,
    url: String,
    result: Result<Vec<u8>, FetchProblem>,
}

/// The check of `text` against `lists`, from the label's own check (`step`) and the verdict
/// with its report (`finished`, once fetched): the state, the report to fetch, and the status
/// list partition to fetch.
fn check(
    lists: &Lists,
    text: &str,
    step: &Step,
    finished: Option<&Rc<Verdict>>,
) -> (Check, Option<String>, Option<StatusWanted>) {
    match step {
        Step::Done(v) => {
            let wanted = status_wanted(lists, text, Some(v));
            let missing = matches!(v.decided_by, Some(Reason::StatusListMissing { .. }));
            // A verdict that lacks a list (the partition included) waits while one is coming.
            if (missing && wanted.is_some()) || (waits_for_lists(v) && !lists.settled()) {
                (Check::Checking, None, wanted)
            } else {
                (Check::Done(Rc::new(v.clone())), None, wanted)
            }
        }
        Step::FetchReport(pending) => match finished {
            Some(v) => (Check::Done(v.clone()), None, None),
            None => (
                Check::ReportPending(Rc::new(pending.offline_verdict().clone())),
                Some(pending.url.clone()),
                status_wanted(lists, text, None),
            ),
        },
    }
}

/// The check of `text` (none: nothing to check) on `lists`, kept up to date. The report is
/// fetched once per text, in parallel with the lists; performance marks record when the first
/// answer and the verdict were shown (`labelcheck:first-answer`, `labelcheck:verdict`).
#[hook]
pub fn use_check(text: Option<String>, lists: &UseReducerHandle<Lists>) -> Check {
    let report = use_state(|| None::<Fetched>);
    let started = use_mut_ref(|| None::<(String, String)>);
    // The label is checked again only when the text or the lists held change, and the report
    // once it arrives: a render that a fetch's end or a list arriving again caused verifies
    // nothing twice.
    let held = (text.clone(), lists.trust_generation, lists.store.revision());
    let step = {
        let lists = lists.clone();
        use_memo(held.clone(), move |(text, ..)| {
            let (Some(text), Some(anchors)) = (text, lists.anchors.as_ref()) else {
                return None;
            };
            let verifier = Verifier {
                anchors,
                lists: &lists.store,
                now: clock::now(),
            };
            Some(verifier.check_label(text))
        })
    };
    let finished = {
        let (lists, step, text) = (lists.clone(), step.clone(), text.clone());
        let fetched = (*report).clone();
        use_memo((held, fetched), move |(_, fetched)| {
            let (Some(Step::FetchReport(pending)), Some(r), Some(anchors)) =
                ((*step).as_ref(), fetched.as_ref(), lists.anchors.as_ref())
            else {
                return None;
            };
            if Some(&r.text) != text.as_ref() || r.url != pending.url {
                return None;
            }
            let verifier = Verifier {
                anchors,
                lists: &lists.store,
                now: clock::now(),
            };
            Some(Rc::new(verifier.finish(pending.clone(), r.result.clone())))
        })
    };
    let (state, fetch, status) = match (&text, (*step).as_ref()) {
        (Some(t), Some(step)) => check(lists, t, step, (*finished).as_ref()),
        _ => (Check::Checking, None, None),
    };
    {
        let lists = lists.clone();
        use_effect_with(status, move |status| {
            if let Some((authority, partition, built_in, url)) = status.clone() {
                fetch_status(&lists, &authority, partition, built_in, url);
            }
        });
    }
    {
        let (report, started, text) = (report.clone(), started.clone(), text.clone());
        use_effect_with(fetch, move |fetch| {
            let (Some(url), Some(text)) = (fetch.clone(), text) else {
                return;
            };
            let key = (text.clone(), url.clone());
            if started.borrow().as_ref() == Some(&key) {
                return;
            }
            *started.borrow_mut() = Some(key);
            wasm_bindgen_futures::spawn_local(async move {
                let result = net::get(&url, MAX_REPORT_BYTES).await;
                report.set(Some(Fetched { text, url, result }));
            });
        });
    }
    {
        let marked = use_mut_ref(|| (None::<String>, false, false));
        let stage = match &state {
            Check::Checking => 0,
            Check::ReportPending(_) => 1,
            Check::Done(_) => 2,
        };
        use_effect_with((text.clone(), stage), move |(text, stage)| {
            let mut m = marked.borrow_mut();
            if m.0 != *text {
                *m = (text.clone(), false, false);
            }
            if *stage >= 1 && !m.1 {
                m.1 = true;
                perf::mark("labelcheck:first-answer");
            }
            if *stage == 2 && !m.2 {
                m.2 = true;
                perf::mark("labelcheck:verdict");
            }
        });
    }
    state
}

/// A one-off check with the lists held now, waiting for the report (and the label's status
/// list partition, if it is not held): for audits, where each label's verdict is recorded once.
pub async fn verify_now(lists: &Lists, text: &str) -> Option<Verdict> {
    let anchors = lists.anchors.as_ref()?;
    let mut store = lists.store.clone();
    let first = Verifier {
        anchors,
        lists: &store,
        now: clock::now(),
    }
    .check_label(text);
    if let Step::Done(v) = &first {
        if let (Some(Reason::StatusListMissing { partition, url }), Some(who)) = (&v.decided_by, &v.authority) {
            offer_saved_status(&mut store, anchors, &who.id, *partition);
            // Both copies, as the check on screen takes them: the newer one stays (and is saved).
            for (origin, from) in status_sources(&who.id, *partition, url.clone()) {
                let fetched = get_status(origin, &from).await;
                let _ = accept_status(&mut store, anchors, &who.id, *partition, fetched);
            }
        }
    }
    let verifier = Verifier {
        anchors,
        lists: &store,
        now: clock::now(),
    };
    Some(match verifier.check_label(text) {
        Step::Done(v) => v,
        Step::FetchReport(pending) => {
            let fetched = net::get(&pending.url, MAX_REPORT_BYTES).await;
            verifier.finish(pending, fetched)
        }
    })
}
