//! The `clearing` section of the profile: the contracted fee rates (费率), how fees round, the
//! tolerance of the fee check, and the platform's own commission (分润).
//!
//! ```json
//! "clearing": {
//!   "fee_rates": [ {"merchant": "*", "rate": "0.60%"},
//!                  {"merchant": "1612000003", "rate": "0.38%"},
//!                  {"merchant": "*", "channel": "alipay", "rate": "0.55%"},
//!                  {"merchant": "*", "trade_type": "NATIVE", "rate": "0.38%"} ],
//!   "fee_rounding": "per_transaction_fen",
//!   "fee_tolerance": "0.00",
//!   "commission_rates": [ {"merchant": "*", "rate": "0.10%"} ]
//! }
//! ```

use crate::codes::codes;
use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

codes! {
    /// How a fee (and a commission) is rounded.
    #[derive(Default)]
    pub enum FeeRounding {
        /// Each transaction's fee half-up to the fen: what most channels do. The default.
        #[default]
        PerTransactionFen = ("per_transaction_fen", "逐笔四舍五入到分"),
        /// Each transaction's fee exact to five decimals, as WeChat writes it (`0.05940` for ¥9.90 at
        /// 0.60%); the settlement total half-up to the fen.
        Exact = ("exact", "逐笔精确、结算总额到分"),
    }
}

codes! {
    /// The channel a bill is from, as a rate rule names it.
    pub enum Channel {
        /// WeChat Pay (微信支付).
        Wechat = ("wechat", "微信支付"),
        /// Alipay (支付宝).
        Alipay = ("alipay", "支付宝"),
        /// UnionPay (银联).
        Unionpay = ("unionpay", "银联"),
    }
}

impl Channel {
    /// The channel of a bill layout; `None` for a generic table (only rules without a channel apply).
    pub fn of(format: Format) -> Option<Channel> {
        match format {
            Format::WechatTrade | Format::WechatFundFlow => Some(Channel::Wechat),
            Format::AlipayTrade | Format::AlipaySummary | Format::AlipayAccountFlow => Some(Channel::Alipay),
            Format::UnionpayZm => Some(Channel::Unionpay),
            _ => None,
        }
    }
}

/// One rate rule as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RateJson {
    merchant: Option<String>,
    channel: Option<String>,
    trade_type: Option<String>,
    rate: String,
}

/// The `clearing` section as written in JSON; [`ClearingSettings`] is the checked form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClearingJson {
    #[serde(default)]
    fee_rates: Vec<RateJson>,
    fee_rounding: Option<FeeRounding>,
    fee_tolerance: Option<String>,
    #[serde(default)]
    commission_rates: Vec<RateJson>,
}

/// A contracted rate: for which merchant, channel and payment method (`None`: any), and the rate
/// as a fraction (`0.006` for `0.60%`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateRule {
    /// The merchant number; `None` for `*`.
    pub merchant: Option<String>,
    /// The channel; `None` for any.
    pub channel: Option<Channel>,
    /// The payment method (交易类型: JSAPI, NATIVE, MICROPAY, …); `None` for any.
    pub trade_type: Option<String>,
    /// The rate as a fraction.
    pub rate: Decimal,
    /// The rate as the profile wrote it (`0.60%`), for reports.
    pub written: String,
}

impl RateRule {
    /// How specific the rule is: merchant before channel before payment method, so that
    /// merchant + channel + method wins over merchant + channel, merchant, channel + method,
    /// channel, and `*` last.
    fn specificity(&self) -> u8 {
        u8::from(self.merchant.is_some()) << 2
            | u8::from(self.channel.is_some()) << 1
            | u8::from(self.trade_type.is_some())
    }

    fn applies(&self, merchant: &str, channel: Option<Channel>, trade_type: &str) -> bool {
        self.merchant.as_deref().is_none_or(|m| m == merchant)
            && self.channel.is_none_or(|c| Some(c) == channel)
            && self.trade_type.as_deref().is_none_or(|t| t.eq_ignore_ascii_case(trade_type))
    }

    /// A person's description of the case the rule covers.
    fn describe(&self) -> String {
        format!(
            "merchant {}, channel {}, trade_type {}",
            self.merchant.as_deref().unwrap_or("*"),
            self.channel.map_or("*", Channel::code),
            self.trade_type.as_deref().unwrap_or("*")
        )
    }
}

/// The checked clearing settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClearingSettings {
    /// Whether the profile has a `clearing` section: clearing is then reported even without bank
    /// or payout input.
    pub configured: bool,
    /// The contracted fee rates.
    pub fee_rates: Vec<RateRule>,
    /// How fees and commissions round.
    pub fee_rounding: FeeRounding,
    /// Largest |expected − charged| fee that is not a `fee_mismatch`.
    pub fee_tolerance: Decimal,
    /// The platform's commission (分润) rates.
    pub commission_rates: Vec<RateRule>,
}

impl ClearingSettings {
    /// Checks the JSON section: rates are percentages (`0.60%`), per-mille (`6‰`) or fractions
    /// (`0.006`) in [0, 1); two rules for exactly the same case are an error naming both.
    pub(crate) fn from_json(json: ClearingJson) -> Result<ClearingSettings> {
        let fee_tolerance = match json.fee_tolerance {
            None => Decimal::ZERO,
            Some(text) => crate::money::parse_amount(&text)
                .ok()
                .filter(|t| !t.is_sign_negative())
                .ok_or_else(|| invalid(format!("fee_tolerance {text:?} is not an amount of at least 0")))?,
        };
        Ok(ClearingSettings {
            configured: true,
            fee_rates: rules("fee_rates", json.fee_rates)?,
            fee_rounding: json.fee_rounding.unwrap_or_default(),
            fee_tolerance,
            commission_rates: rules("commission_rates", json.commission_rates)?,
        })
    }

    /// The contracted fee rate of a transaction, if any rule covers it.
    pub fn fee_rate(&self, merchant: &str, channel: Option<Channel>, trade_type: &str) -> Option<&RateRule> {
        most_specific(&self.fee_rates, merchant, channel, trade_type)
    }

    /// The commission rate of a transaction, if any rule covers it.
    pub fn commission_rate(&self, merchant: &str, channel: Option<Channel>, trade_type: &str) -> Option<&RateRule> {
        most_specific(&self.commission_rates, merchant, channel, trade_type)
    }

    /// `amount × rate` at the rounding rule's per-transaction precision: the fen, or WeChat's five
    /// decimals. Half-up (away from zero), so a refund gives back exactly what its payment took.
    pub fn per_transaction(&self, amount: Decimal, rate: Decimal) -> Decimal {
        let places = match self.fee_rounding {
            FeeRounding::PerTransactionFen => 2,
            FeeRounding::Exact => 5,
        };
        (amount * rate).round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
    }

    /// A settlement's total fee (or commission) from its transactions': already in fen when each
    /// was rounded; half-up to the fen under [`FeeRounding::Exact`].
    pub fn settlement_total(&self, sum: Decimal) -> Decimal {
        sum.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidProfile, format!("profile: clearing.{message}"))
}

fn most_specific<'s>(
    rules: &'s [RateRule],
    merchant: &str,
    channel: Option<Channel>,
    trade_type: &str,
) -> Option<&'s RateRule> {
    // Rules were checked to be unique per case, so the most specific one that applies is unique.
    rules.iter().filter(|r| r.applies(merchant, channel, trade_type)).max_by_key(|r| r.specificity())
}

fn rules(section: &str, json: Vec<RateJson>) -> Result<Vec<RateRule>> {
    let mut rules: Vec<RateRule> = Vec::with_capacity(json.len());
    for (n, rule) in json.into_iter().enumerate() {
        let at = |message: String| invalid(format!("{section}[{n}]: {message}"));
        let merchant = rule.merchant.map(|m| m.trim().to_string()).filter(|m| m != "*" && !m.is_empty());
        let channel = match rule.channel.as_deref().map(str::trim).filter(|c| *c != "*") {
            None => None,
            Some(code) => Some(Channel::from_code(code).ok_or_else(|| {
                let known: Vec<&str> = Channel::ALL.iter().map(|c| c.code()).collect();
                at(format!("channel {code:?} is not one of {}", known.join(", ")))
            })?),
        };
        let trade_type = rule.trade_type.map(|t| t.trim().to_string()).filter(|t| t != "*" && !t.is_empty());
        let rate = parse_rate(&rule.rate).ok_or_else(|| {
            at(format!("rate {:?} is not a rate such as \"0.60%\", \"6‰\" or \"0.006\" below 100%", rule.rate))
        })?;
        let rule = RateRule { merchant, channel, trade_type, rate, written: rule.rate.trim().to_string() };
        let same_case = |other: &RateRule| {
            (&other.merchant, other.channel, other.trade_type.as_ref().map(|t| t.to_ascii_uppercase()))
                == (&rule.merchant, rule.channel, rule.trade_type.as_ref().map(|t| t.to_ascii_uppercase()))
        };
        if let Some(first) = rules.iter().position(same_case) {
            return Err(invalid(format!(
                "{section}[{first}] and {section}[{n}] both set the rate of {}: keep one",
                rule.describe()
            )));
        }
        rules.push(rule);
    }
    Ok(rules)
}

/// `0.60%` → 0.006, `6‰` → 0.006, `0.006` → 0.006; `None` unless in [0, 1).
pub(crate) fn parse_rate(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let (number, divisor) = if let Some(n) = text.strip_suffix('%') {
        (n, Decimal::ONE_HUNDRED)
    } else if let Some(n) = text.strip_suffix('‰') {
        (n, Decimal::ONE_THOUSAND)
    } else {
        (text, Decimal::ONE)
    };
    let number: Decimal = number.trim().parse().ok()?;
    let rate = number.checked_div(divisor)?;
    (rate >= Decimal::ZERO && rate < Decimal::ONE).then(|| rate.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(json: &str) -> Result<ClearingSettings> {
        ClearingSettings::from_json(serde_json::from_str(json).expect("json"))
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let s = settings(
            r#"{"fee_rates": [{"merchant": "*", "rate": "0.60%"}, {"merchant": "1612000003", "rate": "0.38%"},
                {"merchant": "*", "channel": "alipay", "rate": "0.55%"},
                {"merchant": "*", "trade_type": "NATIVE", "rate": "0.30%"},
                {"channel": "wechat", "trade_type": "native", "rate": "0.25%"},
                {"merchant": "1612000003", "channel": "wechat", "trade_type": "MICROPAY", "rate": "0.20%"}]}"#,
        )
        .expect("valid");
        let rate = |m, c, t| s.fee_rate(m, c, t).map(|r| r.written.as_str());
        assert_eq!(rate("1612000001", Some(Channel::Wechat), "JSAPI"), Some("0.60%"));
        assert_eq!(rate("1612000003", Some(Channel::Alipay), "JSAPI"), Some("0.38%"), "merchant over channel");
        assert_eq!(rate("1612000001", Some(Channel::Alipay), ""), Some("0.55%"));
        assert_eq!(rate("1612000001", None, "NATIVE"), Some("0.30%"));
        assert_eq!(rate("1612000001", Some(Channel::Wechat), "NATIVE"), Some("0.25%"), "channel + method");
        assert_eq!(rate("1612000003", Some(Channel::Wechat), "NATIVE"), Some("0.38%"), "merchant over method");
        assert_eq!(rate("1612000003", Some(Channel::Wechat), "MICROPAY"), Some("0.20%"));
        assert_eq!(s.fee_rate("x", None, "").map(|r| r.rate), Some(Decimal::new(6, 3)));
    }

    #[test]
    fn two_rules_for_one_case_are_an_error_naming_both() {
        let err = settings(r#"{"fee_rates": [{"merchant": "*", "rate": "0.6%"}, {"rate": "0.38%"}]}"#).unwrap_err();
        assert_eq!(err.code(), "invalid_profile");
        assert!(err.message().contains("fee_rates[0] and fee_rates[1]"), "{}", err.message());
        let err = settings(r#"{"commission_rates": [{"trade_type": "JSAPI", "rate": "0.1%"}, {"trade_type": "jsapi", "rate": "0.2%"}]}"#)
            .unwrap_err();
        assert!(err.message().contains("commission_rates[0] and commission_rates[1]"), "{}", err.message());
    }

    #[test]
    fn rates_and_values_are_checked() {
        assert_eq!(parse_rate("0.60%"), Some(Decimal::new(6, 3)));
        assert_eq!(parse_rate(" 6‰ "), Some(Decimal::new(6, 3)));
        assert_eq!(parse_rate("0.0038"), Some(Decimal::new(38, 4)));
        for bad in ["", "abc", "-0.1%", "100%", "1.5", "%"] {
            assert_eq!(parse_rate(bad), None, "{bad:?}");
        }
        for bad in [
            r#"{"fee_rates": [{"rate": "6"}]}"#,
            r#"{"fee_rates": [{"channel": "paypal", "rate": "1%"}]}"#,
            r#"{"fee_tolerance": "-0.01"}"#,
            r#"{"fee_rounding": "bankers"}"#,
            r#"{"fee_rates": [{"rat": "1%"}]}"#,
        ] {
            let err = ClearingSettings::from_json(match serde_json::from_str(bad) {
                Ok(json) => json,
                Err(_) => continue, // a JSON shape error is the profile reader's (still invalid_profile)
            });
            assert_eq!(err.unwrap_err().code(), "invalid_profile", "{bad}");
        }
    }

    #[test]
    fn fees_round_half_up_per_rule_and_refunds_give_back_the_same() {
        let fen = ClearingSettings::default();
        let rate = Decimal::new(6, 3);
        assert_eq!(fen.per_transaction(Decimal::new(990, 2), rate).to_string(), "0.06");
        assert_eq!(fen.per_transaction(Decimal::new(-990, 2), rate).to_string(), "-0.06");
        assert_eq!(fen.per_transaction(Decimal::new(12500, 2), rate).to_string(), "0.75");
        assert_eq!(fen.per_transaction(Decimal::new(25, 2), rate).to_string(), "0.00", "0.0015 → 0.00");
        assert_eq!(fen.per_transaction(Decimal::new(7500, 2), Decimal::new(1, 3)).to_string(), "0.08", "0.075 → 0.08");
        assert_eq!(fen.per_transaction(Decimal::new(8333, 2), rate).to_string(), "0.50", "0.49998 → 0.50");
        let exact = ClearingSettings { fee_rounding: FeeRounding::Exact, ..ClearingSettings::default() };
        assert_eq!(exact.per_transaction(Decimal::new(990, 2), rate).to_string(), "0.05940");
        assert_eq!(exact.settlement_total(Decimal::new(5940 * 3, 5)).to_string(), "0.18", "0.1782 → 0.18");
    }
}
