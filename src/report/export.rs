//! Pages of results and CSV exports: the small pieces every part of the report shares.

use serde::Serialize;

/// One page of a longer list: `{total, offset, rows}`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Page<T> {
    /// How many there are in all.
    pub total: usize,
    /// Where this page starts.
    pub offset: usize,
    /// The page.
    pub rows: Vec<T>,
}

impl<T: Clone> Page<T> {
    /// The page of `items` from `offset`, at most `limit` long.
    pub fn of(items: &[T], offset: usize, limit: usize) -> Page<T> {
        let (start, end) = page_range(items.len(), offset, limit);
        Page { total: items.len(), offset: start, rows: items[start..end].to_vec() }
    }

    /// The page of the `items` that are `wanted` (a filter's), from `offset`, at most `limit` long.
    pub fn of_wanted(items: &[T], offset: usize, limit: usize, wanted: impl Fn(&T) -> bool) -> Page<T> {
        let total = items.iter().filter(|x| wanted(x)).count();
        let (start, end) = page_range(total, offset, limit);
        let rows = items.iter().filter(|x| wanted(x)).skip(start).take(end - start).cloned().collect();
        Page { total, offset: start, rows }
    }
}

/// The indexes a page from `offset`, at most `limit` long, takes of a list of `len`.
pub(crate) fn page_range(len: usize, offset: usize, limit: usize) -> (usize, usize) {
    let start = offset.min(len);
    (start, start.saturating_add(limit).min(len))
}

/// A CSV export for Excel: UTF-8 with a BOM (Excel reads BOM-less UTF-8 as the ANSI code page),
/// CRLF line ends, quoted only where needed, and every cell a spreadsheet would run as a formula
/// defused. The `csv` crate writes the records, so quoting follows RFC 4180 exactly as its reader
/// (and the page's reader) expects.
pub(crate) struct CsvExport<const N: usize> {
    writer: csv::Writer<Vec<u8>>,
}

impl<const N: usize> CsvExport<N> {
    /// An export whose first row is `header`; `capacity` is a hint in bytes.
    pub(crate) fn new(header: [&str; N], capacity: usize) -> CsvExport<N> {
        let mut bytes = Vec::with_capacity(capacity + 3);
        bytes.extend_from_slice("\u{feff}".as_bytes());
        let writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(bytes);
        let mut export = CsvExport { writer };
        export.row(header);
        export
    }

    /// Writes one row; the array type keeps every row as wide as the header.
    pub(crate) fn row<S: AsRef<str>>(&mut self, cells: [S; N]) {
        // Writing into a Vec cannot fail and every record has N fields, so the only errors
        // `write_field` and `write_record` know (I/O, unequal lengths) cannot occur here.
        for cell in &cells {
            let _ = self.writer.write_field(defused(cell.as_ref()).as_bytes());
        }
        let _ = self.writer.write_record(None::<&[u8]>);
    }

    /// The bytes of the export.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        match self.writer.into_inner() {
            Ok(bytes) => bytes,
            // Flushing into a Vec cannot fail; keep what was written rather than lose it.
            Err(error) => error.into_inner().get_ref().clone(),
        }
    }
}

/// The cell as written: a leading `=`, `+`, `-`, `@`, TAB or CR would make a spreadsheet run the
/// cell as a formula (CSV injection), so such a cell gets Excel's text prefix `'` — unless it is a
/// plain amount such as `-12.00`, which must stay a number.
fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    let is_number = crate::money::parse_amount(cell).is_ok() && !cell.starts_with(['=', '@']);
    if !is_number && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        let table = [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("-12.00", "-12.00"),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("+86 138", "'+86 138"),
            ("-", "'-"),
        ];
        for (cell, expected) in table {
            let mut export = CsvExport::new(["h"], 0);
            export.row([cell]);
            let bytes = export.into_bytes();
            assert_eq!(String::from_utf8(bytes).unwrap(), format!("\u{feff}h\r\n{expected}\r\n"), "{cell:?}");
        }
    }

    #[test]
    fn the_csv_reader_reads_back_what_the_export_wrote() {
        let cells = ["a,b", "say \"hi\"", "two\r\nlines", "", " x ", "商户"];
        let mut export = CsvExport::new(["1", "2", "3", "4", "5", "6"], 0);
        export.row(cells);
        let bytes = export.into_bytes();
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let record = reader.records().next().expect("one record").expect("valid CSV");
        assert_eq!(record.iter().collect::<Vec<_>>(), cells);
    }
}
