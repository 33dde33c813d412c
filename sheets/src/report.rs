//! The reconciliation report (the JSON `duizhang reconcile` prints) as an XLSX workbook: one sheet
//! per table, Chinese headers over the JSON field names, money as numbers, dates as dates, keys as
//! text. The report is walked as a `serde_json::Value`, so fields added to it later still show up
//! (as extra columns at the right of their table) instead of breaking the export.

use crate::cell::{self, Formats, Kind};
use crate::SheetError;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Rows a sheet holds (Excel's limit) less the two header rows; a longer table goes on in a sheet
/// named like the first with ` 2`, ` 3`, … after it.
const DATA_ROWS_PER_SHEET: usize = 1_048_576 - 2;
/// Columns never grow wider than this (in characters) however long their text.
const MAX_WIDTH: usize = 60;

/// See [`crate::report_to_xlsx`].
pub(crate) fn report_to_xlsx(report_json: &[u8]) -> Result<Vec<u8>, SheetError> {
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

    summary_sheet(&mut book, report)?;
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
            statement_sheet(&mut book, statement, date)?;
        }
        if let Some(statements) = array(balance, "statements")? {
            book.table("余额核对", &STATEMENTS, statement_rows(statements))?;
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

fn write_failed(error: XlsxError) -> SheetError {
    SheetError { code: "write_failed", message: error.to_string() }
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

// ---------------------------------------------------------------------------------------------
// Tables

/// A table: the columns always written first (JSON pointers into a row, e.g. `/channel/fee`),
/// columns written only when some row has them, and what the extra-column scan leaves alone.
struct TableSpec {
    columns: &'static [&'static str],
    /// Written only when a row has a value there (an exception's `id`, soon).
    optional: &'static [&'static str],
    /// Not turned into extra columns (the original cells of an exception's rows).
    skip: &'static [&'static str],
}

const EXCEPTIONS: TableSpec = TableSpec {
    optional: &["/id"],
    columns: &[
        "/class",
        "/class_zh",
        "/key",
        "/key_field",
        "/d",
        "/label",
        "/merchant",
        "/cross_day",
        "/internal/file",
        "/internal/line",
        "/internal/amount",
        "/internal/status",
        "/internal/status_word",
        "/internal/time",
        "/channel/file",
        "/channel/line",
        "/channel/amount",
        "/channel/status",
        "/channel/status_word",
        "/channel/time",
        "/channel/trade_no",
        "/channel/fee",
        "/message",
    ],
    skip: &["/internal/columns", "/channel/columns"],
};

const ISSUES: TableSpec =
    TableSpec { optional: &[], columns: &["/file", "/side", "/line", "/column", "/code", "/message"], skip: &[] };

const FUND_MATCHES: TableSpec = TableSpec {
    optional: &[],
    columns: &[
        "/match",
        "/kind",
        "/outcome",
        "/merchant",
        "/d",
        "/label",
        "/part",
        "/id",
        "/date",
        "/amount",
        "/gross",
        "/refunds",
        "/fees",
        "/trade_from",
        "/trade_to",
        "/file",
        "/line",
        "/counterparty",
        "/memo",
        "/reference",
        "/account",
        "/carried_since",
        "/explanation",
    ],
    skip: &[],
};

const FUND_OPEN_ITEMS: TableSpec = TableSpec {
    optional: &[],
    columns: &[
        "/id",
        "/kind",
        "/outcome",
        "/outcome_zh",
        "/merchant",
        "/date",
        "/amount",
        "/d",
        "/label",
        "/age_days",
        "/carried_since",
        "/file",
        "/line",
        "/memo",
        "/message",
    ],
    skip: &[],
};

const FUND_MERCHANTS: TableSpec = TableSpec {
    optional: &[],
    columns: &[
        "/merchant",
        "/batches",
        "/settled",
        "/credited",
        "/matched",
        "/in_transit",
        "/internal_only",
        "/external_only",
    ],
    skip: &[],
};

const CLEARING: TableSpec = TableSpec {
    optional: &[],
    columns: &[
        "/row",
        "/merchant",
        "/service_provider",
        "/settle_date",
        "/gross",
        "/refunds",
        "/fee_charged",
        "/fee_expected",
        "/commission",
        "/net_payable",
        "/credited",
        "/paid_out",
        "/outstanding",
    ],
    skip: &["/days"],
};

const CLEARING_EXCEPTIONS: TableSpec = TableSpec {
    optional: &["/id"],
    columns: &[
        "/class",
        "/class_zh",
        "/merchant",
        "/key",
        "/date",
        "/fee_charged",
        "/fee_expected",
        "/d",
        "/label",
        "/settle_date",
        "/amount",
        "/rate",
        "/bill_rate",
    ],
    skip: &[],
};

const STATEMENTS: TableSpec = TableSpec {
    optional: &[],
    columns: &[
        "/row",
        "/file",
        "/account",
        "/date",
        "/first_date",
        "/last_date",
        "/opening",
        "/credits",
        "/debits",
        "/closing",
        "/consistent",
        "/checks",
    ],
    skip: &["/days"],
};

const BREAKS: TableSpec = TableSpec {
    optional: &[],
    columns: &["/break", "/file", "/line", "/previous_file", "/expected", "/found", "/missing"],
    skip: &[],
};

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

/// A column: where its value is in a row, and its two header texts.
struct Column {
    pointer: String,
    kind: Kind,
    header: String,
    field: String,
}

/// The spec's columns (optional ones when some row has them), then every other scalar field found
/// in the rows, flattened (`internal.fee`), in the order first seen.
fn columns_of(spec: &TableSpec, rows: &[Cow<'_, Value>]) -> Vec<Column> {
    let mut pointers: Vec<String> = spec
        .optional
        .iter()
        .filter(|p| rows.iter().any(|row| row.pointer(p).is_some_and(|v| !v.is_null())))
        .chain(spec.columns)
        .map(|p| p.to_string())
        .collect();
    let mut seen: std::collections::HashSet<String> = pointers.iter().cloned().collect();
    let skip: std::collections::HashSet<String> = spec.skip.iter().map(|p| p.to_string()).collect();
    for row in rows {
        scalar_pointers(row, "", &skip, &mut |pointer| {
            if !seen.contains(pointer) {
                seen.insert(pointer.to_string());
                pointers.push(pointer.to_string());
            }
        });
    }
    pointers.into_iter().map(|pointer| column(&pointer)).collect()
}

/// Calls `found` with the pointer of every scalar inside `value` (objects flattened, arrays left
/// out), skipping the subtrees named in `skip`.
fn scalar_pointers(value: &Value, prefix: &str, skip: &std::collections::HashSet<String>, found: &mut dyn FnMut(&str)) {
    let Some(fields) = value.as_object() else { return };
    let mut pointer = String::with_capacity(prefix.len() + 24);
    for (key, value) in fields {
        pointer.clear();
        pointer.push_str(prefix);
        pointer.push('/');
        if key.contains(['~', '/']) {
            pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        } else {
            pointer.push_str(key);
        }
        match value {
            Value::Object(_) if !skip.contains(&pointer) => scalar_pointers(value, &pointer, skip, found),
            // A null says nothing about the field; a row where it has a value will name it.
            Value::Object(_) | Value::Array(_) | Value::Null => {}
            _ => found(&pointer),
        }
    }
}

fn column(pointer: &str) -> Column {
    let parts: Vec<String> = pointer.split('/').skip(1).map(|p| p.replace("~1", "/").replace("~0", "~")).collect();
    let leaf = parts.last().map(String::as_str).unwrap_or("");
    let side = |part: &str| match part {
        "internal" => Some("平台"),
        "channel" => Some("渠道"),
        _ => None,
    };
    let mut header = String::new();
    for part in &parts[..parts.len().saturating_sub(1)] {
        header.push_str(side(part).unwrap_or(part));
    }
    let name = chinese(leaf).unwrap_or(leaf);
    // 渠道 + 渠道交易号 is just 渠道交易号.
    header.push_str(if header.is_empty() || !name.starts_with(header.as_str()) { name } else { &name[header.len()..] });
    Column { pointer: pointer.to_string(), kind: kind_of(leaf), header, field: parts.join(".") }
}

/// Fields that are always text: identifiers and free text. A merchant or order number that happens
/// to be all digits, or a key shaped like a date, is still an identifier.
const TEXT_FIELDS: &[&str] = &[
    "id",
    "key",
    "key_field",
    "order_no",
    "trade_no",
    "refund_no",
    "merchant",
    "merchant_id",
    "service_provider",
    "account",
    "reference",
    "counterparty",
    "memo",
    "message",
    "explanation",
    "file",
    "previous_file",
    "name",
    "book_source",
];

/// Fields that hold money (decimal strings).
const MONEY_FIELDS: &[&str] = &[
    "amount",
    "d",
    "fee",
    "fees",
    "gross",
    "refunds",
    "net",
    "settled",
    "credited",
    "matched",
    "in_transit",
    "internal_only",
    "external_only",
    "fee_charged",
    "fee_expected",
    "commission",
    "net_payable",
    "paid_out",
    "outstanding",
    "opening",
    "closing",
    "credits",
    "debits",
    "expected",
    "found",
    "missing",
    "difference",
    "book_balance",
    "bank_balance",
    "refund_amount",
];

fn kind_of(field: &str) -> Kind {
    if TEXT_FIELDS.contains(&field) {
        Kind::Text
    } else if MONEY_FIELDS.contains(&field) {
        Kind::Money
    } else {
        Kind::Auto
    }
}

/// The Chinese header of a field (DOMAIN.md's words).
fn chinese(field: &str) -> Option<&'static str> {
    Some(match field {
        "id" => "编号",
        "class" => "差错类型",
        "class_zh" => "差错名称",
        "key" => "关键字",
        "key_field" => "关键字段",
        "d" => "差额d",
        "label" => "长短款",
        "merchant" | "merchant_id" => "商户号",
        "service_provider" => "服务商",
        "cross_day" => "跨日",
        "file" => "文件",
        "line" => "行号",
        "column" => "列号",
        "order_no" => "商户订单号",
        "trade_no" => "渠道交易号",
        "refund_no" => "退款单号",
        "amount" => "金额",
        "refund_amount" => "退款金额",
        "fee" => "手续费",
        "status" => "状态",
        "status_word" => "状态原文",
        "time" => "时间",
        "message" => "说明",
        "side" => "来源",
        "code" => "问题代码",
        "match" => "匹配序号",
        "kind" => "类型",
        "outcome" => "结果",
        "outcome_zh" => "结果名称",
        "part" => "组成",
        "date" => "日期",
        "gross" => "交易总额",
        "refunds" => "退款",
        "fees" => "手续费",
        "net" => "净额",
        "settle_date" => "结算日",
        "bill_rate" => "账单费率",
        "trade_from" => "交易起日",
        "trade_to" => "交易止日",
        "counterparty" => "对方户名",
        "memo" => "摘要",
        "reference" => "代付单号",
        "account" => "账号",
        "carried_since" => "首次出现日",
        "age_days" => "账龄(天)",
        "explanation" => "匹配说明",
        "batches" => "批次数",
        "settled" => "应结金额",
        "credited" => "已入账",
        "matched" => "已匹配",
        "in_transit" => "在途",
        "internal_only" => "平台单边",
        "external_only" => "银行单边",
        "fee_charged" => "实收手续费",
        "fee_expected" => "应收手续费",
        "commission" => "分润",
        "net_payable" => "应付净额",
        "paid_out" => "已代付",
        "outstanding" => "未付",
        "row" => "行类型",
        "first_date" => "起始日",
        "last_date" => "截止日",
        "opening" => "期初余额",
        "credits" => "贷方合计",
        "debits" => "借方合计",
        "closing" => "期末余额",
        "consistent" => "余额连贯",
        "checks" => "合计核对",
        "break" => "断点类型",
        "previous_file" => "上一对账单",
        "expected" => "应为",
        "found" => "实为",
        "missing" => "差额",
        "rate" => "费率",
        _ => return None,
    })
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
        sheet.set_column_width(c as u16, (width + 2).clamp(6, MAX_WIDTH) as f64)?;
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

/// A statement's total-row checks in one cell: `合计 借方 5,012.50 = 5012.50 ✓; …`.
fn checks_text(checks: &[Value]) -> String {
    let text = |check: &Value, key: &str| match check.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let passed = |check: &Value| check.get("passed").and_then(Value::as_bool).unwrap_or(false);
    checks
        .iter()
        .map(|check| {
            let (mark, relation) = if passed(check) { ("✓", "=") } else { ("✗", "≠") };
            format!("{} {} {relation} {} {mark}", text(check, "name"), text(check, "expected"), text(check, "found"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------------------------------------
// The two forms: 汇总 and 余额调节表

/// A sheet laid out as a form (labels and values, small tables under each other), not one table.
struct Form<'s> {
    sheet: &'s mut Worksheet,
    formats: &'s Formats,
    row: u32,
    widths: Vec<usize>,
}

impl<'s> Form<'s> {
    fn new(sheet: &'s mut Worksheet, formats: &'s Formats) -> Self {
        Form { sheet, formats, row: 0, widths: Vec::new() }
    }

    fn width(&mut self, col: u16, width: usize) {
        let col = usize::from(col);
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0);
        }
        self.widths[col] = self.widths[col].max(width);
    }

    fn title(&mut self, text: &str) -> Result<(), XlsxError> {
        self.sheet.write_string_with_format(self.row, 0, text, &self.formats.title)?;
        self.row += 2;
        Ok(())
    }

    /// A header row of a small table.
    fn header(&mut self, cells: &[&str]) -> Result<(), XlsxError> {
        for (c, text) in cells.iter().enumerate() {
            self.sheet.write_string_with_format(self.row, c as u16, *text, &self.formats.header)?;
            self.width(c as u16, cell::display_width(text));
        }
        self.row += 1;
        Ok(())
    }

    /// One row of cells, each with its kind.
    fn cells(&mut self, cells: &[(Option<&Value>, Kind)]) -> Result<(), XlsxError> {
        for (c, (value, kind)) in cells.iter().enumerate() {
            let width = cell::write(self.sheet, self.row, c as u16, *value, *kind, self.formats)?;
            self.width(c as u16, width);
        }
        self.row += 1;
        Ok(())
    }

    /// `label | field | value` when the value is there.
    fn field(&mut self, label: &str, field: &str, value: Option<&Value>, kind: Kind) -> Result<(), XlsxError> {
        if value.is_none() {
            return Ok(());
        }
        let (label, field) = (Value::from(label), Value::from(field));
        self.cells(&[(Some(&label), Kind::Text), (Some(&field), Kind::Text), (value, kind)])
    }

    fn gap(&mut self) {
        self.row += 1;
    }

    fn finish(self) -> Result<(), XlsxError> {
        for (c, width) in self.widths.iter().enumerate() {
            self.sheet.set_column_width(c as u16, (width + 2).clamp(8, MAX_WIDTH) as f64)?;
        }
        Ok(())
    }
}

/// The outcome codes of a transaction reconciliation, in report order, with DOMAIN.md's names.
const OUTCOMES: &[(&str, &str)] = &[
    ("matched", "对平"),
    ("matched_within_tolerance", "容差内对平"),
    ("amount_mismatch", "金额不符"),
    ("status_mismatch", "状态不符"),
    ("internal_only", "单边账(平台有、渠道无)"),
    ("external_only", "单边账(渠道有、平台无)"),
    ("duplicate", "重复"),
    ("pending", "未达账项"),
    ("fee_mismatch", "手续费不符"),
];

/// The fund-flow outcome codes, in report order.
const FUND_OUTCOMES: &[(&str, &str)] = &[
    ("matched", "对平"),
    ("matched_within_tolerance", "容差内对平"),
    ("in_transit", "未达账项"),
    ("internal_only", "单边账(平台有、银行无)"),
    ("external_only", "单边账(银行有、平台无)"),
    ("unexplained_movement", "无法识别款项"),
    ("balance_break", "余额不符"),
];

/// The keys of `map` in the order of `known`, then the others (serde_json sorts them).
fn ordered<'m>(map: &'m Map<String, Value>, known: &[(&'static str, &'static str)]) -> Vec<(&'m str, &'static str)> {
    let mut keys: Vec<(&str, &str)> =
        known.iter().filter_map(|(code, zh)| map.get_key_value(*code).map(|(k, _)| (k.as_str(), *zh))).collect();
    keys.extend(map.keys().filter(|k| !known.iter().any(|(code, _)| code == k)).map(|k| (k.as_str(), "")));
    keys
}

fn summary_sheet(book: &mut Book, report: &Map<String, Value>) -> Result<(), SheetError> {
    let sheet = book.workbook.add_worksheet();
    sheet.set_name("汇总").map_err(write_failed)?;
    summary_form(Form::new(sheet, &book.formats), report).map_err(write_failed)
}

fn summary_form(mut form: Form<'_>, report: &Map<String, Value>) -> Result<(), XlsxError> {
    form.title("对账汇总 Reconciliation summary")?;
    form.header(&["项目", "field", "值 value"])?;
    form.field("对账日期", "date", report.get("date"), Kind::Auto)?;
    form.field("日期来源", "date_source", report.get("date_source"), Kind::Text)?;
    form.field("日切时间", "cutoff", report.get("cutoff"), Kind::Auto)?;
    form.field("版本", "duizhang", report.get("duizhang"), Kind::Text)?;
    if let Some(settings) = report.get("settings").and_then(Value::as_object) {
        for (key, value) in settings {
            form.field(&format!("设置 {key}"), &format!("settings.{key}"), Some(value), Kind::Text)?;
        }
    }
    let summary = report.get("summary").and_then(Value::as_object);
    if let Some(summary) = summary {
        for (label, field, kind) in [
            ("长款合计", "long_total", Kind::Money),
            ("短款合计", "short_total", Kind::Money),
            ("跨日笔数", "cross_day", Kind::Auto),
            ("行问题数", "issue_count", Kind::Auto),
            ("差错笔数", "exception_count", Kind::Auto),
        ] {
            form.field(label, &format!("summary.{field}"), summary.get(field), kind)?;
        }
        // Anything else the summary holds as a plain value.
        for (key, value) in summary {
            let known = ["long_total", "short_total", "cross_day", "issue_count", "exception_count"];
            if !value.is_object() && !value.is_array() && !known.contains(&key.as_str()) {
                form.field(key, &format!("summary.{key}"), Some(value), kind_of(key))?;
            }
        }
        if let (Some(counts), amounts) =
            (summary.get("counts").and_then(Value::as_object), summary.get("amounts").and_then(Value::as_object))
        {
            form.gap();
            form.header(&["结果 outcome", "中文", "笔数 count", "金额 amount"])?;
            for (code, zh) in ordered(counts, OUTCOMES) {
                let (code_value, zh_value) = (Value::from(code), Value::from(zh));
                form.cells(&[
                    (Some(&code_value), Kind::Text),
                    (Some(&zh_value), Kind::Text),
                    (counts.get(code), Kind::Auto),
                    (amounts.and_then(|a| a.get(code)), Kind::Money),
                ])?;
            }
        }
        if let Some(rows) = summary.get("rows").and_then(Value::as_object) {
            form.gap();
            form.header(&["来源 side", "读入 read", "对账 reconciled", "跳过 skipped"])?;
            for (side, counts) in rows {
                let side_value = Value::from(side.as_str());
                form.cells(&[
                    (Some(&side_value), Kind::Text),
                    (counts.get("read"), Kind::Auto),
                    (counts.get("reconciled"), Kind::Auto),
                    (counts.get("skipped"), Kind::Auto),
                ])?;
            }
        }
    }
    if let Some(flow) = report.get("fund_flow").and_then(Value::as_object) {
        form.gap();
        form.header(&["资金流 fund_flow", "field", "值 value"])?;
        form.field("截至日期", "fund_flow.as_of", flow.get("as_of"), Kind::Auto)?;
        for (key, value) in flow {
            if !value.is_object() && !value.is_array() && key != "as_of" {
                form.field(key, &format!("fund_flow.{key}"), Some(value), Kind::Auto)?;
            }
        }
        if let Some(items) = flow.get("items").and_then(Value::as_object) {
            for (key, value) in items {
                form.field(&format!("笔数 {key}"), &format!("fund_flow.items.{key}"), Some(value), Kind::Auto)?;
            }
        }
        if let Some(counts) = flow.get("counts").and_then(Value::as_object) {
            form.gap();
            form.header(&["资金流结果 outcome", "中文", "笔数 count"])?;
            for (code, zh) in ordered(counts, FUND_OUTCOMES) {
                let (code_value, zh_value) = (Value::from(code), Value::from(zh));
                form.cells(&[
                    (Some(&code_value), Kind::Text),
                    (Some(&zh_value), Kind::Text),
                    (counts.get(code), Kind::Auto),
                ])?;
            }
        }
    }
    if let Some(files) = report.get("files").and_then(Value::as_array) {
        form.gap();
        form.header(&[
            "来源 side",
            "文件 name",
            "格式 format",
            "变体 variant",
            "编码 encoding",
            "表头行 header_line",
            "行数 rows",
            "跳过 skipped",
            "合计核对 checks",
        ])?;
        for file in files {
            let checks = file.get("checks").and_then(Value::as_array).map(|c| Value::from(checks_text(c)));
            form.cells(&[
                (file.get("side"), Kind::Text),
                (file.get("name"), Kind::Text),
                (file.get("format"), Kind::Text),
                (file.get("variant"), Kind::Text),
                (file.get("encoding"), Kind::Text),
                (file.get("header_line"), Kind::Auto),
                (file.get("rows"), Kind::Auto),
                (file.get("skipped"), Kind::Auto),
                (checks.as_ref(), Kind::Text),
            ])?;
        }
    }
    form.finish()
}

/// The bank reconciliation statement (余额调节表), the familiar two columns: the books on the
/// left, the bank on the right, each adjusted by the items the other has not recorded yet.
fn statement_sheet(book: &mut Book, statement: &Map<String, Value>, date: &str) -> Result<(), SheetError> {
    let sheet = book.workbook.add_worksheet();
    sheet.set_name("余额调节表").map_err(write_failed)?;
    statement_form(Form::new(sheet, &book.formats), statement, date).map_err(write_failed)
}

fn statement_form(mut form: Form<'_>, statement: &Map<String, Value>, date: &str) -> Result<(), XlsxError> {
    form.title("银行存款余额调节表 Bank reconciliation statement")?;
    let get = |key: &str| statement.get(key);
    let text = |s: &str| Value::from(s);
    let (date_label, date_value) = (text("对账日期 date"), text(date));
    let (source_label, book_source) = (text("账面来源 book_source"), get("book_source"));
    form.cells(&[(Some(&date_label), Kind::Text), (Some(&date_value), Kind::Auto)])?;
    form.cells(&[(Some(&source_label), Kind::Text), (book_source, Kind::Text)])?;
    form.gap();
    form.header(&["企业账面 books", "金额", "银行对账单 bank", "金额"])?;
    let lines = [
        ("企业账面余额 book_balance", "book_balance", "银行对账单余额 bank_balance", "bank_balance"),
        (
            "加：银行已收、企业未收 bank_received_not_booked",
            "bank_received_not_booked",
            "加：企业已收、银行未收 booked_received_not_at_bank",
            "booked_received_not_at_bank",
        ),
        (
            "减：银行已付、企业未付 bank_paid_not_booked",
            "bank_paid_not_booked",
            "减：企业已付、银行未付 booked_paid_not_at_bank",
            "booked_paid_not_at_bank",
        ),
        ("调节后余额 adjusted_book", "adjusted_book", "调节后余额 adjusted_bank", "adjusted_bank"),
    ];
    for (left, left_key, right, right_key) in lines {
        let (left, right) = (text(left), text(right));
        form.cells(&[
            (Some(&left), Kind::Text),
            (get(left_key), Kind::Money),
            (Some(&right), Kind::Text),
            (get(right_key), Kind::Money),
        ])?;
    }
    form.gap();
    let outcome = match (get("outcome").and_then(Value::as_str), get("label").and_then(Value::as_str)) {
        (Some("matched"), _) => Some(text("matched 对平")),
        (Some(code), Some(label)) => Some(text(&format!("{code} 余额不符 {label}"))),
        (Some(code), None) => Some(text(code)),
        (None, _) => None,
    };
    let (difference, result) = (text("差额 difference"), text("结果 outcome"));
    form.cells(&[(Some(&difference), Kind::Text), (get("difference"), Kind::Money)])?;
    form.cells(&[(Some(&result), Kind::Text), (outcome.as_ref(), Kind::Text)])?;
    // Whatever else the statement holds.
    let known = [
        "book_balance",
        "book_source",
        "bank_balance",
        "bank_received_not_booked",
        "bank_paid_not_booked",
        "booked_received_not_at_bank",
        "booked_paid_not_at_bank",
        "adjusted_book",
        "adjusted_bank",
        "difference",
        "outcome",
        "label",
    ];
    for (key, value) in statement {
        if !known.contains(&key.as_str()) && !value.is_object() && !value.is_array() {
            let label = text(key);
            form.cells(&[(Some(&label), Kind::Text), (Some(value), kind_of(key))])?;
        }
    }
    form.finish()
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
