//! Cells as real exports write them: padded with blanks, TABs and full-width spaces, behind a
//! backtick (WeChat) or inside Excel's `="…"` wrapper. The readers' hot path borrows a plain cell
//! as it is; only decorated cells are trimmed or unescaped.

use super::csv::{unescape, FieldRange};
use std::borrow::Cow;

/// One cell of a record, trimmed and unescaped; borrowed in the common case.
#[inline]
pub(crate) fn cell<'t>(text: &'t str, field: &FieldRange) -> Cow<'t, str> {
    let (start, end) = (field.start as usize, field.end as usize);
    if !field.needs_unescape && start < end {
        // Fast path: a plain cell, nothing to trim (both ends ASCII, so both are char boundaries).
        let bytes = text.as_bytes();
        if let (Some(&first), Some(&last)) = (bytes.get(start), bytes.get(end - 1)) {
            if is_plain(first) && is_plain(last) {
                if let Some(value) = text.get(start..end) {
                    return Cow::Borrowed(value);
                }
            }
        }
    }
    decorated_cell(text, field)
}

/// [`cell`] for a cell to trim or unescape.
#[inline(never)]
fn decorated_cell<'t>(text: &'t str, field: &FieldRange) -> Cow<'t, str> {
    let raw = text.get(field.start as usize..field.end as usize).unwrap_or("");
    if field.needs_unescape {
        Cow::Owned(trim_cell(&unescape(raw)).to_string())
    } else {
        Cow::Borrowed(trim_cell(raw))
    }
}

/// Trims what real exports pad values with: blanks, TABs, full-width spaces, a leading backtick,
/// and Excel's `="…"` wrapper.
#[inline]
pub fn trim_cell(value: &str) -> &str {
    // Fast path: most cells start and end with a plain visible ASCII character.
    if let (Some(&first), Some(&last)) = (value.as_bytes().first(), value.as_bytes().last()) {
        if is_plain(first) && is_plain(last) {
            return value;
        }
    }
    trim_decorated_cell(value)
}

/// A byte that can start or end an untrimmed cell as it is: visible ASCII other than the
/// decorations [`trim_cell`] removes.
#[inline]
fn is_plain(b: u8) -> bool {
    b.is_ascii_graphic() && b != b'`' && b != b'=' && b != b'"'
}

#[inline(never)]
fn trim_decorated_cell(value: &str) -> &str {
    let blank = |c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}';
    let mut v = value.trim_matches(blank);
    if let Some(rest) = v.strip_prefix('`') {
        v = rest.trim_matches(blank);
    }
    if let Some(inner) = v.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        v = inner.trim_matches(blank);
    }
    v
}

/// Byte equality of two short texts by words: Wasm's `memcmp` goes a byte at a time.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut pairs = a.chunks_exact(8).zip(b.chunks_exact(8));
    if !pairs.all(|(x, y)| {
        u64::from_le_bytes(x.try_into().unwrap_or([0; 8])) == u64::from_le_bytes(y.try_into().unwrap_or([0; 8]))
    }) {
        return false;
    }
    let tail = a.len() - a.len() % 8;
    a[tail..].iter().zip(&b[tail..]).all(|(x, y)| x == y)
}
/// At most `max` characters of `s`, for messages.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_trimmed_of_what_exports_pad_them_with() {
        let table = [
            ("plain", "plain"),
            ("  padded\t", "padded"),
            ("\u{3000}全角\u{3000}", "全角"),
            ("`4200000844202101245866928772", "4200000844202101245866928772"),
            ("` 12.00 ", "12.00"),
            ("=\"000123\"", "000123"),
            ("\u{feff}order_no", "order_no"),
            ("", ""),
            ("\t", ""),
        ];
        for (raw, trimmed) in table {
            assert_eq!(trim_cell(raw), trimmed, "{raw:?}");
        }
    }

    #[test]
    fn a_cell_is_borrowed_when_plain_and_unescaped_when_quoted() {
        let text = "abc,\"say \"\"hi\"\"\", x ";
        let plain = FieldRange { start: 0, end: 3, needs_unescape: false };
        assert!(matches!(cell(text, &plain), Cow::Borrowed("abc")));
        let quoted = FieldRange { start: 4, end: 16, needs_unescape: true };
        assert_eq!(cell(text, &quoted), "say \"hi\"");
        let padded = FieldRange { start: 17, end: 20, needs_unescape: false };
        assert_eq!(cell(text, &padded), "x");
    }

    #[test]
    fn same_bytes_compares_by_words_and_tails() {
        for len in 0..20 {
            let a: Vec<u8> = (0..len as u8).collect();
            assert!(same_bytes(&a, &a.clone()));
            for flip in 0..len {
                let mut b = a.clone();
                b[flip] ^= 1;
                assert!(!same_bytes(&a, &b), "len {len} flip {flip}");
            }
        }
        assert!(!same_bytes(b"ab", b"abc"));
    }

    #[test]
    fn messages_truncate_long_values() {
        assert_eq!(truncate("短", 40), "短");
        assert_eq!(truncate(&"x".repeat(50), 40), format!("{}…", "x".repeat(40)));
    }
}
