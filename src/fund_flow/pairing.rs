//! Pairing what plainly belongs together (金额不符): after every exact pass, a credit still open and
//! the open settlement(s) it belongs to pair as `amount_mismatch` when they differ by more than the
//! tolerance but no more than `pair_within`. Two breaks (a settlement "never credited", a credit
//! "matching nothing") become one difference with its d, which is what the user has to chase.
//!
//! A credit's candidates are the settlements its memo names (`微信支付结算 商户号… 20261104`: the
//! settlement or trade day), or failing that every run of the merchant's open settlements within
//! `window_days` before it; none when the memo names a settlement another credit already matched.
//! It pairs only when the choice is unambiguous: exactly one candidate fits, and no other credit
//! could take the same settlement. Otherwise nothing pairs and each item
//! names the others it could pair with: no pair is better than a wrong pair.

use super::explain::{days, format_yuan, short_date};
use super::model::FundInput;
use super::search::MAX_CANDIDATES;
use crate::profile::FundFlowSettings;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// One pair found: a credit, its settlements (date order) and why they were paired.
pub(super) struct Pair {
    /// Index into the movements.
    pub credit: usize,
    /// Indexes into the batches.
    pub batches: Vec<usize>,
    /// Why, for a person.
    pub explanation: String,
}

/// What pairing found for one merchant: the pairs, and a note for each item left open that could
/// have paired (with what).
#[derive(Default)]
pub(super) struct Pairing {
    pub pairs: Vec<Pair>,
    pub batch_notes: Vec<(usize, String)>,
    pub credit_notes: Vec<(usize, String)>,
}

/// A set of settlements a credit could pair with, and the days its memo names when they are what
/// chose them.
struct Candidate {
    batches: Vec<usize>,
    named: Option<Vec<chrono::NaiveDate>>,
}

/// `settled`: the merchant's batches already matched, so a credit whose memo names one of them is
/// never paired with another settlement instead.
pub(super) fn pair(
    input: &FundInput,
    settings: &FundFlowSettings,
    bs: &[usize],
    cs: &[usize],
    settled: &[usize],
) -> Pairing {
    let window = i64::from(settings.window_days);
    let lookback = window + i64::from(settings.grace_days);
    let max_len = settings.max_batches_per_credit as usize;
    let batch = |b: usize| &input.batches[b];
    let expected = |batches: &[usize]| batches.iter().map(|&b| batch(b).net).sum::<Decimal>();
    let fits = |credit: Decimal, batches: &[usize]| {
        let expected = expected(batches);
        let d = (credit - expected).abs();
        expected > Decimal::ZERO && d > settings.tolerance && d <= settings.pair_within.limit(expected)
    };
    let mut pairing = Pairing::default();
    let mut options: Vec<Vec<Candidate>> = Vec::with_capacity(cs.len());
    let mut claimants: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (ci, &c) in cs.iter().enumerate() {
        let credit = &input.movements[c];
        let hi = bs.partition_point(|&b| batch(b).settle_date <= credit.date);
        let lo = bs[..hi].partition_point(|&b| days(batch(b).settle_date, credit.date) > lookback);
        let reach = &bs[lo.max(hi.saturating_sub(MAX_CANDIDATES))..hi];
        let named_days = crate::memo::days_in(&credit.memo);
        let names = |b: usize| {
            let b = batch(b);
            named_days.iter().any(|&d| d == b.settle_date || (b.trade_from <= d && d <= b.trade_to))
        };
        let named: Vec<usize> = reach.iter().copied().filter(|&b| names(b)).collect();
        let mut found = Vec::new();
        let in_reach = |b: usize| (0..=lookback).contains(&days(batch(b).settle_date, credit.date));
        if let Some(&taken) = settled.iter().find(|&&b| in_reach(b) && names(b)) {
            // The memo names a settlement another credit already paid: this credit is something
            // else (a duplicate transfer, a correction), never a nearby settlement's difference.
            let note = format!(
                "its memo names the settlement of {}, which another credit already matched; not paired",
                short_date(batch(taken).settle_date)
            );
            pairing.credit_notes.push((c, note));
        } else if !named.is_empty() && fits(credit.amount, &named) {
            found.push(Candidate { batches: named, named: Some(named_days.clone()) });
        } else {
            let near_lo = reach.partition_point(|&b| days(batch(b).settle_date, credit.date) > window);
            let near = &reach[near_lo..];
            for start in 0..near.len() {
                for end in start..near.len().min(start + max_len) {
                    if fits(credit.amount, &near[start..=end]) {
                        found.push(Candidate { batches: near[start..=end].to_vec(), named: None });
                    }
                }
            }
        }
        for option in &found {
            for &b in &option.batches {
                let list = claimants.entry(b).or_default();
                if list.last() != Some(&ci) {
                    list.push(ci);
                }
            }
        }
        options.push(found);
    }
    let describe_batches = |batches: &[usize]| {
        let dates: Vec<String> = batches.iter().map(|&b| short_date(batch(b).settle_date)).collect();
        let noun = if batches.len() == 1 { "settlement" } else { "settlements" };
        format!("{noun} of {} {}", dates.join(" + "), format_yuan(expected(batches)))
    };
    let describe_credit = |ci: usize| {
        let credit = &input.movements[cs[ci]];
        format!("credit {} {}", credit.date, format_yuan(credit.amount))
    };
    for (ci, found) in options.iter().enumerate() {
        let credit = &input.movements[cs[ci]];
        let alone = |o: &Candidate| o.batches.iter().all(|b| claimants.get(b).is_some_and(|l| l.len() == 1));
        match found.as_slice() {
            [] => {}
            [only] if alone(only) => {
                let d = credit.amount - expected(&only.batches);
                let (how, label) = if d.is_sign_negative() { ("short of", "短款") } else { ("more than", "长款") };
                let why = if let Some(days) = &only.named {
                    let named: Vec<String> = days.iter().map(|d| d.to_string()).collect();
                    format!("its memo names {}", named.join(", "))
                } else {
                    format!("the only open settlement(s) within {window} days before it")
                };
                pairing.pairs.push(Pair {
                    credit: cs[ci],
                    batches: only.batches.clone(),
                    explanation: format!(
                        "{} for merchant {} is {} {} the {} ({label}, d = {d}, beyond tolerance {}): paired, as {why}",
                        describe_credit(ci),
                        input.batches[only.batches[0]].merchant,
                        format_yuan(d.abs()),
                        how,
                        describe_batches(&only.batches),
                        settings.tolerance,
                    ),
                });
            }
            _ => {
                let could: Vec<String> = found
                    .iter()
                    .map(|o| format!("{} (d = {})", describe_batches(&o.batches), credit.amount - expected(&o.batches)))
                    .collect();
                let note = format!("could pair with {}; not paired, the choice is not unambiguous", could.join(" or "));
                pairing.credit_notes.push((cs[ci], note));
            }
        }
    }
    let paired: BTreeSet<usize> = pairing.pairs.iter().flat_map(|p| p.batches.iter().copied()).collect();
    for (b, list) in &claimants {
        if !paired.contains(b) {
            let could: Vec<String> = list.iter().map(|&ci| describe_credit(ci)).collect();
            let note = format!("could pair with {}; not paired, the choice is not unambiguous", could.join(" or "));
            pairing.batch_notes.push((*b, note));
        }
    }
    pairing
}
