//! Every code the engine uses, with its Chinese name, in report order: what the page labels things
//! with and the README's tables list, so neither keeps its own copy.

use crate::classify::{Label, Outcome};
use crate::codes::Code;
use crate::error::ErrorCode;
use crate::format::Format;
use crate::fund_flow::{FundOutcome, MatchKind};
use crate::read::IssueCode;
use crate::record::{Field, InputKind, Status};
use crate::run::Phase;
use serde::Serialize;

use crate::report::FundItemKind;

/// One code: `{code, zh}`, and what it means where the code has a sentence for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Term {
    /// The stable code.
    pub code: &'static str,
    /// The name users know, in Chinese.
    pub zh: &'static str,
    /// What it means, for row issue codes (absent for the others).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub meaning: Option<&'static str>,
}

/// The codes of every code enum, each list in report order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Vocabulary {
    /// Transaction outcomes.
    pub outcomes: Vec<Term>,
    /// Fund-flow outcomes.
    pub fund_outcomes: Vec<Term>,
    /// Kinds of open fund-flow items.
    pub fund_item_kinds: Vec<Term>,
    /// Kinds of fund-flow matches.
    pub match_kinds: Vec<Term>,
    /// File layouts.
    pub formats: Vec<Term>,
    /// Kinds of input.
    pub input_kinds: Vec<Term>,
    /// Row issue codes, with their meanings.
    pub issue_codes: Vec<Term>,
    /// Error codes.
    pub error_codes: Vec<Term>,
    /// Normalized statuses.
    pub statuses: Vec<Term>,
    /// Logical columns.
    pub fields: Vec<Term>,
    /// Progress phases.
    pub phases: Vec<Term>,
    /// Actions of 差错处理.
    pub actions: Vec<Term>,
    /// Where an item stands in 差错处理.
    pub item_states: Vec<Term>,
    /// The documents of 差错处理.
    pub document_kinds: Vec<Term>,
    /// The labels of d.
    pub labels: Vec<&'static str>,
    /// The transaction outcomes that are timing, not breaks (未达账项): shown apart from the breaks.
    pub timing_outcomes: Vec<Outcome>,
    /// The transaction outcomes that are breaks (差错).
    pub break_outcomes: Vec<Outcome>,
    /// The fund-flow outcomes that are timing (in transit), not breaks.
    pub timing_fund_outcomes: Vec<FundOutcome>,
    /// The fund-flow outcomes that are breaks (差错); `not_reconciled` is neither.
    pub break_fund_outcomes: Vec<FundOutcome>,
}

macro_rules! terms {
    ($enum:ty) => {
        <$enum>::ALL.iter().map(|c| Term { code: c.code(), zh: c.name_zh(), meaning: None }).collect()
    };
}

impl Vocabulary {
    /// The whole vocabulary.
    pub fn new() -> Vocabulary {
        Vocabulary {
            outcomes: terms!(Outcome),
            fund_outcomes: terms!(FundOutcome),
            fund_item_kinds: terms!(FundItemKind),
            match_kinds: terms!(MatchKind),
            formats: terms!(Format),
            input_kinds: terms!(InputKind),
            issue_codes: IssueCode::ALL
                .iter()
                .map(|c| Term { code: c.code(), zh: c.name_zh(), meaning: Some(c.meaning()) })
                .collect(),
            error_codes: terms!(ErrorCode),
            statuses: terms!(Status),
            fields: terms!(Field),
            phases: terms!(Phase),
            actions: terms!(crate::handling::Action),
            item_states: terms!(crate::handling::ItemState),
            document_kinds: terms!(crate::report::DocumentKind),
            labels: Label::ALL.iter().map(|l| Code::code(*l)).collect(),
            timing_outcomes: Outcome::ALL.iter().copied().filter(|o| o.is_timing()).collect(),
            break_outcomes: Outcome::ALL.iter().copied().filter(|o| o.is_break()).collect(),
            timing_fund_outcomes: FundOutcome::ALL.iter().copied().filter(|o| o.is_timing()).collect(),
            break_fund_outcomes: FundOutcome::ALL.iter().copied().filter(|o| o.is_break()).collect(),
        }
    }
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_is_apart_from_the_breaks() {
        let v = Vocabulary::new();
        assert_eq!(v.timing_outcomes, [Outcome::Pending]);
        assert_eq!(
            v.break_outcomes,
            [
                Outcome::AmountMismatch,
                Outcome::StatusMismatch,
                Outcome::InternalOnly,
                Outcome::ExternalOnly,
                Outcome::Duplicate
            ]
        );
        assert_eq!(v.timing_fund_outcomes, [FundOutcome::InTransit]);
        assert_eq!(
            v.break_fund_outcomes,
            [
                FundOutcome::AmountMismatch,
                FundOutcome::InternalOnly,
                FundOutcome::ExternalOnly,
                FundOutcome::UnexplainedMovement,
                FundOutcome::BalanceBreak
            ]
        );
    }
}
