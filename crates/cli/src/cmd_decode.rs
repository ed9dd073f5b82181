//! `labelcheck decode`: the app's QR decoder on image files, for benchmarks and debugging.
//! `ms` is the decode time alone (the image file is loaded first).

use crate::args::DecodeArgs;
use crate::error::Result;
use crate::images;
use labelcheck_core::Reason;
use labelcheck_words::Lang;
use std::process::ExitCode;

pub fn run(a: DecodeArgs, lang: Lang) -> Result<ExitCode> {
    let mut all_ok = true;
    for path in &a.images {
        let result = images::load_luma(path).and_then(|luma| {
            let started = std::time::Instant::now();
            let texts = images::scan(&luma)?;
            Ok((texts, started.elapsed().as_secs_f64() * 1000.0))
        });
        let obj = match result {
            Ok((texts, ms)) => serde_json::json!({ "image": path, "texts": texts, "ms": (ms * 100.0).round() / 100.0 }),
            Err(problem) => {
                all_ok = false;
                let why = labelcheck_words::reason(lang, &Reason::ImageUnreadable(problem));
                serde_json::json!({ "image": path, "texts": [], "error": format!("{}: {why}", path.display()) })
            }
        };
        crate::stdout::line(format_args!("{obj}"))?;
    }
    Ok(if all_ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
