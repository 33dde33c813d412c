//! One file, read: a [`Table`] of normalized [`Row`]s kept by key partition, its issues and what
//! was detected, and the way back to its records.
//!
//! The text is not kept: a row holds its key, amount, status and time, and where its record is.
//! This file builds tables (the readers push rows into them); the few records that must be shown
//! again are read back with [`Table::sweep`] (`read_back.rs`).

use super::cell::cell;
use super::csv::{detect_delimiter, FieldRange};
use super::encoding::Encoding;
use super::header::ColumnMap;
use super::issue::{Check, IssueCode, RowIssue};
use super::source::ReadAt;
use crate::format::Format;
use crate::money::Units;
use crate::profile::KeyChoice;
use crate::record::{hash_key, key_head, normalize_header, Field, ItemKind, Key, Row, Side, Status, KEY_HEAD_BYTES};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// What detection found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    /// The layout.
    pub format: Format,
    /// Which version of the layout, e.g. `ALL`, `REFUND/子商户号`, `29 columns`; empty when only one.
    pub variant: String,
}

/// The key of a row that was left out (see [`Table::skipped_keys`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedKey {
    /// Which key field.
    pub field: Field,
    /// The key as written.
    pub key: String,
    /// 1-based line of the row.
    pub line: u32,
    /// The row issue's code, e.g. `invalid_amount`.
    pub code: IssueCode,
}

/// Where a table's text is: UTF-8, byte-order mark removed. Row offsets count from its start.
pub(crate) enum Text {
    /// In memory: decoded from another encoding, out of an archive, or given whole.
    Owned(String),
    /// The caller's bytes, valid UTF-8 from byte `start` (past a byte-order mark).
    External {
        /// The bytes.
        source: Box<dyn ReadAt>,
        /// Where the text starts.
        start: u64,
    },
}

impl Text {
    pub(crate) fn len(&self) -> u64 {
        match self {
            Text::Owned(text) => text.len() as u64,
            Text::External { source, start } => source.len().saturating_sub(*start),
        }
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Text::Owned(text) => write!(f, "Owned({} bytes)", text.len()),
            Text::External { source, start } => write!(f, "External({} bytes from {start})", source.len()),
        }
    }
}

/// One file, read: its rows, its issues and what was detected.
#[derive(Debug)]
pub struct Table {
    /// File name as given by the caller (no directories).
    pub name: String,
    /// Side of the reconciliation.
    pub side: Side,
    /// Detected encoding.
    pub encoding: Encoding,
    /// Detected delimiter.
    pub delimiter: u8,
    /// 1-based line of the header.
    pub header_line: u32,
    /// Header cells as written (trimmed).
    pub header: Vec<String>,
    /// Where each field was found.
    pub columns: ColumnMap,
    /// The rows that will be reconciled, kept by key hash in `2^part_bits` partitions as they
    /// are read, so that matching groups partition `p` of every table together without moving a
    /// row (see [`Table::rows`], [`Table::row`]; [`Row::line`] gives the order of the file).
    pub(crate) parts: Vec<Vec<Row>>,
    /// How many top bits of the key hash pick a row's partition.
    pub(crate) part_bits: u32,
    /// The index of each partition's first row, and the row count last (rows are numbered
    /// partition by partition).
    pub(crate) part_starts: Vec<u32>,
    /// Rows skipped or repaired, and file-level notes.
    pub issues: Vec<RowIssue>,
    /// Records after the header that were skipped (each has an issue).
    pub skipped_records: u32,
    /// The layout the file was read as.
    pub format: Format,
    /// The layout's version, e.g. `ALL` or `29 columns`; empty when the layout has only one.
    pub variant: String,
    /// The file's own totals checked against its detail (see [`Check`]).
    pub checks: Vec<Check>,
    /// Where a field's value comes from when its own column is empty on a row (e.g. WeChat's
    /// 微信退款单号 when 商户退款单号 is blank).
    pub fallback_columns: ColumnMap,
    /// Every row's line, amount and running balance (余额), in file order, when the file has a
    /// balance column; empty otherwise. Kept apart from the rows, which are not in file order.
    pub balances: Vec<(u32, Decimal, Option<Decimal>)>,
    /// Rows left out after their key was read (an unreadable amount or status): few, and kept so
    /// that an exception on the other side can say its row exists but was skipped.
    pub skipped_keys: Vec<SkippedKey>,
    /// Records starting with a backtick are split on `,` + backtick (WeChat's bills).
    pub(crate) backticks: bool,
    /// Field widths of a fixed-width file (no delimiter), used to show a row's cells.
    pub(crate) fixed_widths: Option<&'static [usize]>,
    /// Key bytes past each row's inline head, and second keys (see [`Key`]).
    pub(crate) key_arena: Vec<u8>,
    /// Amounts beyond 18 digits, by line, in line order (see `Row::BIG`): junk in practice, but exact.
    pub(crate) big_amounts: Vec<(u32, Decimal)>,
    /// Rows per day of their time, for the run's date when none is given.
    pub(crate) days: rustc_hash::FxHashMap<i64, u64>,
    /// Titles, comments and total lines as written (at most [`MAX_NOTE_LINES`]): the footer checks read them.
    pub(crate) notes: Vec<(u32, String)>,
    /// The account a title line names (Alipay's `#账号：[2088…]`): the merchant of rows that name none.
    pub(crate) account: Option<String>,
    pub(crate) text: Text,
}

impl Table {
    /// How many rows the file gave.
    pub fn row_count(&self) -> usize {
        self.part_starts.last().copied().unwrap_or(0) as usize
    }

    /// The rows, partition by partition: numbered as [`Table::row`] numbers them.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.parts.iter().flatten()
    }

    /// Row number `index` (see [`Table::rows`]). A search of the partitions: the hot loops walk
    /// the partitions instead, so this stays out of line.
    #[inline(never)]
    pub fn row(&self, index: u32) -> &Row {
        let part = self.part_starts.partition_point(|&start| start <= index) - 1;
        &self.parts[part][(index - self.part_starts[part]) as usize]
    }

    /// The rows in the order of the file.
    pub fn rows_in_file_order(&self) -> Vec<&Row> {
        let mut rows: Vec<&Row> = self.rows().collect();
        crate::sort::sort_by(&mut rows, |a, b| a.line.cmp(&b.line));
        rows
    }

    /// Splits rows into `2^bits` partitions by key hash, with room for `expected` rows.
    pub(crate) fn set_partitions(&mut self, bits: u32, expected: usize) {
        let count = 1usize << bits;
        let mut parts: Vec<Vec<Row>> =
            (0..count).map(|_| Vec::with_capacity(expected / count + expected / count / 16)).collect();
        for row in std::mem::take(&mut self.parts).into_iter().flatten() {
            parts[part_of(self.hash(&row), bits)].push(row);
        }
        self.parts = parts;
        self.part_bits = bits;
        self.number_rows();
    }

    /// Numbers the rows partition by partition (after reading, or after [`Table::set_partitions`]).
    pub(crate) fn number_rows(&mut self) {
        let mut at = 0u32;
        self.part_starts.clear();
        for part in &self.parts {
            self.part_starts.push(at);
            at += part.len() as u32;
        }
        self.part_starts.push(at);
    }

    /// A row's amount.
    #[inline]
    pub fn amount(&self, row: &Row) -> Decimal {
        row.small_amount().unwrap_or_else(|| {
            let at = self.big_amounts.binary_search_by_key(&row.line, |(line, _)| *line);
            at.map_or(Decimal::ZERO, |at| self.big_amounts[at].1)
        })
    }

    /// Whether two rows of this table and `other` have the same amount (numerically).
    #[inline]
    pub(crate) fn same_amount(&self, row: &Row, other: &Table, other_row: &Row) -> bool {
        row.same_small_amount(other_row).unwrap_or_else(|| self.amount(row) == other.amount(other_row))
    }

    /// The effect of a row on the platform's money (see [`crate::record::effect`]).
    pub fn effect(&self, row: &Row) -> Decimal {
        crate::record::effect(self.amount(row), row.status, row.kind)
    }

    /// The bytes of a row's key past its inline head.
    #[inline]
    pub(crate) fn key_rest(&self, row: &Row) -> &[u8] {
        let rest = usize::from(row.key.len).saturating_sub(KEY_HEAD_BYTES);
        let start = row.key.rest as usize;
        self.key_arena.get(start..start + rest).unwrap_or(&[])
    }

    /// The hash of a row's key: its partition, and its slot in matching's group tables.
    #[inline]
    pub(crate) fn hash(&self, row: &Row) -> u64 {
        hash_key(row.key_field, usize::from(row.key.len), row.key.head, self.key_rest(row))
    }

    /// A row's key, as written.
    pub fn key(&self, row: &Row) -> String {
        let mut bytes: Vec<u8> = row.key.head.iter().flat_map(|w| w.to_le_bytes()).collect();
        bytes.truncate(usize::from(row.key.len).min(KEY_HEAD_BYTES));
        bytes.extend_from_slice(self.key_rest(row));
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// A row's second key (its transaction number with `order_no_then_trade_no`), if any.
    pub(crate) fn second_key(&self, row: &Row) -> &[u8] {
        let start = row.key.rest as usize + usize::from(row.key.len).saturating_sub(KEY_HEAD_BYTES);
        self.key_arena.get(start..start + usize::from(row.key.second_len)).unwrap_or(&[])
    }

    /// The key text of a row for `field`: its key, or its second key.
    pub fn key_of(&self, row: &Row, field: Field) -> String {
        if field == row.key_field {
            self.key(row)
        } else if field == Field::TradeNo {
            String::from_utf8_lossy(self.second_key(row)).into_owned()
        } else {
            String::new()
        }
    }

    /// Bytes of text in the file.
    pub fn text_len(&self) -> u64 {
        self.text.len()
    }
}

impl Table {
    /// An empty table over `text`, before any reader ran.
    pub(crate) fn empty(
        name: &str,
        side: Side,
        text: Text,
        head: &str,
        encoding: Encoding,
        note: Option<String>,
        detection: Detection,
    ) -> Table {
        let mut table = Table {
            name: name.to_string(),
            side,
            encoding,
            delimiter: detect_delimiter(head),
            header_line: 0,
            header: Vec::new(),
            columns: ColumnMap::default(),
            parts: vec![Vec::new()],
            part_bits: 0,
            part_starts: vec![0, 0],
            issues: Vec::new(),
            skipped_records: 0,
            format: detection.format,
            variant: detection.variant,
            checks: Vec::new(),
            fallback_columns: ColumnMap::default(),
            backticks: matches!(detection.format, Format::WechatTrade | Format::WechatFundFlow),
            fixed_widths: None,
            balances: Vec::new(),
            skipped_keys: Vec::new(),
            key_arena: Vec::new(),
            big_amounts: Vec::new(),
            days: Default::default(),
            notes: Vec::new(),
            account: None,
            text,
        };
        if let Some(note) = note {
            table.issues.push(RowIssue::file_note(name, side, IssueCode::EncodingRepaired, note));
        }
        table
    }

    /// The 0-based column whose header normalizes to `name`'s normalization.
    pub fn column_named(&self, name: &str) -> Option<usize> {
        let wanted = normalize_header(name);
        self.header.iter().position(|h| normalize_header(h) == wanted)
    }

    /// Stores a row's key (and second key) and returns its [`Key`].
    pub(crate) fn store_key(&mut self, key: &[u8], second: &[u8]) -> Key {
        let mut stored = Key { head: key_head(key), rest: 0, len: key.len() as u16, second_len: second.len() as u16 };
        if key.len() > KEY_HEAD_BYTES || !second.is_empty() {
            stored.rest = self.key_arena.len() as u32;
            self.key_arena.extend_from_slice(key.get(KEY_HEAD_BYTES..).unwrap_or(&[]));
            self.key_arena.extend_from_slice(second);
        }
        stored
    }
}

impl Table {
    /// The value of `field` in a record (trimmed, unescaped), with the layout's fallback column
    /// when the field's own cell is empty, and WeChat's `0` for "no refund number". Inline: the
    /// reader takes four fields a row, and `field` is a constant at each call.
    #[inline(always)]
    pub(crate) fn field_value<'t>(&self, text: &'t str, fields: &[FieldRange], field: Field) -> Cow<'t, str> {
        let value = self.columns.get(field).and_then(|c| fields.get(c)).map_or(Cow::Borrowed(""), |f| cell(text, f));
        match field {
            Field::RefundNo => self.refund_no(value, text, fields),
            Field::MerchantId => self.merchant(value, text, fields),
            Field::ServiceProvider => self.service_provider(value, text, fields),
            _ => value,
        }
    }

    /// The settling merchant, given the merchant cell: a service-provider bill's `0` or empty
    /// 特约商户号 (a direct merchant) falls back to 商户号, and a file without a merchant column to
    /// the account its title names (Alipay's `#账号：[2088…]`).
    #[inline(never)]
    fn merchant<'t>(&self, value: Cow<'t, str>, text: &'t str, fields: &[FieldRange]) -> Cow<'t, str> {
        let none = |v: &str| v.is_empty() || v == "0";
        if !none(&value) {
            return value;
        }
        let fallback = self.fallback_columns.get(Field::MerchantId).and_then(|c| fields.get(c));
        match fallback.map(|f| cell(text, f)) {
            Some(fallback) if !none(&fallback) => fallback,
            _ => self.account.clone().map_or(Cow::Borrowed(""), Cow::Owned),
        }
    }

    /// The service provider, given its cell: only where it is not the settling merchant itself (a
    /// direct merchant's row in a service-provider bill has none). An Alipay ISV's detail names the
    /// sub-merchant in 商户识别号 and the account it was downloaded from, the ISV's, in `#账号`.
    #[inline(never)]
    fn service_provider<'t>(&self, value: Cow<'t, str>, text: &'t str, fields: &[FieldRange]) -> Cow<'t, str> {
        let value = match (&self.account, self.format) {
            (Some(account), Format::AlipayTrade) if value.is_empty() => Cow::Owned(account.clone()),
            _ => value,
        };
        if value.is_empty() || value == "0" {
            return Cow::Borrowed("");
        }
        let merchant = self.columns.get(Field::MerchantId).and_then(|c| fields.get(c)).map(|f| cell(text, f));
        let merchant = self.merchant(merchant.unwrap_or(Cow::Borrowed("")), text, fields);
        if merchant == value {
            Cow::Borrowed("")
        } else {
            value
        }
    }

    /// The refund number, given the refund-number cell: WeChat's `0` is none, and an empty one
    /// falls back to the layout's second refund-number column.
    #[inline(never)]
    fn refund_no<'t>(&self, value: Cow<'t, str>, text: &'t str, fields: &[FieldRange]) -> Cow<'t, str> {
        let none = |v: &str| v.is_empty() || (self.format == Format::WechatTrade && v == "0");
        if !none(&value) {
            return value;
        }
        let fallback = self.fallback_columns.get(Field::RefundNo).and_then(|c| fields.get(c));
        let fallback = fallback.map_or(Cow::Borrowed(""), |f| cell(text, f));
        if none(&fallback) {
            Cow::Borrowed("")
        } else {
            fallback
        }
    }
}

/// The partition of a key hash: its top `bits` bits (matching's group tables use the low ones).
#[inline]
pub(crate) fn part_of(hash: u64, bits: u32) -> usize {
    if bits == 0 {
        0
    } else {
        (hash >> (64 - bits)) as usize
    }
}

/// Adds a run of rows of one day to the day counts.
pub(crate) fn add_day(days: &mut rustc_hash::FxHashMap<i64, u64>, (day, count): (i64, u64)) {
    *days.entry(day).or_default() += count;
}

/// How many partitions rows are kept in: 16k–32k rows each (1–2 MB of rows), measured best for
/// grouping at 2M rows, for `rows` rows on both sides together.
pub(crate) fn part_bits_for(rows: usize) -> u32 {
    (rows / 16384).max(1).ilog2().min(12)
}

/// Where a record is and its key cells, for [`Table::push_row`].
pub(crate) struct RowParts<'v> {
    pub line: u32,
    pub offset: u32,
    pub order_no: &'v str,
    pub trade_no: &'v str,
    pub refund_no: &'v str,
}

impl Table {
    /// Adds a row: picks the key the profile matches by (a refund by its refund number), stores
    /// it, and keeps the amount as integer units at its scale.
    pub(crate) fn push_row(
        &mut self,
        choice: KeyChoice,
        parts: RowParts,
        amount: Units,
        time: u32,
        status: Status,
        kind: ItemKind,
    ) {
        let (key_field, key) = match choice {
            _ if kind == ItemKind::Refund => (Field::RefundNo, parts.refund_no),
            KeyChoice::OrderNo => (Field::OrderNo, parts.order_no),
            KeyChoice::TradeNo => (Field::TradeNo, parts.trade_no),
            KeyChoice::OrderNoThenTradeNo if !parts.order_no.is_empty() => (Field::OrderNo, parts.order_no),
            KeyChoice::OrderNoThenTradeNo => (Field::TradeNo, parts.trade_no),
        };
        // The transaction number pairs what the order number left single (see matching).
        let second =
            if choice == KeyChoice::OrderNoThenTradeNo && kind == ItemKind::Payment { parts.trade_no } else { "" };
        let key = self.store_key(key.as_bytes(), second.as_bytes());
        let (units, scale) = match amount.small() {
            Some(small) => small,
            None => {
                // Rows arrive in line order, so the list stays sorted.
                self.big_amounts.push((parts.line, amount.decimal()));
                (0, Row::BIG)
            }
        };
        let (line, offset) = (parts.line, parts.offset);
        let row = Row { line, offset, key, units, time, status, kind, key_field, scale };
        let part = part_of(self.hash(&row), self.part_bits);
        self.parts[part].push(row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::parse_units;

    fn table() -> Table {
        let detection = Detection { format: Format::GenericCsv, variant: String::new() };
        Table::empty("t.csv", Side::Internal, Text::Owned(String::new()), "a,b\n", Encoding::Utf8, None, detection)
    }

    fn push(t: &mut Table, choice: KeyChoice, line: u32, keys: [&str; 3], amount: &str, kind: ItemKind) {
        let parts = RowParts { line, offset: 10 * line, order_no: keys[0], trade_no: keys[1], refund_no: keys[2] };
        let units = parse_units(amount).expect("an amount");
        t.push_row(choice, parts, units, Row::NO_TIME, Status::Success, kind);
    }

    #[test]
    fn rows_kept_by_partition_come_back_in_file_order_with_their_keys_and_amounts() {
        let mut t = table();
        t.set_partitions(3, 5);
        let long_key = "L".repeat(3 * KEY_HEAD_BYTES);
        let rows = [
            ("A1", "10.00"),
            ("B2", "5.5"),
            (long_key.as_str(), "0.01"),
            ("C3", "12345678901234.567890"), // more digits than an i64 holds: kept as a decimal
            ("D4", "-3"),
        ];
        for (n, (key, amount)) in rows.iter().enumerate() {
            push(&mut t, KeyChoice::OrderNo, n as u32 + 2, [key, "", ""], amount, ItemKind::Payment);
        }
        t.number_rows();
        assert_eq!(t.big_amounts.len(), 1, "the long amount");
        assert_eq!(t.row_count(), rows.len());
        assert!(t.parts.len() > 1, "several partitions");
        let in_order = t.rows_in_file_order();
        assert_eq!(in_order.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4, 5, 6]);
        for (row, (key, amount)) in in_order.iter().zip(rows) {
            assert_eq!(t.key(row), key);
            let expected = crate::money::parse_amount(amount).expect("an amount");
            assert_eq!(t.amount(row), expected, "{key}");
            assert_eq!(t.key_of(row, Field::OrderNo), key);
        }
        // Numbering: row(n) for n in 0..row_count is every row once.
        let mut lines: Vec<u32> = (0..t.row_count() as u32).map(|n| t.row(n).line).collect();
        lines.sort_unstable();
        assert_eq!(lines, [2, 3, 4, 5, 6]);
    }

    #[test]
    fn the_key_follows_the_profile_and_a_refund_goes_by_its_refund_number() {
        let mut t = table();
        push(&mut t, KeyChoice::OrderNoThenTradeNo, 2, ["O1", "T1", ""], "1.00", ItemKind::Payment);
        push(&mut t, KeyChoice::OrderNoThenTradeNo, 3, ["", "T2", ""], "2.00", ItemKind::Payment);
        push(&mut t, KeyChoice::OrderNo, 4, ["O3", "T3", "R3"], "3.00", ItemKind::Refund);
        push(&mut t, KeyChoice::TradeNo, 5, ["O4", "T4", ""], "4.00", ItemKind::Payment);
        t.number_rows();
        let rows = t.rows_in_file_order();
        let keys: Vec<(Field, String)> = rows.iter().map(|r| (r.key_field, t.key(r))).collect();
        assert_eq!(
            keys,
            [
                (Field::OrderNo, "O1".to_string()),
                (Field::TradeNo, "T2".to_string()),
                (Field::RefundNo, "R3".to_string()),
                (Field::TradeNo, "T4".to_string()),
            ]
        );
        // With order_no_then_trade_no a payment keeps its transaction number as a second key.
        assert_eq!(t.key_of(rows[0], Field::TradeNo), "T1");
        assert_eq!(t.key_of(rows[3], Field::TradeNo), "T4");
        assert_eq!(t.key_of(rows[2], Field::TradeNo), "");
    }

    #[test]
    fn partitions_grow_with_the_rows_and_stop_at_4096() {
        assert_eq!(part_bits_for(0), 0);
        assert_eq!(part_bits_for(16_383), 0);
        assert_eq!(part_bits_for(2 * 16_384), 1);
        assert_eq!(part_bits_for(2_000_000), 6);
        assert_eq!(part_bits_for(usize::MAX), 12);
        assert_eq!(part_of(u64::MAX, 0), 0);
        assert_eq!(part_of(u64::MAX, 12), 4095);
        assert_eq!(part_of(1 << 63, 1), 1);
    }
}
