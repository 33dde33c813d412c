//! One line of a bank statement, as every statement layout reads it.

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use serde::Serialize;

/// One movement on a bank statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BankEntry {
    /// 1-based line in the statement file.
    pub line: u32,
    /// Byte offset of the record in the decoded text (to read it back as a table row).
    #[serde(skip)]
    pub(crate) offset: u32,
    /// Booking date (交易日期 / 记账日期).
    pub date: NaiveDate,
    /// Time of day, when the statement has one.
    #[serde(serialize_with = "serialize_time")]
    pub time: Option<NaiveTime>,
    /// Signed amount in the account's currency: credit (贷方, money in) positive, debit (借方,
    /// money out) negative. For a card export, the booked amount (记账金额).
    pub amount: Decimal,
    /// Running balance after the movement (余额), when given.
    pub balance: Option<Decimal>,
    /// Currency of the amount (币种 / 记账币种), empty when the statement does not say.
    pub currency: String,
    /// The amount in the transaction's currency (交易金额), when the statement has such a pair
    /// beside the booked one and fills it.
    pub transaction_amount: Option<Decimal>,
    /// The transaction's currency (交易币种), empty for a domestic movement (`-`).
    pub transaction_currency: String,
    /// Counterparty name (对方户名).
    pub counterparty: String,
    /// Counterparty account (对方账号).
    pub counterparty_account: String,
    /// 摘要, 附言, 用途 and 交易场所, joined by a space.
    pub memo: String,
    /// Bank serial (流水号).
    pub serial: String,
}

fn serialize_time<S: serde::Serializer>(time: &Option<NaiveTime>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match time {
        Some(t) => s.serialize_str(&crate::time::hms(*t)),
        None => s.serialize_none(),
    }
}
