//! The reconciliation report (the JSON `duizhang reconcile` prints) as an XLSX workbook: one sheet
//! per table, Chinese headers over the JSON field names, money as numbers, dates as dates, keys as
//! text. The report is walked as a `serde_json::Value`, so fields added to it later still show up
//! (as extra columns at the right of their table) instead of breaking the export.

use crate::cell::{self, checks_text, write_failed, Formats};
use crate::columns::{
    columns_of, Column, TableSpec, BANK_BALANCES, BREAKS, CLEARING, CLEARING_EXCEPTIONS, EXCEPTIONS, FUND_MATCHES,
    FUND_MERCHANTS, FUND_OPEN_ITEMS, ISSUES, LATER_MOVEMENTS, STATEMENTS,
};
use crate::forms::{form_sheet, statement_form, summary_form, Form, Labels};
use crate::SheetError;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Rows a sheet holds (Excel's limit) less the two header rows; a longer table goes on in a sheet
/// named like the first with ` 2`, ` 3`, … after it.
const DATA_ROWS_PER_SHEET: usize = 1_048_576 - 2;

/// See [`crate::report_to_xlsx`].
pub(crate) fn report_to_xlsx(report_json: &[u8], vocabulary_json: &[u8]) -> Result<Vec<u8>, SheetError> {
    let labels = Labels::from_vocabulary(vocabulary_json)?;
    let report: Value = serde_json::from_slice(report_json)
        .map_err(|e| SheetError { code: "bad_report", message: format!("the report is not JSON: {e}") })?;
    let Some(report) = report.as_object() else {
        return Err(bad_report("the report is not a JSON object"));
    };
    if !["summary", "exceptions", "fund_flow", "balance", "clearing"].iter().any(|k| report.contains_key(*k)) {
        return Err(bad_report("the JSON has none of summary, exceptions, fund_flow, balance, clearing"));
    }
    let mut book = Book { workbook: Workbook::new(), formats: Formats::new() };
    // Workbook::new() stamped the clock's time as the creation time; the report's date replaces it,
    // so the same report always gives the same bytes.
    let created = report.get("date").and_then(Value::as_str).and_then(cell::date_cell).map(|(date, _)| date);
    let created = created.unwrap_or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).expect("a valid date"));
    let date = report.get("date").and_then(Value::as_str).unwrap_or("");
    let properties =
        DocProperties::new().set_title(format!("对账报告 {date}").trim_end()).set_creation_datetime(&created);
    book.workbook.set_properties(&properties);

    form_sheet(&mut book.workbook, &book.formats, "汇总", |form| summary_form(form, report, &labels))?;
    if let Some(exceptions) = array(report, "exceptions")? {
        book.table("差错明细", &EXCEPTIONS, exceptions.iter().map(Cow::Borrowed).collect())?;
    }
    if let Some(issues) = array(report, "issues")? {
        book.table("行问题", &ISSUES, issues.iter().map(Cow::Borrowed).collect())?;
    }
    if let Some(flow) = object(report, "fund_flow")? {
        if let Some(matches) = array(flow, "matches")? {
            book.table("资金匹配", &FUND_MATCHES, match_rows(matches))?;
        }
        let open = open_items(array(flow, "exceptions")?, array(flow, "unexplained_movements")?);
        if let Some(open) = open {
            book.table("未达及差错", &FUND_OPEN_ITEMS, open)?;
        }
        if let Some(merchants) = array(flow, "merchants")? {
            book.table("商户汇总", &FUND_MERCHANTS, merchants.iter().map(Cow::Borrowed).collect())?;
        }
    }
    if let Some(clearing) = object(report, "clearing")? {
        if let Some(merchants) = array(clearing, "merchants")? {
            book.table("清分", &CLEARING, clearing_rows(merchants))?;
        }
        if let Some(exceptions) = array(clearing, "exceptions")? {
            book.table("清分差错", &CLEARING_EXCEPTIONS, exceptions.iter().map(Cow::Borrowed).collect())?;
        }
    }
    if let Some(balance) = object(report, "balance")? {
        if let Some(statement) = balance.get("statement").and_then(Value::as_object) {
            let write = |form: Form<'_>| statement_form(form, statement, date);
            form_sheet(&mut book.workbook, &book.formats, "余额调节表", write)?;
        }
        if let Some(statements) = array(balance, "statements")? {
            book.table("余额核对", &STATEMENTS, statement_rows(statements))?;
        }
        if let Some(accounts) = array(balance, "bank_balances")? {
            // Each account's balance at the cut-off, with the instant on every line.
            let cutoff = balance.get("cutoff").and_then(Value::as_str).unwrap_or_default();
            let rows = accounts.iter().map(|a| Cow::Owned(with_field(a, "cutoff", cutoff))).collect();
            book.table("时点余额", &BANK_BALANCES, rows)?;
        }
        if let Some(later) = array(balance, "later_movements")?.filter(|l| !l.is_empty()) {
            book.table("日切后流水", &LATER_MOVEMENTS, later.iter().map(Cow::Borrowed).collect())?;
        }
        let running = array(balance, "running_breaks")?;
        let continuity = array(balance, "continuity_breaks")?;
        if running.is_some() || continuity.is_some() {
            let tagged = |rows: Option<&Vec<Value>>, kind: &str| -> Vec<Cow<'static, Value>> {
                rows.into_iter().flatten().map(|row| Cow::Owned(with_field(row, "break", kind))).collect()
            };
            let mut rows = tagged(running, "逐行余额");
            rows.extend(tagged(continuity, "对账单衔接"));
            book.table("余额断点", &BREAKS, rows)?;
        }
    }
    book.workbook.save_to_buffer().map_err(write_failed)
}

fn bad_report(message: &str) -> SheetError {
    SheetError { code: "bad_report", message: message.to_string() }
}

/// `parent[key]` as an array; absent or `null` is `None`, any other type a `bad_report`.
fn array<'a>(parent: &'a Map<String, Value>, key: &str) -> Result<Option<&'a Vec<Value>>, SheetError> {
    match parent.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(_) => Err(bad_report(&format!("{key} is not an array"))),
    }
}

/// `parent[key]` as an object; absent or `null` is `None`, any other type a `bad_report`.
fn object<'a>(parent: &'a Map<String, Value>, key: &str) -> Result<Option<&'a Map<String, Value>>, SheetError> {
    match parent.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(fields)) => Ok(Some(fields)),
        Some(_) => Err(bad_report(&format!("{key} is not an object"))),
    }
}

/// A copy of `row` (an object) with one more field.
fn with_field(row: &Value, key: &str, value: &str) -> Value {
    let mut fields = row.as_object().cloned().unwrap_or_default();
    fields.insert(key.to_string(), Value::from(value));
    Value::Object(fields)
}

/// The workbook being written and its shared formats.
struct Book {
    workbook: Workbook,
    formats: Formats,
}

impl Book {
    /// One table: a Chinese header row, the field names under it, then one row per `rows` item.
    /// The header rows are frozen and carry the autofilter.
    fn table(&mut self, name: &str, spec: &TableSpec, rows: Vec<Cow<'_, Value>>) -> Result<(), SheetError> {
        self.table_in_sheets_of(DATA_ROWS_PER_SHEET, name, spec, rows)
    }

    /// [`Book::table`], `rows_per_sheet` rows a sheet.
    fn table_in_sheets_of(
        &mut self,
        rows_per_sheet: usize,
        name: &str,
        spec: &TableSpec,
        rows: Vec<Cow<'_, Value>>,
    ) -> Result<(), SheetError> {
        let columns = columns_of(spec, &rows);
        let chunks: Vec<&[Cow<'_, Value>]> =
            if rows.is_empty() { vec![&[]] } else { rows.chunks(rows_per_sheet).collect() };
        for (n, chunk) in chunks.iter().enumerate() {
            let sheet_name = if n == 0 { name.to_string() } else { format!("{name} {}", n + 1) };
            let sheet = self.workbook.add_worksheet();
            sheet.set_name(sheet_name).map_err(write_failed)?;
            write_table(sheet, &columns, chunk, &self.formats).map_err(write_failed)?;
        }
        Ok(())
    }
}

fn write_table(
    sheet: &mut Worksheet,
    columns: &[Column],
    rows: &[Cow<'_, Value>],
    formats: &Formats,
) -> Result<(), XlsxError> {
    let mut widths: Vec<usize> = Vec::with_capacity(columns.len());
    for (c, column) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, &column.header, &formats.header)?;
        sheet.write_string_with_format(1, c, &column.field, &formats.header_en)?;
        widths.push(cell::display_width(&column.header).max(column.field.len()));
    }
    for (r, row) in rows.iter().enumerate() {
        let r = (r + 2) as u32;
        for (c, column) in columns.iter().enumerate() {
            let value = if column.pointer == "/merchant" { merchant(row) } else { row.pointer(&column.pointer) };
            let width = cell::write(sheet, r, c as u16, value, column.kind, formats)?;
            widths[c] = widths[c].max(width);
        }
    }
    for (c, width) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (width + 2).clamp(6, cell::MAX_WIDTH) as f64)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    if !columns.is_empty() {
        sheet.autofilter(1, 0, (rows.len() + 1) as u32, (columns.len() - 1) as u16)?;
    }
    Ok(())
}

/// A row's merchant: its own `merchant` field, else (an exception) the channel row's merchant
/// number, the authoritative side, else the booked row's.
fn merchant(row: &Value) -> Option<&Value> {
    ["/merchant", "/channel/merchant_id", "/internal/merchant_id"]
        .iter()
        .filter_map(|p| row.pointer(p))
        .find(|v| !v.is_null() && v.as_str() != Some(""))
}

// ---------------------------------------------------------------------------------------------
// Rows built from nested sections

/// Fund-flow matches, one row per part (each bank movement, settlement batch and payout of the
/// match), the match's own fields on every row: rows a filter or a pivot table can use, and every
/// amount exactly as the report has it (no sums computed here).
fn match_rows(matches: &[Value]) -> Vec<Cow<'static, Value>> {
    let mut rows = Vec::new();
    for (n, m) in matches.iter().enumerate() {
        let Some(fields) = m.as_object() else { continue };
        let mut own = Map::new();
        own.insert("match".into(), Value::from(n + 1));
        for (key, value) in fields {
            if !value.is_array() && !value.is_object() {
                own.insert(key.clone(), value.clone());
            }
        }
        let mut parts: Vec<(&str, &Value)> = Vec::new();
        let credits = fields.get("credits").and_then(Value::as_array).filter(|c| !c.is_empty());
        match credits {
            Some(credits) => parts.extend(credits.iter().map(|c| ("银行流水", c))),
            None => parts.extend(fields.get("credit").filter(|c| c.is_object()).map(|c| ("银行流水", c))),
        }
        for (key, part) in [("batches", "结算批次"), ("payouts", "代付指令")] {
            parts.extend(fields.get(key).and_then(Value::as_array).into_iter().flatten().map(|p| (part, p)));
        }
        if parts.is_empty() {
            rows.push(Cow::Owned(Value::Object(own)));
            continue;
        }
        for (part, value) in parts {
            let mut row = Map::new();
            for (key, value) in value.as_object().into_iter().flatten() {
                // A batch's settlement date and net amount are the part's date and amount.
                let key = match key.as_str() {
                    "settle_date" => "date",
                    "net" => "amount",
                    other => other,
                };
                row.insert(key.to_string(), value.clone());
            }
            for (key, value) in &own {
                // The match's merchant wins over a part's (a payout debit has none of its own).
                row.insert(key.clone(), value.clone());
            }
            row.insert("part".into(), Value::from(part));
            rows.push(Cow::Owned(Value::Object(row)));
        }
    }
    rows
}

/// The open items: `exceptions[]`, then the `unexplained_movements[]` not already among them (the
/// report lists an unexplained movement in both), by `id`.
fn open_items<'a>(
    exceptions: Option<&'a Vec<Value>>,
    unexplained: Option<&'a Vec<Value>>,
) -> Option<Vec<Cow<'a, Value>>> {
    if exceptions.is_none() && unexplained.is_none() {
        return None;
    }
    let mut rows: Vec<Cow<'a, Value>> = exceptions.into_iter().flatten().map(Cow::Borrowed).collect();
    let ids: std::collections::HashSet<&str> =
        exceptions.into_iter().flatten().filter_map(|e| e.get("id").and_then(Value::as_str)).collect();
    for item in unexplained.into_iter().flatten() {
        if !item.get("id").and_then(Value::as_str).is_some_and(|id| ids.contains(id)) {
            rows.push(Cow::Borrowed(item));
        }
    }
    Some(rows)
}

/// Clearing: per merchant, a row per settlement date (`days[]`), then the merchant's total row.
fn clearing_rows(merchants: &[Value]) -> Vec<Cow<'static, Value>> {
    let mut rows = Vec::new();
    for merchant in merchants {
        let Some(fields) = merchant.as_object() else { continue };
        for day in fields.get("days").and_then(Value::as_array).into_iter().flatten() {
            let mut row = day.as_object().cloned().unwrap_or_default();
            for key in ["merchant", "service_provider"] {
                if let (false, Some(value)) = (row.contains_key(key), fields.get(key)) {
                    row.insert(key.to_string(), value.clone());
                }
            }
            row.insert("row".into(), Value::from("按日"));
            rows.push(Cow::Owned(Value::Object(row)));
        }
        rows.push(Cow::Owned(with_field(merchant, "row", "合计")));
    }
    rows
}

/// Bank statements: per statement, its whole-file row (with its total-row checks), then a row per
/// day.
fn statement_rows(statements: &[Value]) -> Vec<Cow<'static, Value>> {
    let mut rows = Vec::new();
    for statement in statements {
        let Some(fields) = statement.as_object() else { continue };
        let mut row = with_field(statement, "row", "对账单");
        if let (Some(checks), Some(row)) = (fields.get("checks").and_then(Value::as_array), row.as_object_mut()) {
            row.insert("checks".into(), Value::from(checks_text(checks)));
        }
        rows.push(Cow::Owned(row));
        for day in fields.get("days").and_then(Value::as_array).into_iter().flatten() {
            let mut row = with_field(day, "row", "按日");
            if let (Some(file), Some(row)) = (fields.get("file"), row.as_object_mut()) {
                row.entry("file").or_insert_with(|| file.clone());
            }
            rows.push(Cow::Owned(row));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_longer_than_a_sheet_goes_on_in_numbered_sheets() {
        let mut book = Book { workbook: Workbook::new(), formats: Formats::new() };
        let rows: Vec<Cow<'_, Value>> =
            (1..=5).map(|line| Cow::Owned(serde_json::json!({ "file": "a.csv", "line": line }))).collect();
        book.table_in_sheets_of(2, "行问题", &ISSUES, rows).expect("writes");
        let names: Vec<String> = book.workbook.worksheets().iter().map(|sheet| sheet.name()).collect();
        assert_eq!(names, ["行问题", "行问题 2", "行问题 3"]);
        let xlsx = book.workbook.save_to_buffer().expect("saves");
        assert!(crate::is_spreadsheet(&xlsx));
    }
}
