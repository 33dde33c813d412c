//! The tables of the workbook: which columns each one writes first, and each column's Chinese
//! header and cell kind, found from the JSON field name.

use crate::cell::Kind;
use serde_json::Value;
use std::borrow::Cow;

/// A table: the columns always written first (JSON pointers into a row, e.g. `/channel/fee`),
/// columns written only when some row has them, and what the extra-column scan leaves alone.
pub(crate) struct TableSpec {
    columns: &'static [&'static str],
    /// Written only when a row has a value there (an exception's `id`, soon).
    optional: &'static [&'static str],
    /// Written after `columns`, only when some row has a value there (a pair's amounts).
    then: &'static [&'static str],
    /// Not turned into extra columns (the original cells of an exception's rows).
    skip: &'static [&'static str],
}

pub(crate) const EXCEPTIONS: TableSpec = TableSpec {
    optional: &["/id"],
    columns: &[
        "/class",
        "/class_zh",
        "/key",
        "/key_field",
        "/d",
        "/label",
        "/merchant",
        "/cross_day",
        "/internal/file",
        "/internal/line",
        "/internal/amount",
        "/internal/status",
        "/internal/status_word",
        "/internal/time",
        "/channel/file",
        "/channel/line",
        "/channel/amount",
        "/channel/status",
        "/channel/status_word",
        "/channel/time",
        "/channel/trade_no",
        "/channel/fee",
        "/message",
    ],
    then: &[],
    skip: &["/internal/columns", "/channel/columns"],
};

pub(crate) const ISSUES: TableSpec = TableSpec {
    optional: &[],
    columns: &["/file", "/input", "/line", "/column", "/code", "/message"],
    then: &[],
    skip: &[],
};

pub(crate) const FUND_MATCHES: TableSpec = TableSpec {
    optional: &[],
    columns: &[
        "/match",
        "/kind",
        "/outcome",
        "/merchant",
        "/d",
        "/label",
        "/part",
        "/id",
        "/date",
        "/amount",
        "/gross",
        "/refunds",
        "/fees",
        "/trade_from",
        "/trade_to",
        "/file",
        "/line",
        "/counterparty",
        "/memo",
        "/reference",
        "/account",
        "/carried_since",
        "/explanation",
    ],
    then: &[],
    skip: &[],
};

pub(crate) const FUND_OPEN_ITEMS: TableSpec = TableSpec {
    optional: &[],
    columns: &[
        "/id",
        "/kind",
        "/outcome",
        "/outcome_zh",
        "/merchant",
        "/date",
        "/amount",
        "/d",
        "/label",
        "/age_days",
        "/carried_since",
        "/file",
        "/line",
        "/memo",
        "/message",
    ],
    // A pair (金额不符): what was expected, credited, explained and left unexplained; the rest of
    // the pair (its credit and settlements) is in the row's message and the 资金匹配 sheet's ids.
    then: PAIR_COLUMNS,
    skip: &["/pair"],
};

/// The pair columns of the open items, when a row has them.
pub(crate) const PAIR_COLUMNS: &[&str] = &[
    "/pair/breakdown/expected",
    "/pair/breakdown/credited",
    "/pair/breakdown/explained",
    "/pair/breakdown/unexplained",
];

pub(crate) const FUND_MERCHANTS: TableSpec = TableSpec {
    optional: &[],
    columns: &[
        "/merchant",
        "/batches",
        "/settled",
        "/credited",
        "/matched",
        "/in_transit",
        "/internal_only",
        "/external_only",
        "/amount_mismatch",
        "/amount_mismatch_d",
        "/amount_mismatch_explained",
        "/amount_mismatch_unexplained",
    ],
    then: &[],
    skip: &[],
};

pub(crate) const CLEARING: TableSpec = TableSpec {
    optional: &[],
    columns: &[
        "/row",
        "/merchant",
        "/service_provider",
        "/settle_date",
        "/gross",
        "/refunds",
        "/fee_charged",
        "/fee_expected",
        "/commission",
        "/net_payable",
        "/credited",
        "/paid_out",
        "/outstanding",
    ],
    then: &[],
    skip: &["/days"],
};

pub(crate) const CLEARING_EXCEPTIONS: TableSpec = TableSpec {
    optional: &["/id"],
    columns: &[
        "/class",
        "/class_zh",
        "/merchant",
        "/key",
        "/date",
        "/fee_charged",
        "/fee_expected",
        "/d",
        "/label",
        "/settle_date",
        "/amount",
        "/rate",
        "/bill_rate",
    ],
    then: &["/owed", "/paid", "/rule", "/check", "/expected", "/booked"],
    skip: &["/payouts"],
};

pub(crate) const STATEMENTS: TableSpec = TableSpec {
    optional: &[],
    columns: &[
        "/row",
        "/file",
        "/account",
        "/date",
        "/first_date",
        "/last_date",
        "/opening",
        "/credits",
        "/debits",
        "/closing",
        "/consistent",
        "/repeated",
        "/checks",
    ],
    then: &[],
    skip: &["/days"],
};

pub(crate) const BANK_BALANCES: TableSpec = TableSpec {
    optional: &[],
    columns: &["/cutoff", "/account", "/balance", "/file", "/line", "/date", "/time", "/later", "/ends_before_cutoff"],
    then: &[],
    skip: &[],
};

pub(crate) const LATER_MOVEMENTS: TableSpec = TableSpec {
    optional: &[],
    columns: &["/date", "/time", "/amount", "/counterparty", "/memo", "/file", "/line", "/id"],
    then: &[],
    skip: &[],
};

pub(crate) const BREAKS: TableSpec = TableSpec {
    optional: &[],
    columns: &["/break", "/file", "/line", "/previous_file", "/expected", "/found", "/missing"],
    then: &[],
    skip: &[],
};

/// A column: where its value is in a row, and its two header texts.
pub(crate) struct Column {
    pub(crate) pointer: String,
    pub(crate) kind: Kind,
    pub(crate) header: String,
    pub(crate) field: String,
}

/// The spec's columns (optional ones when some row has them), then every other scalar field found
/// in the rows, flattened (`internal.fee`), in the order first seen.
pub(crate) fn columns_of(spec: &TableSpec, rows: &[Cow<'_, Value>]) -> Vec<Column> {
    let mut pointers: Vec<String> = spec
        .optional
        .iter()
        .filter(|p| rows.iter().any(|row| row.pointer(p).is_some_and(|v| !v.is_null())))
        .chain(spec.columns)
        .chain(spec.then.iter().filter(|p| rows.iter().any(|row| row.pointer(p).is_some_and(|v| !v.is_null()))))
        .map(|p| p.to_string())
        .collect();
    let mut seen: std::collections::HashSet<String> = pointers.iter().cloned().collect();
    let skip: std::collections::HashSet<String> = spec.skip.iter().map(|p| p.to_string()).collect();
    for row in rows {
        scalar_pointers(row, "", &skip, &mut |pointer| {
            if !seen.contains(pointer) {
                seen.insert(pointer.to_string());
                pointers.push(pointer.to_string());
            }
        });
    }
    pointers.into_iter().map(|pointer| column(&pointer)).collect()
}

/// Calls `found` with the pointer of every scalar inside `value` (objects flattened, arrays left
/// out), skipping the subtrees named in `skip`.
fn scalar_pointers(value: &Value, prefix: &str, skip: &std::collections::HashSet<String>, found: &mut dyn FnMut(&str)) {
    let Some(fields) = value.as_object() else { return };
    let mut pointer = String::with_capacity(prefix.len() + 24);
    for (key, value) in fields {
        pointer.clear();
        pointer.push_str(prefix);
        pointer.push('/');
        if key.contains(['~', '/']) {
            pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        } else {
            pointer.push_str(key);
        }
        match value {
            Value::Object(_) if !skip.contains(&pointer) => scalar_pointers(value, &pointer, skip, found),
            // A null says nothing about the field; a row where it has a value will name it.
            Value::Object(_) | Value::Array(_) | Value::Null => {}
            _ => found(&pointer),
        }
    }
}

fn column(pointer: &str) -> Column {
    let parts: Vec<String> = pointer.split('/').skip(1).map(|p| p.replace("~1", "/").replace("~0", "~")).collect();
    let leaf = parts.last().map(String::as_str).unwrap_or("");
    let side = |part: &str| match part {
        "internal" => Some("平台"),
        "channel" => Some("渠道"),
        // A pair's amounts: 应为, 已入账, 已解释, 未解释 need no prefix.
        "pair" | "breakdown" => Some(""),
        _ => None,
    };
    let mut header = String::new();
    for part in &parts[..parts.len().saturating_sub(1)] {
        header.push_str(side(part).unwrap_or(part));
    }
    let name = chinese(leaf).unwrap_or(leaf);
    // 渠道 + 渠道交易号 is just 渠道交易号.
    header.push_str(if header.is_empty() || !name.starts_with(header.as_str()) { name } else { &name[header.len()..] });
    Column { pointer: pointer.to_string(), kind: kind_of(leaf), header, field: parts.join(".") }
}

/// Fields that are always text: identifiers and free text. A merchant or order number that happens
/// to be all digits, or a key shaped like a date, is still an identifier.
const TEXT_FIELDS: &[&str] = &[
    "id",
    "key",
    "key_field",
    "order_no",
    "trade_no",
    "refund_no",
    "merchant",
    "merchant_id",
    "service_provider",
    "account",
    "reference",
    "counterparty",
    "memo",
    "message",
    "explanation",
    "file",
    "previous_file",
    "name",
    "book_source",
];

/// Fields that hold money (decimal strings).
const MONEY_FIELDS: &[&str] = &[
    "amount",
    "d",
    "fee",
    "fees",
    "gross",
    "refunds",
    "net",
    "settled",
    "credited",
    "matched",
    "in_transit",
    "internal_only",
    "external_only",
    "fee_charged",
    "fee_expected",
    "commission",
    "net_payable",
    "paid_out",
    "outstanding",
    "opening",
    "closing",
    "credits",
    "debits",
    "expected",
    "found",
    "missing",
    "difference",
    "book_balance",
    "bank_balance",
    "refund_amount",
    "explained",
    "unexplained",
    "amount_mismatch",
    "amount_mismatch_d",
    "amount_mismatch_explained",
    "amount_mismatch_unexplained",
];

pub(crate) fn kind_of(field: &str) -> Kind {
    if TEXT_FIELDS.contains(&field) {
        Kind::Text
    } else if MONEY_FIELDS.contains(&field) {
        Kind::Money
    } else {
        Kind::Auto
    }
}

/// The Chinese header of a field (DOMAIN.md's words).
fn chinese(field: &str) -> Option<&'static str> {
    Some(match field {
        "id" => "编号",
        "class" => "差错类型",
        "class_zh" => "差错名称",
        "key" => "关键字",
        "key_field" => "关键字段",
        "d" => "差额d",
        "label" => "长短款",
        "merchant" | "merchant_id" => "商户号",
        "service_provider" => "服务商",
        "cross_day" => "跨日",
        "file" => "文件",
        "line" => "行号",
        "column" => "列号",
        "order_no" => "商户订单号",
        "trade_no" => "渠道交易号",
        "refund_no" => "退款单号",
        "amount" => "金额",
        "refund_amount" => "退款金额",
        "fee" => "手续费",
        "status" => "状态",
        "status_word" => "状态原文",
        "time" => "时间",
        "message" => "说明",
        "input" => "来源",
        "side" => "对账侧",
        "code" => "问题代码",
        "match" => "匹配序号",
        "kind" => "类型",
        "outcome" => "结果",
        "outcome_zh" => "结果名称",
        "part" => "组成",
        "date" => "日期",
        "gross" => "交易总额",
        "refunds" => "退款",
        "fees" => "手续费",
        "net" => "净额",
        "settle_date" => "结算日",
        "bill_rate" => "账单费率",
        "trade_from" => "交易起日",
        "trade_to" => "交易止日",
        "counterparty" => "对方户名",
        "memo" => "摘要",
        "reference" => "代付单号",
        "account" => "账号",
        "carried_since" => "首次出现日",
        "age_days" => "账龄(天)",
        "explanation" => "匹配说明",
        "batches" => "批次数",
        "settled" => "应结金额",
        "credited" => "已入账",
        "matched" => "已匹配",
        "in_transit" => "在途",
        "internal_only" => "平台单边",
        "external_only" => "银行单边",
        "fee_charged" => "实收手续费",
        "fee_expected" => "应收手续费",
        "commission" => "分润",
        "net_payable" => "应付净额",
        "paid_out" => "已代付",
        "outstanding" => "未付",
        "row" => "行类型",
        "first_date" => "起始日",
        "last_date" => "截止日",
        "opening" => "期初余额",
        "credits" => "贷方合计",
        "debits" => "借方合计",
        "closing" => "期末余额",
        "consistent" => "余额连贯",
        "cutoff" => "日切时点",
        "owed" => "应付",
        "paid" => "已付",
        "rule" => "代付规则",
        "check" => "核对项",
        "booked" => "账面",
        "payout_rule" => "代付规则",
        "balance" => "时点余额",
        "later" => "日切后笔数",
        "ends_before_cutoff" => "流水止于日切前",
        "repeated" => "已在前一份流水",
        "checks" => "合计核对",
        "break" => "断点类型",
        "previous_file" => "上一对账单",
        "expected" => "应为",
        "found" => "实为",
        "missing" => "差额",
        "rate" => "费率",
        "explained" => "已解释",
        "unexplained" => "未解释",
        "amount_mismatch" => "金额不符结算",
        "amount_mismatch_d" => "金额不符差额",
        "amount_mismatch_explained" => "差额已解释",
        "amount_mismatch_unexplained" => "差额未解释",
        _ => return None,
    })
}
