//! Book against actual (账实核对): running balances, opening + credits − debits = closing, and the
//! bank reconciliation statement (余额调节表):
//! book + bank-received-not-booked − bank-paid-not-booked
//! = bank + booked-received-not-at-bank − booked-paid-not-at-bank.

use super::model::{FundFlow, FundOutcome};
use crate::classify::{label, Label};
use crate::money::Money;
use crate::read::{RunningBreak, Statement, StatementTotals};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One statement's opening balance does not continue the previous statement's closing balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ContinuityBreak {
    /// The later statement.
    pub file: String,
    /// The earlier statement.
    pub previous_file: String,
    /// The earlier statement's closing balance.
    pub expected: Money,
    /// The later statement's opening balance.
    pub found: Money,
    /// found − expected.
    pub missing: Money,
}

/// The bank reconciliation statement (余额调节表).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReconciliationStatement {
    /// The platform's book balance (given, or the sum of the sub-ledger).
    pub book_balance: Money,
    /// `input` or the sub-ledger file name.
    pub book_source: String,
    /// The bank's closing balance (latest statement).
    pub bank_balance: Money,
    /// Credits at the bank the books do not have (external_only and unexplained credits).
    pub bank_received_not_booked: Money,
    /// Debits at the bank the books do not have (unexplained debits).
    pub bank_paid_not_booked: Money,
    /// Settlements booked but not at the bank (in_transit and internal_only batches).
    pub booked_received_not_at_bank: Money,
    /// Payouts booked but not at the bank (in_transit and internal_only payouts).
    pub booked_paid_not_at_bank: Money,
    /// book + bank_received_not_booked − bank_paid_not_booked.
    pub adjusted_book: Money,
    /// bank + booked_received_not_at_bank − booked_paid_not_at_bank.
    pub adjusted_bank: Money,
    /// adjusted_bank − adjusted_book (d = E − B): zero when the books agree with the bank.
    pub difference: Money,
    /// `matched` or `balance_break`.
    pub outcome: FundOutcome,
    /// 长款 / 短款 / null.
    pub label: Option<Label>,
}

/// The `balance` section of the report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
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

/// Each statement's running breaks and totals, as its reader checked them, with the account
/// filled in: a statement whose title names no account belongs to the one account the others
/// name, if they name exactly one (banks differ in what their title rows say). Per account, oldest
/// first.
pub fn check_statements(statements: &[Statement]) -> (Vec<RunningBreak>, Vec<StatementTotals>) {
    let mut breaks = Vec::new();
    let mut totals = Vec::new();
    for s in statements {
        breaks.extend(s.balance.breaks.iter().cloned());
        let mut t = s.balance.totals.clone();
        t.account.clone_from(&s.account);
        t.checks.clone_from(&s.checks);
        totals.push(t);
    }
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
    // A stable sort keeps the given order for statements of the same days.
    crate::sort::sort_by(&mut totals, |a, b| {
        (&a.account, a.first_date, a.last_date).cmp(&(&b.account, b.first_date, b.last_date))
    });
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
            latest.insert(&t.account, closing.decimal());
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
    let unbooked = |o: FundOutcome| {
        matches!(o, FundOutcome::ExternalOnly | FundOutcome::UnexplainedMovement | FundOutcome::NotReconciled)
    };
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
    let mut booked_received: Decimal =
        flow.input.batches.iter().zip(&flow.batch_results).filter(|(_, r)| open(r.outcome)).map(|(b, _)| b.net).sum();
    let booked_paid: Decimal = flow
        .input
        .payouts
        .iter()
        .zip(&flow.payout_results)
        .filter(|(_, r)| open(r.outcome))
        .map(|(p, _)| p.payout.amount)
        .sum();
    // A pair's credit is at the bank and its settlements in the books: only its d is on one side.
    for pair in flow.matches.iter().filter(|g| g.outcome == FundOutcome::AmountMismatch) {
        if pair.d.is_sign_negative() {
            booked_received -= pair.d;
        } else {
            received += pair.d;
        }
    }
    let adjusted_book = book.amount + received - paid;
    let adjusted_bank = bank + booked_received - booked_paid;
    let difference = adjusted_bank - adjusted_book;
    ReconciliationStatement {
        book_balance: Money(book.amount),
        book_source: book.source.clone(),
        bank_balance: Money(bank),
        bank_received_not_booked: Money(received),
        bank_paid_not_booked: Money(paid),
        booked_received_not_at_bank: Money(booked_received),
        booked_paid_not_at_bank: Money(booked_paid),
        adjusted_book: Money(adjusted_book),
        adjusted_bank: Money(adjusted_bank),
        difference: Money(difference),
        outcome: if difference.is_zero() { FundOutcome::Matched } else { FundOutcome::BalanceBreak },
        label: label(difference),
    }
}
