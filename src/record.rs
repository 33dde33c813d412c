//! The normalized records every reader produces, whatever the file looked like.
//!
//! Rows are stored compactly and hold no text: a [`Row`] is 48 bytes (the key's first bytes inline,
//! the amount as integer units, where its record is in the file), so a million rows cost 48 MB and no
//! `String`s; the few records a report shows are read back from the file.

use rust_decimal::Decimal;
use serde::Serialize;

/// Which side of the reconciliation a file belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The merchant's own records (B in d = E − B).
    Internal,
    /// The channel's bill, authoritative (E in d = E − B).
    Channel,
    /// A bank account statement (银行流水): authoritative for fund flow.
    Bank,
    /// Payout instructions (代付指令): the platform's record of money sent out.
    Payouts,
    /// The platform's book balance or merchant sub-ledger (分户账).
    Book,
}

impl Side {
    /// The name used in JSON, the CLI and the JS API.
    pub fn name(self) -> &'static str {
        match self {
            Side::Internal => "internal",
            Side::Channel => "channel",
            Side::Bank => "bank",
            Side::Payouts => "payouts",
            Side::Book => "book",
        }
    }

    /// Parses `internal` / `channel` / `bank` / `payouts` / `book`.
    pub fn from_name(name: &str) -> Option<Side> {
        match name {
            "internal" => Some(Side::Internal),
            "channel" => Some(Side::Channel),
            "bank" => Some(Side::Bank),
            "payouts" => Some(Side::Payouts),
            "book" => Some(Side::Book),
            _ => None,
        }
    }
}

/// A logical column, found in a file by header name through an alias table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Merchant order number (商户订单号).
    OrderNo,
    /// Channel transaction number (微信订单号 / 支付宝交易号).
    TradeNo,
    /// Amount.
    Amount,
    /// Refund amount, used for refund rows when the file has it (WeChat's 退款金额).
    RefundAmount,
    /// Fee.
    Fee,
    /// Status or business type.
    Status,
    /// Time of the transaction or order.
    Time,
    /// Merchant number (商户号).
    MerchantId,
    /// Refund number (商户退款单号).
    RefundNo,
    /// Money in, unsigned, in a statement with separate in/out columns (收入金额, 贷方发生额).
    Credit,
    /// Money out, unsigned or negative, in a statement with separate in/out columns (支出金额, 借方发生额).
    Debit,
    /// Running balance after the row (余额, 账户结余).
    Balance,
    /// Direction word for an unsigned amount (收支类型: 收入 / 支出).
    Direction,
}

impl Field {
    /// Every field, in the order columns are looked up.
    pub const ALL: [Field; 13] = [
        Field::OrderNo,
        Field::TradeNo,
        Field::Amount,
        Field::RefundAmount,
        Field::Fee,
        Field::Status,
        Field::Time,
        Field::MerchantId,
        Field::RefundNo,
        Field::Credit,
        Field::Debit,
        Field::Balance,
        Field::Direction,
    ];

    /// The field's name in profiles and reports.
    pub fn name(self) -> &'static str {
        match self {
            Field::OrderNo => "order_no",
            Field::TradeNo => "trade_no",
            Field::Amount => "amount",
            Field::RefundAmount => "refund_amount",
            Field::Fee => "fee",
            Field::Status => "status",
            Field::Time => "time",
            Field::MerchantId => "merchant_id",
            Field::RefundNo => "refund_no",
            Field::Credit => "credit",
            Field::Debit => "debit",
            Field::Balance => "balance",
            Field::Direction => "direction",
        }
    }

    /// Built-in header names, in order of preference. Compared after [`normalize_header`].
    pub fn default_aliases(self) -> &'static [&'static str] {
        match self {
            Field::OrderNo => &["order_no", "out_trade_no", "merchant_order_no", "商户订单号", "订单号"],
            Field::TradeNo => &["trade_no", "transaction_id", "微信订单号", "支付宝交易号", "交易流水号"],
            Field::Amount => &[
                "amount",
                "金额",
                "订单金额",
                "交易金额",
                "应结订单金额",
                "订单金额（元）",
                "交易金额（元）",
                "金额（元）",
            ],
            Field::RefundAmount => &["refund_amount", "退款金额"],
            Field::Fee => &["fee", "手续费", "服务费", "服务费（元）", "手续费（元）"],
            Field::Status => &["status", "trade_status", "trade_type", "交易状态", "业务类型", "状态", "订单状态"],
            Field::Time => &["created_at", "trade_time", "paid_at", "交易时间", "创建时间", "完成时间"],
            Field::MerchantId => &["merchant_id", "mch_id", "商户号", "特约商户号", "子商户号"],
            Field::RefundNo => &["refund_no", "out_refund_no", "商户退款单号", "退款单号"],
            Field::Credit => {
                &["credit", "贷方发生额", "贷方金额", "收入金额", "收入", "交易金额(收入)", "收入金额(+元)"]
            }
            Field::Debit => &["debit", "借方发生额", "借方金额", "支出金额", "支出", "交易金额(支出)", "支出金额(-元)"],
            Field::Balance => &["balance", "余额", "账户余额", "联机余额", "本次余额", "账户余额(元)", "账户结余(元)"],
            Field::Direction => &["direction", "收支类型", "借贷标志", "借贷方向"],
        }
    }
}

/// Makes header names comparable: full-width ASCII to half-width, blanks removed, ASCII lower case.
/// `（元）` becomes `(元)`, `  Order_No ` becomes `order_no`.
pub fn normalize_header(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            '\u{3000}' => None,
            c if c.is_whitespace() || c == '\u{feff}' || c == '`' => None,
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).map(|h| h.to_ascii_lowercase()),
            c => Some(c.to_ascii_lowercase()),
        })
        .collect()
}

/// A status normalized through the word table (see [`Status::from_word`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Paid: money moved in.
    Success,
    /// Refunded: money moved back out.
    Refund,
    /// Closed, cancelled, failed: no money moved.
    Closed,
    /// Not finished yet: no money moved so far.
    Pending,
}

/// The built-in status words. Matching ignores ASCII case and surrounding blanks.
pub const STATUS_WORDS: &[(Status, &[&str])] = &[
    (
        Status::Success,
        &[
            "SUCCESS",
            "PAID",
            "PAY_SUCCESS",
            "TRADE_SUCCESS",
            "TRADE_FINISHED",
            "COMPLETED",
            "支付成功",
            "交易成功",
            "成功",
            "已支付",
            "已付款",
            "付款成功",
            "交易完成",
            "已完成",
            "交易",
            "支付",
            "消费",
            "在线支付",
        ],
    ),
    (
        Status::Refund,
        &["REFUND", "REFUNDED", "REFUND_SUCCESS", "退款", "已退款", "退款成功", "转入退款", "全额退款", "部分退款"],
    ),
    (
        Status::Closed,
        &[
            "CLOSED",
            "TRADE_CLOSED",
            "REVOKED",
            "CANCELLED",
            "CANCELED",
            "FAILED",
            "PAYERROR",
            "已关闭",
            "关闭",
            "交易关闭",
            "已撤销",
            "撤销",
            "已取消",
            "取消",
            "支付失败",
            "失败",
        ],
    ),
    (
        Status::Pending,
        &[
            "NOTPAY",
            "USERPAYING",
            "PENDING",
            "PROCESSING",
            "WAIT_BUYER_PAY",
            "未支付",
            "待支付",
            "支付中",
            "处理中",
            "等待付款",
        ],
    ),
];

impl Status {
    /// Looks a word up in [`STATUS_WORDS`]; `None` when unknown.
    pub fn from_word(word: &str) -> Option<Status> {
        let word = word.trim();
        STATUS_WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| w.eq_ignore_ascii_case(word)))
            .map(|(status, _)| *status)
    }

    /// The name used in JSON and exports.
    pub fn name(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Refund => "refund",
            Status::Closed => "closed",
            Status::Pending => "pending",
        }
    }

    /// Whether money moved under this status (the only thing the money effect depends on).
    pub fn moved_money(self) -> bool {
        matches!(self, Status::Success | Status::Refund)
    }
}

/// What a row means for the money: a payment (keyed by order) or a refund (keyed by refund number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    /// A payment, keyed by order or transaction number.
    Payment,
    /// A refund with its own refund number, matched as its own item.
    Refund,
}

/// How many leading key bytes a row holds inline (see [`Key`]).
pub const KEY_HEAD_BYTES: usize = 16;

/// A row's matching key: its first [`KEY_HEAD_BYTES`] bytes inline, zero-padded, so that grouping
/// compares keys without reaching into other memory; longer keys continue in the table's key
/// arena, followed there by the row's second key (the transaction number, when the profile's
/// key is `order_no_then_trade_no`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Key {
    /// The first bytes as two little-endian words.
    pub(crate) head: [u64; 2],
    /// Arena offset of the bytes past the head, then of the second key.
    pub(crate) rest: u32,
    /// Length of the key in bytes.
    pub(crate) len: u16,
    /// Length of the second key (0: none).
    pub(crate) second_len: u16,
}

/// The first [`KEY_HEAD_BYTES`] bytes of a key, zero-padded, as two little-endian words. Built
/// from word loads, not a variable-length copy: in Wasm a short `copy_from_slice` is a call.
#[inline]
pub(crate) fn key_head(bytes: &[u8]) -> [u64; 2] {
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

/// One normalized row of an input file: what matching and the totals need, and where the record
/// is, so that everything else (the cells shown for an exception) is read again from the file.
/// Nothing here points into the text: the text is not kept.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// 1-based line where the row starts in its file.
    pub line: u32,
    /// Byte offset of the record in the file's text (after any byte-order mark).
    pub(crate) offset: u32,
    /// The key the row is matched by (see `Row::key_field`).
    pub(crate) key: Key,
    /// The amount's mantissa at `Row::scale`; for amounts beyond `i64` see `Row::BIG`.
    pub(crate) units: i64,
    /// Local time in seconds since 1970-01-01; `Row::NO_TIME` when absent. Not an `i64`:
    /// rows are the bulk of memory at millions of rows, and no bill predates 1970.
    pub(crate) time: u32,
    /// Normalized status.
    pub status: Status,
    /// Payment or refund item.
    pub kind: ItemKind,
    /// Which field the row's key holds: `order_no`, `trade_no` or `refund_no`.
    pub key_field: Field,
    /// Decimals of the amount; with `Row::BIG` set the amount is in the table's big amounts.
    pub(crate) scale: u8,
}

// Rows are most of the memory of a run: keep them from growing by accident.
const _: () = assert!(std::mem::size_of::<Row>() <= 48);

impl Row {
    /// Marks a row without a time.
    pub(crate) const NO_TIME: u32 = u32::MAX;
    /// Marks an amount too large for `units` (more than 18 digits): the table holds it by line.
    pub(crate) const BIG: u8 = 0x80;

    /// Time, seconds since 1970-01-01 in the file's own (local) time; `None` when absent.
    pub fn time(&self) -> Option<i64> {
        (self.time != Row::NO_TIME).then_some(i64::from(self.time))
    }

    /// The amount, unless it is one of the rare ones beyond 18 digits (see [`crate::Table::amount`]).
    #[inline]
    pub(crate) fn small_amount(&self) -> Option<Decimal> {
        (self.scale & Row::BIG == 0).then(|| Decimal::new(self.units, u32::from(self.scale)))
    }

    /// The same amount as `other`, compared exactly without building decimals when both are small.
    #[inline]
    pub(crate) fn same_small_amount(&self, other: &Row) -> Option<bool> {
        if (self.scale | other.scale) & Row::BIG != 0 {
            return None;
        }
        if self.scale == other.scale {
            return Some(self.units == other.units);
        }
        Some(Decimal::new(self.units, u32::from(self.scale)) == Decimal::new(other.units, u32::from(other.scale)))
    }
}

/// The effect on the platform's money of a row with this amount, status and kind: inflow
/// positive, outflow negative, nothing for closed or pending rows. Refund amounts count as
/// outflows whatever sign the file wrote.
pub fn effect(amount: Decimal, status: Status, kind: ItemKind) -> Decimal {
    match status {
        Status::Success => amount,
        Status::Refund if kind == ItemKind::Refund => -amount.abs(),
        // Zero at the amount's scale, so d prints as 0.00 like the amounts around it.
        Status::Refund | Status::Closed | Status::Pending => Decimal::new(0, amount.scale()),
    }
}
