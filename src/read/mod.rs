//! Bytes to normalized records: encoding detection, CSV scanning, header mapping.
//!
//! Every reader produces a [`Table`] of [`crate::record::Row`]s plus [`RowIssue`]s for what it
//! skipped; an unusable file is an [`crate::Error`].

pub mod bank;
pub mod container;
pub mod csv;
pub mod encoding;
pub mod format;
mod gb18030;
pub mod side;
pub mod source;
pub mod spreadsheet;
pub mod summary;
pub mod table;
pub mod unionpay;

pub use encoding::Encoding;
pub use format::Format;
pub use source::{ReadAt, Source};
pub use table::{ColumnMap, RecordRef, Table};

use crate::error::{Error, ErrorKind, Result};
use crate::profile::Profile;
use crate::record::Side;
use format::{describe_rejections, Detection, Rejection};
use rust_decimal::Decimal;
use serde::Serialize;

/// A total the file states about itself, compared with what its detail adds up to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What is compared, e.g. `总交易单数` or `#退款合计 商家实收`.
    pub name: String,
    /// The file's own total, as written.
    pub expected: String,
    /// The same total computed from the rows that were read.
    pub found: String,
    /// Whether they agree (numerically: `1.0` equals `1.00`).
    pub passed: bool,
}

impl Check {
    /// Compares a total as written with the sum of the detail (`None`: the sum overflowed).
    /// `compare_magnitude`: the total may be printed with or without its minus sign.
    pub(crate) fn compare(name: String, expected: &str, found: Option<Decimal>, compare_magnitude: bool) -> Check {
        let passed = match (crate::money::parse_amount(expected), found) {
            (Ok(value), Some(found)) if compare_magnitude => value.abs() == found.abs(),
            (Ok(value), Some(found)) => value == found,
            _ => false,
        };
        let found = found.map_or("overflow".to_string(), |f| f.to_string());
        Check { name, expected: expected.to_string(), found, passed }
    }

    /// The file-level `summary_mismatch` issue of a failed check.
    pub(crate) fn mismatch(&self, file: &str, side: Side) -> Option<RowIssue> {
        let message = format!("{}: the file says {}, its detail adds up to {}", self.name, self.expected, self.found);
        (!self.passed).then(|| RowIssue::file_note(file, side, "summary_mismatch", message))
    }
}

/// How much of a file is looked at to tell its container, encoding and layout.
const HEAD_BYTES: usize = 256 * 1024;

/// Reads one input: a plain file, or every file inside a gzip or zip. Each inner file becomes its
/// own [`Table`]; an inner file no reader can use is noted (`inner_file_skipped`), and the input is
/// an error only when none can be used. The layout is detected from content unless the profile
/// forces one.
pub fn read_tables(name: &str, side: Side, bytes: impl Into<Source>, profile: &Profile) -> Result<Vec<Table>> {
    read_tables_with_progress(name, side, bytes.into(), profile, None, &mut |_, _| true)
}

/// [`read_tables`], reading a channel file as `format` when given (else the profile's `format`, else
/// detected), and calling `progress(bytes_done, bytes_total)` while delimited files are read;
/// when it returns `false` reading stops with [`ErrorKind::Cancelled`]. A plain UTF-8 file from
/// the caller ([`Source::External`]) is read in chunks and never held whole; archives,
/// spreadsheets and other encodings are read whole and decoded.
pub fn read_tables_with_progress(
    name: &str,
    side: Side,
    source: Source,
    profile: &Profile,
    format: Option<Format>,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Vec<Table>> {
    let format = format.or(profile.format);
    let head = source.head(HEAD_BYTES, name)?;
    let packed = spreadsheet::is_spreadsheet(&head) || container::Container::of(&head) != container::Container::None;
    if !packed {
        let mut table = read_one(name, side, source, Some(head), profile, format, progress)?;
        summary::cross_file_checks(std::slice::from_mut(&mut table))?;
        return Ok(vec![table]);
    }
    let bytes = source.into_bytes(name)?;
    let bytes = if spreadsheet::is_spreadsheet(&bytes) {
        spreadsheet::to_csv(&bytes).map_err(|e| e.in_file(name))?
    } else {
        bytes
    };
    let is_container = container::Container::of(&bytes) != container::Container::None;
    let files = container::unpack(name, bytes)?;
    let mut tables = Vec::new();
    let mut skipped = Vec::new();
    let mut first_error = None;
    for file in files {
        match read_one(&file.name, side, Source::Owned(file.bytes), None, profile, format, progress) {
            Ok(table) => tables.push(table),
            Err(error) if is_container && error.code() != "cancelled" => {
                skipped.push(RowIssue::file_note(name, side, "inner_file_skipped", error.to_string()));
                first_error.get_or_insert(error);
            }
            Err(error) => return Err(error),
        }
    }
    if tables.is_empty() {
        return Err(first_error
            .unwrap_or_else(|| Error::new(ErrorKind::BadContainer, "the archive holds no files").in_file(name)));
    }
    summary::cross_file_checks(&mut tables)?;
    if let Some(first) = tables.first_mut() {
        first.issues.extend(skipped);
    }
    Ok(tables)
}

/// Reads one file (already out of its container) as its detected or forced layout; `head` is its
/// first [`HEAD_BYTES`] when the caller has read them already.
fn read_one(
    name: &str,
    side: Side,
    source: Source,
    head: Option<Vec<u8>>,
    profile: &Profile,
    forced: Option<Format>,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Table> {
    let (text, head, encoding, note) = match source {
        Source::External(reader) => {
            let source = Source::External(reader);
            let head = match head {
                Some(head) => head,
                None => source.head(HEAD_BYTES, name)?,
            };
            match (encoding::sniff_utf8(&head, source.len()), source) {
                (Some((start, encoding, head)), Source::External(reader)) => {
                    (table::Text::External { source: reader, start }, head, encoding, None)
                }
                (_, source) => {
                    let decoded = encoding::decode(source.into_bytes(name)?).map_err(|e| e.in_file(name))?;
                    let head = head_of(&decoded.text);
                    (table::Text::Owned(decoded.text), head, decoded.encoding, decoded.note)
                }
            }
        }
        Source::Owned(bytes) => {
            let decoded = encoding::decode(bytes).map_err(|e| e.in_file(name))?;
            let head = head_of(&decoded.text);
            (table::Text::Owned(decoded.text), head, decoded.encoding, decoded.note)
        }
    };
    let detected = format::detect(&head);
    // A forced layout is for the channel's files; the books (order exports) are always detected.
    let forced = forced.filter(|_| side == Side::Channel);
    let detection = match (forced, detected) {
        (Some(forced), Ok(found)) if found.format == forced => found,
        (Some(forced), _) => Detection { format: forced, variant: String::new() },
        (None, Ok(found)) => found,
        (None, Err(rejections)) => {
            let table = table::Table::empty(
                name,
                side,
                text,
                &head,
                encoding,
                note,
                Detection { format: Format::GenericCsv, variant: String::new() },
            );
            return read_generic(table, &head, profile, rejections, progress);
        }
    };
    let format = detection.format;
    let how = if forced.is_some() { "forced by the profile" } else { "detected" };
    let mut table = table::Table::empty(name, side, text, &head, encoding, note, detection);
    let read = match format {
        Format::UnionpayZm => unionpay::read(&mut table, profile).map(|_| table::Outcome::Read),
        Format::AlipaySummary => summary::read_alipay_summary(&mut table).map(|_| table::Outcome::Read),
        _ => table::read_delimited(&mut table, profile, progress),
    }
    .map_err(|e| e.with_detail(&format!(" (read as {}, {how})", format.code())))?;
    if let table::Outcome::NotUtf8 = read {
        return read_one(name, side, Source::Owned(table.into_source_bytes()?), None, profile, forced, progress);
    }
    summary::check(&mut table)?;
    Ok(table)
}

/// The start of a decoded text, for detection (which reads the first lines only).
fn head_of(text: &str) -> String {
    let mut end = text.len().min(HEAD_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

/// No specific layout claimed the file: the alias-table reader tries it; if that fails too, the
/// error lists every layout tried.
fn read_generic(
    mut table: Table,
    head: &str,
    profile: &Profile,
    mut rejections: Vec<Rejection>,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Table> {
    // A table has a delimiter on some line; prose or a lone column is no layout at all.
    let tabular = head.lines().take(64).any(|line| line.as_bytes().contains(&table.delimiter));
    let name = table.name.clone();
    let read = table::read_delimited(&mut table, profile, progress).map_err(|error| {
        if !matches!(error.kind(), ErrorKind::NoKnownColumns { .. }) {
            return error;
        }
        if tabular {
            error.with_detail(&format!(". Layouts tried: {}", describe_rejections(&rejections)))
        } else {
            rejections.push(Rejection { format: Format::GenericCsv, reason: "no delimited header row".to_string() });
            let tried = describe_rejections(&rejections);
            Error::new(
                ErrorKind::UnknownFormat { tried: rejections },
                format!("no known layout fits this file; layouts tried: {tried}"),
            )
            .in_file(&name)
        }
    })?;
    if let table::Outcome::NotUtf8 = read {
        return read_one(&name, table.side, Source::Owned(table.into_source_bytes()?), None, profile, None, progress);
    }
    Ok(table)
}

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
        !matches!(
            self.code,
            "invalid_fee"
                | "invalid_time"
                | "invalid_balance"
                | "encoding_repaired"
                | "summary_mismatch"
                | "inner_file_skipped"
                | "year_unknown"
                | "balance_break"
        )
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
    ("encoding_repaired", "file note: the bytes contradicted their encoding or had to be repaired"),
    ("invalid_balance", "the running balance (余额) is not a number; the row is kept without a balance"),
    ("unknown_direction", "the direction word (收支类型) is neither 收入 nor 支出"),
    ("invalid_fixed_width_line", "a fixed-width line (UnionPay ZM) is not 607 characters or a field is not a number"),
    ("summary_mismatch", "file note: a total the file states about itself differs from its detail (see checks)"),
    ("inner_file_skipped", "file note: a file inside a zip could not be read by any layout"),
    ("balance_break", "a running balance (余额) does not follow from the previous row's balance and this row's amount"),
    ("year_unknown", "file note: times without a year (UnionPay) and no date in the file name or profile"),
];
