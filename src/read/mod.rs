//! Bytes to normalized records: encoding detection, CSV scanning, header mapping.
//!
//! Every reader produces a [`Table`] of [`crate::record::Row`]s plus [`RowIssue`]s for what it
//! skipped; an unusable file is an [`crate::error::Error`].

mod cell;
mod container;
pub(crate) mod csv;
mod delimited;
mod detect;
pub(crate) mod encoding;
mod gb18030;
mod header;
mod issue;
pub(crate) mod payouts;
mod records;
pub(crate) mod side;
pub(crate) mod source;
pub(crate) mod spreadsheet;
pub(crate) mod statement;
mod statement_rows;
mod summary;
pub(crate) mod table;
mod unionpay;
mod words;

pub use encoding::Encoding;
pub use header::ColumnMap;
pub use issue::{Check, IssueCode, RowIssue};
pub use payouts::{Ledger, LedgerLine, Payout, PayoutFile};
pub use side::{detect_side, SideDetection};
pub use source::{FileSource, ReadAt, SharedBytes, Source};
pub use statement::balance::{BalanceCheck, DayTotals, RunningBreak, StatementTotals};
pub use statement::{BankEntry, Statement};
pub use table::{RecordRef, Table};

use crate::error::{Error, ErrorCode, ErrorKind, Rejection, Result};
use crate::format::Format;
use crate::profile::Profile;
use crate::record::{InputKind, Side};
use detect::describe_rejections;
use table::Detection;

/// How much of a file reading looks at to tell its container, encoding and layout (more than
/// [`side::SIDE_HEAD_BYTES`], which only says which input a file is: the encoding is sniffed from here).
const READ_HEAD_BYTES: usize = 256 * 1024;

/// One file, read as its layout: a table of rows (bills, order exports, a statement with serial
/// numbers matched transaction by transaction), or one of the fund-flow inputs.
#[derive(Debug)]
// One per file, moved once: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Read {
    /// Rows for transaction matching.
    Table(Table),
    /// A bank statement (no serial numbers to match it by as a table, or described on its own).
    Statement(Statement),
    /// Payout instructions.
    Payouts(PayoutFile),
    /// A merchant sub-ledger.
    Ledger(Ledger),
}

/// Reads one input for transaction matching: a plain file, or every file inside a gzip or zip.
/// Each inner file becomes its own [`Table`]; an inner file no reader can use is noted
/// (`inner_file_skipped`), and the input is an error only when none can be used. A channel file is
/// read as `format` when given (else the profile's `format`, else its layout is detected from its
/// content). `progress(bytes_done, bytes_total)` is called while delimited files are read; when it
/// returns `false` reading stops with [`ErrorKind::Cancelled`]. A plain UTF-8 file from the caller
/// ([`Source::External`]) is read in chunks and never held whole; archives, spreadsheets and other
/// encodings are read whole and decoded.
pub(crate) fn read_tables(
    name: &str,
    side: Side,
    source: Source,
    profile: &Profile,
    format: Option<Format>,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Vec<Table>> {
    let mut as_table = |read: Read| match read {
        Read::Table(table) => Ok(table),
        Read::Statement(statement) => Err(Error::new(
            ErrorKind::NoKnownColumns { best_header: statement.header.clone() },
            "a bank statement without a serial-number column (流水号) has no key to match it by \
             transaction by transaction: give it as a bank statement (bank)",
        )
        .in_file(&statement.name)),
        Read::Payouts(file) => Err(wrong_input(&file.name, Format::PayoutInstructions, "payouts")),
        Read::Ledger(ledger) => Err(wrong_input(&ledger.name, Format::SubLedger, "book")),
    };
    let mut tables = Vec::new();
    let mut skipped = Vec::new();
    let mut first_error = None;
    let (files, is_container) = read_files(name, side, source, profile, format, true, progress)?;
    for file in files {
        match file.and_then(&mut as_table) {
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

/// A file whose layout belongs to another kind of input.
fn wrong_input(name: &str, format: Format, input: &str) -> Error {
    let message = format!(
        "the file is {} ({}), not a bill or an order export: give it as {input}",
        format.code(),
        format.name_zh()
    );
    Error::new(ErrorKind::InvalidArgument, message).in_file(name)
}

/// The files of an archive that could be read, with an `inner_file_skipped` note (on `name`, as
/// `input`) for each that could not; an error only when none could (the first file's error).
fn readable_files<T>(
    name: &str,
    input: InputKind,
    files: impl IntoIterator<Item = Result<T>>,
) -> Result<(Vec<T>, Vec<RowIssue>)> {
    let mut reads = Vec::new();
    let mut skipped = Vec::new();
    let mut first_error = None;
    for file in files {
        match file {
            Ok(read) => reads.push(read),
            Err(error) => {
                skipped.push(RowIssue::file_note(name, input, IssueCode::InnerFileSkipped, error.to_string()));
                first_error.get_or_insert(error);
            }
        }
    }
    if reads.is_empty() {
        return Err(first_error
            .unwrap_or_else(|| Error::new(ErrorKind::BadContainer, "the archive holds no files").in_file(name)));
    }
    Ok((reads, skipped))
}

/// Reads every file of one input as its own layout, for `inspect`: a statement is a statement
/// whether or not it has serial numbers, payouts are payouts. An archive's unusable inner files are
/// noted on the first file read (`inner_file_skipped`); an input none of whose files can be read
/// is an error.
pub(crate) fn read_any(name: &str, source: Source, profile: &Profile) -> Result<Vec<Read>> {
    let (files, _) = read_files(name, Side::Channel, source, profile, None, false, &mut |_, _| true)?;
    let (reads, skipped) = readable_files(name, InputKind::Channel, files)?;
    let mut tables: Vec<Table> = Vec::new();
    let mut order = Vec::new();
    for read in reads {
        match read {
            Read::Table(table) => {
                order.push(None);
                tables.push(table);
            }
            other => order.push(Some(other)),
        }
    }
    summary::cross_file_checks(&mut tables)?;
    let mut tables = tables.into_iter();
    let mut reads: Vec<Read> =
        order.into_iter().filter_map(|slot| slot.or_else(|| tables.next().map(Read::Table))).collect();
    if let Some(first) = reads.first_mut() {
        first.issues_mut().extend(skipped);
    }
    Ok(reads)
}

impl Read {
    /// The file's issues.
    fn issues_mut(&mut self) -> &mut Vec<RowIssue> {
        match self {
            Read::Table(t) => &mut t.issues,
            Read::Statement(s) => &mut s.issues,
            Read::Payouts(p) => &mut p.issues,
            Read::Ledger(l) => &mut l.issues,
        }
    }
}

/// Reads a fund-flow input, opening a gzip or zip as bill archives are opened: each inner file is
/// read as `kind`; one that cannot be is noted (`inner_file_skipped`) on the first that can, and the
/// input is an error only when none can. A spreadsheet (an XLSX is a zip too) is one file.
pub(crate) fn read_fund_input(kind: InputKind, name: &str, bytes: Vec<u8>, profile: &Profile) -> Result<Vec<Read>> {
    if spreadsheet::is_spreadsheet(&bytes) || container::Container::of(&bytes) == container::Container::None {
        return read_fund_file(kind, name, bytes, profile).map(|read| vec![read]);
    }
    let files = container::unpack(name, bytes)?;
    let reads = files.into_iter().map(|file| read_fund_file(kind, &file.name, file.bytes, profile));
    let (mut reads, skipped) = readable_files(name, kind, reads)?;
    if let Some(first) = reads.first_mut() {
        first.issues_mut().extend(skipped);
    }
    Ok(reads)
}

/// Reads one fund-flow file (bank statement, payout instructions, sub-ledger): small files, read
/// whole, a spreadsheet converted first. The kind given decides the reader, not detection.
pub(crate) fn read_fund_file(kind: InputKind, name: &str, bytes: Vec<u8>, profile: &Profile) -> Result<Read> {
    let bytes = spreadsheet::as_text_bytes(name, bytes)?;
    let decoded = encoding::decode(bytes).map_err(|e| e.in_file(name))?;
    let text = decoded.text.as_str();
    match kind {
        InputKind::Bank => {
            statement::read(name, kind, text, decoded.encoding, decoded.note, profile).map(Read::Statement)
        }
        InputKind::Payouts => payouts::read_payouts(name, text, decoded.encoding, profile).map(Read::Payouts),
        InputKind::Book => payouts::read_ledger(name, text, decoded.encoding, profile).map(Read::Ledger),
        InputKind::Internal | InputKind::Channel | InputKind::Carry | InputKind::Resolutions => {
            Err(Error::new(ErrorKind::InvalidArgument, format!("{kind} is no fund-flow input")).in_file(name))
        }
    }
}

/// Opens an input's container (gzip, zip, spreadsheet) and reads each file in it.
#[allow(clippy::type_complexity)]
fn read_files(
    name: &str,
    side: Side,
    source: Source,
    profile: &Profile,
    format: Option<Format>,
    for_matching: bool,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<(Vec<Result<Read>>, bool)> {
    let format = format.or(profile.format);
    if let Some(format) = format.filter(|f| !f.is_channel_layout()) {
        let message = format!("{} is not a layout of channel files; give such a file as its own input", format.code());
        return Err(Error::new(ErrorKind::InvalidArgument, message).in_file(name));
    }
    let head = source.head(READ_HEAD_BYTES, name)?;
    let packed = spreadsheet::is_spreadsheet(&head) || container::Container::of(&head) != container::Container::None;
    if !packed {
        let read = read_one(name, side, source, Some(head), profile, format, for_matching, progress)?;
        return Ok((vec![Ok(read)], false));
    }
    let bytes = source.into_bytes(name)?;
    let bytes = if spreadsheet::is_spreadsheet(&bytes) {
        spreadsheet::to_csv(&bytes).map_err(|e| e.in_file(name))?
    } else {
        bytes
    };
    let is_container = container::Container::of(&bytes) != container::Container::None;
    let files = container::unpack(name, bytes)?;
    let mut reads = Vec::new();
    for file in files {
        let read = read_one(&file.name, side, Source::Owned(file.bytes), None, profile, format, for_matching, progress);
        if matches!(&read, Err(e) if !is_container || e.code() == ErrorCode::Cancelled) {
            return read.map(|_| (Vec::new(), is_container));
        }
        reads.push(read);
    }
    Ok((reads, is_container))
}

/// Reads one file (already out of its container) as its detected or forced layout; `head` is its
/// first [`READ_HEAD_BYTES`] when the caller has read them already. `for_matching`: a bank statement
/// with serial numbers becomes a table of rows.
#[allow(clippy::too_many_arguments)]
fn read_one(
    name: &str,
    side: Side,
    source: Source,
    head: Option<Vec<u8>>,
    profile: &Profile,
    forced: Option<Format>,
    for_matching: bool,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Read> {
    let (text, head, encoding, note) = match source {
        Source::External(reader) => {
            let source = Source::External(reader);
            let head = match head {
                Some(head) => head,
                None => source.head(READ_HEAD_BYTES, name)?,
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
            return read_generic(table, &head, profile, rejections, progress).map(Read::Table);
        }
    };
    let format = detection.format;
    let how = if forced.is_some() { "forced by the profile" } else { "detected" };
    let with_how = |e: Error| e.with_detail(&format!(" (read as {}, {how})", format.code()));
    if matches!(format, Format::BankStatement | Format::PayoutInstructions | Format::SubLedger) {
        // Small files, read whole by their own readers.
        let (text, encoding, note) = match text {
            table::Text::Owned(text) => (text, encoding, note),
            table::Text::External { source, .. } => {
                let decoded =
                    encoding::decode(Source::External(source).into_bytes(name)?).map_err(|e| e.in_file(name))?;
                (decoded.text, decoded.encoding, decoded.note)
            }
        };
        let input = match format {
            Format::PayoutInstructions => InputKind::Payouts,
            Format::SubLedger => InputKind::Book,
            // Matched as a table, its issues are of the side it was given as; else it is a statement.
            _ if for_matching => InputKind::from(side),
            _ => InputKind::Bank,
        };
        return match format {
            Format::PayoutInstructions => payouts::read_payouts(name, &text, encoding, profile).map(Read::Payouts),
            Format::SubLedger => payouts::read_ledger(name, &text, encoding, profile).map(Read::Ledger),
            _ => {
                let statement = statement::read(name, input, &text, encoding, note, profile).map_err(with_how)?;
                match for_matching && statement.columns.get(crate::record::Field::TradeNo).is_some() {
                    true => Ok(Read::Table(statement_rows::statement_table(statement, side, text))),
                    false => Ok(Read::Statement(statement)),
                }
            }
        };
    }
    let mut table = table::Table::empty(name, side, text, &head, encoding, note, detection);
    let read = match format {
        Format::UnionpayZm => unionpay::read(&mut table, profile).map(|_| delimited::Outcome::Read),
        Format::AlipaySummary => summary::read_alipay_summary(&mut table).map(|_| delimited::Outcome::Read),
        _ => delimited::read_delimited(&mut table, profile, progress),
    }
    .map_err(with_how)?;
    if let delimited::Outcome::NotUtf8 = read {
        let source = Source::Owned(table.into_source_bytes()?);
        return read_one(name, side, source, None, profile, forced, for_matching, progress);
    }
    summary::check(&mut table)?;
    Ok(Read::Table(table))
}

/// The start of a decoded text, for detection (which reads the first lines only).
fn head_of(text: &str) -> String {
    let mut end = text.len().min(READ_HEAD_BYTES);
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
        let side = table.side;
        let source = Source::Owned(table.into_source_bytes()?);
        return match read_one(&name, side, source, None, profile, None, true, progress)? {
            Read::Table(table) => Ok(table),
            _ => Err(Error::new(ErrorKind::NoKnownColumns { best_header: Vec::new() }, "no table").in_file(&name)),
        };
    }
    Ok(table)
}
