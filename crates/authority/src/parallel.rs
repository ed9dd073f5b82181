//! Work on every core with the results in input order: signing a batch, laying out labels,
//! rendering and checking printed pages.

use crate::error::{Error, Result};

/// `f` over `items`, one contiguous run of about equal length per core; the results in the
/// items' order. For work whose items cost about the same.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Result<Vec<R>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = items.len().div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|s| {
        let runs: Vec<_> = items
            .chunks(per)
            .map(|run| s.spawn(move || run.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for r in runs {
            out.extend(r.join().map_err(|_| Error::WorkerFailed)?);
        }
        Ok(out)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    #[test]
    fn results_come_in_input_order() {
        let items: Vec<u32> = (0..1001).collect();
        assert_eq!(
            super::map(&items, |i| i * 2).unwrap(),
            items.iter().map(|i| i * 2).collect::<Vec<_>>()
        );
        assert!(super::map(&[] as &[u32], |i| *i).unwrap().is_empty());
    }
}
