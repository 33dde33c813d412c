//! Records read back from a table's file: a run keeps no text, so the records an exception shows,
//! a fee or a merchant's batch needs are read again from the file's bytes ([`Table::sweep`]), a
//! window at a time from the caller's bytes, and checked to still hold the key read from them.

use super::cell::cell;
use super::csv::{FieldRange, Scanner, MAX_RECORD_BYTES};
use super::source::read_fully;
use super::table::{Table, Text};
use crate::error::{Error, ErrorKind, Result};
use crate::record::{Field, Row};
use rust_decimal::Decimal;
use std::borrow::Cow;

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
    /// The file's bytes, read whole again (to decode a file that turned out not to be UTF-8).
    pub(crate) fn into_source_bytes(self) -> Result<Vec<u8>> {
        match self.text {
            Text::Owned(text) => Ok(text.into_bytes()),
            Text::External { source, .. } => super::source::Source::External(source).into_bytes(&self.name),
        }
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

/// The caller's bytes no longer hold what was read from them.
fn changed(name: &str) -> Error {
    Error::new(ErrorKind::Io, "the file's bytes changed after it was read; add it again").in_file(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::profile::Profile;
    use crate::read::source::{ReadAt, Source};
    use crate::read::{read, Purpose, Read, ReadOptions};
    use crate::record::Side;
    use std::cell::RefCell;
    use std::rc::Rc;

    const CSV: &str = "order_no,amount,status,created_at,note\n\
                       A1,10.00,SUCCESS,2026-03-24 10:00:00,plain\n\
                       A2,5.00,SUCCESS,2026-03-24 11:00:00,\"two\nlines, and a comma\"\n\
                       A3,1.00,SUCCESS,2026-03-24 12:00:00,last\n";

    /// The caller's bytes, which the test may change after they were read, read a few at a time
    /// (a window smaller than a record: every record spans several reads).
    struct Changing(Rc<RefCell<Vec<u8>>>);

    impl ReadAt for Changing {
        fn len(&self) -> u64 {
            self.0.borrow().len() as u64
        }
        fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::result::Result<usize, String> {
            let bytes = self.0.borrow();
            let from = (offset as usize).min(bytes.len());
            let n = buf.len().min(bytes.len() - from);
            buf[..n].copy_from_slice(&bytes[from..from + n]);
            Ok(n)
        }
        fn window(&self) -> usize {
            8
        }
        fn chunk(&self) -> usize {
            16
        }
    }

    fn table_of(source: Source) -> Table {
        let profile = Profile::default();
        let mut options = ReadOptions::new(Purpose::Match(Side::Internal), &profile);
        match read("orders.csv", source, &mut options).expect("reads").pop() {
            Some(Read::Table(table)) => table,
            other => panic!("not a table: {other:?}"),
        }
    }

    fn external(bytes: &Rc<RefCell<Vec<u8>>>) -> Source {
        Source::External(Box::new(Changing(bytes.clone())))
    }

    /// Every row's record read back in one sweep, each checked to still hold its row.
    fn swept(table: &Table) -> Result<Vec<Vec<String>>> {
        let rows = table.rows_in_file_order();
        let offsets: Vec<u32> = rows.iter().map(|r| r.offset).collect();
        let mut records = Vec::new();
        table.sweep(&offsets, &mut |n, record| {
            assert!(table.holds_row(record, rows[n]), "line {}", rows[n].line);
            assert_eq!(table.field_of(record, Field::OrderNo), table.key(rows[n]));
            records.push(record.cells());
            Ok(())
        })?;
        Ok(records)
    }

    #[test]
    fn records_come_back_whole_from_text_in_memory_and_window_by_window_from_the_callers_bytes() {
        let expected = [
            ["A1", "10.00", "SUCCESS", "2026-03-24 10:00:00", "plain"],
            ["A2", "5.00", "SUCCESS", "2026-03-24 11:00:00", "two\nlines, and a comma"],
            ["A3", "1.00", "SUCCESS", "2026-03-24 12:00:00", "last"],
        ]
        .map(|r| r.map(String::from).to_vec());
        let owned = table_of(Source::Owned(CSV.as_bytes().to_vec()));
        assert_eq!(swept(&owned).expect("sweeps"), expected);
        let bytes = Rc::new(RefCell::new(CSV.as_bytes().to_vec()));
        let outside = table_of(external(&bytes));
        assert!(matches!(outside.text, Text::External { .. }), "read in chunks, not copied");
        assert_eq!(swept(&outside).expect("sweeps"), expected);
        assert_eq!(outside.whole_text().expect("reads").as_ref(), CSV);
    }

    #[test]
    fn bytes_changed_after_reading_are_caught_not_shown() {
        let bytes = Rc::new(RefCell::new(CSV.as_bytes().to_vec()));
        let table = table_of(external(&bytes));
        let rows = table.rows_in_file_order();
        let last = rows[rows.len() - 1];
        // The same length with another key: the record no longer holds the row read from it.
        *bytes.borrow_mut() = CSV.replace("A3,", "Z3,").into_bytes();
        let mut held = None;
        table
            .sweep(&[last.offset], &mut |_, record| {
                held = Some(table.holds_row(record, last));
                Ok(())
            })
            .expect("reads");
        assert_eq!(held, Some(false));
        // Cut short: the record is gone, an `io` error that says to add the file again.
        bytes.borrow_mut().truncate(40);
        let error = table.sweep(&[last.offset], &mut |_, _| Ok(())).expect_err("gone");
        assert_eq!(error.code(), ErrorCode::Io);
        assert!(error.to_string().contains("add it again"), "{error}");
    }
}
