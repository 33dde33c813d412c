//! Bytes to normalized records: encoding detection, CSV scanning, header mapping.
//!
//! Every reader produces a [`Table`] of [`crate::record::Row`]s plus [`RowIssue`]s for what it
//! skipped; an unusable file is an [`crate::error::Error`].

pub(crate) mod bank;
mod cell;
mod container;
pub(crate) mod csv;
mod delimited;
mod detect;
pub(crate) mod encoding;
mod gb18030;
mod issue;
pub(crate) mod side;
pub(crate) mod source;
mod spreadsheet;
mod summary;
pub(crate) mod table;
mod unionpay;

pub use encoding::Encoding;
pub use issue::{IssueCode, RowIssue};
pub use side::{detect_side, SideDetection};
pub use source::{FileSource, ReadAt, SharedBytes, Source};
pub use table::{ColumnMap, RecordRef, Table};

pub(crate) use spreadsheet::as_text_bytes;

use crate::error::{Error, ErrorCode, ErrorKind, Rejection, Result};
use crate::format::Format;
use crate::profile::Profile;
use crate::record::Side;
use detect::{describe_rejections, Detection};
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
    pub(crate) fn mismatch(&self, file: &str, side: impl Into<crate::record::InputKind>) -> Option<RowIssue> {
        let message = format!("{}: the file says {}, its detail adds up to {}", self.name, self.expected, self.found);
        (!self.passed).then(|| RowIssue::file_note(file, side, IssueCode::SummaryMismatch, message))
    }
}

/// How much of a file is looked at to tell its container, encoding and layout.
const HEAD_BYTES: usize = 256 * 1024;

/// Reads one input: a plain file, or every file inside a gzip or zip. Each inner file becomes its
/// own [`Table`]; an inner file no reader can use is noted (`inner_file_skipped`), and the input is
/// an error only when none can be used. A channel file is read as `format` when given (else the
/// profile's `format`, else its layout is detected from its content). `progress(bytes_done,
/// bytes_total)` is called while delimited files are read; when it returns `false` reading stops
/// with [`ErrorKind::Cancelled`]. A plain UTF-8 file from the caller ([`Source::External`]) is read
/// in chunks and never held whole; archives, spreadsheets and other encodings are read whole and
/// decoded.
pub fn read_tables(
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
            Err(error) if is_container && error.code() != ErrorCode::Cancelled => {
                skipped.push(RowIssue::file_note(name, side, IssueCode::InnerFileSkipped, error.to_string()));
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
    let detected = detect::detect(&head);
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
        Format::UnionpayZm => unionpay::read(&mut table, profile).map(|_| delimited::Outcome::Read),
        Format::AlipaySummary => summary::read_alipay_summary(&mut table).map(|_| delimited::Outcome::Read),
        _ => delimited::read_delimited(&mut table, profile, progress),
    }
    .map_err(|e| e.with_detail(&format!(" (read as {}, {how})", format.code())))?;
    if let delimited::Outcome::NotUtf8 = read {
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
    let read = delimited::read_delimited(&mut table, profile, progress).map_err(|error| {
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
    if let delimited::Outcome::NotUtf8 = read {
        return read_one(&name, table.side, Source::Owned(table.into_source_bytes()?), None, profile, None, progress);
    }
    Ok(table)
}
