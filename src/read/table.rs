//! A delimited text file turned into normalized [`Row`]s: header found by name, title and total rows
//! skipped and reported, every bad row reported with line, column and reason.

use super::csv::{detect_delimiter, unescape, FieldRange, Scanner};
use super::encoding::{Decoded, Encoding};
use super::format::{Detection, Format};
use super::{Check, RowIssue};
use crate::error::{Error, ErrorKind, Result};
use crate::money::parse_amount;
use crate::profile::{KeyChoice, Profile};
use crate::record::{normalize_header, Field, ItemKind, Row, Side, Span, Status};
use crate::time::DateTimeParser;
use rust_decimal::Decimal;

/// How many records are searched for the header before giving up.
const HEADER_SEARCH_RECORDS: usize = 64;
/// How often reading reports progress (a few milliseconds of work).
const PROGRESS_EVERY_RECORDS: u64 = 16_384;
/// Keys longer than this are not keys (a 10 MB cell is junk, not an order number).
const MAX_KEY_BYTES: usize = 256;
/// Cells that mark a total row after the detail.
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

/// One input file, read: its rows, its issues and what was detected.
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
    /// The rows that will be reconciled.
    pub rows: Vec<Row>,
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
    /// The running balance (余额) of each row, aligned with `rows`, when the file has a balance
    /// column; empty otherwise. Kept beside the rows so files without one pay nothing for it.
    pub balances: Vec<Option<Decimal>>,
    /// Rows left out after their key was read (an unreadable amount or status): few, and kept so
    /// that an exception on the other side can say its row exists but was skipped.
    pub skipped_keys: Vec<SkippedKey>,
    /// Field widths of a fixed-width file (no delimiter), used to show a row's cells.
    pub(crate) fixed_widths: Option<&'static [usize]>,
    pub(crate) text: String,
    pub(crate) arena: String,
}

impl Table {
    /// The text of a span.
    pub fn value(&self, span: Span) -> &str {
        let (source, range) = self.locate(span);
        source.get(range).unwrap_or("")
    }

    /// The bytes of a span: [`Table::value`] without the checks that it cuts the text at
    /// characters (spans always do), for hashing and comparing keys.
    #[inline]
    pub fn value_bytes(&self, span: Span) -> &[u8] {
        let (source, range) = self.locate(span);
        source.as_bytes().get(range).unwrap_or(&[])
    }

    /// Where a span's value lies: in the arena for offsets past the text, else in the text.
    #[inline]
    fn locate(&self, span: Span) -> (&str, std::ops::Range<usize>) {
        let start = span.start as usize;
        let end = start + span.len as usize;
        let offset = self.text.len();
        if start >= offset && span.len > 0 {
            (&self.arena, start - offset..end - offset)
        } else {
            (&self.text, start..end)
        }
    }

    /// The raw text of a row's record (one line, or several when a quoted field holds breaks).
    pub fn record_text(&self, row: &Row) -> Option<&str> {
        self.text.get(row.record.start as usize..(row.record.start + row.record.len) as usize)
    }

    /// The raw cells of a row's record, trimmed and unescaped, aligned with [`Table::header`].
    pub fn record_values(&self, row: &Row) -> Vec<String> {
        let record = self.text.get(row.record.start as usize..(row.record.start + row.record.len) as usize);
        let Some(record) = record else { return Vec::new() };
        if let Some(widths) = self.fixed_widths {
            return super::unionpay::split_fixed(record, widths).into_iter().map(|c| c.trim().to_string()).collect();
        }
        let mut scanner = Scanner::new(record, self.delimiter);
        let mut fields = Vec::new();
        if scanner.next_record(&mut fields).is_none() {
            return Vec::new();
        }
        fields
            .iter()
            .map(|f| {
                let raw = record.get(f.start as usize..f.end as usize).unwrap_or("");
                let value = if f.needs_unescape { unescape(raw) } else { raw.to_string() };
                trim_cell(&value).to_string()
            })
            .collect()
    }

    /// Bytes of decoded text held by the table.
    pub fn text_len(&self) -> usize {
        self.text.len()
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
    /// An empty table of decoded text, before any reader ran.
    pub(crate) fn empty(name: &str, side: Side, decoded: Decoded, detection: Detection) -> Table {
        let mut table = Table {
            name: name.to_string(),
            side,
            encoding: decoded.encoding,
            delimiter: detect_delimiter(&decoded.text),
            header_line: 0,
            header: Vec::new(),
            columns: ColumnMap::default(),
            rows: Vec::new(),
            issues: Vec::new(),
            skipped_records: 0,
            format: detection.format,
            variant: detection.variant,
            checks: Vec::new(),
            fallback_columns: ColumnMap::default(),
            fixed_widths: None,
            balances: Vec::new(),
            skipped_keys: Vec::new(),
            text: String::new(),
            arena: String::new(),
        };
        if let Some(note) = decoded.note {
            table.issues.push(RowIssue::file_note(name, side, "encoding_repaired", note));
        }
        table.text = decoded.text;
        table
    }

    /// The 0-based column whose header normalizes to `name`'s normalization.
    pub fn column_named(&self, name: &str) -> Option<usize> {
        let wanted = normalize_header(name);
        self.header.iter().position(|h| normalize_header(h) == wanted)
    }

    /// The decoded text of the whole file.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Runs the header-mapping reader over a table of decoded text, with its layout's aliases,
/// calling `progress(bytes_done, bytes_total)` every few thousand records (`false` cancels).
pub(crate) fn read_delimited(
    mut table: Table,
    profile: &Profile,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Table> {
    if table.text.len() >= u32::MAX as usize / 2 {
        return Err(Error::new(ErrorKind::InvalidArgument, "the file is larger than 2 GB").in_file(&table.name));
    }
    Reader::new(&mut table, profile, progress).read()?;
    Ok(table)
}

/// The state of one pass over a table's text.
struct Reader<'a> {
    table: &'a mut Table,
    profile: &'a Profile,
    aliases: Vec<(Field, Vec<String>)>,
    /// Status words seen so far: a file has a handful, so the word table is searched once per word.
    status_cache: Vec<(String, Option<Status>)>,
    times: DateTimeParser,
    progress: &'a mut dyn FnMut(u64, u64) -> bool,
}

impl<'a> Reader<'a> {
    fn new(table: &'a mut Table, profile: &'a Profile, progress: &'a mut dyn FnMut(u64, u64) -> bool) -> Self {
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
        Reader { table, profile, aliases, status_cache: Vec::new(), times: DateTimeParser::default(), progress }
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

    fn cell_text(text: &str, field: &FieldRange) -> String {
        let raw = text.get(field.start as usize..field.end as usize).unwrap_or("");
        if field.needs_unescape {
            unescape(raw)
        } else {
            raw.to_string()
        }
    }

    fn read(mut self) -> Result<()> {
        let text = std::mem::take(&mut self.table.text);
        let result = self.read_text(&text);
        self.table.text = text;
        result
    }

    fn read_text(&mut self, text: &str) -> Result<()> {
        let name = self.table.name.clone();
        let side = self.table.side;
        let mut scanner = Scanner::new(text, self.table.delimiter);
        let mut fields: Vec<FieldRange> = Vec::with_capacity(32);

        // 1. The header: the first record that maps a key column and an amount column.
        let mut title_rows = Vec::new();
        let mut best: (usize, Vec<String>) = (0, Vec::new());
        loop {
            let Some(record) = scanner.next_record(&mut fields) else {
                let detail = if best.1.is_empty() {
                    "no row looks like a header".to_string()
                } else {
                    format!("the closest row has {}", best.1.join(", "))
                };
                return Err(Error::new(
                    ErrorKind::NoKnownColumns { best_header: best.1.clone() },
                    format!(
                        "no header with a key column ({}) and an amount column was found: {detail}",
                        self.key_hint()
                    ),
                )
                .in_file(name));
            };
            let cells: Vec<String> = fields.iter().map(|f| trim_cell(&Self::cell_text(text, f)).to_string()).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            let normalized: Vec<String> = cells.iter().map(|c| normalize_header(c)).collect();
            let (map, fallbacks) = self.map_header(&normalized);
            if self.has_required_columns(&map) {
                self.table.header_line = record.line;
                self.table.header = cells;
                self.table.columns = map;
                self.table.fallback_columns = fallbacks;
                break;
            }
            if map.mapped() > best.0 || best.1.is_empty() {
                best = (map.mapped(), cells.clone());
            }
            title_rows.push(record.line);
            if title_rows.len() >= HEADER_SEARCH_RECORDS {
                return Err(Error::new(
                    ErrorKind::NoKnownColumns { best_header: best.1.clone() },
                    format!(
                        "no header with a key column ({}) and an amount column in the first {HEADER_SEARCH_RECORDS} rows; \
                         the closest row has {}",
                        self.key_hint(),
                        best.1.join(", ")
                    ),
                )
                .in_file(name));
            }
        }
        for line in title_rows {
            self.table.issues.push(RowIssue::new(
                &name,
                side,
                line,
                None,
                "title_row_skipped",
                "a title row before the header; not reconciled".to_string(),
            ));
        }

        // 2. The detail rows, then the footer.
        let columns = self.table.columns;
        let header_len = self.table.header.len();
        let needed = columns.max_column() + 1;
        let has_balance = columns.get(Field::Balance).is_some();
        let key_fields: &[Field] = match self.profile.key {
            _ if self.table.format.any_key_will_do() => &[Field::OrderNo, Field::TradeNo],
            KeyChoice::OrderNo => &[Field::OrderNo],
            KeyChoice::TradeNo => &[Field::TradeNo],
            KeyChoice::OrderNoThenTradeNo => &[Field::OrderNo, Field::TradeNo],
        };
        let mut in_footer = false;
        let mut saw_detail = false;
        let mut records: u64 = 0;
        let detail_start = scanner.position();
        while let Some(record) = scanner.next_record(&mut fields) {
            records += 1;
            if records % PROGRESS_EVERY_RECORDS == 0 && !(self.progress)(scanner.position() as u64, text.len() as u64) {
                return Err(Error::new(ErrorKind::Cancelled, "reading was cancelled").in_file(name));
            }
            if records == 1024 {
                // Size the row vector once from the records seen so far, instead of doubling it.
                let per_record = (scanner.position().saturating_sub(detail_start) / 1024).max(1);
                let expected = (text.len() - scanner.position()) / per_record + 1024;
                self.table.rows.reserve(expected + expected / 16);
            }
            if fields.len() == 1 && fields[0].start == fields[0].end {
                continue; // blank line
            }
            let line = record.line;
            if record.unterminated_quote || (record.lines > 1 && fields.len() != header_len) {
                // A quote opened and never properly closed: report this line, resume on the next.
                let next = scanner.next_line_start(record.start);
                scanner.restart_at(next, line + 1);
                self.skip(line, None, "unbalanced_quote", "a quoted field is not closed on this line".into());
                continue;
            }
            let first = trim_cell(text.get(fields[0].start as usize..fields[0].end as usize).unwrap_or(""));
            if first.starts_with('#') {
                self.skip(line, None, "comment_row_skipped", "a comment row; not reconciled".into());
                continue;
            }
            if in_footer || self.is_total_row(text, &fields, first) {
                in_footer = true;
                self.skip(line, None, "total_row_skipped", "a total row after the detail; not reconciled".into());
                continue;
            }
            if fields.len() < needed {
                let message = format!("{} fields where the header has {header_len}", fields.len());
                self.skip(line, Some(fields.len() as u32 + 1), "too_few_fields", message);
                continue;
            }
            if fields.len() > header_len {
                let extra = fields[header_len..]
                    .iter()
                    .position(|f| !trim_cell(text.get(f.start as usize..f.end as usize).unwrap_or("")).is_empty());
                if let Some(extra) = extra {
                    let column = header_len + extra + 1;
                    let message = format!(
                        "{} fields where the header has {header_len} (an unquoted comma in a value?)",
                        fields.len()
                    );
                    self.skip(line, Some(column as u32), "too_many_fields", message);
                    continue;
                }
            }
            match self.row(text, &fields, &record, key_fields) {
                Ok((row, balance)) => {
                    saw_detail = true;
                    self.table.rows.push(row);
                    if has_balance {
                        self.table.balances.push(balance);
                    }
                }
                Err((column, code, message)) => {
                    if !matches!(code, "missing_key" | "invalid_key") {
                        self.remember_skipped_key(text, &fields, line, code);
                    }
                    self.skip(line, Some(column as u32 + 1), code, message)
                }
            }
        }
        if !saw_detail && self.table.skipped_records == 0 {
            return Err(Error::new(ErrorKind::NoDataRows, "the file has a header but no data rows")
                .in_file(name)
                .at(u64::from(self.table.header_line), None));
        }
        Ok(())
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
            let span = self.optional_span(text, fields, field);
            let key = self.table_value(text, span).trim();
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

    /// A span for the trimmed cell, unescaping into the arena when needed.
    #[inline]
    fn span(&mut self, text: &str, field: &FieldRange) -> Span {
        // Fast path: a plain cell, nothing to trim (both ends ASCII, so both are char boundaries).
        let (start, end) = (field.start as usize, field.end as usize);
        if !field.needs_unescape && start < end {
            if let (Some(&first), Some(&last)) = (text.as_bytes().get(start), text.as_bytes().get(end - 1)) {
                if is_plain(first) && is_plain(last) {
                    return Span { start: field.start, len: field.end - field.start };
                }
            }
        }
        self.trimmed_span(text, field)
    }

    fn trimmed_span(&mut self, text: &str, field: &FieldRange) -> Span {
        let raw = text.get(field.start as usize..field.end as usize).unwrap_or("");
        if field.needs_unescape {
            let value = unescape(raw);
            let value = trim_cell(&value);
            if value.is_empty() {
                return Span::EMPTY;
            }
            let start = text.len() + self.table.arena.len();
            self.table.arena.push_str(value);
            return Span { start: start as u32, len: value.len() as u32 };
        }
        let trimmed = trim_cell(raw);
        if trimmed.is_empty() {
            return Span::EMPTY;
        }
        let offset = trimmed.as_ptr() as usize - raw.as_ptr() as usize;
        Span { start: field.start + offset as u32, len: trimmed.len() as u32 }
    }

    fn optional_span(&mut self, text: &str, fields: &[FieldRange], field: Field) -> Span {
        match self.table.columns.get(field).and_then(|c| fields.get(c)) {
            Some(f) => self.span(text, f),
            None => Span::EMPTY,
        }
    }

    fn row(
        &mut self,
        text: &str,
        fields: &[FieldRange],
        record: &super::csv::Record,
        key_fields: &[Field],
    ) -> std::result::Result<(Row, Option<Decimal>), (usize, &'static str, String)> {
        let columns = self.table.columns;
        let order_no = self.optional_span(text, fields, Field::OrderNo);
        let trade_no = self.optional_span(text, fields, Field::TradeNo);
        // WeChat writes `0 in the refund-number columns of payment rows: no refund.
        let zero_means_none = self.table.format == Format::WechatTrade;
        let no_refund =
            |reader: &Self, span: Span| span.is_empty() || (zero_means_none && reader.table_value(text, span) == "0");
        let mut refund_no = self.optional_span(text, fields, Field::RefundNo);
        if no_refund(self, refund_no) {
            refund_no = match self.table.fallback_columns.get(Field::RefundNo).and_then(|c| fields.get(c)) {
                Some(f) => self.span(text, f),
                None => Span::EMPTY,
            };
            if no_refund(self, refund_no) {
                refund_no = Span::EMPTY;
            }
        }
        let merchant_id = self.optional_span(text, fields, Field::MerchantId);
        let status_word = self.optional_span(text, fields, Field::Status);

        let key_present = key_fields.iter().any(|&f| match f {
            Field::OrderNo => !order_no.is_empty(),
            _ => !trade_no.is_empty(),
        });
        if !key_present {
            let column = columns.get(key_fields[0]).unwrap_or(0);
            return Err((column, "missing_key", format!("the {} is empty", key_fields[0].name())));
        }
        for (span, field) in [(order_no, Field::OrderNo), (trade_no, Field::TradeNo), (refund_no, Field::RefundNo)] {
            if span.len as usize > MAX_KEY_BYTES {
                let column = columns.get(field).unwrap_or(0);
                let message =
                    format!("the {} is {} bytes long; keys have at most {MAX_KEY_BYTES}", field.name(), span.len);
                return Err((column, "invalid_key", message));
            }
        }

        let status = match columns.get(Field::Status) {
            None => Status::Success,
            Some(column) => match self.status_of(text, status_word) {
                Some(status) => status,
                None => {
                    let word = self.table_value(text, status_word);
                    let message =
                        format!("unknown status {:?}; add it to the profile's status_words", truncate(word, 40));
                    return Err((column, "unknown_status", message));
                }
            },
        };

        let non_empty_cell = |column: Option<usize>| {
            column
                .and_then(|c| fields.get(c).map(|f| (c, f)))
                .filter(|(_, f)| !trim_cell(text.get(f.start as usize..f.end as usize).unwrap_or("")).is_empty())
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
                let amount_cell_text = cell_str(text, amount_field);
                let amount_text = trim_cell(&amount_cell_text);
                let amount = match parse_amount(amount_text) {
                    Ok(amount) => amount,
                    Err(e) => {
                        let message = format!("{:?}: {}", truncate(amount_text, 40), e.reason());
                        return Err((amount_column, "invalid_amount", message));
                    }
                };
                self.apply_direction(text, fields, amount)?
            }
            None if columns.get(Field::Credit).is_some() || columns.get(Field::Debit).is_some() => {
                credit_minus_debit(text, fields, &columns)?
            }
            None => {
                let column = columns.get(Field::Amount).or(columns.get(Field::RefundAmount)).unwrap_or(0);
                return Err((column, "invalid_amount", "the amount is missing".to_string()));
            }
        };

        let line = record.line;
        let fee = match columns.get(Field::Fee).and_then(|c| fields.get(c).map(|f| (c, f))) {
            None => None,
            Some((column, f)) => {
                let fee_cell_text = cell_str(text, f);
                let fee_text = trim_cell(&fee_cell_text);
                if fee_text.is_empty() {
                    None
                } else {
                    match parse_amount(fee_text) {
                        Ok(fee) => Some(fee),
                        Err(e) => {
                            let message = format!(
                                "{:?}: {}; the row is reconciled without a fee",
                                truncate(fee_text, 40),
                                e.reason()
                            );
                            self.note(line, column, "invalid_fee", message);
                            None
                        }
                    }
                }
            }
        };
        let time = match columns.get(Field::Time).and_then(|c| fields.get(c).map(|f| (c, f))) {
            None => None,
            Some((column, f)) => {
                let time_text = cell_str(text, f);
                let trimmed = trim_cell(&time_text);
                if trimmed.is_empty() {
                    None
                } else {
                    let parsed = self.times.parse(trimmed);
                    if parsed.is_none() {
                        let message = format!(
                            "{:?} is not a date and time; the row is reconciled without one",
                            truncate(trimmed, 40)
                        );
                        self.note(line, column, "invalid_time", message);
                    }
                    parsed
                }
            }
        };

        let balance = match columns.get(Field::Balance).and_then(|c| fields.get(c).map(|f| (c, f))) {
            None => None,
            Some((column, f)) => {
                let balance_text = cell_str(text, f);
                let trimmed = trim_cell(&balance_text);
                match parse_amount(trimmed) {
                    _ if is_blank_amount(trimmed) => None,
                    Ok(balance) => Some(balance),
                    Err(e) => {
                        let message = format!(
                            "{:?}: {}; the row is reconciled without a balance",
                            truncate(trimmed, 40),
                            e.reason()
                        );
                        self.note(line, column, "invalid_balance", message);
                        None
                    }
                }
            }
        };
        let kind = if status == Status::Refund && !refund_no.is_empty() { ItemKind::Refund } else { ItemKind::Payment };
        Ok((
            Row {
                line,
                record: Span { start: record.start as u32, len: (record.end - record.start) as u32 },
                order_no,
                trade_no,
                refund_no,
                merchant_id,
                status_word,
                amount,
                fee: fee.unwrap_or_default(),
                has_fee: fee.is_some(),
                time: time.unwrap_or(Row::NO_TIME),
                status,
                kind,
            },
            balance,
        ))
    }

    /// The normalized status of a word, through the cache of words already seen.
    fn status_of(&mut self, text: &str, span: Span) -> Option<Status> {
        let word = self.table_value(text, span);
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
        let word_text = fields.get(column).map(|f| cell_str(text, f)).unwrap_or_default();
        let word = trim_cell(&word_text);
        match direction_sign(word) {
            Some(true) => Ok(amount.abs()),
            Some(false) => Ok(-amount.abs()),
            None => {
                let message = format!("direction {:?} is neither 收入 (in) nor 支出 (out)", truncate(word, 40));
                Err((column, "unknown_direction", message))
            }
        }
    }

    fn table_value<'t>(&'t self, text: &'t str, span: Span) -> &'t str {
        let start = span.start as usize;
        let end = start + span.len as usize;
        if start >= text.len() && span.len > 0 {
            let offset = text.len();
            self.table.arena.get(start - offset..end - offset).unwrap_or("")
        } else {
            text.get(start..end).unwrap_or("")
        }
    }
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
        let value_text = fields.get(column).map(|f| cell_str(text, f)).unwrap_or_default();
        let value = trim_cell(&value_text);
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

/// The cell's text, unescaped when needed; borrowed in the common case.
fn cell_str<'t>(text: &'t str, field: &FieldRange) -> std::borrow::Cow<'t, str> {
    let raw = text.get(field.start as usize..field.end as usize).unwrap_or("");
    if field.needs_unescape {
        std::borrow::Cow::Owned(unescape(raw))
    } else {
        std::borrow::Cow::Borrowed(raw)
    }
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
