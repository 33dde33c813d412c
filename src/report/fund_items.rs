//! The fund-flow items as the report shows them: bank movements, payout instructions, settlement
//! batches, the groups they were matched or paired in (with the breakdown of a difference) and the
//! open items.

use crate::classify::Label;
use crate::codes::codes;
use crate::fund_flow::{Batch, FundInput, FundMatch, FundOutcome, ItemResult, MatchKind, Movement};
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

codes! {
    /// What an open fund-flow item is.
    pub enum FundItemKind {
        /// A settlement batch.
        Batch = ("batch", "结算批次"),
        /// A bank credit.
        Credit = ("credit", "银行入账"),
        /// A bank debit.
        Debit = ("debit", "银行出账"),
        /// A payout instruction.
        Payout = ("payout", "代付"),
        /// A credit and the settlement(s) it pairs with, their amounts differing (金额不符).
        Pair = ("pair", "金额不符配对"),
    }
}

/// A bank movement, for display.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct MovementView {
    /// Stable id.
    pub id: String,
    /// Statement file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// Booking date.
    pub date: NaiveDate,
    /// Signed amount.
    pub amount: Money,
    /// Merchant from the memo.
    pub merchant: Option<String>,
    /// Counterparty name.
    pub counterparty: String,
    /// Memo.
    pub memo: String,
    /// The amount in the transaction's currency (a card export's 交易金额), only when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub transaction_amount: Option<Money>,
    /// The transaction's currency (交易币种), only when the statement has one.
    #[serde(skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<String>", optional))]
    pub transaction_currency: String,
    /// First run that saw it, when carried.
    pub carried_since: Option<NaiveDate>,
}

/// A payout instruction, for display: its id and file, then the instruction's own fields.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PayoutView {
    /// Stable id.
    pub id: String,
    /// File.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// Merchant paid.
    pub merchant: String,
    /// Amount paid out.
    pub amount: Money,
    /// Beneficiary account.
    pub account: String,
    /// Instruction reference.
    pub reference: String,
    /// Date of the instruction.
    pub date: NaiveDate,
}

impl MovementView {
    pub(super) fn of(m: &Movement) -> MovementView {
        MovementView {
            id: m.id.clone(),
            file: m.file.clone(),
            line: m.line,
            date: m.date,
            amount: Money(m.amount),
            merchant: m.merchant.clone(),
            counterparty: m.counterparty.clone(),
            memo: m.memo.clone(),
            transaction_amount: m.transaction_amount.map(Money),
            transaction_currency: m.transaction_currency.clone(),
            carried_since: m.carried_since,
        }
    }
}

impl PayoutView {
    pub(super) fn of(p: &crate::fund_flow::PayoutItem) -> PayoutView {
        let payout = &p.payout;
        PayoutView {
            id: p.id.clone(),
            file: p.file.clone(),
            line: payout.line,
            merchant: payout.merchant.clone(),
            amount: Money(payout.amount),
            account: payout.account.clone(),
            reference: payout.reference.clone(),
            date: payout.date,
        }
    }
}

/// What the channel settles to one merchant on one settlement date, for display.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct BatchView {
    /// Stable id.
    pub id: String,
    /// The settling merchant (a service-provider bill's sub-merchant).
    pub merchant: String,
    /// Its service provider, where the bill names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub service_provider: Option<String>,
    /// Settlement date.
    pub settle_date: NaiveDate,
    /// Earliest trade date.
    pub trade_from: NaiveDate,
    /// Latest trade date.
    pub trade_to: NaiveDate,
    /// Sum of payments.
    pub gross: Money,
    /// Sum of refunds (positive).
    pub refunds: Money,
    /// Sum of fees as written.
    pub fees: Money,
    /// gross − refunds − fees.
    pub net: Money,
    /// First run that saw the batch, when it was carried in.
    pub carried_since: Option<NaiveDate>,
}

impl BatchView {
    pub(super) fn of(b: &Batch) -> BatchView {
        BatchView {
            id: b.id.clone(),
            merchant: b.merchant.clone(),
            service_provider: b.service_provider.clone(),
            settle_date: b.settle_date,
            trade_from: b.trade_from,
            trade_to: b.trade_to,
            gross: Money(b.gross),
            refunds: Money(b.refunds),
            fees: Money(b.fees),
            net: Money(b.net),
            carried_since: b.carried_since,
        }
    }
}

/// One paired group.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct MatchView {
    /// `settlement` or `payout`.
    pub kind: MatchKind,
    /// `matched` or `matched_within_tolerance`.
    pub outcome: FundOutcome,
    /// Merchant.
    pub merchant: String,
    /// The merchant's service provider, where its settlements' bill names one (服务商 / ISV).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub service_provider: Option<String>,
    /// d = bank − booked.
    pub d: Money,
    /// 长款 / 短款 / null.
    pub label: Option<Label>,
    /// The credit (or debit), when the group has exactly one bank movement.
    pub credit: Option<MovementView>,
    /// Every bank movement of the group (several for a split transfer).
    pub credits: Vec<MovementView>,
    /// The settlement batches.
    pub batches: Vec<BatchView>,
    /// The payout instructions.
    pub payouts: Vec<PayoutView>,
    /// Why they belong together.
    pub explanation: String,
    /// Where d comes from, for a settlement group whose d is not zero (a pair, or a match within
    /// tolerance).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub breakdown: Option<Breakdown>,
}

impl MatchView {
    /// The ids of the group's items: settlements, bank movements, payout instructions.
    pub fn item_ids(&self) -> impl Iterator<Item = &str> {
        let batches = self.batches.iter().map(|b| b.id.as_str());
        batches.chain(self.credits.iter().map(|c| c.id.as_str())).chain(self.payouts.iter().map(|p| p.id.as_str()))
    }

    /// The view of a group of `input`.
    pub(super) fn of(input: &FundInput, g: &FundMatch) -> MatchView {
        let credits: Vec<MovementView> = g.movements.iter().map(|&m| MovementView::of(&input.movements[m])).collect();
        MatchView {
            kind: g.kind,
            outcome: g.outcome,
            merchant: g.merchant.clone(),
            service_provider: g.batches.iter().find_map(|&b| input.batches[b].service_provider.clone()),
            d: Money(g.d),
            label: g.outcome.label(g.d),
            credit: (credits.len() == 1).then(|| credits[0].clone()),
            credits,
            batches: g.batches.iter().map(|&b| BatchView::of(&input.batches[b])).collect(),
            payouts: g
                .payouts
                .iter()
                .map(|&p| {
                    let p = &input.payouts[p];
                    PayoutView::of(p)
                })
                .collect(),
            explanation: g.explanation.clone(),
            breakdown: (g.kind == MatchKind::Settlement && !g.d.is_zero()).then(|| {
                let sum = |f: fn(&Batch) -> Decimal| Money(g.batches.iter().map(|&b| f(&input.batches[b])).sum());
                Breakdown {
                    gross: sum(|b| b.gross),
                    refunds: sum(|b| b.refunds),
                    // As settled: a WeChat bill's five-decimal fees total rounded to the fen, as in net.
                    fees: sum(|b| b.gross - b.refunds - b.net),
                    expected: sum(|b| b.net),
                    credited: Money(g.movements.iter().map(|&m| input.movements[m].amount).sum()),
                    d: Money(g.d),
                    causes: Vec::new(),
                    explained: Money(Decimal::ZERO),
                    unexplained: Money(g.d),
                }
            }),
        }
    }
}

/// What a settlement group was expected to bring and what it brought: expected = gross − refunds −
/// fees of its settlements, d = credited − expected.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Breakdown {
    /// Sum of the settlements' payments.
    pub gross: Money,
    /// Sum of their refunds (positive).
    pub refunds: Money,
    /// Sum of their fees as settled (gross − refunds − net: a bill's five-decimal fees rounded to
    /// the fen as the channel settles them).
    pub fees: Money,
    /// Sum of their nets: what should have arrived.
    pub expected: Money,
    /// What the bank credited.
    pub credited: Money,
    /// credited − expected (短款 < 0, 长款 > 0).
    pub d: Money,
    /// What the files suggest as causes, each with its amount (`report/causes.rs`).
    pub causes: Vec<Cause>,
    /// The part of d the causes marked `explains` account for.
    pub explained: Money,
    /// d − explained: what no cause explains.
    pub unexplained: Money,
}

/// An item that is not matched (or a zero-net batch): what it is, its outcome, d and age.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ItemView {
    /// Stable id (the same in the carry state).
    pub id: String,
    /// `batch`, `credit`, `debit` or `payout`.
    pub kind: FundItemKind,
    /// Outcome code.
    pub outcome: FundOutcome,
    /// Chinese name of the outcome.
    pub outcome_zh: &'static str,
    /// Merchant, when known.
    pub merchant: String,
    /// A settlement's service provider, where its bill names one (服务商 / ISV); carried with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub service_provider: Option<String>,
    /// Settlement, booking or instruction date.
    pub date: NaiveDate,
    /// Net, signed bank amount, or amount paid out.
    pub amount: Money,
    /// d = E − B.
    pub d: Money,
    /// 长款 / 短款 / null.
    pub label: Option<Label>,
    /// Days since due.
    pub age_days: Option<i64>,
    /// First run that saw it, when carried.
    pub carried_since: Option<NaiveDate>,
    /// Source file, when it has one.
    pub file: String,
    /// 1-based line, 0 for batches.
    pub line: u32,
    /// Bank memo (movements).
    pub memo: String,
    /// Why, for a person.
    pub message: String,
    /// Where it stands in 差错处理.
    pub state: crate::handling::ItemState,
    /// Its last resolution, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub resolution: Option<crate::handling::ResolutionView>,
    /// A pair's credit, settlements, d and explanation (kind `pair` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub pair: Option<Box<MatchView>>,
}

impl ItemView {
    /// An open item's view with what every kind has; file, line, memo and the carried date empty.
    pub(super) fn open(
        id: &str,
        kind: FundItemKind,
        r: &ItemResult,
        merchant: String,
        date: NaiveDate,
        amount: Decimal,
    ) -> ItemView {
        ItemView {
            id: id.to_string(),
            kind,
            outcome: r.outcome,
            outcome_zh: r.outcome.name_zh(),
            merchant,
            service_provider: None,
            date,
            amount: Money(amount),
            d: Money(r.d),
            label: r.outcome.label(r.d),
            age_days: r.age_days,
            carried_since: None,
            file: String::new(),
            line: 0,
            memo: String::new(),
            message: r.message.clone(),
            state: crate::handling::ItemState::Open,
            resolution: None,
            pair: None,
        }
    }
}

codes! {
    /// What may explain a settlement group's difference.
    pub enum CauseKind {
        /// The bill's fees differ from the contracted rates (费率不符).
        FeeRate = ("fee_rate", "手续费费率不符"),
        /// A refund deducted on another day than the bill lists it (退款跨日扣除).
        RefundOtherDay = ("refund_other_day", "退款跨日扣除"),
        /// A make-up (补款) for an earlier shortfall included in the credit.
        MakeUp = ("make_up", "含补款"),
        /// Rounding at settlement: at most 0.01 per transaction (结算舍入).
        Rounding = ("rounding", "结算舍入"),
    }
}

/// One candidate cause of a difference.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Cause {
    /// What it is.
    pub kind: CauseKind,
    /// Its Chinese name.
    pub kind_zh: &'static str,
    /// The d it accounts for (credited − expected).
    pub amount: Money,
    /// Whether it is part of the explained amount.
    pub explains: bool,
    /// What in the files supports it, for a person.
    pub detail: String,
}
