//! Content-derived ids (差错处理 needs every item to be found again): the same content gives the
//! same id in any row order, in a re-run, and after the item was carried into the next day.

use sha2::{Digest, Sha256};

/// SHA-256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `prefix:` and the first 16 hex digits (64 bits) of the SHA-256 of the parts joined by `\u{1f}`
/// (a separator no cell holds, so `a|b` + `c` and `a` + `b|c` differ). 64 bits keep a collision
/// among a day's few thousand open items below one in 10^11; items with identical content are
/// told apart by the caller with an ordinal suffix.
pub fn content_id(prefix: &str, parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            hasher.update([0x1f]);
        }
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    format!("{prefix}:{}", hex(&digest[..8]))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// Whether `id` is a content id (`prefix:` and 16 hex digits, maybe `#n`), not an id of an
/// earlier version such as `bank:{file}:{line}`.
pub fn is_content_id(id: &str) -> bool {
    let Some((_, rest)) = id.split_once(':') else { return false };
    let (hash, n) = rest.split_once('#').unwrap_or((rest, "2"));
    hash.len() == 16
        && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
}

/// Tells items of identical content apart: the first keeps its content id, the n-th (n ≥ 2) of
/// the same content gets `#n`, in the order they are numbered (a content order, so deterministic).
#[derive(Default)]
pub struct Numbering(rustc_hash::FxHashMap<String, u32>);

impl Numbering {
    /// The id of the next item whose content id is `base`.
    pub fn next(&mut self, base: String) -> String {
        let seen = self.0.entry(base.clone()).or_insert(0);
        *seen += 1;
        if *seen == 1 {
            base
        } else {
            format!("{base}#{seen}")
        }
    }
}

/// Amounts in ids are normalized: `10.00` in one file and `10.0` in another are the same money.
pub fn amount_part(amount: rust_decimal::Decimal) -> String {
    amount.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_the_standard_one() {
        // FIPS 180-2 test vector.
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn parts_are_separated() {
        assert_ne!(content_id("tx", &["a|b", "c"]), content_id("tx", &["a", "b|c"]));
        assert_ne!(content_id("tx", &["ab", "c"]), content_id("tx", &["a", "bc"]));
        assert_eq!(content_id("tx", &["a", "b"]), content_id("tx", &["a", "b"]));
        assert_eq!(content_id("tx", &["a"]).len(), "tx:".len() + 16);
    }

    #[test]
    fn content_ids_are_told_from_old_ones() {
        assert!(is_content_id(&content_id("bank", &["a"])));
        assert!(is_content_id(&format!("{}#3", content_id("payout", &["a"]))));
        for old in ["bank:statement.csv:12", "payout:p.csv:3", "bank:0123456789abcdef#", "bank:0123456789ABCDEF"] {
            assert!(!is_content_id(old), "{old}");
        }
    }

    #[test]
    fn identical_content_is_numbered_in_order() {
        let mut n = Numbering::default();
        let ids: Vec<String> = ["a", "b", "a", "a"].iter().map(|b| n.next(b.to_string())).collect();
        assert_eq!(ids, ["a", "b", "a#2", "a#3"]);
    }

    #[test]
    fn amounts_normalize() {
        use std::str::FromStr;
        let a = rust_decimal::Decimal::from_str("10.00").unwrap();
        let b = rust_decimal::Decimal::from_str("10.0").unwrap();
        assert_eq!(amount_part(a), amount_part(b));
    }
}
