//! Book against actual (账实核对): running balances, opening + credits − debits = closing, and the
//! bank reconciliation statement (余额调节表):
//! book + bank-received-not-booked − bank-paid-not-booked
//! = bank + booked-received-not-at-bank − booked-paid-not-at-bank.

use super::model::{Cutoff, FundFlow, FundOutcome};
use super::overlap::Accounts;
use crate::classify::{label, Label};
use crate::money::Money;
use crate::read::{BankEntry, RunningBreak, StatementTotals};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

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

/// An account's balance at the cut-off (时点余额): the running balance after its last movement
/// before the cut-off, in its merged statements, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct BankBalance {
    /// The account, when the statements name it.
    pub account: Option<String>,
    /// The balance; the first statement's opening when no movement is before the cut-off.
    pub balance: Option<Money>,
    /// The statement of the movement it is the balance after.
    pub file: Option<String>,
    /// Its 1-based line.
    pub line: Option<u32>,
    /// Its booking date.
    pub date: Option<NaiveDate>,
    /// Its time, when the statement has one.
    pub time: Option<String>,
    /// Movements at or after the cut-off: the next day's (`later_movements`).
    pub later: u64,
    /// The statements end on a day before the reconciliation date: the balance is an earlier day's.
    pub ends_before_cutoff: bool,
}

/// A movement at or after the cut-off: the next day's, apart from today's reconciliation and
/// carried to the next run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct LaterMovement {
    /// Stable id.
    pub id: String,
    /// Statement file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// Booking date.
    pub date: NaiveDate,
    /// Time, when the statement has one.
    pub time: Option<String>,
    /// Signed amount: credit +, debit −.
    pub amount: Money,
    /// Counterparty name.
    pub counterparty: String,
    /// Memo.
    pub memo: String,
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
    /// Movements found in more than one statement file of their account (downloads that
    /// overlap), each counted once.
    pub repeated_movements: u64,
    /// The cut-off instant (日切) the bank's balance is taken at, `YYYY-MM-DD HH:MM:SS`.
    pub cutoff: Option<String>,
    /// Each account's balance at the cut-off, and the movement it is the balance after.
    pub bank_balances: Vec<BankBalance>,
    /// Movements at or after the cut-off: the next day's, not in today's reconciliation.
    pub later_movements: Vec<LaterMovement>,
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
/// filled in ([`Accounts`]) and the movements counted that an earlier statement of the account
/// already had. Breaks in the order given; totals per account, oldest first.
pub fn check_statements(accounts: &Accounts) -> (Vec<RunningBreak>, Vec<StatementTotals>) {
    let mut breaks = Vec::new();
    for (i, s) in accounts.statements.iter().enumerate() {
        // A break on a repeated row is the earlier file's break again.
        let repeated: rustc_hash::FxHashSet<u32> =
            s.entries.iter().enumerate().filter(|&(n, _)| accounts.is_repeated(i, n)).map(|(_, e)| e.line).collect();
        breaks.extend(s.balance.breaks.iter().filter(|b| !repeated.contains(&b.line)).cloned());
    }
    let totals = accounts
        .order
        .iter()
        .map(|&i| {
            let s = &accounts.statements[i];
            let mut t = s.balance.totals.clone();
            t.account.clone_from(&accounts.accounts[i]);
            t.checks.clone_from(&s.checks);
            t.repeated = accounts.repeated_in(i);
            t
        })
        .collect();
    (breaks, totals)
}

/// The `balance` section: running breaks, totals, continuity, and the 余额调节表.
pub fn balance_report(
    accounts: &Accounts,
    flow: &FundFlow,
    book: Option<&BookBalance>,
    cutoff: Option<Cutoff>,
) -> BalanceReport {
    let (running_breaks, totals) = check_statements(accounts);
    let statements = accounts.statements;
    let mut continuity_breaks = Vec::new();
    // The bank balance: each account's balance at the cut-off, added up.
    let mut bank_balances = Vec::new();
    // Each account's movements, merged over its statements, oldest first: where they pass from one
    // file to the next, the next must go on from the balance the previous one reached. An unnamed
    // account counts as one account.
    for group in accounts.order.chunk_by(|&a, &b| accounts.accounts[a] == accounts.accounts[b]) {
        let mut running: Option<Decimal> = None;
        let mut previous: Option<usize> = None;
        // The balance after the last movement before the cut-off, and that movement.
        let mut at_cutoff: Option<(Option<Decimal>, usize, &BankEntry)> = None;
        let (mut later, mut last_date) = (0, None);
        for &i in group {
            let s = &statements[i];
            for (n, (k, e)) in accounts.new_movements(i).enumerate() {
                if let (0, Some(p)) = (n, previous) {
                    // The file's balance before its first new movement: its opening, or the balance
                    // after the row before (a movement the merge has already had; where the file's
                    // own rows do not follow, that is the file's running break, not this one).
                    let before = if s.balance.newest_first { k.checked_add(1) } else { k.checked_sub(1) };
                    let found = match before.and_then(|b| s.entries.get(b)) {
                        Some(row) => row.balance,
                        None => s.balance.totals.opening.map(Money::decimal),
                    };
                    if let (Some(expected), Some(found)) = (running, found) {
                        if expected != found {
                            continuity_breaks.push(ContinuityBreak {
                                file: s.name.clone(),
                                previous_file: statements[p].name.clone(),
                                expected: Money(expected),
                                found: Money(found),
                                missing: Money(found - expected),
                            });
                        }
                    }
                }
                running = e.balance.or(running.map(|r| r + e.amount));
                previous = Some(i);
                match cutoff.is_some_and(|c| c.is_after(e.date, e.time)) {
                    true => later += 1,
                    false => at_cutoff = Some((running, i, e)),
                }
                last_date = last_date.max(Some(e.date));
            }
        }
        let Some(&first) = group.first() else { continue };
        let opening = statements[first].balance.totals.opening.map(Money::decimal);
        bank_balances.push(BankBalance {
            account: accounts.accounts[first].clone(),
            balance: at_cutoff.map_or(opening, |(balance, ..)| balance).map(Money),
            file: at_cutoff.map(|(_, i, _)| statements[i].name.clone()),
            line: at_cutoff.map(|(.., e)| e.line),
            date: at_cutoff.map(|(.., e)| e.date),
            time: at_cutoff.and_then(|(.., e)| e.time).map(crate::time::hms),
            later,
            ends_before_cutoff: matches!((cutoff, last_date), (Some(c), Some(last)) if last < c.date),
        });
    }
    let known: Vec<Decimal> = bank_balances.iter().filter_map(|b| b.balance.map(Money::decimal)).collect();
    let bank_balance = (!known.is_empty()).then(|| known.iter().copied().sum());
    let statement = match (book, bank_balance) {
        (Some(book), Some(bank)) => Some(reconciliation_statement(flow, book, bank)),
        _ => None,
    };
    let repeated_movements = totals.iter().map(|t| t.repeated).sum();
    let later_movements = flow
        .later
        .iter()
        .map(|m| LaterMovement {
            id: m.id.clone(),
            file: m.file.clone(),
            line: m.line,
            date: m.date,
            time: m.time.map(crate::time::hms),
            amount: Money(m.amount),
            counterparty: m.counterparty.clone(),
            memo: m.memo.clone(),
        })
        .collect();
    BalanceReport {
        running_breaks,
        statements: totals,
        continuity_breaks,
        statement,
        repeated_movements,
        cutoff: cutoff.map(|c| format!("{} {}", c.at.date(), crate::time::hms(c.at.time()))),
        bank_balances,
        later_movements,
    }
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
