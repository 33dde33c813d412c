//! Payout instructions (代付指令) and merchant sub-ledgers (分户账): the platform's own records of
//! money sent out and of what each merchant holds. Read with the same header machinery as every
//! other file, with their layouts' vocabulary ([`Format::PayoutInstructions`], [`Format::SubLedger`]).

use super::encoding::Encoding;
use super::header::ColumnMap;
use super::header::HeaderNames;
use super::issue::{IssueCode, RowIssue};
use super::records::{find_header, short, Records};
use super::statement::{checked_amount, date_cell, optional_amount};
use super::words::is_footer;
use crate::error::Result;
use crate::format::Format;
use crate::profile::Profile;
use crate::record::{Field, InputKind};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// One payout instruction (代付): the platform told the bank to pay a merchant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Payout {
    /// 1-based line in the instruction file.
    pub line: u32,
    /// Merchant paid.
    pub merchant: String,
    /// Amount paid out (positive).
    pub amount: Decimal,
    /// Beneficiary account.
    pub account: String,
    /// Instruction reference.
    pub reference: String,
    /// Date of the instruction.
    pub date: NaiveDate,
    /// The settlement date it pays, when the file has a column for it (结算日期); without one,
    /// clearing applies it to the merchant's oldest settlement still owed.
    pub settle_date: Option<NaiveDate>,
}

/// A payout instruction file, read.
#[derive(Clone, Debug)]
pub struct PayoutFile {
    /// File name.
    pub name: String,
    /// Detected encoding.
    pub encoding: Encoding,
    /// 1-based line of the header.
    pub header_line: u32,
    /// Header cells as written.
    pub header: Vec<String>,
    /// Where each field was found.
    pub columns: ColumnMap,
    /// The instructions.
    pub payouts: Vec<Payout>,
    /// Rows skipped.
    pub issues: Vec<RowIssue>,
}

/// One merchant's line of a sub-ledger (分户账).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubLedgerLine {
    /// 1-based line.
    pub line: u32,
    /// Merchant (sub-account).
    pub merchant: String,
    /// Opening balance (期初余额), when the ledger has one.
    pub opening: Option<Decimal>,
    /// Credited in the period (本期收入), when given.
    pub credits: Option<Decimal>,
    /// Debited in the period (本期支出), when given.
    pub debits: Option<Decimal>,
    /// The balance (期末余额): what the platform owes the merchant.
    pub balance: Decimal,
}

/// A merchant sub-ledger (分户账): balances per merchant; the book balance is their sum.
#[derive(Clone, Debug)]
pub struct SubLedger {
    /// File name.
    pub name: String,
    /// Detected encoding.
    pub encoding: Encoding,
    /// 1-based line of the header.
    pub header_line: u32,
    /// Header cells as written.
    pub header: Vec<String>,
    /// Where each field was found.
    pub columns: ColumnMap,
    /// One line per merchant, in file order.
    pub lines: Vec<SubLedgerLine>,
    /// Rows skipped.
    pub issues: Vec<RowIssue>,
}

impl SubLedger {
    /// The book balance: the sum of the sub-ledger balances.
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(|l| l.balance).sum()
    }
}

/// Reads payout instructions: merchant, amount, beneficiary account, reference, date.
pub(crate) fn read_payouts(name: &str, text: &str, encoding: Encoding, profile: &Profile) -> Result<PayoutFile> {
    let input = InputKind::Payouts;
    let names = HeaderNames::new(Format::PayoutInstructions, &profile.columns.payouts, profile);
    let mut records = Records::new(text);
    let mut issues = Vec::new();
    let usable: fn(&ColumnMap) -> bool = |m| m.get(Field::Amount).is_some() && m.get(Field::Date).is_some();
    let header = find_header(&mut records, name, input, &names, usable, "an amount and a date column", &mut issues)?;
    let columns = header.columns;
    let column = |field: Field| columns.get(field).map(|c| c as u32 + 1);
    let mut payouts = Vec::new();
    while let Some(record) = records.next_record() {
        if record.is_blank() {
            continue;
        }
        let line = record.line;
        let mut skip = |code, column, message| issues.push(RowIssue::new(name, input, line, column, code, message));
        if record.broken {
            skip(IssueCode::UnbalancedQuote, None, "a quoted field is not closed on this line".into());
            continue;
        }
        let date_text = record.get(&columns, Field::Date);
        if is_footer(&record.cells) && date_cell(date_text).is_none() {
            skip(IssueCode::TotalRowSkipped, None, "a total row; not reconciled".into());
            continue;
        }
        let amount_text = record.get(&columns, Field::Amount);
        let amount = match checked_amount(amount_text) {
            Ok(a) => a.abs(),
            Err(reason) => {
                skip(IssueCode::InvalidAmount, column(Field::Amount), format!("{:?}: {reason}", short(amount_text)));
                continue;
            }
        };
        let Some(date) = date_cell(date_text) else {
            skip(IssueCode::InvalidDate, column(Field::Date), format!("{:?} is not a date", short(date_text)));
            continue;
        };
        let settle_text = record.get(&columns, Field::SettleDate);
        let settle_date = date_cell(settle_text);
        if settle_date.is_none() && !settle_text.trim().is_empty() {
            // Kept, and paid oldest-first: the instruction itself is good.
            let why =
                format!("{:?} is not a date; the payout is applied to the oldest settlement owed", short(settle_text));
            skip(IssueCode::InvalidDate, column(Field::SettleDate), why);
        }
        payouts.push(Payout {
            line,
            merchant: record.get(&columns, Field::MerchantId).to_string(),
            amount,
            account: record.get(&columns, Field::CounterpartyAccount).to_string(),
            reference: record.get(&columns, Field::Reference).to_string(),
            date,
            settle_date,
        });
    }
    Ok(PayoutFile {
        name: name.to_string(),
        encoding,
        header_line: header.line,
        header: header.cells,
        columns,
        payouts,
        issues,
    })
}

/// Reads a merchant sub-ledger (分户账): merchant and balance per row, with opening balance and the
/// period's credits and debits when the ledger gives them.
pub(crate) fn read_sub_ledger(name: &str, text: &str, encoding: Encoding, profile: &Profile) -> Result<SubLedger> {
    let input = InputKind::SubLedger;
    let names = HeaderNames::new(Format::SubLedger, &profile.columns.sub_ledger, profile);
    let mut records = Records::new(text);
    let mut issues = Vec::new();
    let usable: fn(&ColumnMap) -> bool = |m| m.get(Field::Balance).is_some();
    let header = find_header(&mut records, name, input, &names, usable, "a balance column (余额)", &mut issues)?;
    let columns = header.columns;
    let column = |field: Field| columns.get(field).map(|c| c as u32 + 1);
    let mut lines = Vec::new();
    while let Some(record) = records.next_record() {
        if record.is_blank() {
            continue;
        }
        let line = record.line;
        if record.broken || is_footer(&record.cells) {
            let message = "a total row or broken line; not counted".to_string();
            issues.push(RowIssue::new(name, input, line, None, IssueCode::TotalRowSkipped, message));
            continue;
        }
        let amount = |field: Field, issues: &mut Vec<RowIssue>| {
            let text = record.get(&columns, field);
            optional_amount(text).unwrap_or_else(|reason| {
                let message = format!("{} {:?}: {reason}", field.code(), short(text));
                issues.push(RowIssue::new(name, input, line, column(field), IssueCode::InvalidAmount, message));
                None
            })
        };
        let text = record.get(&columns, Field::Balance);
        let balance = match checked_amount(text) {
            Ok(balance) => balance,
            Err(reason) => {
                let message = format!("{:?}: {reason}", short(text));
                issues.push(RowIssue::new(
                    name,
                    input,
                    line,
                    column(Field::Balance),
                    IssueCode::InvalidAmount,
                    message,
                ));
                continue;
            }
        };
        let (opening, credits, debits) = (
            amount(Field::Opening, &mut issues),
            amount(Field::Credit, &mut issues),
            amount(Field::Debit, &mut issues),
        );
        let debits = debits.map(|d| d.abs());
        // A line that does not add up is a fault of the books, not of the reading: it is noted and
        // still counted, since its balance is what the books say.
        if let (Some(opening), Some(credits), Some(debits)) = (opening, credits, debits) {
            let expected = opening + credits - debits;
            if expected != balance {
                let message = format!(
                    "opening {opening} + credits {credits} - debits {debits} = {expected}, but the balance is {balance}"
                );
                issues.push(RowIssue::new(name, input, line, column(Field::Balance), IssueCode::BalanceBreak, message));
            }
        }
        let merchant = record.get(&columns, Field::MerchantId).to_string();
        lines.push(SubLedgerLine { line, merchant, opening, credits, debits, balance });
    }
    Ok(SubLedger {
        name: name.to_string(),
        encoding,
        header_line: header.line,
        header: header.cells,
        columns,
        lines,
        issues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payouts_and_ledger() {
        let profile = Profile::default();
        let text = "商户号,代付金额,收款账号,业务参考号,付款日期\n1230000109,\"1,000.00\",6222,P1,2026-03-25\nX,abc,1,P2,2026-03-25\n";
        let p = read_payouts("p.csv", text, Encoding::Utf8, &profile).expect("reads");
        assert_eq!(p.payouts.len(), 1);
        assert_eq!(p.payouts[0].amount.to_string(), "1000.00");
        assert_eq!((p.payouts[0].account.as_str(), p.payouts[0].reference.as_str()), ("6222", "P1"));
        assert_eq!(p.issues.len(), 1);
        let l = read_sub_ledger("l.csv", "商户号,余额\nA,10.00\nB,5.50\n合计,15.50\n", Encoding::Utf8, &profile)
            .expect("reads");
        assert_eq!(l.total().to_string(), "15.50");
        let full = "商户号,期初余额,本期收入,本期支出,期末余额\nA,1.00,9.00,-2.00,8.00\n";
        let l = read_sub_ledger("l.csv", full, Encoding::Utf8, &profile).expect("reads");
        let a = &l.lines[0];
        assert_eq!(
            (a.opening, a.credits, a.debits),
            (Some(Decimal::new(100, 2)), Some(Decimal::new(900, 2)), Some(Decimal::new(200, 2)))
        );
        assert!(l.issues.is_empty(), "1.00 + 9.00 - 2.00 = 8.00: {:?}", l.issues);
        let wrong = "商户号,期初余额,本期收入,本期支出,期末余额\nA,1.00,9.00,-2.00,8.10\n";
        let l = read_sub_ledger("l.csv", wrong, Encoding::Utf8, &profile).expect("reads");
        assert_eq!(l.lines.len(), 1, "the line still counts");
        assert_eq!(l.issues.len(), 1);
        assert_eq!(
            (l.issues[0].code, l.issues[0].line, l.issues[0].column),
            (IssueCode::BalanceBreak, Some(2), Some(5))
        );
    }
}
