//! The report workbook of real reconciliations (`duizhang_sheets::report_to_xlsx`, and the CLI's
//! `--xlsx-out`), read back with calamine and compared with the report JSON it came from. The
//! workbook's formatting is tested in `sheets/tests/report_to_xlsx.rs`; here every exception, row
//! issue, fund-flow match and open item and the 余额调节表 of the fixture days must come back.
#![cfg(all(feature = "sheets", not(target_arch = "wasm32")))]

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use duizhang::{reconcile, Input, InputKind, Profile};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// Each sheet's rows, by sheet name.
/// The engine's vocabulary as JSON: what names the workbook's outcomes.
fn vocabulary() -> Vec<u8> {
    serde_json::to_vec(&duizhang::Vocabulary::new()).expect("JSON")
}

fn read_back(xlsx: &[u8]) -> BTreeMap<String, Vec<Vec<Data>>> {
    let mut workbook = open_workbook_auto_from_rs(std::io::Cursor::new(xlsx.to_vec())).expect("an XLSX calamine reads");
    let mut sheets = BTreeMap::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).expect("sheet");
        sheets.insert(name, range.rows().map(|r| r.to_vec()).collect());
    }
    sheets
}

/// A table sheet's data rows keyed by the JSON field names of its second header row.
fn table(rows: &[Vec<Data>]) -> Vec<BTreeMap<String, Data>> {
    let fields: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    rows[2..]
        .iter()
        .map(|row| fields.iter().cloned().zip(row.iter().cloned()).filter(|(_, v)| *v != Data::Empty).collect())
        .collect()
}

/// The cell shows the JSON value: text as itself, money as a number with the string's digits,
/// a count or line as that number, `null` as an empty cell.
fn assert_cell(cell: Option<&Data>, json: &Value, what: &str) {
    match (json, cell) {
        (Value::Null, None) => {}
        (Value::String(text), None) if text.is_empty() => {}
        (Value::String(text), Some(Data::Float(value))) => {
            let scale = text.split_once('.').map_or(0, |(_, f)| f.len());
            assert_eq!(&format!("{value:.scale$}"), text, "{what}");
        }
        (Value::String(text), Some(Data::String(cell))) => assert_eq!(cell, text, "{what}"),
        (Value::String(text), Some(Data::DateTime(_))) => assert!(text.starts_with("20"), "{what}: {text}"),
        (Value::Number(number), Some(Data::Float(value))) => {
            assert_eq!(Some(*value), number.as_f64(), "{what}")
        }
        (Value::Bool(flag), Some(Data::Bool(cell))) => assert_eq!(flag, cell, "{what}"),
        (json, cell) => panic!("{what}: {json} came back as {cell:?}"),
    }
}

fn sample_day() -> Value {
    let profile =
        Profile::from_json(&String::from_utf8(fixture("sample/profile.json")).expect("utf-8")).expect("profile");
    let inputs = vec![
        Input::new(InputKind::Internal, "orders.csv", fixture("sample/orders.csv")),
        Input::new(InputKind::Channel, "channel.csv", fixture("sample/channel.csv")),
    ];
    let report = reconcile(inputs, profile, None).expect("the run completes");
    serde_json::from_str(&report.to_json()).expect("the report is JSON")
}

#[test]
fn every_exception_and_row_issue_of_the_sample_day_comes_back() {
    let report = sample_day();
    let sheets =
        read_back(&duizhang_sheets::report_to_xlsx(report.to_string().as_bytes(), &vocabulary()).expect("writes"));
    assert_eq!(sheets.keys().collect::<Vec<_>>(), ["差错明细", "汇总", "行问题"], "no fund-flow sheets");

    let exceptions = report["exceptions"].as_array().expect("exceptions");
    let rows = table(&sheets["差错明细"]);
    assert_eq!(rows.len(), exceptions.len());
    assert!(rows.len() >= 10, "the sample day has every outcome");
    for (row, exception) in rows.iter().zip(exceptions) {
        let key = exception["key"].as_str().expect("key");
        for field in ["class", "class_zh", "key", "key_field", "d", "label", "cross_day", "message"] {
            assert_cell(row.get(field), &exception[field], &format!("{key} {field}"));
        }
        for side in ["internal", "channel"] {
            for field in ["file", "line", "amount", "status", "status_word", "trade_no", "fee"] {
                let json = exception.pointer(&format!("/{side}/{field}")).unwrap_or(&Value::Null);
                assert_cell(row.get(&format!("{side}.{field}")), json, &format!("{key} {side}.{field}"));
            }
        }
    }
    let issues = report["issues"].as_array().expect("issues");
    let rows = table(&sheets["行问题"]);
    assert_eq!(rows.len(), issues.len());
    for (row, issue) in rows.iter().zip(issues) {
        for field in ["file", "input", "line", "column", "code", "message"] {
            assert_cell(row.get(field), &issue[field], &format!("issue {field}"));
        }
    }
    // The summary's totals.
    let summary = &sheets["汇总"];
    let value = |field: &str| summary.iter().find(|r| r[1] == field).map(|r| r[2].clone());
    assert_cell(value("summary.short_total").as_ref(), &report["summary"]["short_total"], "short_total");
    assert_cell(value("summary.long_total").as_ref(), &report["summary"]["long_total"], "long_total");
}

/// The summary names every outcome of the report as the engine does (the sheets crate keeps no
/// copy of the names): each count's row is `code, 中文 name, count, amount`.
#[test]
fn the_summary_names_each_outcome_with_the_engines_chinese_name() {
    let report = sample_day();
    let sheets =
        read_back(&duizhang_sheets::report_to_xlsx(report.to_string().as_bytes(), &vocabulary()).expect("writes"));
    let counts = report["summary"]["counts"].as_object().expect("counts");
    assert!(counts.len() >= 5, "the sample day has most outcomes: {counts:?}");
    for (code, _) in counts {
        let outcome = duizhang::Outcome::from_code(code).expect("an outcome code");
        let row = sheets["汇总"]
            .iter()
            .find(|row| row.first() == Some(&Data::String(code.clone())))
            .unwrap_or_else(|| panic!("no row for {code}"));
        assert_eq!(row.get(1), Some(&Data::String(outcome.name_zh().to_string())), "{code}");
    }
}

#[test]
fn formula_keys_long_order_numbers_and_five_decimal_fees_survive_a_real_run() {
    let orders =
        "order_no,amount,status\n\"=HYPERLINK(\"\"x\"\")\",1.00,success\n4200002601202603241000000001,9.90,success\n";
    let channel = "order_no,trade_no,amount,fee,status,time\n\
                   4200002601202603241000000001,4200002601202603249999999999,9.90,0.05940,SUCCESS,2026-03-24 10:00:00\n\
                   S1,4200002601202603248888888888,1.00,0.00600,SUCCESS,2026-03-24 11:00:00\n";
    let inputs = vec![
        Input::new(InputKind::Internal, "orders.csv", orders.as_bytes().to_vec()),
        Input::new(InputKind::Channel, "channel.csv", channel.as_bytes().to_vec()),
    ];
    let report = reconcile(inputs, Profile::default(), None).expect("runs").to_json();
    let json: Value = serde_json::from_str(&report).expect("JSON");
    let sheets = read_back(&duizhang_sheets::report_to_xlsx(report.as_bytes(), &vocabulary()).expect("writes"));
    let rows = table(&sheets["差错明细"]);
    let keys: Vec<String> = rows.iter().map(|r| r["key"].to_string()).collect();
    let expected: Vec<&str> =
        json["exceptions"].as_array().expect("array").iter().map(|e| e["key"].as_str().expect("key")).collect();
    assert_eq!(keys, expected);
    assert!(keys.contains(&"=HYPERLINK(\"x\")".to_string()), "{keys:?}");
    assert!(!keys.contains(&"4200002601202603241000000001".to_string()), "it matched: {keys:?}");
    let fees: Vec<Data> = rows.iter().filter_map(|r| r.get("channel.fee").cloned()).collect();
    assert_eq!(fees, [Data::Float(0.006)]);
    let matched = json["exceptions"].as_array().expect("array").iter().all(|e| e["channel"]["fee"] != "0.05940");
    assert!(matched, "the 9.90 order matched, so its fee is in no exception");

    // The matched pair's fee shows in an exception once its amount disagrees.
    let channel = channel.replace(",9.90,0.05940", ",9.91,0.05940");
    let inputs = vec![
        Input::new(InputKind::Internal, "orders.csv", orders.as_bytes().to_vec()),
        Input::new(InputKind::Channel, "channel.csv", channel.into_bytes()),
    ];
    let report = reconcile(inputs, Profile::default(), None).expect("runs").to_json();
    let sheets = read_back(&duizhang_sheets::report_to_xlsx(report.as_bytes(), &vocabulary()).expect("writes"));
    let rows = table(&sheets["差错明细"]);
    let mismatch = rows.iter().find(|r| r["class"] == "amount_mismatch").expect("the amount mismatch");
    assert_eq!(mismatch["key"], Data::String("4200002601202603241000000001".into()), "every digit, as text");
    assert_eq!(mismatch["channel.fee"], Data::Float(0.0594));
    assert_eq!(mismatch["channel.trade_no"], Data::String("4200002601202603249999999999".into()));
}

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_duizhang"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the CLI runs")
}

#[test]
fn cli_xlsx_out_writes_the_workbook_of_the_fund_flow_report_it_prints() {
    let dir = std::env::temp_dir().join(format!("duizhang-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("report.xlsx");
    let output = cli(&[
        "reconcile",
        "--channel",
        "tests/fixtures/bank/channel.csv",
        "--bank",
        "tests/fixtures/bank/statement_corporate.csv",
        "--payouts",
        "tests/fixtures/bank/payouts.csv",
        "--book-balance",
        "tests/fixtures/bank/ledger.csv",
        "--profile",
        "tests/fixtures/bank/profile.json",
        "--xlsx-out",
        path.to_str().expect("utf-8 path"),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let xlsx = std::fs::read(&path).expect("the workbook was written");
    std::fs::remove_dir_all(&dir).ok();
    // The workbook is exactly the one of the report printed.
    assert_eq!(xlsx, duizhang_sheets::report_to_xlsx(&output.stdout, &vocabulary()).expect("writes"));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let sheets = read_back(&xlsx);

    // Matches: a row per bank movement, batch and payout, in order, each with its match's fields.
    let flow = &report["fund_flow"];
    let rows = table(&sheets["资金匹配"]);
    let mut expected = Vec::new();
    for (n, m) in flow["matches"].as_array().expect("matches").iter().enumerate() {
        for (key, part) in [("credits", "银行流水"), ("batches", "结算批次"), ("payouts", "代付指令")] {
            for item in m[key].as_array().expect("parts") {
                expected.push((n + 1, m, part, item));
            }
        }
    }
    assert_eq!(rows.len(), expected.len());
    assert!(rows.len() >= 8, "{}", rows.len());
    for (row, (n, m, part, item)) in rows.iter().zip(&expected) {
        let id = item["id"].as_str().expect("id");
        assert_eq!(row["match"], Data::Float(*n as f64), "{id}");
        assert_eq!(row["part"], Data::String(part.to_string()), "{id}");
        assert_eq!(row["id"], Data::String(id.to_string()));
        for field in ["kind", "outcome", "merchant", "d", "label", "explanation"] {
            assert_cell(row.get(field), &m[field], &format!("{id} {field}"));
        }
        let (date, amount) = if *part == "结算批次" { ("settle_date", "net") } else { ("date", "amount") };
        assert_cell(row.get("date"), &item[date], &format!("{id} date"));
        assert_cell(row.get("amount"), &item[amount], &format!("{id} amount"));
        if *part == "代付指令" {
            assert_cell(row.get("account"), &item["account"], &format!("{id} account"));
            assert!(matches!(row.get("account"), Some(Data::String(_))), "an account number is text");
        }
    }

    // Open items: every exception and unexplained movement, each once.
    let rows = table(&sheets["未达及差错"]);
    let mut items: Vec<&Value> = flow["exceptions"].as_array().expect("exceptions").iter().collect();
    for item in flow["unexplained_movements"].as_array().expect("unexplained") {
        if !items.iter().any(|e| e["id"] == item["id"]) {
            items.push(item);
        }
    }
    assert_eq!(rows.len(), items.len());
    assert!(!rows.is_empty());
    for (row, item) in rows.iter().zip(items) {
        let id = item["id"].as_str().expect("id");
        for field in
            ["id", "kind", "outcome", "outcome_zh", "merchant", "amount", "d", "label", "age_days", "memo", "message"]
        {
            assert_cell(row.get(field), &item[field], &format!("{id} {field}"));
        }
    }
    let rows = table(&sheets["商户汇总"]);
    let merchants = flow["merchants"].as_array().expect("merchants");
    assert_eq!(rows.len(), merchants.len());
    for (row, merchant) in rows.iter().zip(merchants) {
        for (field, value) in merchant.as_object().expect("object") {
            assert_cell(row.get(field), value, &format!("merchant {field}"));
        }
    }

    // The 余额调节表: every figure beside its label.
    let statement = &report["balance"]["statement"];
    let form = &sheets["余额调节表"];
    let mut figures = 0;
    for row in form {
        for pair in [0, 2] {
            let Some(Data::String(label)) = row.get(pair) else { continue };
            let field = label.rsplit(' ').next().expect("field");
            match (field, statement.get(field)) {
                ("book_source", _) | (_, None) => {}
                ("outcome", Some(outcome)) => {
                    let shown = row.get(pair + 1).map(|c| c.to_string()).unwrap_or_default();
                    assert!(shown.starts_with(outcome.as_str().expect("code")), "{shown}");
                }
                (field, Some(value)) => {
                    assert_cell(row.get(pair + 1), value, field);
                    figures += 1;
                }
            }
        }
    }
    assert_eq!(figures, 9, "four lines a side and the difference");
    let statements = table(&sheets["余额核对"]);
    let first = &report["balance"]["statements"][0];
    for field in ["file", "account", "first_date", "last_date", "opening", "credits", "debits", "closing", "consistent"]
    {
        assert_cell(statements[0].get(field), &first[field], &format!("statement {field}"));
    }
    let days = first["days"].as_array().expect("days");
    assert_eq!(statements.len(), 1 + days.len());
    assert!(sheets.contains_key("余额断点"));
    // The bank's balance at the cut-off, per account, with the instant on each line.
    let rows = table(&sheets["时点余额"]);
    let accounts = report["balance"]["bank_balances"].as_array().expect("bank balances");
    assert_eq!(rows.len(), accounts.len());
    assert!(!rows.is_empty());
    for (row, account) in rows.iter().zip(accounts) {
        for field in ["account", "balance", "file", "line", "date", "time", "later", "ends_before_cutoff"] {
            assert_cell(row.get(field), &account[field], &format!("bank balance {field}"));
        }
        assert_cell(row.get("cutoff"), &report["balance"]["cutoff"], "cutoff");
    }
}

#[test]
fn cli_xlsx_out_into_a_missing_folder_is_an_io_error() {
    let output = cli(&[
        "reconcile",
        "--internal",
        "tests/fixtures/sample/orders.csv",
        "--channel",
        "tests/fixtures/sample/channel.csv",
        "--xlsx-out",
        "/nonexistent-folder/report.xlsx",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("duizhang: io: report.xlsx"), "{stderr}");
    let output = cli(&["reconcile", "--internal", "a.csv", "--channel", "b.csv", "--xlsx-out"]);
    assert_eq!(output.status.code(), Some(2), "a flag without its value is a usage error");
}

/// A pair (金额不符) is one open row with what was expected, credited, explained and left
/// unexplained; the merchants' sheet has the pairs' totals.
#[test]
fn each_pair_is_one_open_row_with_its_expected_credited_and_unexplained_amounts() {
    let profile =
        Profile::from_json(&String::from_utf8(fixture("differences/profile.json")).expect("utf-8")).expect("profile");
    let inputs = vec![
        Input::new(InputKind::Channel, "wechat_sp_week.zip", fixture("differences/wechat_sp_week.zip")),
        Input::new(InputKind::Bank, "statement_week_gbk.csv", fixture("differences/statement_week_gbk.csv")),
    ];
    let date = duizhang::parse_date("2026-11-06").expect("date");
    let report = reconcile(inputs, profile, Some(date)).expect("the run completes");
    let json: Value = serde_json::from_str(&report.to_json()).expect("JSON");
    let xlsx = duizhang_sheets::report_to_xlsx(report.to_json().as_bytes(), &vocabulary()).expect("writes");
    let sheets = read_back(&xlsx);
    let rows = table(&sheets["未达及差错"]);
    let items = json["fund_flow"]["exceptions"].as_array().expect("exceptions");
    assert_eq!(rows.len(), items.len());
    let mut pairs = 0;
    for (row, item) in rows.iter().zip(items) {
        let Some(breakdown) = item.pointer("/pair/breakdown") else { continue };
        pairs += 1;
        for field in ["expected", "credited", "explained", "unexplained"] {
            assert_cell(
                row.get(&format!("pair.breakdown.{field}")),
                &breakdown[field],
                &format!("{} {field}", item["id"]),
            );
        }
        assert!(!row.keys().any(|k| k.starts_with("pair.") && !k.starts_with("pair.breakdown.")), "{row:?}");
    }
    assert_eq!(pairs, 8);
    let header: Vec<String> = sheets["未达及差错"][0].iter().map(|c| c.to_string()).collect();
    let pair_headers = ["说明", "应为", "已入账", "已解释", "未解释"].map(String::from);
    assert!(header.windows(5).any(|w| w == pair_headers), "right after the message: {header:?}");
    let merchants = table(&sheets["商户汇总"]);
    for (row, merchant) in merchants.iter().zip(json["fund_flow"]["merchants"].as_array().expect("merchants")) {
        for field in
            ["amount_mismatch", "amount_mismatch_d", "amount_mismatch_explained", "amount_mismatch_unexplained"]
        {
            assert_cell(row.get(field), &merchant[field], &format!("merchant {field}"));
        }
    }
}
