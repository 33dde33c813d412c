//! Why a settlement group's credit differs from what was expected, where the files can tell
//! (金额不符的原因): after fund flow and clearing, each group with d ≠ 0 (an open pair, or a match
//! within tolerance) gets the candidate causes the files support, each with its amount, and the
//! part of d no cause explains (the unexplained residual).
//!
//! The causes, each signed as the d it would produce (credited − expected):
//! - `fee_rate`: the bill's fees for the group's settlements differ from the contracted rates by X
//!   (clearing's fee check): a bank that paid the contracted net makes the credit X long;
//! - `refund_other_day`: a refund deducted from this credit that the bill lists on another day's
//!   settlement (−R), or this settlement's own refunds deducted from another day's credit (+R);
//! - `make_up`: a long credit that includes a make-up (补款) for an earlier shortfall of the merchant
//!   still open (a short pair, or a settlement never credited), or a short credit a later long one
//!   made up;
//! - `rounding`: |d| at most 0.01 per transaction of the group (rounding at settlement).
//!
//! The explained part is the combination of causes adding up to d exactly, or else the one that
//! comes closest without passing it; what is left is unexplained.

use super::fund_flow::FundFlowReport;
use super::fund_items::{Cause, CauseKind, MatchView};
use crate::clearing::ClearingReport;
use crate::fund_flow::explain::{format_yuan, short_date};
use crate::fund_flow::{FundFlow, FundMatch, MatchKind};
use crate::money::Money;
use crate::profile::FundFlowSettings;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Fills in every breakdown's causes, explained and unexplained amounts, the pairs' messages and
/// the per-merchant explained and unexplained totals.
pub fn name_causes(
    report: &mut FundFlowReport,
    clearing: Option<&ClearingReport>,
    flow: &FundFlow,
    settings: &FundFlowSettings,
) {
    let ctx = Context::new(flow, settings, clearing);
    let mut found: BTreeMap<String, (Vec<Cause>, Decimal)> = BTreeMap::new();
    let mut matched = 0;
    for g in &flow.matches {
        if g.kind != MatchKind::Settlement || g.d.is_zero() {
            if !g.outcome.is_open() {
                matched += 1;
            }
            continue;
        }
        let (causes, explained) = ctx.causes_of(g);
        if g.outcome.is_open() {
            found.insert(g.id.clone(), (causes, explained));
        } else {
            if let Some(view) = report.matches.get_mut(matched) {
                attach(view, causes, explained);
            }
            matched += 1;
        }
    }
    let mut per_merchant: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for item in report.exceptions.iter_mut() {
        let (Some(view), Some((causes, explained))) = (item.pair.as_mut(), found.remove(&item.id)) else { continue };
        let t = per_merchant.entry(item.merchant.clone()).or_default();
        t.0 += explained;
        t.1 += item.d.0 - explained;
        let said: Vec<String> =
            causes.iter().filter(|c| c.explains).map(|c| format!("{} {}", c.kind_zh, c.amount)).collect();
        item.message.push_str(&match said.is_empty() {
            true => format!("; unexplained {}", item.d),
            false => format!("; explained: {}; unexplained {}", said.join(", "), Money(item.d.0 - explained)),
        });
        attach(view, causes, explained);
    }
    for m in &mut report.merchants {
        if let Some((explained, unexplained)) = per_merchant.get(&m.merchant) {
            m.amount_mismatch_explained = Money(*explained);
            m.amount_mismatch_unexplained = Money(*unexplained);
        }
    }
}

fn attach(view: &mut MatchView, causes: Vec<Cause>, explained: Decimal) {
    if let Some(b) = view.breakdown.as_mut() {
        b.unexplained = Money(b.d.0 - explained);
        b.explained = Money(explained);
        b.causes = causes;
    }
}

/// What the causes are looked up in, indexed per merchant once: a year of matches within
/// tolerance must not scan every batch for each of them.
struct Context<'f> {
    flow: &'f FundFlow,
    window: i64,
    lookback: i64,
    /// Per (merchant, settlement date): the bill's fees minus the contracted ones, where not zero.
    fee_over: BTreeMap<(&'f str, NaiveDate), Decimal>,
    /// Each merchant's batches, by settlement date (indexes into the batches).
    batches: BTreeMap<&'f str, Vec<usize>>,
    /// Each merchant's open pairs (indexes into the matches).
    pairs: BTreeMap<&'f str, Vec<usize>>,
}

impl<'f> Context<'f> {
    fn new(flow: &'f FundFlow, settings: &FundFlowSettings, clearing: Option<&'f ClearingReport>) -> Context<'f> {
        let mut fee_over = BTreeMap::new();
        for m in clearing.map(|c| c.merchants.as_slice()).unwrap_or_default() {
            for day in &m.days {
                let x = day.amounts.fee_charged.0 - day.amounts.fee_expected.0;
                if !x.is_zero() {
                    fee_over.insert((m.merchant.as_str(), day.settle_date), x);
                }
            }
        }
        let mut batches: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (b, batch) in flow.input.batches.iter().enumerate() {
            batches.entry(batch.merchant.as_str()).or_default().push(b);
        }
        for list in batches.values_mut() {
            crate::sort::indexes(list, |a, b| {
                (flow.input.batches[a].settle_date, a).cmp(&(flow.input.batches[b].settle_date, b))
            });
        }
        let mut pairs: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (n, g) in flow.matches.iter().enumerate().filter(|(_, g)| g.outcome.is_open()) {
            pairs.entry(g.merchant.as_str()).or_default().push(n);
        }
        let window = i64::from(settings.window_days);
        Context { flow, window, lookback: window + i64::from(settings.grace_days), fee_over, batches, pairs }
    }

    /// The merchant's batches settled from `from` to `to`, both included, by date.
    fn batches_between(&self, merchant: &str, from: NaiveDate, to: NaiveDate) -> &[usize] {
        let Some(list) = self.batches.get(merchant) else { return &[] };
        let date = |b: usize| self.flow.input.batches[b].settle_date;
        let lo = list.partition_point(|&b| date(b) < from);
        let hi = list.partition_point(|&b| date(b) <= to);
        &list[lo..hi.max(lo)]
    }

    /// The candidate causes of one group's d and the amount the chosen ones explain.
    fn causes_of(&self, g: &FundMatch) -> (Vec<Cause>, Decimal) {
        let (flow, input) = (self.flow, &self.flow.input);
        let d = g.d;
        let mut causes = Vec::new();
        let mut cause = |kind: CauseKind, amount: Decimal, detail: String| {
            causes.push(Cause { kind, kind_zh: kind.name_zh(), amount: Money(amount), explains: false, detail });
        };
        let dates: Vec<NaiveDate> = g.batches.iter().map(|&b| input.batches[b].settle_date).collect();
        let (Some(&first), Some(&last)) = (dates.iter().min(), dates.iter().max()) else {
            return (causes, Decimal::ZERO);
        };
        let date_list = || dates.iter().map(|&d| short_date(d)).collect::<Vec<_>>().join(" + ");
        let days = |n: i64| chrono::Days::new(n.unsigned_abs());
        // Fees at another rate than the contract's.
        let over: Decimal = dates.iter().filter_map(|&s| self.fee_over.get(&(g.merchant.as_str(), s))).sum();
        if !over.is_zero() {
            let how = if over.is_sign_positive() { "above" } else { "below" };
            let detail = format!(
                "the bill's fees for {} are {} {how} the contracted rates",
                date_list(),
                format_yuan(over.abs())
            );
            cause(CauseKind::FeeRate, over, detail);
        }
        // Refunds deducted on another day than the bill lists them.
        let own_refunds: Decimal = g.batches.iter().map(|&b| input.batches[b].refunds).sum();
        if !own_refunds.is_zero() && own_refunds == d {
            let detail = format!(
                "the refunds of {} ({}) look deducted from another day's credit",
                date_list(),
                format_yuan(own_refunds)
            );
            cause(CauseKind::RefundOtherDay, own_refunds, detail);
        }
        let (from, to) = (first - days(self.window), last + days(self.window));
        let elsewhere = self.batches_between(&g.merchant, from, to).iter().copied().find(|b| {
            let batch = &input.batches[*b];
            !g.batches.contains(b) && !batch.refunds.is_zero() && batch.refunds == -d
        });
        if let Some(b) = elsewhere {
            let batch = &input.batches[b];
            let detail = format!(
                "a refund of {} the bill lists on {}'s settlement looks deducted here",
                format_yuan(batch.refunds),
                short_date(batch.settle_date)
            );
            cause(CauseKind::RefundOtherDay, -batch.refunds, detail);
        }
        // A make-up: a long credit making up an earlier shortfall still open, or a short credit
        // made up by a later long one (both open pairs, the other's d the opposite of this one's).
        let credited_on = |m: &FundMatch| m.movements.iter().map(|&i| input.movements[i].date).max();
        let this_day = credited_on(g);
        let pairs = self.pairs.get(g.merchant.as_str()).map(Vec::as_slice).unwrap_or_default();
        let opposite = pairs.iter().map(|&n| &flow.matches[n]).find(|p| {
            p.d == -d && !std::ptr::eq(*p, g) && {
                let other = credited_on(p);
                if d.is_sign_positive() {
                    other < this_day
                } else {
                    other > this_day
                }
            }
        });
        let of =
            |p: &FundMatch| p.batches.iter().map(|&b| short_date(input.batches[b].settle_date)).collect::<Vec<_>>();
        if let Some(p) = opposite {
            let detail = if d.is_sign_positive() {
                format!("makes up the settlement of {} credited {} short", of(p).join(" + "), format_yuan(d))
            } else {
                let day = credited_on(p).map(short_date).unwrap_or_default();
                format!(
                    "made up by the credit of {day} ({} long, for the settlement of {})",
                    format_yuan(-d),
                    of(p).join(" + ")
                )
            };
            cause(CauseKind::MakeUp, d, detail);
        } else if d.is_sign_positive() {
            let earlier =
                self.batches_between(&g.merchant, first - days(self.lookback), first.pred_opt().unwrap_or(first));
            let unpaid = earlier.iter().copied().find(|&b| {
                let r = &flow.batch_results[b];
                r.matched_in.is_none()
                    && r.outcome.is_open()
                    && input.batches[b].net == d
                    && input.batches[b].settle_date < first
            });
            if let Some(b) = unpaid {
                let detail =
                    format!("makes up the settlement of {} never credited", short_date(input.batches[b].settle_date));
                cause(CauseKind::MakeUp, d, detail);
            }
        }
        // Rounding at settlement.
        let transactions: u64 = g.batches.iter().map(|&b| u64::from(input.batches[b].rows)).sum();
        if transactions > 0 && d.abs() <= Decimal::new(1, 2) * Decimal::from(transactions) {
            cause(CauseKind::Rounding, d, format!("at most ¥0.01 for each of its {transactions} transactions"));
        }
        let explained = choose(&mut causes, d);
        (causes, explained)
    }
}

/// Marks the causes that explain d: a combination adding up to d exactly (fewest first), else the
/// one coming closest to d without passing it. Returns their sum.
fn choose(causes: &mut [Cause], d: Decimal) -> Decimal {
    let n = causes.len().min(8);
    let mut best: Option<(Decimal, u32, u32)> = None; // (|d − sum|, causes used, mask)
    for mask in 1u32..(1 << n) {
        let sum: Decimal = (0..n).filter(|i| mask & (1 << i) != 0).map(|i| causes[i].amount.0).sum();
        let passes = sum.is_sign_negative() != d.is_sign_negative() || sum.abs() > d.abs();
        if passes && sum != d {
            continue;
        }
        let key = ((d - sum).abs(), mask.count_ones(), mask);
        if best.is_none_or(|b| key < b) {
            best = Some(key);
        }
    }
    let Some((_, _, mask)) = best else { return Decimal::ZERO };
    let mut sum = Decimal::ZERO;
    for (i, c) in causes.iter_mut().enumerate().take(n) {
        if mask & (1 << i) != 0 {
            c.explains = true;
            sum += c.amount.0;
        }
    }
    sum
}
