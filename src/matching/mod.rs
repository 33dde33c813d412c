//! Keyed matching of internal rows against channel rows (信息流, 逐笔对账).
//!
//! Rows are grouped by key (order number, or refund number for refund items). A group with one row
//! on each side is a pair; larger groups pick their best pair by content, not by position, so the
//! result does not depend on the order of rows in either file; the other copies are `duplicate`.
//! With `order_no_then_trade_no`, rows left single after the first pass are grouped again by the
//! channel transaction number.

use crate::classify::{Outcome, PerOutcome};
use crate::error::{Error, ErrorKind, Result};
use crate::money::Sum;
use crate::profile::KeyChoice;
use crate::read::Table;
use crate::record::{Field, ItemKind, Row, Side, Status, KEY_HEAD_BYTES};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// No row, no group: the end of a linked list.
const NONE: u32 = u32::MAX;
/// How often matching reports progress, in rows (a few milliseconds of work).
const PROGRESS_EVERY_ROWS: usize = 65_536;

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
    pub sums: PerOutcome<Sum>,
    /// Sum of d over d > 0.
    pub long_sum: Sum,
    /// Sum of d over d < 0.
    pub short_sum: Sum,
    /// Sum of d over timing items (pending): what would be missing if they never came.
    pub timing_sum: Sum,
    /// Paired items whose channel time is after the cut-off.
    pub cross_day: u64,
    /// Every item that is not `matched`, sorted by outcome, key and line.
    pub exceptions: Vec<Item>,
    /// The outcome of every row, per table then per row.
    pub row_outcomes: Vec<Vec<Outcome>>,
}

/// Matches every internal table against every channel table, calling `progress(steps_done,
/// steps_total)` every few milliseconds of work; stops with [`ErrorKind::Cancelled`] when it
/// returns `false`.
///
/// Each table's rows are first regrouped in place by key hash into partitions (see
/// [`Table::rows`]); partition `p` of every table is grouped with a hash table small enough to
/// stay in cache. The rows themselves carry what grouping and an exact pair need (the
/// key's first 16 bytes, amount, status, time), so nothing is copied per row: at a million rows
/// a copy of the rows for matching was as large as the rows.
pub fn match_tables(
    tables: &mut [Table],
    settings: &MatchSettings,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Matching> {
    let total: usize = tables.iter().map(|t| t.row_count()).sum();
    // Tables keep their rows in partitions sized from their own length (see `part_bits_for`);
    // one whose estimate chose fewer partitions than the largest table's is split again.
    let bits = tables.iter().filter(|t| t.row_count() > 0).map(|t| t.part_bits).max().unwrap_or(0);
    for table in tables.iter_mut().filter(|t| t.part_bits != bits && t.row_count() > 0) {
        let rows = table.row_count();
        table.set_partitions(bits, rows);
    }
    let tables: &[Table] = tables;
    let mut emitter = Emitter {
        tables,
        settings,
        progress,
        matching: Matching {
            row_outcomes: tables.iter().map(|t| vec![Outcome::Matched; t.row_count()]).collect(),
            ..Matching::default()
        },
        deferred: Vec::new(),
    };
    let mut singles: [Vec<Single>; 2] = [Vec::new(), Vec::new()];
    emitter.group_partitions(bits, total, &mut singles)?;
    emitter.resolve_deferred(&mut singles)?;
    let singles =
        if settings.key == KeyChoice::OrderNoThenTradeNo { emitter.group_by_trade_no(singles)? } else { singles };
    for single in &singles[0] {
        emitter.single_internal(single.0, single.1);
    }
    for single in &singles[1] {
        emitter.single_channel(single.0, single.1);
    }
    let mut matching = emitter.matching;
    sort_exceptions(tables, &mut matching.exceptions);
    Ok(matching)
}

fn side_index(side: Side) -> usize {
    match side {
        Side::Internal => 0,
        Side::Channel => 1,
    }
}

/// A row left without a partner after a pass, with the key field it was grouped by.
type Single = (RowRef, Field);

/// A group with several rows on a side, resolved once the records of all such groups are read.
struct Deferred {
    lists: [Vec<RowRef>; 2],
    field: Field,
}

struct Emitter<'t> {
    tables: &'t [Table],
    settings: &'t MatchSettings,
    progress: &'t mut dyn FnMut(u64, u64) -> bool,
    matching: Matching,
    deferred: Vec<Deferred>,
}

fn cancelled() -> Error {
    Error::new(ErrorKind::Cancelled, "the run was cancelled")
}

impl<'t> Emitter<'t> {
    fn row(&self, r: RowRef) -> &'t Row {
        self.tables[r.table as usize].row(r.row)
    }

    fn table(&self, r: RowRef) -> &'t Table {
        &self.tables[r.table as usize]
    }

    fn tick(&mut self, done: usize, total: usize) -> Result<()> {
        if (self.progress)(done as u64, total as u64) {
            Ok(())
        } else {
            Err(cancelled())
        }
    }

    /// Groups partition by partition: pairs and exact matches are settled at once, groups with
    /// several rows on a side wait in `deferred`, rows alone in their group go to `singles`.
    fn group_partitions(&mut self, bits: u32, total: usize, singles: &mut [Vec<Single>; 2]) -> Result<()> {
        let tables = self.tables;
        let mut members: Vec<RowRef> = Vec::new();
        // Per member: the row itself (no lookup in the hot loop), the low bits of its key hash, and its side.
        let mut member_rows: Vec<&'t Row> = Vec::new();
        let mut member_hashes: Vec<u32> = Vec::new();
        let mut sides: Vec<u8> = Vec::new();
        let mut slots: Vec<u32> = Vec::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut next: Vec<u32> = Vec::new();
        let mut grouped = 0;
        let key_rows: Vec<(u32, &Table)> =
            tables.iter().enumerate().filter(|(_, t)| t.row_count() > 0).map(|(n, t)| (n as u32, t)).collect();
        for p in 0..1usize << bits {
            members.clear();
            member_rows.clear();
            member_hashes.clear();
            sides.clear();
            for &(n, table) in &key_rows {
                let (rows, first) = (&table.parts[p], table.part_starts[p]);
                let side = side_index(table.side) as u8;
                members.extend((0..rows.len() as u32).map(|i| RowRef { table: n, row: first + i }));
                member_rows.extend(rows.iter());
                member_hashes.extend(rows.iter().map(|row| table.hash(row) as u32));
                sides.extend(std::iter::repeat_n(side, rows.len()));
            }
            if grouped / PROGRESS_EVERY_ROWS != (grouped + members.len()) / PROGRESS_EVERY_ROWS {
                self.tick(grouped, total)?;
            }
            grouped += members.len();
            let slot_mask = (2 * members.len()).next_power_of_two().max(16) - 1;
            slots.clear();
            slots.resize(slot_mask + 1, NONE);
            groups.clear();
            next.clear();
            next.resize(members.len(), NONE);
            // Heads of each group per side, linked through `next` (positions in this partition).
            for (position, (&member, &hash)) in members.iter().zip(&member_hashes).enumerate() {
                let mut slot = hash as usize & slot_mask;
                let g = loop {
                    let g = slots[slot];
                    if g == NONE {
                        slots[slot] = groups.len() as u32;
                        let field = member_rows[position].key_field;
                        groups.push(Group { heads: [NONE; 2], first: position as u32, field });
                        break groups.len() - 1;
                    }
                    let first = groups[g as usize].first as usize;
                    if member_hashes[first] == hash
                        && same_key(
                            &tables[members[first].table as usize],
                            member_rows[first],
                            &tables[member.table as usize],
                            member_rows[position],
                        )
                    {
                        break g as usize;
                    }
                    slot = (slot + 1) & slot_mask;
                };
                let head = &mut groups[g].heads[sides[position] as usize];
                next[position] = *head;
                *head = position as u32;
            }
            for group in &groups {
                let [internal, channel] = group.heads;
                let alone = |head: u32| head != NONE && next[head as usize] == NONE;
                if alone(internal) && alone(channel) {
                    // The common case: exactly one row on each side.
                    let (i, c) = (members[internal as usize], members[channel as usize]);
                    let (ti, tc) = (self.table(i), self.table(c));
                    let (ri, rc) = (member_rows[internal as usize], member_rows[channel as usize]);
                    if ri.status == Status::Success && rc.status == Status::Success && ti.same_amount(ri, tc, rc) {
                        self.exact_pair(ti, ri, rc);
                    } else {
                        self.pair(i, c, group.field);
                    }
                    continue;
                }
                let mut lists: [Vec<RowRef>; 2] = [Vec::new(), Vec::new()];
                for (side, list) in lists.iter_mut().enumerate() {
                    let mut position = group.heads[side];
                    while position != NONE {
                        list.push(members[position as usize]);
                        position = next[position as usize];
                    }
                }
                match (lists[0].len(), lists[1].len()) {
                    (1, 0) => singles[0].push((lists[0][0], group.field)),
                    (0, 1) => singles[1].push((lists[1][0], group.field)),
                    _ => self.deferred.push(Deferred { lists, field: group.field }),
                }
            }
        }
        Ok(())
    }

    /// Resolves the groups with several rows on a side: their records are read again (rows
    /// keep no text), then each group picks its best pair by content.
    fn resolve_deferred(&mut self, singles: &mut [Vec<Single>; 2]) -> Result<()> {
        if self.deferred.is_empty() {
            return Ok(());
        }
        let deferred = std::mem::take(&mut self.deferred);
        let wanted = deferred.iter().flat_map(|d| d.lists.iter().flatten().copied());
        let contents = read_contents(self.tables, wanted)?;
        let tables = self.tables;
        for mut group in deferred {
            for list in &mut group.lists {
                list.sort_by(|a, b| content_order(tables, &contents, *a, *b));
            }
            self.resolve_group(&group.lists, group.field, singles);
        }
        Ok(())
    }

    /// The second pass of `order_no_then_trade_no`: rows the order number left single, grouped
    /// by transaction number. Returns the rows still single.
    fn group_by_trade_no(&mut self, singles: [Vec<Single>; 2]) -> Result<[Vec<Single>; 2]> {
        let tables = self.tables;
        let mut left: [Vec<Single>; 2] = [Vec::new(), Vec::new()];
        let mut keyed: Vec<(&'t [u8], usize, RowRef)> = Vec::new();
        for (side, list) in singles.into_iter().enumerate() {
            for (r, field) in list {
                let table = &tables[r.table as usize];
                let row = table.row(r.row);
                let trade = table.second_key(row);
                if row.kind == ItemKind::Payment && !trade.is_empty() {
                    keyed.push((trade, side, r));
                } else {
                    left[side].push((r, field));
                }
            }
        }
        // Sorted by key, then side and row: groups are runs, emitted in a deterministic order.
        crate::sort::sort_by(&mut keyed, |a, b| a.cmp(b));
        for run in keyed.chunk_by(|a, b| a.0 == b.0) {
            let mut lists: [Vec<RowRef>; 2] = [Vec::new(), Vec::new()];
            for &(_, side, r) in run {
                lists[side].push(r);
            }
            match (lists[0].as_slice(), lists[1].as_slice()) {
                ([i], [c]) => self.pair(*i, *c, Field::TradeNo),
                ([i], []) => left[0].push((*i, Field::TradeNo)),
                ([], [c]) => left[1].push((*c, Field::TradeNo)),
                _ => self.deferred.push(Deferred { lists, field: Field::TradeNo }),
            }
        }
        self.resolve_deferred(&mut left)?;
        Ok(left)
    }

    /// A group with several rows on a side, sorted by content: the best pair, the rest duplicates.
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
                let d = -self.table(r).effect(self.row(r));
                self.emit(Outcome::Duplicate, Some(r), None, field, d, false);
            }
        }
        for (n, &r) in lists[1].iter().enumerate() {
            if Some(n) != first_channel {
                let d = self.table(r).effect(self.row(r));
                self.emit(Outcome::Duplicate, None, Some(r), field, d, false);
            }
        }
    }

    /// The outcome of a pair and its d.
    fn classify_pair(&self, i: RowRef, c: RowRef) -> (Outcome, Decimal) {
        let (ti, tc) = (self.table(i), self.table(c));
        let (internal, channel) = (self.row(i), self.row(c));
        let paid = |row: &Row| row.status == Status::Success;
        if paid(internal) && paid(channel) && ti.same_amount(internal, tc, channel) {
            // The common case, without Decimal arithmetic.
            return (Outcome::Matched, Decimal::new(0, ti.amount(internal).scale()));
        }
        let d = tc.effect(channel) - ti.effect(internal);
        let outcome = if paid(internal) != paid(channel) {
            Outcome::StatusMismatch
        } else {
            let difference = tc.amount(channel).abs() - ti.amount(internal).abs();
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
        let cross_day = match (self.settings.cutoff, self.row(c).time()) {
            (Some(cutoff), Some(time)) => time >= cutoff,
            _ => false,
        };
        self.emit(outcome, Some(i), Some(c), field, d, cross_day);
    }

    /// A pair both sides call paid with the same amount: `matched`, counted from the rows alone.
    /// Rows start out `matched` in `row_outcomes`, so nothing else is written.
    fn exact_pair(&mut self, table: &Table, internal: &Row, channel: &Row) {
        let m = &mut self.matching;
        m.counts.matched += 1;
        match internal.small_amount() {
            Some(_) => m.sums.matched.add_units(internal.units, u32::from(internal.scale)),
            None => m.sums.matched.add(table.amount(internal)),
        }
        if let (Some(cutoff), Some(time)) = (self.settings.cutoff, channel.time()) {
            if time >= cutoff {
                m.cross_day += 1;
            }
        }
    }

    fn single_internal(&mut self, i: RowRef, field: Field) {
        let row = self.row(i);
        let near_cutoff = match (self.settings.pending_from, row.time()) {
            (Some(from), Some(time)) => time >= from,
            _ => false,
        };
        let outcome = match row.status {
            Status::Pending => Outcome::Pending,
            Status::Success if near_cutoff => Outcome::Pending,
            _ => Outcome::InternalOnly,
        };
        let d = -self.table(i).effect(row);
        self.emit(outcome, Some(i), None, field, d, false);
    }

    fn single_channel(&mut self, c: RowRef, field: Field) {
        let d = self.table(c).effect(self.row(c));
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
        let booked_or_external = internal.or(channel).map(|r| self.table(r).amount(self.row(r))).unwrap_or_default();
        let m = &mut self.matching;
        *m.counts.get_mut(outcome) += 1;
        m.sums.get_mut(outcome).add(booked_or_external);
        if outcome.is_timing() {
            m.timing_sum.add(d);
        } else if !d.is_zero() {
            if d.is_sign_positive() {
                m.long_sum.add(d);
            } else {
                m.short_sum.add(d);
            }
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

/// Whether two rows have the same key (field and bytes).
#[inline]
fn same_key(ta: &Table, ra: &Row, tb: &Table, rb: &Row) -> bool {
    ra.key.head == rb.key.head
        && ra.key.len == rb.key.len
        && ra.key_field == rb.key_field
        && (usize::from(ra.key.len) <= KEY_HEAD_BYTES || ta.key_rest(ra) == tb.key_rest(rb))
}

/// The rows of one key in a partition: the first probe seen, and per side the head of a list
/// linked through the partition's `next`.
struct Group {
    heads: [u32; 2],
    /// Position of the group's first member in the partition.
    first: u32,
    field: Field,
}

/// What a group's rows are ordered by besides their amount, status and time: read again from
/// their records, since rows keep no text.
#[derive(Default)]
struct Content {
    trade_no: String,
    order_no: String,
    merchant_id: String,
    record: String,
}

/// The contents of the given rows, read in one sweep per table, with the rows (as
/// `table << 32 | row`, sorted) to look them up by.
fn read_contents(tables: &[Table], rows: impl Iterator<Item = RowRef>) -> Result<(Vec<u64>, Vec<Content>)> {
    let mut refs: Vec<u64> = rows.map(|r| u64::from(r.table) << 32 | u64::from(r.row)).collect();
    crate::sort::u64s(&mut refs);
    refs.dedup();
    let mut contents: Vec<Content> = Vec::new();
    contents.resize_with(refs.len(), Content::default);
    for (t, table) in tables.iter().enumerate() {
        let from = refs.partition_point(|r| (r >> 32) < t as u64);
        let to = refs.partition_point(|r| (r >> 32) <= t as u64);
        if from == to {
            continue;
        }
        // (record offset << 32 | index in refs), sorted: the file is read front to back once.
        let mut wanted: Vec<u64> = (from..to)
            .map(|i| u64::from(table.row((refs[i] & u64::from(u32::MAX)) as u32).offset) << 32 | i as u64)
            .collect();
        crate::sort::u64s(&mut wanted);
        let offsets: Vec<u32> = wanted.iter().map(|w| (w >> 32) as u32).collect();
        table.sweep(&offsets, &mut |n, record| {
            contents[(wanted[n] & u64::from(u32::MAX)) as usize] = Content {
                trade_no: table.field_of(record, Field::TradeNo).into_owned(),
                order_no: table.field_of(record, Field::OrderNo).into_owned(),
                merchant_id: table.field_of(record, Field::MerchantId).into_owned(),
                record: record.text().to_string(),
            };
            Ok(())
        })?;
    }
    Ok((refs, contents))
}

/// An order of rows by what they say, never by where they stand in the file.
fn content_order(tables: &[Table], contents: &(Vec<u64>, Vec<Content>), a: RowRef, b: RowRef) -> Ordering {
    let (ta, tb) = (&tables[a.table as usize], &tables[b.table as usize]);
    let (ra, rb) = (ta.row(a.row), tb.row(b.row));
    let empty = Content::default();
    let content = |r: RowRef| {
        let key = u64::from(r.table) << 32 | u64::from(r.row);
        contents.0.binary_search(&key).map_or(&empty, |at| &contents.1[at])
    };
    let (ca, cb) = (content(a), content(b));
    ta.amount(ra)
        .cmp(&tb.amount(rb))
        .then(ra.status.cmp(&rb.status))
        .then(ra.time().cmp(&rb.time()))
        .then_with(|| ca.trade_no.cmp(&cb.trade_no))
        .then_with(|| ca.order_no.cmp(&cb.order_no))
        .then_with(|| ca.merchant_id.cmp(&cb.merchant_id))
        .then_with(|| ca.record.cmp(&cb.record))
        .then((a.table, ra.line).cmp(&(b.table, rb.line)))
}

/// The key text of an item: from the internal row when there is one.
pub fn item_key(tables: &[Table], item: &Item) -> String {
    let Some(r) = item.internal.or(item.channel) else { return String::new() };
    let table = &tables[r.table as usize];
    table.key_of(table.row(r.row), item.key_field)
}

fn sort_exceptions(tables: &[Table], exceptions: &mut [Item]) {
    let line = |r: Option<RowRef>| r.map(|r| (tables[r.table as usize].row(r.row).line, r.table));
    // Keys computed once per exception: at tens of thousands, looking them up in every comparison
    // costs more than the sort.
    exceptions.sort_by_cached_key(|e| (e.outcome, item_key(tables, e), line(e.internal), line(e.channel)));
}
