//! What was read from each input: [`FileInfo`] per table, [`InputInfo`] per fund-flow file, and
//! [`Inspection`], what `inspect` says about a file read on its own.

use crate::format::Format;
use crate::read::{Check, ColumnMap, Encoding, PayoutFile, Read, RowIssue, Statement, SubLedger, Table};
use crate::record::{Field, InputKind, Side};
use serde::Serialize;
use std::collections::BTreeMap;

/// What was read from one file.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
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
        let columns = column_names(&table.columns, &table.header);
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
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
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
    /// Describes a file read on its own, whatever its layout.
    pub(crate) fn of_read(read: &Read) -> Inspection {
        match read {
            Read::Table(table) => Inspection::of(table),
            Read::Statement(s) => Inspection::fund(
                &s.name,
                Format::BankStatement,
                &s.variant,
                s.encoding,
                s.entries.len(),
                s.skipped,
                &s.issues,
                &s.checks,
            ),
            Read::Payouts(p) => {
                let skipped = p.issues.iter().filter(|i| i.skips_row()).count() as u32;
                Inspection::fund(
                    &p.name,
                    Format::PayoutInstructions,
                    "",
                    p.encoding,
                    p.payouts.len(),
                    skipped,
                    &p.issues,
                    &[],
                )
            }
            Read::SubLedger(l) => {
                let skipped = l.issues.iter().filter(|i| i.skips_row()).count() as u32;
                Inspection::fund(&l.name, Format::SubLedger, "", l.encoding, l.lines.len(), skipped, &l.issues, &[])
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn fund(
        name: &str,
        format: Format,
        variant: &str,
        encoding: Encoding,
        rows: usize,
        skipped: u32,
        issues: &[RowIssue],
        checks: &[Check],
    ) -> Inspection {
        Inspection {
            name: name.to_string(),
            format,
            variant: variant.to_string(),
            encoding,
            rows: rows as u64,
            skipped: u64::from(skipped),
            issues: issues.to_vec(),
            checks: checks.to_vec(),
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

/// What was read from one fund-flow file (the `addFile` answer for `bank`, `payouts`, `sub_ledger`).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "FundInputInfo"))]
pub struct InputInfo {
    /// `bank`, `payouts` or `sub_ledger`.
    pub input: InputKind,
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
        let mut info = InputInfo::of_header(InputKind::Bank, &s.name, s.encoding, s.header_line, &s.header, &s.columns);
        info.rows = s.entries.len() as u64;
        info.issues = s.issues.len() as u64;
        info.checks = s.checks.clone();
        info
    }

    /// Describes a payout instruction file.
    pub fn of_payouts(p: &PayoutFile) -> InputInfo {
        let mut info =
            InputInfo::of_header(InputKind::Payouts, &p.name, p.encoding, p.header_line, &p.header, &p.columns);
        info.rows = p.payouts.len() as u64;
        info.issues = p.issues.len() as u64;
        info
    }

    /// Describes a sub-ledger.
    pub fn of_sub_ledger(l: &SubLedger) -> InputInfo {
        let mut info =
            InputInfo::of_header(InputKind::SubLedger, &l.name, l.encoding, l.header_line, &l.header, &l.columns);
        info.rows = l.lines.len() as u64;
        info.issues = l.issues.len() as u64;
        info
    }

    fn of_header(
        input: InputKind,
        name: &str,
        encoding: Encoding,
        header_line: u32,
        header: &[String],
        columns: &ColumnMap,
    ) -> InputInfo {
        InputInfo {
            input,
            name: name.to_string(),
            encoding: Some(encoding),
            header_line: Some(header_line),
            header: header.to_vec(),
            columns: column_names(columns, header),
            rows: 0,
            issues: 0,
            checks: Vec::new(),
        }
    }
}

/// Which header each field was read from, by field code.
fn column_names(columns: &ColumnMap, header: &[String]) -> BTreeMap<&'static str, String> {
    crate::sort::map(
        Field::ALL.iter().filter_map(|&f| columns.get(f).and_then(|c| header.get(c)).map(|h| (f.code(), h.clone()))),
    )
}

/// What the carry state of the previous run held (the answer to adding one).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CarryInfo {
    /// `carry`, or `resolutions` for a resolutions file (差错处理).
    pub input: InputKind,
    /// File name.
    pub name: String,
    /// The reconciliation date of the run that wrote it.
    pub as_of: Option<chrono::NaiveDate>,
    /// Open items carried in, or the entries of a resolutions file.
    pub items: u64,
}

/// What adding one input read: a [`FileInfo`] per table of an internal or channel file (an
/// archive gives several), an [`InputInfo`] for a fund-flow file, a [`CarryInfo`] for a carry state.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum Added {
    /// Internal or channel tables.
    Tables(Vec<FileInfo>),
    /// Bank statements, payout files or sub-ledgers: one, or each file of an archive.
    Fund(Vec<InputInfo>),
    /// The carry state, or a resolutions file.
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

    /// What a fund-flow input held: one per file (an archive gives several); none for tables or
    /// a carry state.
    pub fn funds(&self) -> &[InputInfo] {
        match self {
            Added::Fund(infos) => infos,
            Added::Tables(_) | Added::Carry(_) => &[],
        }
    }
}
