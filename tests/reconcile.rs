//! Transaction-level reconciliation, end to end through the public API, on checked-in fixtures.
#![cfg(not(target_arch = "wasm32"))]

use duizhang::{reconcile, Input, InputKind, Outcome, Profile, Reconciliation, Report};
use std::collections::BTreeMap;
use std::path::Path;

#[path = "support/generate.rs"]
mod support;

use support::Rng;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn sample_profile() -> Profile {
    Profile::from_json(&String::from_utf8(fixture("sample/profile.json")).expect("utf-8")).expect("valid profile")
}

fn run(internal: &str, channel: &str, profile: Profile) -> Report {
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    reconcile(
        vec![
            Input::new(InputKind::Internal, name(internal), fixture(internal)),
            Input::new(InputKind::Channel, name(channel), fixture(channel)),
        ],
        profile,
        None,
    )
    .expect("the run completes")
}

/// (outcome, key, d) of every exception: what a reader of the report checks.
fn exceptions(report: &Report) -> Vec<(&'static str, String, String)> {
    report.exceptions.iter().map(|e| (e.class.code(), e.key.clone(), e.d.to_string())).collect()
}

#[test]
fn sample_day_shows_every_outcome_with_d_and_label() {
    let report = run("sample/orders.csv", "sample/channel.csv", sample_profile());
    let counts = &report.summary.counts;
    assert_eq!(
        [
            counts.matched,
            counts.matched_within_tolerance,
            counts.amount_mismatch,
            counts.status_mismatch,
            counts.internal_only,
            counts.external_only,
            counts.duplicate,
            counts.pending
        ],
        [9, 1, 2, 2, 1, 1, 1, 2]
    );
    let expected = [
        ("matched_within_tolerance", "S202603240007", "-0.01"),
        ("amount_mismatch", "S202603240006", "-8.00"),
        ("amount_mismatch", "S202603240008", "10.00"),
        ("status_mismatch", "S202603240009", "19.90"),
        ("status_mismatch", "S202603240017", "-35.00"),
        ("internal_only", "S202603240010", "-520.00"),
        ("external_only", "S202603240021", "42.00"),
        ("duplicate", "S202603240011", "76.00"),
        ("pending", "S202603240012", "0.00"),
        ("pending", "S202603240015", "-210.00"),
    ];
    let expected: Vec<_> = expected.iter().map(|(c, k, d)| (*c, k.to_string(), d.to_string())).collect();
    assert_eq!(exceptions(&report), expected);
    // Timing is not a break: pending items keep their d but carry no label and stay out of the
    // long and short totals, which have their own timing total beside them.
    for e in &report.exceptions {
        let expected_label = if e.d.is_zero() || e.class == Outcome::Pending {
            None
        } else if e.d.decimal().is_sign_positive() {
            Some("长款")
        } else {
            Some("短款")
        };
        assert_eq!(e.label.map(|l| l.code()), expected_label, "{}", e.key);
    }
    assert_eq!(report.summary.long_total.to_string(), "147.90");
    assert_eq!(report.summary.short_total.to_string(), "-563.01");
    assert_eq!(report.summary.timing_total.to_string(), "-210.00");
    assert_eq!(report.summary.amounts.matched.to_string(), "2197.90");
    assert_eq!(report.summary.cross_day, 1, "S202603240016 paid at 00:00:40 the next day");
    assert_eq!(report.date.as_deref(), Some("2026-03-24"));
    assert_eq!(report.date_source, "inferred");
    // The refund matched as its own item by its refund number, with the amount from 退款金额.
    assert!(!report.exceptions.iter().any(|e| e.key == "R202603240001" || e.key == "S202603230099"));
    // Title row, the bad amount and the 合计 row are reported, not reconciled.
    let issues: Vec<(Option<u32>, Option<u32>, &str)> =
        report.issues.iter().map(|i| (i.line, i.column, i.code.code())).collect();
    assert_eq!(
        issues,
        vec![
            (Some(1), None, "title_row_skipped"),
            (Some(16), Some(3), "invalid_amount"),
            (Some(21), None, "total_row_skipped")
        ]
    );
}

#[test]
fn nothing_is_lost_every_row_has_exactly_one_outcome() {
    let mut run = Reconciliation::new(sample_profile());
    run.add(Input::new(InputKind::Internal, "orders.csv", fixture("sample/orders.csv"))).expect("reads");
    run.add(Input::new(InputKind::Channel, "channel.csv", fixture("sample/channel.csv"))).expect("reads");
    let report = run.run(None).expect("runs").clone();
    let matching = run.matching().expect("matched");
    let mut rows_per_outcome: BTreeMap<Outcome, u64> = BTreeMap::new();
    for (table, outcomes) in run.tables().iter().zip(&matching.row_outcomes) {
        assert_eq!(outcomes.len(), table.row_count());
        for outcome in outcomes {
            *rows_per_outcome.entry(*outcome).or_default() += 1;
        }
    }
    // A pair is one item but two rows; singles and duplicates are one row each.
    for &outcome in Outcome::ALL {
        let items = *report.summary.counts.get(outcome);
        let rows = rows_per_outcome.get(&outcome).copied().unwrap_or(0);
        let paired = matches!(
            outcome,
            Outcome::Matched | Outcome::MatchedWithinTolerance | Outcome::AmountMismatch | Outcome::StatusMismatch
        );
        assert_eq!(rows, if paired { 2 * items } else { items }, "{outcome:?}");
    }
    for side in [report.summary.rows.internal, report.summary.rows.channel] {
        assert_eq!(side.read, side.reconciled + side.skipped);
    }
    assert_eq!(report.summary.rows.internal.read, 19);
    assert_eq!(report.summary.rows.channel.read, 16);
}

fn shuffled(text: &str, skip_head: usize, skip_tail: usize, rng: &mut Rng) -> Vec<u8> {
    let lines: Vec<&str> = text.lines().collect();
    let (head, rest) = lines.split_at(skip_head);
    let (body, tail) = rest.split_at(rest.len() - skip_tail);
    let mut body = body.to_vec();
    rng.shuffle(&mut body);
    let all: Vec<&str> = head.iter().chain(body.iter()).chain(tail.iter()).copied().collect();
    (all.join("\n") + "\n").into_bytes()
}

#[test]
fn result_does_not_depend_on_row_order() {
    let orders = String::from_utf8(fixture("sample/orders.csv")).expect("utf-8");
    let channel = String::from_utf8(fixture("sample/channel.csv")).expect("utf-8");
    let baseline = run("sample/orders.csv", "sample/channel.csv", sample_profile());
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for _ in 0..20 {
        let report = reconcile(
            vec![
                Input::new(InputKind::Internal, "orders.csv", shuffled(&orders, 2, 1, &mut rng)),
                Input::new(InputKind::Channel, "channel.csv", shuffled(&channel, 1, 0, &mut rng)),
            ],
            sample_profile(),
            None,
        )
        .expect("runs");
        assert_eq!(report.summary.counts, baseline.summary.counts);
        assert_eq!(report.summary.amounts, baseline.summary.amounts);
        assert_eq!(report.summary.long_total, baseline.summary.long_total);
        assert_eq!(exceptions(&report), exceptions(&baseline));
    }
}

#[test]
fn duplicates_on_either_side_keep_the_best_copy_matched_whatever_the_order() {
    let orders = "order_no,amount,status\nA1,10.00,SUCCESS\nA1,10.00,SUCCESS\nB1,5.00,SUCCESS\n";
    for bill in [
        "order_no,amount,trade_type\nA1,10.00,SUCCESS\nB1,6.00,SUCCESS\nB1,5.00,SUCCESS\n",
        "order_no,amount,trade_type\nB1,5.00,SUCCESS\nB1,6.00,SUCCESS\nA1,10.00,SUCCESS\n",
    ] {
        let report = reconcile(
            vec![
                Input::new(InputKind::Internal, "o.csv", orders.as_bytes().to_vec()),
                Input::new(InputKind::Channel, "c.csv", bill.as_bytes().to_vec()),
            ],
            Profile::default(),
            None,
        )
        .expect("runs");
        assert_eq!(report.summary.counts.matched, 2, "A1 and B1 (the 5.00 copy) match");
        assert_eq!(report.summary.counts.duplicate, 2, "the second A1 order and the 6.00 B1 row");
        let dups: Vec<String> = report.exceptions.iter().map(|e| e.d.to_string()).collect();
        assert_eq!(dups, vec!["-10.00", "6.00"], "an extra booked copy is short, an extra channel copy long");
    }
}

#[test]
fn cutoff_window_makes_late_orders_pending_and_the_window_is_configurable() {
    let orders = "order_no,amount,status,created_at\n\
                  A1,10.00,SUCCESS,2024-03-15 10:00:00\n\
                  A2,20.00,SUCCESS,2024-03-15 23:56:00\n\
                  A3,30.00,SUCCESS,2024-03-15 23:54:59\n";
    let bill = "order_no,amount,trade_type,trade_time\nA1,10.00,SUCCESS,2024-03-16 00:00:01\n";
    let outcome_of = |profile: &str| {
        let mut run = Reconciliation::new(Profile::from_json(profile).expect("valid"));
        run.add(Input::new(InputKind::Internal, "o.csv", orders.as_bytes().to_vec())).expect("reads");
        run.add(Input::new(InputKind::Channel, "c.csv", bill.as_bytes().to_vec())).expect("reads");
        let date = duizhang::parse_date("2024-03-15").expect("date");
        let report = run.run(Some(date)).expect("runs");
        (exceptions(report), report.summary.cross_day)
    };
    let (default, cross_day) = outcome_of("{}");
    assert_eq!(
        default,
        vec![
            ("internal_only", "A3".to_string(), "-30.00".to_string()),
            ("pending", "A2".to_string(), "-20.00".to_string())
        ]
    );
    assert_eq!(cross_day, 1);
    let (wider, _) = outcome_of(r#"{"pending_window_minutes": 10}"#);
    assert!(wider.iter().all(|(class, _, _)| *class == "pending"), "{wider:?}");
    let (earlier_cutoff, cross_day) = outcome_of(r#"{"cutoff": "23:00"}"#);
    assert!(earlier_cutoff.iter().all(|(class, _, _)| *class == "pending"), "{earlier_cutoff:?}");
    assert_eq!(cross_day, 1);
}

#[test]
fn transaction_number_fallback_pairs_rows_without_a_shared_order_number() {
    let orders = "order_no,trade_no,amount,status\nA1,,10.00,SUCCESS\n,T2,20.00,SUCCESS\n";
    let bill = "trade_no,order_no,amount,trade_type\nT1,A1,10.00,SUCCESS\nT2,X9,20.00,SUCCESS\n";
    let count_matched = |profile: &str| {
        reconcile(
            vec![
                Input::new(InputKind::Internal, "o.csv", orders.as_bytes().to_vec()),
                Input::new(InputKind::Channel, "c.csv", bill.as_bytes().to_vec()),
            ],
            Profile::from_json(profile).expect("valid"),
            None,
        )
        .map(|r| (r.summary.counts.matched, r.summary.counts.external_only, r.issues.len()))
        .expect("runs")
    };
    assert_eq!(count_matched("{}"), (1, 1, 1), "without fallback the order-less row is a missing_key issue");
    assert_eq!(count_matched(r#"{"key": "order_no_then_trade_no"}"#), (2, 0, 0));
}

#[test]
fn encodings_line_endings_and_decorations_give_the_same_result() {
    let baseline = run("sample/orders.csv", "sample/channel.csv", sample_profile());
    for (internal, channel) in [
        ("encodings/orders_gbk_crlf.csv", "encodings/channel_utf16le.csv"),
        ("sample/orders.csv", "encodings/channel_utf16be_crlf.csv"),
        ("sample/orders.csv", "encodings/channel_decorated.csv"),
    ] {
        let report = run(internal, channel, sample_profile());
        assert_eq!(report.summary.counts, baseline.summary.counts, "{channel}");
        assert_eq!(report.summary.amounts, baseline.summary.amounts, "{channel}");
        assert_eq!(exceptions(&report), exceptions(&baseline), "{channel}");
    }
    let gbk = run("encodings/orders_gbk_crlf.csv", "sample/channel.csv", sample_profile());
    assert_eq!(gbk.files[0].encoding, "GB18030");
    let decorated = run("sample/orders.csv", "encodings/channel_decorated.csv", sample_profile());
    assert_eq!(decorated.files[1].columns.get("order_no").map(String::as_str), Some("商户订单号"));
}

#[test]
fn the_profile_maps_unknown_headers_and_adds_status_words() {
    let orders = "单据编号,实付,单据状态\nA1,10.00,已入账\n";
    let bill = "order_no,amount\nA1,10.00\n";
    let profile = r#"{"columns": {"internal": {"order_no": "单据编号", "amount": "实付", "status": "单据状态"}},
                      "status_words": {"success": ["已入账"]}}"#;
    let report = reconcile(
        vec![
            Input::new(InputKind::Internal, "o.csv", orders.as_bytes().to_vec()),
            Input::new(InputKind::Channel, "c.csv", bill.as_bytes().to_vec()),
        ],
        Profile::from_json(profile).expect("valid"),
        None,
    )
    .expect("runs");
    assert_eq!(report.summary.counts.matched, 1);
    assert_eq!(report.date_source, "none", "no time column: no date to infer");
}

#[test]
fn keys_sharing_their_first_sixteen_bytes_are_still_different_keys() {
    // Grouping compares a key's first 16 bytes inline and only longer keys in full: keys that share
    // those bytes, or differ only in length or a trailing NUL-like zero, must never pair.
    let internal = "order_no,amount,status\n\
        4200001234567890AAAA,10.00,SUCCESS\n\
        4200001234567890BBBB,20.00,SUCCESS\n\
        4200001234567890,30.00,SUCCESS\n\
        A1,40.00,SUCCESS\n";
    let channel = "order_no,amount,status\n\
        4200001234567890BBBB,20.00,SUCCESS\n\
        4200001234567890CCCC,10.00,SUCCESS\n\
        42000012345678900,30.00,SUCCESS\n\
        A10,40.00,SUCCESS\n";
    let report = reconcile(
        vec![
            Input::new(InputKind::Internal, "orders.csv", internal.as_bytes().to_vec()),
            Input::new(InputKind::Channel, "bill.csv", channel.as_bytes().to_vec()),
        ],
        Profile::default(),
        None,
    )
    .expect("the run completes");
    let counts = &report.summary.counts;
    assert_eq!((counts.matched, counts.internal_only, counts.external_only), (1, 3, 3));
    let keys: Vec<String> = report.exceptions.iter().map(|e| e.key.clone()).collect();
    assert!(keys.contains(&"4200001234567890AAAA".to_string()) && keys.contains(&"A10".to_string()), "{keys:?}");
}

/// A new input, setting or resolution file after a run drops every result of that run: nothing a
/// caller reads afterwards can be the old run's answer to a question about the new inputs.
#[test]
fn a_new_input_after_a_run_clears_every_result_of_it() {
    let mut run = Reconciliation::new(sample_profile());
    run.add(Input::new(InputKind::Internal, "orders.csv", fixture("sample/orders.csv"))).expect("orders");
    run.add(Input::new(InputKind::Channel, "channel.csv", fixture("sample/channel.csv"))).expect("bill");
    run.run(None).expect("runs");
    assert!(run.report().is_some() && run.matching().is_some() && run.exceptions_page(0, 10, None).is_ok());
    run.add(Input::new(InputKind::Bank, "statement.csv", fixture("bank/statement_corporate.csv"))).expect("bank");
    assert!(run.report().is_none(), "the report of the run before the statement");
    assert!(run.matching().is_none() && run.fund_flow().is_none() && run.carry_out().is_none());
    assert!(run.exceptions_page(0, 10, None).is_err(), "no page of a run that is gone");
    run.run(None).expect("runs again");
    assert!(run.report().expect("the new report").fund_flow.is_some(), "the new run has the statement");
    run.set_book_balance(Some(rust_decimal::Decimal::ONE)).expect("in range");
    assert!(run.report().is_none(), "a setting changed too");
}
