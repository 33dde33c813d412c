//! Outcome codes (DOMAIN.md), the discrepancy d = E − B and its label 长款/短款.

use crate::codes::codes;
use rust_decimal::Decimal;
use serde::Serialize;

codes! {
    /// The outcome of one reconciled item. Every input row ends in exactly one.
    #[repr(u8)]
    pub enum Outcome {
        /// Same key, amount and status on both sides (对平).
        Matched = ("matched", "对平"),
        /// Matched; the amounts differ within the configured tolerance (容差内对平).
        MatchedWithinTolerance = ("matched_within_tolerance", "容差内对平"),
        /// Same key, different amount (金额不符).
        AmountMismatch = ("amount_mismatch", "金额不符"),
        /// Same key, the two sides disagree on whether money moved (状态不符).
        StatusMismatch = ("status_mismatch", "状态不符"),
        /// The books have it, the channel does not (单边账, 平台有).
        InternalOnly = ("internal_only", "单边账(平台有、渠道无)"),
        /// The channel has it, the books do not (单边账, 渠道有).
        ExternalOnly = ("external_only", "单边账(渠道有、平台无)"),
        /// A second copy of a key on one side (重复); the first copy still matches.
        Duplicate = ("duplicate", "重复"),
        /// Timing only, not yet a break: created at the cut-off or not finished (未达账项).
        Pending = ("pending", "未达账项"),
    }
}

codes! {
    /// The label of a discrepancy d = E − B: 长款 (long, d > 0) or 短款 (short, d < 0).
    pub enum Label {
        /// d > 0: more money than the books say (账少钱多).
        Long = "长款",
        /// d < 0: less money than the books say (账多钱少).
        Short = "短款",
    }
}

impl Outcome {
    /// Whether the outcome is timing, not a break (未达账项): it keeps its d, carries no
    /// 长款/短款 label and stays out of the long and short totals.
    pub fn is_timing(self) -> bool {
        self == Outcome::Pending
    }

    /// Whether the outcome is a break (差错): the two sides disagree, neither matched nor timing.
    pub fn is_break(self) -> bool {
        !matches!(self, Outcome::Matched | Outcome::MatchedWithinTolerance) && !self.is_timing()
    }

    /// The label of an item's d with this outcome: none for timing.
    pub fn label(self, d: Decimal) -> Option<Label> {
        if self.is_timing() {
            None
        } else {
            label(d)
        }
    }
}

/// A count and an amount per outcome, serialized with one field per code in report order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PerOutcome<T> {
    /// For `matched`.
    pub matched: T,
    /// For `matched_within_tolerance`.
    pub matched_within_tolerance: T,
    /// For `amount_mismatch`.
    pub amount_mismatch: T,
    /// For `status_mismatch`.
    pub status_mismatch: T,
    /// For `internal_only`.
    pub internal_only: T,
    /// For `external_only`.
    pub external_only: T,
    /// For `duplicate`.
    pub duplicate: T,
    /// For `pending`.
    pub pending: T,
}

impl<T> PerOutcome<T> {
    /// The same table with `f` applied to every value.
    pub fn map<U>(&self, f: impl Fn(&T) -> U) -> PerOutcome<U> {
        PerOutcome {
            matched: f(&self.matched),
            matched_within_tolerance: f(&self.matched_within_tolerance),
            amount_mismatch: f(&self.amount_mismatch),
            status_mismatch: f(&self.status_mismatch),
            internal_only: f(&self.internal_only),
            external_only: f(&self.external_only),
            duplicate: f(&self.duplicate),
            pending: f(&self.pending),
        }
    }

    /// The value for `outcome`.
    pub fn get(&self, outcome: Outcome) -> &T {
        match outcome {
            Outcome::Matched => &self.matched,
            Outcome::MatchedWithinTolerance => &self.matched_within_tolerance,
            Outcome::AmountMismatch => &self.amount_mismatch,
            Outcome::StatusMismatch => &self.status_mismatch,
            Outcome::InternalOnly => &self.internal_only,
            Outcome::ExternalOnly => &self.external_only,
            Outcome::Duplicate => &self.duplicate,
            Outcome::Pending => &self.pending,
        }
    }

    /// The value for `outcome`, mutably.
    pub fn get_mut(&mut self, outcome: Outcome) -> &mut T {
        match outcome {
            Outcome::Matched => &mut self.matched,
            Outcome::MatchedWithinTolerance => &mut self.matched_within_tolerance,
            Outcome::AmountMismatch => &mut self.amount_mismatch,
            Outcome::StatusMismatch => &mut self.status_mismatch,
            Outcome::InternalOnly => &mut self.internal_only,
            Outcome::ExternalOnly => &mut self.external_only,
            Outcome::Duplicate => &mut self.duplicate,
            Outcome::Pending => &mut self.pending,
        }
    }
}

/// The label of d: 长款 (long) when d > 0, 短款 (short) when d < 0, none when d = 0.
pub fn label(d: Decimal) -> Option<Label> {
    if d.is_zero() {
        None
    } else if d.is_sign_positive() {
        Some(Label::Long)
    } else {
        Some(Label::Short)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_labels_follow_the_sign() {
        for &outcome in Outcome::ALL {
            assert_eq!(Outcome::from_code(outcome.code()), Some(outcome));
        }
        assert_eq!(label(Decimal::new(1, 2)), Some(Label::Long));
        assert_eq!(label(Decimal::new(-1, 2)).map(Label::code), Some("短款"));
        assert_eq!(label(Decimal::ZERO), None);
    }
}
