//! The file layouts duizhang reads ([`Format`]) and what each one means for the readers: which
//! header names feed which [`Field`]. Detecting a file's layout from its content is the readers'
//! job (`read::detect`); this is the vocabulary they and the profile share.

use crate::codes::codes;
use crate::money::{fen, parse_amount};
use crate::record::Field;
use rust_decimal::Decimal;

codes! {
    /// A file layout the readers know. `ALL` is in the order detection tries them (the generic
    /// reader last).
    pub enum Format {
        /// UnionPay online reconciliation file `INN…ZM_…`, fixed width.
        UnionpayZm = ("unionpay_zm", "银联 ZM 文件"),
        /// WeChat Pay trade bill (交易账单), bill types ALL / SUCCESS / REFUND.
        WechatTrade = ("wechat_trade", "微信交易账单"),
        /// WeChat Pay fund-flow bill (资金账单).
        WechatFundFlow = ("wechat_fund_flow", "微信资金账单"),
        /// Alipay trade detail (业务明细), 25 or 29 columns.
        AlipayTrade = ("alipay_trade", "支付宝业务明细"),
        /// Alipay trade summary (业务明细(汇总)), read from the same zip as a check.
        AlipaySummary = ("alipay_summary", "支付宝业务汇总"),
        /// Alipay account flow (账务明细).
        AlipayAccountFlow = ("alipay_account_flow", "支付宝账务明细"),
        /// A Chinese bank account statement (银行流水).
        BankStatement = ("bank_statement", "银行流水"),
        /// The platform's payout instructions (代付指令).
        PayoutInstructions = ("payout_instructions", "代付指令"),
        /// The platform's merchant sub-ledger (分户账).
        SubLedger = ("sub_ledger", "分户账"),
        /// Any delimited file whose header maps through the alias table (order exports, simple bills).
        GenericCsv = ("generic_csv", "通用 CSV"),
    }
}

impl Format {
    /// Header names this layout uses for `field`, in order of preference, replacing the built-in
    /// aliases (a profile's explicit columns still win). `None`: the built-in aliases apply.
    pub fn aliases(self, field: Field) -> Option<&'static [&'static str]> {
        use Field::*;
        let names: &'static [&'static str] = match (self, field) {
            // 订单金额 is what the buyer's order was for; pre-2018 bills call it 总金额.
            (Format::WechatTrade, Amount) => &["订单金额", "总金额", "应结订单金额"],
            (Format::WechatTrade, RefundAmount) => &["退款金额", "申请退款金额"],
            (Format::WechatTrade, RefundNo) => &["商户退款单号", "微信退款单号"],
            (Format::WechatTrade, Time) => &["交易时间"],
            // 服务商模式: 商户号 is the provider, 特约商户号 (older bills 子商户号) the sub-merchant
            // the money settles for, `0` or empty for a direct merchant.
            (Format::WechatTrade, MerchantId) => &["特约商户号", "子商户号", "商户号"],
            (Format::WechatTrade, ServiceProvider) => &["商户号"],
            (Format::WechatTrade, TradeType) => &["交易类型"],
            (Format::WechatTrade, FeeRate) => &["费率"],
            (Format::WechatFundFlow, OrderNo) => &["业务凭证号"],
            (Format::WechatFundFlow, TradeNo) => &["微信支付业务单号"],
            (Format::WechatFundFlow, Amount) => &["收支金额(元)"],
            (Format::WechatFundFlow, Direction) => &["收支类型"],
            (Format::WechatFundFlow, Balance) => &["账户结余(元)"],
            // 业务类型 names the movement (交易, 退款, 提现, …); the sign comes from 收支类型.
            (Format::WechatFundFlow, Status) => &[],
            (Format::WechatFundFlow, Time) => &["记账时间"],
            (Format::AlipayTrade, Amount) => &["订单金额(元)"],
            (Format::AlipayTrade, RefundAmount) => &[],
            (Format::AlipayTrade, RefundNo) => &["退款批次号/请求号"],
            // Money moves when the trade completes; 创建时间 is when the buyer opened it.
            (Format::AlipayTrade, Time) => &["完成时间", "创建时间"],
            (Format::AlipayTrade, Status) => &["业务类型"],
            // The 29-column detail names the sub-merchant; otherwise the `#账号` line's PID is the
            // merchant (`Table::account`).
            (Format::AlipayTrade, MerchantId) => &["商户识别号"],
            (Format::AlipayTrade, ServiceProvider) => &[],
            (Format::AlipayAccountFlow, TradeNo) => &["业务流水号", "账务流水号"],
            (Format::AlipayAccountFlow, Amount) => &[],
            (Format::AlipayAccountFlow, Credit) => &["收入金额(+元)"],
            (Format::AlipayAccountFlow, Debit) => &["支出金额(-元)"],
            (Format::AlipayAccountFlow, Balance) => &["账户余额(元)"],
            (Format::AlipayAccountFlow, Time) => &["发生时间"],
            // 业务类型 here names the movement (在线支付, 提现, …), not a status.
            (Format::AlipayAccountFlow, Status) => &[],
            // Bank statements: one vocabulary for every reader of them (inspect, the drop zone, fund
            // flow, a statement matched as a table). The serial number is the statement's key.
            (Format::BankStatement, TradeNo) => &["流水号", "日志号", "交易流水号", "serial"],
            (Format::BankStatement, Date) => &["交易日期", "记账日期", "记账日", "交易日", "日期", "date"],
            (Format::BankStatement, Time) => &["交易时间", "记账时间", "时间", "time"],
            (Format::BankStatement, Debit) => {
                &["借方发生额", "支出", "交易金额(支出)", "支出金额", "借方金额", "debit"]
            }
            (Format::BankStatement, Credit) => {
                &["贷方发生额", "收入", "交易金额(收入)", "收入金额", "贷方金额", "credit"]
            }
            (Format::BankStatement, BookedDebit) => &["记账金额(支出)"],
            (Format::BankStatement, BookedCredit) => &["记账金额(收入)"],
            (Format::BankStatement, Amount) => &["交易金额", "金额", "发生额", "amount"],
            (Format::BankStatement, Direction) => &["借贷标志", "借贷方向", "收支标志", "借贷", "direction"],
            (Format::BankStatement, Balance) => {
                &["余额", "账户余额", "联机余额", "本次余额", "账户余额(元)", "余额(元)", "balance"]
            }
            (Format::BankStatement, Currency) => &["币种", "币别", "记账币种", "currency"],
            (Format::BankStatement, TransactionCurrency) => &["交易币种"],
            (Format::BankStatement, Counterparty) => {
                &["对方户名", "对方账户名", "对手信息", "对方名称", "counterparty"]
            }
            (Format::BankStatement, CounterpartyAccount) => {
                &["对方账号", "对方账户", "对方卡号/账号", "对方卡号", "账号", "counterparty_account"]
            }
            (Format::BankStatement, CounterpartyBank) => &["对方开户行", "对方行名"],
            (Format::BankStatement, Memo) => &["摘要", "交易摘要", "交易名称", "memo"],
            (Format::BankStatement, Note) => &["附言", "交易附言", "客户摘要", "交易详情"],
            (Format::BankStatement, Purpose) => &["用途"],
            (Format::BankStatement, Place) => &["交易场所", "交易地点"],
            (
                Format::BankStatement,
                Status | Fee | RefundAmount | RefundNo | MerchantId | ServiceProvider | TradeType | FeeRate,
            ) => &[],
            (Format::PayoutInstructions, MerchantId) => &["merchant_id", "merchant", "商户号", "商户编号"],
            (Format::PayoutInstructions, Amount) => &["amount", "金额", "付款金额", "代付金额", "交易金额"],
            (Format::PayoutInstructions, CounterpartyAccount) => {
                &["account", "beneficiary_account", "收款账号", "收款人账号", "收款账户", "对方账号"]
            }
            (Format::PayoutInstructions, Counterparty) => &["收款人", "收款户名", "收款人名称", "beneficiary"],
            (Format::PayoutInstructions, Reference) => {
                &["reference", "ref", "业务参考号", "参考号", "指令编号", "批次号", "付款编号"]
            }
            (Format::PayoutInstructions, Date) => &["date", "日期", "付款日期", "代付日期", "交易日期"],
            (Format::PayoutInstructions, SettleDate) => {
                &["settle_date", "结算日期", "结算日", "清算日期", "对应结算日", "账单日期"]
            }
            (Format::PayoutInstructions, _) => &[],
            (Format::SubLedger, MerchantId) => &["merchant_id", "merchant", "商户号", "子账户", "分户账号", "户名"],
            (Format::SubLedger, Balance) => &["balance", "余额", "账户余额", "期末余额", "分户余额"],
            (Format::SubLedger, Opening) => &["opening", "期初余额"],
            (Format::SubLedger, Credit) => &["credits", "本期收入", "贷方发生额", "收入"],
            (Format::SubLedger, Debit) => &["debits", "本期支出", "借方发生额", "支出"],
            (Format::SubLedger, _) => &[],
            _ => return None,
        };
        Some(names)
    }

    /// A fee cell of this layout as what the merchant paid: positive for a payment's fee, negative
    /// for the fee a refund gives back. WeChat writes it so; Alipay writes 服务费 as money out
    /// (`-1.55`, a refund's `0.05`), so its sign is turned; UnionPay writes a sign character (`D`
    /// a debit to the merchant, `C` a rebate, or a space) and 12 digits of fen. `None`: empty, or
    /// not a fee.
    pub fn fee_of(self, cell: &str) -> Option<Decimal> {
        match self {
            Format::UnionpayZm => {
                let (sign, digits) = (cell.get(..1)?, cell.get(1..)?);
                let value = fen(digits)?;
                match sign {
                    "D" | " " => Some(value),
                    "C" => Some(-value),
                    _ => None,
                }
            }
            _ if cell.is_empty() => None,
            Format::AlipayTrade => parse_amount(cell).ok().map(|fee| -fee),
            _ => parse_amount(cell).ok(),
        }
    }

    /// Whether this is a layout of channel files (what `--format` may force a channel file to be).
    pub fn is_channel_layout(self) -> bool {
        !matches!(self, Format::PayoutInstructions | Format::SubLedger)
    }

    /// Whether a row without the profile's key is still a row: movements of money (fund flows,
    /// statements) are kept under whichever number they carry, as they are not matched by order.
    pub fn any_key_will_do(self) -> bool {
        matches!(self, Format::WechatFundFlow | Format::AlipayAccountFlow | Format::BankStatement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for &format in Format::ALL {
            assert_eq!(Format::from_code(format.code()), Some(format));
        }
        assert_eq!(Format::from_code("excel"), None);
    }
}
