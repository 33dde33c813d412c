//! The JS API, run as Wasm in Node and in headless Chromium (see `scripts/test.sh`).
#![cfg(target_arch = "wasm32")]

use duizhang::wasm::{detect_input, inspect, sample_day, sample_profile, Reconciliation};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const ORDERS: &[u8] = include_bytes!("fixtures/sample/orders.csv");
const CHANNEL: &[u8] = include_bytes!("fixtures/sample/channel.csv");

/// Bytes as the `Uint8Array` a JavaScript caller hands over.
fn js(bytes: impl AsRef<[u8]>) -> JsValue {
    js_sys::Uint8Array::from(bytes.as_ref()).into()
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| Reflect::get(&v, &JsValue::from_str(key)).expect("property"))
}

fn sample_run() -> Reconciliation {
    let mut run = Reconciliation::new(Some(sample_profile())).expect("profile");
    run.add_file("internal", "orders.csv", js(ORDERS), None).expect("orders");
    run.add_file("channel", "channel.csv", js(CHANNEL), None).expect("bill");
    run
}

#[wasm_bindgen_test]
fn summary_is_a_small_object_with_decimal_strings() {
    let mut run = sample_run();
    let summary = run.run(None).expect("runs");
    assert_eq!(get(&summary, "counts.matched").as_f64(), Some(9.0));
    assert_eq!(get(&summary, "counts.pending").as_f64(), Some(2.0));
    assert_eq!(get(&summary, "amounts.amount_mismatch").as_string().as_deref(), Some("388.00"));
    assert_eq!(get(&summary, "short_total").as_string().as_deref(), Some("-563.01"), "pending is timing, no break");
    assert_eq!(get(&summary, "timing_total").as_string().as_deref(), Some("-210.00"));
    assert_eq!(get(&summary, "date").as_string().as_deref(), Some("2026-03-24"));
    assert!(get(&summary, "exceptions").is_undefined(), "the summary carries no rows");
}

#[wasm_bindgen_test]
fn exceptions_come_in_pages_with_an_outcome_filter() {
    let mut run = sample_run();
    run.run(None).expect("runs");
    let page = run.exceptions(0, 3, None).expect("page");
    assert_eq!(get(&page, "total").as_f64(), Some(10.0));
    assert_eq!(Array::from(&get(&page, "rows")).length(), 3);
    let page = run.exceptions(0, 50, Some("amount_mismatch".into())).expect("filtered");
    let rows = Array::from(&get(&page, "rows"));
    assert_eq!(rows.length(), 2);
    for row in rows.iter() {
        assert_eq!(get(&row, "class").as_string().as_deref(), Some("amount_mismatch"));
        assert!(get(&row, "d").is_string(), "money crosses as a string");
        assert!(get(&row, "channel.columns.商品名称").is_string(), "extra columns are kept for display");
    }
    let past_end = run.exceptions(100, 10, None).expect("empty page");
    assert_eq!(Array::from(&get(&past_end, "rows")).length(), 0);
    let issues = run.issues(0, 10).expect("issues");
    assert_eq!(get(&issues, "total").as_f64(), Some(3.0));
}

#[wasm_bindgen_test]
fn exports_are_made_inside_wasm() {
    let mut run = sample_run();
    run.run(None).expect("runs");
    let csv = run.export_csv().expect("csv");
    assert_eq!(&csv[..3], &[0xef, 0xbb, 0xbf], "UTF-8 BOM for Excel");
    let text = String::from_utf8(csv).expect("utf-8");
    assert_eq!(text.lines().count(), 11, "header + 10 exceptions");
    let json = run.export_json().expect("json");
    assert_eq!(json, run.report_json().expect("report").into_bytes());
}

/// A new input after a run drops every result of that run, in Wasm as in Rust
/// (tests/reconcile.rs): no page, summary or export of the old run answers for the new inputs.
#[wasm_bindgen_test]
fn a_new_input_after_a_run_clears_every_result_of_it() {
    let mut run = sample_run();
    run.run(None).expect("runs");
    assert!(run.summary().is_ok() && run.exceptions(0, 5, None).is_ok() && run.issues(0, 5).is_ok());
    let statement = include_bytes!("fixtures/bank/statement_corporate.csv");
    run.add_file("bank", "statement.csv", js(statement), None).expect("a statement");
    let no_run = |error: JsValue| get(&error, "code").as_string();
    assert_eq!(no_run(run.summary().expect_err("the old summary")).as_deref(), Some("invalid_argument"));
    assert!(run.exceptions(0, 5, None).is_err(), "no page of a run that is gone");
    assert!(run.issues(0, 5).is_err() && run.report_json().is_err() && run.export_csv().is_err());
    assert!(run.fund_flow().is_err(), "no fund flow before the run that has the statement");
    run.run(None).expect("runs again");
    assert!(get(&run.fund_flow().expect("the new run's fund flow"), "counts").is_object());
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_code_file_and_line() {
    let mut run = Reconciliation::new(None).expect("default profile");
    let error = run.add_file("channel", "empty.csv", js(Vec::new()), None).expect_err("empty file");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("empty_file"));
    assert_eq!(get(&error, "file").as_string().as_deref(), Some("empty.csv"));

    let header_only = include_bytes!("fixtures/malformed/header_only.csv").to_vec();
    let error = run.add_file("channel", "header_only.csv", js(header_only), None).expect_err("no rows");
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("no_data_rows"));
    assert_eq!(get(&error, "line").as_f64(), Some(1.0));

    let error = Reconciliation::new(Some(r#"{"tolerence": "1"}"#.into())).err().expect("bad profile");
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("invalid_profile"));
    let error = run.add_file("ledger", "x.csv", js(b"a"), None).expect_err("bad side");
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("invalid_argument"));
    let error = run.summary().expect_err("not run yet");
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("invalid_argument"));
}

#[wasm_bindgen_test]
fn malformed_files_never_trap() {
    let files: [(&str, &[u8]); 6] = [
        ("binary_junk.csv", include_bytes!("fixtures/malformed/binary_junk.csv")),
        ("truncated_rows.csv", include_bytes!("fixtures/malformed/truncated_rows.csv")),
        ("bad_amounts.csv", include_bytes!("fixtures/malformed/bad_amounts.csv")),
        ("unbalanced_quotes.csv", include_bytes!("fixtures/malformed/unbalanced_quotes.csv")),
        ("gbk_declared_utf8.csv", include_bytes!("fixtures/malformed/gbk_declared_utf8.csv")),
        ("no_known_column.csv", include_bytes!("fixtures/malformed/no_known_column.csv")),
    ];
    for (name, bytes) in files {
        let mut run = Reconciliation::new(None).expect("profile");
        run.add_file("internal", "orders.csv", js(ORDERS), None).expect("orders");
        match run.add_file("channel", name, js(bytes), None) {
            Ok(_) => {
                let summary = run.run(None).expect("runs");
                assert!(get(&summary, "issue_count").as_f64().is_some(), "{name}");
            }
            Err(error) => assert!(get(&error, "code").is_string(), "{name}"),
        }
    }
    // A 10 MB line, made here rather than checked in.
    let mut long = b"order_no,amount\nS202603240001,128.00\n".to_vec();
    long.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    long.extend(b",1.00\n");
    let mut run = Reconciliation::new(None).expect("profile");
    run.add_file("internal", "orders.csv", js(ORDERS), None).expect("orders");
    run.add_file("channel", "long.csv", js(long), None).expect("reads with an issue");
    let summary = run.run(None).expect("runs");
    assert_eq!(get(&summary, "rows.channel.skipped").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn the_sample_day_is_embedded() {
    let files = Array::from(&sample_day().expect("samples"));
    assert_eq!(files.length(), 2);
    let first = files.get(0);
    assert_eq!(get(&first, "input").as_string().as_deref(), Some("internal"));
    assert_eq!(Uint8Array::new(&get(&first, "bytes")).length() as usize, ORDERS.len());
}

#[wasm_bindgen_test]
fn files_are_read_where_the_caller_keeps_them() {
    // An ArrayBuffer, and a Uint8Array that is a window of a larger buffer: read in place.
    let mut run = Reconciliation::new(Some(sample_profile())).expect("profile");
    run.add_file("internal", "orders.csv", js(ORDERS).dyn_into::<Uint8Array>().unwrap().buffer().into(), None)
        .expect("an ArrayBuffer");
    let padded = [b"junk before".as_slice(), CHANNEL, b"junk after"].concat();
    let whole = Uint8Array::from(padded.as_slice());
    let view = whole.subarray(11, 11 + CHANNEL.len() as u32);
    let info = run.add_file("channel", "channel.csv", view.into(), None).expect("a view");
    assert_eq!(get(&info, "rows").as_f64(), Some(16.0));
    let summary = run.run(None).expect("runs");
    assert_eq!(get(&summary, "counts.matched").as_f64(), Some(9.0));
    // The exceptions' rows are read again from the caller's bytes: the view's, not the buffer's.
    let page = run.exceptions(0, 1, Some("amount_mismatch".into())).expect("page");
    let line = get(&Array::from(&get(&page, "rows")).get(0), "channel.line").as_f64();
    assert!(line.is_some_and(|l| l > 1.0), "{line:?}");
    let error = run.add_file("channel", "x.csv", JsValue::from_str("not bytes"), None).expect_err("a string");
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("invalid_argument"));
}

#[wasm_bindgen_test]
fn detect_input_says_which_input_a_head_is() {
    let statement = include_bytes!("fixtures/bank/statement_corporate.csv");
    // Cut mid-record, as the page's 64 KiB head of a large statement is.
    let bank = detect_input(&statement[..statement.len() - 7]).expect("never throws");
    assert_eq!(get(&bank, "input").as_string().as_deref(), Some("bank"));
    assert_eq!(get(&bank, "format").as_string().as_deref(), Some("bank_statement"));
    let bill = detect_input(include_bytes!("fixtures/wechat/trade_all.csv.gz")).expect("never throws");
    assert_eq!(get(&bill, "input").as_string().as_deref(), Some("channel"));
    let orders = detect_input(ORDERS).expect("never throws");
    assert!(get(&orders, "input").is_null());
    assert_eq!(get(&orders, "order_table").as_bool(), Some(true));
    let sheet = detect_input(include_bytes!("fixtures/sheets/statement.xlsx")).expect("never throws");
    assert_eq!(get(&sheet, "why").as_string().as_deref(), Some("spreadsheet"));
}

#[wasm_bindgen_test]
fn inspect_describes_a_file_or_every_file_of_an_archive() {
    let bill = include_bytes!("fixtures/wechat/trade_all.csv.gz").to_vec();
    let one = inspect("trade_all.csv.gz", bill, None).expect("reads");
    assert_eq!(get(&one, "format").as_string().as_deref(), Some("wechat_trade"));
    assert_eq!(get(&one, "variant").as_string().as_deref(), Some("ALL"));
    assert_eq!(get(&one, "rows").as_f64(), Some(5.0));
    assert_eq!(get(&get(&one, "checks"), "0.passed").as_bool(), Some(true));
    let zip = include_bytes!("fixtures/alipay/20886012345678900156_20260324.csv.zip").to_vec();
    let several = Array::from(&inspect("bill.zip", zip, None).expect("reads"));
    assert_eq!(several.length(), 2);
    assert_eq!(get(&several.get(1), "format").as_string().as_deref(), Some("alipay_summary"));
    let mut run = Reconciliation::new(None).expect("profile");
    let zip = include_bytes!("fixtures/alipay/20886012345678900156_20260324.csv.zip").to_vec();
    let first = run.add_file("channel", "bill.zip", js(zip), None).expect("reads");
    assert_eq!(get(&first, "format").as_string().as_deref(), Some("alipay_trade"));
    let files = Array::from(&run.files().expect("files"));
    assert_eq!(files.length(), 2, "the archive's detail and 汇总 files");
    assert_eq!(get(&files.get(1), "checks.0.passed").as_bool(), Some(true));
    let error = inspect("prose.txt", b"hello world\n".to_vec(), None).expect_err("no layout");
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("unknown_format"));
    let forced = inspect("x.csv", ORDERS.to_vec(), Some(r#"{"format": "alipay_trade"}"#.into())).expect_err("forced");
    assert_eq!(get(&forced, "code").as_string().as_deref(), Some("no_known_columns"));
}

#[wasm_bindgen_test]
fn a_channel_file_can_be_read_as_a_chosen_format() {
    let mut run = Reconciliation::new(None).expect("profile");
    let info = run.add_file("channel", "channel.csv", js(CHANNEL), None).expect("detected");
    assert_eq!(get(&info, "format").as_string().as_deref(), Some("generic_csv"));
    let error = run.add_file("channel", "channel.csv", js(CHANNEL), Some("alipay_trade".into())).expect_err("forced");
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("no_known_columns"));
    let error = run.add_file("channel", "channel.csv", js(CHANNEL), Some("excel".into())).expect_err("unknown");
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("invalid_argument"));
}
