//! One file, read: a [`Table`] of normalized [`Row`]s kept by key partition, its issues and what
//! was detected, and the way back to its records.
//!
//! The text is not kept: a row holds its key, amount, status and time, and where its record is.
//! The few records that must be shown again are read back with [`Table::sweep`].

use super::cell::cell;
use super::csv::{detect_delimiter, FieldRange, Scanner, MAX_RECORD_BYTES};
use super::encoding::Encoding;
use super::header::ColumnMap;
use super::issue::{Check, IssueCode, RowIssue};
use super::source::{read_fully, ReadAt};
use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use crate::money::Units;
use crate::profile::KeyChoice;
use crate::record::{hash_key, key_head, normalize_header, Field, ItemKind, Key, Row, Side, Status, KEY_HEAD_BYTES};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// What detection found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    /// The layout.
    pub format: Format,
    /// Which version of the layout, e.g. `ALL`, `REFUND/子商户号`, `29 columns`; empty when only one.
    pub variant: String,
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
    pub code: IssueCode,
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
    pub(crate) fn len(&self) -> u64 {
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
    /// Records starting with a backtick are split on `,` + backtick (WeChat's bills).
    pub(crate) backticks: bool,
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
    /// The account a title line names (Alipay's `#账号：[2088…]`): the merchant of rows that name none.
    pub(crate) account: Option<String>,
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
            parts[part_of(self.hash(&row), bits)].push(row);
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

    /// The hash of a row's key: its partition, and its slot in matching's group tables.
    #[inline]
    pub(crate) fn hash(&self, row: &Row) -> u64 {
        hash_key(row.key_field, usize::from(row.key.len), row.key.head, self.key_rest(row))
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
            Text::External { source, .. } => super::source::Source::External(source).into_bytes(&self.name),
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
        let mut scanner = Scanner::over_bytes(bytes, self.delimiter).backtick_fields(self.backticks);
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
            backticks: matches!(detection.format, Format::WechatTrade | Format::WechatFundFlow),
            fixed_widths: None,
            balances: Vec::new(),
            skipped_keys: Vec::new(),
            key_arena: Vec::new(),
            big_amounts: Vec::new(),
            days: Default::default(),
            notes: Vec::new(),
            account: None,
            text,
        };
        if let Some(note) = note {
            table.issues.push(RowIssue::file_note(name, side, IssueCode::EncodingRepaired, note));
        }
        table
    }

    /// The 0-based column whose header normalizes to `name`'s normalization.
    pub fn column_named(&self, name: &str) -> Option<usize> {
        let wanted = normalize_header(name);
        self.header.iter().position(|h| normalize_header(h) == wanted)
    }

    /// Stores a row's key (and second key) and returns its [`Key`].
    pub(crate) fn store_key(&mut self, key: &[u8], second: &[u8]) -> Key {
        let mut stored = Key { head: key_head(key), rest: 0, len: key.len() as u16, second_len: second.len() as u16 };
        if key.len() > KEY_HEAD_BYTES || !second.is_empty() {
            stored.rest = self.key_arena.len() as u32;
            self.key_arena.extend_from_slice(key.get(KEY_HEAD_BYTES..).unwrap_or(&[]));
            self.key_arena.extend_from_slice(second);
        }
        stored
    }
}

impl Table {
    /// The value of `field` in a record (trimmed, unescaped), with the layout's fallback column
    /// when the field's own cell is empty, and WeChat's `0` for "no refund number". Inline: the
    /// reader takes four fields a row, and `field` is a constant at each call.
    #[inline(always)]
    pub(crate) fn field_value<'t>(&self, text: &'t str, fields: &[FieldRange], field: Field) -> Cow<'t, str> {
        let value = self.columns.get(field).and_then(|c| fields.get(c)).map_or(Cow::Borrowed(""), |f| cell(text, f));
        match field {
            Field::RefundNo => self.refund_no(value, text, fields),
            Field::MerchantId => self.merchant(value, text, fields),
            Field::ServiceProvider => self.service_provider(value, text, fields),
            _ => value,
        }
    }

    /// The settling merchant, given the merchant cell: a service-provider bill's `0` or empty
    /// 特约商户号 (a direct merchant) falls back to 商户号, and a file without a merchant column to
    /// the account its title names (Alipay's `#账号：[2088…]`).
    #[inline(never)]
    fn merchant<'t>(&self, value: Cow<'t, str>, text: &'t str, fields: &[FieldRange]) -> Cow<'t, str> {
        let none = |v: &str| v.is_empty() || v == "0";
        if !none(&value) {
            return value;
        }
        let fallback = self.fallback_columns.get(Field::MerchantId).and_then(|c| fields.get(c));
        match fallback.map(|f| cell(text, f)) {
            Some(fallback) if !none(&fallback) => fallback,
            _ => self.account.clone().map_or(Cow::Borrowed(""), Cow::Owned),
        }
    }

    /// The service provider, given its cell: only where it is not the settling merchant itself (a
    /// direct merchant's row in a service-provider bill has none). An Alipay ISV's detail names the
    /// sub-merchant in 商户识别号 and the account it was downloaded from, the ISV's, in `#账号`.
    #[inline(never)]
    fn service_provider<'t>(&self, value: Cow<'t, str>, text: &'t str, fields: &[FieldRange]) -> Cow<'t, str> {
        let value = match (&self.account, self.format) {
            (Some(account), Format::AlipayTrade) if value.is_empty() => Cow::Owned(account.clone()),
            _ => value,
        };
        if value.is_empty() || value == "0" {
            return Cow::Borrowed("");
        }
        let merchant = self.columns.get(Field::MerchantId).and_then(|c| fields.get(c)).map(|f| cell(text, f));
        let merchant = self.merchant(merchant.unwrap_or(Cow::Borrowed("")), text, fields);
        if merchant == value {
            Cow::Borrowed("")
        } else {
            value
        }
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

    /// A row's fee, read back from its record (rows do not keep it), as what the merchant paid
    /// (the layout's sign rule: [`Format::fee_of`]).
    pub fn fee_of(&self, record: &RecordRef) -> Option<Decimal> {
        let column = self.columns.get(Field::Fee)?;
        if self.fixed_widths.is_some() {
            return self.format.fee_of(record.raw(column));
        }
        self.format.fee_of(&record.cell(column))
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

/// Adds a run of rows of one day to the day counts.
pub(crate) fn add_day(days: &mut rustc_hash::FxHashMap<i64, u64>, (day, count): (i64, u64)) {
    *days.entry(day).or_default() += count;
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
        let part = part_of(self.hash(&row), self.part_bits);
        self.parts[part].push(row);
    }
}
