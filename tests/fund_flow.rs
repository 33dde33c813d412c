//! Fund flow and book against actual, end to end through the public API, on checked-in fixtures
//! (tests/fixtures/bank/): a corporate statement with title rows and a footer, a GBK statement
//! written newest first, payout instructions, a merchant sub-ledger, the carry state between days.
#![cfg(not(target_arch = "wasm32"))]

use duizhang::{parse_date, FundOutcome, Input, InputKind, Profile, Reconciliation, Report};
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
    run.add(Input::new(InputKind::Channel, "channel.csv", fixture("bank/channel.csv"))).expect("channel");
    for (side, path) in [(InputKind::Bank, "bank/statement_corporate.csv"), (InputKind::Payouts, "bank/payouts.csv")] {
        run.add(Input::new(side, name(path), fixture(path))).expect("reads");
    }
    match book {
        Some("ledger") => {
            drop(run.add(Input::new(InputKind::SubLedger, "ledger.csv", fixture("bank/ledger.csv"))).expect("ledger"))
        }
        Some(amount) => run.set_book_balance(Some(duizhang::parse_amount(amount).expect("amount"))).expect("in range"),
        None => {}
    }
    run.run(Some(parse_date("2026-03-25").expect("date"))).expect("runs");
    run
}

fn outcomes(report: &Report) -> Vec<(String, &'static str, String)> {
    let flow = report.fund_flow.as_ref().expect("fund flow");
    flow.exceptions.iter().map(|e| (shape_of(&e.id), e.outcome.code(), e.d.to_string())).collect()
}

/// An id's shape: batch ids in full, content ids as `kind:<16 hex>` (their value is tested apart).
fn shape_of(id: &str) -> String {
    match id.split_once(':') {
        Some((kind @ ("bank" | "payout"), hex)) => {
            assert!(hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
            format!("{kind}:<hash>")
        }
        _ => id.to_string(),
    }
}

/// The id of the open fund-flow item of this outcome and d.
fn id_of(report: &Report, outcome: &str, d: &str) -> String {
    let flow = report.fund_flow.as_ref().expect("fund flow");
    let item = flow.exceptions.iter().find(|e| e.outcome.code() == outcome && e.d.to_string() == d);
    item.expect("the item").id.clone()
}

/// Without a date, a run with fund-flow input is dated by the last day its inputs cover: the
/// statements' last movement, else (payouts, no statement) the latest settlement date. Dated by its
/// busiest order day instead, a month of bills would make every later credit `external_only`.
#[test]
fn a_run_with_fund_flow_input_and_no_date_is_dated_by_the_last_day_its_inputs_cover() {
    let inputs = |with_statement: bool| {
        let mut run = Reconciliation::new(profile());
        run.add(Input::new(InputKind::Channel, "channel.csv", fixture("bank/channel.csv"))).expect("channel");
        if with_statement {
            let statement = fixture("bank/statement_corporate.csv");
            run.add(Input::new(InputKind::Bank, "statement_corporate.csv", statement)).expect("bank");
        } else {
            // Without a statement, transaction matching needs the books.
            run.add(Input::new(InputKind::Internal, "orders.csv", fixture("sample/orders.csv"))).expect("orders");
        }
        run.add(Input::new(InputKind::Payouts, "payouts.csv", fixture("bank/payouts.csv"))).expect("payouts");
        run
    };
    let mut undated = inputs(true);
    let report = undated.run(None).expect("runs");
    assert_eq!(report.date_source.code(), "statement_end");
    let date = report.date.clone().expect("a date");
    assert_eq!(date, "2026-03-25", "the statement's last movement");
    assert!(outcomes(report).iter().all(|(_, outcome, _)| *outcome != "external_only"), "{:?}", outcomes(report));
    let json = report.to_json();
    // The same report as the run given that date, but for how the date was chosen.
    let mut dated = inputs(true);
    let given = dated.run(Some(parse_date(&date).expect("a date"))).expect("runs");
    assert_eq!(given.date_source.code(), "input");
    assert_eq!(json.replace("\"statement_end\"", "\"input\""), given.to_json());
    // Payouts and bills without a statement: the latest settlement date of the bills (T+1 here).
    let mut no_statement = inputs(false);
    let report = no_statement.run(None).expect("runs");
    assert_eq!(report.date_source.code(), "settlement_end");
    let last_trade = parse_date("2026-03-23").expect("the bill's last trade day");
    assert_eq!(report.date, Some(profile().fund_flow.settlement_date(last_trade).to_string()));
    assert_eq!(report.date.as_deref(), Some("2026-03-24"), "T+1 on business days");
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
            ("payout:<hash>".to_string(), "in_transit", "300.00".to_string()),
            ("bank:<hash>".to_string(), "unexplained_movement", "88.00".to_string()),
            ("bank:<hash>".to_string(), "unexplained_movement", "-12.50".to_string()),
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
    assert_eq!((s.outcome.code(), s.book_source.as_str()), ("matched", "ledger.csv"));
    // The statement's title rows and footer are reported, not lost.
    let codes: Vec<(&str, Option<u32>)> =
        report.issues.iter().filter(|i| i.input == InputKind::Bank).map(|i| (i.code.code(), i.line)).collect();
    assert_eq!(
        codes,
        [
            ("title_row_skipped", Some(1)),
            ("title_row_skipped", Some(2)),
            ("total_row_skipped", Some(11)),
            ("total_row_skipped", Some(12))
        ]
    );
    // Its 合计 row and its running balance agree with its movements.
    let checks: Vec<(&str, &str, &str, bool)> = balance.statements[0]
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.expected.as_str(), c.found.as_str(), c.passed))
        .collect();
    assert_eq!(
        checks,
        [
            ("合计 借方", "5,012.50", "5012.50", true),
            ("合计 贷方", "3,417.90", "3417.90", true),
            ("余额 (opening + movements = closing)", "8405.40", "8405.40", true)
        ]
    );
}

#[test]
fn a_statement_whose_total_row_disagrees_gives_a_failed_check_and_keeps_every_row() {
    let wrong = fixture("malformed/statement_footer_disagrees.csv");
    // The same statement with the 合计 row its movements add up to.
    let text = String::from_utf8(wrong.clone()).expect("utf-8");
    let right = text.replace("\"2,453.30\"", "\"2,435.30\"").into_bytes();
    assert_ne!(right, wrong);
    let read = |bytes: Vec<u8>| {
        let mut run = Reconciliation::new(profile());
        let info = run
            .add(Input::new(InputKind::Bank, "s.csv", bytes.clone()))
            .expect("reads")
            .funds()
            .first()
            .cloned()
            .expect("a statement");
        let report = run.run(Some(parse_date("2026-03-25").expect("date"))).expect("runs").clone();
        let inspected = duizhang::inspect("s.csv", bytes, &Profile::default()).expect("inspects").remove(0);
        (info, report, inspected)
    };
    let (info, report, inspected) = read(wrong);
    let failed: Vec<(&str, &str, &str)> = info
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| (c.name.as_str(), c.expected.as_str(), c.found.as_str()))
        .collect();
    assert_eq!(failed, [("合计 贷方", "2,453.30", "2435.30")]);
    assert_eq!(info.checks.len(), 3, "the debit total and the running balance are checked too, and pass");
    let balance = report.balance.as_ref().expect("balance");
    assert_eq!(balance.statements[0].checks, info.checks, "the report carries the checks");
    assert_eq!(inspected.checks, info.checks, "inspect shows them");
    let mismatches: Vec<(Option<u32>, &str)> = report
        .issues
        .iter()
        .filter(|i| i.code.code() == "summary_mismatch")
        .map(|i| (i.line, i.message.as_str()))
        .collect();
    assert_eq!(mismatches, [(None, "合计 贷方: the file says 2,453.30, its detail adds up to 2435.30")]);
    // Nothing is lost: the same rows as the statement whose total agrees.
    let (good_info, good_report, good_inspected) = read(right);
    assert!(good_info.checks.iter().all(|c| c.passed) && good_info.checks.len() == 3);
    assert!(good_report.issues.iter().all(|i| i.code.code() != "summary_mismatch"));
    assert_eq!((info.rows, inspected.rows, inspected.skipped), (3, 3, 2));
    assert_eq!((good_info.rows, good_inspected.rows, good_inspected.skipped), (3, 3, 2));
    assert_eq!(
        report.fund_flow.as_ref().map(|f| f.counts.clone()),
        good_report.fund_flow.as_ref().map(|f| f.counts.clone())
    );
}

#[test]
fn fund_flow_csv_has_a_row_per_match_and_per_open_item() {
    let run = day_one(None);
    let csv = run.report().and_then(|r| r.fund_flow.as_ref()).expect("fund flow").csv();
    let text = String::from_utf8(csv).expect("utf-8");
    assert!(text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1 + 4 + 4, "header, 4 matches, 4 open items");
    assert!(
        lines[1].starts_with("match,matched,对平,settlement,1230000109,2026-03-24,2435.30,0.00,,,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[8].starts_with("open,unexplained_movement,无法识别款项,debit,,2026-03-25,-12.50,-12.50,短款,0,"),
        "{}",
        lines[8]
    );
}

#[test]
fn a_wrong_book_balance_is_a_balance_break_with_d_and_label() {
    let run = day_one(Some("9000.00"));
    let report = run.report().expect("report");
    let s = report.balance.as_ref().and_then(|b| b.statement.as_ref()).expect("余额调节表");
    assert_eq!(
        (s.outcome.code(), s.difference.to_string(), s.label.map(|l| l.code())),
        ("balance_break", "23.90".to_string(), Some("长款"))
    );
    assert_eq!(report.fund_flow.as_ref().map(|f| f.counts.balance_break), Some(1));
}

#[test]
fn gbk_newest_first_statement_continues_the_corporate_one_and_clears_the_alipay_batch() {
    let mut run = day_one(None);
    run.add(Input::new(InputKind::Bank, "statement_gbk.csv", fixture("bank/statement_gbk_newest_first.csv")))
        .expect("gbk");
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
    let (payout_id, credit_id) = {
        let report = day1.report().expect("report");
        (id_of(report, "in_transit", "300.00"), id_of(report, "unexplained_movement", "88.00"))
    };
    let state = day1.carry_out().expect("state");
    let carried: BTreeSet<String> = state.items.iter().map(|i| i.id.clone()).collect();
    assert_eq!(carried.len(), 4, "{carried:?}");
    let bytes = state.to_json();
    // The drop zone knows a state file when it sees one.
    assert_eq!(duizhang::detect_input(&bytes).kind(), Some(InputKind::Carry));

    // Day two: only the GBK statement and yesterday's state; no bill, no orders.
    let mut run = Reconciliation::new(profile());
    run.add(Input::new(InputKind::Carry, "state.json", bytes.to_vec())).expect("state reads");
    run.add(Input::new(InputKind::Bank, "statement_gbk.csv", fixture("bank/statement_gbk_newest_first.csv")))
        .expect("gbk");
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
    let payout = flow.exceptions.iter().find(|e| e.id == payout_id).expect("payout keeps its id");
    assert_eq!((payout.outcome, payout.age_days), (FundOutcome::InternalOnly, Some(5)));
    let unexplained = flow.exceptions.iter().find(|e| e.id == credit_id).expect("credit keeps its id");
    assert_eq!(unexplained.outcome, FundOutcome::UnexplainedMovement);
    // And it goes on: what is still open is carried again, with its first-seen date kept.
    let again = run.carry_out().expect("state");
    let item = again.items.iter().find(|i| i.id == payout_id).expect("still open");
    assert_eq!(item.since.to_string(), "2026-03-25");
}

#[test]
fn reports_without_bank_input_have_no_fund_flow_section() {
    let mut run = Reconciliation::new(Profile::default());
    run.add(Input::new(InputKind::Internal, "orders.csv", fixture("sample/orders.csv"))).expect("orders");
    run.add(Input::new(InputKind::Channel, "channel.csv", fixture("sample/channel.csv"))).expect("bill");
    let json = run.run(None).expect("runs").to_json();
    assert!(!json.contains("fund_flow") && !json.contains("\"balance\""));
}

#[test]
fn unusable_fund_inputs_are_coded_errors() {
    let mut run = Reconciliation::new(Profile::default());
    let err = run.add(Input::new(InputKind::Bank, "x.csv", b"a,b\n1,2\n".to_vec())).unwrap_err();
    assert_eq!((err.code().code(), err.file()), ("no_known_columns", Some("x.csv")));
    let err = run.add(Input::new(InputKind::Carry, "state.json", b"{\"items\": 3}".to_vec())).unwrap_err();
    assert_eq!(err.code().code(), "invalid_argument");
    let err = run.run(None).unwrap_err();
    assert_eq!(err.code().code(), "invalid_argument", "no bank, no orders: nothing to reconcile");
}

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_duizhang"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the CLI runs")
}

#[test]
fn cli_runs_fund_flow_without_orders_and_carries_state_to_the_next_day() {
    let dir = std::env::temp_dir().join(format!("duizhang-fund-flow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let state = dir.join("state.json");
    let state = state.to_str().expect("utf-8 path");
    let day1 = cli(&[
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
        "--date",
        "2026-03-25",
        "--carry-out",
        state,
    ]);
    assert_eq!(day1.status.code(), Some(0), "{}", String::from_utf8_lossy(&day1.stderr));
    let json: serde_json::Value = serde_json::from_slice(&day1.stdout).expect("JSON");
    assert_eq!(json["fund_flow"]["counts"]["matched"], 10);
    assert_eq!(json["balance"]["statement"]["difference"], "0.00");
    assert_eq!(json["fund_flow"]["matches"][0]["credit"]["line"], 5);

    let day2 = cli(&[
        "reconcile",
        "--bank",
        "tests/fixtures/bank/statement_gbk_newest_first.csv",
        "--book-balance",
        "9,000.00",
        "--profile",
        "tests/fixtures/bank/profile.json",
        "--carry-in",
        state,
        "--date",
        "2026-03-26",
    ]);
    assert_eq!(day2.status.code(), Some(0), "{}", String::from_utf8_lossy(&day2.stderr));
    let json: serde_json::Value = serde_json::from_slice(&day2.stdout).expect("JSON");
    let explanation = json["fund_flow"]["matches"][0]["explanation"].as_str().unwrap_or_default();
    assert!(explanation.starts_with("credit 2026-03-26 ¥994.00 = settlement of 03-24"), "{explanation}");
    assert_eq!(json["balance"]["statement"]["book_balance"], "9000.00");
    let _ = std::fs::remove_dir_all(&dir);

    let bad = cli(&["reconcile", "--bank", "tests/fixtures/malformed/empty.csv"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).starts_with("duizhang: empty_file: empty.csv:"));
    let usage = cli(&["reconcile", "--payouts", "tests/fixtures/bank/payouts.csv"]);
    assert_eq!(usage.status.code(), Some(2), "payouts alone need --bank");
}

#[test]
fn any_bytes_as_any_fund_input_give_issues_or_a_coded_error_never_a_panic() {
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed");
    for entry in std::fs::read_dir(dir).expect("malformed fixtures") {
        inputs.push(std::fs::read(entry.expect("entry").path()).expect("reads"));
    }
    for path in ["bank/statement_corporate.csv", "bank/statement_gbk_newest_first.csv", "bank/payouts.csv"] {
        let bytes = fixture(path);
        // Every prefix: a statement cut anywhere, mid-character included.
        inputs.extend((0..bytes.len()).step_by(3).map(|cut| bytes[..cut].to_vec()));
    }
    // Digits, separators and the bytes of header words: random text that sometimes looks like a statement.
    let alphabet = "0123456789,.-\"\n\t 交易日期贷方金额余额".as_bytes();
    let mut x: u64 = 0x1234_5678;
    for n in 0..64 {
        let len = 1 + n * 7;
        inputs.push(
            (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect(),
        );
    }
    for bytes in inputs {
        let mut run = Reconciliation::new(profile());
        for side in [InputKind::Bank, InputKind::Payouts, InputKind::SubLedger] {
            let _ = run.add(Input::new(side, "x.csv", bytes.clone()));
        }
        let _ = run.add(Input::new(InputKind::Carry, "state.json", bytes.to_vec()));
        if let Ok(report) = run.run(Some(parse_date("2026-03-25").expect("date"))) {
            let _ = report.to_json();
        }
    }
}

#[test]
fn a_daily_export_with_yesterdays_file_name_keeps_ids_apart() {
    let state = day_one(None).carry_out().expect("state").to_json();
    let mut run = Reconciliation::new(profile());
    run.add(Input::new(InputKind::Carry, "state.json", state.to_vec())).expect("state");
    // Today's export has the same name as yesterday's, and so the same line numbers, but other
    // transactions: here yesterday's lines a day later.
    let today =
        String::from_utf8(fixture("bank/statement_corporate.csv")).expect("utf-8").replace("2026-03-25", "2026-03-26");
    run.add(Input::new(InputKind::Bank, "statement_corporate.csv", today.into_bytes())).expect("reads");
    run.run(Some(parse_date("2026-03-26").expect("date"))).expect("runs");
    let flow = run.fund_flow().expect("fund flow");
    let ids: BTreeSet<&str> = flow.input.movements.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), flow.input.movements.len(), "{ids:?}");
    // Ids come from content, not file and line: yesterday's open lines and today's lines a day
    // later are different items, each with its own id and none renamed.
    assert!(ids.iter().all(|id| !id.contains('#')), "{ids:?}");
}

#[test]
fn carried_items_read_again_are_one_item_not_two() {
    // Yesterday's open items, then yesterday's files again two days later (a bill and a statement
    // that cover yesterday too): each item once, with its first-seen date, and the same outcomes.
    let day1 = day_one(Some("9023.90"));
    let open_yesterday = day1.carry_out().expect("state").items.len();
    let mut run = Reconciliation::new(profile());
    run.add(Input::new(InputKind::Carry, "state.json", day1.carry_out().expect("state").to_json().to_vec()))
        .expect("state");
    run.add(Input::new(InputKind::Channel, "channel.csv", fixture("bank/channel.csv"))).expect("channel");
    for (side, path) in [(InputKind::Bank, "bank/statement_corporate.csv"), (InputKind::Payouts, "bank/payouts.csv")] {
        run.add(Input::new(side, name(path), fixture(path))).expect("reads");
    }
    run.run(Some(parse_date("2026-03-27").expect("date"))).expect("runs");
    let flow = run.fund_flow().expect("fund flow");
    let day1_flow = day1.fund_flow().expect("fund flow");
    assert_eq!(flow.input.batches.len(), day1_flow.input.batches.len());
    assert_eq!(flow.input.movements.len(), day1_flow.input.movements.len());
    assert_eq!(flow.input.payouts.len(), day1_flow.input.payouts.len());
    let carried = flow.input.movements.iter().filter(|m| m.carried_since.is_some()).count()
        + flow.input.batches.iter().filter(|b| b.carried_since.is_some()).count()
        + flow.input.payouts.iter().filter(|p| p.carried_since.is_some()).count();
    assert_eq!(carried, open_yesterday, "the open items keep their first-seen date");
    assert!(flow.input.movements.iter().all(|m| !m.id.contains('#')), "no renamed copies");
}

#[test]
fn a_state_file_not_older_than_the_run_is_refused() {
    let state = day_one(None).carry_out().expect("state").to_json();
    for date in ["2026-03-25", "2026-03-24"] {
        let mut run = Reconciliation::new(profile());
        run.add(Input::new(InputKind::Carry, "duizhang-state-2026-03-25.json", state.to_vec())).expect("state");
        run.add(Input::new(InputKind::Channel, "channel.csv", fixture("bank/channel.csv"))).expect("channel");
        run.add(Input::new(InputKind::Bank, "statement_corporate.csv", fixture("bank/statement_corporate.csv")))
            .expect("reads");
        let error = run.run(Some(parse_date(date).expect("date"))).expect_err("refused");
        assert_eq!((error.code().code(), error.file()), ("invalid_argument", Some("duizhang-state-2026-03-25.json")));
        assert!(error.to_string().contains("as of 2026-03-25"), "{error}");
    }
}

#[test]
fn statements_of_two_accounts_are_checked_apart_and_their_balances_added() {
    let other = "某某银行活期账户明细\n账号：6222999988887777\n交易日期,贷方发生额,借方发生额,余额,摘要\n\
                 2026-03-25,100.00,,600.00,利息\n";
    let mut run = day_one(Some("9523.90"));
    run.add(Input::new(InputKind::Bank, "other.csv", other.as_bytes().to_vec())).expect("reads");
    let report = run.run(Some(parse_date("2026-03-25").expect("date"))).expect("runs");
    let balance = report.balance.as_ref().expect("balance");
    assert!(balance.continuity_breaks.is_empty(), "{:?}", balance.continuity_breaks);
    let s = balance.statement.as_ref().expect("余额调节表");
    assert_eq!(s.bank_balance.to_string(), "9005.40", "8405.40 + 600.00");
    // The interest credit names no merchant: unexplained, and on the bank side of the statement.
    assert_eq!((s.bank_received_not_booked.to_string(), s.outcome.code()), ("188.00".to_string(), "matched"));
}

#[test]
fn without_payout_instructions_debits_are_not_reconciled_and_timing_is_no_break() {
    // A merchant who checks collections only: the bill and the statement, no payout file.
    let mut run = Reconciliation::new(profile());
    run.add(Input::new(InputKind::Channel, "channel.csv", fixture("bank/channel.csv"))).expect("channel");
    run.add(Input::new(InputKind::Bank, "statement_corporate.csv", fixture("bank/statement_corporate.csv")))
        .expect("statement");
    let report = run.run(Some(parse_date("2026-03-25").expect("date"))).expect("runs").clone();
    let flow = report.fund_flow.as_ref().expect("fund flow");
    let open: Vec<(&str, &str, Option<&str>)> =
        flow.exceptions.iter().map(|e| (e.kind.code(), e.outcome.code(), e.label.map(|l| l.code()))).collect();
    assert_eq!(
        open,
        [
            ("batch", "in_transit", None),
            ("credit", "unexplained_movement", Some("长款")),
            ("debit", "not_reconciled", None),
            ("debit", "not_reconciled", None)
        ],
        "the one unexplained credit is the only break; the debits are listed, not red"
    );
    assert_eq!((flow.counts.not_reconciled, flow.counts.unexplained_movement), (2, 1));
    let t = &flow.totals;
    assert_eq!(
        [&t.long_total, &t.short_total, &t.timing_total, &t.not_reconciled_total].map(|d| d.to_string()),
        ["88.00", "0.00", "-994.00", "-5012.50"]
    );
    // They still count in the balances, and are not carried to tomorrow.
    let balance = report.balance.as_ref().expect("balance");
    assert_eq!(balance.statements[0].debits.to_string(), "5012.50");
    let carried: Vec<&str> = run.carry_out().expect("state").items.iter().map(|i| i.outcome.code()).collect();
    assert_eq!(carried, ["unexplained_movement", "in_transit"], "by date: the credit of 03-25, the batch due 03-26");
}

#[test]
fn a_zipped_statement_and_gzipped_payouts_reconcile_like_the_bare_files() {
    let bare = day_one(None);
    let mut packed = Reconciliation::new(profile());
    packed.add(Input::new(InputKind::Channel, "channel.csv", fixture("bank/channel.csv"))).expect("channel");
    let added = packed
        .add(Input::new(InputKind::Bank, "statement_corporate.zip", fixture("bank/statement_corporate.zip")))
        .expect("the zip opens");
    assert_eq!(added.funds().len(), 1);
    assert_eq!(added.funds()[0].name, "statement_corporate.zip/statement_corporate.csv");
    packed.add(Input::new(InputKind::Payouts, "payouts.csv.gz", fixture("bank/payouts.csv.gz"))).expect("gz opens");
    assert_eq!(packed.fund_inputs().len(), 2);
    packed.run(Some(parse_date("2026-03-25").expect("date"))).expect("runs");
    let (bare, packed) = (bare.report().expect("report"), packed.report().expect("report"));
    // The same items with the same content ids: only the file names they show differ.
    let items = |r: &Report| {
        let flow = r.fund_flow.as_ref().expect("fund flow");
        let open: Vec<_> = flow.exceptions.iter().map(|e| (e.id.clone(), e.outcome, e.d.to_string())).collect();
        (flow.matches.len(), open)
    };
    assert_eq!(items(packed), items(bare));
    let totals = |r: &Report| {
        let statements = &r.balance.as_ref().expect("balances").statements;
        statements.iter().map(|s| (s.opening, s.credits, s.debits, s.closing)).collect::<Vec<_>>()
    };
    assert_eq!(totals(packed), totals(bare));
}

#[test]
fn an_archive_with_one_unusable_file_notes_it_and_reads_the_rest() {
    let mut run = Reconciliation::new(profile());
    let added = run
        .add(Input::new(InputKind::Bank, "statements_mixed.zip", fixture("bank/statements_mixed.zip")))
        .expect("the statement in it is read");
    let [info] = added.funds() else { panic!("one statement: {added:?}") };
    assert_eq!(info.name, "statements_mixed.zip/statement_corporate.csv");
    run.run(Some(parse_date("2026-03-25").expect("date"))).expect("runs");
    let report = run.report().expect("report");
    let skipped: Vec<_> = report.issues.iter().filter(|i| i.code.code() == "inner_file_skipped").collect();
    assert_eq!(skipped.len(), 1, "{:?}", report.issues);
    assert_eq!(skipped[0].file, "statements_mixed.zip");
    assert!(skipped[0].message.contains("说明.txt"), "{}", skipped[0].message);
    let mut run = Reconciliation::new(profile());
    let err = run
        .add(Input::new(InputKind::Bank, "payouts.csv.gz", fixture("bank/payouts.csv.gz")))
        .expect_err("an archive with no statement in it is an error");
    assert_eq!(err.code(), "no_known_columns", "{err}");
}

/// Downloads of one account that overlap, one of them newest first and one inside another: each
/// movement counts once, the balances run over the merged movements (no false continuity break),
/// and the bank balance is the one after the account's last movement, not the last file's.
#[test]
fn overlapping_downloads_of_one_account_are_one_statement() {
    let header = "交易日期,借方发生额,贷方发生额,余额,摘要\n";
    let files = [
        (
            "23-25.csv",
            "2026-03-23,,100.00,1100.00,利息\n2026-03-24,,200.00,1300.00,转入\n2026-03-25,50.00,,1250.00,转出\n",
        ),
        // Newest first, 24–26.
        (
            "24-26.csv",
            "2026-03-26,,10.00,1260.00,利息\n2026-03-25,50.00,,1250.00,转出\n2026-03-24,,200.00,1300.00,转入\n",
        ),
        // Inside the others: its closing balance is not the account's.
        ("24.csv", "2026-03-24,,200.00,1300.00,转入\n"),
    ];
    let mut run = Reconciliation::new(Profile::default());
    for (name, rows) in files {
        run.add(Input::new(InputKind::Bank, name, format!("{header}{rows}").into_bytes())).expect("reads");
    }
    run.set_book_balance(Some("1260.00".parse().expect("amount"))).expect("in range");
    let report = run.run(Some(parse_date("2026-03-26").expect("date"))).expect("runs").clone();
    let amounts: Vec<String> =
        run.fund_flow().expect("fund flow").input.movements.iter().map(|m| m.amount.to_string()).collect();
    assert_eq!(amounts, ["100.00", "200.00", "-50.00", "10.00"], "every movement once, in the order given");
    let balance = report.balance.as_ref().expect("balance");
    let repeated: Vec<(&str, u64)> = balance.statements.iter().map(|s| (s.file.as_str(), s.repeated)).collect();
    assert_eq!(repeated, [("23-25.csv", 0), ("24.csv", 1), ("24-26.csv", 2)], "oldest first");
    assert_eq!(balance.repeated_movements, 3);
    assert!(balance.continuity_breaks.is_empty(), "{:?}", balance.continuity_breaks);
    let statement = balance.statement.as_ref().expect("余额调节表");
    assert_eq!(statement.bank_balance.to_string(), "1260.00");
}

/// Where the next download does not go on from the balance the previous one reached, the break
/// is named once: between files that do not overlap, a continuity break; inside a file that
/// overlaps the previous one, that file's own running break.
#[test]
fn a_gap_between_downloads_is_named_once() {
    let header = "交易日期,借方发生额,贷方发生额,余额,摘要\n";
    let balance_of = |files: [(&str, &str); 2]| {
        let mut run = Reconciliation::new(Profile::default());
        for (name, rows) in files {
            run.add(Input::new(InputKind::Bank, name, format!("{header}{rows}").into_bytes())).expect("reads");
        }
        let report = run.run(Some(parse_date("2026-03-27").expect("date"))).expect("runs");
        let balance = report.balance.clone().expect("balance");
        let running: Vec<(String, u32, String)> =
            balance.running_breaks.iter().map(|b| (b.file.clone(), b.line, b.missing.to_string())).collect();
        let continuity: Vec<(String, String, String)> = balance
            .continuity_breaks
            .iter()
            .map(|c| (c.previous_file.clone(), c.file.clone(), c.missing.to_string()))
            .collect();
        (running, continuity)
    };
    // The 26th's credit of 10.00 is in neither file.
    let a = ("23-25.csv", "2026-03-23,,100.00,1100.00,利息\n2026-03-25,50.00,,1050.00,转出\n");
    let apart = balance_of([a, ("27.csv", "2026-03-27,,5.00,1065.00,利息\n")]);
    assert_eq!(apart, (vec![], vec![("23-25.csv".into(), "27.csv".into(), "10.00".into())]));
    let overlapping = balance_of([a, ("25-27.csv", "2026-03-25,50.00,,1050.00,转出\n2026-03-27,,5.00,1065.00,利息\n")]);
    assert_eq!(overlapping, (vec![("25-27.csv".into(), 3, "10.00".into())], vec![]));
}

/// A statement without times: the cut-off goes by the booking date. The next day's movement is
/// apart, and the bank balance is the one after the date's last movement.
#[test]
fn without_times_the_cut_off_goes_by_the_booking_date() {
    let statement = "交易日期,借方发生额,贷方发生额,余额,摘要\n\
                     2026-03-25,,100.00,1100.00,利息\n2026-03-25,40.00,,1060.00,转出\n2026-03-26,,7.00,1067.00,利息\n";
    let mut run = Reconciliation::new(Profile::from_json(r#"{"cutoff": "16:00"}"#).expect("profile"));
    run.add(Input::new(InputKind::Bank, "s.csv", statement.as_bytes().to_vec())).expect("reads");
    // The books have neither movement yet: both are on the bank side of the 余额调节表.
    run.set_book_balance(Some("1000.00".parse().expect("amount"))).expect("in range");
    let report = run.run(Some(parse_date("2026-03-25").expect("date"))).expect("runs");
    let balance = report.balance.as_ref().expect("balance");
    let [bank] = balance.bank_balances.as_slice() else { panic!("one account") };
    let at = (bank.balance.map(|b| b.to_string()), bank.line, bank.time.clone(), bank.later);
    assert_eq!(at, (Some("1060.00".to_string()), Some(3), None, 1));
    let later: Vec<(u32, String)> = balance.later_movements.iter().map(|m| (m.line, m.amount.to_string())).collect();
    assert_eq!(later, [(4, "7.00".to_string())]);
    let statement = balance.statement.as_ref().expect("余额调节表");
    assert_eq!(
        (statement.bank_balance.to_string(), statement.difference.to_string()),
        ("1060.00".into(), "0.00".into())
    );
}
