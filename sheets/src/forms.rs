//! The two sheets laid out as forms, not tables: 汇总 (the summary) and 余额调节表.

use crate::cell::{self, checks_text, write_failed, Formats, Kind};
use crate::columns::kind_of;
use crate::SheetError;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use serde_json::{Map, Value};

/// The Chinese names of the outcome codes, in report order, taken from the engine's vocabulary (the
/// JSON `Vocabulary` the core gives: `vocabulary()` in JS, `duizhang::Vocabulary` in Rust) so the
/// workbook names outcomes exactly as the report, the page and the README do.
pub(crate) struct Labels {
    outcomes: Vec<(String, String)>,
    fund_outcomes: Vec<(String, String)>,
}

impl Labels {
    /// Reads `outcomes` and `fund_outcomes` (`[{code, zh}, …]`) from the vocabulary JSON; anything
    /// else in it is left alone. A vocabulary without them is a `bad_vocabulary` error.
    pub(crate) fn from_vocabulary(json: &[u8]) -> Result<Labels, SheetError> {
        let bad = |message: String| SheetError { code: "bad_vocabulary", message };
        let vocabulary: Value =
            serde_json::from_slice(json).map_err(|e| bad(format!("the vocabulary is not JSON: {e}")))?;
        let terms = |key: &str| -> Result<Vec<(String, String)>, SheetError> {
            let list = vocabulary.get(key).and_then(Value::as_array).ok_or_else(|| bad(format!("no {key} list")))?;
            list.iter()
                .map(|term| match (term.get("code").and_then(Value::as_str), term.get("zh").and_then(Value::as_str)) {
                    (Some(code), Some(zh)) => Ok((code.to_string(), zh.to_string())),
                    _ => Err(bad(format!("a term of {key} without code and zh: {term}"))),
                })
                .collect()
        };
        Ok(Labels { outcomes: terms("outcomes")?, fund_outcomes: terms("fund_outcomes")? })
    }
}

/// A sheet laid out as a form (labels and values, small tables under each other), not one table.
pub(crate) struct Form<'s> {
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
            self.sheet.set_column_width(c as u16, (width + 2).clamp(8, cell::MAX_WIDTH) as f64)?;
        }
        Ok(())
    }
}

/// The keys of `map` in the order of `known`, each with its name, then the others unnamed
/// (serde_json sorts them).
fn ordered<'m, 'l>(map: &'m Map<String, Value>, known: &'l [(String, String)]) -> Vec<(&'m str, &'l str)> {
    let mut keys: Vec<(&str, &str)> = known
        .iter()
        .filter_map(|(code, zh)| map.get_key_value(code.as_str()).map(|(k, _)| (k.as_str(), zh.as_str())))
        .collect();
    keys.extend(map.keys().filter(|k| !known.iter().any(|(code, _)| code == *k)).map(|k| (k.as_str(), "")));
    keys
}

/// A sheet named `name` laid out as a form by `write`.
pub(crate) fn form_sheet(
    workbook: &mut Workbook,
    formats: &Formats,
    name: &str,
    write: impl FnOnce(Form<'_>) -> Result<(), XlsxError>,
) -> Result<(), SheetError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name).map_err(write_failed)?;
    write(Form::new(sheet, formats)).map_err(write_failed)
}

/// The summary (汇总): the run's settings, totals, outcome counts and files.
pub(crate) fn summary_form(mut form: Form<'_>, report: &Map<String, Value>, labels: &Labels) -> Result<(), XlsxError> {
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
            for (code, zh) in ordered(counts, &labels.outcomes) {
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
            form.header(&["对账侧 side", "读入 read", "对账 reconciled", "跳过 skipped"])?;
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
            for (code, zh) in ordered(counts, &labels.fund_outcomes) {
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
            "对账侧 side",
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
pub(crate) fn statement_form(mut form: Form<'_>, statement: &Map<String, Value>, date: &str) -> Result<(), XlsxError> {
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
