//! The normalized records every reader produces, whatever the file looked like.
//!
//! Rows are stored compactly: text values are [`Span`]s into the decoded file text (or into a small
//! arena for values that had to be unescaped), so a million rows cost no million `String`s.

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

/// A piece of text inside a [`crate::read::Table`]: a range of its text or of its arena.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// Start offset; offsets at or past the text's length point into the arena.
    pub start: u32,
    /// Length in bytes; 0 means the value is absent or empty.
    pub len: u32,
}

impl Span {
    /// The empty span: an absent value.
    pub const EMPTY: Span = Span { start: 0, len: 0 };

    /// Whether the value is absent or empty.
    pub fn is_empty(self) -> bool {
        self.len == 0
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

/// One normalized row of an input file.
#[derive(Clone, Debug)]
pub struct Row {
    /// 1-based line where the row starts in its file.
    pub line: u32,
    /// The raw record (for display): byte range in the file text.
    pub record: Span,
    /// Merchant order number.
    pub order_no: Span,
    /// Channel transaction number.
    pub trade_no: Span,
    /// Refund number.
    pub refund_no: Span,
    /// Merchant number.
    pub merchant_id: Span,
    /// Raw status word as written.
    pub status_word: Span,
    /// Amount as written in the file (sign kept); for refunds see [`Row::effect`].
    pub amount: Decimal,
    /// Fee as written (see [`Row::fee`]); zero when `has_fee` is false.
    pub(crate) fee: Decimal,
    /// Time (see [`Row::time`]); [`Row::NO_TIME`] when absent. Not an `Option<i64>`, which would
    /// take 16 bytes: rows are the bulk of memory at millions of rows.
    pub(crate) time: i64,
    /// Normalized status.
    pub status: Status,
    /// Payment or refund item.
    pub kind: ItemKind,
    pub(crate) has_fee: bool,
}

// Rows are most of the memory of a run: keep them from growing by accident.
const _: () = assert!(std::mem::size_of::<Row>() <= 96);

impl Row {
    /// Marks a row without a time.
    pub(crate) const NO_TIME: i64 = i64::MIN;

    /// Fee as written, when the file has one.
    pub fn fee(&self) -> Option<Decimal> {
        self.has_fee.then_some(self.fee)
    }

    /// Time, seconds since 1970-01-01 in the file's own (local) time; `None` when absent.
    pub fn time(&self) -> Option<i64> {
        (self.time != Row::NO_TIME).then_some(self.time)
    }

    /// The effect on the platform's money: inflow positive, outflow negative, nothing for closed
    /// or pending rows. Refund amounts count as outflows whatever sign the file wrote.
    pub fn effect(&self) -> Decimal {
        match self.status {
            Status::Success => self.amount,
            Status::Refund if self.kind == ItemKind::Refund => -self.amount.abs(),
            // Zero at the amount's scale, so d prints as 0.00 like the amounts around it.
            Status::Refund | Status::Closed | Status::Pending => Decimal::new(0, self.amount.scale()),
        }
    }
}
