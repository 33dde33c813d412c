//! Bytes to normalized records: encoding detection, CSV scanning, header mapping.
//!
//! Every reader produces a [`Table`] of [`crate::record::Row`]s plus [`RowIssue`]s for what it
//! skipped; an unusable file is an [`crate::error::Error`].

mod alipay_summary;
mod cell;
mod container;
pub(crate) mod csv;
mod delimited;
mod detect;
pub(crate) mod encoding;
mod gb18030;
mod header;
pub(crate) mod input;
mod issue;
pub(crate) mod payouts;
mod read_back;
mod records;
pub(crate) mod source;
pub(crate) mod spreadsheet;
pub(crate) mod statement;
mod statement_rows;
pub(crate) mod table;
mod totals;
mod unionpay;
mod words;

pub use encoding::Encoding;
pub use header::ColumnMap;
pub use input::{detect_input, InputDetection, Undecided};
pub use issue::{Check, IssueCode, RowIssue};
pub use payouts::{Payout, PayoutFile, SubLedger, SubLedgerLine};
pub use read_back::RecordRef;
pub use source::{FileSource, ReadAt, SharedBytes, Source};
pub use statement::balance::{BalanceCheck, DayTotals, RunningBreak, StatementTotals};
pub use statement::{BankEntry, Statement};
pub use table::{SkippedKey, Table};

use crate::error::{Error, ErrorCode, ErrorKind, Rejection, Result};
use crate::format::Format;
use crate::profile::Profile;
use crate::record::{InputKind, Side};
use detect::describe_rejections;
use table::Detection;

/// How much of a file reading looks at to tell its container, encoding and layout (more than
/// [`side::INPUT_HEAD_BYTES`], which only says which input a file is: the encoding is sniffed from here).
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
    SubLedger(SubLedger),
}

/// Why an input is read: what its files must become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Rows for transaction matching, as the books' or the channel's files: a bank statement with
    /// serial numbers becomes a table of rows; any other statement, payouts and sub-ledgers are
    /// errors that say which input they belong to.
    Match(Side),
    /// A fund-flow input of this kind (bank, payouts, sub-ledger): the kind decides the reader, not
    /// detection. Small files, read whole.
    Fund(InputKind),
    /// `inspect`: each file as the layout detection finds, a statement a statement whether or not
    /// it has serial numbers.
    Describe,
}

impl Purpose {
    /// The input kind the file notes of this read are about.
    fn input(self) -> InputKind {
        match self {
            Purpose::Match(side) => InputKind::from(side),
            Purpose::Fund(kind) => kind,
            Purpose::Describe => InputKind::Channel,
        }
    }

    /// What a file read for this purpose may be: a table for matching, anything else as it is.
    fn accept(self, read: Read) -> Result<Read> {
        if !matches!(self, Purpose::Match(_)) {
            return Ok(read);
        }
        match read {
            Read::Table(table) => Ok(Read::Table(table)),
            Read::Statement(statement) => Err(Error::new(
                ErrorKind::NoKnownColumns { best_header: statement.header.clone() },
                "a bank statement without a serial-number column (流水号) has no key to match it by \
                 transaction by transaction: give it as a bank statement (bank)",
            )
            .in_file(&statement.name)),
            Read::Payouts(file) => Err(wrong_input(&file.name, Format::PayoutInstructions, "payouts")),
            Read::SubLedger(ledger) => Err(wrong_input(&ledger.name, Format::SubLedger, "sub_ledger")),
        }
    }
}

/// How one input is read.
pub(crate) struct ReadOptions<'a> {
    /// What its files must become.
    pub purpose: Purpose,
    /// A channel file's layout, forced: else the profile's `format`, else detected from content.
    pub format: Option<Format>,
    /// The run's settings.
    pub profile: &'a Profile,
    /// Called with `(bytes_done, bytes_total)` while delimited files are read; `false` stops
    /// reading with [`ErrorKind::Cancelled`].
    pub progress: Option<&'a mut dyn FnMut(u64, u64) -> bool>,
}

impl<'a> ReadOptions<'a> {
    /// Reading for `purpose` with `profile`, the layout detected, no progress.
    pub(crate) fn new(purpose: Purpose, profile: &'a Profile) -> Self {
        ReadOptions { purpose, format: None, profile, progress: None }
    }

    /// Reports progress; `false`: stop.
    fn report(&mut self, done: u64, total: u64) -> bool {
        self.progress.as_mut().is_none_or(|progress| progress(done, total))
    }
}

/// Reads one input: a plain file, or every file inside a gzip or zip (a spreadsheet, a zip too, is
/// one file), each as what `options.purpose` asks for. An inner file that cannot be read so is
/// noted on the first that can (`inner_file_skipped`), and the input is an error only when none
/// can; cancelling is always an error. A plain UTF-8 file from the caller ([`Source::External`])
/// is read in chunks and never held whole; archives, spreadsheets, other encodings and the small
/// fund-flow files are read whole.
pub(crate) fn read(name: &str, source: Source, options: &mut ReadOptions<'_>) -> Result<Vec<Read>> {
    // A layout forced by the caller or the profile is for the channel's files; the kind of a
    // fund-flow input decides its reader.
    let format = options.format.or(options.profile.format).filter(|_| !matches!(options.purpose, Purpose::Fund(_)));
    if let Some(format) = format.filter(|f| !f.is_channel_layout()) {
        let message = format!("{} is not a layout of channel files; give such a file as its own input", format.code());
        return Err(Error::new(ErrorKind::InvalidArgument, message).in_file(name));
    }
    options.format = format;
    let head = source.head(READ_HEAD_BYTES, name)?;
    let packed = spreadsheet::is_spreadsheet(&head) || container::Container::of(&head) != container::Container::None;
    if !packed {
        let read = read_file(name, source, Some(head), options)?;
        return with_cross_file_checks(vec![options.purpose.accept(read)?]);
    }
    let bytes = source.into_bytes(name)?;
    let bytes = if spreadsheet::is_spreadsheet(&bytes) {
        spreadsheet::to_csv(&bytes).map_err(|e| e.in_file(name))?
    } else {
        bytes
    };
    let is_container = container::Container::of(&bytes) != container::Container::None;
    let mut reads = Vec::new();
    let mut skipped = Vec::new();
    let mut first_error = None;
    for file in container::unpack(name, bytes)? {
        let read = read_file(&file.name, Source::Owned(file.bytes), None, options);
        match read.and_then(|read| options.purpose.accept(read)) {
            Ok(read) => reads.push(read),
            Err(error) if is_container && error.code() != ErrorCode::Cancelled => {
                let note =
                    RowIssue::file_note(name, options.purpose.input(), IssueCode::InnerFileSkipped, error.to_string());
                skipped.push(note);
                first_error.get_or_insert(error);
            }
            Err(error) => return Err(error),
        }
    }
    if reads.is_empty() {
        return Err(first_error
            .unwrap_or_else(|| Error::new(ErrorKind::BadContainer, "the archive holds no files").in_file(name)));
    }
    let mut reads = with_cross_file_checks(reads)?;
    reads[0].issues_mut().extend(skipped);
    Ok(reads)
}

/// The reads with the checks between the tables among them done (an Alipay detail against the
/// summary beside it in its zip), in their order.
fn with_cross_file_checks(reads: Vec<Read>) -> Result<Vec<Read>> {
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
    totals::cross_file_checks(&mut tables)?;
    let mut tables = tables.into_iter();
    Ok(order.into_iter().filter_map(|slot| slot.or_else(|| tables.next().map(Read::Table))).collect())
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

impl Read {
    /// The file's issues.
    fn issues_mut(&mut self) -> &mut Vec<RowIssue> {
        match self {
            Read::Table(t) => &mut t.issues,
            Read::Statement(s) => &mut s.issues,
            Read::Payouts(p) => &mut p.issues,
            Read::SubLedger(l) => &mut l.issues,
        }
    }
}

/// Reads one file out of its container: a fund-flow file by the reader of its kind, any other
/// as its detected or forced layout.
fn read_file(name: &str, source: Source, head: Option<Vec<u8>>, options: &mut ReadOptions<'_>) -> Result<Read> {
    match options.purpose {
        Purpose::Fund(kind) => read_fund_file(kind, name, source.into_bytes(name)?, options.profile),
        Purpose::Match(_) | Purpose::Describe => read_one(name, source, head, options),
    }
}

/// Reads one fund-flow file (bank statement, payout instructions, sub-ledger), a spreadsheet
/// converted first. The kind given decides the reader, not detection.
fn read_fund_file(kind: InputKind, name: &str, bytes: Vec<u8>, profile: &Profile) -> Result<Read> {
    let bytes = spreadsheet::as_text_bytes(name, bytes)?;
    let decoded = encoding::decode(bytes).map_err(|e| e.in_file(name))?;
    let text = decoded.text.as_str();
    match kind {
        InputKind::Bank => {
            statement::read(name, kind, text, decoded.encoding, decoded.note, profile).map(Read::Statement)
        }
        InputKind::Payouts => payouts::read_payouts(name, text, decoded.encoding, profile).map(Read::Payouts),
        InputKind::SubLedger => payouts::read_sub_ledger(name, text, decoded.encoding, profile).map(Read::SubLedger),
        InputKind::Internal | InputKind::Channel | InputKind::Carry | InputKind::Resolutions => {
            Err(Error::new(ErrorKind::InvalidArgument, format!("{kind} is no fund-flow input")).in_file(name))
        }
    }
}

/// Reads one file (already out of its container) as its detected or forced layout; `head` is its
/// first [`READ_HEAD_BYTES`] when the caller has read them already. `for_matching`: a bank statement
/// with serial numbers becomes a table of rows.
fn read_one(name: &str, source: Source, head: Option<Vec<u8>>, options: &mut ReadOptions<'_>) -> Result<Read> {
    // Matched as a table, a file's issues are of the side it was given as; described, it is read
    // as a channel file would be.
    let (side, for_matching) = match options.purpose {
        Purpose::Match(side) => (side, true),
        Purpose::Fund(_) | Purpose::Describe => (Side::Channel, false),
    };
    let (profile, forced) = (options.profile, options.format);
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
            return read_generic(table, &head, rejections, options);
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
            Format::SubLedger => InputKind::SubLedger,
            // Matched as a table, its issues are of the side it was given as; else it is a statement.
            _ if for_matching => InputKind::from(side),
            _ => InputKind::Bank,
        };
        return match format {
            Format::PayoutInstructions => payouts::read_payouts(name, &text, encoding, profile).map(Read::Payouts),
            Format::SubLedger => payouts::read_sub_ledger(name, &text, encoding, profile).map(Read::SubLedger),
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
        Format::AlipaySummary => alipay_summary::read_alipay_summary(&mut table).map(|_| delimited::Outcome::Read),
        _ => delimited::read_delimited(&mut table, profile, &mut |done, total| options.report(done, total)),
    }
    .map_err(with_how)?;
    if let delimited::Outcome::NotUtf8 = read {
        let source = Source::Owned(table.into_source_bytes()?);
        return read_one(name, source, None, options);
    }
    totals::check(&mut table)?;
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
    mut rejections: Vec<Rejection>,
    options: &mut ReadOptions<'_>,
) -> Result<Read> {
    // A table has a delimiter on some line; prose or a lone column is no layout at all.
    let tabular = head.lines().take(64).any(|line| line.as_bytes().contains(&table.delimiter));
    let name = table.name.clone();
    let profile = options.profile;
    let read = delimited::read_delimited(&mut table, profile, &mut |done, total| options.report(done, total));
    let read = read.map_err(|error| {
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
        let source = Source::Owned(table.into_source_bytes()?);
        return read_one(&name, source, None, options);
    }
    Ok(Read::Table(table))
}
