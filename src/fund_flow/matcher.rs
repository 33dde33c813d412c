//! The fund-flow matcher: each merchant's batches against its credits in five deterministic
//! passes, payout instructions against debits, and one outcome for every item.

use super::explain::{days, format_yuan, short_date};
use super::model::{FundFlow, FundInput, FundMatch, FundOutcome, ItemResult, MatchKind, Movement};
use super::pairing;
use super::search;
use crate::profile::FundFlowSettings;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

struct Matcher<'a> {
    settings: &'a FundFlowSettings,
    input: &'a FundInput,
    batch_match: Vec<Option<usize>>,
    movement_match: Vec<Option<usize>>,
    payout_match: Vec<Option<usize>>,
    matches: Vec<FundMatch>,
    /// Why an open batch or credit was not paired though it could have been (index, note).
    batch_notes: BTreeMap<usize, String>,
    movement_notes: BTreeMap<usize, String>,
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
    ) -> usize {
        let bank: Decimal = movements.iter().map(|&m| self.input.movements[m].amount).sum();
        let booked: Decimal = batches.iter().map(|&b| self.input.batches[b].net).sum::<Decimal>()
            - payouts.iter().map(|&p| self.input.payouts[p].payout.amount).sum::<Decimal>();
        let d = bank - booked;
        let outcome = if d.is_zero() {
            FundOutcome::Matched
        } else if d.abs() <= self.settings.tolerance {
            FundOutcome::MatchedWithinTolerance
        } else {
            FundOutcome::AmountMismatch
        };
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
            id: String::new(),
            merchant: merchant.to_string(),
            d,
            movements,
            batches,
            payouts,
            explanation,
        });
        n
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
                // Credits on one day are a transfer split up; a later one makes up a short credit.
                let how = if ms.iter().all(|&m| input.movements[m].date == input.movements[ms[0]].date) {
                    "split transfer"
                } else {
                    "a short credit and its make-up, 补款"
                };
                format!(
                    "settlement of {} {} for merchant {merchant} = credits of {} ({how})",
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
        text.push_str(&self.carried_note(ms, bs, ps));
        if !d.is_zero() {
            text.push_str(&format!("; d = {d} within tolerance {}", self.settings.tolerance));
        }
        text
    }

    /// `; carried from …` for the items of a group carried in from earlier runs, else empty.
    fn carried_note(&self, ms: &[usize], bs: &[usize], ps: &[usize]) -> String {
        let input = self.input;
        let carried: Vec<String> = bs
            .iter()
            .filter_map(|&b| input.batches[b].carried_since)
            .chain(ms.iter().filter_map(|&m| input.movements[m].carried_since))
            .chain(ps.iter().filter_map(|&p| input.payouts[p].carried_since))
            .map(|d| d.to_string())
            .collect();
        if carried.is_empty() {
            String::new()
        } else {
            format!("; carried from {}", carried.join(", "))
        }
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
        // 5. What is left and plainly belongs together pairs with its difference (金额不符).
        let open_batches: Vec<usize> = bs.iter().copied().filter(|&b| self.batch_match[b].is_none()).collect();
        let open_credits: Vec<usize> = cs.iter().copied().filter(|&c| self.movement_match[c].is_none()).collect();
        if open_batches.is_empty() || open_credits.is_empty() {
            return;
        }
        let settled: Vec<usize> = bs.iter().copied().filter(|&b| self.batch_match[b].is_some()).collect();
        let found = pairing::pair(input, self.settings, &open_batches, &open_credits, &settled);
        for pair in found.pairs {
            let n = self.record(MatchKind::Settlement, merchant, vec![pair.credit], pair.batches, Vec::new());
            let carried = self.carried_note(&[pair.credit], &self.matches[n].batches, &[]);
            let mut members: Vec<&str> =
                self.matches[n].batches.iter().map(|&b| input.batches[b].id.as_str()).collect();
            members.push(&input.movements[pair.credit].id);
            self.matches[n].id = super::ids::pair_id(&members);
            self.matches[n].explanation = pair.explanation + &carried;
        }
        self.batch_notes.extend(found.batch_notes);
        self.movement_notes.extend(found.credit_notes);
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
        batch_notes: BTreeMap::new(),
        movement_notes: BTreeMap::new(),
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
    let Matcher { batch_match, movement_match, payout_match, matches, batch_notes, movement_notes, .. } = matcher;
    let noted = |message: String, note: Option<&String>| match note {
        Some(note) => format!("{message}; {note}"),
        None => message,
    };
    let batch_results = input
        .batches
        .iter()
        .zip(&batch_match)
        .enumerate()
        .map(|(i, (b, m))| match m {
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
                    message: noted(
                        format!(
                            "settlement of {} {} for merchant {} {state} ({days_open} day(s), grace {grace})",
                            b.settle_date,
                            format_yuan(b.net),
                            b.merchant
                        ),
                        batch_notes.get(&i),
                    ),
                }
            }
        })
        .collect();
    // Without payout instructions (given today or carried), debits cannot be reconciled at all.
    let no_payouts = input.payouts.is_empty();
    let movement_results = input
        .movements
        .iter()
        .zip(&movement_match)
        .enumerate()
        .map(|(i, (m, n))| match n {
            Some(n) => matched(*n, &matches),
            None => {
                let (outcome, message) = if m.amount < Decimal::ZERO {
                    if no_payouts {
                        let message =
                            format!("a debit; no payout instructions were given to check it against: {}", m.memo);
                        (FundOutcome::NotReconciled, message)
                    } else {
                        (
                            FundOutcome::UnexplainedMovement,
                            format!("a debit no payout instruction explains: {}", m.memo),
                        )
                    }
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
                let message = noted(message, movement_notes.get(&i));
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
    FundFlow {
        as_of,
        input,
        batch_results,
        movement_results,
        payout_results,
        matches,
        search_budget_exhausted,
        later: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fund_flow::{Batch, PayoutItem};
    use crate::read::Payout;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).expect("date")
    }

    fn batch(merchant: &str, day: u32, cents: i64) -> Batch {
        Batch {
            id: format!("batch:{merchant}:{}", d(day)),
            merchant: merchant.into(),
            service_provider: None,
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
            transaction_amount: None,
            transaction_currency: String::new(),
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
    fn a_short_credit_pairs_with_the_settlement_its_memo_names() {
        // Two open settlements within the window; the memo names the 4th, so that is the pair even
        // though the 5th would fit within 5% too.
        let input = FundInput {
            batches: vec![batch("M", 4, 1_369_218), batch("M", 5, 1_369_000)],
            movements: vec![movement(1, 6, 1_369_168, Some("M"), "微信支付结算 商户号M 20260304")],
            payouts: Vec::new(),
        };
        let flow = match_funds(input, Some(d(6)), &FundFlowSettings::default());
        let pair = &flow.matches[0];
        assert_eq!(
            (pair.outcome, pair.d, &pair.batches, &pair.movements),
            (FundOutcome::AmountMismatch, Decimal::new(-50, 2), &vec![0], &vec![0])
        );
        assert!(pair.id.starts_with("pair:"), "{}", pair.id);
        assert_eq!(
            pair.explanation,
            "credit 2026-03-06 ¥13,691.68 for merchant M is ¥0.50 short of the settlement of 03-04 ¥13,692.18 \
             (短款, d = -0.50, beyond tolerance 0): paired, as its memo names 2026-03-04"
        );
        assert_eq!(flow.batch_results[0].outcome, FundOutcome::AmountMismatch);
        assert_eq!(flow.movement_results[0].matched_in, Some(0));
        assert_eq!(flow.batch_results[1].outcome, FundOutcome::InTransit);
    }

    #[test]
    fn a_long_credit_pairs_with_the_only_open_settlement_in_the_window() {
        let input = FundInput {
            batches: vec![batch("M", 1, 50_000), batch("M", 4, 1_153_671)],
            movements: vec![
                movement(1, 1, 50_000, Some("M"), ""),
                movement(2, 5, 1_165_671, Some("M"), "1612000001结算款"),
            ],
            payouts: Vec::new(),
        };
        let flow = match_funds(input, Some(d(5)), &FundFlowSettings::default());
        let pair = flow.matches.iter().find(|g| g.outcome == FundOutcome::AmountMismatch).expect("a pair");
        assert_eq!((pair.d, &pair.batches), (Decimal::new(12_000, 2), &vec![1]));
        assert!(pair.explanation.ends_with("(长款, d = 120.00, beyond tolerance 0): paired, as the only open settlement(s) within 3 days before it"), "{}", pair.explanation);
        // Beyond pair_within nothing pairs: two breaks, as before.
        let strict = FundFlowSettings {
            pair_within: crate::profile::PairWithin::Amount(Decimal::new(100, 0)),
            ..Default::default()
        };
        let input = FundInput {
            batches: vec![batch("M", 4, 1_153_671)],
            movements: vec![movement(2, 5, 1_165_671, Some("M"), "")],
            payouts: Vec::new(),
        };
        let flow = match_funds(input, Some(d(5)), &strict);
        assert!(flow.matches.is_empty());
        assert_eq!(flow.movement_results[0].outcome, FundOutcome::ExternalOnly);
    }

    #[test]
    fn a_long_pair_waits_for_the_next_settlement_it_belongs_to() {
        // Friday: a credit 3.00 more than the one settlement known: a long pair, carried.
        let friday = FundInput {
            batches: vec![batch("M", 6, 100_000)],
            movements: vec![movement(1, 6, 100_300, Some("M"), "")],
            payouts: Vec::new(),
        };
        let flow = match_funds(friday.clone(), Some(d(6)), &FundFlowSettings::default());
        assert_eq!((flow.matches[0].outcome, flow.matches[0].d), (FundOutcome::AmountMismatch, Decimal::new(300, 2)));
        // Monday: the bill of Thursday's settlement comes in late; the 3.00 was it, paid with
        // Friday's. The pair, carried, gives way: one credit for two settlements, matched.
        let mut monday = friday;
        monday.batches.push(batch("M", 5, 300));
        let flow = match_funds(monday, Some(d(9)), &FundFlowSettings::default());
        assert_eq!(flow.matches.len(), 1);
        assert_eq!((flow.matches[0].outcome, &flow.matches[0].batches), (FundOutcome::Matched, &vec![1, 0]));
    }

    #[test]
    fn a_credit_naming_a_settlement_already_paid_pairs_with_no_other() {
        // 03-04 is paid exactly; a second credit names 03-04 too and is within 5% of 03-05's
        // settlement: it is not 03-05's difference, it stays open and says why.
        let input = FundInput {
            batches: vec![batch("M", 4, 10_000), batch("M", 5, 20_000)],
            movements: vec![
                movement(1, 4, 10_000, Some("M"), "结算 商户号M 20260304"),
                movement(2, 5, 19_900, Some("M"), "结算 商户号M 20260304"),
            ],
            payouts: Vec::new(),
        };
        let flow = match_funds(input, Some(d(5)), &FundFlowSettings::default());
        assert_eq!(flow.matches.len(), 1);
        let credit = &flow.movement_results[1];
        assert_eq!(credit.outcome, FundOutcome::ExternalOnly);
        assert!(
            credit
                .message
                .ends_with("its memo names the settlement of 03-04, which another credit already matched; not paired"),
            "{}",
            credit.message
        );
    }

    #[test]
    fn two_equal_candidates_pair_nothing_and_name_each_other() {
        // One credit, two open settlements that fit it equally well and no day in the memo.
        let input = FundInput {
            batches: vec![batch("M", 3, 10_000), batch("M", 4, 10_000)],
            movements: vec![movement(1, 5, 9_950, Some("M"), "结算款")],
            payouts: Vec::new(),
        };
        let flow = match_funds(input, Some(d(5)), &FundFlowSettings::default());
        assert!(flow.matches.is_empty());
        let credit = &flow.movement_results[0];
        assert_eq!(credit.outcome, FundOutcome::ExternalOnly);
        assert!(
            credit.message.ends_with(
                "could pair with settlement of 03-03 ¥100.00 (d = -0.50) or settlement of 03-04 ¥100.00 (d = -0.50); \
                 not paired, the choice is not unambiguous"
            ),
            "{}",
            credit.message
        );
        for r in &flow.batch_results {
            assert!(
                r.message
                    .ends_with("could pair with credit 2026-03-05 ¥99.50; not paired, the choice is not unambiguous"),
                "{}",
                r.message
            );
        }
        // Two credits that both fit one settlement: neither pairs either.
        let input = FundInput {
            batches: vec![batch("M", 3, 10_000)],
            movements: vec![movement(1, 4, 9_950, Some("M"), ""), movement(2, 4, 10_050, Some("M"), "")],
            payouts: Vec::new(),
        };
        let flow = match_funds(input, Some(d(5)), &FundFlowSettings::default());
        assert!(flow.matches.is_empty());
        assert!(flow.batch_results[0].message.ends_with("could pair with credit 2026-03-04 ¥99.50 or credit 2026-03-04 ¥100.50; not paired, the choice is not unambiguous"), "{}", flow.batch_results[0].message);
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
                settle_date: None,
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
    fn yuan_has_thousands_separators() {
        assert_eq!(format_yuan(Decimal::new(1234567, 2)), "¥12,345.67");
        assert_eq!(format_yuan(Decimal::new(100, 0)), "¥100.00");
        assert_eq!(format_yuan(Decimal::new(24353, 1)), "¥2,435.30");
        assert_eq!(format_yuan(Decimal::new(12345, 3)), "¥12.345");
        assert_eq!(format_yuan(Decimal::new(-5, 1)), "-¥0.50");
        assert_eq!(format_yuan(Decimal::new(-123456789, 2)), "-¥1,234,567.89");
    }
}
