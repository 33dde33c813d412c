//! The one running-balance checker: every row's balance (余额) must follow from the previous row's
//! and its own amount, and opening + credits − debits must equal closing, over the whole file and
//! day by day. Statements run oldest-first or newest-first: the order with fewer breaks is taken
//! (ties: by the first and last row's date and time). Used for bank statements and for the
//! channel layouts that carry a balance column (WeChat 资金账单, Alipay 账务明细).

use super::entry::BankEntry;
use crate::money::Money;
use crate::read::issue::Check;
use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use serde::Serialize;

/// A statement row whose balance does not follow from the previous one (a missing or altered row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RunningBreak {
    /// Statement file.
    pub file: String,
    /// 1-based line of the row whose balance is off.
    pub line: u32,
    /// Previous balance + this row's amount.
    pub expected: Money,
    /// The balance the row shows.
    pub found: Money,
    /// found − expected: the amount of the movements missing between the two rows.
    pub missing: Money,
}

/// One statement's totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct StatementTotals {
    /// Statement file.
    pub file: String,
    /// The account, when the statement's title names it.
    pub account: Option<String>,
    /// First booking date.
    pub first_date: Option<NaiveDate>,
    /// Last booking date.
    pub last_date: Option<NaiveDate>,
    /// Balance before the first movement.
    pub opening: Option<Money>,
    /// Sum of credits.
    pub credits: Money,
    /// Sum of debits (positive).
    pub debits: Money,
    /// Balance after the last movement.
    pub closing: Option<Money>,
    /// opening + credits − debits = closing.
    pub consistent: bool,
    /// Movements an earlier statement of the same account already had (downloads that overlap):
    /// counted once, there.
    pub repeated: u64,
    /// The statement's own total row (合计) and running balance checked against its movements.
    pub checks: Vec<Check>,
    /// The same, day by day.
    pub days: Vec<DayTotals>,
}

/// One day of a statement: opening + credits − debits = closing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DayTotals {
    /// Booking date.
    pub date: NaiveDate,
    /// Balance before the day's first movement, when known.
    pub opening: Option<Money>,
    /// Sum of the day's credits.
    pub credits: Money,
    /// Sum of the day's debits (positive).
    pub debits: Money,
    /// Balance after the day's last movement, when known.
    pub closing: Option<Money>,
    /// opening + credits − debits = closing (true when a balance is unknown).
    pub consistent: bool,
}

/// What the running balance of one file says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BalanceCheck {
    /// The file lists its newest movement first.
    pub newest_first: bool,
    /// Rows whose balance does not follow, oldest first.
    pub breaks: Vec<RunningBreak>,
    /// Totals over the file and per day (account and checks filled by the caller).
    pub totals: StatementTotals,
}

impl BalanceCheck {
    /// `余额 (opening + movements = closing)` as a [`Check`], when the file has balances to check.
    pub fn check(&self) -> Option<Check> {
        let (Some(opening), Some(closing)) = (self.totals.opening, self.totals.closing) else { return None };
        let found = opening + self.totals.credits - self.totals.debits;
        Some(Check::compare(
            "余额 (opening + movements = closing)".to_string(),
            &closing.to_string(),
            Some(found.decimal()),
            false,
        ))
    }
}

/// One row of a file with a running balance, as the checker sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Step {
    pub line: u32,
    /// Booking date and time, when the file has them (statements; channel tables do not pass them).
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    pub amount: Decimal,
    pub balance: Option<Decimal>,
}

impl From<&BankEntry> for Step {
    fn from(e: &BankEntry) -> Step {
        Step { line: e.line, date: Some(e.date), time: e.time, amount: e.amount, balance: e.balance }
    }
}

/// Checks a statement's running balance and totals.
pub(crate) fn check(file: &str, entries: &[BankEntry]) -> BalanceCheck {
    let steps: Vec<Step> = entries.iter().map(Step::from).collect();
    check_steps(file, &steps)
}

/// Checks any file's running balance, rows in file order.
pub(crate) fn check_steps(file: &str, steps: &[Step]) -> BalanceCheck {
    let forward: Vec<&Step> = steps.iter().collect();
    let backward: Vec<&Step> = steps.iter().rev().collect();
    let (forward_breaks, forward_totals) = check_one(file, &forward);
    let (backward_breaks, backward_totals) = check_one(file, &backward);
    let use_backward = backward_breaks.len() < forward_breaks.len()
        || (backward_breaks.len() == forward_breaks.len() && looks_newest_first(steps));
    let (breaks, totals) =
        if use_backward { (backward_breaks, backward_totals) } else { (forward_breaks, forward_totals) };
    BalanceCheck { newest_first: use_backward, breaks, totals }
}

fn looks_newest_first(steps: &[Step]) -> bool {
    match (steps.first(), steps.last()) {
        (Some(a), Some(b)) => (a.date, a.time) > (b.date, b.time),
        _ => false,
    }
}

/// Whether a statement lists its newest movement first, judged from the rows marked `known` (the
/// others' signs are not known yet).
pub(crate) fn newest_first(entries: &[BankEntry], known: &[bool]) -> bool {
    let steps: Vec<Step> = entries.iter().zip(known).filter(|(_, &k)| k).map(|(e, _)| Step::from(e)).collect();
    check_steps("", &steps).newest_first
}

fn check_one(file: &str, ordered: &[&Step]) -> (Vec<RunningBreak>, StatementTotals) {
    let mut breaks = Vec::new();
    let mut running: Option<Decimal> = None;
    let mut opening = None;
    let mut net_before_first_balance = Decimal::ZERO;
    let (mut credits, mut debits) = (Decimal::ZERO, Decimal::ZERO);
    let mut days: Vec<DayTotals> = Vec::new();
    for e in ordered {
        if let Some(date) = e.date.filter(|&d| days.last().is_none_or(|day| day.date != d)) {
            // The day opens at the running balance, or (first day) at the balance before the row.
            let opening = running.or(e.balance.map(|b| b - e.amount)).map(Money);
            days.push(DayTotals {
                date,
                opening,
                credits: Money::ZERO,
                debits: Money::ZERO,
                closing: None,
                consistent: true,
            });
        }
        let (credit, debit) =
            if e.amount.is_sign_negative() { (Decimal::ZERO, -e.amount) } else { (e.amount, Decimal::ZERO) };
        credits += credit;
        debits += debit;
        if let Some(day) = days.last_mut() {
            day.credits += Money(credit);
            day.debits += Money(debit);
        }
        match (running, e.balance) {
            (Some(previous), Some(found)) => {
                let expected = previous + e.amount;
                if expected != found {
                    breaks.push(RunningBreak {
                        file: file.to_string(),
                        line: e.line,
                        expected: Money(expected),
                        found: Money(found),
                        missing: Money(found - expected),
                    });
                }
                running = Some(found);
            }
            (Some(previous), None) => running = Some(previous + e.amount),
            (None, Some(found)) => {
                net_before_first_balance += e.amount;
                opening = Some(found - net_before_first_balance);
                running = Some(found);
            }
            (None, None) => net_before_first_balance += e.amount,
        }
        if let Some(day) = days.last_mut() {
            day.closing = running.map(Money);
        }
    }
    for day in &mut days {
        if let (Some(o), Some(c)) = (day.opening, day.closing) {
            day.consistent = o + day.credits - day.debits == c;
        }
    }
    let closing = running;
    let consistent = match (opening, closing) {
        (Some(o), Some(c)) => o + credits - debits == c,
        _ => true,
    };
    let totals = StatementTotals {
        file: file.to_string(),
        account: None,
        first_date: ordered.first().and_then(|e| e.date),
        last_date: ordered.last().and_then(|e| e.date),
        opening: opening.map(Money),
        credits: Money(credits),
        debits: Money(debits),
        closing: closing.map(Money),
        consistent,
        repeated: 0,
        checks: Vec::new(),
        days,
    };
    (breaks, totals)
}
