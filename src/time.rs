//! Timestamps as written in Chinese exports, parsed by hand (no format strings in the hot loop).
//!
//! Times are China Standard Time without a zone marker; they are kept as naive local seconds since
//! 1970-01-01 00:00:00 and never converted. Accepted: `2024-01-01 12:34:56`, `2024/1/1 9:05`,
//! `2024-01-01T12:34:56.123`, `20240101123456`, `20240101 123456`, `2024-01-01` (midnight).

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Parses a timestamp; `None` when the text is not one.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let bytes = text.trim_matches(|c: char| c.is_whitespace() || c == '`').as_bytes();
    if bytes.is_empty() {
        return None;
    }
    // Digit groups, e.g. [2024, 01, 01, 12, 34, 56]; at most 7 (fraction last).
    let mut groups: [(u32, u8); 8] = [(0, 0); 8];
    let mut n = 0;
    let mut in_digits = false;
    for &b in bytes {
        if b.is_ascii_digit() {
            if !in_digits {
                if n == groups.len() {
                    return None;
                }
                n += 1;
                in_digits = true;
            }
            let g = &mut groups[n - 1];
            if g.1 >= 9 && n > 1 {
                return None;
            }
            if g.1 < 14 {
                g.0 = g.0.wrapping_mul(10).wrapping_add(u32::from(b - b'0'));
            }
            g.1 += 1;
        } else {
            if !matches!(b, b'-' | b'/' | b':' | b' ' | b'T' | b'.' | b'\t') {
                return None;
            }
            in_digits = false;
        }
    }
    let digits_of = |from: usize, count: usize| -> Option<u32> {
        let s = bytes.get(from..from + count)?;
        s.iter().try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
    };
    let (y, mo, d, h, mi, s) = match (n, groups[0].1) {
        (_, 14) => (
            digits_of(0, 4)?,
            digits_of(4, 2)?,
            digits_of(6, 2)?,
            digits_of(8, 2)?,
            digits_of(10, 2)?,
            digits_of(12, 2)?,
        ),
        (1, 8) => (digits_of(0, 4)?, digits_of(4, 2)?, digits_of(6, 2)?, 0, 0, 0),
        (2, 8) if groups[1].1 == 6 => {
            let t = groups[1].0;
            (digits_of(0, 4)?, digits_of(4, 2)?, digits_of(6, 2)?, t / 10_000, t / 100 % 100, t % 100)
        }
        (3 | 5..=7, 4) => {
            let g = |i: usize| if i < n { groups[i].0 } else { 0 };
            (groups[0].0, g(1), g(2), g(3), g(4), g(5))
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(y as i32, mo, d)?;
    let time = date.and_hms_opt(h, mi, s)?;
    Some(time.and_utc().timestamp())
}

/// Formats seconds from [`parse_datetime`] as `YYYY-MM-DD HH:MM:SS`.
pub fn format_datetime(seconds: i64) -> String {
    match DateTime::from_timestamp(seconds, 0) {
        Some(t) => t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string(),
        None => String::new(),
    }
}

/// Seconds at midnight starting `date`.
pub fn midnight(date: NaiveDate) -> i64 {
    NaiveDateTime::from(date).and_utc().timestamp()
}

/// The calendar date of seconds from [`parse_datetime`].
pub fn date_of(seconds: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp(seconds, 0).map(|t| t.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_layouts() {
        let expected = parse_datetime("2024-03-15 09:05:07").expect("base");
        for text in [
            "2024-03-15 09:05:07",
            "2024/03/15 09:05:07",
            "2024/3/15 9:05:07",
            "2024-03-15T09:05:07",
            "2024-03-15 09:05:07.123",
            "20240315090507",
            "20240315 090507",
            "`2024-03-15 09:05:07",
            " 2024-03-15 09:05:07\t",
        ] {
            assert_eq!(parse_datetime(text), Some(expected), "{text:?}");
        }
        assert_eq!(parse_datetime("2024-03-15"), parse_datetime("2024-03-15 00:00:00"));
        assert_eq!(parse_datetime("20240315"), parse_datetime("2024-03-15 00:00:00"));
        assert_eq!(parse_datetime("2024-03-15 09:05"), parse_datetime("2024-03-15 09:05:00"));
        assert_eq!(format_datetime(expected), "2024-03-15 09:05:07");
    }

    #[test]
    fn rejected_text() {
        for text in ["", "abc", "2024-02-30 00:00:00", "2024-13-01", "25:00", "2024-01-01 24:00:00", "12345"] {
            assert_eq!(parse_datetime(text), None, "{text:?}");
        }
    }
}
