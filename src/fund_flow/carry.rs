//! The carry state: every open item of a run (in transit, unresolved breaks) as a JSON file that
//! the next run imports. Carried items keep their id and first-seen date, take part in matching
//! like new ones, and so each ends the next run matched, still open (older) or broken.

use super::ids::{movement_content_id, payout_id};
use super::model::{Batch, FundFlow, FundInput, FundOutcome, Movement, PayoutItem};
use crate::codes::codes;
use crate::error::{Error, ErrorKind, Result};
use crate::read::Payout;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Version of the state file layout.
pub const STATE_VERSION: u32 = 1;

codes! {
    /// What kind of item a carried item is.
    pub enum CarriedKind {
        /// A settlement batch.
        Batch = ("batch", "结算批次"),
        /// A bank credit or debit.
        Movement = ("movement", "银行流水"),
        /// A payout instruction.
        Payout = ("payout", "代付"),
    }
}

/// One open item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarriedItem {
    /// The item's id, unchanged from run to run.
    pub id: String,
    /// Batch, movement or payout.
    pub kind: CarriedKind,
    /// The outcome it had when the state was written.
    pub outcome: FundOutcome,
    /// Merchant, when known.
    #[serde(default)]
    pub merchant: String,
    /// A batch's service provider, where its bill names one: carried, so the batch is still shown
    /// under it when it clears on a later day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_provider: Option<String>,
    /// Settlement date (batch), booking date (movement) or instruction date (payout).
    #[serde(deserialize_with = "crate::time::de_date")]
    pub date: NaiveDate,
    /// Net (batch), signed amount (movement) or amount paid out (payout).
    pub amount: Decimal,
    /// The reconciliation date of the run that first saw it.
    #[serde(deserialize_with = "crate::time::de_date")]
    pub since: NaiveDate,
    /// Source file and line, for display.
    #[serde(default)]
    pub file: String,
    /// 1-based line in the source file.
    #[serde(default)]
    pub line: u32,
    /// Bank memo (movements).
    #[serde(default)]
    pub memo: String,
    /// Counterparty or beneficiary account.
    #[serde(default)]
    pub account: String,
    /// Payout reference or bank serial.
    #[serde(default)]
    pub reference: String,
}

impl CarriedItem {
    /// A carried payout's instruction, as its payout file gave it.
    fn payout(&self) -> Payout {
        Payout {
            line: self.line,
            merchant: self.merchant.clone(),
            amount: self.amount,
            account: self.account.clone(),
            reference: self.reference.clone(),
            date: self.date,
            settle_date: None, // clearing counts today's payouts only
        }
    }
}

/// The state file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarryState {
    /// Layout version ([`STATE_VERSION`]).
    pub duizhang_state: u32,
    /// The reconciliation date of the run that wrote it.
    #[serde(default, deserialize_with = "crate::time::de_option_date")]
    pub as_of: Option<NaiveDate>,
    /// The open items, in report order.
    pub items: Vec<CarriedItem>,
    /// The audit log of 差错处理 so far (every day's resolutions, hash-chained): the next run
    /// applies it again to the same ids. Absent in a state written before handling existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audit: Vec<crate::handling::AuditEntry>,
    /// Items of a state written before content ids (`bank:{file}:{line}`) that were given ids from
    /// their content when it was read; never written.
    #[serde(skip)]
    pub ids_assigned: u64,
}

impl CarryState {
    /// Reads a state file. A malformed one is an [`ErrorKind::InvalidArgument`] naming the file.
    pub fn from_json(name: &str, bytes: &[u8]) -> Result<CarryState> {
        let state: CarryState = serde_json::from_slice(bytes).map_err(|e| {
            Error::new(ErrorKind::InvalidArgument, format!("the carry state is not valid: {e}"))
                .in_file(name)
                .at(e.line() as u64, Some(e.column() as u64))
        })?;
        if state.duizhang_state != STATE_VERSION {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("carry state version {} is not {STATE_VERSION}", state.duizhang_state),
            )
            .in_file(name));
        }
        // An edited log must not be carried on as if it were intact.
        let log = crate::handling::to_json_lines(&state.audit);
        if let Err(b) = crate::handling::verify_log(&log) {
            let message = format!("the audit log in the carry state does not verify at entry {}: {}", b.line, b.reason);
            return Err(Error::new(ErrorKind::InvalidArgument, message).in_file(name));
        }
        if let Some(item) = state.items.iter().find(|i| !crate::money::amount_in_range(i.amount)) {
            let message = format!("carry item {:?}: the amount is beyond 10^15 yuan", item.id);
            return Err(Error::new(ErrorKind::InvalidArgument, message).in_file(name));
        }
        let mut state = state;
        state.assign_content_ids();
        Ok(state)
    }

    /// Gives the movements and payouts of a state written before content ids (`bank:{file}:{line}`,
    /// `payout:{file}:{line}`) the ids today's files give them: a payout's exactly, a movement's
    /// without its time (the old file did not keep it), so a movement with a time on its statement
    /// gets a different id today and is carried beside it. Batch ids were always content.
    fn assign_content_ids(&mut self) {
        let mut numbering = crate::id::Numbering::default();
        for item in &mut self.items {
            let id = match item.kind {
                CarriedKind::Batch => continue,
                _ if crate::id::is_content_id(&item.id) => continue,
                CarriedKind::Movement => {
                    movement_content_id(item.date, None, item.amount, &item.reference, &item.account, &item.memo)
                }
                CarriedKind::Payout => payout_id(&item.payout()),
            };
            item.id = numbering.next(id);
            self.ids_assigned += 1;
        }
    }

    /// A state with no open items (what a run without fund-flow input carries).
    pub fn empty() -> CarryState {
        CarryState { duizhang_state: STATE_VERSION, as_of: None, items: Vec::new(), audit: Vec::new(), ids_assigned: 0 }
    }

    /// The state as pretty JSON bytes.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    /// Adds the carried items to a run's input, in front of the new ones.
    pub fn add_to(&self, input: &mut FundInput) {
        let fallback = self.as_of;
        for item in &self.items {
            let since = Some(item.since).or(fallback);
            match item.kind {
                CarriedKind::Batch => input.batches.push(Batch {
                    id: item.id.clone(),
                    merchant: item.merchant.clone(),
                    service_provider: item.service_provider.clone(),
                    settle_date: item.date,
                    trade_from: item.date,
                    trade_to: item.date,
                    gross: item.amount,
                    refunds: Decimal::ZERO,
                    fees: Decimal::ZERO,
                    net: item.amount,
                    rows: 0,
                    carried_since: since,
                }),
                CarriedKind::Movement => input.movements.push(Movement {
                    id: item.id.clone(),
                    file: item.file.clone(),
                    line: item.line,
                    date: item.date,
                    time: None,
                    amount: item.amount,
                    merchant: (!item.merchant.is_empty()).then(|| item.merchant.clone()),
                    counterparty: String::new(),
                    counterparty_account: item.account.clone(),
                    memo: item.memo.clone(),
                    serial: item.reference.clone(),
                    transaction_amount: None,
                    transaction_currency: String::new(),
                    carried_since: since,
                }),
                CarriedKind::Payout => input.payouts.push(PayoutItem {
                    id: item.id.clone(),
                    file: item.file.clone(),
                    line: item.line,
                    payout: item.payout(),
                    carried_since: since,
                }),
            }
        }
    }
}

/// The open items of a run: every batch, movement and payout not matched.
pub fn carry_out(flow: &FundFlow) -> CarryState {
    let since = |carried: Option<NaiveDate>, date: NaiveDate| carried.or(flow.as_of).unwrap_or(date);
    let mut items = Vec::new();
    for (b, r) in flow.input.batches.iter().zip(&flow.batch_results) {
        if r.outcome.is_carried() {
            items.push(CarriedItem {
                id: b.id.clone(),
                kind: CarriedKind::Batch,
                outcome: r.outcome,
                merchant: b.merchant.clone(),
                service_provider: b.service_provider.clone(),
                date: b.settle_date,
                amount: b.net,
                since: since(b.carried_since, b.settle_date),
                file: String::new(),
                line: 0,
                memo: String::new(),
                account: String::new(),
                reference: String::new(),
            });
        }
    }
    // A movement after the cut-off is the next day's: carried as timing, in transit to the books.
    let later = flow.later.iter().map(|m| (m, FundOutcome::InTransit));
    let today = flow.input.movements.iter().zip(&flow.movement_results).map(|(m, r)| (m, r.outcome));
    for (m, outcome) in today.chain(later) {
        if outcome.is_carried() {
            items.push(CarriedItem {
                id: m.id.clone(),
                kind: CarriedKind::Movement,
                outcome,
                merchant: m.merchant.clone().unwrap_or_default(),
                service_provider: None,
                date: m.date,
                amount: m.amount,
                since: since(m.carried_since, m.date),
                file: m.file.clone(),
                line: m.line,
                memo: m.memo.clone(),
                account: m.counterparty_account.clone(),
                reference: m.serial.clone(),
            });
        }
    }
    for (p, r) in flow.input.payouts.iter().zip(&flow.payout_results) {
        if r.outcome.is_carried() {
            items.push(CarriedItem {
                id: p.id.clone(),
                kind: CarriedKind::Payout,
                outcome: r.outcome,
                merchant: p.payout.merchant.clone(),
                service_provider: None,
                date: p.payout.date,
                amount: p.payout.amount,
                since: since(p.carried_since, p.payout.date),
                file: p.file.clone(),
                line: p.line,
                memo: String::new(),
                account: p.payout.account.clone(),
                reference: p.payout.reference.clone(),
            });
        }
    }
    crate::sort::sort_by(&mut items, |a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    CarryState { duizhang_state: STATE_VERSION, as_of: flow.as_of, items, audit: Vec::new(), ids_assigned: 0 }
}
