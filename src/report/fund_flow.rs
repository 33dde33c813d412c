//! The `fund_flow` section of the report: counts, matches with their explanations, open items,
//! unexplained movements and per-merchant totals. Built from a [`FundFlow`]; serialized as is.

use super::export::{CsvExport, Page};
use super::fund_items::{FundItemKind, ItemView, MatchView};
use crate::classify::Label;
use crate::fund_flow::balance::BalanceReport;
use crate::fund_flow::{FundFlow, FundOutcome};
use crate::money::Money;
use crate::profile::FundFlowSettings;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Items per outcome, plus the number of balance breaks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct FundCounts {
    /// `matched` items (batches, movements, payouts).
    pub matched: u64,
    /// `matched_within_tolerance` items.
    pub matched_within_tolerance: u64,
    /// `amount_mismatch` items: credits and settlements paired with a difference (each item once).
    pub amount_mismatch: u64,
    /// `in_transit` items.
    pub in_transit: u64,
    /// `internal_only` items.
    pub internal_only: u64,
    /// `external_only` items.
    pub external_only: u64,
    /// `unexplained_movement` items.
    pub unexplained_movement: u64,
    /// `not_reconciled` items: bank debits without payout instructions to check them against.
    pub not_reconciled: u64,
    /// Running breaks, continuity breaks and a 余额调节表 that does not balance.
    pub balance_break: u64,
}

impl FundCounts {
    fn add(&mut self, outcome: FundOutcome) {
        match outcome {
            FundOutcome::Matched => self.matched += 1,
            FundOutcome::MatchedWithinTolerance => self.matched_within_tolerance += 1,
            FundOutcome::AmountMismatch => self.amount_mismatch += 1,
            FundOutcome::InTransit => self.in_transit += 1,
            FundOutcome::InternalOnly => self.internal_only += 1,
            FundOutcome::ExternalOnly => self.external_only += 1,
            FundOutcome::UnexplainedMovement => self.unexplained_movement += 1,
            FundOutcome::NotReconciled => self.not_reconciled += 1,
            FundOutcome::BalanceBreak => self.balance_break += 1,
        }
    }
}

/// d summed over a run's open fund-flow items, by what they are: real breaks (长款 d > 0, 短款 d < 0),
/// timing (in transit: what would be missing if it never came), and bank debits not reconciled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct FundTotals {
    /// Sum of d over breaks with d > 0.
    pub long_total: Money,
    /// Sum of d over breaks with d < 0.
    pub short_total: Money,
    /// Sum of d over in-transit items.
    pub timing_total: Money,
    /// Sum of the debits not reconciled (no payout instructions).
    pub not_reconciled_total: Money,
}

/// Totals of one merchant.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct MerchantTotals {
    /// Merchant.
    pub merchant: String,
    /// Settlement batches.
    pub batches: u64,
    /// Sum of batch nets.
    pub settled: Money,
    /// Sum of credits identified to the merchant.
    pub credited: Money,
    /// Sum of nets of matched batches.
    pub matched: Money,
    /// Sum of nets in transit.
    pub in_transit: Money,
    /// Sum of nets never credited.
    pub internal_only: Money,
    /// Sum of credits matching no settlement.
    pub external_only: Money,
    /// Sum of nets of settlements paired with a credit that differs (金额不符).
    pub amount_mismatch: Money,
    /// Sum of those pairs' d: what the merchant's credits were short (< 0) or long (> 0) by.
    pub amount_mismatch_d: Money,
    /// The part of it the files explain (fees at another rate, refunds on another day, make-ups,
    /// rounding: see `breakdown.causes`).
    pub amount_mismatch_explained: Money,
    /// The part no cause explains.
    pub amount_mismatch_unexplained: Money,
}

/// The fund-flow summary without the long lists (see [`FundFlowReport::summary`]).
#[derive(Clone, Copy, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct FundFlowSummary<'r> {
    /// The date ages are counted to.
    pub as_of: Option<NaiveDate>,
    /// The fund-flow settings in force.
    pub settings: &'r BTreeMap<&'static str, String>,
    /// Items per outcome.
    pub counts: &'r FundCounts,
    /// Settlement batches, bank movements and payout instructions considered.
    pub items: &'r BTreeMap<&'static str, u64>,
    /// Channel rows in no batch.
    pub unbatched_channel_rows: u64,
    /// How many matches there are.
    pub match_count: usize,
    /// How many open items there are.
    pub exception_count: usize,
    /// The `unexplained_movement` items.
    pub unexplained_movements: &'r [ItemView],
    /// Totals per merchant.
    pub merchants: &'r [MerchantTotals],
    /// Open items written to the carry state.
    pub carried_out: u64,
    /// d summed over the open items.
    pub totals: &'r FundTotals,
    /// The many-to-one search hit its work budget.
    pub search_budget_exhausted: bool,
    /// The balance section.
    pub balance: Option<&'r BalanceReport>,
}

/// The `fund_flow` section of the report.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct FundFlowReport {
    /// The date ages are counted to (the reconciliation date, or the last bank date).
    pub as_of: Option<NaiveDate>,
    /// The fund-flow settings in force.
    pub settings: BTreeMap<&'static str, String>,
    /// Items per outcome.
    pub counts: FundCounts,
    /// Settlement batches, bank movements and payout instructions considered.
    pub items: BTreeMap<&'static str, u64>,
    /// Channel rows in no batch: no time to date them, or an amount beyond 10^15.
    pub unbatched_channel_rows: u64,
    /// The groups that are matched (a pair that differs, `amount_mismatch`, is open: it is in
    /// `exceptions`, once, as kind `pair`).
    pub matches: Vec<MatchView>,
    /// Every item not matched, by outcome, date and id; a pair is one item.
    pub exceptions: Vec<ItemView>,
    /// The `unexplained_movement` items again, for the page's own list.
    pub unexplained_movements: Vec<ItemView>,
    /// Totals per merchant, by merchant.
    pub merchants: Vec<MerchantTotals>,
    /// Open items written to the carry state.
    pub carried_out: u64,
    /// d summed over the open items: breaks (长款, 短款), timing, and debits not reconciled.
    pub totals: FundTotals,
    /// The many-to-one search hit its hard work budget: some combinations were not tried.
    pub search_budget_exhausted: bool,
}

impl FundFlowReport {
    /// Everything but the long lists (matches, exceptions): what the page shows first.
    pub fn summary<'r>(&'r self, balance: Option<&'r BalanceReport>) -> FundFlowSummary<'r> {
        FundFlowSummary {
            as_of: self.as_of,
            settings: &self.settings,
            counts: &self.counts,
            items: &self.items,
            unbatched_channel_rows: self.unbatched_channel_rows,
            match_count: self.matches.len(),
            exception_count: self.exceptions.len(),
            unexplained_movements: &self.unexplained_movements,
            merchants: &self.merchants,
            carried_out: self.carried_out,
            totals: &self.totals,
            search_budget_exhausted: self.search_budget_exhausted,
            balance,
        }
    }

    /// Matches and open items as CSV for Excel (UTF-8 with BOM, CRLF): one row per match, then one
    /// per open item, formulas defused like the transaction export.
    pub fn csv(&self) -> Vec<u8> {
        let mut export = CsvExport::new(
            [
                "section",
                "outcome",
                "outcome_zh",
                "kind",
                "merchant",
                "date",
                "amount",
                "d",
                "label",
                "age_days",
                "ids",
                "file",
                "line",
                "memo",
                "explanation",
            ],
            256 + (self.matches.len() + self.exceptions.len()) * 160,
        );
        let mut row = |cells: [String; 15]| export.row(cells);
        for m in &self.matches {
            let ids: Vec<&str> = m.item_ids().collect();
            let bank: Money = m.credits.iter().map(|c| c.amount).sum();
            let first = m.credits.first();
            row([
                "match".into(),
                m.outcome.code().into(),
                m.outcome.name_zh().into(),
                m.kind.code().into(),
                m.merchant.clone(),
                first.map(|c| c.date.to_string()).unwrap_or_default(),
                bank.to_string(),
                m.d.to_string(),
                m.label.map_or("", Label::code).into(),
                String::new(),
                ids.join(" "),
                first.map(|c| c.file.clone()).unwrap_or_default(),
                first.map(|c| c.line.to_string()).unwrap_or_default(),
                first.map(|c| c.memo.clone()).unwrap_or_default(),
                m.explanation.clone(),
            ]);
        }
        for e in &self.exceptions {
            row([
                "open".into(),
                e.outcome.code().into(),
                e.outcome_zh.into(),
                e.kind.code().into(),
                e.merchant.clone(),
                e.date.to_string(),
                e.amount.to_string(),
                e.d.to_string(),
                e.label.map_or("", Label::code).into(),
                e.age_days.map(|a| a.to_string()).unwrap_or_default(),
                // A pair's row names its items too, so a spreadsheet finds the settlement and credit.
                match &e.pair {
                    Some(p) => std::iter::once(e.id.as_str()).chain(p.item_ids()).collect::<Vec<_>>().join(" "),
                    None => e.id.clone(),
                },
                e.file.clone(),
                if e.line > 0 { e.line.to_string() } else { String::new() },
                e.memo.clone(),
                e.message.clone(),
            ]);
        }
        export.into_bytes()
    }

    /// One page of matches as JSON `{total, offset, rows}`.
    pub fn matches_page(&self, offset: usize, limit: usize) -> Page<MatchView> {
        Page::of(&self.matches, offset, limit)
    }

    /// One page of one merchant's matches (a merchant's drill-down), or of all.
    pub fn matches_page_of(&self, offset: usize, limit: usize, merchant: Option<&str>) -> Page<MatchView> {
        match merchant {
            Some(m) => Page::of_wanted(&self.matches, offset, limit, |x| x.merchant == m),
            None => self.matches_page(offset, limit),
        }
    }

    /// One page of exceptions (optionally of one outcome) as JSON `{total, offset, rows}`.
    pub fn exceptions_page(&self, offset: usize, limit: usize, outcome: Option<FundOutcome>) -> Page<ItemView> {
        let start = outcome.map_or(0, |o| self.exceptions.partition_point(|e| e.outcome < o));
        let end = outcome.map_or(self.exceptions.len(), |o| self.exceptions.partition_point(|e| e.outcome <= o));
        Page::of(&self.exceptions[start..end], offset, limit)
    }

    /// One page of one merchant's open items (optionally of one outcome), or of all.
    pub fn exceptions_page_of(
        &self,
        offset: usize,
        limit: usize,
        outcome: Option<FundOutcome>,
        merchant: Option<&str>,
    ) -> Page<ItemView> {
        let Some(m) = merchant else { return self.exceptions_page(offset, limit, outcome) };
        Page::of_wanted(&self.exceptions, offset, limit, |x| x.merchant == m && outcome.is_none_or(|o| x.outcome == o))
    }
}

/// Builds the `fund_flow` section.
pub fn build(flow: &FundFlow, settings: &FundFlowSettings, unbatched: u64, balance: &BalanceReport) -> FundFlowReport {
    let input = &flow.input;
    let match_view = |g: &crate::fund_flow::FundMatch| MatchView::of(input, g);
    let matches = flow.matches.iter().filter(|g| !g.outcome.is_open()).map(match_view).collect();
    let mut counts = FundCounts { balance_break: balance.break_count(), ..Default::default() };
    let mut exceptions = Vec::new();
    let mut merchants: BTreeMap<String, MerchantTotals> = BTreeMap::new();
    for (b, r) in input.batches.iter().zip(&flow.batch_results) {
        counts.add(r.outcome);
        let t = merchants.entry(b.merchant.clone()).or_default();
        t.batches += 1;
        t.settled += Money(b.net);
        match r.outcome {
            FundOutcome::InTransit => t.in_transit += Money(b.net),
            FundOutcome::InternalOnly => t.internal_only += Money(b.net),
            FundOutcome::AmountMismatch => t.amount_mismatch += Money(b.net),
            _ => t.matched += Money(b.net),
        }
        // A pair's items are listed once, as the pair (below).
        if r.outcome.is_open() && !r.outcome.is_paired() {
            let view = ItemView::open(&b.id, FundItemKind::Batch, r, b.merchant.clone(), b.settle_date, b.net);
            let service_provider = b.service_provider.clone();
            exceptions.push(ItemView { carried_since: b.carried_since, service_provider, ..view });
        }
    }
    for (m, r) in input.movements.iter().zip(&flow.movement_results) {
        counts.add(r.outcome);
        if let (Some(merchant), false) = (&m.merchant, m.amount.is_sign_negative()) {
            let t = merchants.entry(merchant.clone()).or_default();
            t.credited += Money(m.amount);
            if r.outcome == FundOutcome::ExternalOnly {
                t.external_only += Money(m.amount);
            }
        }
        if r.outcome.is_open() && !r.outcome.is_paired() {
            let kind = if m.amount.is_sign_negative() { FundItemKind::Debit } else { FundItemKind::Credit };
            let view = ItemView::open(&m.id, kind, r, m.merchant.clone().unwrap_or_default(), m.date, m.amount);
            let (file, line, memo) = (m.file.clone(), m.line, m.memo.clone());
            exceptions.push(ItemView { carried_since: m.carried_since, file, line, memo, ..view });
        }
    }
    for (p, r) in input.payouts.iter().zip(&flow.payout_results) {
        counts.add(r.outcome);
        if r.outcome.is_open() {
            let payout = &p.payout;
            let view =
                ItemView::open(&p.id, FundItemKind::Payout, r, payout.merchant.clone(), payout.date, payout.amount);
            exceptions.push(ItemView { carried_since: p.carried_since, file: p.file.clone(), line: p.line, ..view });
        }
    }
    for g in flow.matches.iter().filter(|g| g.outcome.is_open()) {
        let view = match_view(g);
        merchants.entry(g.merchant.clone()).or_default().amount_mismatch_d += Money(g.d);
        let credit = &input.movements[g.movements[0]];
        let due = g.batches.iter().map(|&b| input.batches[b].settle_date).max().unwrap_or(credit.date);
        let carried_since =
            g.batches.iter().filter_map(|&b| input.batches[b].carried_since).chain(credit.carried_since).min();
        exceptions.push(ItemView {
            id: g.id.clone(),
            kind: FundItemKind::Pair,
            outcome: g.outcome,
            outcome_zh: g.outcome.name_zh(),
            merchant: g.merchant.clone(),
            service_provider: view.service_provider.clone(),
            date: credit.date,
            amount: Money(credit.amount),
            d: Money(g.d),
            label: g.outcome.label(g.d),
            age_days: flow.as_of.map(|a| (a - due).num_days().max(0)),
            carried_since,
            file: credit.file.clone(),
            line: credit.line,
            memo: credit.memo.clone(),
            message: g.explanation.clone(),
            state: crate::handling::ItemState::Open,
            resolution: None,
            pair: Some(Box::new(view)),
        });
    }
    crate::sort::sort_by(&mut exceptions, |a, b| (a.outcome, a.date, &a.id).cmp(&(b.outcome, b.date, &b.id)));
    let unexplained_movements =
        exceptions.iter().filter(|e| e.outcome == FundOutcome::UnexplainedMovement).cloned().collect();
    // A pair is carried as its items, each on its own (the next run pairs them again or matches them).
    let carried_out = exceptions
        .iter()
        .filter(|e| e.outcome.is_carried())
        .map(|e| e.pair.as_ref().map_or(1, |p| (p.batches.len() + p.credits.len()) as u64))
        .sum::<u64>()
        + flow.later.len() as u64; // the next day's movements, carried to it
    let mut totals = FundTotals::default();
    for e in &exceptions {
        match e.outcome {
            o if o.is_timing() => totals.timing_total += e.d,
            o if o.is_break() && !e.d.is_negative() => totals.long_total += e.d,
            o if o.is_break() => totals.short_total += e.d,
            _ => totals.not_reconciled_total += e.d,
        }
    }
    let settings = crate::sort::map([
        ("settlement", format!("T+{}", settings.settlement_days)),
        ("business_days", settings.business_days.to_string()),
        ("holidays", settings.holidays.len().to_string()),
        ("tolerance", settings.tolerance.to_string()),
        ("window_days", settings.window_days.to_string()),
        ("grace_days", settings.grace_days.to_string()),
        ("max_batches_per_credit", settings.max_batches_per_credit.to_string()),
        ("pair_within", settings.pair_within.describe()),
        ("memo_patterns", settings.memo_patterns.iter().map(|p| p.source()).collect::<Vec<_>>().join(" | ")),
    ]);
    FundFlowReport {
        as_of: flow.as_of,
        settings,
        counts,
        items: crate::sort::map([
            ("batches", input.batches.len() as u64),
            ("movements", input.movements.len() as u64),
            ("payouts", input.payouts.len() as u64),
        ]),
        unbatched_channel_rows: unbatched,
        matches,
        exceptions,
        unexplained_movements,
        merchants: merchants
            .into_iter()
            .map(|(k, mut v)| {
                v.merchant = k;
                v
            })
            .collect(),
        carried_out,
        totals,
        search_budget_exhausted: flow.search_budget_exhausted,
    }
}
