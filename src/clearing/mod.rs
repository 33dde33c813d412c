//! Clearing (清分): what the platform owes each merchant, per settlement date and over the run.
//!
//! Per merchant and settlement date: gross − refunds − the fee the channel charged − the
//! platform's commission (分润) = net payable; credited is what the bank credits matched to the
//! merchant's settlements brought (from fund flow), paid out is what the payout instructions paid
//! it, and outstanding = net payable − paid out. Each transaction's fee is checked against the
//! contracted rate ([`ClearingSettings`]): a difference beyond the tolerance is a `fee_mismatch`
//! with d = expected − charged (an overcharge is d < 0, 短款: the merchant got less).
//!
//! The transactions are seen once, as fund flow batches them ([`Collector::visit`]); clearing then
//! needs only the batches, the fund-flow matches and the payout instructions.

mod model;
mod sub_ledger;

pub use model::{
    ClearingAmounts, ClearingClass, ClearingDay, ClearingException, ClearingLevel, ClearingReport, LedgerCheck,
    MerchantClearing, PayoutRule,
};
pub use sub_ledger::Ledgers;

use crate::fund_flow::{Batch, Batched, FundFlow, MatchKind, PayoutItem};
use crate::money::Money;
use crate::profile::{Channel, ClearingSettings, FeeRounding};
use crate::record::Field;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What clearing adds to a batch from its transactions.
#[derive(Clone, Debug, Default)]
struct DayFacts {
    /// Σ expected fee at the per-transaction precision.
    fee_expected: Decimal,
    /// Σ charged fee of the transactions a rate covers (for the batch-level check).
    fee_charged_rated: Decimal,
    /// Σ expected fee of the same transactions.
    fee_expected_rated: Decimal,
    commission: Decimal,
    transactions: u64,
    unrated: u64,
    mismatches: u64,
    /// The contracted rate of the day's transactions, when they share one (for a batch line).
    rate: Option<String>,
    mixed_rates: bool,
}

/// What a rate depends on: merchant, channel, payment method (ids in [`Collector::names`]).
type RateCase = (u32, Option<Channel>, u32);
/// The fee rate (as a fraction, and as written) and the commission rate of a case, when set.
type Rates = (Option<(Decimal, String)>, Option<Decimal>);

/// Sees every batched transaction and keeps, per merchant and settlement date, the expected fee
/// and commission, and the transactions whose fee is not the contracted rate's.
pub struct Collector<'s> {
    settings: &'s ClearingSettings,
    /// Merchant numbers and payment methods as small ids, so that a transaction allocates nothing.
    names: rustc_hash::FxHashMap<String, u32>,
    days: rustc_hash::FxHashMap<(u32, NaiveDate), DayFacts>,
    exceptions: Vec<ClearingException>,
    /// The rates of a (merchant, channel, trade type): looked up once, not per transaction.
    rates: rustc_hash::FxHashMap<RateCase, Rates>,
}

impl<'s> Collector<'s> {
    /// A collector for the profile's clearing settings.
    pub fn new(settings: &'s ClearingSettings) -> Collector<'s> {
        let (names, days, rates) = Default::default();
        Collector { settings, names, days, exceptions: Vec::new(), rates }
    }

    /// The id of a merchant number or payment method.
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.names.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.insert(name.to_string(), id);
        id
    }

    /// One transaction as fund flow batched it.
    pub fn visit(&mut self, t: &Batched) {
        let settings = self.settings;
        // Without rates there is nothing to check per transaction: a day is its batch's totals
        // (see `finish`), and fund flow pays nothing for clearing.
        if settings.fee_rates.is_empty() && settings.commission_rates.is_empty() {
            return;
        }
        let channel = Channel::of(t.table.format);
        let trade_type = t.table.field_of(t.record, Field::TradeType);
        let (merchant, method) = (self.id(t.merchant), self.id(&trade_type));
        let (fee_rule, commission_rate) = self.rates.entry((merchant, channel, method)).or_insert_with(|| {
            let fee = settings.fee_rate(t.merchant, channel, &trade_type).map(|r| (r.rate, r.written.clone()));
            let commission = settings.commission_rate(t.merchant, channel, &trade_type).map(|r| r.rate);
            (fee, commission)
        });
        // A refund gives its fee and commission back at the same rule.
        let signed = if t.refund { -t.amount } else { t.amount };
        let charged = t.fee.unwrap_or_default();
        let day = self.days.entry((merchant, t.settle_date)).or_default();
        day.transactions += 1;
        if let Some(rate) = commission_rate {
            day.commission += settings.per_transaction(signed, *rate);
        }
        let Some((rate, written)) = fee_rule else {
            day.unrated += 1;
            day.fee_expected += charged;
            return;
        };
        let expected = settings.per_transaction(signed, *rate);
        day.fee_expected += expected;
        day.fee_expected_rated += expected;
        day.fee_charged_rated += charged;
        match &day.rate {
            None if !day.mixed_rates => day.rate = Some(written.clone()),
            Some(r) if r != written => (day.rate, day.mixed_rates) = (None, true),
            _ => {}
        }
        let d = expected - charged;
        if d.abs() > settings.fee_tolerance {
            day.mismatches += 1;
            let bill_rate = t.table.field_of(t.record, Field::FeeRate);
            let key = t.table.key(t.row);
            let (class, level) = (ClearingClass::FeeMismatch, ClearingLevel::Transaction);
            let (dates, amount) = ((t.trade_date, t.settle_date), Money(signed));
            self.exceptions.push(ClearingException {
                service_provider: Some(t.table.field_of(t.record, Field::ServiceProvider).into_owned())
                    .filter(|p| !p.is_empty()),
                fee_charged: Some(Money(charged)),
                fee_expected: Some(Money(expected)),
                rate: written.clone(),
                bill_rate: Some(bill_rate.to_string()).filter(|r| !r.is_empty()),
                file: t.table.name.clone(),
                line: t.row.line,
                ..ClearingException::open(class, level, t.merchant.to_string(), key, dates, amount, Money(d))
            });
        }
    }

    /// The clearing section, from the batches (today's and carried), the fund-flow matches (what
    /// was credited) and the payout instructions (what was paid out).
    pub fn finish(self, batches: &[Batch], flow: Option<&FundFlow>, ledgers: &Ledgers) -> ClearingReport {
        let Collector { settings, names, mut days, mut exceptions, .. } = self;
        let credited = flow.map(credited_per_batch).unwrap_or_default();
        let mut merchants: BTreeMap<&str, MerchantClearing> = BTreeMap::new();
        for (i, batch) in batches.iter().enumerate() {
            let facts = names.get(batch.merchant.as_str()).and_then(|&m| days.remove(&(m, batch.settle_date)));
            // Only its totals are known: read in an earlier run and not again today.
            let carried = facts.is_none() && batch.carried_since.is_some();
            let facts = facts.unwrap_or_else(|| DayFacts {
                fee_expected: batch.fees,
                transactions: u64::from(batch.rows),
                unrated: u64::from(batch.rows),
                ..DayFacts::default()
            });
            let fee_charged = settings.settlement_total(batch.fees);
            let commission = settings.settlement_total(facts.commission);
            let mut exception_count = facts.mismatches;
            // Every transaction within the tolerance, yet the totals differ: rounding at settlement.
            let batch_d = settings.settlement_total(facts.fee_expected_rated)
                - settings.settlement_total(facts.fee_charged_rated);
            if facts.mismatches == 0 && batch_d.abs() > settings.fee_tolerance {
                exception_count += 1;
                let (class, level) = (ClearingClass::FeeMismatch, ClearingLevel::Batch);
                let (dates, amount) = ((batch.settle_date, batch.settle_date), Money(batch.gross - batch.refunds));
                let (merchant, key) = (batch.merchant.clone(), batch.id.clone());
                exceptions.push(ClearingException {
                    service_provider: batch.service_provider.clone(),
                    fee_charged: Some(Money(settings.settlement_total(facts.fee_charged_rated))),
                    fee_expected: Some(Money(settings.settlement_total(facts.fee_expected_rated))),
                    rate: facts.rate.clone().unwrap_or_else(|| "(several)".to_string()),
                    ..ClearingException::open(class, level, merchant, key, dates, amount, Money(batch_d))
                });
            }
            let net_payable = batch.gross - batch.refunds - fee_charged - commission;
            let amounts = ClearingAmounts {
                gross: Money(batch.gross),
                refunds: Money(batch.refunds),
                fee_charged: Money(fee_charged),
                fee_expected: Money(settings.settlement_total(facts.fee_expected)),
                commission: Money(commission),
                net_payable: Money(net_payable),
                credited: Money(credited.get(&i).copied().unwrap_or_default()),
                paid_out: Money::ZERO,
                outstanding: Money(net_payable),
            };
            let merchant = merchants.entry(batch.merchant.as_str()).or_insert_with(|| MerchantClearing {
                merchant: batch.merchant.clone(),
                service_provider: batch.service_provider.clone(),
                amounts: ClearingAmounts::default(),
                transactions: 0,
                unrated: 0,
                exceptions: 0,
                days: Vec::new(),
            });
            if merchant.service_provider.is_none() {
                merchant.service_provider = batch.service_provider.clone();
            }
            merchant.days.push(ClearingDay {
                settle_date: batch.settle_date,
                trade_from: batch.trade_from,
                trade_to: batch.trade_to,
                amounts,
                transactions: facts.transactions,
                unrated: facts.unrated,
                exceptions: exception_count,
                carried,
                payout_rule: None,
            });
        }
        // What the payouts paid against what each merchant is owed per settlement date (代付 vs 清分).
        let mut unowed: Vec<MerchantClearing> = Vec::new();
        for (merchant, payouts) in flow.map(payouts_per_merchant).unwrap_or_default() {
            match merchants.get_mut(merchant) {
                Some(m) => exceptions.extend(pay(m, &payouts)),
                None => {
                    // Paid, and owed nothing in this run: one line for the merchant, all of it too much.
                    let mut m = MerchantClearing {
                        merchant: merchant.to_string(),
                        service_provider: None,
                        amounts: ClearingAmounts::default(),
                        transactions: 0,
                        unrated: 0,
                        exceptions: 0,
                        days: Vec::new(),
                    };
                    exceptions.extend(pay(&mut m, &payouts));
                    unowed.push(m);
                }
            }
        }
        let mut merchants: Vec<MerchantClearing> = merchants.into_values().chain(unowed).collect();
        merchants.sort_by(|a, b| a.merchant.cmp(&b.merchant));
        let mut totals = ClearingAmounts::default();
        for m in &mut merchants {
            m.days.sort_by_key(|d| d.settle_date);
            for d in &m.days {
                m.amounts.add(&d.amounts);
                m.transactions += d.transactions;
                m.unrated += d.unrated;
                m.exceptions += d.exceptions;
            }
            totals.add(&m.amounts);
        }
        exceptions.extend(sub_ledger::breaks(&mut merchants, ledgers));
        exceptions.sort_by(|a, b| {
            (&a.merchant, a.settle_date, a.date, &a.key, a.line).cmp(&(
                &b.merchant,
                b.settle_date,
                b.date,
                &b.key,
                b.line,
            ))
        });
        let mut numbering = crate::id::Numbering::default();
        for e in &mut exceptions {
            e.id = numbering.next(exception_id(e));
        }
        ClearingReport { settings: settings_of(settings), totals, merchants, exceptions }
    }
}

/// A clearing exception's id from its content (never its file or line).
fn exception_id(e: &ClearingException) -> String {
    let (date, settle_date) = (e.date.to_string(), e.settle_date.to_string());
    // A fee mismatch by the fee charged, a payout mismatch by what was paid, a ledger break by
    // what was booked.
    let charged = e.fee_charged.or(e.paid).or(e.booked).unwrap_or_default();
    let (amount, charged) = (crate::id::amount_part(e.amount.0), crate::id::amount_part(charged.0));
    crate::id::content_id(
        "fee",
        &[e.class.code(), e.level.code(), &e.merchant, &e.key, &date, &settle_date, &amount, &charged],
    )
}

/// What the matched credits brought each batch (by index into the batches): a match of several
/// batches gives each its net, and the difference the match has (within tolerance) to the latest.
fn credited_per_batch(flow: &FundFlow) -> rustc_hash::FxHashMap<usize, Decimal> {
    let mut credited: rustc_hash::FxHashMap<usize, Decimal> = Default::default();
    for m in flow.matches.iter().filter(|m| m.kind == MatchKind::Settlement) {
        let bank: Decimal = m.movements.iter().map(|&i| flow.input.movements[i].amount).sum();
        let mut batches = m.batches.clone();
        batches.sort_by_key(|&b| (flow.input.batches[b].settle_date, b));
        let mut left = bank;
        for (n, &b) in batches.iter().enumerate() {
            let share = if n + 1 == batches.len() { left } else { flow.input.batches[b].net };
            *credited.entry(b).or_default() += share;
            left -= share;
        }
    }
    credited
}

/// Today's payout instructions per merchant, in file order.
fn payouts_per_merchant(flow: &FundFlow) -> BTreeMap<&str, Vec<&PayoutItem>> {
    let mut payouts: BTreeMap<&str, Vec<&PayoutItem>> = BTreeMap::new();
    for p in flow.input.payouts.iter().filter(|p| p.carried_since.is_none()) {
        payouts.entry(p.payout.merchant.as_str()).or_default().push(p);
    }
    payouts
}

/// Sets one merchant's payouts against its settlement dates and returns a `payout_mismatch` for
/// each date they reached whose payment is not what it was owed. A payout that names its
/// settlement date pays that date (one the merchant has no settlement on gets a line of its own,
/// owed nothing); the others pay the oldest settlement still owed, and the last date takes what
/// is left. A date no payout reached is not yet paid: outstanding, not a mismatch.
fn pay(m: &mut MerchantClearing, payouts: &[&PayoutItem]) -> Vec<ClearingException> {
    m.days.sort_by_key(|d| d.settle_date);
    let mut named: Vec<&PayoutItem> = Vec::new();
    let mut unnamed: Vec<&PayoutItem> = Vec::new();
    for &p in payouts {
        match p.payout.settle_date {
            Some(_) => named.push(p),
            None => unnamed.push(p),
        }
    }
    // A date a payout names and no settlement has: owed nothing.
    for date in named.iter().filter_map(|p| p.payout.settle_date) {
        if let Err(i) = m.days.binary_search_by_key(&date, |d| d.settle_date) {
            m.days.insert(i, unowed_day(date));
        }
    }
    if m.days.is_empty() {
        // Nothing owed and no date named: the payouts' latest date gets the line.
        let date = unnamed.iter().map(|p| p.payout.date).max();
        m.days.extend(date.map(unowed_day));
    }
    let n = m.days.len();
    let mut paid = vec![Decimal::ZERO; n];
    let mut ids: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut rule: Vec<Option<PayoutRule>> = vec![None; n];
    for p in named {
        let Some(i) = p.payout.settle_date.and_then(|date| m.days.binary_search_by_key(&date, |d| d.settle_date).ok())
        else {
            continue;
        };
        paid[i] += p.payout.amount;
        ids[i].push(p.id.clone());
        rule[i] = Some(PayoutRule::SettlementDate);
    }
    for p in unnamed {
        let mut left = p.payout.amount;
        for i in 0..n {
            if left.is_zero() {
                break;
            }
            let owed = (m.days[i].amounts.net_payable.0 - paid[i]).max(Decimal::ZERO);
            let share = if i + 1 == n { left } else { left.min(owed) };
            if share.is_zero() {
                continue;
            }
            paid[i] += share;
            left -= share;
            ids[i].push(p.id.clone());
            rule[i] = rule[i].or(Some(PayoutRule::OldestFirst));
        }
    }
    let mut mismatches = Vec::new();
    for (i, day) in m.days.iter_mut().enumerate() {
        day.amounts.paid_out = Money(paid[i]);
        day.amounts.outstanding = Money(day.amounts.net_payable.0 - paid[i]);
        day.payout_rule = rule[i];
        let d = day.amounts.outstanding.0;
        let Some(rule) = rule[i].filter(|_| !d.is_zero()) else { continue };
        day.exceptions += 1;
        let (class, level) = (ClearingClass::PayoutMismatch, ClearingLevel::Batch);
        let key = format!("batch:{}:{}", m.merchant, day.settle_date);
        let (dates, owed) = ((day.settle_date, day.settle_date), day.amounts.net_payable);
        mismatches.push(ClearingException {
            service_provider: m.service_provider.clone(),
            owed: Some(owed),
            paid: Some(Money(paid[i])),
            rule: Some(rule),
            payouts: std::mem::take(&mut ids[i]),
            ..ClearingException::open(class, level, m.merchant.clone(), key, dates, owed, Money(d))
        });
    }
    mismatches
}

/// A settlement date a merchant is paid for and owed nothing on.
fn unowed_day(date: NaiveDate) -> ClearingDay {
    ClearingDay {
        settle_date: date,
        trade_from: date,
        trade_to: date,
        amounts: ClearingAmounts::default(),
        transactions: 0,
        unrated: 0,
        exceptions: 0,
        carried: false,
        payout_rule: None,
    }
}

fn settings_of(settings: &ClearingSettings) -> BTreeMap<&'static str, String> {
    let rates = |rules: &[crate::profile::RateRule]| rules.len().to_string();
    crate::sort::map([
        ("fee_rounding", settings.fee_rounding.code().to_string()),
        ("fee_tolerance", settings.fee_tolerance.to_string()),
        ("fee_rates", rates(&settings.fee_rates)),
        ("commission_rates", rates(&settings.commission_rates)),
        (
            "fee_precision",
            match settings.fee_rounding {
                FeeRounding::PerTransactionFen => "0.01",
                FeeRounding::Exact => "0.00001",
            }
            .to_string(),
        ),
    ])
}
