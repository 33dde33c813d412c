//! The `fund_flow` section of the profile: settlement rule, calendar, tolerance, windows, memo patterns.

use crate::error::{Error, ErrorKind, Result};
use crate::memo::MemoPattern;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeSet;

/// The `fund_flow` section as written in JSON; [`FundFlowSettings`] is the checked form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FundFlowJson {
    settlement: Option<String>,
    business_days: Option<bool>,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
    tolerance: Option<String>,
    window_days: Option<u32>,
    grace_days: Option<u32>,
    max_batches_per_credit: Option<u32>,
    pair_within: Option<String>,
    memo_patterns: Option<Vec<String>>,
}

/// How far a credit may differ from the settlement(s) it plainly belongs to and still pair with
/// them as `amount_mismatch` (金额不符) rather than leave two breaks: a share of what was expected,
/// or an amount. `"0"` pairs nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairWithin {
    /// A share of the expected amount: `"5%"` is 0.05.
    Share(Decimal),
    /// An amount in yuan: `"100.00"`.
    Amount(Decimal),
}

impl PairWithin {
    /// The largest |d| a pair expecting `expected` may have.
    pub fn limit(self, expected: Decimal) -> Decimal {
        match self {
            PairWithin::Share(share) => expected.abs().checked_mul(share).unwrap_or(Decimal::MAX),
            PairWithin::Amount(amount) => amount,
        }
    }

    /// As a profile writes it: `5%` or `100.00`.
    pub fn describe(self) -> String {
        match self {
            PairWithin::Share(share) => format!("{}%", (share * Decimal::ONE_HUNDRED).normalize()),
            PairWithin::Amount(amount) => amount.to_string(),
        }
    }

    fn parse(text: &str) -> Option<PairWithin> {
        let text = text.trim();
        if text.ends_with(['%', '‰']) {
            return crate::profile::clearing::parse_rate(text).map(PairWithin::Share);
        }
        crate::money::parse_amount(text).ok().filter(|a| !a.is_sign_negative()).map(PairWithin::Amount)
    }
}

/// The checked fund-flow settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundFlowSettings {
    /// N in T+N: days between the trade date and the settlement date.
    pub settlement_days: u32,
    /// Count business days (weekends and holidays skipped) instead of calendar days.
    pub business_days: bool,
    /// Days the bank does not settle (法定节假日).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days the bank does settle (调休工作日).
    pub workdays: BTreeSet<NaiveDate>,
    /// Largest |credit − settlements| still a match (reported as `matched_within_tolerance`).
    pub tolerance: Decimal,
    /// Days after the settlement date a credit may arrive and still pair with it.
    pub window_days: u32,
    /// Days a settlement may stay unpaid (`in_transit`) before it is a break.
    pub grace_days: u32,
    /// Most settlement batches one credit may cover (and most credits one batch may be split into).
    pub max_batches_per_credit: u32,
    /// How far a credit may differ from its settlement(s) and still pair with them (default 5%).
    pub pair_within: PairWithin,
    /// How the merchant number is found in a bank memo, tried in order.
    pub memo_patterns: Vec<MemoPattern>,
}

impl Default for FundFlowSettings {
    fn default() -> Self {
        FundFlowSettings {
            settlement_days: 1,
            business_days: false,
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
            tolerance: Decimal::ZERO,
            window_days: 3,
            grace_days: 3,
            max_batches_per_credit: 7,
            pair_within: PairWithin::Share(Decimal::new(5, 2)),
            memo_patterns: MemoPattern::defaults(),
        }
    }
}

impl FundFlowSettings {
    /// Checks the JSON section.
    pub(crate) fn from_json(json: FundFlowJson) -> Result<FundFlowSettings> {
        let invalid = |message: String| Error::new(ErrorKind::InvalidProfile, format!("profile: fund_flow.{message}"));
        let mut s = FundFlowSettings::default();
        if let Some(rule) = json.settlement {
            let days = rule
                .trim()
                .strip_prefix(['T', 't'])
                .map(|r| r.trim_start_matches('+').trim())
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|&n| n <= 30)
                .ok_or_else(|| invalid(format!("settlement {rule:?} is not T+N (N at most 30)")))?;
            s.settlement_days = days;
        }
        if let Some(business) = json.business_days {
            s.business_days = business;
        }
        let date = |field: &str, text: &str| {
            crate::time::parse_date(text).map_err(|_| invalid(format!("{field}: {text:?} is not YYYY-MM-DD")))
        };
        for text in &json.holidays {
            s.holidays.insert(date("holidays", text)?);
        }
        for text in &json.workdays {
            s.workdays.insert(date("workdays", text)?);
        }
        if let Some(tolerance) = json.tolerance {
            let value = crate::money::parse_amount(&tolerance)
                .map_err(|e| invalid(format!("tolerance {tolerance:?}: {}", e.reason())))?;
            if value.is_sign_negative() {
                return Err(invalid(format!("tolerance {tolerance:?} is negative")));
            }
            s.tolerance = value;
        }
        if let Some(days) = json.window_days {
            s.window_days = days.min(366);
        }
        if let Some(days) = json.grace_days {
            s.grace_days = days.min(3660);
        }
        if let Some(max) = json.max_batches_per_credit {
            if !(1..=31).contains(&max) {
                return Err(invalid(format!("max_batches_per_credit {max} is not between 1 and 31")));
            }
            s.max_batches_per_credit = max;
        }
        if let Some(text) = json.pair_within {
            s.pair_within = PairWithin::parse(&text).ok_or_else(|| {
                invalid(format!("pair_within {text:?} is not a share below 100% (\"5%\") or an amount of at least 0"))
            })?;
        }
        if let Some(patterns) = json.memo_patterns {
            s.memo_patterns = patterns
                .iter()
                .map(|p| MemoPattern::parse(p).map_err(|reason| invalid(format!("memo_patterns: {p:?}: {reason}"))))
                .collect::<Result<_>>()?;
        }
        Ok(s)
    }

    /// Whether the bank settles on `date`.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        if self.holidays.contains(&date) {
            return false;
        }
        self.workdays.contains(&date) || !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The settlement date of trades made on `trade`: T+N calendar days, or the N-th business day
    /// after the trade date (so under T+1 Friday, Saturday and Sunday all settle on Monday; under
    /// T+0 a trade on a non-business day settles on the next business day).
    pub fn settlement_date(&self, trade: NaiveDate) -> NaiveDate {
        if !self.business_days {
            return trade.checked_add_days(Days::new(u64::from(self.settlement_days))).unwrap_or(trade);
        }
        let mut date = trade;
        // Bounded: a holiday list covering years must not loop forever; a gap this long is a typo.
        let mut guard = 0;
        let mut left = self.settlement_days;
        if left == 0 {
            while !self.is_business_day(date) && guard < 400 {
                date = date.succ_opt().unwrap_or(date);
                guard += 1;
            }
        }
        while left > 0 && guard < 800 {
            date = date.succ_opt().unwrap_or(date);
            guard += 1;
            if self.is_business_day(date) {
                left -= 1;
            }
        }
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        crate::time::parse_date(text).expect("test date")
    }

    #[test]
    fn business_days_put_friday_to_sunday_on_monday_and_skip_holidays() {
        let mut s = FundFlowSettings { business_days: true, ..Default::default() };
        // 2026-03-27 is a Friday.
        for trade in ["2026-03-27", "2026-03-28", "2026-03-29"] {
            assert_eq!(s.settlement_date(d(trade)), d("2026-03-30"), "{trade}");
        }
        assert_eq!(s.settlement_date(d("2026-03-30")), d("2026-03-31"));
        s.holidays.insert(d("2026-03-30"));
        assert_eq!(s.settlement_date(d("2026-03-27")), d("2026-03-31"));
        s.workdays.insert(d("2026-03-28"));
        assert_eq!(s.settlement_date(d("2026-03-27")), d("2026-03-28"));
        let calendar = FundFlowSettings::default();
        assert_eq!(calendar.settlement_date(d("2026-03-27")), d("2026-03-28"));
    }

    #[test]
    fn bad_values_are_named() {
        let bad = [
            r#"{"settlement": "D+1"}"#,
            r#"{"holidays": ["2026-13-01"]}"#,
            r#"{"tolerance": "-1"}"#,
            r#"{"max_batches_per_credit": 0}"#,
            r#"{"memo_patterns": ["no placeholder"]}"#,
            r#"{"grace": 1}"#,
            r#"{"pair_within": "100%"}"#,
            r#"{"pair_within": "-1"}"#,
            r#"{"pair_within": "five"}"#,
        ];
        for text in bad {
            let json = format!(r#"{{"fund_flow": {text}}}"#);
            let err = crate::profile::Profile::from_json(&json).unwrap_err();
            assert_eq!(err.code(), "invalid_profile", "{text}");
        }
        let ok = crate::profile::Profile::from_json(
            r#"{"fund_flow": {"settlement": "T+2", "business_days": true, "holidays": ["2026-04-06"],
                "tolerance": "0.01", "window_days": 5, "grace_days": 2, "max_batches_per_credit": 4,
                "memo_patterns": ["结算{merchant}"]}}"#,
        )
        .expect("valid");
        assert_eq!(ok.fund_flow.settlement_days, 2);
        assert_eq!(ok.fund_flow.memo_patterns.len(), 1);
        assert_eq!(ok.fund_flow.pair_within, PairWithin::Share(Decimal::new(5, 2)));
    }

    #[test]
    fn pair_within_is_a_share_or_an_amount() {
        let within = |text: &str| {
            let json = format!(r#"{{"fund_flow": {{"pair_within": "{text}"}}}}"#);
            crate::profile::Profile::from_json(&json).expect("valid").fund_flow.pair_within
        };
        let share = within("2.5%");
        assert_eq!((share.describe(), share.limit(Decimal::new(20_000, 2))), ("2.5%".into(), Decimal::new(5, 0)));
        assert_eq!(within("25‰").describe(), "2.5%");
        let amount = within("100.00");
        assert_eq!((amount.describe(), amount.limit(Decimal::new(1, 0))), ("100.00".into(), Decimal::new(10_000, 2)));
        assert_eq!(within("0").limit(Decimal::ONE_HUNDRED), Decimal::ZERO);
    }
}
