//! `labelcheck qr TEXT`: a QR code drawn with block characters, two modules per line.
//! Light modules are drawn and dark ones left blank, so it scans on a dark terminal.

use crate::args::QrArgs;
use crate::error::Result;
use labelcheck_authority::qr::{self, Qr};
use std::process::ExitCode;

const QUIET: isize = 2;

pub fn render(code: &Qr) -> String {
    let w = code.width as isize;
    let dark = |x: isize, y: isize| x >= 0 && y >= 0 && code.is_dark(x as usize, y as usize);
    let mut out = String::new();
    let mut y = -QUIET;
    while y < w + QUIET {
        for x in -QUIET..w + QUIET {
            out.push(match (dark(x, y), dark(x, y + 1)) {
                (false, false) => '█',
                (true, true) => ' ',
                (true, false) => '▄',
                (false, true) => '▀',
            });
        }
        out.push('\n');
        y += 2;
    }
    out
}

pub fn run(a: QrArgs) -> Result<ExitCode> {
    crate::stdout::print(format_args!("{}", render(&qr::encode(&a.text)?)))?;
    Ok(ExitCode::SUCCESS)
}
