//! Fund flow (资金流, 资金对账): the channel's settlement batches against the bank's credits, payout
//! instructions against the bank's debits, and the balances (账实核对, see [`balance`]).
//!
//! Batches are built per merchant per settlement date (net = gross − refunds − fees), the merchant of
//! a credit is read from its memo ([`memo`]), and each merchant's batches and credits are matched in
//! four deterministic passes: one to one within the window; several batches to one credit
//! (consecutive days first, then a bounded subset search); one batch to several credits (split
//! transfers, a short payment and its make-up); one to one late (补款 within window + grace). What
//! is left is `in_transit` within the grace period, a break after it. Items carried from an earlier run
//! ([`carry`]) take part like new ones, so a credit two days late clears yesterday's open batch.
//!
//! ```
//! use duizhang::{Profile, Reconciliation, Side};
//!
//! let bill = "交易时间,商户号,商户订单号,交易状态,订单金额,手续费\n\
//!             2026-03-23 10:00:00,1230000109,S1,SUCCESS,1000.00,6.00\n\
//!             2026-03-24 11:00:00,1230000109,S2,SUCCESS,500.00,3.00\n";
//! let statement = "交易日期,借方发生额,贷方发生额,余额,摘要\n\
//!                  2026-03-25,,1491.00,11491.00,微信支付结算 商户号1230000109 20260324\n";
//! let mut run = Reconciliation::new(Profile::default());
//! run.add_file(Side::Channel, "bill.csv", bill.as_bytes().to_vec())?;
//! run.add_fund_file(Side::Bank, "statement.csv", statement.as_bytes().to_vec())?;
//! run.set_book_balance(Some("11491.00".parse().expect("amount")))?;
//! let report = run.run(Some(duizhang::parse_date("2026-03-25")?))?;
//! let flow = report.fund_flow.as_ref().expect("bank input was given");
//! assert_eq!(
//!     flow.matches[0].explanation,
//!     "credit 2026-03-25 ¥1,491.00 = settlements of 03-24 + 03-25 for merchant 1230000109"
//! );
//! let statement = report.balance.as_ref().and_then(|b| b.statement.as_ref()).expect("余额调节表");
//! assert_eq!(statement.difference.to_string(), "0.00");
//! # Ok::<(), duizhang::Error>(())
//! ```

pub mod balance;
pub mod carry;
pub mod memo;
pub(crate) mod search;
pub mod settings;
pub mod view;

pub use settings::FundFlowSettings;

use crate::read::bank::{Payout, Statement};
use crate::read::Table;
use crate::record::Status;
use crate::time::date_of;
use carry::CarriedKind;
use chrono::{Datelike, NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest amount fund flow takes (10^15 yuan): with it, no sum of a year's rows can overflow a
/// `Decimal` (which would panic), and no real statement comes near it.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xa4c6_8000, 0x3_8d7e, 0, false, 0);

/// Whether an amount is within [`MAX_AMOUNT`].
pub fn amount_in_range(amount: Decimal) -> bool {
    amount.abs() <= MAX_AMOUNT
}

/// The outcome of one fund-flow item (codes as in DOMAIN.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundOutcome {
    /// Paired exactly (对平).
    Matched,
    /// Paired; the amounts differ within the tolerance (容差内对平).
    MatchedWithinTolerance,
    /// Not paired yet, within the grace period (未达账项).
    InTransit,
    /// The books (channel settlement, payout instruction) have it, the bank does not (单边账).
    InternalOnly,
    /// The bank has it, the books do not (单边账).
    ExternalOnly,
    /// A bank movement no record explains, e.g. a memo without a merchant number (无法识别款项).
    UnexplainedMovement,
}

impl FundOutcome {
    /// Every outcome, in report order.
    pub const ALL: [FundOutcome; 6] = [
        FundOutcome::Matched,
        FundOutcome::MatchedWithinTolerance,
        FundOutcome::InTransit,
        FundOutcome::InternalOnly,
        FundOutcome::ExternalOnly,
        FundOutcome::UnexplainedMovement,
    ];

    /// The code used in JSON and the JS API.
    pub fn code(self) -> &'static str {
        match self {
            FundOutcome::Matched => "matched",
            FundOutcome::MatchedWithinTolerance => "matched_within_tolerance",
            FundOutcome::InTransit => "in_transit",
            FundOutcome::InternalOnly => "internal_only",
            FundOutcome::ExternalOnly => "external_only",
            FundOutcome::UnexplainedMovement => "unexplained_movement",
        }
    }

    /// The Chinese name users know.
    pub fn name_zh(self) -> &'static str {
        match self {
            FundOutcome::Matched => "对平",
            FundOutcome::MatchedWithinTolerance => "容差内对平",
            FundOutcome::InTransit => "未达账项",
            FundOutcome::InternalOnly => "单边账(平台有、银行无)",
            FundOutcome::ExternalOnly => "单边账(银行有、平台无)",
            FundOutcome::UnexplainedMovement => "无法识别款项",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<FundOutcome> {
        FundOutcome::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Whether the item is still open and goes into the carry state.
    pub fn is_open(self) -> bool {
        !matches!(self, FundOutcome::Matched | FundOutcome::MatchedWithinTolerance)
    }
}

/// What the channel settles to one merchant on one settlement date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Batch {
    /// Stable id: `batch:{merchant}:{settle_date}`.
    pub id: String,
    /// Merchant number (商户号).
    pub merchant: String,
    /// Settlement date by the T+N rule.
    pub settle_date: NaiveDate,
    /// Earliest trade date in the batch.
    pub trade_from: NaiveDate,
    /// Latest trade date in the batch.
    pub trade_to: NaiveDate,
    /// Sum of payments.
    pub gross: Decimal,
    /// Sum of refunds (positive).
    pub refunds: Decimal,
    /// Sum of fees as written.
    pub fees: Decimal,
    /// gross − refunds − fees: what should arrive.
    pub net: Decimal,
    /// Channel rows in the batch (not shown in reports).
    #[serde(skip)]
    pub rows: u32,
    /// First run that saw this batch, when it was carried in.
    pub carried_since: Option<NaiveDate>,
}

/// A bank movement as fund flow sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Movement {
    /// Stable id: `bank:{file}:{line}`.
    pub id: String,
    /// Statement file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// Booking date.
    pub date: NaiveDate,
    /// Time, when known.
    #[serde(skip)]
    pub time: Option<NaiveTime>,
    /// Signed amount: credit +, debit −.
    pub amount: Decimal,
    /// Merchant read from the memo.
    pub merchant: Option<String>,
    /// Counterparty name.
    pub counterparty: String,
    /// Counterparty account.
    pub counterparty_account: String,
    /// Memo (摘要 附言 用途).
    pub memo: String,
    /// Bank serial.
    pub serial: String,
    /// First run that saw this movement, when it was carried in.
    pub carried_since: Option<NaiveDate>,
}

/// A payout instruction as fund flow sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PayoutItem {
    /// Stable id: `payout:{file}:{line}`.
    pub id: String,
    /// Instruction file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// The instruction.
    #[serde(flatten)]
    pub payout: Payout,
    /// First run that saw this instruction, when it was carried in.
    pub carried_since: Option<NaiveDate>,
}

/// Everything fund flow matches.
#[derive(Clone, Debug, Default)]
pub struct FundInput {
    /// Settlement batches.
    pub batches: Vec<Batch>,
    /// Bank movements (credits and debits).
    pub movements: Vec<Movement>,
    /// Payout instructions.
    pub payouts: Vec<PayoutItem>,
}

/// Settlement or payout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Channel settlements against bank credits.
    Settlement,
    /// Payout instructions against bank debits.
    Payout,
}

/// A group of items paired together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundMatch {
    /// Settlement or payout.
    pub kind: MatchKind,
    /// `matched` or `matched_within_tolerance`.
    pub outcome: FundOutcome,
    /// Merchant.
    pub merchant: String,
    /// d = E − B: bank amount minus booked amount.
    pub d: Decimal,
    /// Indexes into [`FundInput::movements`].
    pub movements: Vec<usize>,
    /// Indexes into [`FundInput::batches`].
    pub batches: Vec<usize>,
    /// Indexes into [`FundInput::payouts`].
    pub payouts: Vec<usize>,
    /// Why these belong together, for a person.
    pub explanation: String,
}

/// The outcome of one item, with its discrepancy and age.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemResult {
    /// Outcome.
    pub outcome: FundOutcome,
    /// d = E − B.
    pub d: Decimal,
    /// Days since it was due (unmatched items), 0 when not due yet.
    pub age_days: Option<i64>,
    /// The match it belongs to.
    pub matched_in: Option<usize>,
    /// Why, for a person (empty for matched items: see the match's explanation).
    pub message: String,
}

/// The result of fund-flow matching: one [`ItemResult`] per batch, movement and payout.
#[derive(Clone, Debug, Default)]
pub struct FundFlow {
    /// The reconciliation date the ages are counted to.
    pub as_of: Option<NaiveDate>,
    /// The inputs, as matched.
    pub input: FundInput,
    /// One per batch.
    pub batch_results: Vec<ItemResult>,
    /// One per movement.
    pub movement_results: Vec<ItemResult>,
    /// One per payout.
    pub payout_results: Vec<ItemResult>,
    /// The paired groups, in the order they were found (deterministic).
    pub matches: Vec<FundMatch>,
    /// The run's subset-search budget ran out: some many-to-one matches may have been missed.
    pub search_budget_exhausted: bool,
}

/// Settlement batches from the channel tables' rows: per merchant per settlement date.
/// Rows without a time cannot be dated, and amounts beyond [`MAX_AMOUNT`] are not money: both are
/// left out and counted in the return value. Rows keep no merchant number or fee, so the records
/// of the rows that are batched are read again, once, in file order.
pub fn batches_from_tables(tables: &[Table], settings: &FundFlowSettings) -> crate::Result<(Vec<Batch>, u64)> {
    let mut batches: BTreeMap<(String, NaiveDate), Batch> = BTreeMap::new();
    let mut settle_dates: rustc_hash::FxHashMap<NaiveDate, NaiveDate> = Default::default();
    let mut unbatched = 0;
    for table in tables.iter().filter(|t| t.side == crate::record::Side::Channel) {
        // (record offset << 32 | row), sorted: the file is read front to back once.
        let mut wanted: Vec<u64> = Vec::new();
        for (n, row) in table.rows().enumerate() {
            if !row.status.moved_money() {
                continue;
            }
            match row.time().and_then(date_of) {
                Some(_) if amount_in_range(table.amount(row)) => wanted.push(u64::from(row.offset) << 32 | n as u64),
                _ => unbatched += 1,
            }
        }
        crate::sort::u64s(&mut wanted);
        let offsets: Vec<u32> = wanted.iter().map(|w| (w >> 32) as u32).collect();
        table.sweep(&offsets, &mut |n, record| {
            let row = table.row((wanted[n] & u64::from(u32::MAX)) as u32);
            let Some(trade) = row.time().and_then(date_of) else { return Ok(()) };
            let fee = table.fee_of(record);
            if !fee.is_none_or(amount_in_range) {
                unbatched += 1;
                return Ok(());
            }
            let settle = *settle_dates.entry(trade).or_insert_with(|| settings.settlement_date(trade));
            let merchant = table.field_of(record, crate::record::Field::MerchantId);
            let batch = batches.entry((merchant.to_string(), settle)).or_insert_with(|| Batch {
                id: format!("batch:{merchant}:{settle}"),
                merchant: merchant.to_string(),
                settle_date: settle,
                trade_from: trade,
                trade_to: trade,
                gross: Decimal::ZERO,
                refunds: Decimal::ZERO,
                fees: Decimal::ZERO,
                net: Decimal::ZERO,
                rows: 0,
                carried_since: None,
            });
            batch.trade_from = batch.trade_from.min(trade);
            batch.trade_to = batch.trade_to.max(trade);
            batch.rows += 1;
            let amount = table.amount(row);
            match row.status {
                Status::Refund => batch.refunds += amount.abs(),
                _ => batch.gross += amount,
            }
            batch.fees += fee.unwrap_or_default();
            batch.net = batch.gross - batch.refunds - batch.fees;
            Ok(())
        })?;
    }
    Ok((batches.into_values().collect(), unbatched))
}

/// Bank movements from statements, with the merchant read from each memo.
pub fn movements_from_statements(statements: &[Statement], settings: &FundFlowSettings) -> Vec<Movement> {
    statements
        .iter()
        .flat_map(|s| {
            s.entries.iter().map(move |e| Movement {
                id: format!("bank:{}:{}", s.name, e.line),
                file: s.name.clone(),
                line: e.line,
                date: e.date,
                time: e.time,
                amount: e.amount,
                merchant: None,
                counterparty: e.counterparty.clone(),
                counterparty_account: e.counterparty_account.clone(),
                memo: e.memo.clone(),
                serial: e.serial.clone(),
                carried_since: None,
            })
        })
        .map(|mut m| {
            if m.amount.is_sign_positive() {
                m.merchant = memo::merchant_of(&settings.memo_patterns, &m.counterparty, &m.memo);
            }
            m
        })
        .collect()
}

/// Everything fund flow matches, from the run's inputs: carried items first, then the channel
/// tables' batches, the statements' movements and the payout instructions. Ids are made unique
/// (a daily export named `statement.csv` again has the same file and lines as yesterday's).
/// Returns the input and the number of channel rows in no batch.
pub fn assemble(
    tables: &[Table],
    statements: &[Statement],
    payout_files: &[crate::read::bank::PayoutFile],
    carry_in: Option<&carry::CarryState>,
    settings: &FundFlowSettings,
) -> crate::Result<(FundInput, u64)> {
    let mut input = FundInput::default();
    if let Some(carry) = carry_in {
        carry.add_to(&mut input);
        // A memo pattern added since yesterday may now name yesterday's unexplained credit.
        for m in input.movements.iter_mut().filter(|m| m.merchant.is_none() && m.amount > Decimal::ZERO) {
            m.merchant = memo::merchant_of(&settings.memo_patterns, &m.counterparty, &m.memo);
        }
    }
    // A carried item read again today (a bill or statement that covers yesterday too, or the same
    // file given twice) is one item, not two: today's copy replaces it and keeps its first-seen
    // date. Ids of statement and payout lines name a file and a line, and a bank's daily file
    // often has the same name every day, so those count as the same item only when date and
    // amount agree too; otherwise today's item gets a fresh id.
    let mut carried: rustc_hash::FxHashMap<String, (CarriedKind, usize)> = Default::default();
    carried.extend(input.batches.iter().enumerate().map(|(i, b)| (b.id.clone(), (CarriedKind::Batch, i))));
    carried.extend(input.movements.iter().enumerate().map(|(i, m)| (m.id.clone(), (CarriedKind::Movement, i))));
    carried.extend(input.payouts.iter().enumerate().map(|(i, p)| (p.id.clone(), (CarriedKind::Payout, i))));
    let mut ids: rustc_hash::FxHashSet<String> = carried.keys().cloned().collect();
    let mut unique = |id: &mut String| {
        let base = id.clone();
        let mut n = 2;
        while ids.contains(id.as_str()) {
            *id = format!("{base}#{n}");
            n += 1;
        }
        ids.insert(id.clone());
    };
    let (batches, unbatched) = batches_from_tables(tables, settings)?;
    for mut batch in batches {
        match carried.remove(&batch.id) {
            Some((CarriedKind::Batch, i)) => {
                batch.carried_since = input.batches[i].carried_since;
                input.batches[i] = batch;
            }
            _ => {
                unique(&mut batch.id);
                input.batches.push(batch);
            }
        }
    }
    for mut movement in movements_from_statements(statements, settings) {
        match carried.get(&movement.id) {
            Some(&(CarriedKind::Movement, i))
                if (input.movements[i].date, input.movements[i].amount) == (movement.date, movement.amount) =>
            {
                carried.remove(&movement.id);
                movement.carried_since = input.movements[i].carried_since;
                input.movements[i] = movement;
            }
            _ => {
                unique(&mut movement.id);
                input.movements.push(movement);
            }
        }
    }
    for file in payout_files {
        for p in &file.payouts {
            let mut payout = PayoutItem {
                id: format!("payout:{}:{}", file.name, p.line),
                file: file.name.clone(),
                line: p.line,
                payout: p.clone(),
                carried_since: None,
            };
            match carried.get(&payout.id) {
                Some(&(CarriedKind::Payout, i))
                    if (input.payouts[i].payout.date, input.payouts[i].payout.amount) == (p.date, p.amount) =>
                {
                    carried.remove(&payout.id);
                    payout.carried_since = input.payouts[i].carried_since;
                    input.payouts[i] = payout;
                }
                _ => {
                    unique(&mut payout.id);
                    input.payouts.push(payout);
                }
            }
        }
    }
    Ok((input, unbatched))
}

/// `¥12,345.67`: money for explanations, always to the fen. A value read from a spreadsheet cell
/// (a float such as 2435.3) has lost the zeros the merchant sees; more digits than two are kept.
pub fn format_yuan(amount: Decimal) -> String {
    let mut amount = amount;
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    let text = amount.abs().to_string();
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(text.len() + 6);
    for (n, c) in int.chars().enumerate() {
        if n > 0 && (int.len() - n) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}¥{grouped}.{f}"),
        None => format!("{sign}¥{grouped}"),
    }
}

fn short_date(date: NaiveDate) -> String {
    format!("{:02}-{:02}", date.month(), date.day())
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

struct Matcher<'a> {
    settings: &'a FundFlowSettings,
    input: &'a FundInput,
    batch_match: Vec<Option<usize>>,
    movement_match: Vec<Option<usize>>,
    payout_match: Vec<Option<usize>>,
    matches: Vec<FundMatch>,
    /// Subset-search nodes the run has left ([`search::RUN_BUDGET`]).
    search_budget: u64,
}

impl Matcher<'_> {
    fn lookback(&self) -> i64 {
        i64::from(self.settings.window_days) + i64::from(self.settings.grace_days)
    }

    fn record(
        &mut self,
        kind: MatchKind,
        merchant: &str,
        movements: Vec<usize>,
        batches: Vec<usize>,
        payouts: Vec<usize>,
    ) {
        let bank: Decimal = movements.iter().map(|&m| self.input.movements[m].amount).sum();
        let booked: Decimal = batches.iter().map(|&b| self.input.batches[b].net).sum::<Decimal>()
            - payouts.iter().map(|&p| self.input.payouts[p].payout.amount).sum::<Decimal>();
        let d = bank - booked;
        let outcome = if d.is_zero() { FundOutcome::Matched } else { FundOutcome::MatchedWithinTolerance };
        let n = self.matches.len();
        for &m in &movements {
            self.movement_match[m] = Some(n);
        }
        for &b in &batches {
            self.batch_match[b] = Some(n);
        }
        for &p in &payouts {
            self.payout_match[p] = Some(n);
        }
        let explanation = self.explain(kind, merchant, &movements, &batches, &payouts, d);
        self.matches.push(FundMatch {
            kind,
            outcome,
            merchant: merchant.to_string(),
            d,
            movements,
            batches,
            payouts,
            explanation,
        });
    }

    fn explain(&self, kind: MatchKind, merchant: &str, ms: &[usize], bs: &[usize], ps: &[usize], d: Decimal) -> String {
        let input = self.input;
        let entry = |m: usize| {
            let e = &input.movements[m];
            format!("{} {}", short_date(e.date), format_yuan(e.amount.abs()))
        };
        let mut text = match kind {
            MatchKind::Settlement if ms.len() == 1 => {
                let c = &input.movements[ms[0]];
                let dates: Vec<String> = bs.iter().map(|&b| short_date(input.batches[b].settle_date)).collect();
                let noun = if bs.len() == 1 { "settlement" } else { "settlements" };
                format!(
                    "credit {} {} = {noun} of {} for merchant {merchant}",
                    c.date,
                    format_yuan(c.amount),
                    dates.join(" + ")
                )
            }
            MatchKind::Settlement => {
                let b = &input.batches[bs[0]];
                let parts: Vec<String> = ms.iter().map(|&m| entry(m)).collect();
                format!(
                    "settlement of {} {} for merchant {merchant} = credits of {} (split transfer)",
                    b.settle_date,
                    format_yuan(b.net),
                    parts.join(" + ")
                )
            }
            MatchKind::Payout => {
                let p = &input.payouts[ps[0]];
                format!(
                    "debit {} = payout {} of {} {} to merchant {merchant}",
                    entry(ms[0]),
                    p.payout.reference,
                    p.payout.date,
                    format_yuan(p.payout.amount)
                )
            }
        };
        if kind == MatchKind::Settlement {
            let last_credit = ms.iter().map(|&m| input.movements[m].date).max();
            for &b in bs {
                let batch = &input.batches[b];
                if let Some(late) = last_credit.map(|c| days(batch.settle_date, c)) {
                    if late > i64::from(self.settings.window_days) {
                        text.push_str(&format!(
                            "; {} paid late (补款, {late} days after settlement)",
                            short_date(batch.settle_date)
                        ));
                    }
                }
            }
        }
        let carried: Vec<String> = bs
            .iter()
            .filter_map(|&b| input.batches[b].carried_since)
            .chain(ms.iter().filter_map(|&m| input.movements[m].carried_since))
            .chain(ps.iter().filter_map(|&p| input.payouts[p].carried_since))
            .map(|d| d.to_string())
            .collect();
        if !carried.is_empty() {
            text.push_str(&format!("; carried from {}", carried.join(", ")));
        }
        if !d.is_zero() {
            text.push_str(&format!("; d = {d} within tolerance {}", self.settings.tolerance));
        }
        text
    }

    fn close(&self, a: Decimal, b: Decimal) -> bool {
        (a - b).abs() <= self.settings.tolerance
    }

    /// One merchant's batches (net > 0, by date) against its credits (by date, time, amount, id).
    fn settle_merchant(&mut self, merchant: &str, bs: &[usize], cs: &[usize]) {
        let input = self.input;
        let window = i64::from(self.settings.window_days);
        let max_len = self.settings.max_batches_per_credit as usize;
        let bdate = |b: usize| input.batches[b].settle_date;
        // 1. One to one, nearest dates first (a tie goes to the earlier credit, then batch).
        let mut pairs = Vec::new();
        for (ci, &c) in cs.iter().enumerate() {
            let credit = &input.movements[c];
            let lo = bs.partition_point(|&b| days(bdate(b), credit.date) > window);
            let hi = bs.partition_point(|&b| bdate(b) <= credit.date);
            for (bi, &b) in bs.iter().enumerate().take(hi).skip(lo) {
                let diff = (credit.amount - input.batches[b].net).abs();
                if diff <= self.settings.tolerance {
                    pairs.push((diff, days(bdate(b), credit.date), ci, bi));
                }
            }
        }
        self.pair_greedily(merchant, pairs, bs, cs);
        // 2. Several batches to one credit: weekends, holidays, late make-ups (补款).
        for &c in cs {
            if self.movement_match[c].is_some() {
                continue;
            }
            let credit = &input.movements[c];
            let hi = bs.partition_point(|&b| bdate(b) <= credit.date);
            let lookback = self.lookback();
            let mut candidates: Vec<usize> = bs[..hi]
                .iter()
                .rev()
                .filter(|&&b| self.batch_match[b].is_none() && days(bdate(b), credit.date) <= lookback)
                .take(search::MAX_CANDIDATES)
                .copied()
                .collect();
            candidates.reverse();
            if candidates.len() < 2 {
                continue;
            }
            let values: Vec<Decimal> = candidates.iter().map(|&b| input.batches[b].net).collect();
            let found = search::consecutive(&values, credit.amount, self.settings.tolerance, max_len).or_else(|| {
                // Most recent first: a make-up is more likely for yesterday than for last week.
                let newest_first: Vec<Decimal> = values.iter().rev().copied().collect();
                search::subset(&newest_first, credit.amount, self.settings.tolerance, max_len, &mut self.search_budget)
                    .map(|picked| picked.into_iter().map(|i| values.len() - 1 - i).rev().collect())
            });
            if let Some(picked) = found {
                let mut batches: Vec<usize> = picked.into_iter().map(|i| candidates[i]).collect();
                crate::sort::indexes(&mut batches, |a, b| (bdate(a), a).cmp(&(bdate(b), b)));
                self.record(MatchKind::Settlement, merchant, vec![c], batches, Vec::new());
            }
        }
        // 3. One batch in several credits: split transfers, short payment plus a later make-up.
        for &b in bs {
            if self.batch_match[b].is_some() {
                continue;
            }
            let batch = &input.batches[b];
            let lo = cs.partition_point(|&c| input.movements[c].date < batch.settle_date);
            let lookback = self.lookback();
            let candidates: Vec<usize> = cs[lo..]
                .iter()
                .filter(|&&c| self.movement_match[c].is_none())
                .take_while(|&&c| days(batch.settle_date, input.movements[c].date) <= lookback)
                .take(search::MAX_CANDIDATES)
                .copied()
                .collect();
            if candidates.len() < 2 {
                continue;
            }
            let values: Vec<Decimal> = candidates.iter().map(|&c| input.movements[c].amount).collect();
            let found = search::consecutive(&values, batch.net, self.settings.tolerance, max_len).or_else(|| {
                search::subset(&values, batch.net, self.settings.tolerance, max_len, &mut self.search_budget)
            });
            if let Some(picked) = found {
                let movements = picked.into_iter().map(|i| candidates[i]).collect();
                self.record(MatchKind::Settlement, merchant, movements, vec![b], Vec::new());
            }
        }
        // 4. One to one again, late: a credit past the window but within window + grace (a late
        // make-up for a whole day). Last, so it never takes a batch a combination above needed.
        let lookback = self.lookback();
        let mut pairs = Vec::new();
        for (ci, &c) in cs.iter().enumerate().filter(|(_, &c)| self.movement_match[c].is_none()) {
            let credit = &input.movements[c];
            let lo = bs.partition_point(|&b| days(bdate(b), credit.date) > lookback);
            let hi = bs.partition_point(|&b| bdate(b) <= credit.date);
            for (bi, &b) in bs.iter().enumerate().take(hi).skip(lo) {
                let diff = (credit.amount - input.batches[b].net).abs();
                if self.batch_match[b].is_none() && diff <= self.settings.tolerance {
                    pairs.push((diff, days(bdate(b), credit.date), ci, bi));
                }
            }
        }
        self.pair_greedily(merchant, pairs, bs, cs);
    }

    /// Pairs credits and batches one to one, best candidates first: (|difference|, days apart,
    /// credit position, batch position), positions in content order so file order never matters.
    fn pair_greedily(
        &mut self,
        merchant: &str,
        mut pairs: Vec<(Decimal, i64, usize, usize)>,
        bs: &[usize],
        cs: &[usize],
    ) {
        crate::sort::sort_by(&mut pairs, Ord::cmp);
        for (_, _, ci, bi) in pairs {
            let (c, b) = (cs[ci], bs[bi]);
            if self.movement_match[c].is_none() && self.batch_match[b].is_none() {
                self.record(MatchKind::Settlement, merchant, vec![c], vec![b], Vec::new());
            }
        }
    }

    /// Payout instructions against debits: the reference in the memo or serial first, then the
    /// beneficiary account, then the nearest date.
    fn payouts(&mut self, order: &[usize], debits: &[usize]) {
        let input = self.input;
        let window = i64::from(self.settings.window_days);
        let mut pairs = Vec::new();
        for (rank, &pi) in order.iter().enumerate() {
            let p = &input.payouts[pi];
            // Debits are in date order: only those within the window are looked at.
            let lo = debits.partition_point(|&m| input.movements[m].date < p.payout.date);
            for (debit_rank, &m) in debits.iter().enumerate().skip(lo) {
                let debit = &input.movements[m];
                let gap = days(p.payout.date, debit.date);
                if gap > window {
                    break;
                }
                if !self.close(-debit.amount, p.payout.amount) {
                    continue;
                }
                let reference = &p.payout.reference;
                let by_reference =
                    !reference.is_empty() && (debit.memo.contains(reference.as_str()) || debit.serial == *reference);
                let by_account = !p.payout.account.is_empty() && debit.counterparty_account == p.payout.account;
                let account_conflict =
                    !p.payout.account.is_empty() && !debit.counterparty_account.is_empty() && !by_account;
                if account_conflict && !by_reference {
                    continue;
                }
                pairs.push((!by_reference, !by_account, gap, rank, debit_rank, pi, m));
            }
        }
        // Ranks, not indexes, break ties: the result does not depend on the order of the files' rows.
        crate::sort::sort_by(&mut pairs, Ord::cmp);
        for (_, _, _, _, _, pi, m) in pairs {
            if self.payout_match[pi].is_none() && self.movement_match[m].is_none() {
                let merchant = input.payouts[pi].payout.merchant.clone();
                self.record(MatchKind::Payout, &merchant, vec![m], Vec::new(), vec![pi]);
            }
        }
    }
}

/// The order credits are tried in: by content, so the result does not depend on file order.
fn movement_order(m: &Movement) -> impl Ord + '_ {
    (m.date, m.time, m.amount, &m.serial, &m.memo, &m.id)
}

/// Matches everything and gives every batch, movement and payout exactly one outcome.
pub fn match_funds(input: FundInput, as_of: Option<NaiveDate>, settings: &FundFlowSettings) -> FundFlow {
    let as_of = as_of.or_else(|| input.movements.iter().map(|m| m.date).max());
    let mut matcher = Matcher {
        settings,
        input: &input,
        batch_match: vec![None; input.batches.len()],
        movement_match: vec![None; input.movements.len()],
        payout_match: vec![None; input.payouts.len()],
        matches: Vec::new(),
        search_budget: search::RUN_BUDGET,
    };
    let mut per_merchant: BTreeMap<&str, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (b, batch) in input.batches.iter().enumerate() {
        if batch.net > Decimal::ZERO {
            per_merchant.entry(&batch.merchant).or_default().0.push(b);
        }
    }
    let mut debits = Vec::new();
    for (m, movement) in input.movements.iter().enumerate() {
        if movement.amount < Decimal::ZERO {
            debits.push(m);
        } else if let Some(merchant) = &movement.merchant {
            per_merchant.entry(merchant).or_default().1.push(m);
        }
    }
    for (merchant, (bs, cs)) in &mut per_merchant {
        crate::sort::indexes(bs, |a, b| {
            let (x, y) = (&input.batches[a], &input.batches[b]);
            (x.settle_date, &x.id, a).cmp(&(y.settle_date, &y.id, b))
        });
        crate::sort::indexes(cs, |a, b| movement_order(&input.movements[a]).cmp(&movement_order(&input.movements[b])));
        if !bs.is_empty() && !cs.is_empty() {
            matcher.settle_merchant(merchant, bs, cs);
        }
    }
    crate::sort::indexes(&mut debits, |a, b| {
        movement_order(&input.movements[a]).cmp(&movement_order(&input.movements[b]))
    });
    let mut payout_order: Vec<usize> = (0..input.payouts.len()).collect();
    crate::sort::indexes(&mut payout_order, |a, b| {
        let (x, y) = (&input.payouts[a], &input.payouts[b]);
        (x.payout.date, &x.payout.reference, &x.id).cmp(&(y.payout.date, &y.payout.reference, &y.id))
    });
    matcher.payouts(&payout_order, &debits);

    let grace = i64::from(settings.grace_days);
    let age = |due: NaiveDate| as_of.map(|a| days(due, a).max(0));
    let open =
        |due: NaiveDate| if age(due).unwrap_or(0) > grace { FundOutcome::InternalOnly } else { FundOutcome::InTransit };
    let matched = |n: usize, matches: &[FundMatch]| ItemResult {
        outcome: matches[n].outcome,
        d: matches[n].d,
        age_days: None,
        matched_in: Some(n),
        // The explanation lives once, in the match; a year of data would copy it per item.
        message: String::new(),
    };
    let search_budget_exhausted = matcher.search_budget == 0;
    let Matcher { batch_match, movement_match, payout_match, matches, .. } = matcher;
    let batch_results = input
        .batches
        .iter()
        .zip(&batch_match)
        .map(|(b, m)| match m {
            Some(n) => matched(*n, &matches),
            None if b.net.is_zero() => ItemResult {
                outcome: FundOutcome::Matched,
                d: Decimal::ZERO,
                age_days: None,
                matched_in: None,
                message: format!(
                    "settlement of {} for merchant {} nets to zero: nothing to transfer",
                    b.settle_date, b.merchant
                ),
            },
            None => {
                let outcome = open(b.settle_date);
                let days_open = age(b.settle_date).unwrap_or(0);
                let state = if outcome == FundOutcome::InTransit { "not credited yet" } else { "never credited" };
                ItemResult {
                    outcome,
                    d: -b.net,
                    age_days: Some(days_open),
                    matched_in: None,
                    message: format!(
                        "settlement of {} {} for merchant {} {state} ({days_open} day(s), grace {grace})",
                        b.settle_date,
                        format_yuan(b.net),
                        b.merchant
                    ),
                }
            }
        })
        .collect();
    let movement_results = input
        .movements
        .iter()
        .zip(&movement_match)
        .map(|(m, n)| match n {
            Some(n) => matched(*n, &matches),
            None => {
                let (outcome, message) = if m.amount < Decimal::ZERO {
                    (FundOutcome::UnexplainedMovement, format!("a debit no payout instruction explains: {}", m.memo))
                } else if let Some(merchant) = &m.merchant {
                    (
                        FundOutcome::ExternalOnly,
                        format!(
                            "credit {} for merchant {merchant} matches no settlement: {}",
                            format_yuan(m.amount),
                            m.memo
                        ),
                    )
                } else {
                    (FundOutcome::UnexplainedMovement, format!("no merchant number in the memo: {}", m.memo))
                };
                ItemResult { outcome, d: m.amount, age_days: age(m.date), matched_in: None, message }
            }
        })
        .collect();
    let payout_results = input
        .payouts
        .iter()
        .zip(&payout_match)
        .map(|(p, n)| match n {
            Some(n) => matched(*n, &matches),
            None => {
                let outcome = open(p.payout.date);
                ItemResult {
                    outcome,
                    d: p.payout.amount,
                    age_days: age(p.payout.date),
                    matched_in: None,
                    message: format!(
                        "payout {} {} to merchant {} has no bank debit",
                        p.payout.reference,
                        format_yuan(p.payout.amount),
                        p.payout.merchant
                    ),
                }
            }
        })
        .collect();
    FundFlow { as_of, input, batch_results, movement_results, payout_results, matches, search_budget_exhausted }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).expect("date")
    }

    fn batch(merchant: &str, day: u32, cents: i64) -> Batch {
        Batch {
            id: format!("batch:{merchant}:{}", d(day)),
            merchant: merchant.into(),
            settle_date: d(day),
            trade_from: d(day),
            trade_to: d(day),
            gross: Decimal::new(cents, 2),
            refunds: Decimal::ZERO,
            fees: Decimal::ZERO,
            net: Decimal::new(cents, 2),
            rows: 1,
            carried_since: None,
        }
    }

    fn movement(line: u32, day: u32, cents: i64, merchant: Option<&str>, memo: &str) -> Movement {
        Movement {
            id: format!("bank:s.csv:{line}"),
            file: "s.csv".into(),
            line,
            date: d(day),
            time: None,
            amount: Decimal::new(cents, 2),
            merchant: merchant.map(str::to_string),
            counterparty: String::new(),
            counterparty_account: String::new(),
            memo: memo.into(),
            serial: String::new(),
            carried_since: None,
        }
    }

    #[test]
    fn a_single_credit_past_the_window_is_a_late_make_up() {
        let input = FundInput {
            batches: vec![batch("M", 2, 10_000), batch("M", 3, 20_000)],
            movements: vec![movement(1, 3, 20_000, Some("M"), ""), movement(2, 8, 10_000, Some("M"), "补款")],
            payouts: Vec::new(),
        };
        let flow = match_funds(input, Some(d(9)), &FundFlowSettings::default());
        assert!(flow.batch_results.iter().all(|r| r.outcome == FundOutcome::Matched));
        let late = &flow.matches[flow.batch_results[0].matched_in.expect("matched")];
        assert_eq!(
            late.explanation,
            "credit 2026-03-08 ¥100.00 = settlement of 03-02 for merchant M; 03-02 paid late (补款, 6 days after settlement)"
        );
    }

    #[test]
    fn payouts_prefer_the_reference_then_the_account() {
        let payout = |line: u32, reference: &str, account: &str| PayoutItem {
            id: format!("payout:p.csv:{line}"),
            file: "p.csv".into(),
            line,
            payout: Payout {
                line,
                merchant: "M".into(),
                amount: Decimal::new(50_000, 2),
                account: account.into(),
                reference: reference.into(),
                date: d(2),
            },
            carried_since: None,
        };
        let mut first = movement(1, 2, -50_000, None, "代付");
        first.counterparty_account = "B".into();
        let second = movement(2, 3, -50_000, None, "代付 P2");
        let input = FundInput {
            batches: Vec::new(),
            movements: vec![first, second],
            payouts: vec![payout(1, "P1", "B"), payout(2, "P2", "A")],
        };
        let flow = match_funds(input, Some(d(9)), &FundFlowSettings::default());
        assert_eq!(flow.payout_results[0].matched_in.map(|n| flow.matches[n].movements[0]), Some(0));
        assert_eq!(flow.payout_results[1].matched_in.map(|n| flow.matches[n].movements[0]), Some(1));
    }

    #[test]
    fn max_amount_is_ten_to_the_fifteenth() {
        assert_eq!(MAX_AMOUNT.to_string(), "1000000000000000");
    }

    #[test]
    fn yuan_has_thousands_separators() {
        assert_eq!(format_yuan(Decimal::new(1234567, 2)), "¥12,345.67");
        assert_eq!(format_yuan(Decimal::new(100, 0)), "¥100.00");
        assert_eq!(format_yuan(Decimal::new(24353, 1)), "¥2,435.30");
        assert_eq!(format_yuan(Decimal::new(12345, 3)), "¥12.345");
        assert_eq!(format_yuan(Decimal::new(-5, 1)), "-¥0.50");
        assert_eq!(format_yuan(Decimal::new(-123456789, 2)), "-¥1,234,567.89");
    }
}
