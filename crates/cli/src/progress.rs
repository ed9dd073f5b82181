//! A progress line on standard error while a batch is checked or issued, only when a person
//! watches it (standard error is a terminal) and there is more than one item.

use std::cell::Cell;
use std::io::{IsTerminal, Write};

pub struct Progress {
    total: Cell<u64>,
    done: Cell<u64>,
    terminal: bool,
}

const WIDTH: u64 = 24;

impl Progress {
    pub fn new(total: u64) -> Progress {
        Progress {
            total: Cell::new(total),
            done: Cell::new(0),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn shown(&self) -> bool {
        self.terminal && self.total.get() > 1
    }

    /// One more item done; `name` is what is being worked on next, or was just finished.
    pub fn step(&self, name: &str) {
        self.done.set(self.done.get() + 1);
        self.draw(name);
    }

    fn draw(&self, name: &str) {
        if !self.shown() {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K{}", line(self.done.get(), self.total.get(), name));
        let _ = err.flush();
    }

    /// Takes the line away so that results printed to the same terminal stay readable.
    pub fn clear(&self) {
        if self.shown() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

impl labelcheck_authority::batch::Progress for Progress {
    fn start(&self, total: u64) {
        self.total.set(total);
        self.draw("");
    }

    fn advance(&self, labels: u64) {
        self.done.set(self.done.get() + labels);
        self.draw("");
    }

    fn finish(&self) {
        self.clear();
    }
}

/// `[ 3/40] ██····  7%  …end of the name`: a name's end is kept, where photo names differ.
fn line(done: u64, total: u64, name: &str) -> String {
    let total = total.max(1);
    let filled = done.min(total) * WIDTH / total;
    let bar: String = (0..WIDTH).map(|i| if i < filled { '█' } else { '·' }).collect();
    let chars: Vec<char> = name.chars().filter(|c| !c.is_control()).collect();
    let name: String = chars[chars.len().saturating_sub(40)..].iter().collect();
    let width = total.to_string().len();
    format!(
        "[{done:>width$}/{total}] {bar} {:>3}%  {name}",
        done.min(total) * 100 / total
    )
}

#[cfg(test)]
mod tests {
    use super::line;

    #[test]
    fn the_line_shows_count_bar_percent_and_the_end_of_the_name() {
        assert_eq!(
            line(3, 12, "shelf/a.png"),
            "[ 3/12] ██████··················  25%  shelf/a.png"
        );
        let long = format!("{}/IMG_0042.jpg", "x".repeat(100));
        assert!(line(12, 12, &long).ends_with(&format!("100%  {}/IMG_0042.jpg", "x".repeat(27))));
        // A file name cannot move the cursor or clear the screen.
        assert!(!line(1, 2, "a\x1b[2Jb\r").contains('\x1b'));
    }
}
