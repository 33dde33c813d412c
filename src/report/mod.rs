//! The report: summary, issues and exceptions, as the same JSON from the CLI and the Wasm API, plus
//! the CSV export. Only exceptions are materialized; matched rows are counted, never copied.

mod causes;
mod clearing;
mod documents;
mod export;
mod files;
pub(crate) mod fund_flow;
mod fund_items;
mod ids;
mod rows;

pub use causes::name_causes;
pub use clearing::ClearingSummary;
pub use documents::{DocumentKind, DocumentLine, Documents};
pub use export::Page;
pub use files::{Added, CarryInfo, FileInfo, InputInfo, Inspection};
pub use fund_flow::{FundCounts, FundFlowReport, FundFlowSummary, FundTotals, MerchantTotals};
pub use fund_items::{
    BatchView, Breakdown, Cause, CauseKind, FundItemKind, ItemView, MatchView, MovementView, PayoutView,
};
use ids::transaction_ids;
pub use ids::{annotate, annotate_sections, clearing_subjects, fund_flow_subjects, transaction_subjects};
use rows::row_views;
pub use rows::{row_view, Columns, Exception, RowView};

use crate::classify::{Label, Outcome, PerOutcome};
use crate::codes::codes;
use crate::error::{Error, ErrorKind, Result};
use crate::handling::ItemState;
use crate::matching::{item_key, Item, Matching};
use crate::money::Money;
use crate::read::{RowIssue, Table};
use crate::record::Side;
use crate::time::format_datetime;
use chrono::NaiveDate;
use export::CsvExport;
use serde::Serialize;
use std::collections::BTreeMap;

codes! {
    /// Where the reconciliation date came from.
    pub enum DateSource {
        /// Given by the caller.
        Input = ("input", "输入"),
        /// The most common order date (the channel's when there is no order export): a day of
        /// orders and bills.
        Inferred = ("inferred", "推断"),
        /// The last day the bank statements cover (their last movement): a run with statements
        /// reconciles up to it, however many days of bills it holds.
        StatementEnd = ("statement_end", "流水最后一天"),
        /// The latest settlement date of the channel's bills: a run with payout instructions but no
        /// statement.
        SettlementEnd = ("settlement_end", "最晚结算日"),
        /// Neither: no date is known.
        None = ("none", "无"),
    }
}

/// What a run tells the report about itself.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The reconciliation date.
    pub date: Option<NaiveDate>,
    /// Where it came from.
    pub date_source: DateSource,
    /// End of the reconciliation day (日切), in the files' local seconds.
    pub cutoff: Option<i64>,
    /// The settings in force.
    pub settings: BTreeMap<&'static str, String>,
}

/// The summary of a run with its date and files (see [`Report::summary_view`]).
#[derive(Clone, Copy, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Summary"))]
pub struct SummaryView<'r> {
    /// The reconciliation date.
    pub date: &'r Option<String>,
    /// Where it came from.
    pub date_source: DateSource,
    /// End of the reconciliation day.
    pub cutoff: &'r Option<String>,
    /// What was read from each file.
    pub files: &'r [FileInfo],
    /// Counts and totals.
    #[serde(flatten)]
    pub summary: &'r Summary,
}

/// The whole result of a run. Field order is the JSON order.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Report {
    /// Version of duizhang that made the report.
    pub duizhang: &'static str,
    /// The reconciliation date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `input` (given by the caller), `inferred` (the most common order date) or `none`.
    pub date_source: DateSource,
    /// End of the reconciliation day (日切), `YYYY-MM-DD HH:MM:SS`.
    pub cutoff: Option<String>,
    /// The settings in force.
    pub settings: BTreeMap<&'static str, String>,
    /// What was read from each file.
    pub files: Vec<FileInfo>,
    /// Counts and totals.
    pub summary: Summary,
    /// Every row skipped or repaired, with file, line, column and reason.
    pub issues: Vec<RowIssue>,
    /// Every item that is not `matched`, sorted by outcome, key and line.
    pub exceptions: Vec<Exception>,
    /// Fund flow (资金对账): only when a bank statement was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub fund_flow: Option<FundFlowReport>,
    /// Book against actual (账实核对): only when a bank statement was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub balance: Option<crate::fund_flow::balance::BalanceReport>,
    /// Clearing per merchant (清分): when the profile has a `clearing` section or a bank, payout or
    /// carry input was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clearing: Option<crate::clearing::ClearingReport>,
    /// 差错处理: only when resolutions were given or carried in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub handling: Option<crate::handling::HandlingReport>,
}

/// Rows of one side: read = reconciled + skipped; nothing is lost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RowCounts {
    /// Records after the header (blank lines excluded).
    pub read: u64,
    /// Rows that ended in an outcome.
    pub reconciled: u64,
    /// Records skipped with an issue.
    pub skipped: u64,
}

/// Rows per side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RowsPerSide {
    /// The internal side.
    pub internal: RowCounts,
    /// The channel side.
    pub channel: RowCounts,
}

/// Counts and totals of a run.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "SummaryTotals"))]
pub struct Summary {
    /// Items per outcome; a pair counts once. Every code is present.
    pub counts: PerOutcome<u64>,
    /// Sum per outcome of the booked amount (the channel amount when the books have no row).
    pub amounts: PerOutcome<Money>,
    /// Sum of d over d > 0 (长款), timing items left out.
    pub long_total: Money,
    /// Sum of d over d < 0 (短款), timing items left out.
    pub short_total: Money,
    /// Sum of d over timing items (pending, 未达账项): not breaks, so in neither total above.
    pub timing_total: Money,
    /// Paired items whose channel time falls after the cut-off.
    pub cross_day: u64,
    /// Rows per side.
    pub rows: RowsPerSide,
    /// Number of issues.
    pub issue_count: u64,
    /// Number of exceptions.
    pub exception_count: u64,
    /// 差错处理: items still open, parked and accepted ones included (every part of the report);
    /// only when resolutions were given or carried in (`handling` has the detail).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub open: Option<u64>,
    /// 差错处理: items per action of their last resolution; only with resolutions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional, type = "Record<Action, number>"))]
    pub resolved: Option<BTreeMap<&'static str, u64>>,
    /// 差错处理: the 长款 of `long_total` still open; only with resolutions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub open_long_total: Option<Money>,
    /// 差错处理: the 短款 of `short_total` still open; only with resolutions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub open_short_total: Option<Money>,
}

fn message(item: &Item, internal: Option<&RowView>, channel: Option<&RowView>) -> String {
    match (item.outcome, internal, channel) {
        (Outcome::AmountMismatch | Outcome::MatchedWithinTolerance, Some(i), Some(c)) => {
            format!("channel amount {} vs booked {}", c.amount, i.amount)
        }
        (Outcome::StatusMismatch, Some(i), Some(c)) => {
            format!("channel status {} ({}) vs booked {} ({})", c.status, c.status_word, i.status, i.status_word)
        }
        (Outcome::InternalOnly, Some(i), None) => format!("booked {} {} with no channel row", i.status, i.amount),
        (Outcome::Pending, Some(i), None) if i.status == "pending" => {
            format!("order not finished ({}); no channel row yet", i.status_word)
        }
        (Outcome::Pending, Some(_), None) => "created at the cut-off; the channel row may come tomorrow".to_string(),
        (Outcome::ExternalOnly, None, Some(c)) => format!("channel {} {} with no booked row", c.status, c.amount),
        (Outcome::Duplicate, Some(i), None) => format!("a second booked row for this key (line {})", i.line),
        (Outcome::Duplicate, None, Some(c)) => format!("a second channel row for this key (line {})", c.line),
        _ => String::new(),
    }
}

/// A row missing on one side may be in the other side's file after all, left out because its
/// amount or status could not be read: say so, or the merchant hunts for a payment that is there.
fn mention_skipped_rows(tables: &[Table], exceptions: &mut [Exception]) {
    let mut skipped = BTreeMap::new();
    for table in tables {
        for s in &table.skipped_keys {
            let rows: &mut Vec<_> = skipped.entry((table.side, s.field, s.key.as_str())).or_default();
            rows.push((table.name.as_str(), s));
        }
    }
    if skipped.is_empty() {
        return;
    }
    for e in exceptions.iter_mut() {
        let other = match e.class {
            Outcome::InternalOnly | Outcome::Pending => Side::Channel,
            Outcome::ExternalOnly => Side::Internal,
            _ => continue,
        };
        for (file, row) in skipped.get(&(other, e.key_field, e.key.as_str())).into_iter().flatten() {
            e.message.push_str(&format!("; {file} line {} has this key but was skipped ({})", row.line, row.code));
        }
    }
}

/// Builds the report of a run, calling `progress(exceptions_done, exceptions_total)` every few
/// thousand exceptions (stops with [`ErrorKind::Cancelled`] when it returns `false`). Without
/// `with_exceptions` the report's `exceptions` stay empty (everything else, their count included,
/// is the same): the Wasm API builds them a page at a time with [`exceptions_of_items`], since
/// each one reads its rows' records back from the files.
pub fn build(
    tables: &[Table],
    matching: &Matching,
    info: RunInfo,
    with_exceptions: bool,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Report> {
    let mut rows = RowsPerSide::default();
    let mut issues = Vec::new();
    for table in tables {
        let counts = match table.side {
            Side::Internal => &mut rows.internal,
            Side::Channel => &mut rows.channel,
        };
        counts.reconciled += table.row_count() as u64;
        counts.skipped += u64::from(table.skipped_records);
        counts.read += table.row_count() as u64 + u64::from(table.skipped_records);
        issues.extend(table.issues.iter().cloned());
    }
    let exceptions = if with_exceptions {
        exceptions_of_items(tables, &matching.exceptions, 0..matching.exceptions.len(), progress)?
    } else {
        Vec::new()
    };
    Ok(Report {
        duizhang: env!("CARGO_PKG_VERSION"),
        date: info.date.map(|d| d.to_string()),
        date_source: info.date_source,
        cutoff: info.cutoff.map(format_datetime),
        settings: info.settings,
        files: tables.iter().map(FileInfo::of).collect(),
        summary: Summary {
            counts: matching.counts.clone(),
            amounts: matching.sums.map(|sum| Money(sum.total())),
            long_total: Money(matching.long_sum.total()),
            short_total: Money(matching.short_sum.total()),
            timing_total: Money(matching.timing_sum.total()),
            cross_day: matching.cross_day,
            rows,
            issue_count: issues.len() as u64,
            exception_count: matching.exceptions.len() as u64,
            open: None,
            resolved: None,
            open_long_total: None,
            open_short_total: None,
        },
        issues,
        exceptions,
        fund_flow: None,
        balance: None,
        clearing: None,
        handling: None,
    })
}

/// The exceptions of `items` (some or all of a matching's, in its order), with every cell of
/// their rows read back from the files.
pub fn exceptions_of_items(
    tables: &[Table],
    all: &[Item],
    range: std::ops::Range<usize>,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Vec<Exception>> {
    let ids = transaction_ids(tables, all, range.clone());
    let items = &all[range];
    let total = items.len() as u64;
    let mut views = row_views(tables, items)?;
    let mut exceptions: Vec<Exception> = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        if n % 4096 == 0 && !progress(n as u64, total) {
            return Err(Error::new(ErrorKind::Cancelled, "the run was cancelled"));
        }
        let internal = views[2 * n].take();
        let channel = views[2 * n + 1].take();
        exceptions.push(Exception {
            id: ids[n].clone(),
            state: ItemState::Open,
            resolution: None,
            class: item.outcome,
            class_zh: item.outcome.name_zh(),
            key: item_key(tables, item),
            key_field: item.key_field,
            d: Money(item.d),
            label: item.outcome.label(item.d),
            cross_day: item.cross_day,
            message: message(item, internal.as_ref(), channel.as_ref()),
            internal,
            channel,
        });
    }
    mention_skipped_rows(tables, &mut exceptions);
    Ok(exceptions)
}

/// The items of one outcome (or all): they are sorted by outcome.
pub fn items_of(items: &[Item], outcome: Option<Outcome>) -> &[Item] {
    match outcome {
        None => items,
        Some(outcome) => {
            let start = items.partition_point(|e| e.outcome < outcome);
            let end = items.partition_point(|e| e.outcome <= outcome);
            &items[start..end]
        }
    }
}

/// One page of `items` as exceptions, JSON `{total, offset, rows}`: what
/// [`Report::exceptions_page_json`] gives once every exception is built.
pub fn items_page(tables: &[Table], items: &[Item], offset: usize, limit: usize) -> Result<Page<Exception>> {
    let (start, end) = export::page_range(items.len(), offset, limit);
    let rows = exceptions_of_items(tables, items, start..end, &mut |_, _| true)?;
    Ok(Page { total: items.len(), offset: start, rows })
}

impl Report {
    /// The report as pretty JSON: byte for byte the same natively and in Wasm.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The summary alone, with the date and files: what the page shows first.
    pub fn summary_view(&self) -> SummaryView<'_> {
        SummaryView {
            date: &self.date,
            date_source: self.date_source,
            cutoff: &self.cutoff,
            files: &self.files,
            summary: &self.summary,
        }
    }

    /// The exceptions of one outcome (or all), as a slice: they are sorted by outcome.
    pub fn exceptions_of(&self, outcome: Option<Outcome>) -> &[Exception] {
        match outcome {
            None => &self.exceptions,
            Some(outcome) => {
                let start = self.exceptions.partition_point(|e| e.class < outcome);
                let end = self.exceptions.partition_point(|e| e.class <= outcome);
                &self.exceptions[start..end]
            }
        }
    }

    /// One page of exceptions, optionally of one outcome.
    pub fn exceptions_page(&self, offset: usize, limit: usize, outcome: Option<Outcome>) -> Page<Exception> {
        Page::of(self.exceptions_of(outcome), offset, limit)
    }

    /// One page of issues.
    pub fn issues_page(&self, offset: usize, limit: usize) -> Page<RowIssue> {
        Page::of(&self.issues, offset, limit)
    }

    /// The exceptions as CSV for Excel: UTF-8 with BOM, CRLF, one row per exception.
    pub fn exceptions_csv(&self) -> Vec<u8> {
        let mut export = CsvExport::new(
            [
                "id",
                "state",
                "class",
                "class_zh",
                "key",
                "key_field",
                "d",
                "label",
                "cross_day",
                "merchant_id",
                "internal_file",
                "internal_line",
                "internal_amount",
                "internal_status",
                "internal_time",
                "channel_file",
                "channel_line",
                "channel_trade_no",
                "channel_amount",
                "channel_fee",
                "channel_status",
                "channel_time",
                "message",
            ],
            256 + self.exceptions.len() * 200,
        );
        for e in &self.exceptions {
            let side = |v: &Option<RowView>, f: &dyn Fn(&RowView) -> String| v.as_ref().map(f).unwrap_or_default();
            let merchant =
                e.internal.as_ref().or(e.channel.as_ref()).map(|r| r.merchant_id.clone()).unwrap_or_default();
            let cells = [
                e.id.clone(),
                e.state.code().to_string(),
                e.class.code().to_string(),
                e.class_zh.to_string(),
                e.key.clone(),
                e.key_field.to_string(),
                e.d.to_string(),
                e.label.map_or("", Label::code).to_string(),
                e.cross_day.to_string(),
                merchant,
                side(&e.internal, &|r| r.file.clone()),
                side(&e.internal, &|r| r.line.to_string()),
                side(&e.internal, &|r| r.amount.to_string()),
                side(&e.internal, &|r| r.status.to_string()),
                side(&e.internal, &|r| r.time.clone().unwrap_or_default()),
                side(&e.channel, &|r| r.file.clone()),
                side(&e.channel, &|r| r.line.to_string()),
                side(&e.channel, &|r| r.trade_no.clone()),
                side(&e.channel, &|r| r.amount.to_string()),
                side(&e.channel, &|r| r.fee.map(|f| f.to_string()).unwrap_or_default()),
                side(&e.channel, &|r| r.status.to_string()),
                side(&e.channel, &|r| r.time.clone().unwrap_or_default()),
                e.message.clone(),
            ];
            export.row(cells);
        }
        export.into_bytes()
    }
}
