//! Book against actual (账实核对): running balances, opening + credits − debits = closing, and the
//! bank reconciliation statement (余额调节表):
//! book + bank-received-not-booked − bank-paid-not-booked
//! = bank + booked-received-not-at-bank − booked-paid-not-at-bank.

use super::{FundFlow, FundOutcome};
use crate::classify::{label, Label};
use crate::read::bank::{BankEntry, Statement};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A statement row whose balance does not follow from the previous one (a missing or altered row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunningBreak {
    /// Statement file.
    pub file: String,
    /// 1-based line of the row whose balance is off.
    pub line: u32,
    /// Previous balance + this row's amount.
    pub expected: Decimal,
    /// The balance the row shows.
    pub found: Decimal,
    /// found − expected: the amount of the movements missing between the two rows.
    pub missing: Decimal,
}

/// One statement's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    pub opening: Option<Decimal>,
    /// Sum of credits.
    pub credits: Decimal,
    /// Sum of debits (positive).
    pub debits: Decimal,
    /// Balance after the last movement.
    pub closing: Option<Decimal>,
    /// opening + credits − debits = closing.
    pub consistent: bool,
    /// The statement's own total row (合计) checked against its movements.
    pub checks: Vec<crate::read::Check>,
    /// The same, day by day.
    pub days: Vec<DayTotals>,
}

/// One day of a statement: opening + credits − debits = closing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayTotals {
    /// Booking date.
    pub date: NaiveDate,
    /// Balance before the day's first movement, when known.
    pub opening: Option<Decimal>,
    /// Sum of the day's credits.
    pub credits: Decimal,
    /// Sum of the day's debits (positive).
    pub debits: Decimal,
    /// Balance after the day's last movement, when known.
    pub closing: Option<Decimal>,
    /// opening + credits − debits = closing (true when a balance is unknown).
    pub consistent: bool,
}

/// One statement's opening balance does not continue the previous statement's closing balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContinuityBreak {
    /// The later statement.
    pub file: String,
    /// The earlier statement.
    pub previous_file: String,
    /// The earlier statement's closing balance.
    pub expected: Decimal,
    /// The later statement's opening balance.
    pub found: Decimal,
    /// found − expected.
    pub missing: Decimal,
}

/// The bank reconciliation statement (余额调节表).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReconciliationStatement {
    /// The platform's book balance (given, or the sum of the sub-ledger).
    pub book_balance: Decimal,
    /// `input` or the sub-ledger file name.
    pub book_source: String,
    /// The bank's closing balance (latest statement).
    pub bank_balance: Decimal,
    /// Credits at the bank the books do not have (external_only and unexplained credits).
    pub bank_received_not_booked: Decimal,
    /// Debits at the bank the books do not have (unexplained debits).
    pub bank_paid_not_booked: Decimal,
    /// Settlements booked but not at the bank (in_transit and internal_only batches).
    pub booked_received_not_at_bank: Decimal,
    /// Payouts booked but not at the bank (in_transit and internal_only payouts).
    pub booked_paid_not_at_bank: Decimal,
    /// book + bank_received_not_booked − bank_paid_not_booked.
    pub adjusted_book: Decimal,
    /// bank + booked_received_not_at_bank − booked_paid_not_at_bank.
    pub adjusted_bank: Decimal,
    /// adjusted_bank − adjusted_book (d = E − B): zero when the books agree with the bank.
    pub difference: Decimal,
    /// `matched` or `balance_break`.
    pub outcome: FundOutcome,
    /// 长款 / 短款 / null.
    pub label: Option<Label>,
}

/// The `balance` section of the report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BalanceReport {
    /// Rows whose balance does not follow from the previous row.
    pub running_breaks: Vec<RunningBreak>,
    /// Totals per statement, oldest first.
    pub statements: Vec<StatementTotals>,
    /// Statements that do not continue the previous one.
    pub continuity_breaks: Vec<ContinuityBreak>,
    /// The 余额调节表, when a book balance was given and the statements have balances.
    pub statement: Option<ReconciliationStatement>,
}

impl BalanceReport {
    /// Number of `balance_break`s: running, continuity, and the reconciliation statement.
    pub fn break_count(&self) -> u64 {
        let statement = self.statement.as_ref().is_some_and(|s| s.outcome == FundOutcome::BalanceBreak);
        (self.running_breaks.len() + self.continuity_breaks.len()) as u64 + u64::from(statement)
    }
}

/// The book balance: a number, or the sum of a sub-ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookBalance {
    /// The amount.
    pub amount: Decimal,
    /// `input` or the sub-ledger file name.
    pub source: String,
}

/// Checks running balances and totals of each statement. Banks export oldest-first or
/// newest-first: the order with fewer breaks is taken (ties: by the first and last row's time).
pub fn check_statements(statements: &[Statement]) -> (Vec<RunningBreak>, Vec<StatementTotals>) {
    let mut breaks = Vec::new();
    let mut totals = Vec::new();
    for s in statements {
        let forward: Vec<&BankEntry> = s.entries.iter().collect();
        let backward: Vec<&BankEntry> = s.entries.iter().rev().collect();
        let (forward_breaks, forward_totals) = check_one(&s.name, &forward);
        let (backward_breaks, backward_totals) = check_one(&s.name, &backward);
        let looks_newest_first = match (s.entries.first(), s.entries.last()) {
            (Some(a), Some(b)) => (a.date, a.time) > (b.date, b.time),
            _ => false,
        };
        let use_backward = backward_breaks.len() < forward_breaks.len()
            || (backward_breaks.len() == forward_breaks.len() && looks_newest_first);
        let (b, mut t) =
            if use_backward { (backward_breaks, backward_totals) } else { (forward_breaks, forward_totals) };
        t.account = s.account.clone();
        t.checks.clone_from(&s.checks);
        breaks.extend(b);
        totals.push(t);
    }
    // A statement whose title names no account belongs to the one account the others name, if
    // they name exactly one (banks differ in what their title rows say).
    let mut named = std::collections::BTreeSet::new();
    for account in totals.iter().filter_map(|t| t.account.as_ref()) {
        named.insert(account);
    }
    if named.len() == 1 {
        let only = named.into_iter().next().cloned();
        for t in totals.iter_mut().filter(|t| t.account.is_none()) {
            t.account.clone_from(&only);
        }
    }
    // Per account, oldest first; a stable sort keeps the given order for statements of the same days.
    crate::sort::sort_by(&mut totals, |a, b| {
        (&a.account, a.first_date, a.last_date).cmp(&(&b.account, b.first_date, b.last_date))
    });
    (breaks, totals)
}

fn check_one(file: &str, ordered: &[&BankEntry]) -> (Vec<RunningBreak>, StatementTotals) {
    let mut breaks = Vec::new();
    let mut running: Option<Decimal> = None;
    let mut opening = None;
    let mut net_before_first_balance = Decimal::ZERO;
    let (mut credits, mut debits) = (Decimal::ZERO, Decimal::ZERO);
    let mut days: Vec<DayTotals> = Vec::new();
    for e in ordered {
        if days.last().is_none_or(|d| d.date != e.date) {
            // The day opens at the running balance, or (first day) at the balance before the row.
            let opening = running.or(e.balance.map(|b| b - e.amount));
            days.push(DayTotals {
                date: e.date,
                opening,
                credits: Decimal::ZERO,
                debits: Decimal::ZERO,
                closing: None,
                consistent: true,
            });
        }
        if e.amount.is_sign_negative() {
            debits -= e.amount;
        } else {
            credits += e.amount;
        }
        if let Some(day) = days.last_mut() {
            if e.amount.is_sign_negative() {
                day.debits -= e.amount;
            } else {
                day.credits += e.amount;
            }
        }
        match (running, e.balance) {
            (Some(previous), Some(found)) => {
                let expected = previous + e.amount;
                if expected != found {
                    breaks.push(RunningBreak {
                        file: file.to_string(),
                        line: e.line,
                        expected,
                        found,
                        missing: found - expected,
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
            day.closing = running;
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
        first_date: ordered.first().map(|e| e.date),
        last_date: ordered.last().map(|e| e.date),
        opening,
        credits,
        debits,
        closing,
        consistent,
        checks: Vec::new(),
        days,
    };
    (breaks, totals)
}

/// The `balance` section: running breaks, totals, continuity, and the 余额调节表.
pub fn balance_report(statements: &[Statement], flow: &FundFlow, book: Option<&BookBalance>) -> BalanceReport {
    let (running_breaks, totals) = check_statements(statements);
    let mut continuity_breaks = Vec::new();
    // Statements of one account follow each other; an unnamed account counts as one account.
    for pair in totals.windows(2).filter(|p| p[0].account == p[1].account) {
        if let (Some(expected), Some(found)) = (pair[0].closing, pair[1].opening) {
            if expected != found {
                continuity_breaks.push(ContinuityBreak {
                    file: pair[1].file.clone(),
                    previous_file: pair[0].file.clone(),
                    expected,
                    found,
                    missing: found - expected,
                });
            }
        }
    }
    // The bank balance: the latest closing balance of each account, added up.
    let mut latest: BTreeMap<&Option<String>, Decimal> = BTreeMap::new();
    for t in &totals {
        if let Some(closing) = t.closing {
            latest.insert(&t.account, closing);
        }
    }
    let bank_balance = (!latest.is_empty()).then(|| latest.values().copied().sum());
    let statement = match (book, bank_balance) {
        (Some(book), Some(bank)) => Some(reconciliation_statement(flow, book, bank)),
        _ => None,
    };
    BalanceReport { running_breaks, statements: totals, continuity_breaks, statement }
}

fn reconciliation_statement(flow: &FundFlow, book: &BookBalance, bank: Decimal) -> ReconciliationStatement {
    let open = |o: FundOutcome| matches!(o, FundOutcome::InTransit | FundOutcome::InternalOnly);
    let unbooked = |o: FundOutcome| matches!(o, FundOutcome::ExternalOnly | FundOutcome::UnexplainedMovement);
    let (mut received, mut paid) = (Decimal::ZERO, Decimal::ZERO);
    for (m, r) in flow.input.movements.iter().zip(&flow.movement_results) {
        if unbooked(r.outcome) {
            if m.amount.is_sign_negative() {
                paid -= m.amount;
            } else {
                received += m.amount;
            }
        }
    }
    let booked_received: Decimal =
        flow.input.batches.iter().zip(&flow.batch_results).filter(|(_, r)| open(r.outcome)).map(|(b, _)| b.net).sum();
    let booked_paid: Decimal = flow
        .input
        .payouts
        .iter()
        .zip(&flow.payout_results)
        .filter(|(_, r)| open(r.outcome))
        .map(|(p, _)| p.payout.amount)
        .sum();
    let adjusted_book = book.amount + received - paid;
    let adjusted_bank = bank + booked_received - booked_paid;
    let difference = adjusted_bank - adjusted_book;
    ReconciliationStatement {
        book_balance: book.amount,
        book_source: book.source.clone(),
        bank_balance: bank,
        bank_received_not_booked: received,
        bank_paid_not_booked: paid,
        booked_received_not_at_bank: booked_received,
        booked_paid_not_at_bank: booked_paid,
        adjusted_book,
        adjusted_bank,
        difference,
        outcome: if difference.is_zero() { FundOutcome::Matched } else { FundOutcome::BalanceBreak },
        label: label(difference),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::bank::read_statement;

    #[test]
    fn a_missing_row_is_a_running_break_with_its_amount() {
        let text = "交易日期,借方发生额,贷方发生额,余额\n2026-03-25,,100.00,1100.00\n\
                    2026-03-25,,50.00,1180.00\n2026-03-26,20.00,,1160.00\n";
        let s = read_statement("s.csv", text.as_bytes().to_vec()).expect("reads");
        let (breaks, totals) = check_statements(&[s]);
        assert_eq!(breaks.len(), 1);
        assert_eq!((breaks[0].line, breaks[0].missing.to_string()), (3, "30.00".to_string()));
        assert_eq!(totals[0].opening.map(|d| d.to_string()).as_deref(), Some("1000.00"));
        assert_eq!(totals[0].closing.map(|d| d.to_string()).as_deref(), Some("1160.00"));
        assert!(!totals[0].consistent);
        let days: Vec<(String, bool)> = totals[0].days.iter().map(|d| (d.date.to_string(), d.consistent)).collect();
        assert_eq!(days, [("2026-03-25".to_string(), false), ("2026-03-26".to_string(), true)]);
        assert_eq!(totals[0].days[1].opening.map(|d| d.to_string()).as_deref(), Some("1180.00"));
    }

    #[test]
    fn newest_first_statements_are_read_backwards() {
        let text = "交易日期,交易金额,余额\n2026-03-26,-20.00,1130.00\n2026-03-25,50.00,1150.00\n\
                    2026-03-25,100.00,1100.00\n";
        let s = read_statement("s.csv", text.as_bytes().to_vec()).expect("reads");
        let (breaks, totals) = check_statements(&[s]);
        assert!(breaks.is_empty(), "{breaks:?}");
        assert_eq!(totals[0].opening.map(|d| d.to_string()).as_deref(), Some("1000.00"));
        assert!(totals[0].consistent);
    }
}
