//! Fund flow and book against actual, end to end through the public API, on checked-in fixtures
//! (tests/fixtures/bank/): a corporate statement with title rows and a footer, a GBK statement
//! written newest first, payout instructions, a merchant sub-ledger, the carry state between days.
#![cfg(not(target_arch = "wasm32"))]

use duizhang::fund_flow::FundOutcome;
use duizhang::{parse_date, Profile, Reconciliation, Report, Side};
use std::collections::BTreeSet;
use std::path::Path;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn profile() -> Profile {
    Profile::from_json(&String::from_utf8(fixture("bank/profile.json")).expect("utf-8")).expect("valid profile")
}

fn name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A run of the fixture day: channel bill, corporate statement, payouts; the book as given.
fn day_one(book: Option<&str>) -> Reconciliation {
    let mut run = Reconciliation::new(profile());
    run.add_file(Side::Channel, "channel.csv", fixture("bank/channel.csv")).expect("channel");
    for (side, path) in [(Side::Bank, "bank/statement_corporate.csv"), (Side::Payouts, "bank/payouts.csv")] {
        run.add_fund_file(side, name(path), fixture(path)).expect("reads");
    }
    match book {
        Some("ledger") => {
            drop(run.add_fund_file(Side::Book, "ledger.csv", fixture("bank/ledger.csv")).expect("ledger"))
        }
        Some(amount) => {
            run.set_book_balance(Some(duizhang::money::parse_amount(amount).expect("amount"))).expect("in range")
        }
        None => {}
    }
    run.run(Some(parse_date("2026-03-25").expect("date"))).expect("runs");
    run
}

fn outcomes(report: &Report) -> Vec<(String, &'static str, String)> {
    let flow = report.fund_flow.as_ref().expect("fund flow");
    flow.exceptions.iter().map(|e| (e.id.clone(), e.outcome.code(), e.d.to_string())).collect()
}

#[test]
fn fixture_day_matches_weekends_splits_and_payouts_with_explanations() {
    let run = day_one(Some("ledger"));
    let report = run.report().expect("report");
    let flow = report.fund_flow.as_ref().expect("fund flow");
    let explanations: Vec<&str> = flow.matches.iter().map(|m| m.explanation.as_str()).collect();
    assert_eq!(
        explanations,
        [
            // Friday to Sunday settle together on Monday (T+1 business days); Monday's batch came
            // on Tuesday with it: two days in one credit.
            "credit 2026-03-24 ¥2,435.30 = settlements of 03-23 + 03-24 for merchant 1230000109",
            "credit 2026-03-23 ¥298.20 = settlement of 03-23 for merchant 1230000110",
            "settlement of 2026-03-24 ¥596.40 for merchant 1230000110 = credits of 03-24 ¥400.00 + 03-24 ¥196.40 (split transfer)",
            "debit 03-24 ¥5,000.00 = payout P20260324001 of 2026-03-24 ¥5,000.00 to merchant 1230000109",
        ]
    );
    // The weekend batch: gross 1700.00 − refunds 50.00 − fees 9.90 (the refund's fee is returned).
    let weekend = &flow.matches[0].batches[0];
    assert_eq!(
        (weekend.gross.to_string(), weekend.refunds.to_string(), weekend.fees.to_string(), weekend.net.to_string()),
        ("1700.00".into(), "50.00".into(), "9.90".into(), "1640.10".into())
    );
    assert_eq!(
        outcomes(report),
        [
            ("batch:2088101122334455:2026-03-24".to_string(), "in_transit", "-994.00".to_string()),
            ("payout:payouts.csv:3".to_string(), "in_transit", "300.00".to_string()),
            ("bank:statement_corporate.csv:9".to_string(), "unexplained_movement", "88.00".to_string()),
            ("bank:statement_corporate.csv:10".to_string(), "unexplained_movement", "-12.50".to_string()),
        ]
    );
    assert_eq!(flow.unexplained_movements[0].memo, "转账", "the memo is shown");
    assert_eq!(flow.counts.matched, 10);
    assert_eq!(flow.counts.balance_break, 0);
    let balance = report.balance.as_ref().expect("balance");
    assert!(balance.running_breaks.is_empty());
    let s = balance.statement.as_ref().expect("余额调节表");
    let got = [
        &s.book_balance,
        &s.bank_balance,
        &s.bank_received_not_booked,
        &s.bank_paid_not_booked,
        &s.booked_received_not_at_bank,
        &s.booked_paid_not_at_bank,
        &s.adjusted_book,
        &s.adjusted_bank,
        &s.difference,
    ]
    .map(|d| d.to_string());
    assert_eq!(got, ["9023.90", "8405.40", "88.00", "12.50", "994.00", "300.00", "9099.40", "9099.40", "0.00"]);
    assert_eq!((s.outcome, s.book_source.as_str()), ("matched", "ledger.csv"));
    // The statement's title rows and footer are reported, not lost.
    let codes: Vec<(&str, Option<u32>)> =
        report.issues.iter().filter(|i| i.side == Side::Bank).map(|i| (i.code, i.line)).collect();
    assert_eq!(
        codes,
        [
            ("title_row_skipped", Some(1)),
            ("title_row_skipped", Some(2)),
            ("total_row_skipped", Some(11)),
            ("total_row_skipped", Some(12))
        ]
    );
}

#[test]
fn a_wrong_book_balance_is_a_balance_break_with_d_and_label() {
    let run = day_one(Some("9000.00"));
    let report = run.report().expect("report");
    let s = report.balance.as_ref().and_then(|b| b.statement.as_ref()).expect("余额调节表");
    assert_eq!((s.outcome, s.difference.to_string(), s.label), ("balance_break", "23.90".to_string(), Some("长款")));
    assert_eq!(report.fund_flow.as_ref().map(|f| f.counts.balance_break), Some(1));
}

#[test]
fn gbk_newest_first_statement_continues_the_corporate_one_and_clears_the_alipay_batch() {
    let mut run = day_one(None);
    run.add_fund_file(Side::Bank, "statement_gbk.csv", fixture("bank/statement_gbk_newest_first.csv")).expect("gbk");
    run.run(Some(parse_date("2026-03-26").expect("date"))).expect("runs");
    let report = run.report().expect("report");
    let balance = report.balance.as_ref().expect("balance");
    assert!(balance.running_breaks.is_empty(), "{:?}", balance.running_breaks);
    assert!(balance.continuity_breaks.is_empty(), "{:?}", balance.continuity_breaks);
    assert_eq!(balance.statements[1].opening.map(|d| d.to_string()).as_deref(), Some("8405.40"));
    let flow = report.fund_flow.as_ref().expect("fund flow");
    let alipay = flow.matches.iter().find(|m| m.merchant == "2088101122334455").expect("matched by PID");
    assert_eq!(alipay.explanation, "credit 2026-03-26 ¥994.00 = settlement of 03-24 for merchant 2088101122334455");
    assert!(balance.statement.is_none(), "no book balance was given");
}

#[test]
fn every_open_item_of_day_one_ends_day_two_matched_open_or_broken() {
    let day1 = day_one(Some("ledger"));
    let state = day1.carry_out().expect("state");
    let carried: BTreeSet<String> = state.items.iter().map(|i| i.id.clone()).collect();
    assert_eq!(carried.len(), 4, "{carried:?}");
    let bytes = state.to_json();

    // Day two: only the GBK statement and yesterday's state; no bill, no orders.
    let mut run = Reconciliation::new(profile());
    run.set_carry_in("state.json", &bytes).expect("state reads");
    run.add_fund_file(Side::Bank, "statement_gbk.csv", fixture("bank/statement_gbk_newest_first.csv")).expect("gbk");
    let report = run.run(Some(parse_date("2026-03-30").expect("date"))).expect("runs");
    let flow = report.fund_flow.as_ref().expect("fund flow");
    let mut seen = BTreeSet::new();
    for m in &flow.matches {
        seen.extend(m.batches.iter().map(|b| b.id.clone()));
        seen.extend(m.credits.iter().map(|c| c.id.clone()));
        seen.extend(m.payouts.iter().map(|p| p.id.clone()));
    }
    seen.extend(flow.exceptions.iter().map(|e| e.id.clone()));
    let missing: Vec<&String> = carried.difference(&seen).collect();
    assert!(missing.is_empty(), "carried items lost: {missing:?}");
    // The Alipay batch, in transit yesterday, is cleared by the credit two days late.
    let alipay = flow.matches.iter().find(|m| m.merchant == "2088101122334455").expect("cleared");
    assert!(alipay.explanation.ends_with("carried from 2026-03-25"), "{}", alipay.explanation);
    // The payout is now past its grace period: a break, with its age.
    let payout = flow.exceptions.iter().find(|e| e.id == "payout:payouts.csv:3").expect("payout");
    assert_eq!((payout.outcome, payout.age_days), (FundOutcome::InternalOnly, Some(5)));
    let unexplained = flow.exceptions.iter().find(|e| e.id == "bank:statement_corporate.csv:9").expect("credit");
    assert_eq!(unexplained.outcome, FundOutcome::UnexplainedMovement);
    // And it goes on: what is still open is carried again, with its first-seen date kept.
    let again = run.carry_out().expect("state");
    let item = again.items.iter().find(|i| i.id == "payout:payouts.csv:3").expect("still open");
    assert_eq!(item.since.to_string(), "2026-03-25");
}

#[test]
fn reports_without_bank_input_have_no_fund_flow_section() {
    let mut run = Reconciliation::new(Profile::default());
    run.add_file(Side::Internal, "orders.csv", fixture("sample/orders.csv")).expect("orders");
    run.add_file(Side::Channel, "channel.csv", fixture("sample/channel.csv")).expect("bill");
    let json = run.run(None).expect("runs").to_json();
    assert!(!json.contains("fund_flow") && !json.contains("\"balance\""));
}

#[test]
fn unusable_fund_inputs_are_coded_errors() {
    let mut run = Reconciliation::new(Profile::default());
    let err = run.add_fund_file(Side::Bank, "x.csv", b"a,b\n1,2\n".to_vec()).unwrap_err();
    assert_eq!((err.code(), err.file()), ("no_known_columns", Some("x.csv")));
    let err = run.set_carry_in("state.json", b"{\"items\": 3}").unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
    let err = run.add_file(Side::Bank, "s.csv", fixture("bank/statement_corporate.csv")).unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
    let err = run.run(None).unwrap_err();
    assert_eq!(err.code(), "invalid_argument", "no bank, no orders: nothing to reconcile");
}
