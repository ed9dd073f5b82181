//! `labelcheck print`: a batch's labels laid out for print and, with `--check`, proved to
//! scan and verify before they are written in place.

use crate::args::{Paper, PrintArgs};
use crate::error::{path, said, Result};
use crate::files;
use labelcheck_authority::artwork::Fonts;
use labelcheck_authority::pdf;
use labelcheck_authority::print::{self, Request};
use labelcheck_authority::Authority;
use labelcheck_core::{Arg, Message};
use labelcheck_words::{self as words, Lang};
use std::process::ExitCode;

fn range(lo: f32, hi: f32) -> String {
    if (hi - lo).abs() < 0.005 {
        format!("{lo:.2}")
    } else {
        format!("{lo:.2}–{hi:.2}")
    }
}

pub fn run(a: PrintArgs, lang: Lang) -> Result<ExitCode> {
    let authority = Authority::load(&a.authority, files::now())?;
    let fonts = Fonts::load(&a.font)?;
    let paper = match a.paper {
        Paper::A4 => pdf::Paper::A4,
        Paper::Letter => pdf::Paper::Letter,
    };
    let r = Request {
        manifest: &a.manifest,
        out: &a.out,
        single: a.single,
        paper,
        sheets_per_file: a.sheets_per_file,
        width: a.width,
        min_module: a.min_module,
        check: a.check,
        fonts: &fonts,
    };
    let p = print::print(&authority, &r)?;
    let say = |m: Message| eprintln!("labelcheck: {}", words::message(lang, &m));
    let sizes = said("print.sizes")
        .text("width", format!("{:.1}", a.width))
        .text("height", format!("{:.1}", p.sizes.height))
        .text("qr", range(p.sizes.qr.0, p.sizes.qr.1))
        .text("module", range(p.sizes.module.0, p.sizes.module.1))
        .text("min_module", a.min_module);
    let files: Vec<String> = p.files.iter().map(|f| f.display().to_string()).collect();
    let done = if a.single {
        said("print.single")
            .arg("n", Arg::Count(p.labels as u64))
            .arg("dir", path(&a.out))
    } else {
        said("print.sheets")
            .arg("n", Arg::Count(p.labels as u64))
            .text("pages", p.pages)
            .text(
                "paper",
                match a.paper {
                    Paper::A4 => "A4",
                    Paper::Letter => "Letter",
                },
            )
            .text("files", files.join(", "))
    };
    say(done.arg("sizes", Arg::Message(Box::new(sizes))));
    if a.check {
        let read: Vec<String> = p
            .read
            .iter()
            .map(|(dpi, n)| words::message(lang, &said("print.read-at").text("n", n).text("dpi", dpi)))
            .collect();
        say(said("print.check-passed").text("read", read.join(", ")));
    }
    Ok(ExitCode::SUCCESS)
}
