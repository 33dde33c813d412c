//! A bank statement with serial numbers read as a table of rows, for matching transaction by
//! transaction: the one place a statement layout becomes a [`Table`].

use super::issue::{IssueCode, RowIssue};
use super::statement::Statement;
use super::table::{add_day, part_bits_for, Detection, RowParts, Table, Text};
use crate::format::Format;
use crate::money::Units;
use crate::profile::KeyChoice;
use crate::record::{Field, ItemKind, Row, Side, Status};

/// A bank statement with serial numbers as a table of rows keyed by serial (流水号), for
/// matching transaction by transaction. `text` is the statement's decoded text: the rows'
/// records are read back from it. A row without a serial is left out (`missing_key`).
pub(crate) fn statement_table(statement: Statement, side: Side, text: String) -> Table {
    let detection = Detection { format: Format::BankStatement, variant: statement.variant.clone() };
    let mut table =
        Table::empty(&statement.name, side, Text::Owned(String::new()), &text, statement.encoding, None, detection);
    let serial_column = statement.columns.get(Field::TradeNo).map(|c| c as u32 + 1);
    table.header_line = statement.header_line;
    table.header = statement.header;
    table.columns = statement.columns;
    table.checks = statement.checks;
    table.issues = statement.issues;
    table.skipped_records = statement.skipped;
    let rows = statement.entries.len();
    table.set_partitions(part_bits_for(2 * rows), rows);
    let mut day_run: Option<(i64, u64)> = None;
    for entry in &statement.entries {
        if entry.serial.len() > 256 || entry.serial.is_empty() {
            let message = "the serial number (流水号) is empty or not a key; the row is not matched".to_string();
            table.issues.push(RowIssue::new(
                &statement.name,
                side,
                entry.line,
                serial_column,
                IssueCode::MissingKey,
                message,
            ));
            table.skipped_records += 1;
            continue;
        }
        let seconds = crate::time::midnight(entry.date)
            + entry.time.map_or(0, |t| i64::from(chrono::Timelike::num_seconds_from_midnight(&t)));
        let time = u32::try_from(seconds).ok().filter(|&s| s != Row::NO_TIME).unwrap_or(Row::NO_TIME);
        if time != Row::NO_TIME {
            let day = i64::from(time).div_euclid(crate::time::DAY);
            match &mut day_run {
                Some((current, count)) if *current == day => *count += 1,
                run => {
                    if let Some(done) = run.replace((day, 1)) {
                        add_day(&mut table.days, done);
                    }
                }
            }
        }
        let parts =
            RowParts { line: entry.line, offset: entry.offset, order_no: "", trade_no: &entry.serial, refund_no: "" };
        let amount = Units::Big(entry.amount);
        table.balances.push((entry.line, entry.amount, entry.balance));
        table.push_row(KeyChoice::TradeNo, parts, amount, time, Status::Success, ItemKind::Payment);
    }
    if let Some(run) = day_run {
        add_day(&mut table.days, run);
    }
    table.number_rows();
    table.issues.sort_by_key(|i| (i.line.is_none(), i.line));
    table.text = Text::Owned(text);
    table
}
