//! A report host's answer for the genuine demo label.

use labelcheck_core::jws::{Jws, TYP_REPORT};
use labelcheck_core::limits::MAX_REPORT_BYTES;
use labelcheck_core::{Report, Step, VerdictKind};
use labelcheck_testkit::vectors::world;

pub fn report(data: &[u8]) {
    let w = world();
    if let Ok(jws) = Jws::parse(data, MAX_REPORT_BYTES, TYP_REPORT) {
        let _ = Report::parse(&jws.payload);
    }
    let verifier = w.verifier();
    let Step::FetchReport(pending) = verifier.check_label(&w.genuine_qr) else {
        panic!("the genuine demo label needs its report");
    };
    let verdict = verifier.finish(pending, Ok(data.to_vec()));
    if verdict.kind() == VerdictKind::Genuine {
        // Only the report the label was issued with: the same signed payload, so the same
        // document shown, whatever else differs in the file (JSON whitespace, member order).
        let shown = verdict.report.expect("a genuine verdict shows the report");
        let issued = Jws::parse(&w.genuine_report, MAX_REPORT_BYTES, TYP_REPORT).unwrap();
        let got = Jws::parse(data, MAX_REPORT_BYTES, TYP_REPORT).unwrap();
        assert_eq!(got.payload, issued.payload, "another payload was accepted");
        assert_eq!(shown, Report::parse(&issued.payload).unwrap());
    } else {
        assert!(verdict.report.is_none(), "a report is only shown once verified");
    }
}
