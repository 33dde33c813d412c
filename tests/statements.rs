//! Bank statements as real exports write them, read by the one statement reader: `inspect`, the drop
//! zone (`detect_input`), fund flow (`bank` inputs) and a statement matched as a table all see the
//! same rows, issues and checks. Fixtures are made by `tests/fixtures/bank/make.py`.
#![cfg(not(target_arch = "wasm32"))]

use duizhang::{detect_input, inspect, parse_date, Input, InputKind, Profile, Reconciliation};
use rust_decimal::Decimal;
use std::path::Path;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Every statement fixture: the checked-in ones, the made ones, a spreadsheet, a malformed one.
const STATEMENTS: &[&str] = &[
    "bank/statement_corporate.csv",
    "bank/statement_gbk_newest_first.csv",
    "bank/corporate_gbk.csv",
    "bank/corporate_balance_break_gbk.csv",
    "bank/signed_amount_utf16le.csv",
    "bank/card_two_pairs.csv",
    "bank/card_two_pairs_v1_gbk.csv",
    "bank/balance_yuan_header.csv",
    "bank/direction_reversal.csv",
    "sheets/statement.xlsx",
    "malformed/statement_footer_disagrees.csv",
];

/// A run on one statement alone (fund flow without bills), on a day after every fixture's movements.
fn fund_flow_of(path: &str) -> Reconciliation {
    let mut run = Reconciliation::new(Profile::default());
    run.add(Input::new(InputKind::Bank, name(path), fixture(path))).unwrap_or_else(|e| panic!("{path}: {e}"));
    run.run(parse_date("2026-03-31").expect("date")).unwrap_or_else(|e| panic!("{path}: {e}"));
    run
}

#[test]
fn inspect_the_drop_zone_and_fund_flow_read_every_statement_the_same() {
    for &path in STATEMENTS {
        let bytes = fixture(path);
        let inspected =
            inspect(name(path), bytes.clone(), &Profile::default()).unwrap_or_else(|e| panic!("{path}: {e}"));
        let [inspected] = inspected.as_slice() else { panic!("{path}: one file") };
        assert_eq!(inspected.format.code(), "bank_statement", "{path}");
        if !path.ends_with(".xlsx") {
            // The drop zone does not convert spreadsheets to look at them.
            assert_eq!(detect_input(&bytes).kind(), Some(InputKind::Bank), "{path}");
        }
        let run = fund_flow_of(path);
        let report = run.report().expect("report");
        let flow = run.fund_flow().expect("fund flow");
        assert_eq!(flow.input.movements.len() as u64, inspected.rows, "{path}: the same movements");
        let issues: Vec<_> = report.issues.iter().filter(|i| i.file == name(path)).cloned().collect();
        assert_eq!(issues, inspected.issues, "{path}: the same issues");
        let balance = report.balance.as_ref().expect("balance");
        assert_eq!(balance.statements[0].checks, inspected.checks, "{path}: the same checks");
    }
}

#[test]
fn a_card_export_is_read_by_its_booked_amounts_with_the_transaction_currency_kept() {
    for path in ["bank/card_two_pairs.csv", "bank/card_two_pairs_v1_gbk.csv"] {
        let run = fund_flow_of(path);
        let flow = run.fund_flow().expect("fund flow");
        let amounts: Vec<String> = flow.input.movements.iter().map(|m| m.amount.to_string()).collect();
        // Newest first, as the bank writes it.
        assert_eq!(amounts, ["-144.10", "341.58", "-1234.56", "-13.40", "8000.00"], "{path}");
        let foreign = &flow.input.movements[0];
        assert_eq!(
            (foreign.transaction_amount, foreign.transaction_currency.as_str()),
            (Some(Decimal::new(-2000, 2)), "USD")
        );
        let domestic = &flow.input.movements[1];
        assert_eq!(
            (domestic.transaction_amount, domestic.transaction_currency.as_str()),
            (None, ""),
            "`-` is no currency"
        );
        assert_eq!(flow.input.movements[3].memo, "消费 广东三元麦当劳食品有", "the place is part of the memo");
        let balance = run.report().and_then(|r| r.balance.as_ref()).expect("balance");
        assert!(balance.running_breaks.is_empty(), "{path}: {:?}", balance.running_breaks);
        let totals = &balance.statements[0];
        assert_eq!(totals.account.as_deref(), Some("1234****9876"), "the card number of the title line");
        assert_eq!(totals.opening.map(|o| o.to_string()).as_deref(), Some("5000.00"));
        assert_eq!(totals.closing.map(|o| o.to_string()).as_deref(), Some("11949.52"));
        // The footer's totals are the booked pair's, and they agree.
        let checks: Vec<(&str, bool)> = totals.checks.iter().map(|c| (c.name.as_str(), c.passed)).collect();
        assert_eq!(checks[..2], [("人民币合计 借方", true), ("人民币合计 贷方", true)]);
    }
    // The v2 layout names the merchant in 交易详情: the credit is the merchant's settlement.
    let flow = fund_flow_of("bank/card_two_pairs.csv");
    let credit = &flow.fund_flow().expect("fund flow").input.movements[1];
    assert_eq!(credit.merchant.as_deref(), Some("1230000109"), "{}", credit.memo);
}

#[test]
fn a_balance_headed_with_its_unit_is_read_and_checked() {
    let run = fund_flow_of("bank/balance_yuan_header.csv");
    let balance = run.report().and_then(|r| r.balance.as_ref()).expect("balance");
    let breaks: Vec<(u32, String)> = balance.running_breaks.iter().map(|b| (b.line, b.missing.to_string())).collect();
    assert_eq!(breaks, [(4, "50.00".to_string())], "账户余额(元) is the balance column");
}

#[test]
fn a_direction_word_no_table_knows_takes_the_sign_the_balance_proves() {
    let path = "bank/direction_reversal.csv";
    let run = fund_flow_of(path);
    let flow = run.fund_flow().expect("fund flow");
    let amounts: Vec<(&str, String)> =
        flow.input.movements.iter().map(|m| (m.serial.as_str(), m.amount.to_string())).collect();
    assert_eq!(
        amounts,
        [("D1", "100.00".into()), ("D2", "-30.00".into()), ("D3", "30.00".into()), ("D5", "-10.00".into())]
    );
    let issues: Vec<(&str, Option<u32>)> =
        run.report().expect("report").issues.iter().map(|i| (i.code.code(), i.line)).collect();
    assert_eq!(issues, [("direction_inferred", Some(4)), ("unknown_direction", Some(5))]);
    let balance = run.report().and_then(|r| r.balance.as_ref()).expect("balance");
    assert!(balance.running_breaks.is_empty(), "{:?}", balance.running_breaks);
    // Matched as a table (it has serial numbers), the same rows.
    let mut table = Reconciliation::new(Profile::default());
    table.add(Input::new(InputKind::Channel, name(path), fixture(path))).expect("reads");
    assert_eq!(table.tables()[0].row_count(), 4);
}
