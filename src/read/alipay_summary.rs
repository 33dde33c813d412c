//! The Alipay 业务明细(汇总) layout: a header and per-store rows ending in 合计, read from the same
//! zip as the detail. It holds no rows to reconcile, only totals to check the detail against.

use super::cell::trim_cell;
use super::table::{Table, Text};
use crate::error::{Error, ErrorKind, Result};
use crate::record::normalize_header;

/// The Alipay 汇总 file: a header and per-store rows ending in 合计. It holds no reconcilable rows;
/// its 合计 row is checked against the 业务明细 file of the same zip (see `totals::cross_file_checks`).
pub fn read_alipay_summary(table: &mut Table) -> Result<()> {
    let wanted = normalize_header("交易订单总笔数");
    // A 汇总 file has a row per store: small, so it is held whole.
    if matches!(table.text, Text::External { .. }) {
        table.text = Text::Owned(table.whole_text()?.into_owned());
    }
    let found = table.whole_text()?.lines().enumerate().find_map(|(n, line)| {
        let cells: Vec<String> = line.split(',').map(|c| trim_cell(c).to_string()).collect();
        cells.iter().any(|c| normalize_header(c) == wanted).then_some((n, cells))
    });
    let Some((line, header)) = found else {
        return Err(Error::new(
            ErrorKind::NoKnownColumns { best_header: Vec::new() },
            "no 汇总 header (交易订单总笔数)",
        )
        .in_file(&table.name));
    };
    table.header_line = line as u32 + 1;
    table.header = header;
    Ok(())
}
