//! Bank account statements (银行流水): the one reader every entry point uses — `inspect`, the drop
//! zone, fund flow (`bank` inputs) and a statement matched transaction by transaction as a table.
//!
//! Columns are found by name through the same machinery as every other reader, with the
//! statement vocabulary of [`Format::aliases`]: dates and times, a debit/credit pair or one signed
//! amount (with a 借贷标志 direction column or its sign), the running balance, the other party,
//! the memo (摘要, 附言, 用途, 交易场所), the serial number. Card exports that carry a transaction
//! amount pair beside the booked one (交易金额 / 记账金额) are read by the booked pair, the one
//! that moved the balance; the transaction amount and currency are kept for display. Title rows
//! and footers are skipped and reported; the footer's last total row is checked against the
//! movements; the running balance is checked row by row ([`balance`]), and a direction word no
//! table knows (冲正, 抹账) is read with the sign the running balance proves, and noted.

pub(crate) mod balance;
mod entry;

pub use entry::BankEntry;

use super::encoding::Encoding;
use super::header::ColumnMap;
use super::header::HeaderNames;
use super::issue::{Check, IssueCode, RowIssue};
use super::records::{find_header, short, Cells, Records};
use super::words::{direction_of, is_footer, is_placeholder, total_label, Direction};
use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use crate::money::{amount_in_range, parse_amount};
use crate::profile::Profile;
use crate::record::{Field, InputKind};
use crate::time::Part::{Lit, Two};
use crate::time::{date_of, parse_datetime, parse_time_as};
use balance::BalanceCheck;
use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;

/// A statement file, read.
#[derive(Clone, Debug)]
pub struct Statement {
    /// File name.
    pub name: String,
    /// Detected encoding.
    pub encoding: Encoding,
    /// `debit_credit`, `booked_debit_credit` (a card export's two pairs) or `signed_amount`.
    pub variant: String,
    /// 1-based line of the header.
    pub header_line: u32,
    /// Header cells as written (trimmed).
    pub header: Vec<String>,
    /// Where each field was found.
    pub columns: ColumnMap,
    /// The account the statement is for, when a title row names it (`账号:6222…`, `卡号: 1234****9876`).
    pub account: Option<String>,
    /// The movements, in file order.
    pub entries: Vec<BankEntry>,
    /// Rows skipped or repaired.
    pub issues: Vec<RowIssue>,
    /// Records after the header that were skipped (each has an issue).
    pub skipped: u32,
    /// The statement's own total row and its running balance checked against its movements.
    pub checks: Vec<Check>,
    /// The running balance, row by row: the order of the file, breaks, totals.
    pub balance: BalanceCheck,
}

/// The variant of a statement layout from its columns; `None` when they are no statement's.
pub(crate) fn variant_of(columns: &ColumnMap) -> Option<&'static str> {
    let has = |field| columns.get(field).is_some();
    let dated = has(Field::Date) || has(Field::Time);
    if !dated {
        return None;
    }
    if has(Field::BookedDebit) || has(Field::BookedCredit) {
        Some("booked_debit_credit")
    } else if has(Field::Debit) || has(Field::Credit) {
        Some("debit_credit")
    } else if has(Field::Amount) {
        Some("signed_amount")
    } else {
        None
    }
}

/// The names of a statement's columns, with the profile's explicit `columns.bank`.
pub(crate) fn header_names(profile: &Profile) -> HeaderNames {
    HeaderNames::new(Format::BankStatement, &profile.columns.bank, profile)
}

/// Reads a decoded bank statement. `input` is the kind of input it was given as (for issues).
///
/// The footer's last total row with amounts (合计, 总计, 本页合计, 人民币合计, …; not a cumulative
/// 本年累计) is checked against the movements read: its debit and credit (or signed amount) cells
/// become [`Statement::checks`], and a failed one a file-level `summary_mismatch` issue. Everything
/// from the first footer row on is footer, so the last total row is the one that covers the most.
pub(crate) fn read(
    name: &str,
    input: InputKind,
    text: &str,
    encoding: Encoding,
    note: Option<String>,
    profile: &Profile,
) -> Result<Statement> {
    let mut issues = Vec::new();
    if let Some(note) = note {
        issues.push(RowIssue::file_note(name, input, IssueCode::EncodingRepaired, note));
    }
    let mut records = Records::new(text);
    let names = header_names(profile);
    let hint = "a date column (交易日期, 记账日期, …) and an amount column (借方发生额/贷方发生额, 交易金额, …)";
    let usable: fn(&ColumnMap) -> bool = |columns| variant_of(columns).is_some();
    let header = find_header(&mut records, name, input, &names, usable, hint, &mut issues)?;
    let columns = header.columns;
    let reader = RowReader::of(&columns);
    let mut statement = Statement {
        name: name.to_string(),
        encoding,
        variant: variant_of(&columns).unwrap_or_default().to_string(),
        header_line: header.line,
        header: header.cells,
        columns,
        account: header.titles.iter().find_map(|t| account_in(t)),
        entries: Vec::new(),
        issues,
        skipped: 0,
        checks: Vec::new(),
        balance: BalanceCheck::default(),
    };
    let mut in_footer = false;
    let mut sums = ColumnSums::default();
    // Entries whose direction word is unknown: (index in entries, word, column); signed later.
    let mut unsigned: Vec<(usize, String, Option<u32>)> = Vec::new();
    while let Some(record) = records.next_record() {
        if record.is_blank() {
            continue;
        }
        let line = record.line;
        let mut skip = |code: IssueCode, column: Option<u32>, message: String| {
            statement.skipped += 1;
            statement.issues.push(RowIssue::new(name, input, line, column, code, message));
        };
        if record.broken {
            skip(IssueCode::UnbalancedQuote, None, "a quoted field is not closed on this line".into());
            continue;
        }
        // A movement whose memo happens to say 汇总 is still a movement: a footer row has no date.
        if in_footer || (is_footer(&record.cells) && reader.date(&record).is_none()) {
            in_footer = true;
            // Every movement is read by now: the last total row with amounts wins.
            if let Some(label) = total_label(&record.cells) {
                let checks = reader.total_checks(label, &record, &sums);
                if !checks.is_empty() {
                    statement.checks = checks;
                }
            }
            skip(IssueCode::TotalRowSkipped, None, "a footer or total row after the movements; not reconciled".into());
            continue;
        }
        match reader.entry(&record) {
            Ok(read) => {
                for (column, message) in read.notes {
                    statement.issues.push(RowIssue::new(name, input, line, column, IssueCode::InvalidBalance, message));
                }
                sums.add(&read.entry, read.pair);
                if let Some((word, column)) = read.unknown_direction {
                    unsigned.push((statement.entries.len(), word, column));
                }
                statement.entries.push(read.entry);
            }
            Err((code, column, message)) => skip(code, column, message),
        }
    }
    if statement.entries.is_empty() && statement.skipped == 0 {
        return Err(Error::new(ErrorKind::NoDataRows, "the statement has a header but no movements")
            .in_file(name)
            .at(u64::from(statement.header_line), None));
    }
    sign_by_balance(&mut statement, input, unsigned);
    statement.balance = balance::check(name, &statement.entries);
    for b in &statement.balance.breaks {
        let message =
            format!("余额 {} where the previous balance plus this row's amount gives {}", b.found, b.expected);
        statement.issues.push(RowIssue::new(name, input, b.line, None, IssueCode::BalanceBreak, message));
    }
    statement.checks.extend(statement.balance.check());
    let mismatches: Vec<RowIssue> = statement.checks.iter().filter_map(|c| c.mismatch(name, input)).collect();
    statement.issues.extend(mismatches);
    Ok(statement)
}

/// Signs the entries whose direction word no table knows (冲正, 抹账) by the running balance: the
/// sign under which the row's balance follows from its neighbour's is the one the bank applied.
/// An entry no balance decides is left out as `unknown_direction`.
fn sign_by_balance(statement: &mut Statement, input: InputKind, unsigned: Vec<(usize, String, Option<u32>)>) {
    if unsigned.is_empty() {
        return;
    }
    // The file's order (oldest or newest first) from the rows whose sign is known.
    let known: Vec<bool> = (0..statement.entries.len()).map(|i| !unsigned.iter().any(|u| u.0 == i)).collect();
    let newest_first = balance::newest_first(&statement.entries, &known);
    let mut left_out = Vec::new();
    for (i, word, column) in unsigned {
        let previous = if newest_first {
            statement.entries.get(i + 1)
        } else {
            i.checked_sub(1).and_then(|p| statement.entries.get(p))
        };
        let entry = &statement.entries[i];
        let step = match (previous.and_then(|p| p.balance), entry.balance) {
            (Some(before), Some(after)) => Some(after - before),
            _ => None,
        };
        let (line, name) = (entry.line, statement.name.clone());
        let magnitude = entry.amount.abs();
        match step {
            Some(step) if !magnitude.is_zero() && (step == magnitude || step == -magnitude) => {
                let direction = if step == magnitude { "money in (收入)" } else { "money out (支出)" };
                statement.entries[i].amount = step;
                let message = format!(
                    "direction {:?} is neither 收入 nor 支出; the running balance shows {direction}, and it was read so",
                    short(&word)
                );
                statement.issues.push(RowIssue::new(&name, input, line, column, IssueCode::DirectionInferred, message));
            }
            _ => {
                let message = format!(
                    "direction {:?} is neither 收入 (in) nor 支出 (out), and the running balance does not tell",
                    short(&word)
                );
                statement.issues.push(RowIssue::new(&name, input, line, column, IssueCode::UnknownDirection, message));
                left_out.push(i);
            }
        }
    }
    for &i in left_out.iter().rev() {
        statement.entries.remove(i);
        statement.skipped += 1;
    }
    crate::sort::sort_by(&mut statement.issues, |a, b| (a.line.is_none(), a.line).cmp(&(b.line.is_none(), b.line)));
}

/// The account number in a title row: `账号:6222000011112222`, `账户：6222****2222`, `卡号: 1234****9876`.
fn account_in(title: &str) -> Option<String> {
    for word in ["账号", "账户", "卡号"] {
        for (at, _) in title.match_indices(word) {
            let rest =
                title[at + word.len()..].trim_start_matches(|c: char| c.is_whitespace() || ":：\u{3000}".contains(c));
            let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '*')).unwrap_or(rest.len());
            let account = &rest[..end];
            if account.bytes().filter(u8::is_ascii_digit).count() >= 6 {
                return Some(account.to_string());
            }
        }
    }
    None
}

/// Which amount columns a row's money was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pair {
    /// A debit and a credit column (借方/贷方, or a card export's booked 记账金额 pair).
    DebitCredit,
    /// One signed amount column.
    Signed,
}

/// The movements' sums per amount column, as the statement's own total row would state them.
#[derive(Default)]
struct ColumnSums {
    /// 借方: the debits' magnitudes.
    debit: Decimal,
    /// 贷方: the credits' magnitudes.
    credit: Decimal,
    /// The signed amounts (statements with one amount column and no direction column).
    amount: Decimal,
}

impl ColumnSums {
    /// Adds a kept row. Amounts are within [`crate::money::MAX_AMOUNT`], so sums cannot overflow.
    fn add(&mut self, entry: &BankEntry, pair: Pair) {
        if pair == Pair::DebitCredit {
            if entry.amount.is_sign_negative() {
                self.debit -= entry.amount;
            } else {
                self.credit += entry.amount;
            }
        }
        self.amount += entry.amount;
    }
}

type RowError = (IssueCode, Option<u32>, String);

/// A row read: its entry, notes on it (column, message), which amount columns gave its money, and
/// a direction word left to the running balance.
struct ReadRow {
    entry: BankEntry,
    notes: Vec<(Option<u32>, String)>,
    pair: Pair,
    unknown_direction: Option<(String, Option<u32>)>,
}

/// Reads the rows of one statement: which columns hold what.
struct RowReader<'c> {
    columns: &'c ColumnMap,
    /// The debit/credit pair that moved the balance: the booked pair when there is one.
    debit: Field,
    credit: Field,
    /// The transaction-currency pair beside a booked one, kept for display.
    transaction: Option<(Field, Field)>,
}

impl<'c> RowReader<'c> {
    fn of(columns: &'c ColumnMap) -> RowReader<'c> {
        let booked = columns.get(Field::BookedDebit).is_some() || columns.get(Field::BookedCredit).is_some();
        if booked {
            RowReader {
                columns,
                debit: Field::BookedDebit,
                credit: Field::BookedCredit,
                transaction: Some((Field::Debit, Field::Credit)),
            }
        } else {
            RowReader { columns, debit: Field::Debit, credit: Field::Credit, transaction: None }
        }
    }

    /// A cell, with a bank's `-` / `-------` placeholder read as empty.
    fn get<'r>(&self, record: &'r Cells, field: Field) -> &'r str {
        let cell = record.get(self.columns, field);
        if is_placeholder(cell) {
            ""
        } else {
            cell
        }
    }

    fn column(&self, field: Field) -> Option<u32> {
        self.columns.get(field).map(|c| c as u32 + 1)
    }

    /// The column the booking date is read from: 交易日期, or a date-time 交易时间 without one.
    fn date_field(&self) -> Field {
        if self.columns.get(Field::Date).is_some() {
            Field::Date
        } else {
            Field::Time
        }
    }

    fn date(&self, record: &Cells) -> Option<NaiveDate> {
        parse_day(self.get(record, self.date_field()))
    }

    fn entry(&self, record: &Cells) -> std::result::Result<ReadRow, RowError> {
        let date_field = self.date_field();
        let date_text = self.get(record, date_field);
        let date = parse_day(date_text).ok_or_else(|| {
            let message = format!("{:?} is not a date (2024-01-01, 2024/01/01 or 20240101)", short(date_text));
            (IssueCode::InvalidDate, self.column(date_field), message)
        })?;
        let time = {
            let text = self.get(record, Field::Time);
            let from_date = (date_text.len() > 10).then(|| parse_time(date_text)).flatten();
            if text.is_empty() || date_field == Field::Time {
                from_date
            } else {
                parse_time(text).or(from_date)
            }
        };
        let bad = |field: Field, text: &str, reason: &str| {
            (IssueCode::InvalidAmount, self.column(field), format!("{:?}: {reason}", short(text)))
        };
        let amount_of = |field: Field| {
            let text = self.get(record, field);
            optional_amount(text).map_err(|r| bad(field, text, r))
        };
        let (debit, credit) = (amount_of(self.debit)?, amount_of(self.credit)?);
        let mut unknown_direction = None;
        let (amount, pair) = match (debit, credit) {
            (None, None) => {
                let Some(signed) = amount_of(Field::Amount)? else {
                    let column = self.column(Field::Amount).or(self.column(self.credit)).or(self.column(self.debit));
                    return Err((IssueCode::InvalidAmount, column, "the row has no debit, credit or amount".into()));
                };
                let word = self.get(record, Field::Direction);
                let amount = match direction_of(word) {
                    Some(Direction::In) => signed.abs(),
                    Some(Direction::Out) => -signed.abs(),
                    None if word.is_empty() => signed,
                    None => {
                        unknown_direction = Some((word.to_string(), self.column(Field::Direction)));
                        signed.abs()
                    }
                };
                (amount, Pair::Signed)
            }
            // Some banks write debits negative in the debit column: the column says the direction.
            (debit, credit) => (credit.unwrap_or_default().abs() - debit.unwrap_or_default().abs(), Pair::DebitCredit),
        };
        // The transaction-currency pair is for display: an unreadable one costs nothing but itself.
        let transaction_amount = self.transaction.and_then(|(debit, credit)| {
            let (d, c) = (amount_of(debit).ok().flatten(), amount_of(credit).ok().flatten());
            (d.is_some() || c.is_some()).then(|| c.unwrap_or_default().abs() - d.unwrap_or_default().abs())
        });
        let mut notes = Vec::new();
        let balance_text = self.get(record, Field::Balance);
        let balance = match optional_amount(balance_text) {
            Ok(balance) => balance,
            Err(reason) => {
                let message = format!("{:?}: {reason}; the row is kept without a balance", short(balance_text));
                notes.push((self.column(Field::Balance), message));
                None
            }
        };
        let memo: Vec<&str> = [Field::Memo, Field::Note, Field::Purpose, Field::Place]
            .iter()
            .map(|&f| self.get(record, f))
            .filter(|s| !s.is_empty())
            .collect();
        let entry = BankEntry {
            line: record.line,
            offset: record.offset,
            date,
            time,
            amount,
            balance,
            currency: self.get(record, Field::Currency).to_string(),
            transaction_amount,
            transaction_currency: self.get(record, Field::TransactionCurrency).to_string(),
            counterparty: self.get(record, Field::Counterparty).to_string(),
            counterparty_account: self.get(record, Field::CounterpartyAccount).to_string(),
            memo: memo.join(" "),
            serial: self.get(record, Field::TradeNo).to_string(),
        };
        Ok(ReadRow { entry, notes, pair, unknown_direction })
    }

    /// The total row's amounts checked against the movements read: a [`Check`] per column whose
    /// cell holds an amount (`合计 借方`, `合计 贷方`; `合计 金额` for one signed amount column
    /// without a direction column, where a total could be net or gross). Debit and credit totals
    /// may be printed with or without a minus sign. Cells that are empty or not amounts (a count, a
    /// word) are not checked.
    fn total_checks(&self, label: &str, record: &Cells, sums: &ColumnSums) -> Vec<Check> {
        let signed = self.columns.get(Field::Direction).is_none();
        let columns = [(self.debit, "借方", sums.debit, true), (self.credit, "贷方", sums.credit, true)];
        let amount = signed.then_some((Field::Amount, "金额", sums.amount, false));
        let label = short(label);
        columns
            .into_iter()
            .chain(amount)
            .filter_map(|(field, word, found, magnitude)| {
                let text = self.columns.get(field).and_then(|c| record.cells.get(c))?;
                parse_amount(text).ok()?;
                Some(Check::compare(format!("{label} {word}"), text, Some(found), magnitude))
            })
            .collect()
    }
}

/// Parses `12:34:56`, `12:34`, `123456` or a date-time (its time part).
fn parse_time(text: &str) -> Option<NaiveTime> {
    if text.bytes().all(|b| b.is_ascii_digit()) && text.len() == 6 {
        return parse_time_as(text, &[Two, Two, Two]);
    }
    parse_time_as(text, &[Two, Lit(":"), Two, Lit(":"), Two])
        .or_else(|| parse_time_as(text, &[Two, Lit(":"), Two]))
        .or_else(|| {
            let seconds = parse_datetime(text)?;
            chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.time())
        })
}

/// Parses a date cell: `2024-01-01`, `2024/01/01`, `20240101`, or a date-time.
fn parse_day(text: &str) -> Option<NaiveDate> {
    parse_datetime(text).and_then(date_of)
}

/// An optional amount cell: empty is none; a bad one is `Err(reason)`.
pub(crate) fn optional_amount(text: &str) -> std::result::Result<Option<Decimal>, &'static str> {
    if text.is_empty() {
        return Ok(None);
    }
    checked_amount(text).map(Some)
}

/// An amount within [`crate::money::MAX_AMOUNT`], so sums can never overflow.
pub(crate) fn checked_amount(text: &str) -> std::result::Result<Decimal, &'static str> {
    let amount = parse_amount(text).map_err(|e| e.reason())?;
    if amount_in_range(amount) {
        Ok(amount)
    } else {
        Err("the amount is beyond 10^15 yuan")
    }
}

/// Parses a date cell of any small file (statements, payouts).
pub(crate) fn date_cell(text: &str) -> Option<NaiveDate> {
    parse_day(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_statement(name: &str, bytes: Vec<u8>) -> Result<Statement> {
        let profile = Profile::default();
        let mut options = crate::read::ReadOptions::new(crate::read::Purpose::Fund(InputKind::Bank), &profile);
        match crate::read::read(name, bytes.into(), &mut options)?.pop() {
            Some(crate::read::Read::Statement(statement)) => Ok(statement),
            other => panic!("not a statement: {other:?}"),
        }
    }

    fn check_statements(statements: &[Statement]) -> (Vec<balance::RunningBreak>, Vec<balance::StatementTotals>) {
        let s = &statements[0];
        (s.balance.breaks.clone(), vec![s.balance.totals.clone()])
    }

    #[test]
    fn corporate_statement_with_titles_dashes_tabs_and_footer() {
        let text = "中国某某银行对公账户交易明细\n账号:6222000011112222,户名:某某科技有限公司\n\
            交易日期,交易时间,借方发生额,贷方发生额,余额,对方户名,对方账号,摘要,用途\n\
            20260325,093015,-,\"12,345.67\",\"112,345.67\",财付通支付科技有限公司,\t,微信支付结算 商户号1230000109 20260324,\n\
            2026/03/25 ,10:01:02\t,500.00,-------,\"111,845.67\",张三,6222111122223333,代付,货款\n\
            2026-03-25,,,,111845.67,,,,\n\
            合计,,500.00,12345.67,,,,,\n\
            以上数据仅供参考|具体内容请以柜台为准,,,,,,,,\n";
        let s = read_statement("s.csv", text.as_bytes().to_vec()).expect("reads");
        assert_eq!(s.header_line, 3);
        assert_eq!(s.account.as_deref(), Some("6222000011112222"));
        assert_eq!(s.entries.len(), 2);
        let first = &s.entries[0];
        assert_eq!(first.amount.to_string(), "12345.67");
        assert_eq!(first.balance.map(|b| b.to_string()).as_deref(), Some("112345.67"));
        assert_eq!(first.time, NaiveTime::from_hms_opt(9, 30, 15));
        assert_eq!(first.memo, "微信支付结算 商户号1230000109 20260324");
        assert_eq!(first.counterparty_account, "");
        let second = &s.entries[1];
        assert_eq!(second.amount.to_string(), "-500.00");
        assert_eq!(second.memo, "代付 货款");
        let codes: Vec<(IssueCode, Option<u32>)> = s.issues.iter().map(|i| (i.code, i.line)).collect();
        assert_eq!(
            codes,
            vec![
                (IssueCode::TitleRowSkipped, Some(1)),
                (IssueCode::TitleRowSkipped, Some(2)),
                (IssueCode::InvalidAmount, Some(6)),
                (IssueCode::TotalRowSkipped, Some(7)),
                (IssueCode::TotalRowSkipped, Some(8)),
            ]
        );
        let checks: Vec<(&str, &str, &str, bool)> =
            s.checks.iter().map(|c| (c.name.as_str(), c.expected.as_str(), c.found.as_str(), c.passed)).collect();
        assert_eq!(
            checks,
            [
                ("合计 借方", "500.00", "500.00", true),
                ("合计 贷方", "12345.67", "12345.67", true),
                ("余额 (opening + movements = closing)", "111845.67", "111845.67", true)
            ]
        );
    }

    fn checks_of(s: &Statement) -> Vec<(String, String, String, bool)> {
        s.checks.iter().map(|c| (c.name.clone(), c.expected.clone(), c.found.clone(), c.passed)).collect()
    }

    fn check(name: &str, expected: &str, found: &str, passed: bool) -> (String, String, String, bool) {
        (name.to_string(), expected.to_string(), found.to_string(), passed)
    }

    #[test]
    fn a_wrong_total_row_is_a_failed_check_and_a_summary_mismatch() {
        let text = "交易日期,借方发生额,贷方发生额,余额\n\
            2026-03-25,,\"1,000.00\",1000.00\n\
            2026-03-25,0.5,,999.50\n\
            2026-03-25,,0.40,999.90\n\
            合计,-0.50,\"1,000.80\",\n";
        let s = read_statement("s.csv", text.as_bytes().to_vec()).expect("reads");
        assert_eq!(s.entries.len(), 3);
        // 0.5 (written 0.50) against a total of -0.50: a debit total may carry its minus sign.
        assert_eq!(
            checks_of(&s),
            [
                check("合计 借方", "-0.50", "0.50", true),
                check("合计 贷方", "1,000.80", "1000.40", false),
                check("余额 (opening + movements = closing)", "999.90", "999.90", true)
            ]
        );
        let mismatch: Vec<(IssueCode, Option<u32>, &str)> =
            s.issues.iter().filter(|i| !i.skips_row()).map(|i| (i.code, i.line, i.message.as_str())).collect();
        assert_eq!(
            mismatch,
            [(IssueCode::SummaryMismatch, None, "合计 贷方: the file says 1,000.80, its detail adds up to 1000.40")]
        );
    }

    #[test]
    fn the_last_total_row_with_amounts_is_checked_and_cumulative_totals_are_not() {
        let text = "交易日期,借方发生额,贷方发生额\n\
            2026-03-25,,10.00\n\
            2026-03-25,2.00,\n\
            本页合计,99.00,99.00\n\
            总计,2.00,10.00\n\
            本年累计,500.00,900.00\n\
            合计笔数,2笔,\n\
            以上数据仅供参考,,\n";
        let s = read_statement("s.csv", text.as_bytes().to_vec()).expect("reads");
        assert_eq!(
            checks_of(&s),
            [check("总计 借方", "2.00", "2.00", true), check("总计 贷方", "10.00", "10.00", true)]
        );
        assert!(s.issues.iter().all(|i| i.code != IssueCode::SummaryMismatch));
        assert_eq!(s.skipped, 5);
    }

    #[test]
    fn a_signed_amount_total_is_the_net_sum_unless_a_direction_column_says_otherwise() {
        let signed = "交易日期,交易金额\n2026-03-25,+100.00\n2026-03-25,-30.5\n合计,69.50\n";
        let s = read_statement("s.csv", signed.as_bytes().to_vec()).expect("reads");
        assert_eq!(checks_of(&s), [check("合计 金额", "69.50", "69.50", true)]);
        let directed = "交易日期,交易金额,借贷标志\n2026-03-25,100.00,贷\n2026-03-25,30.50,借\n合计,130.50,\n";
        let s = read_statement("s.csv", directed.as_bytes().to_vec()).expect("reads");
        assert!(s.checks.is_empty(), "an unsigned amount column's total may be gross or net");
        let none = "交易日期,贷方发生额\n2026-03-25,1.00\n以上数据仅供参考\n";
        assert!(read_statement("s.csv", none.as_bytes().to_vec()).expect("reads").checks.is_empty());
    }

    #[test]
    fn signed_amount_with_direction_and_bad_cells() {
        let text = "记账日期,交易金额,借贷标志,账户余额,交易摘要,附言,流水号\n\
            2026-03-25 08:00:00,100.00,贷,1100.00,结算,1230000109结算款,A1\n\
            2026-03-25 09:00:00,100.00,借,1000.00,手续费,,A2\n\
            2026-13-25,1.00,贷,1001.00,,,A3\n\
            2026-03-26,-5.00,,abc,,,A4\n";
        let s = read_statement("s.csv", text.as_bytes().to_vec()).expect("reads");
        let amounts: Vec<String> = s.entries.iter().map(|e| e.amount.to_string()).collect();
        assert_eq!(amounts, ["100.00", "-100.00", "-5.00"]);
        assert_eq!(s.entries[0].time, NaiveTime::from_hms_opt(8, 0, 0));
        assert_eq!(s.entries[2].balance, None);
        let codes: Vec<IssueCode> = s.issues.iter().map(|i| i.code).collect();
        assert_eq!(codes, [IssueCode::InvalidDate, IssueCode::InvalidBalance]);
    }

    #[test]
    fn utf16_with_full_width_labels_and_split_amount_columns() {
        let text = "记账日\u{3000},交易金额（支出）,交易金额（收入）,本次余额,对方账户名,对方卡号/账号,交易名称,用途,交易流水号\n\
                    2026/03/25,,\"1,000.00\",\"2,000.00\",财付通支付科技有限公司,,1230000109结算款,,T1\n\
                    2026/03/25,0.50,,1999.50,,,手续费,,T2\n";
        let bytes: Vec<u8> = [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let s = read_statement("s.csv", bytes).expect("reads");
        assert_eq!(s.encoding, Encoding::Utf16Le);
        let got: Vec<(String, String, &str)> = s
            .entries
            .iter()
            .map(|e| (e.amount.to_string(), e.balance.map(|b| b.to_string()).unwrap_or_default(), e.serial.as_str()))
            .collect();
        assert_eq!(
            got,
            [("1000.00".to_string(), "2000.00".to_string(), "T1"), ("-0.50".to_string(), "1999.50".to_string(), "T2")]
        );
        assert_eq!(s.columns.get(Field::Debit).map(|c| s.header[c].as_str()), Some("交易金额（支出）"));
        assert_eq!(s.entries[0].counterparty, "财付通支付科技有限公司");
    }

    #[test]
    fn unusable_statements_are_errors() {
        assert_eq!(read_statement("e.csv", Vec::new()).unwrap_err().code(), "empty_file");
        let err = read_statement("x.csv", "a,b\n1,2\n".as_bytes().to_vec()).unwrap_err();
        assert_eq!(err.code(), "no_known_columns");
        let err = read_statement("h.csv", "交易日期,贷方发生额\n".as_bytes().to_vec()).unwrap_err();
        assert_eq!(err.code(), "no_data_rows");
    }

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
