//! The fund-flow part of the JS API, run as Wasm (Node or headless Chromium).
#![cfg(target_arch = "wasm32")]

use duizhang::wasm::Reconciliation;
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const CHANNEL: &[u8] = include_bytes!("fixtures/bank/channel.csv");
const STATEMENT: &[u8] = include_bytes!("fixtures/bank/statement_corporate.csv");
const PAYOUTS: &[u8] = include_bytes!("fixtures/bank/payouts.csv");
const PROFILE: &str = include_str!("fixtures/bank/profile.json");

/// Bytes as the `Uint8Array` a JavaScript caller hands over.
fn js(bytes: impl AsRef<[u8]>) -> JsValue {
    js_sys::Uint8Array::from(bytes.as_ref()).into()
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| Reflect::get(&v, &JsValue::from_str(key)).expect("property"))
}

#[wasm_bindgen_test]
fn fund_flow_pages_balance_and_carry_state() {
    let mut run = Reconciliation::new(Some(PROFILE.to_string())).expect("profile");
    run.add_file("channel", "channel.csv", js(CHANNEL), None).expect("bill");
    let info = run.add_file("bank", "statement.csv", js(STATEMENT), None).expect("statement");
    assert_eq!(get(&info, "rows").as_f64(), Some(7.0));
    let checks = Array::from(&get(&info, "checks"));
    assert_eq!(checks.length(), 3, "合计 借方, 合计 贷方 and the running balance");
    assert!(checks.iter().all(|c| get(&c, "passed").as_bool() == Some(true)));
    run.add_file("payouts", "payouts.csv", js(PAYOUTS), None).expect("payouts");
    run.set_book_balance(Some("9023.90".into())).expect("book");
    run.run(Some("2026-03-25".into())).expect("runs");
    let flow = run.fund_flow().expect("summary");
    assert_eq!(get(&flow, "counts.matched").as_f64(), Some(10.0));
    assert_eq!(get(&flow, "balance.statement.difference").as_string().as_deref(), Some("0.00"));
    let page = run.fund_flow_matches(0, 1, None).expect("matches");
    assert_eq!(get(&page, "total").as_f64(), Some(4.0));
    let first = Array::from(&get(&page, "rows")).get(0);
    assert!(get(&first, "explanation").as_string().unwrap_or_default().starts_with("credit 2026-03-24"));
    let open = run.fund_flow_exceptions(0, 10, Some("in_transit".into()), None).expect("exceptions");
    assert_eq!(get(&open, "total").as_f64(), Some(2.0));
    let csv = run.export_fund_flow_csv().expect("csv");
    assert!(csv.starts_with(&[0xef, 0xbb, 0xbf]), "UTF-8 with BOM for Excel");
    let state = run.carry_state().expect("state");

    let mut next = Reconciliation::new(Some(PROFILE.to_string())).expect("profile");
    let carried = next.add_file("carry", "state.json", js(state), None).expect("carry");
    assert_eq!(get(&carried, "items").as_f64(), Some(4.0));
    assert!(next.add_file("ledger", "x.csv", js(Vec::new()), None).is_err(), "unknown side");
}

#[wasm_bindgen_test]
fn the_fund_flow_sample_is_the_fixture_day_and_balances() {
    let sample = duizhang::wasm::sample_fund_flow().expect("sample");
    let profile = get(&sample, "profile").as_string().expect("profile");
    let date = get(&sample, "date").as_string().expect("date");
    assert_eq!(date, "2026-03-25");
    let mut run = Reconciliation::new(Some(profile)).expect("profile");
    let files = Array::from(&get(&sample, "files"));
    let mut inputs = Vec::new();
    for file in files.iter() {
        let input = get(&file, "input").as_string().expect("input");
        let name = get(&file, "name").as_string().expect("name");
        let bytes = js_sys::Uint8Array::new(&get(&file, "bytes")).to_vec();
        run.add_file(&input, &name, js(bytes), None).expect("reads");
        inputs.push(input);
    }
    assert_eq!(inputs, ["channel", "bank", "payouts", "sub_ledger"]);
    run.run(Some(date)).expect("runs");
    let flow = run.fund_flow().expect("summary");
    assert_eq!(get(&flow, "counts.matched").as_f64(), Some(10.0));
    assert_eq!(get(&flow, "counts.in_transit").as_f64(), Some(2.0));
    assert_eq!(get(&flow, "counts.unexplained_movement").as_f64(), Some(2.0));
    assert_eq!(get(&flow, "balance.statement.outcome").as_string().as_deref(), Some("matched"));
    assert_eq!(get(&flow, "balance.statement.book_source").as_string().as_deref(), Some("ledger.csv"));
}
