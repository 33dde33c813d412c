//! What was read from each input: [`FileInfo`] per table, [`InputInfo`] per fund-flow file, and
//! [`Inspection`], what `inspect` says about a file read on its own.

use crate::format::Format;
use crate::read::bank::Statement;
use crate::read::{Check, Encoding, RowIssue, Table};
use crate::record::{Field, InputKind, Side};
use serde::Serialize;
use std::collections::BTreeMap;

/// What was read from one file.
#[derive(Clone, Debug, Serialize)]
pub struct FileInfo {
    /// `internal` or `channel`.
    pub side: Side,
    /// File name.
    pub name: String,
    /// Detected encoding.
    pub encoding: Encoding,
    /// Detected delimiter.
    pub delimiter: String,
    /// 1-based line of the header.
    pub header_line: u32,
    /// Header cells.
    pub header: Vec<String>,
    /// Which header each field was read from.
    pub columns: BTreeMap<&'static str, String>,
    /// Rows reconciled.
    pub rows: u64,
    /// Records after the header that were skipped (each has an issue).
    pub skipped: u64,
    /// The layout the file was read as (`generic_csv`, `wechat_trade`, …; see [`Format`]).
    pub format: Format,
    /// The layout's version, e.g. `ALL`, `REFUND/子商户号`, `29 columns`; empty when it has one.
    pub variant: String,
    /// The file's own totals checked against its detail: `{name, expected, found, passed}`.
    pub checks: Vec<Check>,
}

impl FileInfo {
    /// Describes a table that was read.
    pub fn of(table: &Table) -> FileInfo {
        let columns = crate::sort::map(
            Field::ALL.iter().filter_map(|&f| table.columns.get(f).map(|c| (f.code(), table.header[c].clone()))),
        );
        FileInfo {
            side: table.side,
            name: table.name.clone(),
            encoding: table.encoding,
            delimiter: (table.delimiter as char).to_string(),
            header_line: table.header_line,
            header: table.header.clone(),
            columns,
            rows: table.row_count() as u64,
            skipped: u64::from(table.skipped_records),
            format: table.format,
            variant: table.variant.clone(),
            checks: table.checks.clone(),
        }
    }
}

/// What `duizhang inspect` and the Wasm `inspect` show about one file read on its own.
#[derive(Clone, Debug, Serialize)]
pub struct Inspection {
    /// File name (`outer.zip/inner.csv` for a file inside an archive).
    pub name: String,
    /// The layout code, e.g. `wechat_trade`.
    pub format: Format,
    /// The layout's version, e.g. `ALL`; empty when it has one.
    pub variant: String,
    /// Detected encoding.
    pub encoding: Encoding,
    /// Rows that would be reconciled.
    pub rows: u64,
    /// Records after the header that were skipped (each has an issue).
    pub skipped: u64,
    /// Every row issue and file note.
    pub issues: Vec<RowIssue>,
    /// The file's own totals checked against its detail.
    pub checks: Vec<Check>,
}

impl Inspection {
    /// Describes a bank statement read by the fund-flow reader (no key column needed).
    pub fn of_statement(statement: &Statement) -> Inspection {
        let variant = if statement.columns.contains_key("amount") { "signed_amount" } else { "debit_credit" };
        Inspection {
            name: statement.name.clone(),
            format: Format::BankStatement,
            variant: variant.to_string(),
            encoding: statement.encoding,
            rows: statement.entries.len() as u64,
            skipped: u64::from(statement.skipped),
            issues: statement.issues.clone(),
            checks: statement.checks.clone(),
        }
    }

    /// Describes a table that was read.
    pub fn of(table: &Table) -> Inspection {
        Inspection {
            name: table.name.clone(),
            format: table.format,
            variant: table.variant.clone(),
            encoding: table.encoding,
            rows: table.row_count() as u64,
            skipped: u64::from(table.skipped_records),
            issues: table.issues.clone(),
            checks: table.checks.clone(),
        }
    }
}

/// What was read from one fund-flow file (the `addFile` answer for `bank`, `payouts`, `book`).
#[derive(Clone, Debug, Serialize)]
pub struct InputInfo {
    /// `bank`, `payouts` or `book`.
    pub side: InputKind,
    /// File name.
    pub name: String,
    /// Detected encoding (statements).
    pub encoding: Option<Encoding>,
    /// 1-based line of the header (statements).
    pub header_line: Option<u32>,
    /// Header cells (statements).
    pub header: Vec<String>,
    /// Which header each column was read from (statements).
    pub columns: BTreeMap<&'static str, String>,
    /// Rows read.
    pub rows: u64,
    /// Rows skipped or noted.
    pub issues: u64,
    /// A statement's total row (合计) checked against its movements; empty for other files.
    pub checks: Vec<Check>,
}

impl InputInfo {
    /// Describes a statement.
    pub fn of_statement(s: &Statement) -> InputInfo {
        InputInfo {
            side: InputKind::Bank,
            name: s.name.clone(),
            encoding: Some(s.encoding),
            header_line: Some(s.header_line),
            header: s.header.clone(),
            columns: s.columns.clone(),
            rows: s.entries.len() as u64,
            issues: s.issues.len() as u64,
            checks: s.checks.clone(),
        }
    }

    /// Describes a payout or sub-ledger file.
    pub fn simple(side: InputKind, name: &str, rows: usize, issues: usize) -> InputInfo {
        InputInfo {
            side,
            name: name.to_string(),
            encoding: None,
            header_line: None,
            header: Vec::new(),
            columns: BTreeMap::new(),
            rows: rows as u64,
            issues: issues as u64,
            checks: Vec::new(),
        }
    }
}

/// What the carry state of the previous run held (the answer to adding one).
#[derive(Clone, Debug, Serialize)]
pub struct CarryInfo {
    /// Always `carry`.
    pub side: InputKind,
    /// File name.
    pub name: String,
    /// The reconciliation date of the run that wrote it.
    pub as_of: Option<chrono::NaiveDate>,
    /// Open items carried in.
    pub items: u64,
}

/// What adding one input read: a [`FileInfo`] per table of an internal or channel file (an
/// archive gives several), an [`InputInfo`] for a fund-flow file, a [`CarryInfo`] for a carry state.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Added {
    /// Internal or channel tables.
    Tables(Vec<FileInfo>),
    /// A bank statement, payout file or sub-ledger.
    Fund(InputInfo),
    /// The carry state.
    Carry(CarryInfo),
}

impl Added {
    /// The tables read (none for a fund-flow file or a carry state).
    pub fn tables(&self) -> &[FileInfo] {
        match self {
            Added::Tables(tables) => tables,
            Added::Fund(_) | Added::Carry(_) => &[],
        }
    }

    /// What a fund-flow file held, if this was one.
    pub fn fund(&self) -> Option<&InputInfo> {
        match self {
            Added::Fund(info) => Some(info),
            Added::Tables(_) | Added::Carry(_) => None,
        }
    }
}
