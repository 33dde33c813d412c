//! UnionPay online (银联全渠道) reconciliation file `INN{yyMMdd}88ZM_{merId}`: fixed-width ASCII,
//! one space between fields, 607 characters a line, amounts in fen, no header and no year.

use super::issue::{IssueCode, RowIssue};
use super::table::{add_day, RowParts, Table, Text};
use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use crate::money::fen;
use crate::profile::Profile;
use crate::record::{Field, ItemKind, Row, Status};
use crate::time::parse_date_as;
use crate::time::Part::{Two, Year};
use chrono::{Datelike, NaiveDate};

/// Every UnionPay ZM detail line has exactly this many characters (CR/LF excluded).
pub const UNIONPAY_LINE_CHARS: usize = 607;

/// Field names and widths in file order (FORMATS.md).
pub const FIELDS: [(&str, usize); 42] = [
    ("交易代码", 3),
    ("代理机构标识码", 11),
    ("发送机构标识码", 11),
    ("系统跟踪号", 6),
    ("交易传输时间", 10),
    ("账号", 19),
    ("交易金额", 12),
    ("商户类别", 4),
    ("终端类型", 2),
    ("查询流水号", 21),
    ("支付方式(旧)", 2),
    ("商户订单号", 32),
    ("支付卡类型", 2),
    ("原始交易的系统跟踪号", 6),
    ("原始交易日期时间", 10),
    ("商户手续费", 13),
    ("结算金额", 13),
    ("支付方式", 4),
    ("集团商户代码", 15),
    ("交易类型", 2),
    ("交易子类", 2),
    ("业务类型", 6),
    ("账号类型", 2),
    ("账单类型", 4),
    ("账单号码", 32),
    ("交互方式", 1),
    ("原交易查询流水号", 21),
    ("商户代码", 15),
    ("分账入账方式", 1),
    ("二级商户代码", 15),
    ("二级商户简称", 32),
    ("二级商户分账入账金额", 13),
    ("清算净额", 13),
    ("终端号", 8),
    ("商户自定义域", 32),
    ("优惠金额", 13),
    ("发票金额", 13),
    ("分期付款附加手续费", 12),
    ("分期付款期数", 2),
    ("交易介质", 1),
    ("保留使用", 32),
    ("保留使用2", 98),
];

/// The widths alone.
pub const WIDTHS: [usize; 42] = {
    let mut widths = [0; 42];
    let mut n = 0;
    while n < 42 {
        widths[n] = FIELDS[n].1;
        n += 1;
    }
    widths
};

/// 交易类型 (txnType of the 全渠道 interface) decides what a line means for the money.
const TXN_TYPE: usize = 19;
const TIME: usize = 4;
const AMOUNT: usize = 6;
const QUERY_ID: usize = 9;
const ORDER_ID: usize = 11;
const FEE: usize = 15;
const MERCHANT: usize = 27;
const SUB_MERCHANT: usize = 29;

/// 交易类型 values: 01 消费 (purchase), 04 退货 (refund), 31 消费撤销 (purchase reversal: the money goes
/// back like a refund). Unknown values are row issues; a profile can name more through `status_words`.
const TXN_TYPES: &[(&str, Status)] = &[("01", Status::Success), ("04", Status::Refund), ("31", Status::Refund)];

/// The byte range of each field in a line (fields are separated by one space).
fn field_ranges(widths: &[usize]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    widths.iter().map(move |&w| {
        let range = (start, start + w);
        start += w + 1;
        range
    })
}

/// The bill date from a name such as `INN24031588ZM_777290058110048` or `777290058110048_20240315.zip`.
fn date_from_name(name: &str) -> Option<NaiveDate> {
    let digits_after = |marker: &str, count: usize| {
        name.match_indices(marker).find_map(|(at, _)| {
            let start = at + marker.len();
            let digits = name.get(start..start + count)?;
            digits.bytes().all(|b| b.is_ascii_digit()).then_some(digits)
        })
    };
    if let Some(yymmdd) = digits_after("INN", 6) {
        return parse_date_as(&format!("20{yymmdd}"), &[Year, Two, Two]);
    }
    digits_after("_", 8).and_then(|d| parse_date_as(d, &[Year, Two, Two]))
}

/// `MMDDhhmmss` in the year of the bill date (the previous year for December lines in a January file).
fn time_of(cell: &str, bill_date: Option<NaiveDate>) -> Option<i64> {
    let date = bill_date?;
    let number = |from: usize| cell.get(from..from + 2).and_then(|s| s.parse::<u32>().ok());
    let (month, day) = (number(0)?, number(2)?);
    let year = if month > date.month() { date.year() - 1 } else { date.year() };
    let at = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(number(4)?, number(6)?, number(8)?)?;
    Some(at.and_utc().timestamp())
}

/// Reads the fixed-width detail of a table whose text is a ZM file. The text is held whole (ZM
/// files are read line by line by position, and are small next to a day's order export).
pub fn read(table: &mut Table, profile: &Profile) -> Result<()> {
    let name = table.name.clone();
    let side = table.side;
    let bill_date = date_from_name(&name).or(profile.bill_date);
    if bill_date.is_none() {
        let message = "交易传输时间 has no year and neither the file name (INNyyMMdd…) nor the profile's \
                       bill_date gives one; rows are read without times"
            .to_string();
        table.issues.push(RowIssue::file_note(&name, side, IssueCode::YearUnknown, message));
    }
    table.header = FIELDS.iter().map(|(n, _)| n.to_string()).collect();
    table.delimiter = b' ';
    table.fixed_widths = Some(&WIDTHS);
    for (field, column) in [
        (Field::Status, TXN_TYPE),
        (Field::Time, TIME),
        (Field::Amount, AMOUNT),
        (Field::TradeNo, QUERY_ID),
        (Field::OrderNo, ORDER_ID),
        (Field::Fee, FEE),
        // Split settlement: 二级商户代码 is the platform's sub-merchant the money settles for, and
        // 商户代码 then the platform itself; a line without a sub-merchant is the 商户代码's own.
        (Field::MerchantId, SUB_MERCHANT),
        (Field::ServiceProvider, MERCHANT),
    ] {
        table.columns.set(field, column);
    }
    table.fallback_columns.set(Field::MerchantId, MERCHANT);
    let ranges: Vec<(usize, usize)> = field_ranges(&WIDTHS).collect();
    let text = table.whole_text()?.into_owned();
    let expected = text.len() / (UNIONPAY_LINE_CHARS + 1) + 1;
    table.set_partitions(super::table::part_bits_for(2 * expected), expected);
    let mut offset = 0;
    for (n, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let line_no = n as u32 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let mut skip = |column: Option<u32>, code: IssueCode, message: String| {
            table.skipped_records += 1;
            table.issues.push(RowIssue::new(&name, side, line_no, column, code, message));
        };
        if line.len() != UNIONPAY_LINE_CHARS || !line.is_ascii() {
            let message =
                format!("{} characters where UnionPay ZM lines have {UNIONPAY_LINE_CHARS}", line.chars().count());
            skip(None, IssueCode::InvalidFixedWidthLine, message);
            continue;
        }
        let cell = |column: usize| line.get(ranges[column].0..ranges[column].1).unwrap_or("");
        let txn_type = cell(TXN_TYPE).trim();
        let status = profile
            .status_of(txn_type)
            .or_else(|| TXN_TYPES.iter().find(|(t, _)| *t == txn_type).map(|(_, status)| *status));
        let Some(status) = status else {
            let message = format!("unknown 交易类型 {txn_type:?}; add it to the profile's status_words");
            skip(Some(TXN_TYPE as u32 + 1), IssueCode::UnknownStatus, message);
            continue;
        };
        let Some(amount) = fen(cell(AMOUNT)) else {
            let message = format!("交易金额 {:?} is not 12 digits of fen", cell(AMOUNT));
            skip(Some(AMOUNT as u32 + 1), IssueCode::InvalidAmount, message);
            continue;
        };
        let order_no = cell(ORDER_ID).trim();
        let trade_no = cell(QUERY_ID).trim();
        if order_no.is_empty() && trade_no.is_empty() {
            skip(Some(ORDER_ID as u32 + 1), IssueCode::MissingKey, "商户订单号 and 查询流水号 are empty".to_string());
            continue;
        }
        let fee_cell = cell(FEE);
        if !fee_cell.trim().is_empty() && Format::UnionpayZm.fee_of(fee_cell).is_none() {
            let message = format!("商户手续费 {fee_cell:?} is not a sign and 12 digits; the row is kept without a fee");
            table.issues.push(RowIssue::new(
                &name,
                side,
                line_no,
                Some(FEE as u32 + 1),
                IssueCode::InvalidFee,
                message,
            ));
        }
        let time = time_of(cell(TIME), bill_date);
        if time.is_none() && bill_date.is_some() {
            let message = format!("交易传输时间 {:?} is not MMDDhhmmss; the row is kept without a time", cell(TIME));
            table.issues.push(RowIssue::new(
                &name,
                side,
                line_no,
                Some(TIME as u32 + 1),
                IssueCode::InvalidTime,
                message,
            ));
        }
        let time = time.and_then(|t| u32::try_from(t).ok()).filter(|&t| t != Row::NO_TIME).unwrap_or(Row::NO_TIME);
        if time != Row::NO_TIME {
            add_day(&mut table.days, (i64::from(time).div_euclid(crate::time::DAY), 1));
        }
        // A refund's own 商户订单号 is the merchant's refund number.
        let kind = if status == Status::Refund && !order_no.is_empty() { ItemKind::Refund } else { ItemKind::Payment };
        let refund_no = if kind == ItemKind::Refund { order_no } else { "" };
        let parts = RowParts { line: line_no, offset: line_start as u32, order_no, trade_no, refund_no };
        table.push_row(profile.key, parts, crate::money::Units::Big(amount), time, status, kind);
    }
    table.number_rows();
    if table.row_count() == 0 && table.skipped_records == 0 {
        return Err(Error::new(ErrorKind::NoDataRows, "the UnionPay file has no lines").in_file(name));
    }
    table.text = Text::Owned(text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_add_up_to_the_line_length() {
        assert_eq!(WIDTHS.iter().sum::<usize>() + WIDTHS.len() - 1, UNIONPAY_LINE_CHARS);
    }

    #[test]
    fn names_amounts_and_times() {
        let table = [
            ("INN24031588ZM_777290058110048", Some("2024-03-15")),
            ("777290058110048_20240315.zip/INN24031588ZM_777290058110048", Some("2024-03-15")),
            ("777290058110048_20240315.zip", Some("2024-03-15")),
            ("zm.txt", None),
        ];
        for (name, expected) in table {
            assert_eq!(date_from_name(name).map(|d| d.to_string()), expected.map(str::to_string), "{name}");
        }
        assert_eq!(fen("000000012345").map(|d| d.to_string()).as_deref(), Some("123.45"));
        assert_eq!(fen("0000000123x5"), None);
        assert_eq!(Format::UnionpayZm.fee_of("D000000000074").map(|d| d.to_string()).as_deref(), Some("0.74"));
        assert_eq!(Format::UnionpayZm.fee_of("C000000000074").map(|d| d.to_string()).as_deref(), Some("-0.74"));
        assert_eq!(Format::UnionpayZm.fee_of("X000000000074"), None);
        let jan = NaiveDate::from_ymd_opt(2025, 1, 1);
        let december = time_of("1231235959", jan).map(crate::time::format_datetime);
        assert_eq!(december.as_deref(), Some("2024-12-31 23:59:59"));
        assert_eq!(time_of("1399000000", jan), None);
    }
}
