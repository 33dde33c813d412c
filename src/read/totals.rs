//! The totals a bill states about itself, checked against its detail: a free check that nothing
//! was lost or misread. Each comparison becomes a [`Check`] on the table; a failed one is also a
//! file-level `summary_mismatch` issue.

use super::cell::trim_cell;
use super::issue::{Check, IssueCode, RowIssue};
use super::statement::balance::{check_steps, Step};
use super::table::Table;
use crate::error::Result;
use crate::format::Format;
use crate::money::parse_amount;
use rust_decimal::Decimal;

/// WeChat trade bill summary columns and the detail column each one totals (`None`: a row count).
const WECHAT_TRADE_TOTALS: &[(&str, Option<&str>)] = &[
    ("总交易单数", None),
    ("应结订单总金额", Some("应结订单金额")),
    ("退款总金额", Some("退款金额")),
    ("充值券退款总金额", Some("充值券退款金额")),
    ("手续费总金额", Some("手续费")),
    ("订单总金额", Some("订单金额")),
    ("申请退款总金额", Some("申请退款金额")),
    // The pre-2018 five-column summary.
    ("总交易额", Some("总金额")),
    ("总退款金额", Some("退款金额")),
    ("总代金券或立减优惠退款金额", Some("代金券或立减优惠退款金额")),
    ("总企业红包退款金额", Some("企业红包退款金额")),
];

/// What a summary column totals: which rows, and which detail column (`None`: a row count).
type Meaning = Option<(Only<'static>, Option<&'static str>)>;

/// Which rows a total counts.
#[derive(Clone, Copy)]
enum Only<'a> {
    All,
    /// Rows whose cell in the named column equals the word.
    Where(&'a str, &'a str),
    /// Rows whose cell in the named column is a non-zero amount.
    NonZero(&'a str),
}

/// Adds the checks a file's own layout allows.
pub fn check(table: &mut Table) -> Result<()> {
    match table.format {
        Format::WechatTrade => check_trailing_summary(table, "总交易单数", wechat_trade_total)?,
        Format::WechatFundFlow => check_trailing_summary(table, "资金流水总笔数", wechat_fund_flow_total)?,
        Format::AlipayTrade => {
            check_footer(table, "#交易合计", Only::Where("业务类型", "交易"), "商家实收（元）")?;
            check_footer(table, "#退款合计", Only::Where("业务类型", "退款"), "商家实收（元）")?;
        }
        Format::AlipayAccountFlow => {
            check_footer(table, "#收入合计", Only::NonZero("收入金额（+元）"), "收入金额（+元）")?;
            check_footer(table, "#支出合计", Only::NonZero("支出金额（-元）"), "支出金额（-元）")?;
        }
        _ => {}
    }
    check_running_balance(table);
    Ok(())
}

/// Opening balance plus every movement must give the closing balance, and each row's balance must
/// follow from the previous one (账实核对 within one file): the statement reader's checker, for the
/// channel layouts with a balance column (WeChat 资金账单, Alipay 账务明细). A bank statement read
/// as a table was checked by the statement reader already.
fn check_running_balance(table: &mut Table) {
    if table.format == Format::BankStatement || table.balances.len() != table.row_count() {
        return; // checked already, or no balance column
    }
    // Bills' amounts are not bounded like statements': sums beyond 10^15 would not be money.
    let in_range = |d: &Decimal| crate::money::amount_in_range(*d);
    let steps: Option<Vec<Step>> = table
        .balances
        .iter()
        .map(|&(line, amount, balance)| {
            let balance = balance.filter(in_range)?;
            in_range(&amount).then_some(Step { line, date: None, time: None, amount, balance: Some(balance) })
        })
        .collect();
    let Some(steps) = steps.filter(|s| s.len() >= 2) else { return };
    let checked = check_steps(&table.name, &steps);
    if let Some(check) = checked.check() {
        table.issues.extend(check.mismatch(&table.name, table.side));
        table.checks.push(check);
    }
    for b in &checked.breaks {
        let message =
            format!("余额 {} where the previous balance plus this row's amount gives {}", b.found, b.expected);
        table.issues.push(RowIssue::new(&table.name, table.side, b.line, None, IssueCode::BalanceBreak, message));
    }
}

fn wechat_trade_total(name: &str) -> Meaning {
    WECHAT_TRADE_TOTALS.iter().find(|(n, _)| *n == name).map(|(_, column)| (Only::All, *column))
}

fn wechat_fund_flow_total(name: &str) -> Meaning {
    const AMOUNT: &str = "收支金额(元)";
    match name {
        "资金流水总笔数" => Some((Only::All, None)),
        "收入笔数" => Some((Only::Where("收支类型", "收入"), None)),
        "收入金额" => Some((Only::Where("收支类型", "收入"), Some(AMOUNT))),
        "支出笔数" => Some((Only::Where("收支类型", "支出"), None)),
        "支出金额" => Some((Only::Where("收支类型", "支出"), Some(AMOUNT))),
        _ => None,
    }
}

/// The count of rows `only` selects, and the total of `column` over them (zero when absent).
fn total(table: &Table, only: Only, column: Option<&str>) -> Result<(u64, Option<Decimal>)> {
    Ok(totals(table, &[(only, column)])?.first().copied().unwrap_or((0, Some(Decimal::ZERO))))
}

/// [`total`] for several specs in one pass over the rows, reading their records again (rows keep
/// no cells) and only the cells the specs need. Runs right after reading, while the rows are
/// still in file order. A sum is `None` once it overflowed (28-digit amounts exist only in junk,
/// but must not panic).
fn totals(table: &Table, specs: &[(Only, Option<&str>)]) -> Result<Vec<(u64, Option<Decimal>)>> {
    // Per spec: the filter's column (None: the column is missing, so nothing is selected) and the summed column.
    let resolved: Vec<(Option<Option<usize>>, Option<usize>)> = specs
        .iter()
        .map(|(only, column)| {
            let filter = match only {
                Only::All => None,
                Only::Where(name, _) | Only::NonZero(name) => Some(table.column_named(name)),
            };
            (filter, column.and_then(|c| table.column_named(c)))
        })
        .collect();
    let mut out = vec![(0u64, Some(Decimal::ZERO)); specs.len()];
    // In file order, so the file is read front to back once.
    let mut order: Vec<u64> = table.rows().map(|r| u64::from(r.offset) << 32).collect();
    crate::sort::u64s(&mut order);
    let offsets: Vec<u32> = order.iter().map(|o| (o >> 32) as u32).collect();
    table.sweep(&offsets, &mut |_, record| {
        let amount_of = |c: usize| parse_amount(&record.cell(c)).unwrap_or(Decimal::ZERO);
        for ((only, _), ((filter, sum_column), acc)) in specs.iter().zip(resolved.iter().zip(out.iter_mut())) {
            let selected = match (only, filter) {
                (Only::All, _) => true,
                (Only::Where(_, word), Some(Some(c))) => record.cell(*c) == *word,
                (Only::NonZero(_), Some(Some(c))) => !amount_of(*c).is_zero(),
                _ => false,
            };
            if selected {
                acc.0 += 1;
                if let Some(c) = sum_column {
                    acc.1 = acc.1.and_then(|sum| sum.checked_add(amount_of(*c)));
                }
            }
        }
        Ok(())
    })?;
    Ok(out)
}

fn push_check(table: &mut Table, name: String, expected: &str, found: Option<Decimal>, compare_magnitude: bool) {
    let check = Check::compare(name, expected, found, compare_magnitude);
    table.issues.extend(check.mismatch(&table.name, table.side));
    table.checks.push(check);
}

/// WeChat's last two lines: a header of total names, then their values.
fn check_trailing_summary(table: &mut Table, first_name: &str, meaning: fn(&str) -> Meaning) -> Result<()> {
    // The summary lines are total rows, so the reader kept them as notes.
    let notes = std::mem::take(&mut table.notes);
    let result = check_summary_lines(table, &notes, first_name, meaning);
    table.notes = notes;
    result
}

fn check_summary_lines(
    table: &mut Table,
    notes: &[(u32, String)],
    first_name: &str,
    meaning: fn(&str) -> Meaning,
) -> Result<()> {
    let lines: Vec<&str> = notes.iter().map(|(_, l)| l.as_str()).filter(|l| !l.trim().is_empty()).collect();
    let Some(at) = lines.iter().rposition(|l| trim_cell(l.split(',').next().unwrap_or("")) == first_name) else {
        return Ok(());
    };
    let names: Vec<String> = lines[at].split(',').map(|c| trim_cell(c).to_string()).collect();
    let values: Vec<String> =
        lines.get(at + 1).map(|l| l.split(',').map(|c| trim_cell(c).to_string()).collect()).unwrap_or_default();
    let known: Vec<(usize, Only, Option<&str>)> = names
        .iter()
        .enumerate()
        .filter_map(|(n, name)| meaning(name).map(|(only, column)| (n, only, column)))
        .collect();
    let specs: Vec<(Only, Option<&str>)> = known.iter().map(|(_, only, column)| (*only, *column)).collect();
    let found = totals(table, &specs)?;
    for ((n, _, column), (count, sum)) in known.iter().zip(found) {
        let expected = values.get(*n).cloned().unwrap_or_default();
        let found = if column.is_some() { sum } else { Some(Decimal::from(count)) };
        push_check(table, names[*n].clone(), &expected, found, false);
    }
    Ok(())
}

/// A `#…合计：N笔，…共X元` footer line: its count and amount.
fn parse_footer(line: &str) -> Option<(String, String)> {
    let body = line.trim_end_matches([',', '\r', ' ']);
    let after = body.split_once('：').or_else(|| body.split_once(':'))?.1;
    let count: String = after.chars().take_while(char::is_ascii_digit).collect();
    let amount_start = after.find('共')? + '共'.len_utf8();
    let amount: String = after.get(amount_start..)?.chars().take_while(|&c| c != '元').collect();
    Some((count, amount.trim().to_string()))
}

/// An Alipay `#` footer checked against the rows it counts.
fn check_footer(table: &mut Table, prefix: &str, only: Only, column: &str) -> Result<()> {
    // Footer lines are comment rows, which the reader kept as notes.
    let line = table.notes.iter().map(|(_, l)| l).find(|l| trim_cell(l).starts_with(prefix)).cloned();
    let Some(line) = line else { return Ok(()) };
    let label = prefix.trim_start_matches('#');
    let Some((count, amount)) = parse_footer(trim_cell(&line)) else {
        let message = format!("{label}: the footer {:?} could not be read", trim_cell(&line));
        table.issues.push(RowIssue::file_note(&table.name, table.side, IssueCode::SummaryMismatch, message));
        return Ok(());
    };
    let (found_count, found_sum) = total(table, only, Some(column))?;
    push_check(table, format!("{label} 笔数"), &count, Some(Decimal::from(found_count)), false);
    // Refund and expense totals are printed with or without their minus sign.
    push_check(table, format!("{label} {column}"), &amount, found_sum, true);
    Ok(())
}

/// The 汇总 file's 合计 row checked against the 业务明细 file it summarizes (same zip).
pub fn cross_file_checks(tables: &mut [Table]) -> Result<()> {
    let Some(detail) = tables.iter().position(|t| t.format == Format::AlipayTrade) else { return Ok(()) };
    if !tables.iter().any(|t| t.format == Format::AlipaySummary) {
        return Ok(());
    }
    const TOTALS: &[(&str, Only, Option<&str>)] = &[
        ("交易订单总笔数", Only::Where("业务类型", "交易"), None),
        ("退款订单总笔数", Only::Where("业务类型", "退款"), None),
        ("订单金额（元）", Only::All, Some("订单金额（元）")),
        ("商家实收（元）", Only::All, Some("商家实收（元）")),
        ("服务费（元）", Only::All, Some("服务费（元）")),
    ];
    let specs: Vec<(Only, Option<&str>)> = TOTALS.iter().map(|(_, only, column)| (*only, *column)).collect();
    let found: Vec<Option<Decimal>> = totals(&tables[detail], &specs)?
        .into_iter()
        .zip(TOTALS)
        .map(|((count, sum), (_, _, column))| if column.is_some() { sum } else { Some(Decimal::from(count)) })
        .collect();
    for table in tables.iter_mut().filter(|t| t.format == Format::AlipaySummary) {
        let text = table.whole_text()?.into_owned();
        let total_row = text.lines().find_map(|line| {
            let cells: Vec<String> = line.split(',').map(|c| trim_cell(c).to_string()).collect();
            cells.iter().take(2).any(|c| c.contains("合计")).then_some(cells)
        });
        let Some(total_row) = total_row else {
            let message = "the 汇总 file has no 合计 row".to_string();
            table.issues.push(RowIssue::file_note(&table.name, table.side, IssueCode::SummaryMismatch, message));
            continue;
        };
        for ((name, _, _), found) in TOTALS.iter().zip(&found) {
            let Some(column) = table.column_named(name) else { continue };
            let expected = total_row.get(column).cloned().unwrap_or_default();
            push_check(table, format!("汇总 合计 {name}"), &expected, *found, false);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footers_give_count_and_amount() {
        let table = [
            ("#交易合计：6笔，商家实收共0.06元，", Some(("6", "0.06"))),
            ("#退款合计：4笔，商家实收退款共-0.04元，,,,", Some(("4", "-0.04"))),
            ("#支出合计：2笔，共1,200.50元", Some(("2", "1,200.50"))),
            ("#导出时间：[2024年03月16日 08:00:00]", None),
        ];
        for (line, expected) in table {
            let got = parse_footer(line);
            assert_eq!(got, expected.map(|(c, a)| (c.to_string(), a.to_string())), "{line}");
        }
    }
}
