//! The profile: every knob of a run, with defaults that fit the common Chinese exports.
//!
//! A profile is JSON. Every field is optional; an unknown field is an error that names it, so a typo
//! never silently falls back to a default.
//!
//! ```json
//! {
//!   "key": "order_no_then_trade_no",
//!   "tolerance": "0.01",
//!   "cutoff": "00:00",
//!   "pending_window_minutes": 5,
//!   "columns": { "internal": { "order_no": "单据编号" }, "channel": {} },
//!   "aliases": { "amount": ["实付金额"] },
//!   "status_words": { "success": ["已入账"] },
//!   "fund_flow": {
//!     "settlement": "T+1", "business_days": true, "holidays": ["2026-04-06"], "workdays": [],
//!     "tolerance": "0.00", "window_days": 3, "grace_days": 3, "max_batches_per_credit": 7,
//!     "memo_patterns": ["商户号{merchant}", "{merchant}结算款", "{merchant:2088}"]
//!   },
//!   "clearing": {
//!     "fee_rates": [{"merchant": "*", "rate": "0.60%"}, {"merchant": "1612000003", "rate": "0.38%"}],
//!     "fee_rounding": "per_transaction_fen", "fee_tolerance": "0.00",
//!     "commission_rates": [{"merchant": "*", "rate": "0.10%"}]
//!   }
//! }
//! ```

mod clearing;
mod fund_flow;

pub use clearing::{Channel, ClearingSettings, FeeRounding, RateRule};
pub use fund_flow::{FundFlowSettings, PairWithin};

use crate::codes::codes;
use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use crate::record::{Field, Status};
use crate::time::parse_time_as;
use crate::time::Part::{Lit, Two};
use chrono::{NaiveDate, NaiveTime, Timelike};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

codes! {
    /// Which key pairs an internal row with a channel row.
    pub enum KeyChoice {
        /// The merchant order number (商户订单号). The default.
        OrderNo = ("order_no", "商户订单号"),
        /// The channel transaction number (微信订单号 / 支付宝交易号).
        TradeNo = ("trade_no", "交易单号"),
        /// The merchant order number, then, for rows still unpaired, the channel transaction number.
        OrderNoThenTradeNo = ("order_no_then_trade_no", "先商户订单号、再交易单号"),
    }
}

/// Explicit header names per logical field, for one kind of input (`{"order_no": "单据编号"}`): an
/// unknown field name is an error that names it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct ColumnMapping(BTreeMap<Field, String>);

impl ColumnMapping {
    /// The explicit header for `field`, if the profile sets one.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.0.get(&field).map(String::as_str)
    }
}

/// Explicit column mappings per kind of input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMappings {
    /// Mapping for the internal order export.
    #[serde(default)]
    pub internal: ColumnMapping,
    /// Mapping for the channel bill.
    #[serde(default)]
    pub channel: ColumnMapping,
    /// Mapping for bank statements.
    #[serde(default)]
    pub bank: ColumnMapping,
    /// Mapping for payout instructions.
    #[serde(default)]
    pub payouts: ColumnMapping,
    /// Mapping for sub-ledgers (`book` in profiles written before the input had one name).
    #[serde(default, alias = "book")]
    pub sub_ledger: ColumnMapping,
}

/// Extra status words per normalized status, tried before the built-in table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatusWords {
    /// Words meaning the payment succeeded.
    #[serde(default)]
    pub success: Vec<String>,
    /// Words meaning a refund.
    #[serde(default)]
    pub refund: Vec<String>,
    /// Words meaning the order was closed without payment.
    #[serde(default)]
    pub closed: Vec<String>,
    /// Words meaning the payment is not finished yet.
    #[serde(default)]
    pub pending: Vec<String>,
}

/// Extra header aliases per logical field, tried before the built-in table
/// (`{"amount": ["实付金额"]}`): an unknown field name is an error that names it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Aliases(BTreeMap<Field, Vec<String>>);

impl Aliases {
    fn get(&self, field: Field) -> &[String] {
        self.0.get(&field).map_or(&[], Vec::as_slice)
    }
}

/// The profile as written in JSON; [`Profile`] is the checked form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileJson {
    key: Option<KeyChoice>,
    tolerance: Option<String>,
    cutoff: Option<String>,
    pending_window_minutes: Option<u32>,
    #[serde(default)]
    columns: ColumnMappings,
    #[serde(default)]
    aliases: Aliases,
    #[serde(default)]
    status_words: StatusWords,
    format: Option<String>,
    bill_date: Option<String>,
    #[serde(default)]
    fund_flow: Option<fund_flow::FundFlowJson>,
    #[serde(default)]
    clearing: Option<clearing::ClearingJson>,
    #[serde(default)]
    handling: Option<HandlingJson>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HandlingJson {
    #[serde(default)]
    accounts: AccountsJson,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsJson {
    bank: Option<String>,
    long: Option<String>,
    short: Option<String>,
    fees: Option<String>,
}

/// The account names the adjusting entries (调账分录) of 差错处理 are written with: the profile's
/// `handling.accounts`, else the names a Chinese chart of accounts uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlingAccounts {
    /// Where the money is (`bank`): 银行存款.
    pub bank: String,
    /// Where a 长款 waits to be explained (`long`): 待处理财产损溢-长款.
    pub long: String,
    /// Where a 短款 waits (`short`): 待处理财产损溢-短款.
    pub short: String,
    /// The fee expense a fee mismatch corrects (`fees`): 财务费用-手续费.
    pub fees: String,
}

impl Default for HandlingAccounts {
    fn default() -> Self {
        HandlingAccounts {
            bank: "银行存款".to_string(),
            long: "待处理财产损溢-长款".to_string(),
            short: "待处理财产损溢-短款".to_string(),
            fees: "财务费用-手续费".to_string(),
        }
    }
}

/// The checked settings of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Which key pairs rows.
    pub key: KeyChoice,
    /// Largest |d| still reported as `matched_within_tolerance` (default 0).
    pub tolerance: Decimal,
    /// Time of day the reconciliation day ends (日切). At or before 12:00 it is on the next calendar
    /// day (00:00 = midnight after the date); after 12:00 on the date itself (23:00 = 23:00 that day).
    pub cutoff: NaiveTime,
    /// Orders created this many minutes before the cut-off without a channel row are `pending`.
    pub pending_window_minutes: u32,
    /// Explicit column mappings.
    pub columns: ColumnMappings,
    /// Extra header aliases.
    pub aliases: Aliases,
    /// Extra status words.
    pub status_words: StatusWords,
    /// Read every channel file as this layout instead of detecting it (profile
    /// `"format": "wechat_trade"`); internal files are always detected.
    pub format: Option<Format>,
    /// The bill's date, for layouts whose times omit the year (UnionPay ZM) when the file name
    /// does not carry it (profile `"bill_date": "2024-03-15"`).
    pub bill_date: Option<NaiveDate>,
    /// Fund flow and book against actual (资金对账, 账实核对).
    pub fund_flow: FundFlowSettings,
    /// Clearing per merchant (清分): contracted fee rates, rounding, commission.
    pub clearing: ClearingSettings,
    /// The accounts of 差错处理's adjusting entries (profile `handling.accounts`).
    pub accounts: HandlingAccounts,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            key: KeyChoice::OrderNo,
            tolerance: Decimal::ZERO,
            cutoff: NaiveTime::MIN,
            pending_window_minutes: 5,
            columns: ColumnMappings::default(),
            aliases: Aliases::default(),
            status_words: StatusWords::default(),
            format: None,
            bill_date: None,
            fund_flow: FundFlowSettings::default(),
            clearing: ClearingSettings::default(),
            accounts: HandlingAccounts::default(),
        }
    }
}

impl Profile {
    /// Reads a profile from JSON text. Unknown fields and bad values are [`ErrorKind::InvalidProfile`].
    pub fn from_json(text: &str) -> Result<Profile> {
        let invalid = |message: String| Error::new(ErrorKind::InvalidProfile, message);
        let json: ProfileJson = serde_json::from_str(text).map_err(|e| {
            let position = (e.line(), e.column());
            invalid(format!("profile: {e}")).at(position.0 as u64, Some(position.1 as u64))
        })?;
        let mut profile = Profile::default();
        if let Some(key) = json.key {
            profile.key = key;
        }
        if let Some(tolerance) = json.tolerance {
            let value = crate::money::parse_amount(&tolerance)
                .map_err(|e| invalid(format!("profile: tolerance {tolerance:?}: {}", e.reason())))?;
            if value.is_sign_negative() {
                return Err(invalid(format!("profile: tolerance {tolerance:?} is negative")));
            }
            profile.tolerance = value;
        }
        if let Some(cutoff) = json.cutoff {
            profile.cutoff = parse_time_as(&cutoff, &[Two, Lit(":"), Two])
                .or_else(|| parse_time_as(&cutoff, &[Two, Lit(":"), Two, Lit(":"), Two]))
                .ok_or_else(|| invalid(format!("profile: cutoff {cutoff:?} is not HH:MM")))?;
        }
        if let Some(minutes) = json.pending_window_minutes {
            if minutes > 24 * 60 {
                return Err(invalid(format!("profile: pending_window_minutes {minutes} exceeds a day")));
            }
            profile.pending_window_minutes = minutes;
        }
        profile.columns = json.columns;
        profile.aliases = json.aliases;
        profile.status_words = json.status_words;
        if let Some(code) = json.format {
            let known: Vec<&str> = Format::ALL.iter().map(|f| f.code()).collect();
            let known = known.join(", ");
            profile.format = Some(
                Format::from_code(&code)
                    .ok_or_else(|| invalid(format!("profile: format {code:?} is not one of {known}")))?,
            );
        }
        if let Some(date) = json.bill_date {
            profile.bill_date = Some(
                crate::time::parse_date(&date)
                    .map_err(|_| invalid(format!("profile: bill_date {date:?} is not YYYY-MM-DD")))?,
            );
        }
        if let Some(fund_flow) = json.fund_flow {
            profile.fund_flow = FundFlowSettings::from_json(fund_flow)?;
        }
        if let Some(clearing) = json.clearing {
            profile.clearing = ClearingSettings::from_json(clearing)?;
        }
        if let Some(handling) = json.handling {
            let a = handling.accounts;
            let defaults = HandlingAccounts::default();
            let name = |given: Option<String>, default: String, what: &str| match given {
                Some(n) if n.trim().is_empty() => Err(invalid(format!("profile: handling.accounts.{what} is empty"))),
                Some(n) => Ok(n.trim().to_string()),
                None => Ok(default),
            };
            profile.accounts = HandlingAccounts {
                bank: name(a.bank, defaults.bank, "bank")?,
                long: name(a.long, defaults.long, "long")?,
                short: name(a.short, defaults.short, "short")?,
                fees: name(a.fees, defaults.fees, "fees")?,
            };
        }
        Ok(profile)
    }

    /// The profile's extra header names for `field` (tried before any built-in or layout name).
    pub fn extra_aliases(&self, field: Field) -> &[String] {
        self.aliases.get(field)
    }

    /// Header names that identify `field`: the profile's extra aliases first, then the built-ins.
    pub fn aliases_of(&self, field: Field) -> impl Iterator<Item = &str> {
        self.aliases.get(field).iter().map(String::as_str).chain(field.default_aliases().iter().copied())
    }

    /// Normalizes a status word; `None` when the word is unknown.
    pub fn status_of(&self, word: &str) -> Option<Status> {
        let word = word.trim_matches(|c: char| c.is_whitespace() || c == '`' || c == '\u{3000}');
        let custom = [
            (&self.status_words.success, Status::Success),
            (&self.status_words.refund, Status::Refund),
            (&self.status_words.closed, Status::Closed),
            (&self.status_words.pending, Status::Pending),
        ];
        for (words, status) in custom {
            if words.iter().any(|w| w.trim().eq_ignore_ascii_case(word)) {
                return Some(status);
            }
        }
        Status::from_word(word)
    }

    /// A JSON view of the settings in force, echoed in the report.
    pub fn settings(&self) -> BTreeMap<&'static str, String> {
        crate::sort::map([
            ("key", self.key.code().to_string()),
            ("tolerance", self.tolerance.to_string()),
            ("cutoff", format!("{:02}:{:02}", self.cutoff.hour(), self.cutoff.minute())),
            ("pending_window_minutes", self.pending_window_minutes.to_string()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_is_named() {
        let err = Profile::from_json(r#"{"tolerence": "0.01"}"#).unwrap_err();
        assert_eq!(err.code(), "invalid_profile");
        assert!(err.message().contains("tolerence"), "{}", err.message());
        let err = Profile::from_json(r#"{"columns": {"internal": {"ordr": "x"}}}"#).unwrap_err();
        assert!(err.message().contains("ordr"), "{}", err.message());
    }

    #[test]
    fn values_are_checked() {
        for bad in [r#"{"tolerance": "-1"}"#, r#"{"cutoff": "25:00"}"#, r#"{"key": "phone"}"#] {
            assert_eq!(Profile::from_json(bad).unwrap_err().code(), "invalid_profile", "{bad}");
        }
        let profile = Profile::from_json(r#"{"tolerance": "0.05", "cutoff": "23:30", "key": "trade_no"}"#)
            .expect("valid profile");
        assert_eq!(profile.tolerance.to_string(), "0.05");
        assert_eq!(profile.key, KeyChoice::TradeNo);
    }

    #[test]
    fn custom_status_words_come_first() {
        let profile = Profile::from_json(r#"{"status_words": {"success": ["已入账"]}}"#).expect("valid");
        assert_eq!(profile.status_of("已入账"), Some(Status::Success));
        assert_eq!(Profile::default().status_of("已入账"), None);
    }
}
