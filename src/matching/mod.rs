//! Keyed matching of internal rows against channel rows (信息流, 逐笔对账).
//!
//! Rows are grouped by key (order number, or refund number for refund items). A group with one row
//! on each side is a pair; larger groups pick their best pair by content, not by position, so the
//! result does not depend on the order of rows in either file; the other copies are `duplicate`.
//! With `order_no_then_trade_no`, rows left single after the first pass are grouped again by the
//! channel transaction number.

use crate::classify::{Outcome, PerOutcome};
use crate::money::Sum;
use crate::profile::KeyChoice;
use crate::read::Table;
use crate::record::{Field, ItemKind, Row, Side, Status};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::hash::Hash;

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
    /// Paired items whose channel time is after the cut-off.
    pub cross_day: u64,
    /// Every item that is not `matched`, sorted by outcome, key and line.
    pub exceptions: Vec<Item>,
    /// The outcome of every row, per table then per row.
    pub row_outcomes: Vec<Vec<Outcome>>,
}

/// Matches every internal table against every channel table.
pub fn match_tables<'t>(tables: &'t [Table], settings: &'t MatchSettings) -> Matching {
    match_tables_with_progress(tables, settings, &mut |_, _| true).unwrap_or_default()
}

/// [`match_tables`], calling `progress(steps_done, steps_total)` every few milliseconds of work
/// (per pass); `None` when it returned `false` (cancelled).
pub fn match_tables_with_progress<'t>(
    tables: &'t [Table],
    settings: &'t MatchSettings,
    progress: &'t mut dyn FnMut(u64, u64) -> bool,
) -> Option<Matching> {
    let mut all: [SideRows; 2] = [SideRows::default(), SideRows::default()];
    for (t, table) in tables.iter().enumerate().filter(|(_, table)| !table.rows.is_empty()) {
        let side = &mut all[side_index(table.side)];
        side.tables.push((t as u32, side.len));
        side.len += table.rows.len();
    }
    let mut emitter = Emitter {
        tables,
        settings,
        progress,
        matching: Matching {
            row_outcomes: tables.iter().map(|t| vec![Outcome::Matched; t.rows.len()]).collect(),
            ..Matching::default()
        },
    };
    let primary = |table: &'t Table, row: &'t Row| -> Option<(Field, &'t [u8])> {
        let (field, span) = match settings.key {
            _ if row.kind == ItemKind::Refund => (Field::RefundNo, row.refund_no),
            KeyChoice::OrderNo => (Field::OrderNo, row.order_no),
            KeyChoice::TradeNo => (Field::TradeNo, row.trade_no),
            KeyChoice::OrderNoThenTradeNo if !row.order_no.is_empty() => (Field::OrderNo, row.order_no),
            KeyChoice::OrderNoThenTradeNo => (Field::TradeNo, row.trade_no),
        };
        Some((field, table.value_bytes(span)))
    };
    let singles = emitter.pass(&all, primary)?;
    let singles = if settings.key == KeyChoice::OrderNoThenTradeNo {
        let by_trade_no = |table: &'t Table, row: &'t Row| -> Option<(Field, &'t [u8])> {
            let trade = table.value_bytes(row.trade_no);
            (row.kind == ItemKind::Payment && !trade.is_empty()).then_some((Field::TradeNo, trade))
        };
        emitter.pass(&singles, by_trade_no)?
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
    Some(matching)
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
    progress: &'t mut dyn FnMut(u64, u64) -> bool,
    matching: Matching,
}

impl<'t> Emitter<'t> {
    fn row(&self, r: RowRef) -> &'t Row {
        &self.tables[r.table as usize].rows[r.row as usize]
    }

    /// Groups the given rows by `key`, emits pairs and duplicates, returns the rows left single.
    ///
    /// A radix-partitioned hash join: rows are scattered by hash into partitions of 16k to 32k
    /// probes (1–2 MB), and each partition is grouped with a hash table small enough to stay in
    /// cache. At a million rows this is several times faster than one big table whose every probe
    /// misses the cache. The size is measured: smaller partitions mean more write streams for the
    /// scatter, which then costs more than the grouping saves (256 partitions at 2M rows: 208 ms;
    /// 64: 161 ms; 16: 191 ms; Wasm `run()` in Node).
    /// Each probe carries what grouping and an exact pair need (hash, the key's first 16 bytes,
    /// amount, time, status), so grouping a partition never reaches back into the rows or the
    /// text, except to compare keys longer than 16 bytes.
    fn pass<K>(&mut self, members: &[impl Member; 2], key: K) -> Option<[Vec<Single>; 2]>
    where
        K: Fn(&'t Table, &'t Row) -> Option<(Field, &'t [u8])>,
    {
        let total = members[0].len() + members[1].len();
        // Progress runs over two stages of `total` steps each: scattering, then grouping.
        let steps = 2 * total as u64;
        let tick = |progress: &mut dyn FnMut(u64, u64) -> bool, done: usize| -> Option<()> {
            progress(done as u64, steps).then_some(())
        };
        let mut singles: [Vec<Single>; 2] = [Vec::new(), Vec::new()];
        let bits = (total / 16384).max(1).ilog2().min(12);
        let mask = (1usize << bits) - 1;
        // Hash bits 40.. pick the partition; the low bits index the table inside it.
        let part = |hash: u64| (hash >> 40) as usize & mask;
        // Sized for an even spread plus slack; a skewed key set only makes some partitions grow.
        let expected = total / (mask + 1);
        let mut partitions: Vec<Vec<Probe>> =
            (0..=mask).map(|_| Vec::with_capacity(expected + expected / 32 + 64)).collect();
        let mut done = 0;
        for (side, members) in members.iter().enumerate() {
            for m in 0..members.len() {
                if done % PROGRESS_EVERY_ROWS == 0 {
                    tick(self.progress, done)?;
                }
                done += 1;
                let r = members.row_ref(m);
                let table = &self.tables[r.table as usize];
                let row = &table.rows[r.row as usize];
                let Some((field, bytes)) = key(table, row) else {
                    singles[side].push((r, members.field(m)));
                    continue;
                };
                let head = key_head(bytes);
                let hash = hash_key(field, bytes, head);
                partitions[part(hash)].push(Probe {
                    hash: hash as u32,
                    len: bytes.len() as u32,
                    head,
                    amount: row.amount,
                    after_cutoff: self
                        .settings
                        .cutoff
                        .is_some_and(|cutoff| row.time != Row::NO_TIME && row.time >= cutoff),
                    member: m as u32,
                    field,
                    side: side as u8,
                    paid: row.status == Status::Success,
                });
            }
        }
        let largest = partitions.iter().map(Vec::len).max().unwrap_or(0);
        let mut slots: Vec<u32> = Vec::with_capacity((2 * largest).next_power_of_two().max(16));
        let mut groups: Vec<Group> = Vec::with_capacity(largest);
        let mut next: Vec<u32> = Vec::with_capacity(largest);
        let mut lists: [Vec<RowRef>; 2] = [Vec::new(), Vec::new()];
        let tables = self.tables;
        let row_ref = |probe: &Probe| members[probe.side as usize].row_ref(probe.member as usize);
        // Keys longer than the head are compared in full, from the rows.
        let full_key = |probe: &Probe| {
            let r = row_ref(probe);
            let table = &tables[r.table as usize];
            key(table, &table.rows[r.row as usize]).map_or(&[][..], |(_, bytes)| bytes)
        };
        let same_key = |a: &Probe, b: &Probe| {
            a.hash == b.hash
                && a.len == b.len
                && a.head == b.head
                && a.field == b.field
                && (a.len as usize <= KEY_HEAD_BYTES || full_key(a) == full_key(b))
        };
        let mut grouped = 0;
        for probes in &partitions {
            if grouped / PROGRESS_EVERY_ROWS != (grouped + probes.len()) / PROGRESS_EVERY_ROWS {
                tick(self.progress, total + grouped)?;
            }
            grouped += probes.len();
            let slot_mask = (2 * probes.len()).next_power_of_two().max(16) - 1;
            slots.clear();
            slots.resize(slot_mask + 1, NONE);
            groups.clear();
            next.clear();
            next.resize(probes.len(), NONE);
            // Heads of each group per side, linked through `next` (positions in this partition).
            for (position, probe) in probes.iter().enumerate() {
                let mut slot = probe.hash as usize & slot_mask;
                let g = loop {
                    let g = slots[slot];
                    if g == NONE {
                        slots[slot] = groups.len() as u32;
                        groups.push(Group { heads: [NONE; 2], first: position as u32, field: probe.field });
                        break groups.len() - 1;
                    }
                    if same_key(&probes[groups[g as usize].first as usize], probe) {
                        break g as usize;
                    }
                    slot = (slot + 1) & slot_mask;
                };
                let head = &mut groups[g].heads[probe.side as usize];
                next[position] = *head;
                *head = position as u32;
            }
            for group in &groups {
                let [internal, channel] = group.heads;
                if internal != NONE
                    && channel != NONE
                    && next[internal as usize] == NONE
                    && next[channel as usize] == NONE
                {
                    // The common case: exactly one row on each side.
                    let (i, c) = (&probes[internal as usize], &probes[channel as usize]);
                    if i.paid && c.paid && i.amount == c.amount {
                        self.exact_pair(i, c);
                    } else {
                        self.pair(row_ref(i), row_ref(c), group.field);
                    }
                    continue;
                }
                for (side, list) in lists.iter_mut().enumerate() {
                    list.clear();
                    let mut position = group.heads[side];
                    while position != NONE {
                        list.push(row_ref(&probes[position as usize]));
                        position = next[position as usize];
                    }
                    list.sort_by(|a, b| content_order(tables, *a, *b));
                }
                self.resolve_group(&lists, group.field, &mut singles);
            }
        }
        Some(singles)
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
        if internal.status == Status::Success && channel.status == Status::Success && internal.amount == channel.amount
        {
            // The common case, without Decimal arithmetic.
            return (Outcome::Matched, Decimal::new(0, internal.amount.scale()));
        }
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
        let cross_day = match (self.settings.cutoff, self.row(c).time()) {
            (Some(cutoff), Some(time)) => time >= cutoff,
            _ => false,
        };
        self.emit(outcome, Some(i), Some(c), field, d, cross_day);
    }

    /// A pair both sides call paid with the same amount: `matched`, counted from the probes alone.
    /// Rows start out `matched` in `row_outcomes`, so nothing else is written.
    fn exact_pair(&mut self, internal: &Probe, channel: &Probe) {
        let m = &mut self.matching;
        m.counts.matched += 1;
        m.sums.matched.add(internal.amount);
        if channel.after_cutoff {
            m.cross_day += 1;
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
        m.sums.get_mut(outcome).add(booked_or_external);
        if !d.is_zero() {
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

/// A 64-bit hash with every bit mixed (partitions use middle bits, the group table low ones),
/// from the key's head words and eight bytes at a time after them: only word operations, which
/// Wasm has natively (a byte-wise or 128-bit-multiply hasher costs several times more there).
fn hash_key(field: Field, bytes: &[u8], head: [u64; 2]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |h: u64, word: u64| ((h ^ word).wrapping_mul(K)).rotate_left(29);
    let mut h = mix(mix(bytes.len() as u64 ^ ((field as u64) << 56), head[0]), head[1]);
    if let Some(rest) = bytes.get(KEY_HEAD_BYTES..) {
        let mut words = rest.chunks_exact(8);
        for word in &mut words {
            h = mix(h, u64::from_le_bytes(word.try_into().unwrap_or([0; 8])));
        }
        h = mix(h, words.remainder().iter().rev().fold(0, |acc, &b| (acc << 8) | u64::from(b)));
    }
    // murmur3's finalizer
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// How many leading key bytes a probe carries (see [`Probe::head`]).
const KEY_HEAD_BYTES: usize = 16;

/// The first [`KEY_HEAD_BYTES`] bytes of a key, zero-padded, as two little-endian words. Built
/// from word loads, not a variable-length copy: in Wasm a short `copy_from_slice` is a call.
fn key_head(bytes: &[u8]) -> [u64; 2] {
    let word = |at: usize| bytes.get(at..at + 8).map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])));
    let len = bytes.len();
    match len {
        16.. => [word(0), word(8)],
        // Bytes 8..len: the last eight bytes, shifted past the ones the first word holds.
        9..=15 => [word(0), word(len - 8) >> (8 * (16 - len))],
        8 => [word(0), 0],
        _ => [bytes.iter().rev().fold(0, |acc, &b| (acc << 8) | u64::from(b)), 0],
    }
}

/// One row to group: what grouping and an exact pair need, copied from the row while the rows
/// are read in order, so that grouping a partition never reaches back into the rows or the text
/// (random reads that miss the cache).
#[derive(Clone, Copy, Debug)]
struct Probe {
    /// Low 32 bits of the key's hash: the group table's index, and a cheap first test.
    hash: u32,
    /// Length of the key in bytes.
    len: u32,
    /// The key's first bytes: with `len`, the whole key when it is at most 16 bytes long.
    head: [u64; 2],
    amount: Decimal,
    /// The row's time is at or after the cut-off (all an exact pair needs of it).
    after_cutoff: bool,
    /// Position among the pass's members of its side.
    member: u32,
    field: Field,
    side: u8,
    /// The row's status is `success`.
    paid: bool,
}

// Probes are the bulk of matching's memory: two per pair.
const _: () = assert!(std::mem::size_of::<Probe>() <= 48);

/// The rows of one key in a partition: the first probe seen, and per side the head of a list
/// linked through the partition's `next`.
struct Group {
    heads: [u32; 2],
    first: u32,
    field: Field,
}

/// Something a pass can iterate: all rows of a side, or the singles of an earlier pass.
trait Member {
    fn len(&self) -> usize;
    fn row_ref(&self, m: usize) -> RowRef;
    fn field(&self, m: usize) -> Field;
}

/// Every row of one side's tables, numbered across them, without a `RowRef` per row.
#[derive(Default)]
struct SideRows {
    /// Each non-empty table and the member number of its first row.
    tables: Vec<(u32, usize)>,
    len: usize,
}

impl Member for SideRows {
    fn len(&self) -> usize {
        self.len
    }
    fn row_ref(&self, m: usize) -> RowRef {
        // A side has a few tables: the last one starting at or before `m`.
        let (table, first) = self.tables.iter().rev().find(|(_, first)| *first <= m).copied().unwrap_or_default();
        RowRef { table, row: (m - first) as u32 }
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
        .then(ra.time().cmp(&rb.time()))
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
    // Keys computed once per exception: at tens of thousands, looking them up in every comparison
    // costs more than the sort.
    exceptions.sort_by_cached_key(|e| (e.outcome, item_key(tables, e), line(e.internal), line(e.channel)));
}
