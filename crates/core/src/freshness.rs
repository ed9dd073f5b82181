//! How long a verifier keeps relying on a signed list after it expires, and how far a device
//! clock may be wrong before dates count against a label.
//!
//! Lists expire so that a counterfeiter who blocks updates (a freeze attack) cannot keep a
//! revoked label or a withdrawn key looking good forever. Phones are often offline for a few
//! days, so an expired list is still used, with a warning, for a grace period; past it the
//! verifier says it could not confirm the status instead of vouching for the label.

use crate::time::Timestamp;

/// How long an expired key list or revocation list is still relied on, with a warning.
pub const LIST_GRACE_SECS: i64 = 7 * 86_400;

/// A device clock may be this far behind before a label's start date counts against it, or a
/// list's issue time shows the clock to be wrong. A clock that is ahead makes lists look
/// expired early: the grace period absorbs that.
pub const CLOCK_SKEW_SECS: i64 = 86_400;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    Current,
    /// Expired, but within the grace period.
    Stale,
    /// Expired more than the grace period ago: not relied on.
    TooOld,
}

pub fn freshness(expires: Timestamp, now: Timestamp) -> Freshness {
    if now < expires {
        Freshness::Current
    } else if now <= expires.add_secs(LIST_GRACE_SECS) {
        Freshness::Stale
    } else {
        Freshness::TooOld
    }
}

/// Whether `now` is so far before a time the authority signed that the device clock is wrong.
pub fn clock_behind(signed_at: Timestamp, now: Timestamp) -> bool {
    now.add_secs(CLOCK_SKEW_SECS) < signed_at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_period_edges() {
        let exp = Timestamp(1_000_000);
        assert_eq!(freshness(exp, Timestamp(999_999)), Freshness::Current);
        assert_eq!(freshness(exp, exp), Freshness::Stale);
        // "More than 7 days ago" (FORMAT.md §8 step 11a): exactly 7 days is still within it.
        assert_eq!(freshness(exp, exp.add_secs(LIST_GRACE_SECS)), Freshness::Stale);
        assert_eq!(freshness(exp, exp.add_secs(LIST_GRACE_SECS + 1)), Freshness::TooOld);
    }

    #[test]
    fn clock_skew_edges() {
        let signed = Timestamp(1_000_000);
        assert!(!clock_behind(signed, signed.add_secs(-CLOCK_SKEW_SECS)));
        assert!(clock_behind(signed, signed.add_secs(-CLOCK_SKEW_SECS - 1)));
        assert!(!clock_behind(signed, signed.add_secs(5)));
    }
}
