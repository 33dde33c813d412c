//! The state of one pass of the delimited reader over a file: what reading the header (`mod.rs`)
//! and building rows (`row.rs`) share.

use crate::profile::Profile;
use crate::read::csv::FieldRange;
use crate::read::header::HeaderNames;
use crate::read::issue::{IssueCode, RowIssue};
use crate::read::table::Table;
use crate::record::{Side, Status};
use crate::time::DateTimeParser;

/// The state of one pass over a table's text, fed one chunk at a time.
pub(super) struct Reader<'a> {
    pub(super) table: &'a mut Table,
    pub(super) profile: &'a Profile,
    /// The header names of each field: the one machinery every reader maps headers with.
    pub(super) names: HeaderNames,
    /// Status words seen so far: a file has a handful, so the word table is searched once per word.
    pub(super) status_cache: Vec<(String, Option<Status>)>,
    pub(super) times: DateTimeParser,
    pub(super) progress: &'a mut dyn FnMut(u64, u64) -> bool,
    /// Bytes of text in the file.
    pub(super) total: u64,
    pub(super) fields: Vec<FieldRange>,
    /// Still looking for the header: the records passed over, and the closest candidate.
    pub(super) searching: bool,
    pub(super) title_rows: Vec<u32>,
    pub(super) best: (usize, Vec<String>),
    pub(super) in_footer: bool,
    pub(super) saw_detail: bool,
    pub(super) records: u64,
    /// Where the detail starts, for sizing the rows once.
    pub(super) detail_start: u64,
    /// Fields a detail record must have: up to the last mapped column.
    pub(super) needed: usize,
    /// The day of the last row's time and how many rows in a row had it.
    pub(super) day_run: Option<(i64, u64)>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(
        table: &'a mut Table,
        profile: &'a Profile,
        progress: &'a mut dyn FnMut(u64, u64) -> bool,
        total: u64,
    ) -> Self {
        let explicit = match table.side {
            Side::Internal => &profile.columns.internal,
            Side::Channel => &profile.columns.channel,
        };
        let names = HeaderNames::new(table.format, explicit, profile);
        Reader {
            table,
            profile,
            names,
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

    /// A row issue that leaves the row in (column 0-based here, 1-based in the issue).
    pub(super) fn note(&mut self, line: u32, column: usize, code: IssueCode, message: String) {
        self.table.issues.push(RowIssue::new(
            &self.table.name,
            self.table.side,
            line,
            Some(column as u32 + 1),
            code,
            message,
        ));
    }
}
