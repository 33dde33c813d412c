//! One report value → one spreadsheet cell. This is the only place a money string becomes a
//! number, and it happens at the last moment: the f64 is Excel's own number type, the value the
//! cell stores; nothing is computed with it.

use crate::SheetError;
use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet, XlsxError};
use serde_json::Value;

/// How a column's values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Always text, even when it looks like a number or a date: keys, order, merchant and account
    /// numbers (a 28-digit order number as a number would lose its last 13 digits).
    Text,
    /// A decimal string written as a number, with a format showing its scale (`0.00`, `0.00000`).
    Money,
    /// Numbers as numbers, booleans as booleans, `YYYY-MM-DD[ HH:MM:SS]` as dates, the rest text.
    Auto,
}

/// The most significant digits a number cell keeps: Excel shows and stores 15. A decimal string
/// with more is written as text, so no digit is lost.
const EXCEL_DIGITS: usize = 15;
/// The longest text a cell holds (Excel's limit); longer text is cut and ends in `…`.
const MAX_TEXT: usize = 32_767;
/// Decimal places given their own number format; beyond that a money string is kept as text.
pub(crate) const MAX_SCALE: usize = 10;

/// The formats every sheet shares, made once (rust_xlsxwriter deduplicates them into styles.xml).
pub(crate) struct Formats {
    pub header: Format,
    pub header_en: Format,
    pub title: Format,
    pub quoted: Format,
    pub date: Format,
    pub datetime: Format,
    /// `money[s]` shows `s` decimals (at least two: `0.00`).
    pub money: Vec<Format>,
}

impl Formats {
    pub fn new() -> Formats {
        let money = (0..=MAX_SCALE).map(|scale| Format::new().set_num_format(money_format(scale))).collect();
        Formats {
            header: Format::new().set_bold().set_background_color(0xDDEBF7),
            header_en: Format::new().set_italic().set_font_color(0x7F7F7F).set_background_color(0xF2F2F2),
            title: Format::new().set_bold().set_font_size(14),
            quoted: Format::new().set_quote_prefix(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            money,
        }
    }
}

/// The number format for an amount written with `scale` decimals: `0.00` up to the fen, then one
/// zero per decimal (`0.00000` for WeChat's five-decimal fees).
pub(crate) fn money_format(scale: usize) -> String {
    format!("0.{}", "0".repeat(scale.max(2)))
}

/// Writes `value` at (`row`, `col`) as `kind` says, and returns the width its text takes (for the
/// column width). `null` and absent values leave the cell empty.
pub(crate) fn write(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<&Value>,
    kind: Kind,
    formats: &Formats,
) -> Result<usize, XlsxError> {
    match value {
        None | Some(Value::Null) => Ok(0),
        Some(Value::String(text)) => write_str(sheet, row, col, text, kind, formats),
        Some(Value::Number(number)) if kind == Kind::Text => write_text(sheet, row, col, &number.to_string(), formats),
        Some(Value::Number(number)) => match number.as_f64() {
            // A JSON number (a count, a line): Excel's number type is where it is going.
            Some(value) => {
                sheet.write_number(row, col, value)?;
                Ok(number.to_string().len())
            }
            None => write_text(sheet, row, col, &number.to_string(), formats),
        },
        Some(Value::Bool(flag)) => {
            sheet.write_boolean(row, col, *flag)?;
            Ok(5)
        }
        // Arrays and objects have no cell of their own; their text keeps them visible.
        Some(other) => write_text(sheet, row, col, &other.to_string(), formats),
    }
}

/// Writes a string as `kind` says.
pub(crate) fn write_str(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    kind: Kind,
    formats: &Formats,
) -> Result<usize, XlsxError> {
    match kind {
        Kind::Money => match money_cell(text) {
            Some((value, scale)) => {
                sheet.write_number_with_format(row, col, value, &formats.money[scale])?;
                Ok(text.len())
            }
            None => write_text(sheet, row, col, text, formats),
        },
        Kind::Auto => match date_cell(text) {
            Some((date, has_time)) => {
                let format = if has_time { &formats.datetime } else { &formats.date };
                sheet.write_datetime_with_format(row, col, &date, format)?;
                Ok(text.len())
            }
            None => write_text(sheet, row, col, text, formats),
        },
        Kind::Text => write_text(sheet, row, col, text, formats),
    }
}

/// Text as text. Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@` and not a number)
/// gets Excel's quote prefix, so editing the cell never evaluates it; the text itself is unchanged.
pub(crate) fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    formats: &Formats,
) -> Result<usize, XlsxError> {
    if text.is_empty() {
        return Ok(0);
    }
    let text = clip(text);
    if looks_like_formula(&text) {
        sheet.write_string_with_format(row, col, text.as_ref(), &formats.quoted)?;
    } else {
        sheet.write_string(row, col, text.as_ref())?;
    }
    Ok(display_width(&text))
}

/// Whether a spreadsheet would read `text` as a formula rather than a value.
pub(crate) fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@']) && plain_decimal(text).is_none()
}

/// Cuts text longer than a cell can hold, at a character boundary, marking the cut with `…`.
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= MAX_TEXT {
        return text.into();
    }
    let mut cut: String = text.chars().take(MAX_TEXT - 1).collect();
    cut.push('…');
    cut.into()
}

/// A plain decimal (`-12.50`, `0.05940`, `1280`): its digits without sign and point, and its scale.
fn plain_decimal(text: &str) -> Option<(String, usize)> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || (unsigned.contains('.') && fraction.is_empty()) {
        return None;
    }
    Some((format!("{whole}{fraction}"), fraction.len()))
}

/// A money string as the number a cell stores and the scale its format shows, or `None` to keep it
/// as text: not a plain decimal (`1,234.50`, `-`), more decimals than formats are made for, or more
/// significant digits than Excel keeps. Rust's `parse::<f64>` rounds correctly, so a decimal of at
/// most 15 significant digits comes back digit for digit when Excel shows it to 15 digits.
pub(crate) fn money_cell(text: &str) -> Option<(f64, usize)> {
    let (digits, scale) = plain_decimal(text)?;
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    if scale > MAX_SCALE || significant > EXCEL_DIGITS {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    // "-0.00" is zero: a negative zero would show as "-0.00".
    Some((if value == 0.0 { 0.0 } else { value }, scale))
}

/// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` as an Excel date (and whether it has a time); any other
/// text, or an impossible date, stays text.
pub(crate) fn date_cell(text: &str) -> Option<(ExcelDateTime, bool)> {
    let b = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u16> {
        let part = text.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if !(b.len() == 10 || b.len() == 19) || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let date = ExcelDateTime::from_ymd(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?).ok()?;
    if b.len() == 10 {
        return Some((date, false));
    }
    if b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some((date.and_hms(hour, minute as u8, f64::from(second)).ok()?, true))
}

/// Columns never grow wider than this (in characters) however long their text.
pub(crate) const MAX_WIDTH: usize = 60;

/// How wide text shows, in Excel's column units: CJK and full-width characters take two.
pub(crate) fn display_width(text: &str) -> usize {
    text.chars().map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 }).sum()
}

/// A write error of the workbook library, as this crate's coded error.
pub(crate) fn write_failed(error: XlsxError) -> SheetError {
    SheetError { code: "write_failed", message: error.to_string() }
}

/// A statement's total-row checks in one cell: `合计 借方 5,012.50 = 5012.50 ✓; …`.
pub(crate) fn checks_text(checks: &[Value]) -> String {
    let text = |check: &Value, key: &str| match check.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let passed = |check: &Value| check.get("passed").and_then(Value::as_bool).unwrap_or(false);
    checks
        .iter()
        .map(|check| {
            let (mark, relation) = if passed(check) { ("✓", "=") } else { ("✗", "≠") };
            format!("{} {} {relation} {} {mark}", text(check, "name"), text(check, "expected"), text(check, "found"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_strings_become_numbers_with_their_scale_or_stay_text() {
        let table: [(&str, Option<(f64, usize)>); 12] = [
            ("-8.00", Some((-8.0, 2))),
            ("0.05940", Some((0.0594, 5))),
            ("2435.30", Some((2435.3, 2))),
            ("0", Some((0.0, 0))),
            ("-0.00", Some((0.0, 2))),
            ("1280", Some((1280.0, 0))),
            ("123456789012.345", Some((123456789012.345, 3))),
            ("1234567890123.456", None), // 16 significant digits: Excel would drop one
            ("1,234.50", None),
            ("-", None),
            ("12.", None),
            ("=1+1", None),
        ];
        for (text, expected) in table {
            assert_eq!(money_cell(text), expected, "{text}");
        }
        assert_eq!(
            (money_format(0), money_format(2), money_format(5)),
            ("0.00".into(), "0.00".into(), "0.00000".into())
        );
    }

    #[test]
    fn only_real_dates_become_dates() {
        for text in ["2026-03-24", "2026-03-24 13:02:37", "2024-02-29"] {
            assert!(date_cell(text).is_some(), "{text}");
        }
        for text in ["2026-13-01", "2026-02-30", "2026-03-24 24:00:00", "20260324", "2026/03/24", "S2026-03-24", ""] {
            assert!(date_cell(text).is_none(), "{text}");
        }
    }

    #[test]
    fn text_that_would_run_as_a_formula_is_recognized() {
        for text in ["=HYPERLINK(\"x\")", "+cmd", "-2+3", "@SUM(A1)", "-"] {
            assert!(looks_like_formula(text), "{text}");
        }
        for text in ["-8.00", "S2026", "a=b", "", "0.5"] {
            assert!(!looks_like_formula(text), "{text}");
        }
    }

    #[test]
    fn chinese_text_counts_double() {
        assert_eq!(display_width("短款"), 4);
        assert_eq!(display_width("S2026"), 5);
    }
}
