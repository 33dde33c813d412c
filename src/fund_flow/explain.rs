//! How explanations write money and dates, and the day arithmetic matching counts windows in.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// `¥12,345.67`: money for explanations, always to the fen. A value read from a spreadsheet cell
/// (a float such as 2435.3) has lost the zeros the merchant sees; more digits than two are kept.
pub fn format_yuan(amount: Decimal) -> String {
    let mut amount = amount;
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    let text = amount.abs().to_string();
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(text.len() + 6);
    for (n, c) in int.chars().enumerate() {
        if n > 0 && (int.len() - n) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}¥{grouped}.{f}"),
        None => format!("{sign}¥{grouped}"),
    }
}

pub(crate) fn short_date(date: NaiveDate) -> String {
    format!("{:02}-{:02}", date.month(), date.day())
}

pub(crate) fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}
