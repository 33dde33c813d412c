//! Every difference named (金额不符): a week of WeChat service-provider bills against the internal
//! account's statement (tests/fixtures/differences/, made by its make.py), where one credit is 0.50
//! short of the settlement its memo names, one 120.00 long of the only open settlement, one 100.00
//! short and made up on Monday, and one fits two equal settlements. Each pair is one open item with
//! its d, counted once; the ambiguous credit pairs with nothing and names both settlements.
#![cfg(not(target_arch = "wasm32"))]

use duizhang::{
    parse_date, CauseKind, FundItemKind, FundOutcome, Input, InputKind, ItemState, ItemView, Profile, Reconciliation,
    Report,
};
use serde_json::Value;
use std::path::Path;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/differences").join(path))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn expected(case: &str) -> Value {
    let all: Value = serde_json::from_slice(&fixture("expected.json")).expect("expected.json");
    all[case].clone()
}

fn profile() -> Profile {
    Profile::from_json(std::str::from_utf8(&fixture("profile.json")).expect("utf-8")).expect("profile")
}

/// The week's run (as of Friday 11-06), with `more` inputs added.
fn week(more: &[(InputKind, &str, Vec<u8>)]) -> Reconciliation {
    let mut run = Reconciliation::new(profile());
    run.add(Input::new(InputKind::Channel, "wechat_sp_week.zip", fixture("wechat_sp_week.zip"))).expect("bills");
    run.add(Input::new(InputKind::Bank, "statement_week_gbk.csv", fixture("statement_week_gbk.csv")))
        .expect("statement");
    for (kind, name, bytes) in more {
        run.add(Input::new(*kind, *name, bytes.clone())).expect("reads");
    }
    run.run(Some(parse_date("2026-11-06").expect("date"))).expect("runs");
    run
}

fn pair_of<'r>(report: &'r Report, merchant: &str, settle_date: &str) -> &'r ItemView {
    let flow = report.fund_flow.as_ref().expect("fund flow");
    flow.exceptions
        .iter()
        .find(|e| {
            e.kind == FundItemKind::Pair
                && e.merchant == merchant
                && e.pair.as_ref().is_some_and(|p| p.batches.iter().any(|b| b.settle_date.to_string() == settle_date))
        })
        .unwrap_or_else(|| panic!("no pair for {merchant} {settle_date}: {:#?}", flow.exceptions))
}

#[test]
fn a_short_and_a_long_credit_each_pair_with_their_settlement_and_say_by_how_much() {
    let run = week(&[]);
    let report = run.report().expect("report");
    let flow = report.fund_flow.as_ref().expect("fund flow");
    for (case, label, why) in [
        ("short_by_memo", "短款", "as its memo names 2026-11-04"),
        ("long_nearest", "长款", "as the only open settlement(s) within 3 days before it"),
        ("made_up", "短款", "as its memo names 2026-11-06"),
    ] {
        let want = expected(case);
        let merchant = want["merchant"].as_str().expect("merchant");
        let pair = pair_of(report, merchant, want["settle_date"].as_str().expect("date"));
        assert_eq!(pair.outcome, FundOutcome::AmountMismatch, "{case}");
        assert_eq!(pair.d.to_string(), want["d"].as_str().expect("d"), "{case}");
        assert_eq!(pair.label.map(|l| l.code()), Some(label), "{case}");
        assert!(pair.id.starts_with("pair:"), "{case}: {}", pair.id);
        assert!(pair.message.contains(&format!("paired, {why}")), "{case}: {}", pair.message);
        let view = pair.pair.as_ref().expect("the pair's view");
        assert_eq!((view.batches.len(), view.credits.len()), (1, 1), "{case}");
        let breakdown = view.breakdown.as_ref().expect("a breakdown");
        assert_eq!(breakdown.expected.to_string(), want["expected"].as_str().expect("expected"), "{case}");
        assert_eq!((breakdown.credited - breakdown.expected).to_string(), breakdown.d.to_string(), "{case}");
        assert_eq!(breakdown.gross - breakdown.refunds - breakdown.fees, breakdown.expected, "{case}");
    }
    // Eight pairs (these three and the five of the causes test), sixteen items paired; no
    // settlement or credit of a pair is listed on its own.
    assert_eq!(flow.counts.amount_mismatch, 16);
    let paired: Vec<&str> = flow
        .exceptions
        .iter()
        .filter_map(|e| e.pair.as_ref())
        .flat_map(|p| p.batches.iter().map(|b| b.id.as_str()).chain(p.credits.iter().map(|c| c.id.as_str())))
        .collect();
    assert_eq!(paired.len(), 16);
    assert!(flow.exceptions.iter().all(|e| !paired.contains(&e.id.as_str())));
    assert!(flow.matches.iter().all(|m| m.outcome != FundOutcome::AmountMismatch), "a pair is not a match");
    let merchant = |m: &str| flow.merchants.iter().find(|t| t.merchant == m).expect("merchant");
    assert_eq!(merchant("1612000001").amount_mismatch_d.to_string(), "-100.00", "-0.50 + 0.50 - 100.00");
    // d counted once: the breaks' totals are exactly the pairs' d and the ambiguous items'.
    let ambiguous = expected("ambiguous");
    // The long pairs (0.66, 0.50, 120.00, 15.50) and 192.26, the ambiguous credit that is a break
    // of its own.
    assert_eq!(flow.totals.long_total.to_string(), "328.92");
    let short = flow.totals.short_total.to_string();
    let credit = flow
        .exceptions
        .iter()
        .find(|e| e.kind == FundItemKind::Credit)
        .unwrap_or_else(|| panic!("the ambiguous credit: {:#?}", flow.exceptions));
    assert_eq!(credit.outcome, FundOutcome::ExternalOnly);
    // The short pairs (-0.50, -15.50, -0.01, -100.00); the ambiguous credit's two settlements are
    // in transit (timing), so only the pairs are short.
    assert_eq!(short, "-116.01", "{:#?}", flow.totals);
    assert_eq!(credit.d.to_string(), {
        let net: rust_decimal::Decimal = ambiguous["net"].as_str().expect("net").parse().expect("amount");
        (net + rust_decimal::Decimal::new(-100, 2)).to_string()
    });
}

/// Each pair's causes, where the files tell them: a make-up the next day (both ways), the bill's
/// fees above the contract with the bank paying the contracted net, a refund deducted a day early,
/// rounding; what no cause explains stays unexplained, per pair and per merchant.
#[test]
fn each_difference_names_the_cause_the_files_support_and_what_is_left_unexplained() {
    let run = week(&[]);
    let report = run.report().expect("report");
    for (case, kind, detail) in [
        (
            "short_by_memo",
            CauseKind::MakeUp,
            "made up by the credit of 11-05 (¥0.50 long, for the settlement of 11-05)",
        ),
        ("make_up", CauseKind::MakeUp, "makes up the settlement of 11-04 credited ¥0.50 short"),
        ("fee_rate", CauseKind::FeeRate, "the bill's fees for 11-03 are ¥0.66 above the contracted rates"),
        (
            "refund_deducted_early",
            CauseKind::RefundOtherDay,
            "a refund of ¥15.50 the bill lists on 11-05's settlement looks deducted here",
        ),
        (
            "refund_listed_later",
            CauseKind::RefundOtherDay,
            "the refunds of 11-05 (¥15.50) look deducted from another day's credit",
        ),
        ("rounding", CauseKind::Rounding, "at most ¥0.01 for each of its 2 transactions"),
    ] {
        let want = expected(case);
        let pair =
            pair_of(report, want["merchant"].as_str().expect("merchant"), want["settle_date"].as_str().expect("date"));
        let b = pair.pair.as_ref().and_then(|p| p.breakdown.as_ref()).expect("breakdown");
        assert_eq!(b.d.to_string(), want["d"].as_str().expect("d"), "{case}");
        assert_eq!((b.explained, b.unexplained.to_string()), (b.d, "0.00".to_string()), "{case}: {:#?}", b.causes);
        let chosen: Vec<_> = b.causes.iter().filter(|c| c.explains).collect();
        assert_eq!(chosen.len(), 1, "{case}: {:#?}", b.causes);
        assert_eq!((chosen[0].kind, chosen[0].amount, chosen[0].detail.as_str()), (kind, b.d, detail), "{case}");
        assert!(pair.message.ends_with("unexplained 0.00"), "{case}: {}", pair.message);
    }
    // No cause in the files: the whole d is unexplained.
    for case in ["long_nearest", "made_up"] {
        let want = expected(case);
        let pair =
            pair_of(report, want["merchant"].as_str().expect("merchant"), want["settle_date"].as_str().expect("date"));
        let b = pair.pair.as_ref().and_then(|p| p.breakdown.as_ref()).expect("breakdown");
        assert!(b.causes.is_empty(), "{case}: {:#?}", b.causes);
        assert_eq!((b.explained.to_string(), b.unexplained), ("0.00".to_string(), b.d), "{case}");
    }
    let flow = report.fund_flow.as_ref().expect("fund flow");
    let totals: Vec<(&str, String, String)> = flow
        .merchants
        .iter()
        .map(|m| {
            (m.merchant.as_str(), m.amount_mismatch_explained.to_string(), m.amount_mismatch_unexplained.to_string())
        })
        .collect();
    assert_eq!(
        totals,
        [
            ("1612000001", "0.00".into(), "-100.00".into()),
            ("1612000002", "0.00".into(), "120.00".into()),
            ("1612000003", "0.66".into(), "0.00".into()),
            ("1612000004", "-0.01".into(), "0.00".into()),
        ]
    );
}

#[test]
fn the_csv_export_has_one_row_per_pair_naming_its_items() {
    let run = week(&[]);
    let flow = run.report().expect("report").fund_flow.as_ref().expect("fund flow");
    let csv = String::from_utf8(flow.csv()).expect("utf-8");
    let rows: Vec<&str> = csv.lines().filter(|l| l.starts_with("open,amount_mismatch,")).collect();
    assert_eq!(rows.len(), 8, "{csv}");
    let pair = pair_of(run.report().expect("report"), "1612000001", "2026-11-04");
    let view = pair.pair.as_ref().expect("view");
    let ids = format!("{} {} {}", pair.id, view.batches[0].id, view.credits[0].id);
    assert!(rows.iter().any(|r| r.contains(&ids) && r.contains(",-0.50,短款,")), "{rows:#?}");
}

#[test]
fn two_equal_candidates_pair_nothing_and_each_names_the_other() {
    let run = week(&[]);
    let report = run.report().expect("report");
    let flow = report.fund_flow.as_ref().expect("fund flow");
    let merchant = expected("ambiguous")["merchant"].as_str().expect("merchant").to_string();
    // Its only pair is the fee case's settlement of 11-03; the rest is open on its own.
    let pairs: Vec<&ItemView> =
        flow.exceptions.iter().filter(|e| e.kind == FundItemKind::Pair && e.merchant == merchant).collect();
    assert_eq!(pairs.iter().map(|p| p.date.to_string()).collect::<Vec<_>>(), ["2026-11-03"]);
    let open: Vec<&ItemView> =
        flow.exceptions.iter().filter(|e| e.merchant == merchant && e.kind != FundItemKind::Pair).collect();
    // Its two equal settlements, the credit that fits both, and Friday's settlement due on Monday.
    assert_eq!(open.len(), 4, "{open:#?}");
    let credit = open.iter().find(|e| e.kind == FundItemKind::Credit).expect("the credit");
    assert!(
        credit.message.ends_with(
            "could pair with settlement of 11-05 ¥193.26 (d = -1.00) or settlement of 11-06 ¥193.26 (d = -1.00); \
             not paired, the choice is not unambiguous"
        ),
        "{}",
        credit.message
    );
    let candidates = ["2026-11-05", "2026-11-06"];
    for batch in
        open.iter().filter(|e| e.kind == FundItemKind::Batch && candidates.contains(&e.date.to_string().as_str()))
    {
        assert_eq!(batch.outcome, FundOutcome::InTransit);
        assert!(
            batch
                .message
                .ends_with("could pair with credit 2026-11-06 ¥192.26; not paired, the choice is not unambiguous"),
            "{}",
            batch.message
        );
    }
}

#[test]
fn a_short_pair_is_carried_and_closed_by_the_make_up_on_monday() {
    let friday = week(&[]);
    let friday_report = friday.report().expect("report");
    let made_up = pair_of(friday_report, "1612000001", "2026-11-06").clone();
    let kept = pair_of(friday_report, "1612000001", "2026-11-04").clone();
    let state = friday.carry_out().expect("a state");
    let carried: Vec<_> = state.items.iter().filter(|i| i.outcome == FundOutcome::AmountMismatch).collect();
    assert_eq!(carried.len(), 16, "each pair is carried as its items");
    assert_eq!(friday_report.fund_flow.as_ref().expect("flow").carried_out, state.items.len() as u64);
    // Monday: the statement of Monday only, yesterday's state; the bills are read again.
    let mut monday = Reconciliation::new(profile());
    monday.add(Input::new(InputKind::Channel, "wechat_sp_week.zip", fixture("wechat_sp_week.zip"))).expect("bills");
    monday
        .add(Input::new(InputKind::Bank, "statement_monday_gbk.csv", fixture("statement_monday_gbk.csv")))
        .expect("statement");
    monday.add(Input::new(InputKind::Carry, "state.json", state.to_json())).expect("state");
    let report = monday.run(Some(parse_date("2026-11-09").expect("date"))).expect("runs");
    let flow = report.fund_flow.as_ref().expect("fund flow");
    // The short credit and its make-up together are the settlement: matched, both credits named.
    let settled = flow
        .matches
        .iter()
        .find(|m| m.batches.iter().any(|b| b.settle_date.to_string() == "2026-11-06" && b.merchant == "1612000001"))
        .unwrap_or_else(|| panic!("the made-up settlement: {:#?}", flow.exceptions));
    assert_eq!(settled.outcome, FundOutcome::Matched);
    assert_eq!(settled.credits.len(), 2);
    assert!(
        settled
            .explanation
            .contains("= credits of 11-06 ¥2,134.51 + 11-09 ¥100.00 (a short credit and its make-up, 补款)"),
        "{}",
        settled.explanation
    );
    assert!(flow.exceptions.iter().all(|e| e.id != made_up.id));
    // The other pairs are still open, with the same ids, carried since Friday.
    let still = flow.exceptions.iter().find(|e| e.id == kept.id).expect("the 0.50 short pair, still open");
    assert_eq!((still.outcome, still.d.to_string()), (FundOutcome::AmountMismatch, "-0.50".to_string()));
    assert_eq!(still.carried_since.map(|d| d.to_string()).as_deref(), Some("2026-11-06"));
}

#[test]
fn resolving_a_pair_closes_both_its_items() {
    let friday = week(&[]);
    let pair = pair_of(friday.report().expect("report"), "1612000001", "2026-11-04").clone();
    let resolutions = format!(
        r#"[{{"id":"{}","action":"adjust","note":"channel short-paid 0.50, booked as fee","by":"li","at":"2026-11-06 18:00:00"}}]"#,
        pair.id
    );
    let resolved = week(&[(InputKind::Resolutions, "resolutions.json", resolutions.into_bytes())]);
    let report = resolved.report().expect("report");
    let item = pair_of(report, "1612000001", "2026-11-04");
    assert_eq!(item.state, ItemState::Closed);
    let members: Vec<String> = pair
        .pair
        .as_ref()
        .map(|p| p.batches.iter().map(|b| b.id.clone()).chain(p.credits.iter().map(|c| c.id.clone())).collect())
        .expect("members");
    let state = resolved.carry_out().expect("a state");
    assert!(state.items.iter().all(|i| !members.contains(&i.id)), "a closed pair's items are not carried");
    assert_eq!(state.items.iter().filter(|i| i.outcome == FundOutcome::AmountMismatch).count(), 14);
}

/// The 余额调节表 with the pairs: only each pair's d is outstanding, a short one on the booked side
/// and a long one on the bank side, so books holding every settlement balance with the bank.
#[test]
fn in_the_reconciliation_statement_only_each_pairs_d_is_outstanding() {
    let nets: rust_decimal::Decimal = serde_json::from_slice::<Value>(&fixture("expected.json")).expect("json")["nets"]
        .as_object()
        .expect("nets")
        .values()
        .map(|v| v.as_str().expect("net").parse::<rust_decimal::Decimal>().expect("amount"))
        .sum();
    // The books: the opening balance and every settlement booked as received.
    let book = rust_decimal::Decimal::new(80_000, 0) + nets;
    let mut run = Reconciliation::new(profile());
    run.add(Input::new(InputKind::Channel, "wechat_sp_week.zip", fixture("wechat_sp_week.zip"))).expect("bills");
    run.add(Input::new(InputKind::Bank, "statement_week_gbk.csv", fixture("statement_week_gbk.csv")))
        .expect("statement");
    run.set_book_balance(Some(book)).expect("book balance");
    let report = run.run(Some(parse_date("2026-11-06").expect("date"))).expect("runs");
    let statement = report.balance.as_ref().and_then(|b| b.statement.as_ref()).expect("余额调节表");
    // The long pairs' d (0.66, 0.50, 120.00, 15.50) and the ambiguous credit (192.26).
    assert_eq!(statement.bank_received_not_booked.to_string(), "328.92");
    // The short pairs' d (0.50, 15.50, 0.01, 100.00) and the settlements in transit (9,432.84).
    assert_eq!(statement.booked_received_not_at_bank.to_string(), "9548.85");
    assert_eq!(
        statement.bank_balance.to_string(),
        expected("closing_balance").as_str().expect("closing").replace(',', "")
    );
    assert_eq!(statement.difference.to_string(), "0.00", "{statement:#?}");
}

/// The other layouts: an Alipay ISV detail (商户识别号) and a UnionPay ZM file (二级商户代码), the
/// platform fixture's day, against a statement where one Alipay sub-merchant is credited 0.30 short
/// and one UnionPay sub-merchant 2.00 long: each pairs with its settlement under its own number.
#[test]
fn alipay_and_unionpay_sub_merchants_pair_their_short_and_long_credits() {
    let platform = |name: &str| {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/platform").join(name))
            .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
    };
    let mut run = Reconciliation::new(Profile::default());
    for name in ["alipay_isv_29_columns_gbk.csv", "INN26032488ZM_777290058110048"] {
        run.add(Input::new(InputKind::Channel, name, platform(name))).expect("bill");
    }
    run.add(Input::new(InputKind::Bank, "statement_alipay_unionpay.csv", fixture("statement_alipay_unionpay.csv")))
        .expect("statement");
    let report = run.run(Some(parse_date("2026-03-25").expect("date"))).expect("runs");
    let flow = report.fund_flow.as_ref().expect("fund flow");
    assert_eq!((flow.counts.matched, flow.counts.amount_mismatch), (4, 4), "two matched, two pairs");
    let want = expected("other_layouts");
    let pairs: Vec<(String, String, String, Option<&str>)> = flow
        .exceptions
        .iter()
        .map(|e| {
            let b = e.pair.as_ref().and_then(|p| p.breakdown.as_ref()).expect("only pairs are open");
            (e.merchant.clone(), b.expected.to_string(), e.d.to_string(), e.label.map(|l| l.code()))
        })
        .collect();
    let of = |m: &str| {
        (want[m]["expected"].as_str().expect("expected").to_string(), want[m]["d"].as_str().expect("d").to_string())
    };
    assert_eq!(
        pairs,
        [
            ("2088701000000011".to_string(), of("2088701000000011").0, of("2088701000000011").1, Some("短款")),
            ("777290058110101".to_string(), of("777290058110101").0, of("777290058110101").1, Some("长款")),
        ]
    );
}
