//! Timestamps as written in Chinese exports, parsed by hand (no format strings in the hot loop).
//!
//! Times are China Standard Time without a zone marker; they are kept as naive local seconds since
//! 1970-01-01 00:00:00 and never converted. Accepted: `2024-01-01 12:34:56`, `2024/1/1 9:05`,
//! `2024-01-01T12:34:56.123`, `20240101123456`, `20240101 123456`, `2024-01-01` (midnight).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Parses a timestamp; `None` when the text is not one.
pub fn parse_datetime(text: &str) -> Option<i64> {
    if let Some(seconds) = parse_iso_fast(text.as_bytes()) {
        return Some(seconds);
    }
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
    let digits_of = |from: usize, count: usize| bytes.get(from..from + count).and_then(digits);
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

/// The common layout `YYYY-MM-DD HH:MM:SS` (or with `/` or `T`), without chrono in the hot loop.
#[inline]
fn parse_iso_fast(b: &[u8]) -> Option<i64> {
    Some(iso_midnight(b)? + iso_time_of_day(b)?)
}

/// The date part of `YYYY-MM-DD HH:MM:SS` (or with `/`, or `T`), as seconds at its midnight.
fn iso_midnight(b: &[u8]) -> Option<i64> {
    if b.len() != 19 || !matches!(b[4], b'-' | b'/') || b[7] != b[4] {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])? as i64, digits(&b[5..7])?, digits(&b[8..10])?);
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    Some(days_from_civil(y, mo, d) * DAY)
}

/// The time part of `YYYY-MM-DD HH:MM:SS`, as seconds since midnight.
fn iso_time_of_day(b: &[u8]) -> Option<i64> {
    if b.len() != 19 || !matches!(b[10], b' ' | b'T') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, s) = (digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?);
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(i64::from(h * 3600 + mi * 60 + s))
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

/// [`parse_datetime`] for the rows of one file, remembering the last date it parsed: rows of a
/// day share their date, so the calendar arithmetic runs once a day instead of once a row.
#[derive(Debug, Default)]
pub struct DateTimeParser {
    /// The first ten bytes of the last `YYYY-MM-DD HH:MM:SS` parsed (as two words), and its midnight.
    last_date: Option<(u64, u16, i64)>,
}

impl DateTimeParser {
    /// Same result as [`parse_datetime`].
    #[inline]
    pub fn parse(&mut self, text: &str) -> Option<i64> {
        let b = text.as_bytes();
        if b.len() == 19 {
            let head = u64::from_le_bytes(b[0..8].try_into().unwrap_or([0; 8]));
            let tail = u16::from_le_bytes([b[8], b[9]]);
            let midnight = match self.last_date {
                Some((h, t, midnight)) if h == head && t == tail => Some(midnight),
                _ => iso_midnight(b),
            };
            if let Some(midnight) = midnight {
                self.last_date = Some((head, tail, midnight));
                if let Some(seconds) = iso_time_of_day(b) {
                    return Some(midnight + seconds);
                }
            }
        }
        parse_datetime(text)
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// One field of a chrono format string: a number of at most this many digits, `%Y`, or literal text.
#[derive(Clone, Copy)]
pub enum Part {
    /// `%m`, `%d`, `%H`, `%M`, `%S`: up to two digits.
    Two,
    /// `%Y`: up to four digits, or a sign and any number of digits.
    Year,
    /// Literal text.
    Lit(&'static str),
}

/// The numbers chrono's `parse_from_str` reads for a format of [`Part`]s, in order, or `None` where
/// it fails. Done by hand because chrono's format-string parser costs Wasm size; it follows chrono
/// exactly: leading whitespace before each number is skipped, nothing may remain.
fn fields(mut s: &str, format: &[Part]) -> Option<[i64; 3]> {
    let mut out = [0; 3];
    let mut n = 0;
    for part in format {
        let value = match *part {
            Part::Lit(text) => {
                s = s.strip_prefix(text)?;
                continue;
            }
            Part::Two => number(s.trim_start(), 2, &mut s)?,
            Part::Year => {
                let t = s.trim_start();
                if let Some(digits) = t.strip_prefix('-') {
                    0i64.checked_sub(number(digits, usize::MAX, &mut s)?)?
                } else if let Some(digits) = t.strip_prefix('+') {
                    number(digits, usize::MAX, &mut s)?
                } else {
                    number(t, 4, &mut s)?
                }
            }
        };
        *out.get_mut(n)? = value;
        n += 1;
    }
    s.is_empty().then_some(out)
}

/// At least one and at most `max` ASCII digits; `rest` is left after them.
fn number<'a>(s: &'a str, max: usize, rest: &mut &'a str) -> Option<i64> {
    let len = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if len == 0 {
        return None;
    }
    let mut value: i64 = 0;
    for b in s[..len].bytes() {
        value = value.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    *rest = &s[len..];
    Some(value)
}

/// `NaiveDate::parse_from_str` for a format of `%Y`, `%m`, `%d` and literals, in that order.
pub fn parse_date_as(s: &str, format: &[Part]) -> Option<NaiveDate> {
    let [y, m, d] = fields(s, format)?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m as u32, d as u32)
}

/// `NaiveTime::parse_from_str` for a format of `%H`, `%M`, optionally `%S`, and literals, in that
/// order (seconds default to 0; a second of 60 is a leap second, as in chrono).
pub fn parse_time_as(s: &str, format: &[Part]) -> Option<NaiveTime> {
    let [h, m, sec] = fields(s, format)?;
    if !(0..=23).contains(&h) || !(0..=59).contains(&m) || !(0..=60).contains(&sec) {
        return None;
    }
    let (sec, nano) = if sec == 60 { (59, 1_000_000_000) } else { (sec, 0) };
    NaiveTime::from_hms_nano_opt(h as u32, m as u32, sec as u32, nano)
}

/// `HH:MM:SS`, as chrono's `%H:%M:%S` writes it (a leap second as `60`).
pub fn hms(t: NaiveTime) -> String {
    format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second() + t.nanosecond() / 1_000_000_000)
}

/// Parses a reconciliation date: `YYYY-MM-DD` or `YYYYMMDD`.
pub fn parse_date(text: &str) -> crate::error::Result<NaiveDate> {
    use crate::error::{Error, ErrorKind};
    use Part::{Lit, Two, Year};
    parse_date_as(text.trim(), &[Year, Lit("-"), Two, Lit("-"), Two])
        .or_else(|| parse_date_as(text.trim(), &[Year, Two, Two]))
        .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, format!("date {text:?} is not YYYY-MM-DD")))
}

/// Formats seconds from [`parse_datetime`] as `YYYY-MM-DD HH:MM:SS`.
pub fn format_datetime(seconds: i64) -> String {
    let Some(t) = DateTime::from_timestamp(seconds, 0) else { return String::new() };
    let date = t.date_naive();
    if !(0..=9999).contains(&date.year()) {
        return format!("{date} {}", hms(t.time()));
    }
    // Digit by digit: a report formats two times per exception, and `format!` is several times
    // slower. (chrono's format strings are not used at all: their machinery costs Wasm size.)
    let time_of_day = seconds.rem_euclid(DAY) as u32;
    let mut out = [0u8; 19];
    let mut put = |at: usize, value: u32, width: usize| {
        for i in 0..width {
            out[at + width - 1 - i] = b'0' + (value / 10u32.pow(i as u32) % 10) as u8;
        }
    };
    put(0, date.year() as u32, 4);
    put(5, date.month(), 2);
    put(8, date.day(), 2);
    put(11, time_of_day / 3600, 2);
    put(14, time_of_day / 60 % 60, 2);
    put(17, time_of_day % 60, 2);
    for (at, separator) in [(4, b'-'), (7, b'-'), (10, b' '), (13, b':'), (16, b':')] {
        out[at] = separator;
    }
    out.iter().map(|&b| char::from(b)).collect()
}

/// Deserializes a `YYYY-MM-DD` date with the crate's own parser: chrono's `FromStr` would link its
/// whole format-string parser into the Wasm module (about 19 KB) for the carry state's dates.
pub(crate) fn de_date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
    parse_date(&text).map_err(|_| serde::de::Error::custom(format!("{text:?} is not a date (YYYY-MM-DD)")))
}

/// [`de_date`] for an optional date (`null` or absent: none).
pub(crate) fn de_option_date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    struct Dated(NaiveDate);
    impl<'de> serde::Deserialize<'de> for Dated {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            de_date(deserializer).map(Dated)
        }
    }
    Ok(<Option<Dated> as serde::Deserialize>::deserialize(deserializer)?.map(|d| d.0))
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
    use chrono::Datelike;

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
    fn hand_parsers_accept_what_chrono_parse_from_str_accepts() {
        use Part::{Lit, Two, Year};
        let dates: [(&str, &[Part]); 2] =
            [("%Y-%m-%d", &[Year, Lit("-"), Two, Lit("-"), Two]), ("%Y%m%d", &[Year, Two, Two])];
        let times: [(&str, &[Part]); 3] = [
            ("%H:%M", &[Two, Lit(":"), Two]),
            ("%H:%M:%S", &[Two, Lit(":"), Two, Lit(":"), Two]),
            ("%H%M%S", &[Two, Two, Two]),
        ];
        const PICKS: &[&str] =
            &["0", "1", "2", "3", "5", "9", "-", ":", " ", "+", "\u{3000}", "a", "12", "20240315", "60", "24"];
        let mut state = 1u64;
        let mut text = String::new();
        for round in 0..400_000 {
            text.clear();
            for _ in 0..round % 9 {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(PICKS[(state >> 59) as usize % PICKS.len()]);
            }
            for (format, parts) in dates {
                assert_eq!(
                    parse_date_as(&text, parts),
                    NaiveDate::parse_from_str(&text, format).ok(),
                    "{text:?} {format}"
                );
            }
            for (format, parts) in times {
                assert_eq!(
                    parse_time_as(&text, parts),
                    NaiveTime::parse_from_str(&text, format).ok(),
                    "{text:?} {format}"
                );
            }
        }
        for text in
            ["2024-03-15", " 2024- 3-5", "+12024-01-01", "-0001-12-31", "2023-02-29", "2024-02-29", "23:59:60", "9:5"]
        {
            for (format, parts) in dates {
                assert_eq!(
                    parse_date_as(text, parts),
                    NaiveDate::parse_from_str(text, format).ok(),
                    "{text:?} {format}"
                );
            }
            for (format, parts) in times {
                assert_eq!(
                    parse_time_as(text, parts),
                    NaiveTime::parse_from_str(text, format).ok(),
                    "{text:?} {format}"
                );
            }
        }
    }

    #[test]
    fn hms_writes_what_chrono_format_writes() {
        for (h, m, s, nano) in [(0, 0, 0, 0), (9, 5, 7, 0), (23, 59, 59, 999_999_999), (23, 59, 59, 1_500_000_000)] {
            let t = NaiveTime::from_hms_nano_opt(h, m, s, nano).expect("time");
            assert_eq!(hms(t), t.format("%H:%M:%S").to_string());
        }
        for date in [
            NaiveDate::from_ymd_opt(-5, 1, 2),
            NaiveDate::from_ymd_opt(987, 11, 30),
            NaiveDate::from_ymd_opt(12345, 6, 7),
        ] {
            let date = date.expect("date");
            assert_eq!(date.to_string(), date.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn fast_path_agrees_with_chrono_on_every_day_of_several_years() {
        let mut date = NaiveDate::from_ymd_opt(1999, 1, 1).expect("date");
        while date.year_ce().1 < 2031 {
            let text = format!("{} 23:59:58", date.format("%Y-%m-%d"));
            let expected = date.and_hms_opt(23, 59, 58).expect("time").and_utc().timestamp();
            assert_eq!(parse_iso_fast(text.as_bytes()), Some(expected), "{text}");
            date = date.succ_opt().expect("next day");
        }
        assert_eq!(parse_iso_fast(b"2023-02-29 00:00:00"), None);
        assert_eq!(parse_iso_fast(b"2024-02-29 00:00:00"), parse_datetime("20240229"));
    }

    #[test]
    fn rejected_text() {
        for text in ["", "abc", "2024-02-30 00:00:00", "2024-13-01", "25:00", "2024-01-01 24:00:00", "12345"] {
            assert_eq!(parse_datetime(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_date_remembering_parser_agrees_with_parse_datetime() {
        let texts = [
            "2024-03-15 09:05:07",
            "2024-03-15 23:59:59",
            "2024-03-15 24:00:00",
            "2024-03-15T00:00:00",
            "2024-03-15 9:05:07",
            "2024/03/15 09:05:07",
            "2024-03-16 00:00:01",
            "2024-02-30 10:00:00",
            "2024-02-29 10:00:00",
            "2023-02-29 10:00:00",
            "2024-03-15 09:05:07",
            "2024-03-15x09:05:07",
            "2024-03-15 09-05:07",
            "20240315090507",
            "",
        ];
        // Forward, backward and strided: the remembered date must never leak into another text.
        let n = texts.len();
        let orders: [Vec<usize>; 3] =
            [(0..n).collect(), (0..n).rev().collect(), (0..3 * n).map(|i| (i * 7) % n).collect()];
        for order in orders {
            let mut parser = DateTimeParser::default();
            for i in order {
                assert_eq!(parser.parse(texts[i]), parse_datetime(texts[i]), "{:?}", texts[i]);
            }
        }
    }

    #[test]
    fn formatting_by_hand_matches_chrono() {
        for seconds in [
            0,
            59,
            86_399,
            1_710_460_800,
            1_710_547_199,
            951_782_400,
            -1,
            -86_401,
            253_402_300_799,
            253_402_300_800,
            -62_167_219_200,
            -62_167_219_201,
        ] {
            let chrono =
                DateTime::from_timestamp(seconds, 0).map(|t| t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string());
            assert_eq!(format_datetime(seconds), chrono.unwrap_or_default(), "{seconds}");
        }
    }
}
