//! The report workbook, read back with calamine (values) and through the zip (frozen panes, number
//! formats, quote prefixes, which calamine does not show), against the report JSON it came from.
//! The report here is synthetic, in the shape `duizhang reconcile` prints plus the `clearing`
//! section being built; duizhang's own `tests/xlsx.rs` feeds real reconciliations of the fixtures.
#![cfg(not(target_arch = "wasm32"))]

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use duizhang_sheets::report_to_xlsx;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Read;

/// A sheet's rows, as calamine reads them.
type Rows = Vec<Vec<Data>>;

fn read_back(xlsx: &[u8]) -> (Vec<String>, BTreeMap<String, Rows>) {
    let mut workbook = open_workbook_auto_from_rs(std::io::Cursor::new(xlsx.to_vec())).expect("an XLSX calamine reads");
    let names = workbook.sheet_names();
    let mut sheets = BTreeMap::new();
    for name in &names {
        let range = workbook.worksheet_range(name).expect("sheet");
        sheets.insert(name.clone(), range.rows().map(|r| r.to_vec()).collect());
    }
    (names, sheets)
}

/// A table sheet's data rows keyed by the field names of its second header row.
fn table(rows: &Rows) -> Vec<BTreeMap<String, Data>> {
    let fields: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    rows[2..]
        .iter()
        .map(|row| fields.iter().cloned().zip(row.iter().cloned()).filter(|(_, v)| *v != Data::Empty).collect())
        .collect()
}

/// A money cell shown at the JSON string's scale is that string: nothing lost.
fn assert_money(cell: Option<&Data>, expected: &str) {
    let scale = expected.split_once('.').map_or(0, |(_, f)| f.len());
    match cell {
        Some(Data::Float(value)) => assert_eq!(format!("{value:.scale$}"), expected),
        other => panic!("{expected}: expected a number cell, found {other:?}"),
    }
}

/// An Excel serial for a `YYYY-MM-DD[ HH:MM:SS]` string (days since 1899-12-30).
fn serial(text: &str) -> f64 {
    let n = |range: std::ops::Range<usize>| text[range].parse::<i64>().expect("digits");
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    // Days from civil (Howard Hinnant), 1970-01-01 = 0.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468 + 25_569;
    let seconds = if text.len() == 19 { n(11..13) * 3600 + n(14..16) * 60 + n(17..19) } else { 0 };
    days as f64 + seconds as f64 / 86_400.0
}

fn assert_date(cell: Option<&Data>, expected: &str) {
    match cell {
        Some(Data::DateTime(date)) => assert!((date.as_f64() - serial(expected)).abs() < 1e-6, "{expected}: {date:?}"),
        other => panic!("{expected}: expected a date cell, found {other:?}"),
    }
}

fn assert_text(cell: Option<&Data>, expected: &str) {
    assert_eq!(cell, Some(&Data::String(expected.to_string())), "{expected}");
}

/// The parts of the XLSX that calamine does not show, read as XML text.
struct Xml {
    files: BTreeMap<String, String>,
}

impl Xml {
    fn new(xlsx: &[u8]) -> Xml {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("a zip");
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).expect("entry");
            let name = file.name().expect("entry name").to_string();
            let mut text = String::new();
            file.read_to_string(&mut text).expect("utf-8 xml");
            files.insert(name, text);
        }
        Xml { files }
    }

    /// The worksheet XML of the sheet named `name` (sheets are numbered in workbook order).
    fn sheet(&self, name: &str) -> &str {
        let workbook = &self.files["xl/workbook.xml"];
        let index = workbook.split("<sheet ").skip(1).position(|s| s.starts_with(&format!("name=\"{name}\"")));
        let index = index.unwrap_or_else(|| panic!("no sheet {name}"));
        &self.files[&format!("xl/worksheets/sheet{}.xml", index + 1)]
    }

    /// The `<xf …>` of cell `reference` of sheet `name`.
    fn xf(&self, name: &str, reference: &str) -> String {
        let sheet = self.sheet(name);
        let start = sheet.find(&format!("<c r=\"{reference}\"")).unwrap_or_else(|| panic!("no cell {reference}"));
        let cell = &sheet[start..start + sheet[start..].find('>').expect("tag end")];
        let style: usize = attribute(cell, "s").map_or(0, |s| s.parse().expect("style index"));
        let styles = &self.files["xl/styles.xml"];
        let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
        format!(" {}", xfs.split("<xf ").nth(style + 1).expect("xf").split('>').next().expect("xf tag"))
    }

    /// The number format of cell `reference` of sheet `name`.
    fn number_format(&self, name: &str, reference: &str) -> String {
        let xf = self.xf(name, reference);
        let id = attribute(&xf, "numFmtId").expect("numFmtId");
        let styles = &self.files["xl/styles.xml"];
        let formats = styles.split("<numFmt ").skip(1).map(|f| format!(" {f}"));
        match formats.into_iter().find(|f| attribute(f, "numFmtId").as_deref() == Some(id.as_str())) {
            Some(format) => attribute(&format, "formatCode").expect("formatCode"),
            None => format!("builtin {id}"),
        }
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[start..start + tag[start..].find('"')?].to_string())
}

/// The cell reference of row `row` (0-based) in the column whose field name is `field`.
fn reference(rows: &Rows, field: &str, row: usize) -> String {
    let col = rows[1].iter().position(|c| *c == field).unwrap_or_else(|| panic!("no column {field}"));
    assert!(col < 26, "single-letter columns only");
    format!("{}{}", (b'A' + col as u8) as char, row + 1)
}

const LONG_ORDER_NO: &str = "4200002601202603241000000001";

/// A report with every section, the quirks the workbook must survive, and a clearing section in
/// the issue's shape.
fn full_report() -> Value {
    json!({
        "duizhang": "0.1.0",
        "date": "2026-03-24",
        "date_source": "given",
        "cutoff": "2026-03-25 00:00:00",
        "settings": { "key": "order_no", "tolerance": "0" },
        "files": [{ "side": "channel", "name": "wx.csv", "encoding": "UTF-8", "format": "wechat_trade",
                    "variant": "ALL", "header_line": 1, "rows": 3, "skipped": 0, "checks": [
                        { "name": "总交易单数", "expected": "3", "found": "3", "passed": true }] }],
        "summary": {
            "counts": { "matched": 1, "external_only": 2, "internal_only": 1, "amount_mismatch": 0 },
            "amounts": { "matched": "9.90", "external_only": "42.00", "internal_only": "1.00", "amount_mismatch": "0" },
            "long_total": "42.00", "short_total": "-1.00", "cross_day": 0,
            "rows": { "internal": { "read": 2, "reconciled": 2, "skipped": 0 },
                      "channel": { "read": 3, "reconciled": 3, "skipped": 0 } },
            "issue_count": 1, "exception_count": 3
        },
        "issues": [{ "file": "orders.csv", "input": "internal", "line": 4, "column": 2, "code": "invalid_amount",
                     "message": "\"=1+2\": not an amount" }],
        "exceptions": [
            { "id": "e1", "class": "internal_only", "class_zh": "单边账(平台有、渠道无)", "key": "=HYPERLINK(\"x\")",
              "key_field": "order_no", "d": "-1.00", "label": "短款", "cross_day": false,
              "message": "-booked success 1.00 with no channel row",
              "internal": { "file": "orders.csv", "line": 2, "order_no": "=HYPERLINK(\"x\")", "merchant_id": "1230000109",
                            "amount": "1.00", "fee": null, "status": "success", "status_word": "支付成功",
                            "time": "2026-03-24 10:00:00", "columns": { "单号": "=HYPERLINK(\"x\")" } },
              "channel": null },
            { "id": "e2", "class": "external_only", "class_zh": "单边账(渠道有、平台无)", "key": LONG_ORDER_NO,
              "key_field": "order_no", "d": "9.90", "label": "长款", "cross_day": false, "message": "no order",
              "internal": null,
              "channel": { "file": "wx.csv", "line": 3, "order_no": LONG_ORDER_NO, "trade_no": "4200002601202603249999999999",
                           "merchant_id": "1230000109", "amount": "9.90", "fee": "0.05940", "status": "success",
                           "status_word": "SUCCESS", "time": "2026-03-24 23:59:59", "columns": {} } },
            { "class": "external_only", "class_zh": "单边账(渠道有、平台无)", "key": "2026-03-24", "key_field": "order_no",
              "d": "32.10", "label": "长款", "cross_day": true, "message": "@a key shaped like a date",
              "internal": null, "channel": { "file": "wx.csv", "line": 4, "merchant_id": "1230000110", "amount": "32.10",
                                             "fee": "0.19260", "status": "success", "time": "2026-03-24 08:00:00" },
              "reviewed_by": "王会计" }
        ],
        "fund_flow": {
            "as_of": "2026-03-24",
            "counts": { "matched": 1, "in_transit": 1, "unexplained_movement": 1 },
            "matches": [{ "kind": "settlement", "outcome": "matched", "merchant": "1230000109", "d": "0.00", "label": null,
                          "credit": null,
                          "credits": [{ "id": "bank:s.csv:5", "file": "s.csv", "line": 5, "date": "2026-03-24", "amount": "400.00",
                                        "merchant": "1230000109", "counterparty": "财付通", "memo": "+结算款", "carried_since": null },
                                      { "id": "bank:s.csv:6", "file": "s.csv", "line": 6, "date": "2026-03-24", "amount": "196.40",
                                        "merchant": "1230000109", "counterparty": "财付通", "memo": "结算款", "carried_since": null }],
                          "batches": [{ "id": "batch:1230000109:2026-03-24", "merchant": "1230000109", "settle_date": "2026-03-24",
                                        "trade_from": "2026-03-23", "trade_to": "2026-03-23", "gross": "600.00", "refunds": "0",
                                        "fees": "3.60", "net": "596.40", "carried_since": null }],
                          "payouts": [],
                          "explanation": "settlement split in two credits" }],
            "exceptions": [
                { "id": "batch:2088:2026-03-24", "kind": "batch", "outcome": "in_transit", "outcome_zh": "未达账项",
                  "merchant": "2088101122334455", "date": "2026-03-24", "amount": "994.00", "d": "-994.00", "label": "短款",
                  "age_days": 0, "carried_since": null, "file": "", "line": 0, "memo": "", "message": "not credited yet" },
                { "id": "bank:s.csv:9", "kind": "credit", "outcome": "unexplained_movement", "outcome_zh": "无法识别款项",
                  "merchant": "", "date": "2026-03-24", "amount": "88.00", "d": "88.00", "label": "长款", "age_days": 2,
                  "carried_since": "2026-03-22", "file": "s.csv", "line": 9, "memo": "=转账", "message": "no merchant" }
            ],
            "unexplained_movements": [
                { "id": "bank:s.csv:9", "kind": "credit", "outcome": "unexplained_movement", "outcome_zh": "无法识别款项",
                  "merchant": "", "date": "2026-03-24", "amount": "88.00", "d": "88.00", "label": "长款", "age_days": 2,
                  "carried_since": "2026-03-22", "file": "s.csv", "line": 9, "memo": "=转账", "message": "no merchant" },
                { "id": "bank:s.csv:10", "kind": "debit", "outcome": "unexplained_movement", "outcome_zh": "无法识别款项",
                  "merchant": "", "date": "2026-03-24", "amount": "-12.50", "d": "-12.50", "label": "短款", "age_days": 0,
                  "carried_since": null, "file": "s.csv", "line": 10, "memo": "手续费", "message": "no payout explains it" }
            ],
            "merchants": [{ "merchant": "1230000109", "batches": 1, "settled": "596.40", "credited": "596.40",
                            "matched": "596.40", "in_transit": "0", "internal_only": "0", "external_only": "0" }]
        },
        "clearing": {
            "merchants": [
                { "merchant": "1230000109", "service_provider": "1900000001", "gross": "1700.00", "refunds": "50.00",
                  "fee_charged": "9.90000", "fee_expected": "9.90", "commission": "1.70", "net_payable": "1638.40",
                  "credited": "1640.10", "paid_out": "1000.00", "outstanding": "638.40",
                  "days": [
                      { "settle_date": "2026-03-23", "gross": "900.00", "refunds": "50.00", "fee_charged": "5.10000",
                        "fee_expected": "5.10", "commission": "0.90", "net_payable": "844.00", "credited": "845.00",
                        "paid_out": "1000.00", "outstanding": "-156.00" },
                      { "settle_date": "2026-03-24", "gross": "800.00", "refunds": "0", "fee_charged": "4.80000",
                        "fee_expected": "4.80", "commission": "0.80", "net_payable": "794.40", "credited": "795.10",
                        "paid_out": "0", "outstanding": "794.40" }
                  ] },
                { "merchant": "2088101122334455", "service_provider": null, "gross": "994.00", "refunds": "0",
                  "fee_charged": "0", "fee_expected": "0", "commission": "0", "net_payable": "994.00", "credited": "0",
                  "paid_out": "0", "outstanding": "994.00", "days": [] }
            ],
            "exceptions": [
                { "class": "fee_mismatch", "merchant": "1230000109", "key": "4200002601202603241000000002",
                  "date": "2026-03-23", "fee_charged": "0.07000", "fee_expected": "0.05940", "d": "-0.01060", "label": "短款",
                  "rate": "0.60%", "method": "JSAPI", "amount": "9.90", "detail": { "rule": "half_up" } }
            ]
        },
        "balance": {
            "running_breaks": [{ "file": "s.csv", "line": 7, "expected": "10298.20", "found": "10398.20", "missing": "100.00" }],
            "statements": [{ "file": "s.csv", "account": "6222000011112222333", "first_date": "2026-03-23",
                             "last_date": "2026-03-24", "opening": "10000.00", "credits": "3417.90", "debits": "5012.50",
                             "closing": "8405.40", "consistent": true,
                             "checks": [{ "name": "合计 借方", "expected": "5,012.50", "found": "5012.50", "passed": true }],
                             "days": [{ "date": "2026-03-23", "opening": "10000.00", "credits": "298.20", "debits": "0",
                                        "closing": "10298.20", "consistent": true }] }],
            "continuity_breaks": [],
            "statement": { "book_balance": "9023.90", "book_source": "ledger.csv", "bank_balance": "8405.40",
                           "bank_received_not_booked": "88.00", "bank_paid_not_booked": "12.50",
                           "booked_received_not_at_bank": "994.00", "booked_paid_not_at_bank": "300.00",
                           "adjusted_book": "9099.40", "adjusted_bank": "9099.40", "difference": "0.00",
                           "outcome": "matched", "label": null }
        }
    })
}

/// The part of the engine's vocabulary the workbook reads (the real one is passed in the main
/// crate's tests/xlsx.rs, which checks the summary names every outcome as the engine does).
const VOCABULARY: &[u8] = r#"{
    "outcomes": [{"code": "matched", "zh": "对平"}, {"code": "internal_only", "zh": "单边账(平台有、渠道无)"},
                 {"code": "external_only", "zh": "单边账(渠道有、平台无)"}, {"code": "fee_mismatch", "zh": "手续费不符"}],
    "fund_outcomes": [{"code": "matched", "zh": "对平"}, {"code": "in_transit", "zh": "未达账项"}],
    "formats": []
}"#
.as_bytes();

fn workbook_of(report: &Value) -> Vec<u8> {
    report_to_xlsx(report.to_string().as_bytes(), VOCABULARY).expect("writes")
}

#[test]
fn every_section_has_its_sheet_in_report_order() {
    let (names, _) = read_back(&workbook_of(&full_report()));
    let expected = [
        "汇总",
        "差错明细",
        "行问题",
        "资金匹配",
        "未达及差错",
        "商户汇总",
        "清分",
        "清分差错",
        "余额调节表",
        "余额核对",
        "余额断点",
    ];
    assert_eq!(names, expected);
}

#[test]
fn a_transaction_only_report_has_no_fund_flow_clearing_or_balance_sheets() {
    let mut report = full_report();
    for section in ["fund_flow", "clearing", "balance"] {
        report.as_object_mut().expect("object").remove(section);
    }
    let (names, _) = read_back(&workbook_of(&report));
    assert_eq!(names, ["汇总", "差错明细", "行问题"]);
}

#[test]
fn exceptions_come_back_with_key_d_label_and_both_sides() {
    let report = full_report();
    let (_, sheets) = read_back(&workbook_of(&report));
    let rows = table(&sheets["差错明细"]);
    let expected = report["exceptions"].as_array().expect("array");
    assert_eq!(rows.len(), expected.len());
    for (row, exception) in rows.iter().zip(expected) {
        for field in ["class", "class_zh", "key", "key_field", "message"] {
            assert_text(row.get(field), exception[field].as_str().expect("text"));
        }
        assert_money(row.get("d"), exception["d"].as_str().expect("d"));
        assert_text(row.get("label"), exception["label"].as_str().expect("label"));
        assert_eq!(row.get("cross_day"), Some(&Data::Bool(exception["cross_day"].as_bool().expect("bool"))));
    }
    // The id column is there because exceptions have ids; the third has none.
    assert_eq!(sheets["差错明细"][1][0], Data::String("id".into()));
    assert_text(rows[0].get("id"), "e1");
    assert_eq!(rows[2].get("id"), None);
    // Merchant: the channel row's, else the booked row's.
    assert_text(rows[0].get("merchant"), "1230000109");
    assert_text(rows[2].get("merchant"), "1230000110");
    assert_text(rows[0].get("internal.file"), "orders.csv");
    assert_eq!(rows[0].get("internal.line"), Some(&Data::Float(2.0)));
    assert_money(rows[0].get("internal.amount"), "1.00");
    assert_date(rows[0].get("internal.time"), "2026-03-24 10:00:00");
    assert_date(rows[1].get("channel.time"), "2026-03-24 23:59:59");
    assert_text(rows[1].get("channel.trade_no"), "4200002601202603249999999999");
    // A field the report gained later is an extra column, not an error.
    assert_text(rows[2].get("reviewed_by"), "王会计");
    // The original cells of a row are not spread into columns.
    assert!(!sheets["差错明细"][1].iter().any(|c| c.to_string().contains("columns")));
}

#[test]
fn keys_and_numbers_that_look_like_numbers_or_dates_stay_text() {
    let (_, sheets) = read_back(&workbook_of(&full_report()));
    let rows = table(&sheets["差错明细"]);
    assert_text(rows[1].get("key"), LONG_ORDER_NO);
    assert_text(rows[1].get("channel.order_no"), LONG_ORDER_NO);
    assert_text(rows[2].get("key"), "2026-03-24");
    let statements = table(&sheets["余额核对"]);
    assert_text(statements[0].get("account"), "6222000011112222333");
    let clearing = table(&sheets["清分差错"]);
    assert_text(clearing[0].get("key"), "4200002601202603241000000002");
}

#[test]
fn text_that_would_run_as_a_formula_comes_back_as_that_text_with_a_quote_prefix() {
    let xlsx = workbook_of(&full_report());
    let (_, sheets) = read_back(&xlsx);
    let xml = Xml::new(&xlsx);
    let exceptions = &sheets["差错明细"];
    let rows = table(exceptions);
    assert_text(rows[0].get("key"), "=HYPERLINK(\"x\")");
    assert_text(rows[0].get("message"), "-booked success 1.00 with no channel row");
    assert_text(rows[2].get("message"), "@a key shaped like a date");
    for (field, row) in [("key", 2), ("message", 2), ("message", 4), ("internal.order_no", 2)] {
        let xf = xml.xf("差错明细", &reference(exceptions, field, row));
        assert!(xf.contains("quotePrefix=\"1\""), "{field} row {row}: {xf}");
    }
    // A plain key and a negative amount are not quoted.
    assert!(!xml.xf("差错明细", &reference(exceptions, "key", 3)).contains("quotePrefix"));
    assert!(!xml.xf("差错明细", &reference(exceptions, "d", 2)).contains("quotePrefix"));
    // No formula anywhere in the workbook.
    assert!(!xml.files.iter().any(|(name, text)| name.starts_with("xl/worksheets/") && text.contains("<f>")));
    let open = table(&sheets["未达及差错"]);
    assert_text(open[1].get("memo"), "=转账");
    let issues = table(&sheets["行问题"]);
    assert_text(issues[0].get("message"), "\"=1+2\": not an amount");
}

#[test]
fn money_is_numbers_at_the_scale_of_its_string() {
    let xlsx = workbook_of(&full_report());
    let (_, sheets) = read_back(&xlsx);
    let xml = Xml::new(&xlsx);
    let exceptions = &sheets["差错明细"];
    let rows = table(exceptions);
    // WeChat's five-decimal fee keeps its five decimals.
    assert_money(rows[1].get("channel.fee"), "0.05940");
    assert_eq!(rows[1].get("channel.fee"), Some(&Data::Float(0.0594)));
    assert_eq!(xml.number_format("差错明细", &reference(exceptions, "channel.fee", 3)), "0.00000");
    assert_money(rows[1].get("d"), "9.90");
    assert_eq!(xml.number_format("差错明细", &reference(exceptions, "d", 3)), "0.00");
    // Dates and times carry date formats.
    assert_eq!(xml.number_format("差错明细", &reference(exceptions, "channel.time", 3)), "yyyy-mm-dd hh:mm:ss");
    let open = &sheets["未达及差错"];
    assert_eq!(xml.number_format("未达及差错", &reference(open, "date", 2)), "yyyy-mm-dd");
    // "0" has scale 0 and still shows to the fen.
    let merchants = &sheets["商户汇总"];
    assert_eq!(xml.number_format("商户汇总", &reference(merchants, "in_transit", 2)), "0.00");
    let clearing = &sheets["清分差错"];
    assert_money(table(clearing)[0].get("d"), "-0.01060");
    assert_eq!(xml.number_format("清分差错", &reference(clearing, "d", 2)), "0.00000");
}

#[test]
fn text_that_is_not_a_plain_decimal_stays_text_in_a_money_column() {
    let mut report = full_report();
    report["exceptions"][0]["d"] = json!("1,234.50");
    report["exceptions"][1]["d"] = json!("1234567890123.456"); // 16 significant digits
    let (_, sheets) = read_back(&workbook_of(&report));
    let rows = table(&sheets["差错明细"]);
    assert_text(rows[0].get("d"), "1,234.50");
    assert_text(rows[1].get("d"), "1234567890123.456");
}

#[test]
fn tables_have_a_frozen_header_an_autofilter_and_widths() {
    let xlsx = workbook_of(&full_report());
    let xml = Xml::new(&xlsx);
    for sheet in
        ["差错明细", "行问题", "资金匹配", "未达及差错", "商户汇总", "清分", "清分差错", "余额核对", "余额断点"]
    {
        let text = xml.sheet(sheet);
        assert!(
            text.contains(r#"<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>"#),
            "{sheet}"
        );
        assert!(text.contains("<autoFilter ref=\"A2:"), "{sheet}");
        assert!(text.contains("customWidth=\"1\""), "{sheet}");
    }
    let (_, sheets) = read_back(&xlsx);
    assert_eq!(sheets["行问题"][0][0], Data::String("文件".into()));
    assert_eq!(sheets["行问题"][1][0], Data::String("file".into()));
}

#[test]
fn row_issues_come_back_whole() {
    let report = full_report();
    let (_, sheets) = read_back(&workbook_of(&report));
    let rows = table(&sheets["行问题"]);
    assert_eq!(rows.len(), 1);
    let issue = &report["issues"][0];
    for field in ["file", "input", "code", "message"] {
        assert_text(rows[0].get(field), issue[field].as_str().expect("text"));
    }
    assert_eq!(rows[0].get("line"), Some(&Data::Float(4.0)));
    assert_eq!(rows[0].get("column"), Some(&Data::Float(2.0)));
}

#[test]
fn fund_flow_matches_have_a_row_per_part_and_open_items_each_once() {
    let report = full_report();
    let (_, sheets) = read_back(&workbook_of(&report));
    let matches = table(&sheets["资金匹配"]);
    let parts: Vec<(String, String)> = matches.iter().map(|r| (r["part"].to_string(), r["id"].to_string())).collect();
    assert_eq!(
        parts,
        [
            ("银行流水".into(), "bank:s.csv:5".into()),
            ("银行流水".into(), "bank:s.csv:6".into()),
            ("结算批次".into(), "batch:1230000109:2026-03-24".into())
        ]
    );
    for row in &matches {
        assert_eq!(row.get("match"), Some(&Data::Float(1.0)));
        assert_text(row.get("merchant"), "1230000109");
        assert_text(row.get("explanation"), "settlement split in two credits");
    }
    assert_money(matches[0].get("amount"), "400.00");
    assert_money(matches[2].get("amount"), "596.40"); // the batch's net
    assert_date(matches[2].get("date"), "2026-03-24"); // its settlement date
    assert_money(matches[2].get("gross"), "600.00");

    let open = table(&sheets["未达及差错"]);
    let ids: Vec<String> = open.iter().map(|r| r["id"].to_string()).collect();
    assert_eq!(ids, ["batch:2088:2026-03-24", "bank:s.csv:9", "bank:s.csv:10"]);
    assert_money(open[0].get("d"), "-994.00");
    assert_text(open[0].get("label"), "短款");
    assert_date(open[1].get("carried_since"), "2026-03-22");
    assert_eq!(open[1].get("age_days"), Some(&Data::Float(2.0)));

    let merchants = table(&sheets["商户汇总"]);
    assert_text(merchants[0].get("merchant"), "1230000109");
    assert_money(merchants[0].get("settled"), "596.40");
}

#[test]
fn clearing_has_a_row_per_merchant_and_settlement_date_then_the_merchant_total() {
    let report = full_report();
    let (_, sheets) = read_back(&workbook_of(&report));
    let rows = table(&sheets["清分"]);
    let shape: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            let date = r.get("settle_date").map(|d| format!("{d:?}")).unwrap_or_default();
            (r["row"].to_string(), r["merchant"].to_string(), date)
        })
        .collect();
    assert_eq!(shape.len(), 4);
    assert_eq!((shape[0].0.as_str(), shape[0].1.as_str()), ("按日", "1230000109"));
    assert_eq!((shape[1].0.as_str(), shape[2].0.as_str(), shape[3].0.as_str()), ("按日", "合计", "合计"));
    assert_eq!(shape[3].1, "2088101122334455");
    let fields = [
        "gross",
        "refunds",
        "fee_charged",
        "fee_expected",
        "commission",
        "net_payable",
        "credited",
        "paid_out",
        "outstanding",
    ];
    let merchants = report["clearing"]["merchants"].as_array().expect("merchants");
    let expected: Vec<&Value> =
        [&merchants[0]["days"][0], &merchants[0]["days"][1], &merchants[0], &merchants[1]].into_iter().collect();
    for (row, source) in rows.iter().zip(expected) {
        for field in fields {
            assert_money(row.get(field), source[field].as_str().expect("money"));
        }
    }
    assert_date(rows[0].get("settle_date"), "2026-03-23");
    assert_date(rows[1].get("settle_date"), "2026-03-24");
    assert_eq!(rows[2].get("settle_date"), None);
    // The day rows carry their merchant's service provider.
    assert_text(rows[0].get("service_provider"), "1900000001");
    assert_eq!(rows[3].get("service_provider"), None);
}

#[test]
fn clearing_exceptions_have_every_scalar_field_known_ones_first() {
    let report = full_report();
    let (_, sheets) = read_back(&workbook_of(&report));
    let header: Vec<String> = sheets["清分差错"][1].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "class",
            "class_zh",
            "merchant",
            "key",
            "date",
            "fee_charged",
            "fee_expected",
            "d",
            "label",
            "settle_date",
            "amount",
            "rate",
            "bill_rate",
            "detail.rule",
            "method"
        ]
    );
    let row = &table(&sheets["清分差错"])[0];
    let exception = &report["clearing"]["exceptions"][0];
    for field in ["fee_charged", "fee_expected", "d", "amount"] {
        assert_money(row.get(field), exception[field].as_str().expect("money"));
    }
    for field in ["class", "merchant", "label", "rate", "method"] {
        assert_text(row.get(field), exception[field].as_str().expect("text"));
    }
    assert_text(row.get("detail.rule"), "half_up");
    assert_date(row.get("date"), "2026-03-23");
}

#[test]
fn the_bank_reconciliation_statement_is_two_columns_with_the_report_figures() {
    let report = full_report();
    let (_, sheets) = read_back(&workbook_of(&report));
    let rows = &sheets["余额调节表"];
    // label cell → the amount cell to its right, both columns.
    let mut figures = BTreeMap::new();
    for row in rows {
        for pair in [0, 2] {
            if let (Some(Data::String(label)), Some(amount)) = (row.get(pair), row.get(pair + 1)) {
                if let Some(field) = label.rsplit(' ').next() {
                    figures.insert(field.to_string(), amount.clone());
                }
            }
        }
    }
    let statement = &report["balance"]["statement"];
    for field in [
        "book_balance",
        "bank_balance",
        "bank_received_not_booked",
        "bank_paid_not_booked",
        "booked_received_not_at_bank",
        "booked_paid_not_at_bank",
        "adjusted_book",
        "adjusted_bank",
        "difference",
    ] {
        assert_money(figures.get(field), statement[field].as_str().expect("money"));
    }
    assert_text(figures.get("outcome"), "matched 对平");
    assert_text(figures.get("book_source"), "ledger.csv");
    // Books on the left, bank on the right, on the same rows.
    let row_of = |label: &str| rows.iter().position(|r| r.iter().any(|c| c.to_string().ends_with(label)));
    assert_eq!(row_of("book_balance"), row_of("bank_balance"));
    assert_eq!(row_of("adjusted_book"), row_of("adjusted_bank"));

    let statements = table(&sheets["余额核对"]);
    assert_eq!(statements.len(), 2, "the statement, then its day");
    assert_text(statements[0].get("checks"), "合计 借方 5,012.50 = 5012.50 ✓");
    assert_money(statements[0].get("closing"), "8405.40");
    assert_eq!(statements[0].get("consistent"), Some(&Data::Bool(true)));
    assert_text(statements[1].get("row"), "按日");
    assert_date(statements[1].get("date"), "2026-03-23");
    let breaks = table(&sheets["余额断点"]);
    assert_eq!(breaks.len(), 1);
    assert_text(breaks[0].get("break"), "逐行余额");
    assert_eq!(breaks[0].get("line"), Some(&Data::Float(7.0)));
    assert_money(breaks[0].get("missing"), "100.00");
}

#[test]
fn a_balance_break_statement_says_its_label() {
    let mut report = full_report();
    report["balance"]["statement"]["outcome"] = json!("balance_break");
    report["balance"]["statement"]["label"] = json!("长款");
    let (_, sheets) = read_back(&workbook_of(&report));
    assert!(sheets["余额调节表"].iter().flatten().any(|c| *c == "balance_break 余额不符 长款"));
}

#[test]
fn the_summary_has_date_cutoff_counts_totals_rows_and_files() {
    let (_, sheets) = read_back(&workbook_of(&full_report()));
    let rows = &sheets["汇总"];
    let value_of =
        |field: &str| rows.iter().find(|r| r.get(1).map(|c| c.to_string()).as_deref() == Some(field)).map(|r| &r[2]);
    assert_date(value_of("date"), "2026-03-24");
    assert_date(value_of("cutoff"), "2026-03-25 00:00:00");
    assert_money(value_of("summary.long_total"), "42.00");
    assert_money(value_of("summary.short_total"), "-1.00");
    let outcome = |code: &str| rows.iter().find(|r| r[0] == code).expect("outcome row");
    assert_eq!(outcome("external_only")[2], Data::Float(2.0));
    assert_money(outcome("external_only").get(3), "42.00");
    assert!(rows.iter().any(|r| r[0] == "channel" && r[1] == Data::Float(3.0)));
    let file = rows.iter().find(|r| r.get(1).map(|c| c.to_string()).as_deref() == Some("wx.csv")).expect("file row");
    assert_eq!(file[2].to_string(), "wechat_trade");
    assert_eq!(file[8].to_string(), "总交易单数 3 = 3 ✓");
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let report = full_report();
    assert_eq!(workbook_of(&report), workbook_of(&report));
    let xml = Xml::new(&workbook_of(&report));
    assert!(xml.files["docProps/core.xml"].contains("2026-03-24T00:00:00Z"), "the report's date, not the clock");
}

#[test]
fn what_is_not_a_report_is_a_coded_error_never_a_panic() {
    let table: [&[u8]; 8] = [
        b"",
        b"{",
        b"[]",
        b"\"report\"",
        b"{}",
        br#"{"exceptions": 5}"#,
        br#"{"summary": {}, "fund_flow": []}"#,
        &[0xff, 0xfe, 0x00],
    ];
    for bytes in table {
        let error = report_to_xlsx(bytes, VOCABULARY).expect_err("not a report");
        assert_eq!(error.code, "bad_report", "{:?}: {error}", String::from_utf8_lossy(bytes));
    }
    // Every cut of a real report fails cleanly too.
    let json = full_report().to_string();
    for end in (0..json.len()).step_by(97) {
        if let Some(cut) = json.get(..end) {
            assert_eq!(report_to_xlsx(cut.as_bytes(), VOCABULARY).expect_err("cut").code, "bad_report");
        }
    }
}

#[test]
fn odd_but_valid_json_in_any_field_still_writes() {
    let mut report = full_report();
    report["exceptions"][0]["d"] = json!(null);
    report["exceptions"][1]["key"] = json!(12345);
    report["exceptions"][2]["message"] = json!(["a", "b"]);
    report["issues"][0]["line"] = json!("x".repeat(40_000));
    report["fund_flow"]["matches"][0] = json!("not an object");
    report["clearing"]["merchants"][0]["days"] = json!("none");
    let (_, sheets) = read_back(&workbook_of(&report));
    let rows = table(&sheets["差错明细"]);
    assert_eq!(rows[0].get("d"), None);
    assert_text(rows[1].get("key"), "12345");
    let issues = table(&sheets["行问题"]);
    assert_eq!(issues[0]["line"].to_string().chars().count(), 32_767, "cut to what a cell holds");
}
