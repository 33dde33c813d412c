//! A row of an input as views show it (every cell, read back from its file) and the exception
//! that names one or two of them.

use crate::classify::{Label, Outcome};
use crate::error::{Error, ErrorKind, Result};
use crate::handling::{ItemState, ResolutionView};
use crate::matching::Item;
use crate::money::Money;
use crate::read::{RecordRef, Table};
use crate::record::{Field, ItemKind, Row, Status};
use crate::time::format_datetime;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::sync::Arc;

/// One side of an exception, with every field for display.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RowView {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// Merchant order number.
    pub order_no: String,
    /// Channel transaction number.
    pub trade_no: String,
    /// Refund number.
    pub refund_no: String,
    /// The settling merchant: the sub-merchant wherever the file names one (特约商户号, 二级商户代码,
    /// 商户识别号), else 商户号 or the account the file is for.
    pub merchant_id: String,
    /// The service provider the merchant's money was collected through, where the file names one
    /// other than the merchant (a WeChat service-provider bill's 商户号); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub service_provider: Option<String>,
    /// Amount as written.
    pub amount: Money,
    /// Fee, when present, as what the merchant paid: a refund's returned fee is negative, whichever
    /// sign the bill writes it with (Alipay writes 服务费 as money out, `-1.55`).
    pub fee: Option<Money>,
    /// Normalized status.
    pub status: Status,
    /// Status as written.
    pub status_word: String,
    /// Time, `YYYY-MM-DD HH:MM:SS`.
    pub time: Option<String>,
    /// Every cell of the row by header name, extra columns included.
    #[cfg_attr(feature = "typescript", ts(type = "Record<string, string>"))]
    pub columns: Columns,
}

/// Header/value pairs, serialized as a JSON object in header order. The header names are shared
/// by every row of a file instead of copied into each.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    names: Arc<[String]>,
    values: Vec<String>,
}

impl Columns {
    /// The (header, value) pairs in header order; a missing cell is an empty value.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names.iter().enumerate().map(|(n, name)| (name.as_str(), self.values.get(n).map_or("", String::as_str)))
    }
}

impl Serialize for Columns {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.names.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// An item that is not `matched`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Exception {
    /// Stable id from the item's content (`tx:` and 16 hex digits, `#n` for the n-th identical
    /// item): the same in a re-run, in any row order, and on the next day.
    pub id: String,
    /// Where it stands in 差错处理.
    pub state: ItemState,
    /// Its last resolution, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub resolution: Option<ResolutionView>,
    /// Outcome code.
    pub class: Outcome,
    /// Chinese name of the outcome.
    pub class_zh: &'static str,
    /// The key that paired (or failed to pair) it.
    pub key: String,
    /// Which field the key is: `order_no`, `trade_no` or `refund_no`.
    pub key_field: Field,
    /// d = E − B.
    pub d: Money,
    /// 长款 (d > 0), 短款 (d < 0) or null (d = 0).
    pub label: Option<Label>,
    /// The channel time falls after the cut-off.
    pub cross_day: bool,
    /// What is wrong, for a person.
    pub message: String,
    /// The internal row.
    pub internal: Option<RowView>,
    /// The channel row.
    pub channel: Option<RowView>,
}

impl RowView {
    /// The view of a row, from its record read back from its file.
    fn of(table: &Table, row: &Row, record: &RecordRef, names: Arc<[String]>) -> RowView {
        let refund_no = match row.kind {
            // A refund's key is its refund number (a UnionPay refund's is its 商户订单号).
            ItemKind::Refund => table.key(row),
            ItemKind::Payment => table.field_of(record, Field::RefundNo).into_owned(),
        };
        RowView {
            file: table.name.clone(),
            line: row.line,
            order_no: table.field_of(record, Field::OrderNo).into_owned(),
            trade_no: table.field_of(record, Field::TradeNo).into_owned(),
            refund_no,
            merchant_id: table.field_of(record, Field::MerchantId).into_owned(),
            service_provider: Some(table.field_of(record, Field::ServiceProvider).into_owned())
                .filter(|p| !p.is_empty()),
            amount: Money(table.amount(row)),
            fee: table.fee_of(record).map(Money),
            status: row.status,
            status_word: table.field_of(record, Field::Status).into_owned(),
            time: row.time().map(format_datetime),
            columns: Columns { names, values: record.cells() },
        }
    }
}

/// One row of a table with every field, read back from its file (for audits and tests; a
/// report reads the rows of all its exceptions in one sweep instead).
pub fn row_view(table: &Table, row: &Row) -> Result<RowView> {
    let mut view = None;
    let names: Arc<[String]> = Arc::from(table.header.as_slice());
    table.sweep(&[row.offset], &mut |_, record| {
        view = Some(RowView::of(table, row, record, names.clone()));
        Ok(())
    })?;
    view.ok_or_else(|| Error::new(ErrorKind::Io, "the row's record could not be read again").in_file(&table.name))
}

/// The rows of every exception with all their cells, read again from their files: one sweep
/// per table over the rows' records in file order. Slot `2n` is item `n`'s internal row, `2n + 1`
/// its channel row.
pub(super) fn row_views(tables: &[Table], items: &[Item]) -> Result<Vec<Option<RowView>>> {
    let mut views: Vec<Option<RowView>> = Vec::new();
    views.resize_with(2 * items.len(), || None);
    // Per table: (record offset << 32 | slot), sorted, so each file is read front to back once.
    let mut wanted: Vec<Vec<u64>> = tables.iter().map(|_| Vec::new()).collect();
    for (n, item) in items.iter().enumerate() {
        for (side, r) in [item.internal, item.channel].into_iter().enumerate() {
            if let Some(r) = r {
                let offset = tables[r.table as usize].row(r.row).offset;
                wanted[r.table as usize].push(u64::from(offset) << 32 | (2 * n + side) as u64);
            }
        }
    }
    for (t, (table, mut wanted)) in tables.iter().zip(wanted).enumerate() {
        if wanted.is_empty() {
            continue;
        }
        crate::sort::u64s(&mut wanted);
        let names: Arc<[String]> = Arc::from(table.header.as_slice());
        let offsets: Vec<u32> = wanted.iter().map(|w| (w >> 32) as u32).collect();
        table.sweep(&offsets, &mut |n, record| {
            let slot = (wanted[n] & u64::from(u32::MAX)) as usize;
            let item = &items[slot / 2];
            let r = if slot % 2 == 0 { item.internal } else { item.channel };
            let Some(r) = r.filter(|r| r.table as usize == t) else { return Ok(()) };
            let row = table.row(r.row);
            if !table.holds_row(record, row) {
                return Err(Error::new(
                    ErrorKind::Io,
                    format!(
                        "line {} no longer holds the key read from it: the file's bytes changed; add it again",
                        row.line
                    ),
                )
                .in_file(&table.name));
            }
            views[slot] = Some(RowView::of(table, row, record, names.clone()));
            Ok(())
        })?;
    }
    Ok(views)
}
