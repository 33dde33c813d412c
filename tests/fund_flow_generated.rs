//! Fund flow on generated data: a seeded month for 20 merchants with every quirk the issue names,
//! property tests over random scenarios (proptest, like tests/properties.rs: a failure is shrunk to
//! a small scenario), and a year × 1,000 merchants run (correctness only; the time is printed). The
//! tests' seeded `Rng` makes the fixed data.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{Datelike, Days, NaiveDate, Weekday};
use duizhang::engine::{match_funds, Batch, FundFlow, FundInput, Movement};
use duizhang::{FundFlowSettings, FundOutcome, Input, InputKind, Profile, Reconciliation};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

#[path = "support/generate.rs"]
mod support;

use support::Rng;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).expect("a March date")
}

fn yuan(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

const HOLIDAY: u32 = 16;

/// One day's settlement of a merchant, net = gross (no refunds or fees), from one bill row.
fn daily_batch(id: String, merchant: &str, date: NaiveDate, net_cents: i64) -> Batch {
    Batch {
        id,
        merchant: merchant.to_string(),
        service_provider: None,
        settle_date: date,
        trade_from: date,
        trade_to: date,
        gross: yuan(net_cents),
        refunds: Decimal::ZERO,
        fees: Decimal::ZERO,
        net: yuan(net_cents),
        rows: 1,
        carried_since: None,
    }
}

/// A bank credit whose memo named `merchant` (or no merchant).
fn credit(id: String, line: u32, date: NaiveDate, cents: i64, merchant: Option<String>) -> Movement {
    Movement {
        id,
        file: "s.csv".into(),
        line,
        date,
        time: None,
        amount: yuan(cents),
        merchant,
        counterparty: String::new(),
        counterparty_account: String::new(),
        memo: String::new(),
        serial: String::new(),
        transaction_amount: None,
        transaction_currency: String::new(),
        carried_since: None,
    }
}

fn is_business(d: NaiveDate) -> bool {
    d != day(HOLIDAY) && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// T+1 business days, written independently of the engine: the next business day after the trade.
fn settle(trade: NaiveDate) -> NaiveDate {
    let mut d = trade + Days::new(1);
    while !is_business(d) {
        d = d + Days::new(1);
    }
    d
}

fn merchant_id(m: usize) -> String {
    if m == 19 {
        "2088000000000019".to_string()
    } else {
        format!("{}", 1_230_000_100 + m)
    }
}

/// One bank movement to write.
struct Event {
    date: NaiveDate,
    seconds: u32,
    cents: i64,
    counterparty: String,
    account: String,
    summary: String,
    purpose: String,
    dropped: bool,
}

struct Month {
    channel: String,
    statement: String,
    payouts: String,
    /// Net per (merchant, settlement date), in cents.
    batches: BTreeMap<(usize, NaiveDate), i64>,
    /// Line of the row after the dropped one, and the dropped amount.
    running_break: (u32, i64),
    closing_cents: i64,
    payout_count: usize,
}

const AS_OF: u32 = 31;

fn month(seed: u64) -> Month {
    let mut rng = Rng(seed);
    let mut channel =
        String::from("交易时间,商户号,微信订单号,商户订单号,交易状态,订单金额,手续费,商户退款单号,退款金额\n");
    let mut batches: BTreeMap<(usize, NaiveDate), i64> = BTreeMap::new();
    let mut order = 0;
    for d in 1..=30 {
        for m in 0..20 {
            for _ in 0..1 + rng.below(3) {
                order += 1;
                let amount = 5_000 + rng.below(495_000) as i64;
                let fee = (amount * 6 + 500) / 1000;
                let time = format!("2026-03-{d:02} {:02}:{:02}:00", 8 + rng.below(14), rng.below(60));
                let id = merchant_id(m);
                channel.push_str(&format!(
                    "{time},{id},42000{order:010},S{order:08},SUCCESS,{},{},,\n",
                    yuan(amount),
                    yuan(fee)
                ));
                let mut net = amount - fee;
                if rng.below(10) == 0 {
                    let refund = 100 + rng.below((amount / 2) as u64) as i64;
                    let refund_fee = (refund * 6 + 500) / 1000;
                    channel.push_str(&format!(
                        "{time},{id},42000{order:010},S{order:08},REFUND,{},-{},R{order:08},{}\n",
                        yuan(amount),
                        yuan(refund_fee),
                        yuan(refund)
                    ));
                    net -= refund - refund_fee;
                }
                *batches.entry((m, settle(day(d)))).or_default() += net;
            }
        }
    }
    // The bank: one credit per batch on its settlement date, except the scenarios below.
    let mut events = Vec::new();
    let credit = |m: usize, date: NaiveDate, cents: i64, style: Option<&str>| {
        let id = merchant_id(m);
        let date8 = date.format("%Y%m%d");
        let (counterparty, summary, purpose) = match (style, m % 4) {
            (Some(memo), _) => ("某某贸易有限公司".to_string(), memo.to_string(), String::new()),
            _ if m == 19 => ("支付宝（中国）网络技术有限公司".into(), "支付宝结算".into(), id.clone()),
            (None, 0) => ("财付通支付科技有限公司".into(), "微信支付结算".into(), format!("商户号{id} {date8}")),
            (None, 1) => ("财付通支付科技有限公司".into(), format!("{id}结算款"), String::new()),
            (None, 2) => (String::new(), format!("财付通支付科技有限公司 {id}"), String::new()),
            _ => ("财付通支付科技有限公司".into(), "结算".into(), format!("{id}结算款")),
        };
        Event {
            date,
            seconds: 9 * 3600 + m as u32 * 60,
            cents,
            counterparty,
            account: String::new(),
            summary,
            purpose,
            dropped: false,
        }
    };
    for (&(m, s), &net) in &batches {
        if s > day(30) {
            continue; // settles on the reconciliation date's morrow: in transit
        }
        match (m, s.day()) {
            (3, 18) => {
                let part = net * 2 / 5;
                events.push(credit(m, s, part, None));
                let mut second = credit(m, s, net - part, None);
                second.seconds += 30;
                events.push(second);
            }
            (5, 11) => {
                let make_up = net / 10;
                events.push(credit(m, s, net - make_up, None));
                let memo = format!("补款 商户号{}", merchant_id(m));
                events.push(credit(m, day(17), make_up, Some(&memo)));
            }
            (7, 24) => {}
            (7, 25) => events.push(credit(m, s, net + batches[&(7, day(24))], None)),
            (9, 5) => {}
            (11, 20) => events.push(credit(m, s, net, Some("货款"))),
            (13, 10) => {
                let mut lost = credit(m, s, net, None);
                lost.dropped = true;
                events.push(lost);
            }
            _ => events.push(credit(m, s, net, None)),
        }
    }
    // Payouts (代付) to merchants 0 and 1 on Mondays, one instruction not yet at the bank, a bank fee.
    let mut payouts = String::from("商户号,代付金额,收款账号,业务参考号,付款日期\n");
    let mut payout_count = 0;
    for (m, d) in [(0, 2), (0, 9), (0, 23), (0, 30), (1, 2), (1, 9), (1, 23), (1, 30), (1, 31)] {
        let cents = 200_000 + m as i64 * 100 + i64::from(d);
        let reference = format!("P{m}{d:02}");
        let account = format!("622202020000{m:04}");
        payouts.push_str(&format!("{},{},{account},{reference},2026-03-{d:02}\n", merchant_id(m), yuan(cents)));
        payout_count += 1;
        if d < AS_OF {
            events.push(Event {
                date: day(d),
                seconds: 14 * 3600,
                cents: -cents,
                counterparty: format!("商户{m}"),
                account,
                summary: "代付".into(),
                purpose: reference,
                dropped: false,
            });
        }
    }
    events.push(Event {
        date: day(AS_OF),
        seconds: 16 * 3600,
        cents: -1_250,
        counterparty: String::new(),
        account: String::new(),
        summary: "手续费".into(),
        purpose: String::new(),
        dropped: false,
    });
    events.sort_by_key(|e| (e.date, e.seconds, e.cents));
    let mut statement = String::from(
        "某某银行对公账户交易明细\n账号:6222000011112222\n交易日期,交易时间,借方发生额,贷方发生额,余额,对方户名,对方账号,摘要,用途\n",
    );
    let mut balance: i64 = 100_000_000;
    let mut line = 4;
    let mut running_break = (0, 0);
    let mut pending_drop = None;
    for e in &events {
        balance += e.cents;
        if e.dropped {
            pending_drop = Some(e.cents);
            continue;
        }
        if let Some(cents) = pending_drop.take() {
            running_break = (line, cents);
        }
        let (debit, credit) = if e.cents < 0 {
            (format!("\"{}\"", yuan(-e.cents)), "-".to_string())
        } else {
            ("-".into(), yuan(e.cents).to_string())
        };
        statement.push_str(&format!(
            "{},{:02}:{:02}:{:02},{debit},{credit},{},{},{},{},{}\n",
            e.date.format("%Y%m%d"),
            e.seconds / 3600,
            e.seconds / 60 % 60,
            e.seconds % 60,
            yuan(balance),
            e.counterparty,
            e.account,
            e.summary,
            e.purpose
        ));
        line += 1;
    }
    statement.push_str("以上数据仅供参考|具体内容请以柜台为准\n");
    Month { channel, statement, payouts, batches, running_break, closing_cents: balance, payout_count }
}

const PROFILE: &str = r#"{"fund_flow": {"settlement": "T+1", "business_days": true, "holidays": ["2026-03-16"],
    "window_days": 3, "grace_days": 3, "max_batches_per_credit": 5}}"#;

fn run_month(month: &Month, book_cents: Option<i64>) -> Reconciliation {
    let mut run = Reconciliation::new(Profile::from_json(PROFILE).expect("profile"));
    run.add(Input::new(InputKind::Channel, "bill.csv", month.channel.clone().into_bytes())).expect("bill");
    run.add(Input::new(InputKind::Bank, "statement.csv", month.statement.clone().into_bytes())).expect("statement");
    run.add(Input::new(InputKind::Payouts, "payouts.csv", month.payouts.clone().into_bytes())).expect("payouts");
    run.set_book_balance(book_cents.map(yuan)).expect("in range");
    run.run(Some(day(AS_OF))).expect("runs");
    run
}

fn batch_id(m: usize, d: u32) -> String {
    format!("batch:{}:{}", merchant_id(m), day(d))
}

#[test]
fn a_generated_month_shows_every_expected_outcome() {
    let month = month(0x5eed_2026_0331);
    let run = run_month(&month, None);
    let flow = run.fund_flow().expect("fund flow");
    let outcome_of: BTreeMap<&str, FundOutcome> =
        flow.input.batches.iter().zip(&flow.batch_results).map(|(b, r)| (b.id.as_str(), r.outcome)).collect();
    assert_eq!(outcome_of.len(), month.batches.len());
    let mut expected_open = BTreeMap::new();
    for m in 0..20 {
        expected_open.insert(batch_id(m, 31), FundOutcome::InTransit);
    }
    for (m, d) in [(9, 5), (11, 20), (13, 10)] {
        expected_open.insert(batch_id(m, d), FundOutcome::InternalOnly);
    }
    for (id, outcome) in &outcome_of {
        let expected = expected_open.get(*id).copied().unwrap_or(FundOutcome::Matched);
        assert_eq!(*outcome, expected, "{id}");
    }
    let report = run.report().expect("report");
    let view = report.fund_flow.as_ref().expect("view");
    let explanation_of = |m: usize, d: u32| {
        let id = batch_id(m, d);
        view.matches.iter().find(|g| g.batches.iter().any(|b| b.id == id)).map(|g| g.explanation.clone())
    };
    // Weekend and holiday: Thursday's trades settle Friday; Friday to the Monday holiday on Tuesday.
    assert_eq!(
        flow.input.batches.iter().filter(|b| b.settle_date == day(17) && b.merchant == merchant_id(0)).count(),
        1
    );
    assert!(
        flow.input.batches.iter().all(|b| b.settle_date != day(16) && is_business(b.settle_date)),
        "nothing settles on a weekend or the holiday"
    );
    let two_days = explanation_of(7, 24).expect("two days in one credit");
    assert!(two_days.contains("= settlements of 03-24 + 03-25 for merchant 1230000107"), "{two_days}");
    let split = explanation_of(3, 18).expect("split");
    assert!(split.contains("credits of 03-18") && split.ends_with("(split transfer)"), "{split}");
    let make_up = explanation_of(5, 11).expect("make-up");
    assert!(make_up.contains("03-11 paid late (补款, 6 days after settlement)"), "{make_up}");
    // The credit without a merchant number: unexplained, memo shown.
    let unexplained: Vec<(&str, &str)> =
        view.unexplained_movements.iter().map(|e| (e.kind.code(), e.memo.as_str())).collect();
    assert_eq!(unexplained, [("credit", "货款"), ("debit", "手续费")]);
    // Payouts: eight at the bank, the last one in transit.
    let payouts: Vec<FundOutcome> = flow.payout_results.iter().map(|r| r.outcome).collect();
    assert_eq!(payouts.len(), month.payout_count);
    assert_eq!(payouts.iter().filter(|&&o| o == FundOutcome::Matched).count(), 8);
    assert_eq!(payouts.last(), Some(&FundOutcome::InTransit));
    // The missing statement row: a running break with the dropped amount.
    let balance = report.balance.as_ref().expect("balance");
    let breaks: Vec<(u32, Decimal)> = balance.running_breaks.iter().map(|b| (b.line, b.missing.decimal())).collect();
    assert_eq!(breaks, [(month.running_break.0, yuan(month.running_break.1))]);
    let missing_net = month.batches[&(13, day(10))];
    assert_eq!(month.running_break.1, missing_net);
    // Every bank credit but one is matched; every debit but the fee.
    let open_movements: Vec<FundOutcome> =
        flow.movement_results.iter().map(|r| r.outcome).filter(|o| o.is_open()).collect();
    assert_eq!(open_movements, [FundOutcome::UnexplainedMovement; 2]);
    assert_eq!(view.counts.in_transit, 21);
    assert_eq!(view.counts.internal_only, 3);
    assert_eq!(view.counts.unexplained_movement, 2);
    assert_eq!(view.counts.external_only, 0);
    assert_eq!(view.counts.balance_break, 1, "the running break; no book balance was given");
}

#[test]
fn a_wrong_book_balance_breaks_by_exactly_its_error() {
    let month = month(0x5eed_2026_0331);
    let open_nets: i64 = (0..20).map(|m| month.batches[&(m, day(31))]).sum::<i64>()
        + [(9, 5), (11, 20), (13, 10)].iter().map(|&(m, d)| month.batches[&(m, day(d))]).sum::<i64>();
    let unexplained_credit = month.batches[&(11, day(20))];
    let payout_in_transit = 200_000 + 100 + 31;
    // book + unbooked credits − unbooked debits = bank + settlements in transit − payouts in transit
    let right = month.closing_cents + open_nets - payout_in_transit - unexplained_credit + 1_250;
    let report_of = |book: i64| {
        let run = run_month(&month, Some(book));
        run.report().and_then(|r| r.balance.clone()).and_then(|b| b.statement).expect("余额调节表")
    };
    let fine = report_of(right);
    assert_eq!((fine.outcome.code(), fine.difference.decimal()), ("matched", Decimal::new(0, 2)));
    let wrong = report_of(right + 100_000);
    assert_eq!(
        (wrong.outcome.code(), wrong.difference.decimal(), wrong.label.map(|l| l.code())),
        ("balance_break", yuan(-100_000), Some("短款"))
    );
}

// ---- Property tests on random scenarios, through the core API. ----

/// One day of one merchant in a random scenario: its settlement and how the bank credits it.
#[derive(Clone, Debug)]
struct DayPlan {
    /// The net in yuan, 1 to 8: few distinct amounts on purpose, many equal values stress the
    /// tie-breaking.
    yuan: i64,
    /// Cents on top, or none.
    cents: Option<i64>,
    /// 0 never credited, 1 credited with the next day's in one, 2 split over two days, 3 no
    /// merchant in the memo, 4 a credit that matches nothing (or, within 5%, pairs as
    /// `amount_mismatch`), 5 credited 1 to 3 fen short, 6 credited 1 to 3 fen long, else credited 0
    /// to 2 days late.
    credit: u8,
    /// Days late, for the last kind.
    late: u64,
}

fn day_plan() -> impl Strategy<Value = DayPlan> {
    (1..=8i64, prop::option::of(0..99i64), 0u8..10, 0u64..3).prop_map(|(yuan, cents, credit, late)| DayPlan {
        yuan,
        cents,
        credit,
        late,
    })
}

/// A tolerance of 0 to 2 fen and 1 to 6 merchants, each with 20 days of which about one in five
/// has no sales.
fn scenario() -> impl Strategy<Value = (i64, Vec<Vec<Option<DayPlan>>>)> {
    let merchant = prop::collection::vec(prop::option::weighted(0.8, day_plan()), 20);
    (0..3i64, prop::collection::vec(merchant, 1..=6))
}

fn build_scenario(tolerance: i64, merchants: &[Vec<Option<DayPlan>>]) -> (FundInput, FundFlowSettings) {
    let settings = FundFlowSettings { tolerance: yuan(tolerance), ..FundFlowSettings::default() };
    let mut input = FundInput::default();
    for (m, days) in merchants.iter().enumerate() {
        let merchant = merchant_id(m);
        let mut owed: Vec<(NaiveDate, i64, &DayPlan)> = Vec::new();
        for (d, plan) in (1..).zip(days) {
            let Some(plan) = plan else { continue };
            let net = 1_000 * plan.yuan + plan.cents.unwrap_or(0);
            input.batches.push(daily_batch(format!("batch:{merchant}:{}", day(d)), &merchant, day(d), net));
            owed.push((day(d), net, plan));
        }
        let mut n = 0;
        let mut i = 0;
        while i < owed.len() {
            let (date, net, plan) = owed[i];
            let mut push = |date: NaiveDate, cents: i64, merchant: Option<String>| {
                n += 1;
                input.movements.push(credit(format!("bank:{m}:{n}"), n, date, cents, merchant));
            };
            match plan.credit {
                0 => {} // never credited
                1 if i + 1 < owed.len() => {
                    push(owed[i + 1].0, net + owed[i + 1].1, Some(merchant.clone())); // two days at once
                    i += 1;
                }
                2 => {
                    push(date, net / 2, Some(merchant.clone())); // split
                    push(date + Days::new(1), net - net / 2, Some(merchant.clone()));
                }
                3 => push(date, net, None),                   // no merchant in memo
                4 => push(date, 777, Some(merchant.clone())), // matches nothing
                5 => push(date, net - 1 - plan.late as i64, Some(merchant.clone())), // short
                6 => push(date, net + 1 + plan.late as i64, Some(merchant.clone())), // long
                _ => push(date + Days::new(plan.late), net, Some(merchant.clone())),
            }
            i += 1;
        }
    }
    (input, settings)
}

/// Per id: outcome and d; per match: the sorted ids it groups. Independent of input order.
type Fingerprint = (BTreeMap<String, (FundOutcome, Decimal)>, BTreeSet<Vec<String>>);

fn fingerprint(flow: &FundFlow) -> Fingerprint {
    let mut items = BTreeMap::new();
    for (b, r) in flow.input.batches.iter().zip(&flow.batch_results) {
        items.insert(b.id.clone(), (r.outcome, r.d));
    }
    for (m, r) in flow.input.movements.iter().zip(&flow.movement_results) {
        items.insert(m.id.clone(), (r.outcome, r.d));
    }
    let groups = flow
        .matches
        .iter()
        .map(|g| {
            let mut ids: Vec<String> = g.batches.iter().map(|&b| flow.input.batches[b].id.clone()).collect();
            ids.extend(g.movements.iter().map(|&m| flow.input.movements[m].id.clone()));
            ids.sort();
            ids
        })
        .collect();
    (items, groups)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// Every item ends in exactly one outcome, amounts are conserved inside each match and
    /// overall, a match never mixes merchants, and shuffled inputs give the same outcomes and groups.
    #[test]
    fn every_item_ends_in_exactly_one_outcome_amounts_are_conserved_and_order_does_not_matter(
        (tolerance, plans) in scenario(),
        shuffle_seed in any::<u64>(),
    ) {
        let (input, settings) = build_scenario(tolerance, &plans);
        let as_of = Some(day(25));
        let flow = match_funds(input.clone(), as_of, &settings);
        assert_eq!(flow.batch_results.len(), flow.input.batches.len());
        assert_eq!(flow.movement_results.len(), flow.input.movements.len());
        // Exactly one: each item is in at most one match, and paired (matched or amount_mismatch) exactly when in one.
        let mut batch_seen = vec![0; flow.input.batches.len()];
        let mut movement_seen = vec![0; flow.input.movements.len()];
        for (n, g) in flow.matches.iter().enumerate() {
            for &b in &g.batches {
                batch_seen[b] += 1;
                assert_eq!(flow.batch_results[b].matched_in, Some(n), "{plans:?}");
            }
            for &m in &g.movements {
                movement_seen[m] += 1;
                assert_eq!(flow.movement_results[m].matched_in, Some(n), "{plans:?}");
            }
            // Conservation inside a match: d is the bank side minus the booked side, within
            // tolerance; a pair (one credit) differs by more, and no more than pair_within.
            let bank: Decimal = g.movements.iter().map(|&m| flow.input.movements[m].amount).sum();
            let booked: Decimal = g.batches.iter().map(|&b| flow.input.batches[b].net).sum();
            assert_eq!(g.d, bank - booked, "{plans:?}");
            if g.outcome == FundOutcome::AmountMismatch {
                assert!(g.d.abs() > settings.tolerance, "{plans:?}");
                assert!(g.d.abs() <= settings.pair_within.limit(booked), "{plans:?}");
                assert_eq!(g.movements.len(), 1, "{plans:?}");
            } else {
                assert!(g.d.abs() <= settings.tolerance, "{plans:?}");
            }
            let merchants: BTreeSet<&str> =
                g.batches.iter().map(|&b| flow.input.batches[b].merchant.as_str()).collect();
            assert_eq!(merchants.len(), 1, "a match never mixes merchants ({plans:?})");
        }
        for (b, r) in flow.batch_results.iter().enumerate() {
            assert!(batch_seen[b] <= 1);
            assert_eq!(batch_seen[b] == 1, r.outcome.is_paired(), "batch {b}");
        }
        for (m, r) in flow.movement_results.iter().enumerate() {
            assert!(movement_seen[m] <= 1);
            assert_eq!(movement_seen[m] == 1, r.outcome.is_paired(), "movement {m}");
        }
        // Conservation overall: matched + open = everything, on both sides.
        let open_batches: Decimal = flow
            .input
            .batches
            .iter()
            .zip(&flow.batch_results)
            .filter(|(_, r)| !r.outcome.is_paired())
            .map(|(b, _)| b.net)
            .sum();
        let matched_batches: Decimal =
            flow.matches.iter().flat_map(|g| &g.batches).map(|&b| flow.input.batches[b].net).sum();
        assert_eq!(open_batches + matched_batches, input.batches.iter().map(|b| b.net).sum::<Decimal>());
        // Order: shuffled inputs give the same outcomes and the same groups.
        let mut rng = Rng(shuffle_seed | 1);
        let mut shuffled = input.clone();
        rng.shuffle(&mut shuffled.batches);
        rng.shuffle(&mut shuffled.movements);
        let again = match_funds(shuffled, as_of, &settings);
        assert_eq!(fingerprint(&flow), fingerprint(&again), "{plans:?}");
    }
}

#[test]
fn adversarial_equal_amounts_finish_quickly_and_pair_one_to_one() {
    // 300 batches and credits of one merchant, all ¥1.00, plus unreachable credits: the bounded
    // searches must give up within their budget.
    let mut input = FundInput::default();
    for i in 0..300u32 {
        let date = day(1 + i % 28);
        input.batches.push(daily_batch(format!("batch:M:{i:03}"), "M", date, 100));
        let cents = if i % 3 == 0 { 100_003 } else { 100 };
        input.movements.push(credit(format!("bank:{i:03}"), i, date, cents, Some("M".into())));
    }
    let start = std::time::Instant::now();
    let flow = match_funds(input, Some(day(28)), &FundFlowSettings::default());
    println!("adversarial: {:?}", start.elapsed());
    let matched = flow.movement_results.iter().filter(|r| r.outcome == FundOutcome::Matched).count();
    assert_eq!(matched, 200);
}

#[test]
fn a_year_for_a_thousand_merchants_runs() {
    let first = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    let mut rng = Rng(0xbe7c4);
    let mut input = FundInput::default();
    for m in 0..1000 {
        let merchant = format!("{}", 1_230_000_000 + m);
        let mut carry = 0;
        for d in 0..365u64 {
            let date = first + Days::new(d);
            let net = 10_000 + rng.below(10_000_000) as i64;
            input.batches.push(daily_batch(format!("batch:{merchant}:{date}"), &merchant, date, net));
            // Saturdays arrive with Sunday's money: two batches in one credit.
            if date.weekday() == Weekday::Sat && d + 1 < 365 {
                carry = net;
                continue;
            }
            input.movements.push(credit(format!("bank:{m}:{d}"), d as u32, date, net + carry, Some(merchant.clone())));
            carry = 0;
        }
    }
    let (batches, movements) = (input.batches.len(), input.movements.len());
    let start = std::time::Instant::now();
    let flow =
        match_funds(input, Some(NaiveDate::from_ymd_opt(2025, 12, 31).expect("date")), &FundFlowSettings::default());
    println!("a year × 1,000 merchants: {batches} batches, {movements} credits in {:?}", start.elapsed());
    assert!(flow.batch_results.iter().all(|r| r.outcome == FundOutcome::Matched));
    assert!(flow.movement_results.iter().all(|r| r.outcome == FundOutcome::Matched));
}

#[test]
fn a_year_where_nothing_pairs_stays_within_the_run_budget() {
    // Every credit one cent off (as if the settlement rule or fee were wrong): no match, every
    // credit tries the bounded searches, and the run's hard budget caps the total work.
    let first = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    let mut rng = Rng(0x0ff);
    let mut input = FundInput::default();
    for m in 0..200 {
        let merchant = format!("{}", 1_230_000_000 + m);
        for d in 0..365u64 {
            let date = first + Days::new(d);
            let net = 10_000 + rng.below(1_000) as i64;
            input.batches.push(daily_batch(format!("batch:{merchant}:{date}"), &merchant, date, net));
            input.movements.push(credit(
                format!("bank:{m}:{d}"),
                d as u32,
                date,
                net * 100 + 1,
                Some(merchant.clone()),
            ));
        }
    }
    let start = std::time::Instant::now();
    let flow =
        match_funds(input, Some(NaiveDate::from_ymd_opt(2025, 12, 31).expect("date")), &FundFlowSettings::default());
    println!("nothing pairs, 73,000 credits: {:?}", start.elapsed());
    assert!(flow.movement_results.iter().all(|r| r.outcome == FundOutcome::ExternalOnly));
    assert!(flow.search_budget_exhausted);
}
