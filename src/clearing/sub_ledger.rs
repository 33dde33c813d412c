//! Sub-ledgers against clearing (分户账): the platform's books per merchant checked against what
//! clearing says each merchant earned, against what the payouts paid it, and against themselves.
//! Each difference is a `sub_ledger_break` of the merchant with d = expected − booked.
//!
//! A ledger that has no 本期收入 / 本期支出 column is only a list of balances (the 余额调节表's book
//! balance is their sum, checked there); the checks need the columns they check.

use super::model::{ClearingClass, ClearingException, ClearingLevel, LedgerCheck, MerchantClearing};
use crate::money::Money;
use crate::read::{SubLedger, SubLedgerLine};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The sub-ledgers of a run and the date their breaks are dated by.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ledgers<'a> {
    /// The ledgers, as given.
    pub ledgers: &'a [SubLedger],
    /// The run's date; without one nothing is checked.
    pub date: Option<NaiveDate>,
}

/// The breaks of every ledger line, in file order, then those of merchants clearing has and no
/// ledger books (their credits and debits booked as nothing). Counts each on its merchant.
pub(super) fn breaks(merchants: &mut [MerchantClearing], ledgers: &Ledgers) -> Vec<ClearingException> {
    let Some(date) = ledgers.date else { return Vec::new() };
    let mut out = Vec::new();
    let mut booked: rustc_hash::FxHashSet<&str> = Default::default();
    let index: rustc_hash::FxHashMap<String, usize> =
        merchants.iter().enumerate().map(|(i, m)| (m.merchant.clone(), i)).collect();
    let (mut credits_given, mut debits_given) = (false, false);
    for ledger in ledgers.ledgers {
        for line in &ledger.lines {
            booked.insert(line.merchant.as_str());
            credits_given |= line.credits.is_some();
            debits_given |= line.debits.is_some();
            let m = index.get(&line.merchant).map(|&i| &mut merchants[i]);
            let (owed, paid) = m.as_ref().map_or((Decimal::ZERO, Decimal::ZERO), |m| {
                (m.amounts.net_payable.decimal(), m.amounts.paid_out.decimal())
            });
            let provider = m.as_ref().and_then(|m| m.service_provider.clone());
            let mut found = Vec::new();
            if let Some(credits) = line.credits {
                found.push((LedgerCheck::Credits, owed, credits));
            }
            if let Some(debits) = line.debits {
                found.push((LedgerCheck::Debits, paid, debits));
            }
            if let (Some(opening), Some(credits), Some(debits)) = (line.opening, line.credits, line.debits) {
                found.push((LedgerCheck::Balance, opening + credits - debits, line.balance));
            }
            let at = Place { file: &ledger.name, line: Some(line), date };
            let before = out.len();
            for (check, expected, booked) in found.into_iter().filter(|(_, e, b)| e != b) {
                out.push(ledger_break(&line.merchant, provider.clone(), check, expected, booked, &at));
            }
            if let Some(m) = m {
                m.exceptions += (out.len() - before) as u64;
            }
        }
    }
    // What clearing has and no ledger books: all of it is missing from the books.
    let file = ledgers.ledgers.first().map_or("", |l| l.name.as_str());
    for m in merchants.iter_mut().filter(|m| !booked.contains(m.merchant.as_str())) {
        let at = Place { file, line: None, date };
        let checks = [
            (credits_given, LedgerCheck::Credits, m.amounts.net_payable.decimal()),
            (debits_given, LedgerCheck::Debits, m.amounts.paid_out.decimal()),
        ];
        for (given, check, expected) in checks {
            if given && !expected.is_zero() {
                out.push(ledger_break(&m.merchant, m.service_provider.clone(), check, expected, Decimal::ZERO, &at));
                m.exceptions += 1;
            }
        }
    }
    out
}

/// Where a break is: the ledger file and line (none for a merchant the ledger lacks), and the date.
struct Place<'a> {
    file: &'a str,
    line: Option<&'a SubLedgerLine>,
    date: NaiveDate,
}

fn ledger_break(
    merchant: &str,
    service_provider: Option<String>,
    check: LedgerCheck,
    expected: Decimal,
    booked: Decimal,
    at: &Place,
) -> ClearingException {
    let (class, level) = (ClearingClass::SubLedgerBreak, ClearingLevel::Merchant);
    let key = format!("ledger:{merchant}:{}", check.code());
    let (dates, d) = ((at.date, at.date), Money(expected - booked));
    ClearingException {
        service_provider,
        check: Some(check),
        expected: Some(Money(expected)),
        booked: Some(Money(booked)),
        file: at.file.to_string(),
        line: at.line.map_or(0, |l| l.line),
        ..ClearingException::open(class, level, merchant.to_string(), key, dates, Money(expected), d)
    }
}
