//! Everything fund flow matches, from a run's inputs: settlement batches from the channel tables,
//! movements from the statements, payout instructions, and yesterday's open items carried in.

use super::carry::{CarriedKind, CarryState};
use super::ids::{movement_id, payout_id};
use super::model::{Batch, Cutoff, FundInput, Movement, PayoutItem};
use super::overlap::Accounts;
use crate::memo;
use crate::profile::FundFlowSettings;
use crate::read::PayoutFile;
use crate::read::{RecordRef, Table};
use crate::record::Row;
use crate::record::Status;
use crate::time::date_of;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One channel transaction as it went into its batch: what clearing needs to check its fee and
/// work out the platform's commission, without reading the files a second time.
pub struct Batched<'a> {
    /// The table the row is in.
    pub table: &'a Table,
    /// The row.
    pub row: &'a Row,
    /// Its record, read back.
    pub record: &'a RecordRef<'a>,
    /// The settling merchant.
    pub merchant: &'a str,
    /// Trade date.
    pub trade_date: NaiveDate,
    /// Settlement date by the T+N rule.
    pub settle_date: NaiveDate,
    /// The amount: a payment's (positive), or a refund's (positive, [`Batched::refund`] set).
    pub amount: Decimal,
    /// Whether the row is a refund.
    pub refund: bool,
    /// The fee as written (a refund's is what it gives back, usually negative).
    pub fee: Option<Decimal>,
}

/// Something told every transaction that goes into a batch (see [`Batched`]).
pub type BatchVisitor<'v> = &'v mut dyn FnMut(&Batched);

/// Settlement batches from the channel tables' rows: per merchant per settlement date.
/// Rows without a time cannot be dated, and amounts beyond [`crate::money::MAX_AMOUNT`] are not money: both are
/// left out and counted in the return value. Rows keep no merchant number or fee, so the records
/// of the rows that are batched are read again, once, in file order; `visit` sees each of them.
pub fn batches_from_tables(
    tables: &[Table],
    settings: &FundFlowSettings,
    visit: BatchVisitor,
) -> crate::error::Result<(Vec<Batch>, u64)> {
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
                Some(_) if crate::money::amount_in_range(table.amount(row)) => {
                    wanted.push(u64::from(row.offset) << 32 | n as u64)
                }
                _ => unbatched += 1,
            }
        }
        crate::sort::u64s(&mut wanted);
        let offsets: Vec<u32> = wanted.iter().map(|w| (w >> 32) as u32).collect();
        table.sweep(&offsets, &mut |n, record| {
            let row = table.row((wanted[n] & u64::from(u32::MAX)) as u32);
            let Some(trade) = row.time().and_then(date_of) else { return Ok(()) };
            let fee = table.fee_of(record);
            if !fee.is_none_or(crate::money::amount_in_range) {
                unbatched += 1;
                return Ok(());
            }
            let settle = *settle_dates.entry(trade).or_insert_with(|| settings.settlement_date(trade));
            let merchant = table.field_of(record, crate::record::Field::MerchantId);
            let provider = table.field_of(record, crate::record::Field::ServiceProvider);
            let batch = batches.entry((merchant.to_string(), settle)).or_insert_with(|| Batch {
                id: format!("batch:{merchant}:{settle}"),
                merchant: merchant.to_string(),
                service_provider: Some(provider.to_string()).filter(|p| !p.is_empty()),
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
            let refund = row.status == Status::Refund;
            match refund {
                true => batch.refunds += amount.abs(),
                false => batch.gross += amount,
            }
            batch.fees += fee.unwrap_or_default();
            visit(&Batched {
                table,
                row,
                record,
                merchant: &merchant,
                trade_date: trade,
                settle_date: settle,
                amount: if refund { amount.abs() } else { amount },
                refund,
                fee,
            });
            Ok(())
        })?;
    }
    let mut batches: Vec<Batch> = batches.into_values().collect();
    for batch in &mut batches {
        // WeChat writes five-decimal fees; the channel rounds the settlement's total to the fen.
        let fees = batch.fees.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        batch.net = batch.gross - batch.refunds - fees;
    }
    Ok((batches, unbatched))
}

/// Bank movements from statements, in the order given, with the merchant read from each memo.
/// A movement already read from an earlier statement of its account is left out ([`Accounts`]).
pub fn movements_from_statements(accounts: &Accounts, settings: &FundFlowSettings) -> Vec<Movement> {
    accounts
        .statements
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.entries.iter().enumerate().filter(move |&(n, _)| !accounts.is_repeated(i, n)).map(move |(_, e)| {
                Movement {
                    id: movement_id(e),
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
                    transaction_amount: e.transaction_amount,
                    transaction_currency: e.transaction_currency.clone(),
                    carried_since: None,
                }
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
/// tables' batches, the statements' movements before the cut-off and the payout instructions. Ids
/// are made unique (identical movements without a 流水号 have the same content id).
/// Returns the input, the movements at or after the cut-off (the next day's, apart) and the
/// number of channel rows in no batch.
pub fn assemble(
    tables: &[Table],
    statements: &Accounts,
    payout_files: &[PayoutFile],
    carry_in: Option<&CarryState>,
    cutoff: Option<Cutoff>,
    settings: &FundFlowSettings,
    visit: BatchVisitor,
) -> crate::error::Result<(FundInput, Vec<Movement>, u64)> {
    let mut input = FundInput::default();
    if let Some(carry) = carry_in {
        carry.add_to(&mut input);
        // A memo pattern added since yesterday may now name yesterday's unexplained credit.
        for m in input.movements.iter_mut().filter(|m| m.merchant.is_none() && m.amount > Decimal::ZERO) {
            m.merchant = memo::merchant_of(&settings.memo_patterns, &m.counterparty, &m.memo);
        }
    }
    let mut merger = Merger::of(&input);
    let (batches, unbatched) = batches_from_tables(tables, settings, visit)?;
    for batch in batches {
        merger.merge(&mut input.batches, batch);
    }
    for movement in movements_from_statements(statements, settings) {
        merger.merge(&mut input.movements, movement);
    }
    // What is at or after the cut-off is the next day's: read today, or carried from a run whose
    // statement ran further still (read again today, it is one movement: merged above).
    let mut later = Vec::new();
    if let Some(cutoff) = cutoff {
        let movements = std::mem::take(&mut input.movements);
        (later, input.movements) = movements.into_iter().partition(|m| cutoff.is_after(m.date, m.time));
    }
    for file in payout_files {
        for p in &file.payouts {
            let id = payout_id(p);
            let payout =
                PayoutItem { id, file: file.name.clone(), line: p.line, payout: p.clone(), carried_since: None };
            merger.merge(&mut input.payouts, payout);
        }
    }
    Ok((input, later, unbatched))
}

/// An item that may continue a carried one.
trait Carried {
    const KIND: CarriedKind;
    fn id_mut(&mut self) -> &mut String;
    fn carried_since_mut(&mut self) -> &mut Option<NaiveDate>;
    /// Whether `today` is this carried item read again. Ids of statement and payout lines name a
    /// file and a line, and a bank's daily file often has the same name every day, so those are
    /// the same item only when date and amount agree too.
    fn continued_by(&self, today: &Self) -> bool;
}

impl Carried for Batch {
    const KIND: CarriedKind = CarriedKind::Batch;
    fn id_mut(&mut self) -> &mut String {
        &mut self.id
    }
    fn carried_since_mut(&mut self) -> &mut Option<NaiveDate> {
        &mut self.carried_since
    }
    fn continued_by(&self, _: &Self) -> bool {
        true // merchant and settlement date are the id
    }
}

impl Carried for Movement {
    const KIND: CarriedKind = CarriedKind::Movement;
    fn id_mut(&mut self) -> &mut String {
        &mut self.id
    }
    fn carried_since_mut(&mut self) -> &mut Option<NaiveDate> {
        &mut self.carried_since
    }
    fn continued_by(&self, today: &Self) -> bool {
        (self.date, self.amount) == (today.date, today.amount)
    }
}

impl Carried for PayoutItem {
    const KIND: CarriedKind = CarriedKind::Payout;
    fn id_mut(&mut self) -> &mut String {
        &mut self.id
    }
    fn carried_since_mut(&mut self) -> &mut Option<NaiveDate> {
        &mut self.carried_since
    }
    fn continued_by(&self, today: &Self) -> bool {
        (self.payout.date, self.payout.amount) == (today.payout.date, today.payout.amount)
    }
}

/// Merges today's items into the carried ones. A carried item read again today (a bill or
/// statement that covers yesterday too, or the same file given twice) is one item, not two:
/// today's copy replaces it and keeps its first-seen date; anything else is new, with an id made
/// unique.
struct Merger {
    carried: rustc_hash::FxHashMap<String, (CarriedKind, usize)>,
    ids: rustc_hash::FxHashSet<String>,
}

impl Merger {
    fn of(input: &FundInput) -> Merger {
        let mut carried: rustc_hash::FxHashMap<String, (CarriedKind, usize)> = Default::default();
        carried.extend(input.batches.iter().enumerate().map(|(i, b)| (b.id.clone(), (CarriedKind::Batch, i))));
        carried.extend(input.movements.iter().enumerate().map(|(i, m)| (m.id.clone(), (CarriedKind::Movement, i))));
        carried.extend(input.payouts.iter().enumerate().map(|(i, p)| (p.id.clone(), (CarriedKind::Payout, i))));
        let ids = carried.keys().cloned().collect();
        Merger { carried, ids }
    }

    fn merge<T: Carried>(&mut self, items: &mut Vec<T>, mut today: T) {
        let id = today.id_mut().clone();
        match self.carried.get(&id) {
            Some(&(kind, i)) if kind == T::KIND && items[i].continued_by(&today) => {
                self.carried.remove(&id);
                *today.carried_since_mut() = *items[i].carried_since_mut();
                items[i] = today;
            }
            _ => {
                let mut n = 2;
                let unique = today.id_mut();
                while self.ids.contains(unique.as_str()) {
                    *unique = format!("{id}#{n}");
                    n += 1;
                }
                self.ids.insert(unique.clone());
                items.push(today);
            }
        }
    }
}
