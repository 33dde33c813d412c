//! Keyed matching of internal rows against channel rows (信息流, 逐笔对账).
//!
//! Rows are grouped by key (order number, or refund number for refund items). A group with one row
//! on each side is a pair; larger groups pick their best pair by content, not by position, so the
//! result does not depend on the order of rows in either file; the other copies are `duplicate`.
//! With `order_no_then_trade_no`, rows left single after the first pass are grouped again by the
//! channel transaction number.

use crate::classify::{Outcome, PerOutcome};
use crate::profile::KeyChoice;
use crate::read::Table;
use crate::record::{Field, ItemKind, Row, Side, Status};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::cmp::Ordering;

/// A row of one of the input tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowRef {
    /// Index of the table among the run's inputs.
    pub table: u32,
    /// Index of the row in the table.
    pub row: u32,
}

/// One reconciled item: a pair, a single row or a duplicate copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Its outcome.
    pub outcome: Outcome,
    /// The internal row, if any.
    pub internal: Option<RowRef>,
    /// The channel row, if any.
    pub channel: Option<RowRef>,
    /// Which key paired it.
    pub key_field: Field,
    /// d = E − B.
    pub d: Decimal,
    /// The channel time falls after the cut-off of the reconciliation day.
    pub cross_day: bool,
}

/// The settings matching needs.
#[derive(Clone, Copy, Debug)]
pub struct MatchSettings {
    /// Which key pairs rows.
    pub key: KeyChoice,
    /// Largest |difference| still `matched_within_tolerance`.
    pub tolerance: Decimal,
    /// End of the reconciliation day, in the files' local seconds; `None` when no date is known.
    pub cutoff: Option<i64>,
    /// Start of the pending window before the cut-off.
    pub pending_from: Option<i64>,
}

/// The outcome of matching: totals, the exceptions, and the outcome of every row.
#[derive(Clone, Debug, Default)]
pub struct Matching {
    /// Items per outcome (a pair counts once).
    pub counts: PerOutcome<u64>,
    /// Sum per outcome of the booked amount, or the channel amount when there is no booked row.
    pub amounts: PerOutcome<Decimal>,
    /// Sum of d over d > 0.
    pub long_total: Decimal,
    /// Sum of d over d < 0.
    pub short_total: Decimal,
    /// Paired items whose channel time is after the cut-off.
    pub cross_day: u64,
    /// Every item that is not `matched`, sorted by outcome, key and line.
    pub exceptions: Vec<Item>,
    /// The outcome of every row, per table then per row.
    pub row_outcomes: Vec<Vec<Outcome>>,
}

/// Matches every internal table against every channel table.
pub fn match_tables<'t>(tables: &'t [Table], settings: &'t MatchSettings) -> Matching {
    let mut refs: [Vec<RowRef>; 2] = [Vec::new(), Vec::new()];
    for (t, table) in tables.iter().enumerate() {
        let side = side_index(table.side);
        refs[side].extend((0..table.rows.len()).map(|r| RowRef { table: t as u32, row: r as u32 }));
    }
    let mut emitter = Emitter {
        tables,
        settings,
        matching: Matching {
            row_outcomes: tables.iter().map(|t| vec![Outcome::Matched; t.rows.len()]).collect(),
            ..Matching::default()
        },
    };
    let all: [Vec<RowRef>; 2] = refs;
    let primary = |table: &'t Table, row: &'t Row| -> Option<(Field, &'t [u8])> {
        if row.kind == ItemKind::Refund {
            return Some((Field::RefundNo, table.value(row.refund_no).as_bytes()));
        }
        let order = table.value(row.order_no);
        let trade = table.value(row.trade_no);
        match settings.key {
            KeyChoice::OrderNo => Some((Field::OrderNo, order.as_bytes())),
            KeyChoice::TradeNo => Some((Field::TradeNo, trade.as_bytes())),
            KeyChoice::OrderNoThenTradeNo if !order.is_empty() => Some((Field::OrderNo, order.as_bytes())),
            KeyChoice::OrderNoThenTradeNo => Some((Field::TradeNo, trade.as_bytes())),
        }
    };
    let singles = emitter.pass(&all, primary);
    let singles = if settings.key == KeyChoice::OrderNoThenTradeNo {
        let by_trade_no = |table: &'t Table, row: &'t Row| -> Option<(Field, &'t [u8])> {
            let trade = table.value(row.trade_no);
            (row.kind == ItemKind::Payment && !trade.is_empty()).then_some((Field::TradeNo, trade.as_bytes()))
        };
        emitter.pass(&singles, by_trade_no)
    } else {
        singles
    };
    for single in &singles[0] {
        emitter.single_internal(single.0, single.1);
    }
    for single in &singles[1] {
        emitter.single_channel(single.0, single.1);
    }
    let mut matching = emitter.matching;
    sort_exceptions(tables, &mut matching.exceptions);
    matching
}

fn side_index(side: Side) -> usize {
    match side {
        Side::Internal => 0,
        // Only internal and channel files become tables (see `Reconciliation::add_file`).
        Side::Channel | Side::Bank | Side::Payouts | Side::Book => 1,
    }
}

/// A row left without a partner after a pass, with the key field it was grouped by.
type Single = (RowRef, Field);

struct Emitter<'t> {
    tables: &'t [Table],
    settings: &'t MatchSettings,
    matching: Matching,
}

impl<'t> Emitter<'t> {
    fn row(&self, r: RowRef) -> &'t Row {
        &self.tables[r.table as usize].rows[r.row as usize]
    }

    /// Groups the given rows by `key`, emits pairs and duplicates, returns the rows left single.
    fn pass<K>(&mut self, members: &[impl Member; 2], key: K) -> [Vec<Single>; 2]
    where
        K: Fn(&'t Table, &'t Row) -> Option<(Field, &'t [u8])>,
    {
        const NONE: u32 = u32::MAX;
        let total = members[0].len() + members[1].len();
        let mut index: FxHashMap<(Field, &'t [u8]), u32> =
            FxHashMap::with_capacity_and_hasher(total, Default::default());
        // heads[g] = first member of group g on each side; next[side][m] = following member.
        let mut heads: Vec<[u32; 2]> = Vec::new();
        let mut group_field: Vec<Field> = Vec::new();
        let mut next: [Vec<u32>; 2] = [vec![NONE; members[0].len()], vec![NONE; members[1].len()]];
        let mut singles: [Vec<Single>; 2] = [Vec::new(), Vec::new()];
        for (side, next) in next.iter_mut().enumerate() {
            for (m, link) in next.iter_mut().enumerate() {
                let r = members[side].row_ref(m);
                let table = &self.tables[r.table as usize];
                let row = &table.rows[r.row as usize];
                let Some((field, bytes)) = key(table, row) else {
                    singles[side].push((r, members[side].field(m)));
                    continue;
                };
                let next_group = heads.len() as u32;
                let g = *index.entry((field, bytes)).or_insert(next_group);
                if g == next_group {
                    heads.push([NONE; 2]);
                    group_field.push(field);
                }
                *link = heads[g as usize][side];
                heads[g as usize][side] = m as u32;
            }
        }
        drop(index);
        let mut lists: [Vec<RowRef>; 2] = [Vec::new(), Vec::new()];
        for (g, head) in heads.iter().enumerate() {
            let field = group_field[g];
            if head[0] != NONE
                && head[1] != NONE
                && next[0][head[0] as usize] == NONE
                && next[1][head[1] as usize] == NONE
            {
                // The common case: exactly one row on each side.
                let (i, c) = (members[0].row_ref(head[0] as usize), members[1].row_ref(head[1] as usize));
                self.pair(i, c, field);
                continue;
            }
            for side in 0..2 {
                lists[side].clear();
                let mut m = head[side];
                while m != NONE {
                    lists[side].push(members[side].row_ref(m as usize));
                    m = next[side][m as usize];
                }
                let tables = self.tables;
                lists[side].sort_by(|a, b| content_order(tables, *a, *b));
            }
            self.resolve_group(&lists, field, &mut singles);
        }
        singles
    }

    /// A group with several rows on a side: the best pair by content, the rest duplicates.
    fn resolve_group(&mut self, lists: &[Vec<RowRef>; 2], field: Field, singles: &mut [Vec<Single>; 2]) {
        const SEARCH: usize = 64;
        let (first_internal, first_channel) = match (lists[0].is_empty(), lists[1].is_empty()) {
            (false, false) => {
                let mut best = (u8::MAX, 0, 0);
                for (a, &i) in lists[0].iter().take(SEARCH).enumerate() {
                    for (b, &c) in lists[1].iter().take(SEARCH).enumerate() {
                        let rank = self.classify_pair(i, c).0 as u8;
                        if rank < best.0 {
                            best = (rank, a, b);
                        }
                    }
                }
                self.pair(lists[0][best.1], lists[1][best.2], field);
                (Some(best.1), Some(best.2))
            }
            (false, true) => {
                singles[0].push((lists[0][0], field));
                (Some(0), None)
            }
            (true, false) => {
                singles[1].push((lists[1][0], field));
                (None, Some(0))
            }
            (true, true) => (None, None),
        };
        for (n, &r) in lists[0].iter().enumerate() {
            if Some(n) != first_internal {
                let d = -self.row(r).effect();
                self.emit(Outcome::Duplicate, Some(r), None, field, d, false);
            }
        }
        for (n, &r) in lists[1].iter().enumerate() {
            if Some(n) != first_channel {
                let d = self.row(r).effect();
                self.emit(Outcome::Duplicate, None, Some(r), field, d, false);
            }
        }
    }

    /// The outcome of a pair and its d.
    fn classify_pair(&self, i: RowRef, c: RowRef) -> (Outcome, Decimal) {
        let (internal, channel) = (self.row(i), self.row(c));
        let d = channel.effect() - internal.effect();
        let paid = |row: &Row| row.status == Status::Success;
        let outcome = if paid(internal) != paid(channel) {
            Outcome::StatusMismatch
        } else {
            let difference = channel.amount.abs() - internal.amount.abs();
            if difference.is_zero() {
                Outcome::Matched
            } else if difference.abs() <= self.settings.tolerance {
                Outcome::MatchedWithinTolerance
            } else {
                Outcome::AmountMismatch
            }
        };
        (outcome, d)
    }

    fn pair(&mut self, i: RowRef, c: RowRef, field: Field) {
        let (outcome, d) = self.classify_pair(i, c);
        let cross_day = match (self.settings.cutoff, self.row(c).time) {
            (Some(cutoff), Some(time)) => time >= cutoff,
            _ => false,
        };
        self.emit(outcome, Some(i), Some(c), field, d, cross_day);
    }

    fn single_internal(&mut self, i: RowRef, field: Field) {
        let row = self.row(i);
        let near_cutoff = match (self.settings.pending_from, row.time) {
            (Some(from), Some(time)) => time >= from,
            _ => false,
        };
        let outcome = match row.status {
            Status::Pending => Outcome::Pending,
            Status::Success if near_cutoff => Outcome::Pending,
            _ => Outcome::InternalOnly,
        };
        self.emit(outcome, Some(i), None, field, -row.effect(), false);
    }

    fn single_channel(&mut self, c: RowRef, field: Field) {
        let d = self.row(c).effect();
        self.emit(Outcome::ExternalOnly, None, Some(c), field, d, false);
    }

    fn emit(
        &mut self,
        outcome: Outcome,
        internal: Option<RowRef>,
        channel: Option<RowRef>,
        key_field: Field,
        mut d: Decimal,
        cross_day: bool,
    ) {
        if d.is_zero() {
            d.set_sign_positive(true); // never print -0.00
        }
        let booked_or_external = internal.or(channel).map(|r| self.row(r).amount).unwrap_or_default();
        let m = &mut self.matching;
        *m.counts.get_mut(outcome) += 1;
        *m.amounts.get_mut(outcome) += booked_or_external;
        if d.is_sign_positive() && !d.is_zero() {
            m.long_total += d;
        } else if d.is_sign_negative() && !d.is_zero() {
            m.short_total += d;
        }
        if cross_day {
            m.cross_day += 1;
        }
        for r in internal.iter().chain(channel.iter()) {
            m.row_outcomes[r.table as usize][r.row as usize] = outcome;
        }
        if outcome != Outcome::Matched {
            m.exceptions.push(Item { outcome, internal, channel, key_field, d, cross_day });
        }
    }
}

/// Something a pass can iterate: all rows of a side, or the singles of an earlier pass.
trait Member {
    fn len(&self) -> usize;
    fn row_ref(&self, m: usize) -> RowRef;
    fn field(&self, m: usize) -> Field;
}

impl Member for Vec<RowRef> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn row_ref(&self, m: usize) -> RowRef {
        self[m]
    }
    fn field(&self, _: usize) -> Field {
        Field::OrderNo
    }
}

impl Member for Vec<Single> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn row_ref(&self, m: usize) -> RowRef {
        self[m].0
    }
    fn field(&self, m: usize) -> Field {
        self[m].1
    }
}

/// An order of rows by what they say, never by where they stand in the file.
fn content_order(tables: &[Table], a: RowRef, b: RowRef) -> Ordering {
    let (ta, tb) = (&tables[a.table as usize], &tables[b.table as usize]);
    let (ra, rb) = (&ta.rows[a.row as usize], &tb.rows[b.row as usize]);
    ra.amount
        .cmp(&rb.amount)
        .then(ra.status.cmp(&rb.status))
        .then(ra.time.cmp(&rb.time))
        .then_with(|| ta.value(ra.trade_no).cmp(tb.value(rb.trade_no)))
        .then_with(|| ta.value(ra.order_no).cmp(tb.value(rb.order_no)))
        .then_with(|| ta.value(ra.merchant_id).cmp(tb.value(rb.merchant_id)))
        .then_with(|| ta.value(ra.record).cmp(tb.value(rb.record)))
        .then(a.cmp(&b))
}

/// The key text of an item: from the internal row when there is one.
pub fn item_key<'t>(tables: &'t [Table], item: &Item) -> &'t str {
    let Some(r) = item.internal.or(item.channel) else { return "" };
    let table = &tables[r.table as usize];
    let row = &table.rows[r.row as usize];
    let span = match item.key_field {
        Field::RefundNo => row.refund_no,
        Field::TradeNo => row.trade_no,
        _ => row.order_no,
    };
    table.value(span)
}

fn sort_exceptions(tables: &[Table], exceptions: &mut [Item]) {
    let line = |r: Option<RowRef>| r.map(|r| (tables[r.table as usize].rows[r.row as usize].line, r.table));
    exceptions.sort_by(|a, b| {
        a.outcome
            .cmp(&b.outcome)
            .then_with(|| item_key(tables, a).cmp(item_key(tables, b)))
            .then_with(|| line(a.internal).cmp(&line(b.internal)))
            .then_with(|| line(a.channel).cmp(&line(b.channel)))
    });
}
