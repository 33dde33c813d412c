//! A platform's month (tests/fixtures/platform/, made by its make.py): WeChat service-provider
//! bills for three sub-merchants against the internal account's statement and the payouts, with
//! the contracted rates; and one day of Alipay ISV and UnionPay sub-merchant files. The clearing
//! expected here was worked out by make.py with Python's decimal module, not by this crate.
#![cfg(not(target_arch = "wasm32"))]

use duizhang::{parse_date, Input, InputKind, MatchKind, Profile, Reconciliation, Report};
use serde_json::Value;
use std::path::Path;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/platform").join(path))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn expected() -> Value {
    serde_json::from_slice(&fixture("expected.json")).expect("expected.json")
}

fn profile_json() -> String {
    String::from_utf8(fixture("profile.json")).expect("utf-8")
}

fn month(profile: Profile, bank: bool) -> Report {
    let mut run = Reconciliation::new(profile);
    run.add(Input::new(InputKind::Channel, "wechat_sp_202603.zip", fixture("wechat_sp_202603.zip"))).expect("bills");
    if bank {
        for (kind, name) in
            [(InputKind::Bank, "internal_account_202603_gbk.csv"), (InputKind::Payouts, "payouts_202603.csv")]
        {
            run.add(Input::new(kind, name, fixture(name))).expect("reads");
        }
    }
    run.run(Some(parse_date("2026-03-31").expect("date"))).expect("runs").clone()
}

fn platform_month() -> Report {
    month(Profile::from_json(&profile_json()).expect("profile"), true)
}

#[test]
fn every_sub_merchant_settlement_is_matched_to_its_credits() {
    let report = platform_month();
    let flow = report.fund_flow.as_ref().expect("fund flow");
    // Every batch is a sub-merchant's, under its service provider: none under the provider.
    let merchants: Vec<&str> = flow.merchants.iter().map(|m| m.merchant.as_str()).collect();
    assert_eq!(merchants, ["1612000001", "1612000002", "1612000003"]);
    for m in flow.matches.iter().filter(|m| m.kind == MatchKind::Settlement) {
        assert!(m.batches.iter().all(|b| b.service_provider.as_deref() == Some("1230000109")), "{}", m.explanation);
    }
    // No break: the three settlements due on 04-01 are in transit; every other one matched.
    assert_eq!(flow.counts.in_transit, 3);
    let in_transit: Vec<(&str, String)> =
        flow.exceptions.iter().map(|e| (e.merchant.as_str(), e.date.to_string())).collect();
    assert_eq!(
        in_transit,
        [("1612000001", "2026-04-01".into()), ("1612000002", "2026-04-01".into()), ("1612000003", "2026-04-01".into())]
    );
    let c = &flow.counts;
    let breaks = [
        c.matched_within_tolerance,
        c.internal_only,
        c.external_only,
        c.unexplained_movement,
        c.not_reconciled,
        c.balance_break,
    ];
    assert_eq!(breaks, [0; 6]);
    assert_eq!(flow.totals.long_total.to_string(), "0.00");
    assert_eq!(flow.totals.short_total.to_string(), "0.00");
    // The month's quirks, each explained.
    let explain = |needle: &str| {
        flow.matches.iter().find(|m| m.explanation.contains(needle)).map(|m| m.explanation.clone()).unwrap_or_default()
    };
    assert!(
        explain("settlements of 03-12 + 03-13 for merchant 1612000002").starts_with("credit 2026-03-13"),
        "one credit for two days"
    );
    assert!(
        explain("settlement of 2026-03-18").contains("for merchant 1612000001 = credits of 03-18"),
        "split transfer"
    );
    assert!(
        explain("settlement of 2026-03-25").contains("for merchant 1612000003 = credits of 03-25"),
        "short and 补款"
    );
    assert!(explain("03-26 ¥100.00").contains("1612000003"), "the make-up is part of the match");
    // Monday's settlement holds Friday to Sunday's trades (T+1 business days).
    let monday =
        flow.matches.iter().flat_map(|m| &m.batches).find(|b| b.id == "batch:1612000001:2026-03-09").expect("Monday");
    assert_eq!(
        (monday.trade_from.to_string(), monday.trade_to.to_string()),
        ("2026-03-06".into(), "2026-03-08".into())
    );
    // Payouts are matched to the statement's debits; the balances hold.
    let payouts = flow.matches.iter().filter(|m| m.kind == MatchKind::Payout).count();
    assert_eq!(payouts, 15, "five days of payouts to three merchants");
    let balance = report.balance.as_ref().expect("balance");
    assert!(balance.running_breaks.is_empty() && balance.continuity_breaks.is_empty());
    assert_eq!(balance.statements[0].closing.map(|c| c.to_string()).as_deref(), expected()["closing_balance"].as_str());
}

#[test]
fn clearing_per_merchant_and_day_is_the_independent_calculation_to_the_fen() {
    let report = platform_month();
    let clearing = report.clearing.as_ref().expect("clearing");
    let actual = serde_json::to_value(clearing).expect("json");
    let expected = expected();
    let fields = [
        "settle_date",
        "gross",
        "refunds",
        "fee_charged",
        "fee_expected",
        "commission",
        "net_payable",
        "credited",
        "paid_out",
        "outstanding",
        "transactions",
    ];
    let merchants = expected["merchants"].as_array().expect("merchants");
    assert_eq!(actual["merchants"].as_array().map(Vec::len), Some(merchants.len()));
    for (want, got) in merchants.iter().zip(actual["merchants"].as_array().expect("merchants")) {
        assert_eq!(got["merchant"], want["merchant"]);
        assert_eq!(got["service_provider"], want["service_provider"]);
        let (want_days, got_days) = (want["days"].as_array().expect("days"), got["days"].as_array().expect("days"));
        assert_eq!(got_days.len(), want_days.len(), "{}", want["merchant"]);
        for (w, g) in want_days.iter().zip(got_days) {
            for field in fields {
                assert_eq!(g[field], w[field], "{} {} {field}", want["merchant"], w["settle_date"]);
            }
        }
        // The merchant's line is the sum of its days.
        for field in ["gross", "net_payable", "credited", "paid_out", "outstanding"] {
            let sum: rust_decimal::Decimal = want_days
                .iter()
                .map(|d| d[field].as_str().expect("money").parse::<rust_decimal::Decimal>().expect("decimal"))
                .sum();
            assert_eq!(
                got[field].as_str().map(str::to_string),
                Some(format!("{sum:.2}")),
                "{} {field}",
                want["merchant"]
            );
        }
    }
    // Payouts paid the first week, one 10.00 short: 1612000002 is still owed it on the last day paid.
    let second = &clearing.merchants[1];
    let paid: Vec<String> = second.days.iter().take(5).map(|d| d.amounts.outstanding.to_string()).collect();
    assert_eq!(paid, ["0.00", "0.00", "0.00", "0.00", "10.00"]);
}

#[test]
fn the_day_the_channel_charged_the_wrong_rate_is_fee_mismatch_with_its_d() {
    let report = platform_month();
    let clearing = report.clearing.as_ref().expect("clearing");
    let expected = expected();
    let want = expected["fee_mismatches"].as_array().expect("mismatches");
    assert!(!want.is_empty());
    let fees: Vec<_> = clearing.exceptions.iter().filter(|e| e.class.code() == "fee_mismatch").collect();
    assert_eq!(fees.len(), want.len(), "every trade of that day, and nothing else");
    for (w, e) in want.iter().zip(fees) {
        assert_eq!(e.class.code(), "fee_mismatch");
        assert_eq!(e.level.code(), "transaction");
        assert_eq!(e.merchant, "1612000003");
        assert_eq!(Some(e.key.as_str()), w["key"].as_str());
        assert_eq!(Some(e.date.to_string().as_str()), w["date"].as_str());
        assert_eq!(e.settle_date.to_string(), "2026-03-19");
        assert_eq!(e.fee_charged.map(|f| f.to_string()).as_deref(), w["fee_charged"].as_str());
        assert_eq!(e.fee_expected.map(|f| f.to_string()).as_deref(), w["fee_expected"].as_str());
        assert_eq!(Some(e.d.to_string().as_str()), w["d"].as_str(), "d = expected − charged");
        assert!(e.d.is_negative(), "an overcharge is d < 0");
        assert_eq!(e.label.map(|l| l.code()), Some("短款"));
        assert_eq!(
            (e.rate.as_str(), e.bill_rate.as_deref()),
            ("0.38%", Some("0.60%")),
            "the bill's 费率 beside the contract"
        );
        assert!(e.file.ends_with("1230000109_20260318_ALL.csv") && e.line > 1, "{}:{}", e.file, e.line);
    }
    let merchant = clearing.merchants.iter().find(|m| m.merchant == "1612000003").expect("merchant");
    assert_eq!(merchant.exceptions as usize, want.len());
    let day = merchant.days.iter().find(|d| d.settle_date.to_string() == "2026-03-19").expect("that day");
    assert!(day.amounts.fee_charged > day.amounts.fee_expected);
    assert_eq!(day.exceptions as usize, want.len());
    // The paged view is the same list.
    assert_eq!(clearing.exceptions_page(1, 1).rows, clearing.exceptions[1..2]);
}

fn fee_mismatches(clearing: &duizhang::ClearingReport) -> Vec<&duizhang::ClearingException> {
    clearing.exceptions.iter().filter(|e| e.class.code() == "fee_mismatch").collect()
}

#[test]
fn rates_rounding_and_tolerance_change_what_is_a_mismatch() {
    // Per-transaction fen: WeChat's five-decimal fees no longer agree transaction by transaction.
    let fen = profile_json().replace("\"exact\"", "\"per_transaction_fen\"");
    let report = month(Profile::from_json(&fen).expect("profile"), true);
    let clearing = report.clearing.as_ref().expect("clearing");
    assert!(fee_mismatches(clearing).len() > expected()["fee_mismatches"].as_array().map_or(0, Vec::len));
    // A tolerance above the largest difference: no mismatch at all.
    let tolerant = profile_json().replace("\"fee_tolerance\": \"0.00\"", "\"fee_tolerance\": \"5.00\"");
    let report = month(Profile::from_json(&tolerant).expect("profile"), true);
    assert!(fee_mismatches(report.clearing.as_ref().expect("clearing")).is_empty());
    // Contracted at what the channel charged on the wrong day as well: the day's trades agree, but
    // the others of 1612000003 are now undercharged (d > 0, 长款).
    let flat = profile_json()
        .replace(",\n      {\n        \"merchant\": \"1612000003\",\n        \"rate\": \"0.38%\"\n      }", "");
    assert_ne!(flat, profile_json(), "the profile's layout changed: update this replace");
    let report = month(Profile::from_json(&flat).expect("profile"), true);
    let exceptions = fee_mismatches(report.clearing.as_ref().expect("clearing"));
    assert!(!exceptions.is_empty() && exceptions.iter().all(|e| e.merchant == "1612000003" && !e.d.is_negative()));
    assert!(exceptions.iter().all(|e| e.date.to_string() != "2026-03-18"));
}

#[test]
fn clearing_without_rates_or_without_a_bank() {
    // A bank and no clearing section: the clearing lines are there, no fee is checked (what the
    // payouts paid still is: the net payable is then what the channel settled).
    let report = month(
        Profile::from_json(r#"{"fund_flow": {"settlement": "T+1", "business_days": true}}"#).expect("profile"),
        true,
    );
    let clearing = report.clearing.as_ref().expect("clearing with a bank");
    assert!(fee_mismatches(clearing).is_empty());
    for m in &clearing.merchants {
        assert_eq!(m.unrated, m.transactions);
        assert_eq!(m.amounts.fee_expected, m.amounts.fee_charged);
        assert_eq!(m.amounts.commission.to_string(), "0.00");
    }
    // The clearing section and no bank: nothing credited or paid out; the same mismatches.
    let report = month(Profile::from_json(&profile_json()).expect("profile"), false);
    assert!(report.fund_flow.is_none());
    let clearing = report.clearing.as_ref().expect("clearing from the profile");
    assert_eq!(clearing.totals.credited.to_string(), "0.00");
    assert_eq!(clearing.totals.paid_out.to_string(), "0.00");
    assert_eq!(clearing.exceptions.len(), expected()["fee_mismatches"].as_array().map_or(0, Vec::len), "no payouts");
    // Neither: bills alone are no run, and a run of orders against bills has no clearing section.
    let mut run = Reconciliation::new(Profile::default());
    run.add(Input::new(InputKind::Channel, "wechat_sp_202603.zip", fixture("wechat_sp_202603.zip"))).expect("bills");
    assert_eq!(run.run(None).map(|_| ()).unwrap_err().code(), "invalid_argument");
    let orders = "商户订单号,金额,状态,创建时间\nP2026030100004,19.90,SUCCESS,2026-03-01 09:46:00\n";
    run.add(Input::new(InputKind::Internal, "orders.csv", orders.as_bytes().to_vec())).expect("orders");
    let report = run.run(Some(parse_date("2026-03-01").expect("date"))).expect("runs");
    assert!(report.clearing.is_none());
    assert!(!serde_json::to_string(report).expect("json").contains("\"clearing\""));
}

#[test]
fn alipay_isv_and_unionpay_sub_merchants_settle_under_their_own_numbers() {
    let mut run = Reconciliation::new(Profile::default());
    for name in ["alipay_isv_29_columns_gbk.csv", "INN26032488ZM_777290058110048"] {
        run.add(Input::new(InputKind::Channel, name, fixture(name))).expect("bill");
    }
    run.add(Input::new(InputKind::Bank, "statement_alipay_unionpay.csv", fixture("statement_alipay_unionpay.csv")))
        .expect("statement");
    let report = run.run(Some(parse_date("2026-03-25").expect("date"))).expect("runs");
    let flow = report.fund_flow.as_ref().expect("fund flow");
    assert_eq!(flow.counts.matched, 8, "four settlements, four credits");
    assert!(flow.exceptions.is_empty());
    let expected = expected();
    let clearing = report.clearing.as_ref().expect("clearing");
    let lines: Vec<(String, Option<String>, String)> = clearing
        .merchants
        .iter()
        .map(|m| (m.merchant.clone(), m.service_provider.clone(), m.amounts.credited.to_string()))
        .collect();
    let net = |layout: &str, m: &str| expected[layout][m].as_str().expect("net").to_string();
    assert_eq!(
        lines,
        [
            // 商户识别号 is the sub-merchant; the `#账号` the detail was downloaded from, the ISV.
            ("2088701000000011".into(), Some("20886012345678900156".into()), net("alipay_net", "2088701000000011")),
            ("2088701000000022".into(), Some("20886012345678900156".into()), net("alipay_net", "2088701000000022")),
            // 二级商户代码 is the sub-merchant, 商户代码 the service provider.
            ("777290058110101".into(), Some("777290058110048".into()), net("unionpay_net", "777290058110101")),
            ("777290058110202".into(), Some("777290058110048".into()), net("unionpay_net", "777290058110202")),
        ]
    );
}

#[test]
fn the_settlement_statement_csv_has_a_line_per_merchant_and_date() {
    let report = platform_month();
    let clearing = report.clearing.as_ref().expect("clearing");
    let csv = clearing.csv(None);
    assert!(csv.starts_with("\u{feff}merchant,service_provider,settle_date".as_bytes()));
    let mut reader = csv::ReaderBuilder::new().from_reader(&csv[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("csv");
    let days: usize = clearing.merchants.iter().map(|m| m.days.len()).sum();
    assert_eq!(rows.len(), days + clearing.merchants.len(), "a line per day and a 合计 per merchant");
    let total = rows.iter().find(|r| &r[0] == "1612000003" && &r[2] == "合计").expect("合计");
    let merchant = &clearing.merchants[2];
    assert_eq!(&total[11], merchant.amounts.net_payable.to_string());
    assert_eq!(&total[15], merchant.exceptions.to_string());
    // One merchant's detail.
    let one = clearing.csv(Some("1612000001"));
    let mut reader = csv::ReaderBuilder::new().from_reader(&one[3..]);
    assert!(reader.records().all(|r| r.map(|r| &r[0] == "1612000001").unwrap_or(false)));
}

/// The service provider goes wherever a sub-merchant's settlement goes: on each match, on each
/// open settlement, on each clearing exception, and with a settlement carried to the next day.
#[test]
fn the_service_provider_is_on_every_match_open_item_clearing_exception_and_carried_batch() {
    const PROVIDER: Option<&str> = Some("1230000109");
    let profile = || Profile::from_json(&profile_json()).expect("profile");
    let mut run = Reconciliation::new(profile());
    run.add(Input::new(InputKind::Channel, "wechat_sp_202603.zip", fixture("wechat_sp_202603.zip"))).expect("bills");
    for (kind, name) in
        [(InputKind::Bank, "internal_account_202603_gbk.csv"), (InputKind::Payouts, "payouts_202603.csv")]
    {
        run.add(Input::new(kind, name, fixture(name))).expect("reads");
    }
    let report = run.run(Some(parse_date("2026-03-31").expect("date"))).expect("runs");
    let flow = report.fund_flow.as_ref().expect("fund flow");
    let settlements: Vec<_> = flow.matches.iter().filter(|m| m.kind == MatchKind::Settlement).collect();
    assert!(settlements.len() > 20, "a month of matches");
    assert!(settlements.iter().all(|m| m.service_provider.as_deref() == PROVIDER));
    let open: Vec<_> = flow.exceptions.iter().filter(|e| e.kind == duizhang::FundItemKind::Batch).collect();
    assert_eq!(open.len(), 3, "the three settlements due on 04-01");
    assert!(open.iter().all(|e| e.service_provider.as_deref() == PROVIDER));
    let clearing = report.clearing.as_ref().expect("clearing");
    assert!(!clearing.exceptions.is_empty(), "the overcharged fees");
    assert!(clearing.exceptions.iter().all(|e| e.service_provider.as_deref() == PROVIDER));
    // Carried to the next day, the open settlements keep their provider.
    let state = run.carry_out().expect("a state").to_json();
    let mut next = Reconciliation::new(profile());
    next.add(Input::new(InputKind::Carry, "state.json", state)).expect("the state");
    let report = next.run(Some(parse_date("2026-04-01").expect("date"))).expect("runs");
    let carried: Vec<_> = report.fund_flow.as_ref().expect("fund flow").exceptions.iter().collect();
    assert_eq!(carried.len(), 3, "{carried:?}");
    assert!(carried.iter().all(|e| e.carried_since.is_some() && e.service_provider.as_deref() == PROVIDER));
}

/// The per-batch `fee_mismatch` line: every transaction's fee is within the tolerance of the
/// contracted rate, yet the settlement's total differs by more (rounding at settlement, or a few
/// fen a transaction adding up): one line for the batch, with the totals and d, and none per
/// transaction.
#[test]
fn a_batch_whose_fees_differ_only_in_total_gets_one_fee_mismatch_line_of_its_own() {
    let profile = Profile::from_json(
        r#"{"fund_flow": {"settlement": "T+1"},
            "clearing": {"fee_rates": [{"merchant": "*", "rate": "0.60%"}],
                         "fee_rounding": "exact", "fee_tolerance": "0.01"}}"#,
    )
    .expect("profile");
    // Five payments of 1.00 at 0.60%: 0.006 expected each, 0.01 charged each (within 0.01), so the
    // day's fees are 0.03 expected and 0.05 charged.
    let mut bill = String::from("交易时间,商户号,商户订单号,交易状态,订单金额,手续费\n");
    for n in 1..=5 {
        bill.push_str(&format!("2026-03-24 10:0{n}:00,1230000109,S{n},SUCCESS,1.00,0.01\n"));
    }
    let mut run = Reconciliation::new(profile);
    run.add(Input::new(InputKind::Channel, "bill.csv", bill.into_bytes())).expect("the bill");
    let report = run.run(Some(parse_date("2026-03-24").expect("date"))).expect("runs");
    let clearing = report.clearing.as_ref().expect("clearing");
    let lines: Vec<_> = clearing
        .exceptions
        .iter()
        .map(|e| {
            let fee = |f: Option<duizhang::Money>| f.map(|f| f.to_string()).unwrap_or_default();
            (e.level.code(), e.key.as_str(), fee(e.fee_expected), fee(e.fee_charged), e.d.to_string())
        })
        .collect();
    assert_eq!(lines, [("batch", "batch:1230000109:2026-03-25", "0.03".into(), "0.05".into(), "-0.02".into())]);
    // Within the tolerance in total too: no line at all.
    let within = Profile::from_json(
        r#"{"fund_flow": {"settlement": "T+1"},
            "clearing": {"fee_rates": [{"merchant": "*", "rate": "0.60%"}],
                         "fee_rounding": "exact", "fee_tolerance": "0.02"}}"#,
    )
    .expect("profile");
    let mut run = Reconciliation::new(within);
    let bill =
        "交易时间,商户号,商户订单号,交易状态,订单金额,手续费\n2026-03-24 10:00:00,1230000109,S1,SUCCESS,1.00,0.01\n";
    run.add(Input::new(InputKind::Channel, "bill.csv", bill.as_bytes().to_vec())).expect("the bill");
    let report = run.run(Some(parse_date("2026-03-24").expect("date"))).expect("runs");
    assert!(fee_mismatches(report.clearing.as_ref().expect("clearing")).is_empty());
}

/// Platforms download statements by date range, so the files of one account overlap. The month's
/// statement as two downloads, 1–20 and 10–31 March (given newest first), gives the report of the
/// whole statement: every movement of the overlap once, no continuity or running-balance break,
/// the same matches, open items, clearing and 余额调节表. Only the files' names and lines differ.
#[test]
fn a_statement_downloaded_as_two_overlapping_files_gives_the_report_of_the_whole() {
    let run_with = |statements: &[&str]| {
        let mut run = Reconciliation::new(Profile::from_json(&profile_json()).expect("profile"));
        run.add(Input::new(InputKind::Channel, "wechat_sp_202603.zip", fixture("wechat_sp_202603.zip")))
            .expect("bills");
        for name in statements.iter().chain(&["payouts_202603.csv"]) {
            let kind = if name.starts_with("payouts") { InputKind::Payouts } else { InputKind::Bank };
            run.add(Input::new(kind, *name, fixture(name))).expect("reads");
        }
        let closing = expected()["closing_balance"].as_str().expect("closing").parse().expect("amount");
        run.set_book_balance(Some(closing)).expect("in range");
        run.run(Some(parse_date("2026-03-31").expect("date"))).expect("runs").clone()
    };
    let whole = run_with(&["internal_account_202603_gbk.csv"]);
    let split = run_with(&["internal_account_20260310_20260331_gbk.csv", "internal_account_20260301_20260320_gbk.csv"]);
    let balance = split.balance.as_ref().expect("balance");
    let rows = |name: &str| fixture(name).split(|&b| b == b'\n').filter(|l| l.starts_with(b"2026-")).count() as u64;
    let overlap = rows("internal_account_20260301_20260320_gbk.csv")
        + rows("internal_account_20260310_20260331_gbk.csv")
        - rows("internal_account_202603_gbk.csv");
    assert!(overlap > 20, "the files overlap by 11 days");
    assert_eq!(balance.repeated_movements, overlap);
    let repeated: Vec<(&str, u64)> = balance.statements.iter().map(|s| (s.file.as_str(), s.repeated)).collect();
    assert_eq!(
        repeated,
        [("internal_account_20260301_20260320_gbk.csv", 0), ("internal_account_20260310_20260331_gbk.csv", overlap)]
    );
    assert!(balance.continuity_breaks.is_empty(), "{:?}", balance.continuity_breaks);
    assert!(balance.running_breaks.is_empty(), "{:?}", balance.running_breaks);
    let statement = |r: &Report| r.balance.as_ref().and_then(|b| b.statement.clone()).expect("余额调节表");
    assert_eq!(statement(&split), statement(&whole));
    assert_eq!(split.fund_flow.as_ref().expect("fund flow").counts.external_only, 0);
    // Each download has its own title rows, each a note of its own.
    let notes = |r: &Report| r.issues.iter().filter(|i| i.input == InputKind::Bank).count();
    assert_eq!((notes(&whole), notes(&split)), (2, 4));
    let pretty = |r: &Report| serde_json::to_string_pretty(&without_files(r)).expect("json");
    let (split, whole) = (pretty(&split), pretty(&whole));
    let first_difference = split.lines().zip(whole.lines()).position(|(a, b)| a != b);
    assert!(split == whole, "differs from line {first_difference:?} of the report as JSON");
}

/// A report as JSON without what names its input files: their names, lines and per-file totals.
fn without_files(report: &Report) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                let per_file = ["file", "files", "line", "previous_file", "inputs", "statements", "repeated_movements"];
                for key in per_file.into_iter().chain(["issues", "issue_count"]) {
                    map.remove(key);
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(report).expect("serializes");
    strip(&mut value);
    value
}

/// The internal account's statement runs past the cut-off: with the bank's 日切 at 16:00 and the
/// run dated 03-06 (a Friday whose payouts leave at 16:00 sharp), the 余额调节表 takes the bank's balance at that instant (the running balance
/// after the last movement before 16:00, worked out here from the file itself), the later
/// movements are listed apart as the next day's, and they are carried to the next run, where
/// the same statement read again does not count them twice.
#[test]
fn the_reconciliation_statement_takes_the_balance_at_the_cut_off() {
    let profile = || {
        let json = String::from_utf8(fixture("profile_cutoff_1600.json")).expect("utf-8");
        Profile::from_json(&json).expect("profile")
    };
    let statement = "internal_account_202603_gbk.csv";
    // The file's own rows: (line, date, time, balance); date and time are ASCII in the GBK file.
    let mut rows = Vec::new();
    let bytes = fixture(statement);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&bytes[..]);
    for (n, record) in reader.byte_records().enumerate() {
        let record = record.expect("csv");
        let cell = |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or_default()).to_string();
        if cell(0).starts_with("2026-") {
            rows.push((n as u32 + 1, cell(0), cell(1), cell(4).replace(',', "")));
        }
    }
    let is_later = |date: &str, time: &str| (date, time) >= ("2026-03-06", "160000");
    let before: Vec<_> = rows.iter().filter(|(_, d, t, _)| !is_later(d, t)).collect();
    let later: Vec<u32> = rows.iter().filter(|(_, d, t, _)| is_later(d, t)).map(|r| r.0).collect();
    let (last_line, _, last_time, balance_at_cutoff) = before.last().expect("rows before the cut-off");
    assert!(later.len() > 50, "the statement runs weeks past the cut-off");
    assert_eq!(rows.iter().find(|r| r.0 == later[0]).map(|r| r.2.as_str()), Some("160000"), "at the cut-off is later");

    let mut run = Reconciliation::new(profile());
    run.add(Input::new(InputKind::Channel, "wechat_sp_202603.zip", fixture("wechat_sp_202603.zip"))).expect("bills");
    for (kind, name) in [(InputKind::Bank, statement), (InputKind::Payouts, "payouts_202603.csv")] {
        run.add(Input::new(kind, name, fixture(name))).expect("reads");
    }
    run.set_book_balance(Some("1.00".parse().expect("amount"))).expect("in range");
    let report = run.run(Some(parse_date("2026-03-06").expect("date"))).expect("runs").clone();
    let balance = report.balance.as_ref().expect("balance");
    assert_eq!(balance.cutoff.as_deref(), Some("2026-03-06 16:00:00"));
    let [bank] = balance.bank_balances.as_slice() else { panic!("one account: {:?}", balance.bank_balances) };
    assert_eq!(bank.account.as_deref(), Some("9010000012345678"));
    assert_eq!(bank.balance.map(|b| b.to_string()).as_deref(), Some(balance_at_cutoff.as_str()));
    assert_eq!((bank.file.as_deref(), bank.line), (Some(statement), Some(*last_line)));
    assert_eq!(bank.time.as_deref().map(|t| t.replace(':', "")).as_deref(), Some(last_time.as_str()));
    assert_eq!((bank.later, bank.ends_before_cutoff), (later.len() as u64, false));
    let listed: Vec<u32> = balance.later_movements.iter().map(|m| m.line).collect();
    assert_eq!(listed, later, "the later movements, apart");
    let st = balance.statement.as_ref().expect("余额调节表");
    assert_eq!(st.bank_balance.to_string(), *balance_at_cutoff);
    // Today's matching sees exactly the movements before the cut-off.
    let lines: Vec<u32> = run.fund_flow().expect("fund flow").input.movements.iter().map(|m| m.line).collect();
    assert_eq!(lines, before.iter().map(|r| r.0).collect::<Vec<_>>());

    // The next day: the state carries the later movements; the same statement read again is one copy.
    let state = run.carry_out().expect("state");
    let later_ids: Vec<&str> = balance.later_movements.iter().map(|m| m.id.as_str()).collect();
    assert!(later_ids.iter().all(|id| state.items.iter().any(|i| i.id == *id)), "carried");
    let mut next = Reconciliation::new(profile());
    next.add(Input::new(InputKind::Carry, "state.json", state.to_json())).expect("state");
    next.add(Input::new(InputKind::Bank, statement, fixture(statement))).expect("reads");
    next.run(Some(parse_date("2026-03-09").expect("date"))).expect("runs");
    let flow = next.fund_flow().expect("fund flow");
    let copy_of = |id: &str, other: &str| other == id || other.starts_with(&format!("{id}#"));
    for id in &later_ids {
        let copies = flow.input.movements.iter().chain(&flow.later).filter(|m| copy_of(id, &m.id)).count();
        assert_eq!(copies, 1, "{id}: once");
    }
    // Carried, what is after this run's cut-off too stays apart, not matched.
    let cutoff = parse_date("2026-03-09").expect("date");
    assert!(flow.input.movements.iter().all(|m| m.date <= cutoff), "only movements up to the run's cut-off");
    assert!(flow.later.iter().any(|m| m.carried_since.is_some()), "a carried later movement is still later");
}

/// The month's statement for a run dated after its last day: the balance is that day's, and the
/// report says the statement ends before the cut-off.
#[test]
fn a_statement_that_ends_before_the_cut_off_says_so() {
    let mut run = Reconciliation::new(Profile::from_json(&profile_json()).expect("profile"));
    let statement = "internal_account_202603_gbk.csv";
    run.add(Input::new(InputKind::Bank, statement, fixture(statement))).expect("reads");
    let report = run.run(Some(parse_date("2026-04-01").expect("date"))).expect("runs");
    let balance = report.balance.as_ref().expect("balance");
    assert_eq!(balance.cutoff.as_deref(), Some("2026-04-02 00:00:00"), "00:00 is the midnight ending the date");
    let [bank] = balance.bank_balances.as_slice() else { panic!("one account") };
    assert!(bank.ends_before_cutoff);
    assert_eq!(bank.date.map(|d| d.to_string()).as_deref(), Some("2026-03-31"));
    assert_eq!(bank.balance.map(|b| b.to_string()), expected()["closing_balance"].as_str().map(String::from));
}

/// Payouts against clearing (代付 vs 清分): what each merchant was paid for a settlement date
/// against its net payable. The month's payouts, one 10.00 short, as two payout systems write
/// them: without the settlement date (applied oldest first, so the shortfall shows on the last
/// date paid) and with it (the shortfall on the date it belongs to). Dates no payout reached are
/// not yet paid: outstanding, no mismatch. Worked out by make.py.
#[test]
fn payouts_against_clearing_name_each_over_and_under_payment_with_d() {
    for (file, rule) in
        [("payouts_202603.csv", "oldest_first"), ("payouts_202603_by_settlement_date.csv", "settlement_date")]
    {
        let mut run = Reconciliation::new(Profile::from_json(&profile_json()).expect("profile"));
        run.add(Input::new(InputKind::Channel, "wechat_sp_202603.zip", fixture("wechat_sp_202603.zip")))
            .expect("bills");
        for (kind, name) in [(InputKind::Bank, "internal_account_202603_gbk.csv"), (InputKind::Payouts, file)] {
            run.add(Input::new(kind, name, fixture(name))).expect("reads");
        }
        let report = run.run(Some(parse_date("2026-03-31").expect("date"))).expect("runs");
        let clearing = report.clearing.as_ref().expect("clearing");
        let got: Vec<Value> = clearing
            .exceptions
            .iter()
            .filter(|e| e.class.code() == "payout_mismatch")
            .map(|e| {
                assert_eq!((e.rule.map(|r| r.code()), e.level.code()), (Some(rule), "batch"), "{file}");
                assert_eq!(e.label.map(|l| l.code()), Some("长款"), "underpaid: the platform still holds it");
                assert!(!e.payouts.is_empty() && e.id.starts_with("fee:"), "{e:?}");
                let money = |m: Option<duizhang::Money>| Value::from(m.map(|m| m.to_string()));
                serde_json::json!({"merchant": e.merchant, "settle_date": e.settle_date.to_string(),
                    "owed": money(e.owed), "paid": money(e.paid), "d": e.d.to_string()})
            })
            .collect();
        assert_eq!(Value::from(got), expected()["payout_mismatches"][rule], "{file}");
        // The rule is on every date a payout reached, and only there.
        let m = clearing.merchants.iter().find(|m| m.merchant == "1612000002").expect("merchant");
        let rules: Vec<Option<&str>> = m.days.iter().map(|d| d.payout_rule.map(|r| r.code())).collect();
        let paid = rules.iter().filter(|r| r.is_some()).count();
        assert_eq!(paid, 5, "the first week: {rules:?}");
        assert!(rules[..5].iter().all(|r| *r == Some(rule)) && rules[5..].iter().all(Option::is_none));
        // Beside today's check of payouts against the bank's debits, which both files pass alike.
        let flow = report.fund_flow.as_ref().expect("fund flow");
        assert_eq!(flow.counts.internal_only + flow.counts.external_only, 0, "{file}");
    }
}

/// Paid twice for one date, and paid a merchant that is owed nothing: both are overpayments (d < 0).
#[test]
fn an_overpayment_is_a_payout_mismatch_with_negative_d() {
    let bill = "交易时间,商户号,商户订单号,交易状态,订单金额,手续费\n2026-03-24 10:00:00,M1,S1,SUCCESS,100.00,0.60\n";
    let payouts = "商户号,代付金额,收款账号,业务参考号,付款日期,结算日期\n\
                   M1,99.40,6222,P1,2026-03-26,2026-03-25\nM1,99.40,6222,P2,2026-03-26,20260325\n\
                   M9,5.00,6229,P3,2026-03-26,\n";
    let profile =
        r#"{"fund_flow": {"settlement": "T+1"}, "clearing": {"fee_rates": [{"merchant": "*", "rate": "0.60%"}]}}"#;
    let mut run = Reconciliation::new(Profile::from_json(profile).expect("profile"));
    run.add(Input::new(InputKind::Channel, "bill.csv", bill.as_bytes().to_vec())).expect("bill");
    run.add(Input::new(InputKind::Payouts, "payouts.csv", payouts.as_bytes().to_vec())).expect("payouts");
    let report = run.run(Some(parse_date("2026-03-26").expect("date"))).expect("runs");
    let clearing = report.clearing.as_ref().expect("clearing");
    let lines: Vec<String> = clearing
        .exceptions
        .iter()
        .map(|e| {
            let (label, rule) = (e.label.map_or("", |l| l.code()), e.rule.map_or("", |r| r.code()));
            format!("{} {} {} {label} {rule}", e.merchant, e.settle_date, e.d)
        })
        .collect();
    assert_eq!(lines, ["M1 2026-03-25 -99.40 短款 settlement_date", "M9 2026-03-26 -5.00 短款 oldest_first"]);
    let m9 = clearing.merchants.iter().find(|m| m.merchant == "M9").expect("the merchant paid");
    assert_eq!((m9.amounts.paid_out.to_string(), m9.amounts.outstanding.to_string()), ("5.00".into(), "-5.00".into()));
    assert_eq!(clearing.totals.paid_out.to_string(), "203.80");
}

/// The platform's merchant sub-ledger (分户账) against clearing and the payouts: its credits against
/// each merchant's net payable, its debits against what the payouts paid, and each line against
/// itself. The ledger make.py writes books 1612000002's payouts as instructed (10.00 more than
/// paid) and mistypes 1612000003's closing by 1.00: exactly those two breaks, with d = expected −
/// booked; the 余额调节表's book balance stays the sum of the closings.
#[test]
fn the_sub_ledger_is_checked_per_merchant_against_clearing_and_payouts() {
    let mut run = Reconciliation::new(Profile::from_json(&profile_json()).expect("profile"));
    run.add(Input::new(InputKind::Channel, "wechat_sp_202603.zip", fixture("wechat_sp_202603.zip"))).expect("bills");
    for (kind, name) in [
        (InputKind::Bank, "internal_account_202603_gbk.csv"),
        (InputKind::Payouts, "payouts_202603_by_settlement_date.csv"),
        (InputKind::SubLedger, "sub_ledger_202603.csv"),
    ] {
        run.add(Input::new(kind, name, fixture(name))).expect("reads");
    }
    let report = run.run(Some(parse_date("2026-03-31").expect("date"))).expect("runs");
    let clearing = report.clearing.as_ref().expect("clearing");
    let breaks: Vec<&duizhang::ClearingException> =
        clearing.exceptions.iter().filter(|e| e.class.code() == "sub_ledger_break").collect();
    let got: Vec<Value> = breaks
        .iter()
        .map(|e| {
            let money = |m: Option<duizhang::Money>| Value::from(m.map(|m| m.to_string()));
            serde_json::json!({"merchant": e.merchant, "check": e.check.map(|c| c.code()),
                "expected": money(e.expected), "booked": money(e.booked), "d": e.d.to_string()})
        })
        .collect();
    assert_eq!(Value::from(got), expected()["sub_ledger_breaks"]);
    for e in &breaks {
        assert_eq!(
            (e.level.code(), e.file.as_str(), e.date.to_string()),
            ("merchant", "sub_ledger_202603.csv", "2026-03-31".into())
        );
        assert!(e.line > 2 && e.d.is_negative() && e.label.map(|l| l.code()) == Some("短款"), "{e:?}");
        let m = clearing.merchants.iter().find(|m| m.merchant == e.merchant).expect("merchant");
        assert!(m.exceptions > 0, "counted on its merchant");
    }
    let statement = report.balance.as_ref().and_then(|b| b.statement.as_ref()).expect("余额调节表");
    assert_eq!(statement.book_balance.to_string(), "21221.32", "6096.38 + 6502.21 + 8622.73");
    assert_eq!(statement.book_source, "sub_ledger_202603.csv");
}

/// A merchant clearing has and the ledger does not book: its credits and debits are missing from
/// the books, each a break; a ledger of balances alone checks nothing.
#[test]
fn a_merchant_missing_from_the_sub_ledger_is_a_break_and_balances_alone_check_nothing() {
    let run_with = |ledger: &str| {
        let mut run = Reconciliation::new(Profile::from_json(&profile_json()).expect("profile"));
        run.add(Input::new(InputKind::Channel, "wechat_sp_202603.zip", fixture("wechat_sp_202603.zip")))
            .expect("bills");
        for (kind, name) in [
            (InputKind::Bank, "internal_account_202603_gbk.csv"),
            (InputKind::Payouts, "payouts_202603_by_settlement_date.csv"),
        ] {
            run.add(Input::new(kind, name, fixture(name))).expect("reads");
        }
        run.add(Input::new(InputKind::SubLedger, "ledger.csv", ledger.as_bytes().to_vec())).expect("ledger");
        let report = run.run(Some(parse_date("2026-03-31").expect("date"))).expect("runs").clone();
        let clearing = report.clearing.expect("clearing");
        clearing
            .exceptions
            .iter()
            .filter(|e| e.class.code() == "sub_ledger_break")
            .map(|e| format!("{} {} {}", e.merchant, e.check.map_or("", |c| c.code()), e.d))
            .collect::<Vec<_>>()
    };
    // Only 1612000001, booked right (its line of the fixture): the other two are missing.
    let one = "商户号,期初余额,本期收入,本期支出,期末余额\n1612000001,1000.00,5953.73,857.35,6096.38\n";
    let missing = run_with(one);
    assert_eq!(missing.len(), 4, "{missing:?}");
    assert!(missing.iter().all(|b| b.starts_with("161200000") && !b.starts_with("1612000001")), "{missing:?}");
    assert_eq!(run_with("商户号,余额\n1612000001,6096.38\n"), Vec::<String>::new());
}
