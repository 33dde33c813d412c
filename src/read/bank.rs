//! Bank account statements (银行流水) and the other fund-flow inputs (payout instructions, merchant
//! sub-ledgers) as CSV text: columns found by name through alias tables, title rows and footers
//! skipped and reported, every bad row a [`RowIssue`].
//!
//! Bank files are small next to channel bills (one row per movement, not per order), so rows are
//! read into owned values; the scan itself reuses the zero-allocation [`Scanner`].

use super::cell::trim_cell;
use super::csv::{detect_delimiter, unescape, Scanner};
use super::encoding::{decode, Encoding};
use super::IssueCode;
use super::{Check, RowIssue};
use crate::error::{Error, ErrorKind, Result};
use crate::money::parse_amount;
use crate::record::{normalize_header, InputKind};
use crate::time::Part::{Lit, Two};
use crate::time::{date_of, parse_datetime, parse_time_as};
use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many records are searched for the header before giving up.
const HEADER_SEARCH_RECORDS: usize = 64;
/// Words of a total row (合计, 本页合计, …). With [`NOTICE_WORDS`], they mark the footer: everything
/// from the first such row on is not a movement.
const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "汇总", "本页", "累计"];
/// Words of a total row that covers more than the file (本月累计, 本年累计): never checked.
const CUMULATIVE_WORDS: &[&str] = &["累计"];
/// Words of the notice some banks print under the statement.
const NOTICE_WORDS: &[&str] = &["以上数据仅供参考", "具体内容请以柜台为准", "仅供参考"];

/// Statement columns and their header names (compared after [`normalize_header`]).
const STATEMENT_COLUMNS: &[(&str, &[&str])] = &[
    ("date", &["交易日期", "记账日期", "记账日", "交易日", "日期", "date"]),
    ("time", &["交易时间", "记账时间", "时间", "time"]),
    ("debit", &["借方发生额", "支出", "交易金额(支出)", "支出金额", "借方金额", "debit"]),
    ("credit", &["贷方发生额", "收入", "交易金额(收入)", "收入金额", "贷方金额", "credit"]),
    ("amount", &["交易金额", "金额", "发生额", "amount"]),
    ("direction", &["借贷标志", "借贷方向", "收支标志", "借贷"]),
    ("balance", &["余额", "账户余额", "联机余额", "本次余额", "balance"]),
    ("currency", &["币种", "币别", "currency"]),
    ("counterparty", &["对方户名", "对方账户名", "对手信息", "对方名称", "counterparty"]),
    ("counterparty_account", &["对方账号", "对方账户", "对方卡号/账号", "对方卡号", "账号", "counterparty_account"]),
    ("counterparty_bank", &["对方开户行", "对方行名"]),
    ("summary", &["摘要", "交易摘要", "交易名称", "memo"]),
    ("note", &["附言", "交易附言", "客户摘要"]),
    ("purpose", &["用途"]),
    ("serial", &["流水号", "日志号", "交易流水号", "serial"]),
];

/// Payout instruction columns (代付指令).
const PAYOUT_COLUMNS: &[(&str, &[&str])] = &[
    ("merchant", &["merchant_id", "merchant", "商户号", "商户编号"]),
    ("amount", &["amount", "金额", "付款金额", "代付金额", "交易金额"]),
    ("account", &["account", "beneficiary_account", "收款账号", "收款人账号", "收款账户", "对方账号"]),
    ("reference", &["reference", "ref", "业务参考号", "参考号", "指令编号", "批次号", "付款编号"]),
    ("date", &["date", "日期", "付款日期", "代付日期", "交易日期"]),
];

/// Merchant sub-ledger columns (分户账).
const LEDGER_COLUMNS: &[(&str, &[&str])] = &[
    ("merchant", &["merchant_id", "merchant", "商户号", "子账户", "分户账号", "户名"]),
    ("balance", &["balance", "余额", "账户余额", "期末余额", "分户余额"]),
];

/// One movement on a bank statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BankEntry {
    /// 1-based line in the statement file.
    pub line: u32,
    /// Booking date (交易日期 / 记账日期).
    pub date: NaiveDate,
    /// Time of day, when the statement has one.
    #[serde(serialize_with = "serialize_time")]
    pub time: Option<NaiveTime>,
    /// Signed amount: credit (贷方, money in) positive, debit (借方, money out) negative.
    pub amount: Decimal,
    /// Running balance after the movement (余额), when given.
    pub balance: Option<Decimal>,
    /// Counterparty name (对方户名).
    pub counterparty: String,
    /// Counterparty account (对方账号).
    pub counterparty_account: String,
    /// 摘要, 附言 and 用途 joined by a space.
    pub memo: String,
    /// Bank serial (流水号).
    pub serial: String,
}

fn serialize_time<S: serde::Serializer>(time: &Option<NaiveTime>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match time {
        Some(t) => s.serialize_str(&crate::time::hms(*t)),
        None => s.serialize_none(),
    }
}

/// A statement file, read.
#[derive(Clone, Debug)]
pub struct Statement {
    /// File name.
    pub name: String,
    /// Detected encoding.
    pub encoding: Encoding,
    /// 1-based line of the header.
    pub header_line: u32,
    /// Header cells as written (trimmed).
    pub header: Vec<String>,
    /// Which header each column was read from.
    pub columns: BTreeMap<&'static str, String>,
    /// The account the statement is for, when a title row names it (`账号:6222…`).
    pub account: Option<String>,
    /// The movements, in file order.
    pub entries: Vec<BankEntry>,
    /// Rows skipped or repaired.
    pub issues: Vec<RowIssue>,
    /// Records after the header that were skipped (each has an issue).
    pub skipped: u32,
    /// The statement's own total row checked against its movements (see [`read_statement`]).
    pub checks: Vec<Check>,
}

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
}

/// A payout instruction file, read.
#[derive(Clone, Debug)]
pub struct PayoutFile {
    /// File name.
    pub name: String,
    /// The instructions.
    pub payouts: Vec<Payout>,
    /// Rows skipped.
    pub issues: Vec<RowIssue>,
}

/// A merchant sub-ledger (分户账): balances per merchant; the book balance is their sum.
#[derive(Clone, Debug)]
pub struct Ledger {
    /// File name.
    pub name: String,
    /// (merchant, balance) in file order.
    pub balances: Vec<(String, Decimal)>,
    /// Rows skipped.
    pub issues: Vec<RowIssue>,
}

impl Ledger {
    /// The book balance: the sum of the sub-ledger balances.
    pub fn total(&self) -> Decimal {
        self.balances.iter().map(|(_, b)| *b).sum()
    }
}

/// Cells of one record, trimmed; `-` and `-------` placeholders read as empty.
struct Records<'t> {
    text: &'t str,
    scanner: Scanner<'t>,
    fields: Vec<super::csv::FieldRange>,
}

impl<'t> Records<'t> {
    fn new(text: &'t str) -> Self {
        Records { text, scanner: Scanner::new(text, detect_delimiter(text)), fields: Vec::with_capacity(24) }
    }

    /// The next record: its line and cells. Unterminated quotes end the line (reading resumes after).
    fn next(&mut self) -> Option<(u32, Vec<String>, bool)> {
        let record = self.scanner.next_record(&mut self.fields)?;
        let broken = record.unterminated_quote;
        if broken {
            let next = self.scanner.next_line_start(record.start);
            self.scanner.restart_at(next, record.line + 1);
        }
        let cells = self
            .fields
            .iter()
            .map(|f| {
                let raw = self.text.get(f.start as usize..f.end as usize).unwrap_or("");
                let value = if f.needs_unescape { unescape(raw) } else { raw.to_string() };
                let value = trim_cell(&value);
                if !value.is_empty() && value.chars().all(|c| c == '-' || c == '—') {
                    String::new()
                } else {
                    value.to_string()
                }
            })
            .collect();
        Some((record.line, cells, broken))
    }
}

/// Columns found in a header row, and the title rows above it.
struct Header {
    line: u32,
    cells: Vec<String>,
    map: BTreeMap<&'static str, usize>,
    titles: Vec<String>,
}

impl Header {
    fn get<'c>(&self, cells: &'c [String], column: &str) -> &'c str {
        self.map.get(column).and_then(|&c| cells.get(c)).map_or("", String::as_str)
    }

    fn column(&self, column: &str) -> Option<u32> {
        self.map.get(column).map(|&c| c as u32 + 1)
    }

    fn names(&self) -> BTreeMap<&'static str, String> {
        crate::sort::map(self.map.iter().map(|(&k, &c)| (k, self.cells[c].clone())))
    }
}

fn map_header(cells: &[String], table: &[(&'static str, &[&str])]) -> BTreeMap<&'static str, usize> {
    let normalized: Vec<String> = cells.iter().map(|c| normalize_header(c)).collect();
    let mut taken = vec![false; cells.len()];
    let mut map = BTreeMap::new();
    for (column, names) in table {
        let found = names.iter().find_map(|name| {
            let name = normalize_header(name);
            (0..normalized.len()).find(|&c| !taken[c] && normalized[c] == name)
        });
        if let Some(c) = found {
            taken[c] = true;
            map.insert(*column, c);
        }
    }
    map
}

/// Finds the header: the first record whose columns satisfy `usable`; earlier rows are title rows.
fn find_header(
    records: &mut Records<'_>,
    name: &str,
    side: InputKind,
    table: &[(&'static str, &[&str])],
    usable: fn(&BTreeMap<&'static str, usize>) -> bool,
    hint: &str,
    issues: &mut Vec<RowIssue>,
) -> Result<Header> {
    let mut best: (usize, Vec<String>) = (0, Vec::new());
    let mut titles = Vec::new();
    let mut title_text = Vec::new();
    while let Some((line, cells, _)) = records.next() {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let map = map_header(&cells, table);
        if usable(&map) {
            for title in titles {
                let message = "a title row before the header; not reconciled".to_string();
                issues.push(RowIssue::new(name, side, title, None, IssueCode::TitleRowSkipped, message));
            }
            return Ok(Header { line, cells, map, titles: title_text });
        }
        title_text.push(cells.join(","));
        if map.len() > best.0 || best.1.is_empty() {
            best = (map.len(), cells);
        }
        titles.push(line);
        if titles.len() >= HEADER_SEARCH_RECORDS {
            break;
        }
    }
    let detail = if best.1.is_empty() { "no row looks like a header".to_string() } else { best.1.join(", ") };
    Err(Error::new(
        ErrorKind::NoKnownColumns { best_header: best.1 },
        format!("no header with {hint} was found; the closest row has {detail}"),
    )
    .in_file(name))
}

/// The account number in a title row: `账号:6222000011112222`, `账户：6222****2222`.
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

fn is_footer(cells: &[String]) -> bool {
    cells.iter().any(|c| TOTAL_WORDS.iter().chain(NOTICE_WORDS).any(|w| c.contains(w)))
}

/// The label of a total row that sums the movements before it (合计, 总计, 本页合计, 小计), or
/// `None`: not a total row, or a cumulative one (本年累计) that covers more than the file.
fn total_label(cells: &[String]) -> Option<&str> {
    let label = cells.iter().find(|c| TOTAL_WORDS.iter().any(|w| c.contains(w)))?;
    let cumulative = cells.iter().any(|c| CUMULATIVE_WORDS.iter().any(|w| c.contains(w)));
    (!cumulative).then_some(label.as_str())
}

/// The movements' sums per amount column, as the statement's own total row would state them.
#[derive(Default)]
struct ColumnSums {
    /// 借方: the debit cells' magnitudes.
    debit: Decimal,
    /// 贷方: the credit cells' magnitudes.
    credit: Decimal,
    /// The signed amounts (statements with one amount column and no direction column).
    amount: Decimal,
}

impl ColumnSums {
    /// Adds a kept row. Amounts are within [`crate::money::MAX_AMOUNT`], so sums cannot overflow.
    fn add(&mut self, header: &Header, cells: &[String], entry: &BankEntry) {
        let cell = |column| optional_amount(header.get(cells, column)).ok().flatten().unwrap_or_default().abs();
        self.debit += cell("debit");
        self.credit += cell("credit");
        self.amount += entry.amount;
    }
}

/// The total row's amounts checked against the movements read: a [`Check`] per column whose cell
/// holds an amount (`合计 借方`, `合计 贷方`; `合计 金额` for one signed amount column without a
/// direction column, where a total could be net or gross). Debit and credit totals may be printed
/// with or without a minus sign. Cells that are empty or not amounts (a count, a word) are not checked.
fn total_checks(header: &Header, label: &str, cells: &[String], sums: &ColumnSums) -> Vec<Check> {
    let signed = !header.map.contains_key("direction");
    let columns = [("debit", "借方", sums.debit, true), ("credit", "贷方", sums.credit, true)];
    let amount = signed.then_some(("amount", "金额", sums.amount, false));
    let label = short(label);
    columns
        .into_iter()
        .chain(amount)
        .filter_map(|(column, word, found, magnitude)| {
            let text = header.map.get(column).and_then(|&c| cells.get(c))?;
            parse_amount(text).ok()?;
            Some(Check::compare(format!("{label} {word}"), text, Some(found), magnitude))
        })
        .collect()
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

/// An optional amount cell: empty is zero; a bad one is `Err(reason)`.
fn optional_amount(text: &str) -> std::result::Result<Option<Decimal>, &'static str> {
    if text.is_empty() {
        return Ok(None);
    }
    checked_amount(text).map(Some)
}

/// An amount within [`crate::money::MAX_AMOUNT`], so sums can never overflow.
fn checked_amount(text: &str) -> std::result::Result<Decimal, &'static str> {
    let amount = parse_amount(text).map_err(|e| e.reason())?;
    if crate::money::amount_in_range(amount) {
        Ok(amount)
    } else {
        Err("the amount is beyond 10^15 yuan")
    }
}

fn statement_usable(map: &BTreeMap<&'static str, usize>) -> bool {
    let has = |c| map.contains_key(c);
    (has("date") || has("time")) && (has("debit") || has("credit") || has("amount"))
}

/// Reads a bank statement CSV (any supported encoding).
///
/// The footer's last total row with amounts (合计, 总计, 本页合计, …; not a cumulative 本年累计) is checked
/// against the movements read: its debit and credit (or signed amount) cells become
/// [`Statement::checks`], and a failed one a file-level `summary_mismatch` issue. Everything from
/// the first footer row on is footer, so the last total row is the one that covers the most; a row
/// read or skipped wrongly shows as a failed check.
pub fn read_statement(name: &str, bytes: Vec<u8>) -> Result<Statement> {
    let side = InputKind::Bank;
    let decoded = decode(bytes).map_err(|e| e.in_file(name))?;
    let mut issues = Vec::new();
    if let Some(note) = decoded.note {
        issues.push(RowIssue::file_note(name, side, IssueCode::EncodingRepaired, note));
    }
    let mut records = Records::new(&decoded.text);
    let hint = "a date column (交易日期, 记账日期, …) and an amount column (借方发生额/贷方发生额, 交易金额, …)";
    let header = find_header(&mut records, name, side, STATEMENT_COLUMNS, statement_usable, hint, &mut issues)?;
    let mut statement = Statement {
        name: name.to_string(),
        encoding: decoded.encoding,
        header_line: header.line,
        header: header.cells.clone(),
        columns: header.names(),
        account: header.titles.iter().find_map(|t| account_in(t)),
        entries: Vec::new(),
        issues,
        skipped: 0,
        checks: Vec::new(),
    };
    let mut in_footer = false;
    let mut sums = ColumnSums::default();
    while let Some((line, cells, broken)) = records.next() {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let mut skip = |code: IssueCode, column: Option<u32>, message: String| {
            statement.skipped += 1;
            statement.issues.push(RowIssue::new(name, side, line, column, code, message));
        };
        if broken {
            skip(IssueCode::UnbalancedQuote, None, "a quoted field is not closed on this line".into());
            continue;
        }
        if in_footer || is_footer(&cells) {
            in_footer = true;
            // Every movement is read by now: the last total row with amounts wins.
            if let Some(label) = total_label(&cells) {
                let checks = total_checks(&header, label, &cells, &sums);
                if !checks.is_empty() {
                    statement.checks = checks;
                }
            }
            skip(IssueCode::TotalRowSkipped, None, "a footer or total row after the movements; not reconciled".into());
            continue;
        }
        match statement_row(&header, &cells, line) {
            Ok((entry, notes)) => {
                for (column, message) in notes {
                    statement.issues.push(RowIssue::new(name, side, line, column, IssueCode::InvalidBalance, message));
                }
                sums.add(&header, &cells, &entry);
                statement.entries.push(entry);
            }
            Err((code, column, message)) => skip(code, column, message),
        }
    }
    if statement.entries.is_empty() && statement.skipped == 0 {
        return Err(Error::new(ErrorKind::NoDataRows, "the statement has a header but no movements")
            .in_file(name)
            .at(u64::from(header.line), None));
    }
    let mismatches: Vec<RowIssue> = statement.checks.iter().filter_map(|c| c.mismatch(name, side)).collect();
    statement.issues.extend(mismatches);
    Ok(statement)
}

type RowError = (IssueCode, Option<u32>, String);
/// Notes on a kept row: (column, message).
type RowNotes = Vec<(Option<u32>, String)>;

fn statement_row(header: &Header, cells: &[String], line: u32) -> std::result::Result<(BankEntry, RowNotes), RowError> {
    let get = |c| header.get(cells, c);
    let date_column = if header.map.contains_key("date") { "date" } else { "time" };
    let date_text = get(date_column);
    let date = parse_day(date_text).ok_or_else(|| {
        let message = format!("{:?} is not a date (2024-01-01, 2024/01/01 or 20240101)", short(date_text));
        (IssueCode::InvalidDate, header.column(date_column), message)
    })?;
    let time = {
        let text = get("time");
        let from_date = (date_text.len() > 10).then(|| parse_time(date_text)).flatten();
        if text.is_empty() || date_column == "time" {
            from_date
        } else {
            parse_time(text).or(from_date)
        }
    };
    let bad = |column: &str, text: &str, reason: &str| {
        (IssueCode::InvalidAmount, header.column(column), format!("{:?}: {reason}", short(text)))
    };
    let debit = optional_amount(get("debit")).map_err(|r| bad("debit", get("debit"), r))?;
    let credit = optional_amount(get("credit")).map_err(|r| bad("credit", get("credit"), r))?;
    let amount = match (debit, credit) {
        (None, None) => {
            let signed = optional_amount(get("amount")).map_err(|r| bad("amount", get("amount"), r))?;
            let Some(signed) = signed else {
                let column = header.column("amount").or(header.column("credit")).or(header.column("debit"));
                return Err((IssueCode::InvalidAmount, column, "the row has no debit, credit or amount".into()));
            };
            let direction = get("direction");
            if ["借", "支", "出", "D", "d"].iter().any(|w| direction.starts_with(w)) {
                -signed.abs()
            } else if ["贷", "收", "入", "C", "c"].iter().any(|w| direction.starts_with(w)) {
                signed.abs()
            } else {
                signed
            }
        }
        // Some banks write debits negative in the debit column: the column says the direction.
        (debit, credit) => credit.unwrap_or_default().abs() - debit.unwrap_or_default().abs(),
    };
    let mut notes = Vec::new();
    let balance_text = get("balance");
    let balance = match optional_amount(balance_text) {
        Ok(balance) => balance,
        Err(reason) => {
            let message = format!("{:?}: {reason}; the row is kept without a balance", short(balance_text));
            notes.push((header.column("balance"), message));
            None
        }
    };
    let memo = ["summary", "note", "purpose"].iter().map(|c| get(c)).filter(|s| !s.is_empty()).collect::<Vec<_>>();
    let entry = BankEntry {
        line,
        date,
        time,
        amount,
        balance,
        counterparty: get("counterparty").to_string(),
        counterparty_account: get("counterparty_account").to_string(),
        memo: memo.join(" "),
        serial: get("serial").to_string(),
    };
    Ok((entry, notes))
}

/// Reads a payout instruction CSV: merchant, amount, beneficiary account, reference, date.
pub fn read_payouts(name: &str, bytes: Vec<u8>) -> Result<PayoutFile> {
    let side = InputKind::Payouts;
    let decoded = decode(bytes).map_err(|e| e.in_file(name))?;
    let mut records = Records::new(&decoded.text);
    let mut issues = Vec::new();
    let usable: fn(&BTreeMap<&'static str, usize>) -> bool = |m| m.contains_key("amount") && m.contains_key("date");
    let header =
        find_header(&mut records, name, side, PAYOUT_COLUMNS, usable, "an amount and a date column", &mut issues)?;
    let mut payouts = Vec::new();
    while let Some((line, cells, broken)) = records.next() {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let mut skip = |code, column, message| issues.push(RowIssue::new(name, side, line, column, code, message));
        if broken {
            skip(IssueCode::UnbalancedQuote, None, "a quoted field is not closed on this line".into());
            continue;
        }
        if is_footer(&cells) {
            skip(IssueCode::TotalRowSkipped, None, "a total row; not reconciled".into());
            continue;
        }
        let amount_text = header.get(&cells, "amount");
        let amount = match checked_amount(amount_text) {
            Ok(a) => a.abs(),
            Err(reason) => {
                let message = format!("{:?}: {reason}", short(amount_text));
                skip(IssueCode::InvalidAmount, header.column("amount"), message);
                continue;
            }
        };
        let date_text = header.get(&cells, "date");
        let Some(date) = parse_day(date_text) else {
            skip(IssueCode::InvalidDate, header.column("date"), format!("{:?} is not a date", short(date_text)));
            continue;
        };
        payouts.push(Payout {
            line,
            merchant: header.get(&cells, "merchant").to_string(),
            amount,
            account: header.get(&cells, "account").to_string(),
            reference: header.get(&cells, "reference").to_string(),
            date,
        });
    }
    Ok(PayoutFile { name: name.to_string(), payouts, issues })
}

/// Reads a merchant sub-ledger CSV (分户账): merchant and balance per row.
pub fn read_ledger(name: &str, bytes: Vec<u8>) -> Result<Ledger> {
    let side = InputKind::Book;
    let decoded = decode(bytes).map_err(|e| e.in_file(name))?;
    let mut records = Records::new(&decoded.text);
    let mut issues = Vec::new();
    let usable: fn(&BTreeMap<&'static str, usize>) -> bool = |m| m.contains_key("balance");
    let header = find_header(&mut records, name, side, LEDGER_COLUMNS, usable, "a balance column (余额)", &mut issues)?;
    let mut balances = Vec::new();
    while let Some((line, cells, broken)) = records.next() {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if broken || is_footer(&cells) {
            let message = "a total row or broken line; not counted".to_string();
            issues.push(RowIssue::new(name, side, line, None, IssueCode::TotalRowSkipped, message));
            continue;
        }
        let text = header.get(&cells, "balance");
        match checked_amount(text) {
            Ok(balance) => balances.push((header.get(&cells, "merchant").to_string(), balance)),
            Err(reason) => issues.push(RowIssue::new(
                name,
                side,
                line,
                header.column("balance"),
                IssueCode::InvalidAmount,
                format!("{:?}: {reason}", short(text)),
            )),
        }
    }
    Ok(Ledger { name: name.to_string(), balances, issues })
}

/// Which fund-flow input a text's header row says it is, reading only its first records (a head
/// of the file is enough): `Bank` for a statement (a date and debit/credit or balance columns),
/// `Payouts` for payout instructions (an amount, a date and a beneficiary account or a 代付/付款
/// column), `Book` for a sub-ledger (a merchant and a balance, no amounts or dates). A row with an
/// order or transaction number is an order table's header: `None`, whatever else it has.
pub fn header_side(text: &str) -> Option<InputKind> {
    let mut records = Records::new(text);
    let order_words: Vec<String> = [crate::record::Field::OrderNo, crate::record::Field::TradeNo]
        .iter()
        .flat_map(|f| f.default_aliases().iter().map(|a| normalize_header(a)))
        .collect();
    for _ in 0..HEADER_SEARCH_RECORDS {
        let (_, cells, _) = records.next()?;
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let normalized: Vec<String> = cells.iter().map(|c| normalize_header(c)).collect();
        if normalized.iter().any(|c| order_words.contains(c)) {
            return None;
        }
        let statement = map_header(&cells, STATEMENT_COLUMNS);
        let has = |c| statement.contains_key(c);
        if statement_usable(&statement) && (has("debit") || has("credit") || has("balance")) {
            return Some(InputKind::Bank);
        }
        let payout = map_header(&cells, PAYOUT_COLUMNS);
        let payout_word = ["代付", "付款"].iter().any(|w| normalized.iter().any(|c| c.contains(w)));
        if payout.contains_key("amount")
            && payout.contains_key("date")
            && (payout.contains_key("account") || payout_word)
        {
            return Some(InputKind::Payouts);
        }
        let ledger = map_header(&cells, LEDGER_COLUMNS);
        let moves = ["date", "time", "debit", "credit", "amount"].iter().any(|c| has(c));
        if ledger.contains_key("merchant") && ledger.contains_key("balance") && !moves {
            return Some(InputKind::Book);
        }
    }
    None
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(checks, [("合计 借方", "500.00", "500.00", true), ("合计 贷方", "12345.67", "12345.67", true)]);
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
        // 0.5 against a total of -0.50: a debit total may carry its minus sign; 1.0 equals 1.00.
        assert_eq!(
            checks_of(&s),
            [check("合计 借方", "-0.50", "0.5", true), check("合计 贷方", "1,000.80", "1000.40", false)]
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
        assert_eq!(s.columns.get("debit").map(String::as_str), Some("交易金额（支出）"));
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
    fn payouts_and_ledger() {
        let text = "商户号,代付金额,收款账号,业务参考号,付款日期\n1230000109,\"1,000.00\",6222,P1,2026-03-25\nX,abc,1,P2,2026-03-25\n";
        let p = read_payouts("p.csv", text.as_bytes().to_vec()).expect("reads");
        assert_eq!(p.payouts.len(), 1);
        assert_eq!(p.payouts[0].amount.to_string(), "1000.00");
        assert_eq!(p.issues.len(), 1);
        let l = read_ledger("l.csv", "商户号,余额\nA,10.00\nB,5.50\n合计,15.50\n".as_bytes().to_vec()).expect("reads");
        assert_eq!(l.total().to_string(), "15.50");
    }
}
