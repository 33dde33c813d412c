//! Bounded searches for sets of amounts that add up to a target: the many-to-one part of fund-flow
//! matching. Every search has a hard work budget, so adversarial amounts (hundreds of equal or
//! nearly equal values) cost at most the budget, never a combinatorial blow-up.

use rust_decimal::Decimal;

/// Nodes one subset search may visit before it gives up (a miss, never a wrong answer).
pub const SEARCH_BUDGET: u32 = 20_000;
/// Nodes all subset searches of one run may visit together: a year of data where nothing pairs
/// (a wrong settlement rule, say) costs this much, not one full budget per credit.
pub const RUN_BUDGET: u64 = 4_000_000;
/// Most candidates one search looks at; older or further ones are left out.
pub const MAX_CANDIDATES: usize = 20;

fn within(sum: Decimal, target: Decimal, tolerance: Decimal) -> bool {
    (sum - target).abs() <= tolerance
}

/// A run of adjacent candidates (2 to `max_len` long) adding up to `target`. Runs ending at the
/// last candidate are tried first, shortest first: for candidates in date order that prefers the
/// most recent consecutive days.
pub fn consecutive(values: &[Decimal], target: Decimal, tolerance: Decimal, max_len: usize) -> Option<Vec<usize>> {
    for end in (0..values.len()).rev() {
        let mut sum = values[end];
        for len in 2..=max_len.min(end + 1) {
            let start = end + 1 - len;
            sum += values[start];
            if within(sum, target, tolerance) {
                return Some((start..=end).collect());
            }
        }
    }
    None
}

/// A subset of 2 to `max_len` positive candidates adding up to `target`, fewest first, then in
/// lexicographic order of the candidates' positions (callers put the preferred ones first).
/// `None` when there is none or the budget ran out. `run_budget` is what the run has left; the
/// nodes visited are taken from it.
pub fn subset(
    values: &[Decimal],
    target: Decimal,
    tolerance: Decimal,
    max_len: usize,
    run_budget: &mut u64,
) -> Option<Vec<usize>> {
    let values = &values[..values.len().min(MAX_CANDIDATES)];
    let start = SEARCH_BUDGET.min(u32::try_from(*run_budget).unwrap_or(u32::MAX));
    let mut budget = start;
    let found = search(values, target, tolerance, max_len, &mut budget);
    *run_budget -= u64::from(start - budget);
    found
}

fn search(
    values: &[Decimal],
    target: Decimal,
    tolerance: Decimal,
    max_len: usize,
    budget: &mut u32,
) -> Option<Vec<usize>> {
    if *budget == 0 {
        return None;
    }
    let mut chosen = Vec::with_capacity(max_len);
    for k in 2..=max_len.min(values.len()) {
        if dfs(values, target, tolerance, k, 0, Decimal::ZERO, &mut chosen, budget) {
            return Some(chosen);
        }
        if *budget == 0 {
            return None;
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn dfs(
    values: &[Decimal],
    target: Decimal,
    tolerance: Decimal,
    k: usize,
    from: usize,
    sum: Decimal,
    chosen: &mut Vec<usize>,
    budget: &mut u32,
) -> bool {
    if chosen.len() == k {
        return within(sum, target, tolerance);
    }
    let need = k - chosen.len();
    for i in from..values.len() {
        if values.len() - i < need || *budget == 0 {
            return false;
        }
        *budget -= 1;
        let next = sum + values[i];
        // Every value is positive: once past the target, adding more only moves further away.
        if next > target + tolerance {
            continue;
        }
        chosen.push(i);
        if dfs(values, target, tolerance, k, i + 1, next, chosen, budget) {
            return true;
        }
        chosen.pop();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(values: &[i64]) -> Vec<Decimal> {
        values.iter().map(|&v| Decimal::new(v, 2)).collect()
    }

    #[test]
    fn finds_runs_and_subsets() {
        let v = cents(&[100, 200, 300, 400]);
        assert_eq!(consecutive(&v, Decimal::new(700, 2), Decimal::ZERO, 3), Some(vec![2, 3]));
        assert_eq!(consecutive(&v, Decimal::new(600, 2), Decimal::ZERO, 3), Some(vec![0, 1, 2]));
        assert_eq!(consecutive(&v, Decimal::new(800, 2), Decimal::ZERO, 3), None);
        let run = &mut RUN_BUDGET.clone();
        assert_eq!(subset(&v, Decimal::new(800, 2), Decimal::ZERO, 3, run), Some(vec![0, 2, 3]));
        assert_eq!(subset(&v, Decimal::new(500, 2), Decimal::ZERO, 3, run), Some(vec![0, 3]));
        assert_eq!(subset(&v, Decimal::new(1100, 2), Decimal::ZERO, 3, run), None);
        assert_eq!(subset(&v, Decimal::new(501, 2), Decimal::new(1, 2), 3, run), Some(vec![0, 3]));
        assert!(*run < RUN_BUDGET);
        assert_eq!(subset(&v, Decimal::new(500, 2), Decimal::ZERO, 3, &mut 0), None, "no budget left");
    }

    #[test]
    fn adversarial_amounts_stay_within_the_budget() {
        // 20 equal values and an unreachable odd target: C(20, k) subsets, cut off by the budget.
        let v = cents(&[2; 20]);
        let run = &mut RUN_BUDGET.clone();
        assert_eq!(subset(&v, Decimal::new(1_000_001, 2), Decimal::ZERO, 31, run), None);
        assert_eq!(*run, RUN_BUDGET - u64::from(SEARCH_BUDGET), "one search spends at most its budget");
        let v: Vec<Decimal> = (0..200).map(|i| Decimal::new(1_000_000 + i, 2)).collect();
        assert_eq!(subset(&v, Decimal::new(1, 2), Decimal::ZERO, 10, run), None);
    }
}
