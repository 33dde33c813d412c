//! Which layout ([`Format`]) a file is, decided from its content, never its name.
//!
//! Detection looks at the first lines for a header that only one layout writes. A file no layout
//! claims is read as [`Format::GenericCsv`] through the alias table; every layout's reason for
//! rejecting the file is kept so an unusable file's error can say what was tried.

use super::cell::trim_cell;
use super::header::HeaderNames;
use super::statement;
use super::table::Detection;
use super::unionpay::UNIONPAY_LINE_CHARS;
use crate::error::Rejection;
use crate::format::Format;
use crate::profile::{ColumnMapping, Profile};
use crate::record::{normalize_header, Field};

/// How many lines are searched for a layout's header.
const DETECT_LINES: usize = 64;

/// Formats every rejection as `format (reason); …` for error messages.
pub fn describe_rejections(rejections: &[Rejection]) -> String {
    rejections.iter().map(|r| format!("{} ({})", r.format.code(), r.reason)).collect::<Vec<_>>().join("; ")
}

/// The normalized cells of one line, for header comparisons (comma or TAB separated).
fn header_cells(line: &str) -> Vec<String> {
    let delimiter = if line.matches('\t').count() > line.matches(',').count() { '\t' } else { ',' };
    line.split(delimiter).map(|c| normalize_header(trim_cell(c.trim_matches('"')))).collect()
}

/// The first line (within the search window) that has every one of `names` among its cells: a
/// layout's header, as detection knows it by a few of its names (the readers find headers by
/// mapping columns: `records::find_header`).
fn line_with_names(lines: &[(usize, &str, Vec<String>)], names: &[&str]) -> Option<(usize, Vec<String>)> {
    let wanted: Vec<String> = names.iter().map(|n| normalize_header(n)).collect();
    lines.iter().find(|(_, _, cells)| wanted.iter().all(|w| cells.contains(w))).map(|(n, _, cells)| (*n, cells.clone()))
}

/// Detects the layout of decoded text. `Err` lists every specific layout's rejection; the caller
/// then tries the generic reader (and reports the list if that fails too).
pub fn detect(text: &str) -> std::result::Result<Detection, Vec<Rejection>> {
    let lines: Vec<(usize, &str, Vec<String>)> = text
        .split('\n')
        .take(DETECT_LINES)
        .enumerate()
        .map(|(n, l)| {
            let line = l.strip_suffix('\r').unwrap_or(l);
            (n + 1, line, header_cells(line))
        })
        .filter(|(_, l, _)| !l.trim().is_empty())
        .collect();
    let mut rejections = Vec::new();
    let mut reject = |format: Format, reason: &str| rejections.push(Rejection { format, reason: reason.to_string() });

    // UnionPay: fixed-width ASCII lines of exactly 607 characters.
    match lines.first() {
        Some((_, line, _)) if line.len() == UNIONPAY_LINE_CHARS && line.is_ascii() && !line.contains(',') => {
            return Ok(Detection { format: Format::UnionpayZm, variant: String::new() });
        }
        Some((_, line, _)) => reject(
            Format::UnionpayZm,
            &format!(
                "the first line has {} characters, not {UNIONPAY_LINE_CHARS} fixed-width ASCII",
                line.chars().count()
            ),
        ),
        None => reject(Format::UnionpayZm, "no lines"),
    }

    if let Some((_, cells)) = line_with_names(&lines, &["交易时间", "公众账号ID", "微信订单号", "商户订单号"])
    {
        let has = |name: &str| cells.contains(&normalize_header(name));
        let bill_type = if has("退款申请时间") {
            "REFUND"
        } else if has("微信退款单号") {
            "ALL"
        } else {
            "SUCCESS"
        };
        let mut variant = bill_type.to_string();
        if has("总金额") {
            variant.push_str("/pre-2018");
        } else if has("子商户号") {
            variant.push_str("/子商户号");
        }
        return Ok(Detection { format: Format::WechatTrade, variant });
    }
    reject(Format::WechatTrade, "no header with 交易时间, 公众账号ID, 微信订单号, 商户订单号");

    if line_with_names(&lines, &["记账时间", "资金流水单号", "收支类型"]).is_some() {
        return Ok(Detection { format: Format::WechatFundFlow, variant: String::new() });
    }
    reject(Format::WechatFundFlow, "no header with 记账时间, 资金流水单号, 收支类型");

    if let Some((_, cells)) = line_with_names(&lines, &["支付宝交易号", "商户订单号", "业务类型", "商家实收（元）"])
    {
        // Named as the layouts are known; FORMATS.md's "29-column" list adds five names to the 25,
        // so the presence of 实收净额（元）, not a count, tells the versions apart.
        let extended = cells.contains(&normalize_header("实收净额（元）"));
        let variant = if extended { "29 columns" } else { "25 columns" };
        return Ok(Detection { format: Format::AlipayTrade, variant: variant.to_string() });
    }
    reject(Format::AlipayTrade, "no header with 支付宝交易号, 商户订单号, 业务类型, 商家实收（元）");

    if line_with_names(&lines, &["门店编号", "交易订单总笔数", "退款订单总笔数"]).is_some() {
        return Ok(Detection { format: Format::AlipaySummary, variant: String::new() });
    }
    reject(Format::AlipaySummary, "no header with 门店编号, 交易订单总笔数, 退款订单总笔数");

    if let Some((_, cells)) = line_with_names(&lines, &["账务流水号", "收入金额（+元）", "支出金额（-元）"])
    {
        let extended = cells.contains(&normalize_header("业务描述"));
        let variant = if extended { "extended" } else { "" };
        return Ok(Detection { format: Format::AlipayAccountFlow, variant: variant.to_string() });
    }
    reject(Format::AlipayAccountFlow, "no header with 账务流水号, 收入金额（+元）, 支出金额（-元）");

    // The fund-flow layouts, through the same header vocabulary their readers use.
    let profile = Profile::default();
    let names = |format| HeaderNames::new(format, &ColumnMapping::default(), &profile);
    let (statements, payouts, ledgers) =
        (names(Format::BankStatement), names(Format::PayoutInstructions), names(Format::SubLedger));
    let any = |cells: &[String], fields: &[Field]| {
        fields.iter().any(|f| f.default_aliases().iter().any(|a| cells.contains(&normalize_header(a))))
    };
    for (_, _, cells) in &lines {
        // A merchant order number means an order export (say, with a stored-value balance).
        if any(cells, &[Field::OrderNo]) {
            continue;
        }
        let (columns, _) = statements.map(cells);
        let has = |field| columns.get(field).is_some();
        let moves = [Field::Balance, Field::Debit, Field::Credit, Field::BookedDebit, Field::BookedCredit];
        if let Some(variant) = statement::variant_of(&columns).filter(|_| moves.iter().any(|&f| has(f))) {
            return Ok(Detection { format: Format::BankStatement, variant: variant.to_string() });
        }
        if any(cells, &[Field::TradeNo]) {
            continue;
        }
        let (payout, _) = payouts.map(cells);
        let payout_word = ["代付", "付款"].iter().any(|w| cells.iter().any(|c| c.contains(w)));
        if payout.get(Field::Amount).is_some()
            && payout.get(Field::Date).is_some()
            && (payout.get(Field::CounterpartyAccount).is_some() || payout_word)
        {
            return Ok(Detection { format: Format::PayoutInstructions, variant: String::new() });
        }
        let (ledger, _) = ledgers.map(cells);
        let dated_or_moving = [Field::Date, Field::Time, Field::Debit, Field::Credit, Field::Amount];
        if ledger.get(Field::MerchantId).is_some()
            && ledger.get(Field::Balance).is_some()
            && !dated_or_moving.iter().any(|&f| has(f))
        {
            return Ok(Detection { format: Format::SubLedger, variant: String::new() });
        }
    }
    reject(Format::BankStatement, "no header with a date and a balance or debit/credit (借方/贷方, 支出/收入) column");
    reject(Format::PayoutInstructions, "no header with an amount, a date and a beneficiary account (收款账号)");
    reject(Format::SubLedger, "no header with a merchant and a balance (余额) column");
    Err(rejections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_decide_the_layout_and_variant() {
        let table: &[(&str, Option<(Format, &str)>)] = &[
            (
                "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,微信退款单号,订单金额\n",
                Some((Format::WechatTrade, "ALL")),
            ),
            (
                "交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,订单金额\n",
                Some((Format::WechatTrade, "SUCCESS/子商户号")),
            ),
            (
                "\u{feff}交易时间,公众账号ID,商户号,子商户号,微信订单号,商户订单号,总金额,微信退款单号\r\n",
                Some((Format::WechatTrade, "ALL/pre-2018")),
            ),
            (
                "交易时间,公众账号ID,微信订单号,商户订单号,代金券金额,退款申请时间,退款成功时间,微信退款单号\n",
                Some((Format::WechatTrade, "REFUND")),
            ),
            (
                "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元)\n",
                Some((Format::WechatFundFlow, "")),
            ),
            (
                "#支付宝业务明细查询\n支付宝交易号,商户订单号,业务类型,商家实收（元）\n",
                Some((Format::AlipayTrade, "25 columns")),
            ),
            ("门店编号,门店名称,交易订单总笔数,退款订单总笔数\n", Some((Format::AlipaySummary, ""))),
            (
                "账务流水号,业务流水号,收入金额（+元）,支出金额（-元）,账户余额（元）\n",
                Some((Format::AlipayAccountFlow, "")),
            ),
            ("账号,123\n交易日期,借方发生额,贷方发生额,余额,摘要\n", Some((Format::BankStatement, "debit_credit"))),
            ("交易日期,交易金额,账户余额,摘要\n", Some((Format::BankStatement, "signed_amount"))),
            ("商户订单号,订单金额\nA1,1.00\n", None),
            ("订单号,金额,余额,状态\nA1,1.00,9.00,已支付\n", None),
        ];
        for (text, expected) in table {
            let got = detect(text).ok().map(|d| (d.format, d.variant));
            assert_eq!(got, expected.map(|(f, v)| (f, v.to_string())), "{text}");
        }
        let line = format!("{}\r\n", "0".repeat(UNIONPAY_LINE_CHARS));
        assert_eq!(detect(&line).map(|d| d.format), Ok(Format::UnionpayZm));
    }

    #[test]
    fn every_specific_layout_says_why_it_declined() {
        let rejections = detect("foo,bar\n1,2\n").unwrap_err();
        let formats: Vec<Format> = rejections.iter().map(|r| r.format).collect();
        assert_eq!(formats, Format::ALL[..Format::ALL.len() - 1]);
        assert!(rejections.iter().all(|r| !r.reason.is_empty()));
    }
}
