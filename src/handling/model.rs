//! What handling works with: the actions, the states they leave an item in, the items of a report
//! as handling sees them ([`Subject`]) and a resolution as given and as views show it.

use crate::classify::Label;
use crate::codes::codes;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

codes! {
    /// What was done about an item.
    pub enum Action {
        /// 补单: the channel was paid and the books have no order; an order to create. Closes it.
        CreateOrder = ("create_order", "补单"),
        /// 退款: money that is not the merchant's goes back. Closes it.
        Refund = ("refund", "退款"),
        /// 调账: an adjusting entry for d. Closes it.
        Adjust = ("adjust", "调账"),
        /// 挂账: parked; stays open, keeps aging, is carried with its note.
        Suspend = ("suspend", "挂账"),
        /// 核销: written off with a note. Closes it.
        WriteOff = ("write_off", "核销"),
        /// 确认: the timing is confirmed; stays open until it matches.
        Accept = ("accept", "确认"),
    }
}

codes! {
    /// Where an item stands in 差错处理.
    pub enum ItemState {
        /// Nothing done yet.
        Open = ("open", "未处理"),
        /// Suspended (挂账): still open.
        Parked = ("parked", "已挂账"),
        /// Timing confirmed (确认): still open until it matches.
        Accepted = ("accepted", "已确认"),
        /// Closed by a resolution.
        Closed = ("closed", "已处理"),
    }
}

codes! {
    /// Which part of the report an item is from.
    pub enum Domain {
        /// Orders against bills (交易对账).
        Transaction = ("transaction", "交易对账"),
        /// Settlements against the bank (资金对账).
        FundFlow = ("fund_flow", "资金对账"),
        /// Fees against contracted rates (清分).
        Clearing = ("clearing", "清分"),
    }
}

impl Action {
    /// The state an item is in after this action.
    pub const fn state(self) -> ItemState {
        match self {
            Action::Suspend => ItemState::Parked,
            Action::Accept => ItemState::Accepted,
            _ => ItemState::Closed,
        }
    }

    /// Why the action does not apply to the item, if it does not.
    pub(super) fn refusal(self, s: &Subject, note: &str) -> Option<String> {
        let outcome = s.outcome.as_str();
        let ok = match self {
            Action::CreateOrder => s.domain == Domain::Transaction && outcome == "external_only",
            Action::Refund => {
                matches!((s.domain, outcome), (Domain::Transaction, "external_only" | "duplicate"))
                    || matches!((s.domain, outcome), (Domain::FundFlow, "unexplained_movement" | "external_only"))
                    || (!s.timing && s.label == Some(Label::Long))
            }
            Action::Adjust => !s.timing,
            Action::Suspend => true,
            Action::WriteOff => {
                if note.trim().is_empty() {
                    return Some("write_off needs a note saying why".to_string());
                }
                true
            }
            Action::Accept => s.timing,
        };
        (!ok).then(|| format!("{} ({}) does not apply to a {} {} item", self.code(), self.name_zh(), s.domain, outcome))
    }
}

/// What handling needs to know of one item of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// The item's content-derived id.
    pub id: String,
    /// Which part of the report it is from.
    pub domain: Domain,
    /// Its outcome (or clearing class) code.
    pub outcome: String,
    /// Timing (未达账项), not a break.
    pub timing: bool,
    /// d = E − B.
    pub d: Decimal,
    /// 长款 / 短款.
    pub label: Option<Label>,
    /// The settling merchant, when known.
    pub merchant: String,
    /// Which field `key` is (transactions), else empty.
    pub key_field: String,
    /// The key, batch id or bank serial.
    pub key: String,
    /// The item's own date.
    pub date: Option<NaiveDate>,
}

/// One resolution as given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Resolution {
    /// The item's id.
    pub id: String,
    /// What was done.
    pub action: Action,
    /// Why; required for `write_off`.
    #[serde(default)]
    pub note: String,
    /// Who did it (a name the user gives).
    pub by: String,
    /// When: RFC 3339 or `YYYY-MM-DD HH:MM:SS`, supplied by the caller (the core never reads the clock).
    pub at: String,
}

/// An item's resolution as views show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ResolutionView {
    /// What was done.
    pub action: Action,
    /// Its Chinese name.
    pub action_zh: &'static str,
    /// Why.
    pub note: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: String,
    /// Where it came from: the resolutions file's name, or `api` (`resolve()`).
    pub source: String,
    /// Its line in the audit log (1-based).
    pub seq: u64,
}
