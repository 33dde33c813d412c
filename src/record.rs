//! The normalized records every reader produces, whatever the file looked like.
//!
//! Rows are stored compactly and hold no text: a [`Row`] is 48 bytes (the key's first bytes inline,
//! the amount as integer units, where its record is in the file), so a million rows cost 48 MB and no
//! `String`s; the few records a report shows are read back from the file.

use crate::codes::codes;
use rust_decimal::Decimal;

codes! {
    /// Which side of transaction matching a table is on: B or E in d = E − B.
    pub enum Side {
        /// The merchant's own records (B in d = E − B).
        Internal = ("internal", "平台"),
        /// The channel's bill, authoritative (E in d = E − B).
        Channel = ("channel", "渠道"),
    }
}

codes! {
    /// What a file is to a run: the kind of input it is given as.
    pub enum InputKind {
        /// The merchant's own order export: the internal side of transaction matching.
        Internal = ("internal", "内部订单"),
        /// A channel bill: the channel side of transaction matching, and the settlements of fund flow.
        Channel = ("channel", "渠道对账单"),
        /// A bank account statement (银行流水): authoritative for fund flow.
        Bank = ("bank", "银行流水"),
        /// Payout instructions (代付指令): the platform's record of money sent out.
        Payouts = ("payouts", "代付指令"),
        /// The platform's merchant sub-ledger (分户账): its balances sum to the book balance.
        SubLedger = ("sub_ledger", "分户账"),
        /// The state file of the previous run (open items carried into this one).
        Carry = ("carry", "昨日状态"),
        /// Resolutions of breaks (差错处理): a JSON array of `{id, action, note, by, at}`.
        Resolutions = ("resolutions", "差错处理"),
    }
}

impl InputKind {
    /// The side of transaction matching a file of this kind is read for, if it is one.
    pub fn side(self) -> Option<Side> {
        match self {
            InputKind::Internal => Some(Side::Internal),
            InputKind::Channel => Some(Side::Channel),
            InputKind::Bank | InputKind::Payouts | InputKind::SubLedger | InputKind::Carry | InputKind::Resolutions => {
                None
            }
        }
    }
}

impl From<Side> for InputKind {
    fn from(side: Side) -> InputKind {
        match side {
            Side::Internal => InputKind::Internal,
            Side::Channel => InputKind::Channel,
        }
    }
}

codes! {
    /// A logical column, found in a file by header name through an alias table.
    pub enum Field {
        /// Merchant order number (商户订单号).
        OrderNo = ("order_no", "商户订单号"),
        /// Channel transaction number (微信订单号 / 支付宝交易号).
        TradeNo = ("trade_no", "交易单号"),
        /// Amount.
        Amount = ("amount", "金额"),
        /// Refund amount, used for refund rows when the file has it (WeChat's 退款金额).
        RefundAmount = ("refund_amount", "退款金额"),
        /// Fee.
        Fee = ("fee", "手续费"),
        /// Status or business type.
        Status = ("status", "状态"),
        /// Time of the transaction or order.
        Time = ("time", "时间"),
        /// Merchant number (商户号).
        MerchantId = ("merchant_id", "商户号"),
        /// Refund number (商户退款单号).
        RefundNo = ("refund_no", "退款单号"),
        /// Money in, unsigned, in a statement with separate in/out columns (收入金额, 贷方发生额).
        Credit = ("credit", "收入"),
        /// Money out, unsigned or negative, in a statement with separate in/out columns (支出金额, 借方发生额).
        Debit = ("debit", "支出"),
        /// Running balance after the row (余额, 账户结余).
        Balance = ("balance", "余额"),
        /// Direction word for an unsigned amount (收支类型: 收入 / 支出).
        Direction = ("direction", "收支方向"),
        /// Booking date of a statement row (交易日期, 记账日期).
        Date = ("date", "日期"),
        /// Money in, in the account's currency, beside a transaction-currency pair (记账金额(收入)).
        BookedCredit = ("booked_credit", "记账金额(收入)"),
        /// Money out, in the account's currency, beside a transaction-currency pair (记账金额(支出)).
        BookedDebit = ("booked_debit", "记账金额(支出)"),
        /// Currency of the amount that moved the balance (币种, 记账币种).
        Currency = ("currency", "币种"),
        /// Currency of a transaction-currency amount pair (交易币种).
        TransactionCurrency = ("transaction_currency", "交易币种"),
        /// The other party's name (对方户名).
        Counterparty = ("counterparty", "对方户名"),
        /// The other party's account (对方账号), or a payout's beneficiary account (收款账号).
        CounterpartyAccount = ("counterparty_account", "对方账号"),
        /// The other party's bank (对方开户行).
        CounterpartyBank = ("counterparty_bank", "对方开户行"),
        /// The bank's summary of a movement (摘要).
        Memo = ("memo", "摘要"),
        /// The payer's note (附言, 交易详情).
        Note = ("note", "附言"),
        /// The stated purpose (用途).
        Purpose = ("purpose", "用途"),
        /// Where a card was used (交易场所).
        Place = ("place", "交易场所"),
        /// A payout instruction's reference (业务参考号).
        Reference = ("reference", "业务参考号"),
        /// A sub-ledger's opening balance (期初余额).
        Opening = ("opening", "期初余额"),
        /// The service provider (服务商) a sub-merchant's money was collected through: a WeChat
        /// service-provider bill's 商户号 beside its 特约商户号, UnionPay's 商户代码 beside 二级商户代码.
        ServiceProvider = ("service_provider", "服务商"),
        /// The payment method (交易类型: JSAPI, NATIVE, MICROPAY, APP, …), which a contracted fee
        /// rate may depend on.
        TradeType = ("trade_type", "交易类型"),
        /// The fee rate the channel applied, as its bill writes it (WeChat's 费率 `0.60%`).
        FeeRate = ("fee_rate", "费率"),
        /// The settlement date a payout instruction pays (结算日期).
        SettleDate = ("settle_date", "结算日期"),
    }
}

impl Field {
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
            // The settling merchant is the sub-merchant wherever a file names one: 特约商户号 (older
            // 子商户号) before 商户号, which is then the service provider (see `Table::merchant`).
            Field::MerchantId => {
                &["merchant_id", "sub_mch_id", "特约商户号", "子商户号", "二级商户代码", "mch_id", "商户号"]
            }
            Field::ServiceProvider => &["service_provider", "sp_mch_id", "服务商商户号", "mch_id", "商户号"],
            Field::RefundNo => &["refund_no", "out_refund_no", "商户退款单号", "退款单号"],
            Field::Credit => {
                &["credit", "贷方发生额", "贷方金额", "收入金额", "收入", "交易金额(收入)", "收入金额(+元)"]
            }
            Field::Debit => &["debit", "借方发生额", "借方金额", "支出金额", "支出", "交易金额(支出)", "支出金额(-元)"],
            Field::Balance => &["balance", "余额", "账户余额", "联机余额", "本次余额", "账户余额(元)", "账户结余(元)"],
            Field::Direction => &["direction", "收支类型", "借贷标志", "借贷方向"],
            // Statement, payout and sub-ledger columns: their layouts name them (see `Format::aliases`).
            Field::Date
            | Field::BookedCredit
            | Field::BookedDebit
            | Field::Currency
            | Field::TransactionCurrency
            | Field::Counterparty
            | Field::CounterpartyAccount
            | Field::CounterpartyBank
            | Field::Memo
            | Field::Note
            | Field::Purpose
            | Field::Place
            | Field::Reference
            | Field::Opening
            | Field::SettleDate => &[],
            // After 状态 in field order: a generic file's `trade_type` column stays its status.
            Field::TradeType => &["trade_type", "pay_type", "payment_method", "支付方式", "交易类型"],
            Field::FeeRate => &["fee_rate", "费率"],
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

codes! {
    /// A status normalized through the word table (see [`Status::from_word`]).
    pub enum Status {
        /// Paid: money moved in.
        Success = ("success", "成功"),
        /// Refunded: money moved back out.
        Refund = ("refund", "退款"),
        /// Closed, cancelled, failed: no money moved.
        Closed = ("closed", "关闭"),
        /// Not finished yet: no money moved so far.
        Pending = ("pending", "未完成"),
    }
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

/// A 64-bit hash of a key with every bit mixed (partitions use the top bits, the group tables of
/// matching the low ones), from the key's head words and eight bytes at a time after them: only
/// word operations, which Wasm has natively (a byte-wise or 128-bit-multiply hasher costs
/// several times more there).
#[inline]
pub(crate) fn hash_key(field: Field, len: usize, head: [u64; 2], rest: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |h: u64, word: u64| ((h ^ word).wrapping_mul(K)).rotate_left(29);
    let mut h = mix(mix(len as u64 ^ ((field as u64) << 56), head[0]), head[1]);
    if !rest.is_empty() {
        let mut words = rest.chunks_exact(8);
        for word in &mut words {
            h = mix(h, u64::from_le_bytes(word.try_into().unwrap_or([0; 8])));
        }
        h = mix(h, words.remainder().iter().rev().fold(0, |acc, &b| (acc << 8) | u64::from(b)));
    }
    // murmur3's finalizer
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
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

    /// The amount, unless it is one of the rare ones beyond 18 digits (the table keeps those).
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
