//! The header-mapping reader of delimited text: finds the header by name (through the alias
//! tables), skips and reports title, comment and total rows, and turns every detail record into a
//! [`Row`] of its [`Table`] or a [`RowIssue`] saying why not. It reads the text in chunks that end
//! at a line break, from memory or from the caller's bytes, and keeps none of it.

mod reader;
mod row;

use reader::Reader;

use super::cell::{cell, trim_cell};
use super::csv::{FieldRange, Record, Scanner, MAX_RECORD_BYTES};
use super::header::ColumnMap;
use super::issue::{IssueCode, RowIssue};
use super::source::{read_fully, ReadAt};
use super::table::{add_day, part_bits_for, SkippedKey, Table, Text};
use super::words::{names_total, SUMMARY_FIRST_CELLS};
use crate::error::{Error, ErrorKind, Result};
use crate::profile::{KeyChoice, Profile};
use crate::record::{normalize_header, Field};

/// How many records are searched for the header before giving up.
const HEADER_SEARCH_RECORDS: usize = 64;
/// How often reading reports progress (a few milliseconds of work).
const PROGRESS_EVERY_RECORDS: u64 = 16_384;
/// At most this many non-detail lines (titles, comments, totals) are kept for the footer checks.
const MAX_NOTE_LINES: usize = 1024;

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

impl<'a> Reader<'a> {
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
        let mut scanner =
            Scanner::starting_at_line(text, self.table.delimiter, first_line).backtick_fields(self.table.backticks);
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
    fn header_record(&mut self, text: &str, base: u32, fields: &[FieldRange], record: &Record) -> Result<()> {
        let cells: Vec<String> = fields.iter().map(|f| cell(text, f).into_owned()).collect();
        if cells.iter().all(String::is_empty) {
            return Ok(());
        }
        let normalized: Vec<String> = cells.iter().map(|c| normalize_header(c)).collect();
        let (map, fallbacks) = self.names.map(&normalized);
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
                let issue =
                    RowIssue::new(&self.table.name, self.table.side, line, None, IssueCode::TitleRowSkipped, message);
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
        record: &Record,
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
            self.skip(line, None, IssueCode::UnbalancedQuote, "a quoted field is not closed on this line".into());
            return Ok(());
        }
        let first_cell = fields.first().map(|f| cell(text, f)).unwrap_or_default();
        let first = first_cell.as_ref();
        if first.starts_with('#') {
            self.keep_note(line, &text[record.start..record.end]);
            self.skip(line, None, IssueCode::CommentRowSkipped, "a comment row; not reconciled".into());
            return Ok(());
        }
        if self.in_footer || self.is_total_row(text, fields, first) {
            self.in_footer = true;
            self.keep_note(line, &text[record.start..record.end]);
            self.skip(line, None, IssueCode::TotalRowSkipped, "a total row after the detail; not reconciled".into());
            return Ok(());
        }
        // A backtick row carries every value, empty ones too: any other count means a value held
        // the boundary itself (`,` + backtick) and the row is shifted.
        let backtick_row = self.table.backticks && text.as_bytes().get(record.start) == Some(&b'`');
        if backtick_row && fields.len() != header_len {
            let (code, column) = if fields.len() > header_len {
                (IssueCode::TooManyFields, header_len as u32 + 1)
            } else {
                (IssueCode::TooFewFields, fields.len() as u32 + 1)
            };
            let message = format!(
                "{} values where the header has {header_len} (a value holding `,` and a backtick?)",
                fields.len()
            );
            self.skip(line, Some(column), code, message);
            return Ok(());
        }
        let needed = self.needed;
        if fields.len() < needed {
            let message = format!("{} fields where the header has {header_len}", fields.len());
            self.skip(line, Some(fields.len() as u32 + 1), IssueCode::TooFewFields, message);
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
                self.skip(line, Some(column as u32), IssueCode::TooManyFields, message);
                return Ok(());
            }
        }
        let offset = base + record.start as u32;
        match self.row(text, fields, line, offset) {
            Ok(()) => self.saw_detail = true,
            Err((column, code, message)) => {
                if !matches!(code, IssueCode::MissingKey | IssueCode::InvalidKey) {
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
        self.table.account = account_of(&self.table.notes);
        if !self.saw_detail && self.table.skipped_records == 0 {
            return Err(Error::new(ErrorKind::NoDataRows, "the file has a header but no data rows")
                .in_file(&self.table.name)
                .at(u64::from(self.table.header_line), None));
        }
        Ok(())
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

    fn remember_skipped_key(&mut self, text: &str, fields: &[FieldRange], line: u32, code: IssueCode) {
        for field in [Field::OrderNo, Field::TradeNo, Field::RefundNo] {
            let key = self.table.field_value(text, fields, field);
            let key = key.trim();
            if !key.is_empty() {
                let key = key.to_string();
                self.table.skipped_keys.push(SkippedKey { field, key, line, code });
            }
        }
    }

    fn skip(&mut self, line: u32, column: Option<u32>, code: IssueCode, message: String) {
        self.table.skipped_records += 1;
        self.table.issues.push(RowIssue::new(&self.table.name, self.table.side, line, column, code, message));
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
}

/// The account a title line names: Alipay's `#账号：[20886012345678900156]` (the PID, which is the
/// merchant of a detail without 商户识别号).
fn account_of(notes: &[(u32, String)]) -> Option<String> {
    notes.iter().find_map(|(_, note)| {
        let rest = note.trim_start_matches('#').trim_start();
        let rest = rest.strip_prefix("账号")?.trim_start_matches([':', '：', ' ']);
        let inner = rest.strip_prefix('[')?;
        let account = &inner[..inner.find(']')?];
        (!account.is_empty() && account.chars().all(|c| c.is_ascii_alphanumeric())).then(|| account.to_string())
    })
}
