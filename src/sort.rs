//! Stable sorting through one shared instance of the standard library's sort.
//!
//! Each `sort_by` call site monomorphizes the whole driftsort (quicksort, merges, small sorts: about
//! 10 KB of Wasm each). The sorts off the hot path go through here instead: they sort indexes with a
//! comparator behind `dyn`, so the sort itself is compiled once. Stability makes the result identical
//! to `sort_by` on the elements.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Stable sort of indexes by `cmp`.
pub(crate) fn indexes(order: &mut [usize], mut cmp: impl FnMut(usize, usize) -> Ordering) {
    sort_dyn(order, &mut cmp);
}

#[inline(never)]
fn sort_dyn(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Stable sort of `v` by `cmp`, the same order as `v.sort_by(cmp)`.
pub(crate) fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..v.len()).collect();
    indexes(&mut order, |a, b| cmp(&v[a], &v[b]));
    // order[i] is where position i's element comes from; follow each cycle once.
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

/// Sorts `v` ascending: a radix sort, a few hundred bytes of Wasm where a comparison sort
/// instance is several kilobytes. For the `offset << 32 | index` keys that order record reads.
pub(crate) fn u64s(v: &mut Vec<u64>) {
    let mut buffer = vec![0u64; v.len()];
    for shift in (0..64).step_by(8) {
        let mut counts = [0usize; 256];
        for &x in v.iter() {
            counts[(x >> shift) as usize & 0xff] += 1;
        }
        if counts.contains(&v.len()) {
            continue; // every key has the same byte here
        }
        let mut at = 0;
        for count in counts.iter_mut() {
            let n = *count;
            *count = at;
            at += n;
        }
        for &x in v.iter() {
            let digit = (x >> shift) as usize & 0xff;
            buffer[counts[digit]] = x;
            counts[digit] += 1;
        }
        std::mem::swap(v, &mut buffer);
    }
}

/// A map of the given pairs, the last value winning for a repeated key, as `BTreeMap::from` does;
/// inserting one by one avoids the stable sort `from`/`collect` instantiate per key type.
pub(crate) fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

#[cfg(test)]
mod tests {
    #[test]
    fn radix_sort_of_u64s_sorts() {
        let mut state = 11u64;
        for len in [0usize, 1, 2, 17, 256, 5000] {
            for spread in [1u64, 300, u64::MAX] {
                let mut v: Vec<u64> = (0..len)
                    .map(|_| {
                        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        ((state >> 3) % spread) | (state & (1 << 40))
                    })
                    .collect();
                let mut expected = v.clone();
                expected.sort();
                super::u64s(&mut v);
                assert_eq!(v, expected, "{len} keys below {spread}");
            }
        }
    }

    #[test]
    fn same_order_as_sort_by() {
        let mut state = 7u64;
        for len in 0..200 {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((state >> 60) as u8, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|a| a.0);
            let mut got = v;
            super::sort_by(&mut got, |a, b| a.0.cmp(&b.0));
            assert_eq!(got, expected);
        }
    }
}
