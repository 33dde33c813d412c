//! Ids of the report's items and what 差错处理 needs of them: content-derived, so the same item
//! has the same id in a re-run, in any row order, and on the next day.

use super::fund_flow::FundFlowReport;
use super::rows::{row_views, Exception};
use crate::classify::Outcome;
use crate::handling::Subject;
use crate::matching::{item_key, Item};
use crate::read::Table;
use crate::time::format_datetime;

/// The content an item's id is made of: outcome, key field, key, and each side's amount, status
/// and time (never a line number). The merchant is left out: it is in the record, which pages of
/// ids would have to read back, and the key already tells a channel's items apart.
fn content_of(tables: &[Table], item: &Item) -> String {
    let side = |r: Option<crate::matching::RowRef>| match r {
        None => "-".to_string(),
        Some(r) => {
            let table = &tables[r.table as usize];
            let row = table.row(r.row);
            let time = row.time().map(format_datetime).unwrap_or_default();
            format!("{}/{}/{time}", crate::id::amount_part(table.amount(row)), row.status)
        }
    };
    let key = item_key(tables, item);
    crate::id::content_id(
        "tx",
        &[item.outcome.code(), item.key_field.code(), &key, &side(item.internal), &side(item.channel)],
    )
}

/// The ids of `all[range]`: content ids, with `#n` for the n-th item (n ≥ 2) of identical content.
/// Identical items are neighbours (exceptions are sorted by outcome and key), so a page looks back
/// only over its first item's own key.
pub(super) fn transaction_ids(tables: &[Table], all: &[Item], range: std::ops::Range<usize>) -> Vec<String> {
    let same_key = |a: &Item, b: &Item| a.outcome == b.outcome && item_key(tables, a) == item_key(tables, b);
    let mut start = range.start.min(all.len());
    while start > 0 && range.start < all.len() && same_key(&all[start - 1], &all[range.start]) {
        start -= 1;
    }
    let mut ids = Vec::with_capacity(range.len());
    let mut previous: Vec<String> = Vec::new();
    for n in start..range.end.min(all.len()) {
        if n > start && !same_key(&all[n - 1], &all[n]) {
            previous.clear();
        }
        let base = content_of(tables, &all[n]);
        let seen = previous.iter().filter(|p| **p == base).count();
        let id = if seen == 0 { base.clone() } else { format!("{base}#{}", seen + 1) };
        previous.push(base);
        if n >= range.start {
            ids.push(id);
        }
    }
    ids
}

/// What 差错处理 needs of every transaction exception. The merchant is read back from the records
/// (the documents say whose order to create or refund), so this reads every exception's rows once:
/// only runs with resolutions pay for it.
pub fn transaction_subjects(tables: &[Table], items: &[Item]) -> crate::error::Result<Vec<Subject>> {
    let ids = transaction_ids(tables, items, 0..items.len());
    let views = row_views(tables, items)?;
    let merchant = |n: usize| {
        let view = views[2 * n].as_ref().or(views[2 * n + 1].as_ref());
        view.map(|v| v.merchant_id.clone()).unwrap_or_default()
    };
    Ok(items
        .iter()
        .zip(ids)
        .enumerate()
        .filter(|(_, (item, _))| item.outcome != Outcome::MatchedWithinTolerance)
        .map(|(n, (item, id))| {
            let date = item.internal.or(item.channel).and_then(|r| {
                let row = tables[r.table as usize].row(r.row);
                row.time().and_then(crate::time::date_of)
            });
            Subject {
                id,
                domain: crate::handling::Domain::Transaction,
                outcome: item.outcome.code().to_string(),
                timing: item.outcome.is_timing(),
                d: item.d,
                label: item.outcome.label(item.d),
                merchant: merchant(n),
                key_field: item.key_field.code().to_string(),
                key: item_key(tables, item),
                date,
            }
        })
        .collect())
}

/// Sets each exception's state and resolution from the resolutions applied.
pub fn annotate(exceptions: &mut [Exception], applied: &crate::handling::Applied) {
    for e in exceptions {
        (e.state, e.resolution) = applied.state_of(&e.id);
    }
}

/// Sets each fund-flow item's and clearing exception's state and resolution.
pub fn annotate_sections(
    flow: Option<&mut FundFlowReport>,
    clearing: Option<&mut crate::clearing::ClearingReport>,
    applied: &crate::handling::Applied,
) {
    if let Some(flow) = flow {
        for i in flow.exceptions.iter_mut().chain(flow.unexplained_movements.iter_mut()) {
            (i.state, i.resolution) = applied.state_of(&i.id);
        }
    }
    if let Some(clearing) = clearing {
        for e in &mut clearing.exceptions {
            (e.state, e.resolution) = applied.state_of(&e.id);
        }
    }
}

/// What 差错处理 needs of every clearing exception.
pub fn clearing_subjects(clearing: &crate::clearing::ClearingReport) -> Vec<Subject> {
    clearing
        .exceptions
        .iter()
        .map(|e| Subject {
            id: e.id.clone(),
            domain: crate::handling::Domain::Clearing,
            outcome: e.class.code().to_string(),
            timing: false,
            d: e.d.0,
            label: e.label,
            merchant: e.merchant.clone(),
            key_field: e.level.code().to_string(),
            key: e.key.clone(),
            date: Some(e.date),
        })
        .collect()
}

/// What 差错处理 needs of every open fund-flow item.
pub fn fund_flow_subjects(flow: &FundFlowReport) -> Vec<Subject> {
    flow.exceptions
        .iter()
        .filter(|i| i.outcome.is_open())
        .map(|i| Subject {
            id: i.id.clone(),
            domain: crate::handling::Domain::FundFlow,
            outcome: i.outcome.code().to_string(),
            timing: i.outcome.is_timing(),
            d: i.d.0,
            label: i.label,
            merchant: i.merchant.clone(),
            key_field: String::new(),
            key: i.id.clone(),
            date: Some(i.date),
        })
        .collect()
}
