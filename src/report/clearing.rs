//! Views of the clearing model (清分): the section without its exceptions, pages of them, and the
//! settlement statement (结算单) CSV. The model itself is `clearing/model.rs`.

use super::export::{CsvExport, Page};
use crate::clearing::{ClearingAmounts, ClearingClass, ClearingException, ClearingReport, MerchantClearing};
use serde::Serialize;
use std::collections::BTreeMap;

/// The clearing section without the exceptions (see [`ClearingReport::summary`]).
#[derive(Clone, Copy, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ClearingSummary<'r> {
    /// The clearing settings in force.
    pub settings: &'r BTreeMap<&'static str, String>,
    /// The money over every merchant.
    pub totals: &'r ClearingAmounts,
    /// Per merchant.
    pub merchants: &'r [MerchantClearing],
    /// How many exceptions there are.
    pub exception_count: usize,
    /// How many of them are `fee_mismatch`.
    pub fee_mismatches: usize,
    /// How many of them are `payout_mismatch`.
    pub payout_mismatches: usize,
    /// How many of them are `sub_ledger_break`.
    pub sub_ledger_breaks: usize,
}

impl ClearingReport {
    /// Everything but the exceptions, which come in pages.
    pub fn summary(&self) -> ClearingSummary<'_> {
        ClearingSummary {
            settings: &self.settings,
            totals: &self.totals,
            merchants: &self.merchants,
            exception_count: self.exceptions.len(),
            fee_mismatches: self.exceptions.iter().filter(|e| e.class == ClearingClass::FeeMismatch).count(),
            payout_mismatches: self.exceptions.iter().filter(|e| e.class == ClearingClass::PayoutMismatch).count(),
            sub_ledger_breaks: self.exceptions.iter().filter(|e| e.class == ClearingClass::SubLedgerBreak).count(),
        }
    }

    /// One page of exceptions.
    pub fn exceptions_page(&self, offset: usize, limit: usize) -> Page<ClearingException> {
        Page::of(&self.exceptions, offset, limit)
    }

    /// One page of the exceptions of one class, of one merchant, or both (the page's filter and
    /// a merchant's drill-down).
    pub fn exceptions_page_of(
        &self,
        offset: usize,
        limit: usize,
        class: Option<ClearingClass>,
        merchant: Option<&str>,
    ) -> Page<ClearingException> {
        if class.is_none() && merchant.is_none() {
            return self.exceptions_page(offset, limit);
        }
        Page::of_wanted(&self.exceptions, offset, limit, |e| {
            class.is_none_or(|c| e.class == c) && merchant.is_none_or(|m| e.merchant == m)
        })
    }

    /// The settlement statement (结算单) as CSV for Excel: one line per merchant and settlement
    /// date, then one per merchant over the run; `merchant` keeps one merchant's lines only.
    pub fn csv(&self, merchant: Option<&str>) -> Vec<u8> {
        const LEAD: [&str; 6] =
            ["merchant", "service_provider", "settle_date", "trade_from", "trade_to", "transactions"];
        let header: [&str; 16] = std::array::from_fn(|c| match c {
            0..6 => LEAD[c],
            6..15 => ClearingAmounts::NAMES[c - 6],
            _ => "exceptions",
        });
        let lines = self.merchants.iter().map(|m| m.days.len() + 1).sum::<usize>();
        let mut export = CsvExport::new(header, 256 + lines * 160);
        for m in self.merchants.iter().filter(|m| merchant.is_none_or(|wanted| m.merchant == wanted)) {
            let provider = m.service_provider.clone().unwrap_or_default();
            let mut line = |lead: [String; 3], transactions: u64, amounts: &ClearingAmounts, exceptions: u64| {
                let [date, from, to] = lead;
                let amounts = amounts.values();
                let row: [String; 16] = std::array::from_fn(|c| match c {
                    0 => m.merchant.clone(),
                    1 => provider.clone(),
                    2 => date.clone(),
                    3 => from.clone(),
                    4 => to.clone(),
                    5 => transactions.to_string(),
                    6..15 => amounts[c - 6].to_string(),
                    _ => exceptions.to_string(),
                });
                export.row(row);
            };
            for d in &m.days {
                let lead = [d.settle_date, d.trade_from, d.trade_to].map(|date| date.to_string());
                line(lead, d.transactions, &d.amounts, d.exceptions);
            }
            line(["合计".into(), String::new(), String::new()], m.transactions, &m.amounts, m.exceptions);
        }
        export.into_bytes()
    }
}
