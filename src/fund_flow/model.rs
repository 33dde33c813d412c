//! What fund flow matches and what it finds: settlement batches, bank movements, payout
//! instructions, the groups paired together and every item's outcome.

use crate::codes::codes;
use crate::read::Payout;
use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use serde::Serialize;

codes! {
    /// The outcome of one fund-flow item (codes as in DOMAIN.md), and of the balance checks.
    pub enum FundOutcome {
        /// Paired exactly (对平).
        Matched = ("matched", "对平"),
        /// Paired; the amounts differ within the tolerance (容差内对平).
        MatchedWithinTolerance = ("matched_within_tolerance", "容差内对平"),
        /// Paired, but the amounts differ by more than the tolerance and no more than `pair_within`
        /// (金额不符): a credit short or long of the settlement(s) it plainly belongs to. Open, a
        /// break, carried until later money makes it up or it is resolved; its d is counted once.
        AmountMismatch = ("amount_mismatch", "金额不符"),
        /// Not paired yet, within the grace period (未达账项).
        InTransit = ("in_transit", "未达账项"),
        /// The books (channel settlement, payout instruction) have it, the bank does not (单边账).
        InternalOnly = ("internal_only", "单边账(平台有、银行无)"),
        /// The bank has it, the books do not (单边账).
        ExternalOnly = ("external_only", "单边账(银行有、平台无)"),
        /// A bank movement no record explains, e.g. a memo without a merchant number (无法识别款项).
        UnexplainedMovement = ("unexplained_movement", "无法识别款项"),
        /// A bank debit with no payout instructions given to check it against: not a break, only
        /// not reconciled (未核对); it still counts in the balances.
        NotReconciled = ("not_reconciled", "未核对(无代付指令)"),
        /// A balance identity does not hold (余额不符): a running balance, a statement's continuity,
        /// or the 余额调节表.
        BalanceBreak = ("balance_break", "余额不符"),
    }
}

impl FundOutcome {
    /// Whether the outcome is timing, not a break (in transit): it keeps its d, carries no
    /// 长款/短款 label and stays out of the long and short totals.
    pub fn is_timing(self) -> bool {
        self == FundOutcome::InTransit
    }

    /// Whether the outcome is a break (差错): open and neither timing nor merely not reconciled.
    pub fn is_break(self) -> bool {
        self.is_open() && !self.is_timing() && self != FundOutcome::NotReconciled
    }

    /// The label of an item's d with this outcome: none for timing and for what was not reconciled.
    pub fn label(self, d: Decimal) -> Option<crate::classify::Label> {
        if self.is_timing() || self == FundOutcome::NotReconciled {
            None
        } else {
            crate::classify::label(d)
        }
    }

    /// Whether the item is in a group ([`FundFlow::matches`]): matched, or paired with a difference.
    pub fn is_paired(self) -> bool {
        matches!(self, FundOutcome::Matched | FundOutcome::MatchedWithinTolerance | FundOutcome::AmountMismatch)
    }

    /// Whether the item is still open: listed, and (unless merely not reconciled) carried to the
    /// next run.
    pub fn is_open(self) -> bool {
        !matches!(self, FundOutcome::Matched | FundOutcome::MatchedWithinTolerance)
    }

    /// Whether an open item goes into the carry state: a debit not reconciled today (no payout
    /// instructions) is not carried, or a collections-only merchant would carry every debit forever.
    pub fn is_carried(self) -> bool {
        self.is_open() && self != FundOutcome::NotReconciled
    }
}

/// What the channel settles to one merchant on one settlement date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Batch {
    /// Stable id: `batch:{merchant}:{settle_date}`.
    pub id: String,
    /// The settling merchant (the sub-merchant of a service-provider bill).
    pub merchant: String,
    /// Its service provider, where the bill names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_provider: Option<String>,
    /// Settlement date by the T+N rule.
    pub settle_date: NaiveDate,
    /// Earliest trade date in the batch.
    pub trade_from: NaiveDate,
    /// Latest trade date in the batch.
    pub trade_to: NaiveDate,
    /// Sum of payments.
    pub gross: Decimal,
    /// Sum of refunds (positive).
    pub refunds: Decimal,
    /// Sum of fees as written.
    pub fees: Decimal,
    /// gross − refunds − fees, the fees' total half-up to the fen (WeChat writes five decimals a
    /// transaction and settles the rounded total): what should arrive.
    pub net: Decimal,
    /// Channel rows in the batch (not shown in reports).
    #[serde(skip)]
    pub rows: u32,
    /// First run that saw this batch, when it was carried in.
    pub carried_since: Option<NaiveDate>,
}

/// A bank movement as fund flow sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Movement {
    /// Stable id: `bank:{file}:{line}`.
    pub id: String,
    /// Statement file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// Booking date.
    pub date: NaiveDate,
    /// Time, when known.
    #[serde(skip)]
    pub time: Option<NaiveTime>,
    /// Signed amount: credit +, debit −.
    pub amount: Decimal,
    /// Merchant read from the memo.
    pub merchant: Option<String>,
    /// Counterparty name.
    pub counterparty: String,
    /// Counterparty account.
    pub counterparty_account: String,
    /// Memo (摘要 附言 用途).
    pub memo: String,
    /// Bank serial.
    pub serial: String,
    /// The amount in the transaction's currency, when a card export gives one beside the booked amount.
    pub transaction_amount: Option<Decimal>,
    /// The transaction's currency (交易币种), empty for a domestic movement.
    pub transaction_currency: String,
    /// First run that saw this movement, when it was carried in.
    pub carried_since: Option<NaiveDate>,
}

/// A payout instruction as fund flow sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PayoutItem {
    /// Stable id: `payout:{file}:{line}`.
    pub id: String,
    /// Instruction file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// The instruction.
    #[serde(flatten)]
    pub payout: Payout,
    /// First run that saw this instruction, when it was carried in.
    pub carried_since: Option<NaiveDate>,
}

/// Everything fund flow matches.
#[derive(Clone, Debug, Default)]
pub struct FundInput {
    /// Settlement batches.
    pub batches: Vec<Batch>,
    /// Bank movements (credits and debits).
    pub movements: Vec<Movement>,
    /// Payout instructions.
    pub payouts: Vec<PayoutItem>,
}

codes! {
    /// Settlement or payout.
    pub enum MatchKind {
        /// Channel settlements against bank credits.
        Settlement = ("settlement", "结算"),
        /// Payout instructions against bank debits.
        Payout = ("payout", "代付"),
    }
}

/// The end of the reconciliation day (日切) for bank movements: the same instant that makes a
/// transaction `cross_day`. A movement at or after it is the next day's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cutoff {
    /// The reconciliation date.
    pub date: NaiveDate,
    /// The instant: the profile's `cutoff` on the date, or on the next day when it is at or before
    /// noon (00:00, the default, is the midnight that ends the date).
    pub at: chrono::NaiveDateTime,
}

impl Cutoff {
    /// Whether a movement is the next day's: at or after the instant; a movement without a time,
    /// when its booking date is after the reconciliation date.
    pub fn is_after(&self, date: NaiveDate, time: Option<NaiveTime>) -> bool {
        match time {
            Some(time) => date.and_time(time) >= self.at,
            None => date > self.date,
        }
    }
}

/// A group of items paired together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundMatch {
    /// Settlement or payout.
    pub kind: MatchKind,
    /// `matched`, `matched_within_tolerance` or (a pair, open) `amount_mismatch`.
    pub outcome: FundOutcome,
    /// A pair's id (`pair:…`, from its items' ids): what the report lists and 差错处理 resolves.
    /// Empty for a group that is matched.
    pub id: String,
    /// Merchant.
    pub merchant: String,
    /// d = E − B: bank amount minus booked amount.
    pub d: Decimal,
    /// Indexes into [`FundInput::movements`].
    pub movements: Vec<usize>,
    /// Indexes into [`FundInput::batches`].
    pub batches: Vec<usize>,
    /// Indexes into [`FundInput::payouts`].
    pub payouts: Vec<usize>,
    /// Why these belong together, for a person.
    pub explanation: String,
}

/// The outcome of one item, with its discrepancy and age.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemResult {
    /// Outcome.
    pub outcome: FundOutcome,
    /// d = E − B.
    pub d: Decimal,
    /// Days since it was due (unmatched items), 0 when not due yet.
    pub age_days: Option<i64>,
    /// The match it belongs to.
    pub matched_in: Option<usize>,
    /// Why, for a person (empty for matched items: see the match's explanation).
    pub message: String,
}

/// The result of fund-flow matching: one [`ItemResult`] per batch, movement and payout.
#[derive(Clone, Debug, Default)]
pub struct FundFlow {
    /// The reconciliation date the ages are counted to.
    pub as_of: Option<NaiveDate>,
    /// The inputs, as matched.
    pub input: FundInput,
    /// One per batch.
    pub batch_results: Vec<ItemResult>,
    /// One per movement.
    pub movement_results: Vec<ItemResult>,
    /// One per payout.
    pub payout_results: Vec<ItemResult>,
    /// The paired groups, in the order they were found (deterministic).
    pub matches: Vec<FundMatch>,
    /// The run's subset-search budget ran out: some many-to-one matches may have been missed.
    pub search_budget_exhausted: bool,
    /// Movements at or after the cut-off: the next day's, not matched today, carried to the next run.
    pub later: Vec<Movement>,
}
