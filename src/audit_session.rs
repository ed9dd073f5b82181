//! The open audit as the app holds it: the audit itself (saved after every change), the label
//! waiting for "same product or another?".

use labelcheck_core::audit::{Audit, Source};
use labelcheck_core::{Timestamp, Verdict};
use std::rc::Rc;
use yew::prelude::*;

/// A label read again that is already an item: the same product scanned twice, or a copy of
/// its label on another product. Only the auditor can tell.
#[derive(Clone, Debug, PartialEq)]
pub struct Repeat {
    pub text: String,
    pub source: Source,
    pub earlier: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub audit: Audit,
    pub repeat: Option<Repeat>,
    /// Changes whenever the audit does: what the save effect watches.
    pub revision: u64,
}

pub enum Action {
    Add {
        at: Timestamp,
        source: Source,
        text: String,
        verdict: Rc<Verdict>,
    },
    Repeat(Repeat),
    DismissRepeat,
    Note(u32, String),
    Expected(u32, String),
    Remove(u32),
}

impl Session {
    pub fn new(audit: Audit) -> Session {
        Session {
            audit,
            repeat: None,
            revision: 0,
        }
    }
}

impl Reducible for Session {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let changed = match action {
            Action::Add {
                at,
                source,
                text,
                verdict,
            } => {
                if next.repeat.as_ref().is_some_and(|r| r.text == text) {
                    next.repeat = None;
                }
                next.audit.add(at, source, &text, &verdict);
                true
            }
            Action::Repeat(r) => {
                next.repeat = Some(r);
                false
            }
            Action::DismissRepeat => {
                next.repeat = None;
                false
            }
            Action::Note(n, text) => next.audit.set_note(n, &text).is_ok(),
            Action::Expected(n, text) => next.audit.set_expected(n, &text).is_ok(),
            Action::Remove(n) => next.audit.remove(n).is_ok(),
        };
        if changed {
            next.revision += 1;
        }
        Rc::new(next)
    }
}
