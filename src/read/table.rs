//! A delimited text file turned into normalized [`Row`]s: header found by name, title and total rows
//! skipped and reported, every bad row reported with line, column and reason.
//!
//! The text is read in chunks from where it is (in memory, or the caller's bytes) and not kept:
//! a row holds its key, amount, status and time, and where its record is. The few records that
//! must be shown again are read back with [`Table::sweep`].

use super::csv::{detect_delimiter, unescape, FieldRange, Scanner, MAX_RECORD_BYTES};
use super::encoding::Encoding;
use super::format::{Detection, Format};
use super::source::{read_fully, ReadAt};
use super::{Check, RowIssue};
use crate::error::{Error, ErrorKind, Result};
use crate::money::{parse_amount, parse_units, Units};
use crate::profile::{KeyChoice, Profile};
use crate::record::{key_head, normalize_header, Field, ItemKind, Key, Row, Side, Status, KEY_HEAD_BYTES};
use crate::time::DateTimeParser;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// How many records are searched for the header before giving up.
const HEADER_SEARCH_RECORDS: usize = 64;
/// How often reading reports progress (a few milliseconds of work).
const PROGRESS_EVERY_RECORDS: u64 = 16_384;
/// Keys longer than this are not keys (a 10 MB cell is junk, not an order number).
const MAX_KEY_BYTES: usize = 256;
/// How much of the caller's bytes one read takes while a file is read from start to end.
pub(crate) const CHUNK_BYTES: usize = 1 << 20;
/// At most this many non-detail lines (titles, comments, totals) are kept for the footer checks.
const MAX_NOTE_LINES: usize = 1024;
/// Non-ASCII cells that mark a total or footer row (ASCII cells: see [`names_total`]).
const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "汇总", "总交易单数", "总笔数", "仅供参考", "以柜台为准"];

/// First cells of the summary header lines that follow a bill's detail (WeChat trade, fund flow).
const SUMMARY_FIRST_CELLS: &[&str] = &["总交易单数", "资金流水总笔数"];

/// Which column holds each [`Field`], as 0-based indexes into the header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap([Option<u32>; Field::ALL.len()]);

impl ColumnMap {
    /// The column of `field`, if the file has one.
    pub fn get(&self, field: Field) -> Option<usize> {
        self.0[field as usize].map(|c| c as usize)
    }

    pub(crate) fn set(&mut self, field: Field, column: usize) {
        self.0[field as usize] = Some(column as u32);
    }

    fn mapped(&self) -> usize {
        self.0.iter().flatten().count()
    }

    fn max_column(&self) -> usize {
        self.0.iter().flatten().map(|&c| c as usize).max().unwrap_or(0)
    }
}

/// The key of a row that was left out (see [`Table::skipped_keys`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedKey {
    /// Which key field.
    pub field: Field,
    /// The key as written.
    pub key: String,
    /// 1-based line of the row.
    pub line: u32,
    /// The row issue's code, e.g. `invalid_amount`.
    pub code: &'static str,
}

/// Where a table's text is: UTF-8, byte-order mark removed. Row offsets count from its start.
pub(crate) enum Text {
    /// In memory: decoded from another encoding, out of an archive, or given whole.
    Owned(String),
    /// The caller's bytes, valid UTF-8 from byte `start` (past a byte-order mark).
    External {
        /// The bytes.
        source: Box<dyn ReadAt>,
        /// Where the text starts.
        start: u64,
    },
}

impl Text {
    fn len(&self) -> u64 {
        match self {
            Text::Owned(text) => text.len() as u64,
            Text::External { source, start } => source.len().saturating_sub(*start),
        }
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Text::Owned(text) => write!(f, "Owned({} bytes)", text.len()),
            Text::External { source, start } => write!(f, "External({} bytes from {start})", source.len()),
        }
    }
}

/// One file, read: its rows, its issues and what was detected.
#[derive(Debug)]
pub struct Table {
    /// File name as given by the caller (no directories).
    pub name: String,
    /// Side of the reconciliation.
    pub side: Side,
    /// Detected encoding.
    pub encoding: Encoding,
    /// Detected delimiter.
    pub delimiter: u8,
    /// 1-based line of the header.
    pub header_line: u32,
    /// Header cells as written (trimmed).
    pub header: Vec<String>,
    /// Where each field was found.
    pub columns: ColumnMap,
    /// The rows that will be reconciled, kept by key hash in `2^part_bits` partitions as they
    /// are read, so that matching groups partition `p` of every table together without moving a
    /// row (see [`Table::rows`], [`Table::row`]; [`Row::line`] gives the order of the file).
    pub(crate) parts: Vec<Vec<Row>>,
    /// How many top bits of the key hash pick a row's partition.
    pub(crate) part_bits: u32,
    /// The index of each partition's first row, and the row count last (rows are numbered
    /// partition by partition).
    pub(crate) part_starts: Vec<u32>,
    /// Rows skipped or repaired, and file-level notes.
    pub issues: Vec<RowIssue>,
    /// Records after the header that were skipped (each has an issue).
    pub skipped_records: u32,
    /// The layout the file was read as.
    pub format: Format,
    /// The layout's version, e.g. `ALL` or `29 columns`; empty when the layout has only one.
    pub variant: String,
    /// The file's own totals checked against its detail (see [`Check`]).
    pub checks: Vec<Check>,
    /// Where a field's value comes from when its own column is empty on a row (e.g. WeChat's
    /// 微信退款单号 when 商户退款单号 is blank).
    pub fallback_columns: ColumnMap,
    /// Every row's line, amount and running balance (余额), in file order, when the file has a
    /// balance column; empty otherwise. Kept apart from the rows, which are not in file order.
    pub balances: Vec<(u32, Decimal, Option<Decimal>)>,
    /// Rows left out after their key was read (an unreadable amount or status): few, and kept so
    /// that an exception on the other side can say its row exists but was skipped.
    pub skipped_keys: Vec<SkippedKey>,
    /// Field widths of a fixed-width file (no delimiter), used to show a row's cells.
    pub(crate) fixed_widths: Option<&'static [usize]>,
    /// Key bytes past each row's inline head, and second keys (see [`Key`]).
    pub(crate) key_arena: Vec<u8>,
    /// Amounts beyond 18 digits, by line, in line order (see `Row::BIG`): junk in practice, but exact.
    pub(crate) big_amounts: Vec<(u32, Decimal)>,
    /// Rows per day of their time, for the run's date when none is given.
    pub(crate) days: rustc_hash::FxHashMap<i64, u64>,
    /// Titles, comments and total lines as written (at most [`MAX_NOTE_LINES`]): the footer checks read them.
    pub(crate) notes: Vec<(u32, String)>,
    pub(crate) text: Text,
}

/// One record read back from the file: its text and its fields.
pub struct RecordRef<'r> {
    text: &'r str,
    fields: &'r [FieldRange],
}

impl<'r> RecordRef<'r> {
    /// The record as written (one line, or several when a quoted field holds line breaks).
    pub fn text(&self) -> &'r str {
        self.text
    }

    /// One cell, trimmed and unescaped; empty when the record is shorter.
    pub fn cell(&self, column: usize) -> Cow<'r, str> {
        self.fields.get(column).map_or(Cow::Borrowed(""), |f| cell(self.text, f))
    }

    /// One cell exactly as written (fixed-width fields keep their padding).
    pub fn raw(&self, column: usize) -> &'r str {
        self.fields.get(column).and_then(|f| self.text.get(f.start as usize..f.end as usize)).unwrap_or("")
    }

    /// Every cell, trimmed and unescaped.
    pub fn cells(&self) -> Vec<String> {
        (0..self.fields.len()).map(|c| self.cell(c).into_owned()).collect()
    }
}

impl Table {
    /// How many rows the file gave.
    pub fn row_count(&self) -> usize {
        self.part_starts.last().copied().unwrap_or(0) as usize
    }

    /// The rows, partition by partition: numbered as [`Table::row`] numbers them.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.parts.iter().flatten()
    }

    /// Row number `index` (see [`Table::rows`]). A search of the partitions: the hot loops walk
    /// the partitions instead, so this stays out of line.
    #[inline(never)]
    pub fn row(&self, index: u32) -> &Row {
        let part = self.part_starts.partition_point(|&start| start <= index) - 1;
        &self.parts[part][(index - self.part_starts[part]) as usize]
    }

    /// The rows in the order of the file.
    pub fn rows_in_file_order(&self) -> Vec<&Row> {
        let mut rows: Vec<&Row> = self.rows().collect();
        crate::sort::sort_by(&mut rows, |a, b| a.line.cmp(&b.line));
        rows
    }

    /// Splits rows into `2^bits` partitions by key hash, with room for `expected` rows.
    pub(crate) fn set_partitions(&mut self, bits: u32, expected: usize) {
        let count = 1usize << bits;
        let mut parts: Vec<Vec<Row>> =
            (0..count).map(|_| Vec::with_capacity(expected / count + expected / count / 16)).collect();
        for row in std::mem::take(&mut self.parts).into_iter().flatten() {
            parts[part_of(crate::matching::hash_row(self, &row), bits)].push(row);
        }
        self.parts = parts;
        self.part_bits = bits;
        self.number_rows();
    }

    /// Numbers the rows partition by partition (after reading, or after [`Table::set_partitions`]).
    pub(crate) fn number_rows(&mut self) {
        let mut at = 0u32;
        self.part_starts.clear();
        for part in &self.parts {
            self.part_starts.push(at);
            at += part.len() as u32;
        }
        self.part_starts.push(at);
    }

    /// A row's amount.
    #[inline]
    pub fn amount(&self, row: &Row) -> Decimal {
        row.small_amount().unwrap_or_else(|| {
            let at = self.big_amounts.binary_search_by_key(&row.line, |(line, _)| *line);
            at.map_or(Decimal::ZERO, |at| self.big_amounts[at].1)
        })
    }

    /// Whether two rows of this table and `other` have the same amount (numerically).
    #[inline]
    pub(crate) fn same_amount(&self, row: &Row, other: &Table, other_row: &Row) -> bool {
        row.same_small_amount(other_row).unwrap_or_else(|| self.amount(row) == other.amount(other_row))
    }

    /// The effect of a row on the platform's money (see [`crate::record::effect`]).
    pub fn effect(&self, row: &Row) -> Decimal {
        crate::record::effect(self.amount(row), row.status, row.kind)
    }

    /// The bytes of a row's key past its inline head.
    #[inline]
    pub(crate) fn key_rest(&self, row: &Row) -> &[u8] {
        let rest = usize::from(row.key.len).saturating_sub(KEY_HEAD_BYTES);
        let start = row.key.rest as usize;
        self.key_arena.get(start..start + rest).unwrap_or(&[])
    }

    /// A row's key, as written.
    pub fn key(&self, row: &Row) -> String {
        let mut bytes: Vec<u8> = row.key.head.iter().flat_map(|w| w.to_le_bytes()).collect();
        bytes.truncate(usize::from(row.key.len).min(KEY_HEAD_BYTES));
        bytes.extend_from_slice(self.key_rest(row));
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// A row's second key (its transaction number with `order_no_then_trade_no`), if any.
    pub(crate) fn second_key(&self, row: &Row) -> &[u8] {
        let start = row.key.rest as usize + usize::from(row.key.len).saturating_sub(KEY_HEAD_BYTES);
        self.key_arena.get(start..start + usize::from(row.key.second_len)).unwrap_or(&[])
    }

    /// The key text of a row for `field`: its key, or its second key.
    pub fn key_of(&self, row: &Row, field: Field) -> String {
        if field == row.key_field {
            self.key(row)
        } else if field == Field::TradeNo {
            String::from_utf8_lossy(self.second_key(row)).into_owned()
        } else {
            String::new()
        }
    }

    /// The file's bytes, read whole again (to decode a file that turned out not to be UTF-8).
    pub(crate) fn into_source_bytes(self) -> Result<Vec<u8>> {
        match self.text {
            Text::Owned(text) => Ok(text.into_bytes()),
            Text::External { source, .. } => super::Source::External(source).into_bytes(&self.name),
        }
    }

    /// Bytes of text in the file.
    pub fn text_len(&self) -> u64 {
        self.text.len()
    }

    /// The whole text, read again: for the small files some checks read whole (a 汇总 summary, a
    /// bank statement read as a table).
    pub(crate) fn whole_text(&self) -> Result<Cow<'_, str>> {
        match &self.text {
            Text::Owned(text) => Ok(Cow::Borrowed(text)),
            Text::External { source, start } => {
                let mut buf = vec![0; usize::try_from(self.text.len()).unwrap_or(0)];
                let got = read_fully(source.as_ref(), *start, &mut buf, &self.name)?;
                buf.truncate(got);
                String::from_utf8(buf).map(Cow::Owned).map_err(|_| changed(&self.name))
            }
        }
    }

    /// Reads the records at `offsets` (row offsets, ascending) again from the file and hands each
    /// to `visit` with its index in `offsets`. From the caller's bytes the reads are grouped into
    /// windows, so scattered records cost a few reads, not one each.
    pub fn sweep(&self, offsets: &[u32], visit: &mut dyn FnMut(usize, &RecordRef) -> Result<()>) -> Result<()> {
        let mut fields: Vec<FieldRange> = Vec::with_capacity(32);
        // An owned text is one window over all of it; the caller's bytes are read window by window.
        let (source, start, mut buf) = match &self.text {
            Text::Owned(text) => (None, 0, Cow::Borrowed(text.as_bytes())),
            Text::External { source, start } => (Some(source), *start, Cow::Owned(Vec::new())),
        };
        let mut window_start = 0u64;
        let total = self.text.len();
        // A read takes at least a few records (and at least what the source finds worth a read):
        // scattered records cost one small read each, neighbours share one.
        let per_record = (total / self.row_count().max(1) as u64) as usize + 1;
        let least = source.map_or(0, |s| s.window()).max(4 * per_record).max(256);
        for (n, &offset) in offsets.iter().enumerate() {
            let offset = u64::from(offset);
            let mut size = least;
            loop {
                if offset >= window_start && offset < window_start + buf.len() as u64 {
                    let local = &buf[(offset - window_start) as usize..];
                    let at_end = window_start + buf.len() as u64 >= total;
                    match self.scan_bytes(local, &mut fields) {
                        Some((end, complete)) if complete || at_end => {
                            let text = std::str::from_utf8(&local[..end]).map_err(|_| changed(&self.name))?;
                            visit(n, &RecordRef { text, fields: &fields })?;
                            break;
                        }
                        None if at_end => return Err(changed(&self.name)),
                        // The record runs past the window: read a larger one from it.
                        _ => size = size.max(local.len().saturating_mul(2)),
                    }
                }
                let len = (size as u64).min(total.saturating_sub(offset)) as usize;
                let Some(source) = source.filter(|_| len > 0) else { return Err(changed(&self.name)) };
                let window = buf.to_mut();
                window.resize(len, 0);
                let got = read_fully(source.as_ref(), start + offset, window, &self.name)?;
                window.truncate(got);
                window_start = offset;
            }
        }
        Ok(())
    }

    /// Scans the first record of `bytes` into `fields`: where it ends, and whether it is known to
    /// be whole (its line break was seen, or its open quote ran past [`MAX_RECORD_BYTES`]).
    fn scan_bytes(&self, bytes: &[u8], fields: &mut Vec<FieldRange>) -> Option<(usize, bool)> {
        if let Some(widths) = self.fixed_widths {
            let line_end = memchr::memchr(b'\n', bytes);
            let mut end = line_end.unwrap_or(bytes.len());
            if end > 0 && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            fields.clear();
            let mut at = 0;
            for &width in widths {
                let field_end = (at + width).min(end);
                fields.push(FieldRange {
                    start: at.min(field_end) as u32,
                    end: field_end as u32,
                    needs_unescape: false,
                });
                at = field_end + 1;
            }
            return Some((end, line_end.is_some()));
        }
        let mut scanner = Scanner::over_bytes(bytes, self.delimiter);
        let record = scanner.next_record(fields)?;
        let after = bytes.get(record.end..).unwrap_or(&[]);
        let ended_by_break = after.starts_with(b"\n") || after.starts_with(b"\r\n");
        let complete = if record.unterminated_quote { bytes.len() >= MAX_RECORD_BYTES } else { ended_by_break };
        Some((record.end, complete))
    }
}

/// The caller's bytes no longer hold what was read from them.
fn changed(name: &str) -> Error {
    Error::new(ErrorKind::Io, "the file's bytes changed after it was read; add it again").in_file(name)
}

/// One cell of a record, trimmed and unescaped; borrowed in the common case.
#[inline]
fn cell<'t>(text: &'t str, field: &FieldRange) -> Cow<'t, str> {
    let (start, end) = (field.start as usize, field.end as usize);
    if !field.needs_unescape && start < end {
        // Fast path: a plain cell, nothing to trim (both ends ASCII, so both are char boundaries).
        let bytes = text.as_bytes();
        if let (Some(&first), Some(&last)) = (bytes.get(start), bytes.get(end - 1)) {
            if is_plain(first) && is_plain(last) {
                if let Some(value) = text.get(start..end) {
                    return Cow::Borrowed(value);
                }
            }
        }
    }
    decorated_cell(text, field)
}

/// [`cell`] for a cell to trim or unescape.
#[inline(never)]
fn decorated_cell<'t>(text: &'t str, field: &FieldRange) -> Cow<'t, str> {
    let raw = text.get(field.start as usize..field.end as usize).unwrap_or("");
    if field.needs_unescape {
        Cow::Owned(trim_cell(&unescape(raw)).to_string())
    } else {
        Cow::Borrowed(trim_cell(raw))
    }
}

/// Trims what real exports pad values with: blanks, TABs, full-width spaces, a leading backtick,
/// and Excel's `="…"` wrapper.
#[inline]
pub fn trim_cell(value: &str) -> &str {
    // Fast path: most cells start and end with a plain visible ASCII character.
    if let (Some(&first), Some(&last)) = (value.as_bytes().first(), value.as_bytes().last()) {
        if is_plain(first) && is_plain(last) {
            return value;
        }
    }
    trim_decorated_cell(value)
}

/// A byte that can start or end an untrimmed cell as it is: visible ASCII other than the
/// decorations [`trim_cell`] removes.
#[inline]
fn is_plain(b: u8) -> bool {
    b.is_ascii_graphic() && b != b'`' && b != b'=' && b != b'"'
}

#[inline(never)]
fn trim_decorated_cell(value: &str) -> &str {
    let blank = |c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}';
    let mut v = value.trim_matches(blank);
    if let Some(rest) = v.strip_prefix('`') {
        v = rest.trim_matches(blank);
    }
    if let Some(inner) = v.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        v = inner.trim_matches(blank);
    }
    v
}

/// Byte equality of two short texts by words: Wasm's `memcmp` goes a byte at a time.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut pairs = a.chunks_exact(8).zip(b.chunks_exact(8));
    if !pairs.all(|(x, y)| {
        u64::from_le_bytes(x.try_into().unwrap_or([0; 8])) == u64::from_le_bytes(y.try_into().unwrap_or([0; 8]))
    }) {
        return false;
    }
    let tail = a.len() - a.len() % 8;
    a[tail..].iter().zip(&b[tail..]).all(|(x, y)| x == y)
}

impl Table {
    /// An empty table over `text`, before any reader ran.
    pub(crate) fn empty(
        name: &str,
        side: Side,
        text: Text,
        head: &str,
        encoding: Encoding,
        note: Option<String>,
        detection: Detection,
    ) -> Table {
        let mut table = Table {
            name: name.to_string(),
            side,
            encoding,
            delimiter: detect_delimiter(head),
            header_line: 0,
            header: Vec::new(),
            columns: ColumnMap::default(),
            parts: vec![Vec::new()],
            part_bits: 0,
            part_starts: vec![0, 0],
            issues: Vec::new(),
            skipped_records: 0,
            format: detection.format,
            variant: detection.variant,
            checks: Vec::new(),
            fallback_columns: ColumnMap::default(),
            fixed_widths: None,
            balances: Vec::new(),
            skipped_keys: Vec::new(),
            key_arena: Vec::new(),
            big_amounts: Vec::new(),
            days: Default::default(),
            notes: Vec::new(),
            text,
        };
        if let Some(note) = note {
            table.issues.push(RowIssue::file_note(name, side, "encoding_repaired", note));
        }
        table
    }

    /// The 0-based column whose header normalizes to `name`'s normalization.
    pub fn column_named(&self, name: &str) -> Option<usize> {
        let wanted = normalize_header(name);
        self.header.iter().position(|h| normalize_header(h) == wanted)
    }

    /// Stores a row's key (and second key) and returns its [`Key`].
    fn store_key(&mut self, key: &[u8], second: &[u8]) -> Key {
        let mut stored = Key { head: key_head(key), rest: 0, len: key.len() as u16, second_len: second.len() as u16 };
        if key.len() > KEY_HEAD_BYTES || !second.is_empty() {
            stored.rest = self.key_arena.len() as u32;
            self.key_arena.extend_from_slice(key.get(KEY_HEAD_BYTES..).unwrap_or(&[]));
            self.key_arena.extend_from_slice(second);
        }
        stored
    }
}

/// What reading a file from the caller's bytes found.
pub(crate) enum Outcome {
    /// Read.
    Read,
    /// The bytes are not UTF-8 after all (past the head that was checked): read them whole and
    /// decode them, as any other encoding.
    NotUtf8,
}

/// Runs the header-mapping reader over a table's text, with its layout's aliases, calling
/// `progress(bytes_done, bytes_total)` every few thousand records (`false` cancels).
pub(crate) fn read_delimited(
    table: &mut Table,
    profile: &Profile,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Outcome> {
    let total = table.text.len();
    if total >= u64::from(u32::MAX / 2) {
        return Err(Error::new(ErrorKind::InvalidArgument, "the file is larger than 2 GB").in_file(&table.name));
    }
    let text = std::mem::replace(&mut table.text, Text::Owned(String::new()));
    let mut reader = Reader::new(table, profile, progress, total);
    let result = match &text {
        Text::Owned(whole) => reader.feed(whole, 0, 1, true).map(|_| Outcome::Read),
        Text::External { source, start } => reader.feed_chunks(source.as_ref(), *start, total),
    };
    let result = result.and_then(|outcome| match outcome {
        Outcome::Read => reader.finish().map(|_| Outcome::Read),
        Outcome::NotUtf8 => Ok(Outcome::NotUtf8),
    });
    table.text = text;
    result
}

/// The state of one pass over a table's text, fed one chunk at a time.
struct Reader<'a> {
    table: &'a mut Table,
    profile: &'a Profile,
    aliases: Vec<(Field, Vec<String>)>,
    /// Status words seen so far: a file has a handful, so the word table is searched once per word.
    status_cache: Vec<(String, Option<Status>)>,
    times: DateTimeParser,
    progress: &'a mut dyn FnMut(u64, u64) -> bool,
    /// Bytes of text in the file.
    total: u64,
    fields: Vec<FieldRange>,
    /// Still looking for the header: the records passed over, and the closest candidate.
    searching: bool,
    title_rows: Vec<u32>,
    best: (usize, Vec<String>),
    in_footer: bool,
    saw_detail: bool,
    records: u64,
    /// Where the detail starts, for sizing the rows once.
    detail_start: u64,
    /// Fields a detail record must have: up to the last mapped column.
    needed: usize,
    /// The day of the last row's time and how many rows in a row had it.
    day_run: Option<(i64, u64)>,
}

impl<'a> Reader<'a> {
    fn new(
        table: &'a mut Table,
        profile: &'a Profile,
        progress: &'a mut dyn FnMut(u64, u64) -> bool,
        total: u64,
    ) -> Self {
        let explicit = match table.side {
            Side::Internal => &profile.columns.internal,
            // Fund-flow sides never come here (see `Reconciliation::add_file`).
            Side::Channel | Side::Bank | Side::Payouts | Side::Book => &profile.columns.channel,
        };
        let format = table.format;
        let aliases = Field::ALL
            .iter()
            .map(|&field| {
                let names: Vec<String> = match (explicit.get(field), format.aliases(field)) {
                    (Some(name), _) => vec![normalize_header(name)],
                    (None, Some(names)) => names.iter().map(|n| normalize_header(n)).collect(),
                    (None, None) => profile.aliases_of(field).map(normalize_header).collect(),
                };
                (field, names)
            })
            .collect();
        Reader {
            table,
            profile,
            aliases,
            status_cache: Vec::new(),
            times: DateTimeParser::default(),
            progress,
            total,
            fields: Vec::with_capacity(32),
            searching: true,
            title_rows: Vec::new(),
            best: (0, Vec::new()),
            in_footer: false,
            saw_detail: false,
            records: 0,
            detail_start: 0,
            needed: 0,
            day_run: None,
        }
    }

    /// Reads the caller's bytes from `start` in chunks that end at a line break.
    fn feed_chunks(&mut self, source: &dyn ReadAt, start: u64, total: u64) -> Result<Outcome> {
        let name = self.table.name.clone();
        // One buffer for every chunk, grown only for a record longer than a chunk (resizing it
        // per chunk would zero a megabyte before every read).
        let mut buffer: Vec<u8> = Vec::new();
        let chunk_bytes = source.chunk().max(1);
        let (mut at, mut line, mut window) = (0u64, 1u32, chunk_bytes);
        loop {
            let len = (window as u64).min(total - at) as usize;
            if buffer.len() < len {
                buffer.resize(len, 0);
            }
            let got = read_fully(source, start + at, &mut buffer[..len], &name)?;
            let buf = &buffer[..got];
            let last = at + got as u64 >= total;
            let end = if last {
                got
            } else {
                match memchr::memrchr(b'\n', buf) {
                    Some(i) => i + 1,
                    None => {
                        window = window.saturating_mul(2); // a line longer than the window
                        continue;
                    }
                }
            };
            // A chunk ends at a line break, so it never cuts a character in two.
            let Ok(chunk) = std::str::from_utf8(&buf[..end]) else { return Ok(Outcome::NotUtf8) };
            let (consumed, next_line) = self.feed(chunk, at as u32, line, last)?;
            if last {
                return Ok(Outcome::Read);
            }
            if consumed == 0 {
                window = window.saturating_mul(2); // one record longer than the window
                continue;
            }
            at += consumed as u64;
            line = next_line;
            window = chunk_bytes.max(window / 2);
            if !(self.progress)(at, total) {
                return Err(Error::new(ErrorKind::Cancelled, "reading was cancelled").in_file(&name));
            }
        }
    }

    /// Reads the records of one chunk of text: `base` is its offset in the file's text, `first_line`
    /// the line it starts on, `last` whether it ends the file. Returns how many bytes it consumed
    /// (a record still open at the end of a chunk waits for the next) and the next line.
    fn feed(&mut self, text: &str, base: u32, first_line: u32, last: bool) -> Result<(usize, u32)> {
        let mut scanner = Scanner::starting_at_line(text, self.table.delimiter, first_line);
        let mut fields = std::mem::take(&mut self.fields);
        let result = loop {
            let (position, line) = (scanner.position(), scanner.line());
            let Some(record) = scanner.next_record(&mut fields) else { break Ok((text.len(), scanner.line())) };
            // A quoted field open at the end of a chunk may close in the next one.
            if !last && record.unterminated_quote && text.len() - record.start < MAX_RECORD_BYTES {
                break Ok((position, line));
            }
            let step = if self.searching {
                self.header_record(text, base, &fields, &record)
            } else {
                self.detail_record(text, base, &fields, &record, &mut scanner)
            };
            if let Err(error) = step {
                break Err(error);
            }
        };
        self.fields = fields;
        if last && self.searching {
            return Err(self.no_header_error());
        }
        result
    }

    fn no_header_error(&self) -> Error {
        let detail = if self.best.1.is_empty() {
            "no row looks like a header".to_string()
        } else {
            format!("the closest row has {}", self.best.1.join(", "))
        };
        Error::new(
            ErrorKind::NoKnownColumns { best_header: self.best.1.clone() },
            format!("no header with a key column ({}) and an amount column was found: {detail}", self.key_hint()),
        )
        .in_file(&self.table.name)
    }

    /// One record before the header: the header itself (the first record that maps a key
    /// column and an amount column), or a title row.
    fn header_record(
        &mut self,
        text: &str,
        base: u32,
        fields: &[FieldRange],
        record: &super::csv::Record,
    ) -> Result<()> {
        let cells: Vec<String> = fields.iter().map(|f| cell(text, f).into_owned()).collect();
        if cells.iter().all(String::is_empty) {
            return Ok(());
        }
        let normalized: Vec<String> = cells.iter().map(|c| normalize_header(c)).collect();
        let (map, fallbacks) = self.map_header(&normalized);
        if self.has_required_columns(&map) {
            self.table.header_line = record.line;
            self.table.header = cells;
            self.table.columns = map;
            self.table.fallback_columns = fallbacks;
            self.searching = false;
            self.needed = self.table.columns.max_column() + 1;
            self.detail_start = u64::from(base) + record.end as u64;
            // Rows go straight into their partitions: their number is estimated from the lines of
            // this chunk after the header, counting the other side as about as long.
            let sample = &text.as_bytes()[record.end.min(text.len())..text.len().min(record.end + (64 << 10))];
            let lines = memchr::memchr_iter(b'\n', sample).count().max(1);
            let expected =
                ((self.total.saturating_sub(self.detail_start)) as usize / (sample.len() / lines).max(1)).max(1);
            self.table.set_partitions(part_bits_for(2 * expected), expected + expected / 16);
            for line in std::mem::take(&mut self.title_rows) {
                let message = "a title row before the header; not reconciled".to_string();
                let issue = RowIssue::new(&self.table.name, self.table.side, line, None, "title_row_skipped", message);
                self.table.issues.push(issue);
            }
            return Ok(());
        }
        if map.mapped() > self.best.0 || self.best.1.is_empty() {
            self.best = (map.mapped(), cells);
        }
        self.title_rows.push(record.line);
        self.keep_note(record.line, &text[record.start..record.end]);
        if self.title_rows.len() >= HEADER_SEARCH_RECORDS {
            return Err(Error::new(
                ErrorKind::NoKnownColumns { best_header: self.best.1.clone() },
                format!(
                    "no header with a key column ({}) and an amount column in the first {HEADER_SEARCH_RECORDS} rows; \
                     the closest row has {}",
                    self.key_hint(),
                    self.best.1.join(", ")
                ),
            )
            .in_file(&self.table.name));
        }
        Ok(())
    }

    /// Keeps a non-detail line's text for the footer checks.
    fn keep_note(&mut self, line: u32, text: &str) {
        if self.table.notes.len() < MAX_NOTE_LINES {
            self.table.notes.push((line, text.to_string()));
        }
    }

    /// One record after the header: a row, or a skipped record with its issue.
    fn detail_record(
        &mut self,
        text: &str,
        base: u32,
        fields: &[FieldRange],
        record: &super::csv::Record,
        scanner: &mut Scanner,
    ) -> Result<()> {
        self.records += 1;
        let position = u64::from(base) + scanner.position() as u64;
        if self.records % PROGRESS_EVERY_RECORDS == 0 && !(self.progress)(position, self.total) {
            return Err(Error::new(ErrorKind::Cancelled, "reading was cancelled").in_file(&self.table.name));
        }
        if fields.len() == 1 && fields[0].start == fields[0].end {
            return Ok(()); // blank line
        }
        let line = record.line;
        let header_len = self.table.header.len();
        if record.unterminated_quote || (record.lines > 1 && fields.len() != header_len) {
            // A quote opened and never properly closed: report this line, resume on the next.
            let next = scanner.next_line_start(record.start);
            scanner.restart_at(next, line + 1);
            self.skip(line, None, "unbalanced_quote", "a quoted field is not closed on this line".into());
            return Ok(());
        }
        let first_cell = fields.first().map(|f| cell(text, f)).unwrap_or_default();
        let first = first_cell.as_ref();
        if first.starts_with('#') {
            self.keep_note(line, &text[record.start..record.end]);
            self.skip(line, None, "comment_row_skipped", "a comment row; not reconciled".into());
            return Ok(());
        }
        if self.in_footer || self.is_total_row(text, fields, first) {
            self.in_footer = true;
            self.keep_note(line, &text[record.start..record.end]);
            self.skip(line, None, "total_row_skipped", "a total row after the detail; not reconciled".into());
            return Ok(());
        }
        let needed = self.needed;
        if fields.len() < needed {
            let message = format!("{} fields where the header has {header_len}", fields.len());
            self.skip(line, Some(fields.len() as u32 + 1), "too_few_fields", message);
            return Ok(());
        }
        if fields.len() > header_len {
            let extra = fields[header_len..].iter().position(|f| !cell(text, f).is_empty());
            if let Some(extra) = extra {
                let column = header_len + extra + 1;
                let message = format!(
                    "{} fields where the header has {header_len} (an unquoted comma in a value?)",
                    fields.len()
                );
                self.skip(line, Some(column as u32), "too_many_fields", message);
                return Ok(());
            }
        }
        let offset = base + record.start as u32;
        match self.row(text, fields, line, offset) {
            Ok(()) => self.saw_detail = true,
            Err((column, code, message)) => {
                if !matches!(code, "missing_key" | "invalid_key") {
                    self.remember_skipped_key(text, fields, line, code);
                }
                self.skip(line, Some(column as u32 + 1), code, message)
            }
        }
        Ok(())
    }

    /// After the last chunk: the day counts, and the error for a header without rows.
    fn finish(mut self) -> Result<()> {
        if let Some(run) = self.day_run.take() {
            add_day(&mut self.table.days, run);
        }
        self.table.number_rows();
        if !self.saw_detail && self.table.skipped_records == 0 {
            return Err(Error::new(ErrorKind::NoDataRows, "the file has a header but no data rows")
                .in_file(&self.table.name)
                .at(u64::from(self.table.header_line), None));
        }
        Ok(())
    }

    /// Maps header cells to fields, and (for a layout's own aliases) a second column per field to
    /// fall back on when the first is empty on a row.
    fn map_header(&self, cells: &[String]) -> (ColumnMap, ColumnMap) {
        let mut map = ColumnMap::default();
        let mut fallbacks = ColumnMap::default();
        let mut taken = vec![false; cells.len()];
        for (field, names) in &self.aliases {
            let found: Vec<usize> = names
                .iter()
                .filter_map(|name| (0..cells.len()).find(|&c| !taken[c] && cells[c] == *name))
                .take(2)
                .collect();
            if let Some(&column) = found.first() {
                taken[column] = true;
                map.set(*field, column);
                let layout_alias = self.table.format.aliases(*field).is_some();
                if let Some(&second) = found.get(1).filter(|_| layout_alias) {
                    fallbacks.set(*field, second);
                }
            }
        }
        (map, fallbacks)
    }

    fn has_required_columns(&self, map: &ColumnMap) -> bool {
        let key = match self.profile.key {
            _ if self.table.format.any_key_will_do() => {
                map.get(Field::OrderNo).is_some() || map.get(Field::TradeNo).is_some()
            }
            KeyChoice::OrderNo => map.get(Field::OrderNo).is_some(),
            KeyChoice::TradeNo => map.get(Field::TradeNo).is_some(),
            KeyChoice::OrderNoThenTradeNo => map.get(Field::OrderNo).is_some() || map.get(Field::TradeNo).is_some(),
        };
        let amount = [Field::Amount, Field::RefundAmount, Field::Credit, Field::Debit]
            .iter()
            .any(|&field| map.get(field).is_some());
        key && amount
    }

    fn key_hint(&self) -> &'static str {
        match self.profile.key {
            KeyChoice::OrderNo => "order_no, out_trade_no, 商户订单号, …",
            KeyChoice::TradeNo => "trade_no, transaction_id, 微信订单号, …",
            KeyChoice::OrderNoThenTradeNo => "order_no or trade_no, …",
        }
    }

    fn remember_skipped_key(&mut self, text: &str, fields: &[FieldRange], line: u32, code: &'static str) {
        for field in [Field::OrderNo, Field::TradeNo, Field::RefundNo] {
            let key = self.table.field_value(text, fields, field);
            let key = key.trim();
            if !key.is_empty() {
                let key = key.to_string();
                self.table.skipped_keys.push(SkippedKey { field, key, line, code });
            }
        }
    }

    fn skip(&mut self, line: u32, column: Option<u32>, code: &'static str, message: String) {
        self.table.skipped_records += 1;
        self.table.issues.push(RowIssue::new(&self.table.name, self.table.side, line, column, code, message));
    }

    fn note(&mut self, line: u32, column: usize, code: &'static str, message: String) {
        self.table.issues.push(RowIssue::new(
            &self.table.name,
            self.table.side,
            line,
            Some(column as u32 + 1),
            code,
            message,
        ));
    }

    /// A total row: the key cell is empty or names a total (合计, Total, …), and an early cell names one.
    fn is_total_row(&self, text: &str, fields: &[FieldRange], first: &str) -> bool {
        let cell = |c: usize| fields.get(c).map(|f| text.get(f.start as usize..f.end as usize).unwrap_or(""));
        let key_cell = self.table.columns.get(Field::OrderNo).or(self.table.columns.get(Field::TradeNo));
        let key = key_cell.and_then(cell).map(trim_cell).unwrap_or("");
        // The usual row, decided without the word lists: a summary header's first cell is Chinese,
        // and an ASCII key names a total only when it starts like `total` or `sum`.
        if first.as_bytes().first().is_none_or(|&b| b.is_ascii())
            && key.as_bytes().first().is_some_and(|&b| !matches!(b | 0x20, b't' | b's'))
            && key.is_ascii()
        {
            return false;
        }
        // WeChat's summary header (总交易单数,…) names its total first, whatever sits in the key column.
        if SUMMARY_FIRST_CELLS.contains(&first) {
            return true;
        }
        if !key.is_empty() && !names_total(key) {
            return false;
        }
        fields.iter().take(4).any(|f| names_total(text.get(f.start as usize..f.end as usize).unwrap_or("")))
    }

    /// Builds a row from a record and stores it (with its running balance, when the file has a
    /// balance column), or says why the record is left out.
    fn row(
        &mut self,
        text: &str,
        fields: &[FieldRange],
        line: u32,
        offset: u32,
    ) -> std::result::Result<(), (usize, &'static str, String)> {
        let columns = self.table.columns;
        let order_no = self.table.field_value(text, fields, Field::OrderNo);
        let trade_no = self.table.field_value(text, fields, Field::TradeNo);
        let refund_no = self.table.field_value(text, fields, Field::RefundNo);
        let key_fields: &[Field] = match self.profile.key {
            _ if self.table.format.any_key_will_do() => &[Field::OrderNo, Field::TradeNo],
            KeyChoice::OrderNo => &[Field::OrderNo],
            KeyChoice::TradeNo => &[Field::TradeNo],
            KeyChoice::OrderNoThenTradeNo => &[Field::OrderNo, Field::TradeNo],
        };
        let key_present = key_fields.iter().any(|&f| match f {
            Field::OrderNo => !order_no.is_empty(),
            _ => !trade_no.is_empty(),
        });
        if !key_present {
            let column = columns.get(key_fields[0]).unwrap_or(0);
            return Err((column, "missing_key", format!("the {} is empty", key_fields[0].name())));
        }
        for (value, field) in [(&order_no, Field::OrderNo), (&trade_no, Field::TradeNo), (&refund_no, Field::RefundNo)]
        {
            if value.len() > MAX_KEY_BYTES {
                let column = columns.get(field).unwrap_or(0);
                let message =
                    format!("the {} is {} bytes long; keys have at most {MAX_KEY_BYTES}", field.name(), value.len());
                return Err((column, "invalid_key", message));
            }
        }

        let status = match columns.get(Field::Status) {
            None => Status::Success,
            Some(column) => {
                let word = self.table.field_value(text, fields, Field::Status);
                match self.status_of(&word) {
                    Some(status) => status,
                    None => {
                        let message =
                            format!("unknown status {:?}; add it to the profile's status_words", truncate(&word, 40));
                        return Err((column, "unknown_status", message));
                    }
                }
            }
        };

        let non_empty_cell = |column: Option<usize>| {
            column.and_then(|c| fields.get(c).map(|f| (c, f))).filter(|(_, f)| !cell(text, f).is_empty())
        };
        let refund_amount_cell = if status == Status::Refund {
            non_empty_cell(columns.get(Field::RefundAmount))
                .or_else(|| non_empty_cell(self.table.fallback_columns.get(Field::RefundAmount)))
        } else {
            None
        };
        let amount_cell =
            refund_amount_cell.or_else(|| columns.get(Field::Amount).and_then(|c| fields.get(c).map(|f| (c, f))));
        let amount = match amount_cell {
            Some((amount_column, amount_field)) => {
                let amount_text = cell(text, amount_field);
                let amount = match parse_units(&amount_text) {
                    Ok(amount) => amount,
                    Err(e) => {
                        let message = format!("{:?}: {}", truncate(&amount_text, 40), e.reason());
                        return Err((amount_column, "invalid_amount", message));
                    }
                };
                match columns.get(Field::Direction) {
                    None => amount,
                    Some(_) => Units::Big(self.apply_direction(text, fields, amount.decimal())?),
                }
            }
            None if columns.get(Field::Credit).is_some() || columns.get(Field::Debit).is_some() => {
                Units::Big(credit_minus_debit(text, fields, &columns)?)
            }
            None => {
                let column = columns.get(Field::Amount).or(columns.get(Field::RefundAmount)).unwrap_or(0);
                return Err((column, "invalid_amount", "the amount is missing".to_string()));
            }
        };

        // The fee is not kept (it is read again where it is shown), but a bad one is reported now.
        if let Some((column, f)) = columns.get(Field::Fee).and_then(|c| fields.get(c).map(|f| (c, f))) {
            let fee_text = cell(text, f);
            if !fee_text.is_empty() {
                if let Err(e) = parse_units(&fee_text) {
                    let message =
                        format!("{:?}: {}; the row is reconciled without a fee", truncate(&fee_text, 40), e.reason());
                    self.note(line, column, "invalid_fee", message);
                }
            }
        }
        let mut time = Row::NO_TIME;
        if let Some((column, f)) = columns.get(Field::Time).and_then(|c| fields.get(c).map(|f| (c, f))) {
            let time_text = cell(text, f);
            if !time_text.is_empty() {
                match self.times.parse(&time_text) {
                    Some(seconds) => match u32::try_from(seconds).ok().filter(|&s| s != Row::NO_TIME) {
                        Some(seconds) => time = seconds,
                        None => {
                            let message = format!(
                                "{:?} is before 1970 or after 2105; the row is reconciled without a time",
                                truncate(&time_text, 40)
                            );
                            self.note(line, column, "invalid_time", message);
                        }
                    },
                    None => {
                        let message = format!(
                            "{:?} is not a date and time; the row is reconciled without one",
                            truncate(&time_text, 40)
                        );
                        self.note(line, column, "invalid_time", message);
                    }
                }
            }
        }

        let balance = match columns.get(Field::Balance).and_then(|c| fields.get(c).map(|f| (c, f))) {
            None => None,
            Some((column, f)) => {
                let balance_text = cell(text, f);
                match parse_amount(&balance_text) {
                    _ if is_blank_amount(&balance_text) => None,
                    Ok(balance) => Some(balance),
                    Err(e) => {
                        let message = format!(
                            "{:?}: {}; the row is reconciled without a balance",
                            truncate(&balance_text, 40),
                            e.reason()
                        );
                        self.note(line, column, "invalid_balance", message);
                        None
                    }
                }
            }
        };
        let kind = if status == Status::Refund && !refund_no.is_empty() { ItemKind::Refund } else { ItemKind::Payment };
        if time != Row::NO_TIME {
            let day = i64::from(time).div_euclid(crate::time::DAY);
            match &mut self.day_run {
                Some((current, count)) if *current == day => *count += 1,
                run => {
                    if let Some(done) = run.replace((day, 1)) {
                        add_day(&mut self.table.days, done);
                    }
                }
            }
        }
        if columns.get(Field::Balance).is_some() {
            self.table.balances.push((line, amount.decimal(), balance));
        }
        let parts = RowParts { line, offset, order_no: &order_no, trade_no: &trade_no, refund_no: &refund_no };
        self.table.push_row(self.profile.key, parts, amount, time, status, kind);
        Ok(())
    }

    /// The normalized status of a word, through the cache of words already seen.
    fn status_of(&mut self, word: &str) -> Option<Status> {
        if let Some((_, status)) =
            self.status_cache.iter().find(|(seen, _)| same_bytes(seen.as_bytes(), word.as_bytes()))
        {
            return *status;
        }
        let (word, status) = (word.to_string(), self.profile.status_of(word));
        if self.status_cache.len() < 64 {
            self.status_cache.push((word, status));
        }
        status
    }

    /// Signs an unsigned amount by the row's direction word (收入 / 支出), when the file has one.
    fn apply_direction(
        &self,
        text: &str,
        fields: &[FieldRange],
        amount: Decimal,
    ) -> std::result::Result<Decimal, (usize, &'static str, String)> {
        let Some(column) = self.table.columns.get(Field::Direction) else { return Ok(amount) };
        let word_text = fields.get(column).map(|f| cell(text, f)).unwrap_or_default();
        let word = word_text.as_ref();
        match direction_sign(word) {
            Some(true) => Ok(amount.abs()),
            Some(false) => Ok(-amount.abs()),
            None => {
                let message = format!("direction {:?} is neither 收入 (in) nor 支出 (out)", truncate(word, 40));
                Err((column, "unknown_direction", message))
            }
        }
    }
}

impl Table {
    /// The value of `field` in a record (trimmed, unescaped), with the layout's fallback column
    /// when the field's own cell is empty, and WeChat's `0` for "no refund number". Inline: the
    /// reader takes four fields a row, and `field` is a constant at each call.
    #[inline(always)]
    fn field_value<'t>(&self, text: &'t str, fields: &[FieldRange], field: Field) -> Cow<'t, str> {
        let value = self.columns.get(field).and_then(|c| fields.get(c)).map_or(Cow::Borrowed(""), |f| cell(text, f));
        if field != Field::RefundNo {
            return value;
        }
        self.refund_no(value, text, fields)
    }

    /// The refund number, given the refund-number cell: WeChat's `0` is none, and an empty one
    /// falls back to the layout's second refund-number column.
    #[inline(never)]
    fn refund_no<'t>(&self, value: Cow<'t, str>, text: &'t str, fields: &[FieldRange]) -> Cow<'t, str> {
        let none = |v: &str| v.is_empty() || (self.format == Format::WechatTrade && v == "0");
        if !none(&value) {
            return value;
        }
        let fallback = self.fallback_columns.get(Field::RefundNo).and_then(|c| fields.get(c));
        let fallback = fallback.map_or(Cow::Borrowed(""), |f| cell(text, f));
        if none(&fallback) {
            Cow::Borrowed("")
        } else {
            fallback
        }
    }

    /// The value of `field` in a record read back with [`Table::sweep`], as the reader saw it.
    pub fn field_of<'r>(&self, record: &RecordRef<'r>, field: Field) -> Cow<'r, str> {
        self.field_value(record.text, record.fields, field)
    }

    /// Whether a record read back is still the row's: its key cell holds the row's key. Catches
    /// bytes the caller changed after giving them (a reused buffer).
    pub(crate) fn holds_row(&self, record: &RecordRef, row: &Row) -> bool {
        // A UnionPay refund's key is its 商户订单号.
        let field = match row.key_field {
            Field::RefundNo if self.fixed_widths.is_some() => Field::OrderNo,
            field => field,
        };
        self.field_of(record, field) == self.key(row)
    }

    /// A row's fee as written, read back from its record (rows do not keep it).
    pub fn fee_of(&self, record: &RecordRef) -> Option<Decimal> {
        let column = self.columns.get(Field::Fee)?;
        if self.fixed_widths.is_some() {
            return super::unionpay::fee_of(record.raw(column));
        }
        let text = record.cell(column);
        if text.is_empty() {
            None
        } else {
            parse_amount(&text).ok()
        }
    }
}

/// The partition of a key hash: its top `bits` bits (matching's group tables use the low ones).
#[inline]
pub(crate) fn part_of(hash: u64, bits: u32) -> usize {
    if bits == 0 {
        0
    } else {
        (hash >> (64 - bits)) as usize
    }
}

/// How many partitions rows are kept in: 16k–32k rows each (1–2 MB of rows), measured best for
/// grouping at 2M rows, for `rows` rows on both sides together.
pub(crate) fn part_bits_for(rows: usize) -> u32 {
    (rows / 16384).max(1).ilog2().min(12)
}

/// Where a record is and its key cells, for [`Table::push_row`].
pub(crate) struct RowParts<'v> {
    pub line: u32,
    pub offset: u32,
    pub order_no: &'v str,
    pub trade_no: &'v str,
    pub refund_no: &'v str,
}

impl Table {
    /// Adds a row: picks the key the profile matches by (a refund by its refund number), stores
    /// it, and keeps the amount as integer units at its scale.
    pub(crate) fn push_row(
        &mut self,
        choice: KeyChoice,
        parts: RowParts,
        amount: Units,
        time: u32,
        status: Status,
        kind: ItemKind,
    ) {
        let (key_field, key) = match choice {
            _ if kind == ItemKind::Refund => (Field::RefundNo, parts.refund_no),
            KeyChoice::OrderNo => (Field::OrderNo, parts.order_no),
            KeyChoice::TradeNo => (Field::TradeNo, parts.trade_no),
            KeyChoice::OrderNoThenTradeNo if !parts.order_no.is_empty() => (Field::OrderNo, parts.order_no),
            KeyChoice::OrderNoThenTradeNo => (Field::TradeNo, parts.trade_no),
        };
        // The transaction number pairs what the order number left single (see matching).
        let second =
            if choice == KeyChoice::OrderNoThenTradeNo && kind == ItemKind::Payment { parts.trade_no } else { "" };
        let key = self.store_key(key.as_bytes(), second.as_bytes());
        let (units, scale) = match amount.small() {
            Some(small) => small,
            None => {
                // Rows arrive in line order, so the list stays sorted.
                self.big_amounts.push((parts.line, amount.decimal()));
                (0, Row::BIG)
            }
        };
        let (line, offset) = (parts.line, parts.offset);
        let row = Row { line, offset, key, units, time, status, kind, key_field, scale };
        let part = part_of(crate::matching::hash_row(self, &row), self.part_bits);
        self.parts[part].push(row);
    }
}

/// Adds a run of rows of one day to the day counts.
pub(crate) fn add_day(days: &mut rustc_hash::FxHashMap<i64, u64>, (day, count): (i64, u64)) {
    *days.entry(day).or_default() += count;
}

/// `Some(true)` for a word meaning money in, `Some(false)` for money out.
fn direction_sign(word: &str) -> Option<bool> {
    const IN: &[&str] = &["收入", "收", "入", "贷", "credit", "c", "cr", "+"];
    const OUT: &[&str] = &["支出", "支", "出", "借", "debit", "d", "dr", "-"];
    if IN.iter().any(|w| w.eq_ignore_ascii_case(word)) {
        Some(true)
    } else if OUT.iter().any(|w| w.eq_ignore_ascii_case(word)) {
        Some(false)
    } else {
        None
    }
}

/// Bank exports write `-` or `-------` for an empty amount.
fn is_blank_amount(text: &str) -> bool {
    text.chars().all(|c| c == '-')
}

/// The signed amount of a statement row with separate money-in and money-out columns.
fn credit_minus_debit(
    text: &str,
    fields: &[FieldRange],
    columns: &ColumnMap,
) -> std::result::Result<Decimal, (usize, &'static str, String)> {
    let mut total: Option<Decimal> = None;
    for (field, sign) in [(Field::Credit, Decimal::ONE), (Field::Debit, Decimal::NEGATIVE_ONE)] {
        let Some(column) = columns.get(field) else { continue };
        let value_text = fields.get(column).map(|f| cell(text, f)).unwrap_or_default();
        let value = value_text.as_ref();
        if is_blank_amount(value) {
            continue;
        }
        let amount = parse_amount(value).map_err(|e| {
            (column, "invalid_amount", format!("{} {:?}: {}", field.name(), truncate(value, 40), e.reason()))
        })?;
        let signed = amount.abs() * sign;
        total = Some(match total {
            Some(sum) => sum + signed,
            None => signed,
        });
    }
    total.ok_or_else(|| {
        let column = columns.get(Field::Credit).or(columns.get(Field::Debit)).unwrap_or(0);
        (column, "invalid_amount", "neither the credit nor the debit column has an amount".to_string())
    })
}

/// Whether a cell names a total. Cheap on the hot path: ASCII cells (order numbers) are only
/// compared when they start like `total` or `sum`.
fn names_total(cell: &str) -> bool {
    let cell = trim_cell(cell);
    if cell.is_ascii() {
        let starts = |word: &str| cell.get(..word.len()).is_some_and(|head| head.eq_ignore_ascii_case(word));
        return starts("total") || (starts("sum") && cell.len() <= 4);
    }
    TOTAL_WORDS.iter().any(|w| cell.contains(w))
}

/// At most `max` characters of `s`, for messages.
fn truncate(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}
