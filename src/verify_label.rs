//! One verification: the core checks the claim, the platform fetches the report if needed.

use crate::lists::Lists;
use crate::platform::{clock, net};
use labelcheck_core::limits::MAX_REPORT_BYTES;
use labelcheck_core::{Step, Verdict, Verifier};

pub async fn verify(lists: &Lists, text: &str) -> Verdict {
    let verifier = Verifier {
        anchors: &lists.anchors,
        lists: &lists.store,
        now: clock::now(),
    };
    match verifier.check_label(text) {
        Step::Done(v) => v,
        Step::FetchReport(pending) => {
            let fetched = net::get(&pending.url, MAX_REPORT_BYTES).await;
            verifier.finish(pending, fetched)
        }
    }
}
