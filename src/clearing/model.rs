//! The clearing model (清分): per merchant and settlement date, the money and the exceptions. Made
//! by this module (`Collector`); `report/clearing.rs` makes its views and the 结算单 CSV.

use crate::classify::Label;
use crate::codes::codes;
use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

codes! {
    /// What a clearing exception is.
    pub enum ClearingClass {
        /// The fee the channel charged is not the contracted rate's (手续费不符).
        FeeMismatch = ("fee_mismatch", "手续费不符"),
        /// What the payouts paid a merchant for a settlement date is not what clearing says it is
        /// owed (代付不符): paid too much or too little.
        PayoutMismatch = ("payout_mismatch", "代付不符"),
        /// A merchant's sub-ledger line (分户账) does not agree with clearing, with its payouts or
        /// with itself (分户账不符).
        SubLedgerBreak = ("sub_ledger_break", "分户账不符"),
    }
}

codes! {
    /// What a sub-ledger line is checked against.
    pub enum LedgerCheck {
        /// Its credits (本期收入) against the merchant's net payable over the run.
        Credits = ("credits", "收入对清分"),
        /// Its debits (本期支出) against what the payouts paid the merchant.
        Debits = ("debits", "支出对代付"),
        /// Opening + credits − debits against its closing balance.
        Balance = ("balance", "期初+收入−支出=期末"),
    }
}

codes! {
    /// How the payouts were set against a merchant's settlement dates.
    pub enum PayoutRule {
        /// The payout instructions name the settlement date they pay (结算日期).
        SettlementDate = ("settlement_date", "按结算日期"),
        /// They do not: each pays the merchant's oldest settlement still owed; the last date
        /// reached takes what is left.
        OldestFirst = ("oldest_first", "先到期先付"),
    }
}

codes! {
    /// What a clearing exception is about: one transaction, or a settlement's total only.
    pub enum ClearingLevel {
        /// One transaction's fee.
        Transaction = ("transaction", "逐笔"),
        /// A settlement's total fee, where no single transaction differs (rounding at settlement).
        Batch = ("batch", "结算批次"),
        /// A merchant over the run (a sub-ledger line).
        Merchant = ("merchant", "商户"),
    }
}

/// The money of one clearing line (a merchant's settlement date, a merchant, or the run).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ClearingAmounts {
    /// Payments.
    pub gross: Money,
    /// Refunds (positive).
    pub refunds: Money,
    /// The fee the channel charged (refunds' returned fees netted).
    pub fee_charged: Money,
    /// The fee the contracted rates imply (a transaction no rate covers counts at its charged fee).
    pub fee_expected: Money,
    /// The platform's commission (分润).
    pub commission: Money,
    /// gross − refunds − fee charged − commission: what the platform owes the merchant.
    pub net_payable: Money,
    /// What the bank credits matched to the settlements brought.
    pub credited: Money,
    /// What the payout instructions paid the merchant.
    pub paid_out: Money,
    /// net payable − paid out: still owed (negative: paid too much).
    pub outstanding: Money,
}

impl ClearingAmounts {
    /// The fields' names, in the order of [`ClearingAmounts::fields_mut`] and the JSON.
    pub(crate) const NAMES: [&'static str; 9] = [
        "gross",
        "refunds",
        "fee_charged",
        "fee_expected",
        "commission",
        "net_payable",
        "credited",
        "paid_out",
        "outstanding",
    ];

    /// Every field, in [`ClearingAmounts::NAMES`] order.
    fn fields_mut(&mut self) -> [&mut Money; 9] {
        let a = self;
        [
            &mut a.gross,
            &mut a.refunds,
            &mut a.fee_charged,
            &mut a.fee_expected,
            &mut a.commission,
            &mut a.net_payable,
            &mut a.credited,
            &mut a.paid_out,
            &mut a.outstanding,
        ]
    }

    /// Every field's value, in [`ClearingAmounts::NAMES`] order.
    pub(crate) fn values(mut self) -> [Money; 9] {
        self.fields_mut().map(|m| *m)
    }

    /// Adds another line's money.
    pub(crate) fn add(&mut self, other: &ClearingAmounts) {
        for (sum, value) in self.fields_mut().into_iter().zip(other.values()) {
            *sum += value;
        }
    }
}

/// One merchant's settlement date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ClearingDay {
    /// Settlement date.
    pub settle_date: NaiveDate,
    /// Earliest trade date.
    pub trade_from: NaiveDate,
    /// Latest trade date.
    pub trade_to: NaiveDate,
    /// The money.
    #[serde(flatten)]
    pub amounts: ClearingAmounts,
    /// Transactions.
    pub transactions: u64,
    /// Transactions no contracted rate covers (their charged fee counts as expected).
    pub unrated: u64,
    /// Clearing exceptions of the day.
    pub exceptions: u64,
    /// The settlement was carried in from an earlier run (only its totals are known).
    pub carried: bool,
    /// How the payouts were set against it; none when no payout reached it.
    pub payout_rule: Option<PayoutRule>,
}

/// One merchant's clearing over the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct MerchantClearing {
    /// The settling merchant.
    pub merchant: String,
    /// Its service provider, where the bills name one.
    pub service_provider: Option<String>,
    /// The money over the run.
    #[serde(flatten)]
    pub amounts: ClearingAmounts,
    /// Transactions.
    pub transactions: u64,
    /// Transactions no contracted rate covers.
    pub unrated: u64,
    /// Clearing exceptions.
    pub exceptions: u64,
    /// Per settlement date, in date order.
    pub days: Vec<ClearingDay>,
}

/// A clearing exception: a fee that is not the contracted rate's (`fee_mismatch`), or what the
/// payouts paid for a settlement date that is not what was owed (`payout_mismatch`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ClearingException {
    /// Stable id from the item's content (`fee:` and 16 hex digits, `#n` for the n-th identical
    /// item): class, level, merchant, key, dates, amount and the fee charged.
    pub id: String,
    /// Where it stands in 差错处理.
    pub state: crate::handling::ItemState,
    /// Its last resolution, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub resolution: Option<crate::handling::ResolutionView>,
    /// What it is.
    pub class: ClearingClass,
    /// Its name in Chinese.
    pub class_zh: &'static str,
    /// One transaction, or a settlement's total.
    pub level: ClearingLevel,
    /// The settling merchant.
    pub merchant: String,
    /// Its service provider, where the bill names one (服务商 / ISV).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub service_provider: Option<String>,
    /// The transaction's order number (商户订单号, else the channel's number), or the batch id.
    pub key: String,
    /// Trade date (the settlement date for a batch line).
    pub date: NaiveDate,
    /// Settlement date.
    pub settle_date: NaiveDate,
    /// The transaction's amount (a refund's is negative), the batch's gross − refunds, or (a
    /// payout mismatch) what was owed.
    pub amount: Money,
    /// The fee the channel charged (a fee mismatch).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub fee_charged: Option<Money>,
    /// The fee the contracted rate implies (a fee mismatch).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub fee_expected: Option<Money>,
    /// A payout mismatch: the settlement date's net payable.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub owed: Option<Money>,
    /// A payout mismatch: what the payouts paid for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub paid: Option<Money>,
    /// A payout mismatch: how the payouts were set against the settlement dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub rule: Option<PayoutRule>,
    /// A sub-ledger break: what it checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub check: Option<LedgerCheck>,
    /// A sub-ledger break: what clearing, the payouts or the line's own figures say it should be.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub expected: Option<Money>,
    /// A sub-ledger break: what the ledger books.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub booked: Option<Money>,
    /// A payout mismatch: the ids of the payouts that paid it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub payouts: Vec<String>,
    /// d = expected − charged (a fee: an overcharge is d < 0, 短款), owed − paid (a payout: an
    /// overpayment is d < 0, 短款 of the platform's money; an underpayment d > 0, 长款), or
    /// expected − booked (a sub-ledger line).
    pub d: Money,
    /// 长款 / 短款.
    pub label: Option<Label>,
    /// The contracted rate, as the profile writes it (empty for a payout mismatch).
    pub rate: String,
    /// The rate the bill itself shows (WeChat's 费率), when it has one.
    pub bill_rate: Option<String>,
    /// File of the transaction (empty for a batch line).
    pub file: String,
    /// 1-based line (0 for a batch line).
    pub line: u32,
}

impl ClearingException {
    /// An open exception of `class` with what every class has; the class's own fields (the fees,
    /// what was owed and paid, what the ledger booked, where it was read) are set by the caller.
    pub(crate) fn open(
        class: ClearingClass,
        level: ClearingLevel,
        merchant: String,
        key: String,
        (date, settle_date): (NaiveDate, NaiveDate),
        amount: Money,
        d: Money,
    ) -> ClearingException {
        ClearingException {
            id: String::new(),
            state: crate::handling::ItemState::Open,
            resolution: None,
            class,
            class_zh: class.name_zh(),
            level,
            merchant,
            service_provider: None,
            key,
            date,
            settle_date,
            amount,
            fee_charged: None,
            fee_expected: None,
            owed: None,
            paid: None,
            rule: None,
            check: None,
            expected: None,
            booked: None,
            payouts: Vec::new(),
            d,
            label: crate::classify::label(d.decimal()),
            rate: String::new(),
            bill_rate: None,
            file: String::new(),
            line: 0,
        }
    }
}

/// The `clearing` section of the report.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ClearingReport {
    /// The clearing settings in force.
    pub settings: BTreeMap<&'static str, String>,
    /// The money over every merchant.
    pub totals: ClearingAmounts,
    /// Per merchant, by merchant number.
    pub merchants: Vec<MerchantClearing>,
    /// Every exception, by merchant, settlement date, date and key.
    pub exceptions: Vec<ClearingException>,
}
