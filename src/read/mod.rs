//! Bytes to normalized records: encoding detection, CSV scanning, header mapping.
//!
//! Every reader produces a [`Table`] of [`crate::record::Row`]s plus [`RowIssue`]s for what it
//! skipped; an unusable file is an [`crate::Error`].

pub mod bank;
pub mod csv;
pub mod encoding;
pub mod table;

pub use encoding::Encoding;
pub use table::{read_table, ColumnMap, Table};

use crate::record::Side;
use serde::Serialize;

/// A row (or file) problem that did not stop the run: reported, never lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowIssue {
    /// File name.
    pub file: String,
    /// Side of the file.
    pub side: Side,
    /// 1-based line; `None` for a note about the whole file.
    pub line: Option<u32>,
    /// 1-based column (field number), when one field is at fault.
    pub column: Option<u32>,
    /// Stable code, e.g. `invalid_amount`.
    pub code: &'static str,
    /// What is wrong, for a person.
    pub message: String,
}

impl RowIssue {
    /// An issue about one row.
    pub fn new(file: &str, side: Side, line: u32, column: Option<u32>, code: &'static str, message: String) -> Self {
        RowIssue { file: file.to_string(), side, line: Some(line), column, code, message }
    }

    /// A note about a whole file.
    pub fn file_note(file: &str, side: Side, code: &'static str, message: String) -> Self {
        RowIssue { file: file.to_string(), side, line: None, column: None, code, message }
    }

    /// Whether the row was left out of the reconciliation (as opposed to a note on a kept row).
    pub fn skips_row(&self) -> bool {
        !matches!(self.code, "invalid_fee" | "invalid_time" | "invalid_balance" | "encoding_repaired")
    }
}

/// Every row issue code, with its meaning. Kept in one place so docs and tests agree.
pub const ROW_ISSUE_CODES: &[(&str, &str)] = &[
    ("title_row_skipped", "a title row before the header; not reconciled"),
    ("comment_row_skipped", "a row starting with #; not reconciled"),
    ("total_row_skipped", "a total or summary row after the detail; not reconciled"),
    ("unbalanced_quote", "a quoted field never closes; the line is skipped and reading resumes on the next"),
    ("too_few_fields", "the row ends before a mapped column (a truncated row)"),
    ("too_many_fields", "the row has non-empty cells beyond the header (an unquoted comma?)"),
    ("missing_key", "the key cell is empty"),
    ("invalid_key", "the key is longer than 256 bytes"),
    ("invalid_amount", "the amount is not a number (e.g. 12.3.4, abc)"),
    ("unknown_status", "the status word is not in the status table or the profile"),
    ("invalid_fee", "the fee is not a number; the row is kept without a fee"),
    ("invalid_time", "the time is not a date and time; the row is kept without a time"),
    ("invalid_date", "bank, payout: the date is not a date; the row is left out"),
    ("invalid_balance", "bank: the balance is not a number; the row is kept without a balance"),
    ("encoding_repaired", "file note: the bytes contradicted their encoding or had to be repaired"),
];
