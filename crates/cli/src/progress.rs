//! A progress line on standard error while a batch is checked, only when a person watches it
//! (standard error is a terminal) and there is more than one input.

use std::io::{IsTerminal, Write};

pub struct Progress {
    total: usize,
    done: usize,
    shown: bool,
}

const WIDTH: usize = 24;

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            shown: total > 1 && std::io::stderr().is_terminal(),
        }
    }

    /// One more input done; `name` is what is being worked on next, or was just finished.
    pub fn step(&mut self, name: &str) {
        self.done += 1;
        self.draw(name);
    }

    fn draw(&self, name: &str) {
        if !self.shown {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K{}", line(self.done, self.total, name));
        let _ = err.flush();
    }

    /// Takes the line away so that results printed to the same terminal stay readable.
    pub fn clear(&self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

/// `[ 3/40] ██····  7%  …end of the name`: a name's end is kept, where photo names differ.
fn line(done: usize, total: usize, name: &str) -> String {
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
