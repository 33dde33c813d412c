//! The records of the small files read whole (statements, payout instructions, sub-ledgers): each
//! record's line, offset and trimmed cells, and the header search they share.

use super::cell::trim_cell;
use super::csv::{detect_delimiter, unescape, FieldRange, Scanner};
use super::header::ColumnMap;
use super::header::HeaderNames;
use super::issue::{IssueCode, RowIssue};
use crate::error::{Error, ErrorKind, Result};
use crate::record::InputKind;

/// How many records are searched for the header before giving up.
const HEADER_SEARCH_RECORDS: usize = 64;

/// One record: where it is and its cells, trimmed and unescaped.
pub(crate) struct Cells {
    /// 1-based line where it starts.
    pub line: u32,
    /// Byte offset of the record in the text.
    pub offset: u32,
    /// The cells.
    pub cells: Vec<String>,
    /// A quoted field was not closed on its line: reading resumed on the next line.
    pub broken: bool,
}

impl Cells {
    /// Whether every cell is empty (a blank line, or a line of commas).
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(String::is_empty)
    }

    /// The cell of `field`, empty when the file has no such column or the record is shorter.
    pub(crate) fn get(&self, columns: &ColumnMap, field: crate::record::Field) -> &str {
        columns.get(field).and_then(|c| self.cells.get(c)).map_or("", String::as_str)
    }
}

/// Records of a text, one at a time.
pub(crate) struct Records<'t> {
    text: &'t str,
    scanner: Scanner<'t>,
    fields: Vec<FieldRange>,
}

impl<'t> Records<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Records { text, scanner: Scanner::new(text, detect_delimiter(text)), fields: Vec::with_capacity(24) }
    }

    /// The next record. A quote that never closes ends its line, and reading resumes after it.
    pub(crate) fn next_record(&mut self) -> Option<Cells> {
        let record = self.scanner.next_record(&mut self.fields)?;
        let broken = record.unterminated_quote;
        if broken {
            let next = self.scanner.next_line_start(record.start);
            self.scanner.restart_at(next, record.line + 1);
        }
        let cells = self
            .fields
            .iter()
            .map(|f| {
                let raw = self.text.get(f.start as usize..f.end as usize).unwrap_or("");
                if f.needs_unescape {
                    trim_cell(&unescape(raw)).to_string()
                } else {
                    trim_cell(raw).to_string()
                }
            })
            .collect();
        Some(Cells { line: record.line, offset: record.start as u32, cells, broken })
    }
}

/// A header row found: its line, cells and column map, and the title rows above it (as text).
pub(crate) struct Header {
    pub line: u32,
    pub cells: Vec<String>,
    pub columns: ColumnMap,
    pub titles: Vec<String>,
}

/// Finds the header: the first record whose columns satisfy `usable`; every non-blank record
/// before it is a title row (`title_row_skipped`). None in the first records is
/// [`ErrorKind::NoKnownColumns`] naming the closest row and what a header needs (`hint`).
pub(crate) fn find_header(
    records: &mut Records<'_>,
    name: &str,
    input: InputKind,
    names: &HeaderNames,
    usable: fn(&ColumnMap) -> bool,
    hint: &str,
    issues: &mut Vec<RowIssue>,
) -> Result<Header> {
    let mut best: (usize, Vec<String>) = (0, Vec::new());
    let mut title_lines = Vec::new();
    let mut titles = Vec::new();
    while let Some(record) = records.next_record() {
        if record.is_blank() {
            continue;
        }
        let (columns, _) = names.map_cells(&record.cells);
        if usable(&columns) {
            for line in title_lines {
                let message = "a title row before the header; not reconciled".to_string();
                issues.push(RowIssue::new(name, input, line, None, IssueCode::TitleRowSkipped, message));
            }
            return Ok(Header { line: record.line, cells: record.cells, columns, titles });
        }
        titles.push(record.cells.join(","));
        if columns.mapped() > best.0 || best.1.is_empty() {
            best = (columns.mapped(), record.cells);
        }
        title_lines.push(record.line);
        if title_lines.len() >= HEADER_SEARCH_RECORDS {
            break;
        }
    }
    let detail = if best.1.is_empty() { "no row looks like a header".to_string() } else { best.1.join(", ") };
    Err(Error::new(
        ErrorKind::NoKnownColumns { best_header: best.1 },
        format!("no header with {hint} was found; the closest row has {detail}"),
    )
    .in_file(name))
}

/// At most 40 characters of `s`, for messages.
pub(crate) fn short(s: &str) -> String {
    super::cell::truncate(s, 40)
}
