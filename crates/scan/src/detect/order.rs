//! Ranking by a key. One sorting routine for the detector's few orderings: each ordering
//! with its own comparison would add a copy of the sorting code to the web app's decoder.

/// Indices of `keys` from the smallest key to the largest (ties keep their order).
pub fn ranked(keys: &[f32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    order
}

/// The median of some values (the upper one of an even count); 0 for none.
pub fn median(values: &[f32]) -> f32 {
    ranked(values).get(values.len() / 2).map_or(0.0, |&i| values[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_and_medians() {
        assert_eq!(ranked(&[3.0, 1.0, 2.0, 1.0]), vec![1, 3, 2, 0]);
        assert_eq!(median(&[5.0, -1.0, 3.0]), 3.0);
        assert_eq!(median(&[]), 0.0);
    }
}
