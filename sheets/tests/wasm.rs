//! The Wasm export, run in Node: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use duizhang_sheets::wasm::sheet_to_csv;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn sheet_to_csv_gives_csv_bytes_or_a_coded_error() {
    let csv = sheet_to_csv(include_bytes!("../../tests/fixtures/sheets/channel.xlsx")).expect("converts");
    let text = String::from_utf8(csv).expect("utf-8");
    assert!(text.starts_with("交易时间,微信订单号,商户订单号,交易状态,订单金额,手续费\n"), "{text}");
    let error = sheet_to_csv(b"order_no,amount\n").expect_err("not a spreadsheet");
    let code = js_sys::Reflect::get(&error, &"code".into()).expect("code");
    assert_eq!(code.as_string().as_deref(), Some("not_a_spreadsheet"));
}
