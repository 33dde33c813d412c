//! The Wasm exports, run in Node: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use duizhang_sheets::wasm::{report_to_xlsx, sheet_to_csv};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn code(error: &JsValue) -> Option<String> {
    js_sys::Reflect::get(error, &"code".into()).expect("code").as_string()
}

#[wasm_bindgen_test]
fn sheet_to_csv_gives_csv_bytes_or_a_coded_error() {
    let csv = sheet_to_csv(include_bytes!("../../tests/fixtures/sheets/channel.xlsx")).expect("converts");
    let text = String::from_utf8(csv).expect("utf-8");
    assert!(text.starts_with("交易时间,微信订单号,商户订单号,交易状态,订单金额,手续费\n"), "{text}");
    let error = sheet_to_csv(b"order_no,amount\n").expect_err("not a spreadsheet");
    assert_eq!(code(&error).as_deref(), Some("not_a_spreadsheet"));
}

/// In Wasm the workbook's creation time comes from JavaScript's clock (`SystemTime::now()` would
/// trap) and is then replaced by the report's date: the same bytes as natively, every time.
#[wasm_bindgen_test]
fn report_to_xlsx_takes_a_string_or_bytes_and_gives_a_workbook_or_a_coded_error() {
    let report = r#"{"date": "2026-03-24", "summary": {"long_total": "0.05940"},
                     "exceptions": [{"class": "external_only", "key": "=HYPERLINK(\"x\")", "d": "9.90", "label": "长款"}],
                     "issues": []}"#;
    let vocabulary =
        r#"{"outcomes": [{"code": "external_only", "zh": "单边账(渠道有、平台无)"}], "fund_outcomes": []}"#;
    let from_text = report_to_xlsx(JsValue::from_str(report), JsValue::from_str(vocabulary)).expect("writes");
    let from_bytes = report_to_xlsx(
        js_sys::Uint8Array::from(report.as_bytes()).into(),
        js_sys::Uint8Array::from(vocabulary.as_bytes()).into(),
    )
    .expect("writes");
    assert_eq!(from_text, from_bytes);
    assert_eq!(from_text, duizhang_sheets::report_to_xlsx(report.as_bytes(), vocabulary.as_bytes()).expect("writes"));
    assert!(duizhang_sheets::is_spreadsheet(&from_text));
    // The workbook reads back: its first sheet is the summary.
    let csv = String::from_utf8(sheet_to_csv(&from_text).expect("reads back")).expect("utf-8");
    assert!(csv.starts_with("对账汇总 Reconciliation summary"), "{csv}");

    let error =
        report_to_xlsx(JsValue::from_str("{\"summary\":"), JsValue::from_str(vocabulary)).expect_err("cut JSON");
    assert_eq!(code(&error).as_deref(), Some("bad_report"));
    let error =
        report_to_xlsx(JsValue::from_f64(1.0), JsValue::from_str(vocabulary)).expect_err("not a string or bytes");
    assert_eq!(code(&error).as_deref(), Some("bad_report"));
    let error = report_to_xlsx(JsValue::from_str(report), JsValue::from_str("{}")).expect_err("no outcomes");
    assert_eq!(code(&error).as_deref(), Some("bad_vocabulary"));
}
