//! Fund flow (资金流, 资金对账): the channel's settlement batches against the bank's credits, payout
//! instructions against the bank's debits, and the balances (账实核对, see [`balance`]).
//!
//! Batches are built per merchant per settlement date (net = gross − refunds − fees), the merchant of
//! a credit is read from its memo ([`memo`]), and each merchant's batches and credits are matched in
//! five deterministic passes: one to one within the window; several batches to one credit
//! (consecutive days first, then a bounded subset search); one batch to several credits (split
//! transfers, a short payment and its make-up); one to one late (补款 within window + grace); and
//! last, what plainly belongs together but differs pairs as `amount_mismatch` ([`pairing`]). What
//! is left is `in_transit` within the grace period, a break after it. Items carried from an earlier run
//! ([`carry`]) take part like new ones, so a credit two days late clears yesterday's open batch.
//!
//! ```
//! use duizhang::{Input, InputKind, Profile, Reconciliation};
//!
//! let bill = "交易时间,商户号,商户订单号,交易状态,订单金额,手续费\n\
//!             2026-03-23 10:00:00,1230000109,S1,SUCCESS,1000.00,6.00\n\
//!             2026-03-24 11:00:00,1230000109,S2,SUCCESS,500.00,3.00\n";
//! let statement = "交易日期,借方发生额,贷方发生额,余额,摘要\n\
//!                  2026-03-25,,1491.00,11491.00,微信支付结算 商户号1230000109 20260324\n";
//! let mut run = Reconciliation::new(Profile::default());
//! run.add(Input::new(InputKind::Channel, "bill.csv", bill.as_bytes().to_vec()))?;
//! run.add(Input::new(InputKind::Bank, "statement.csv", statement.as_bytes().to_vec()))?;
//! run.set_book_balance(Some("11491.00".parse().expect("amount")))?;
//! let report = run.run(Some(duizhang::parse_date("2026-03-25")?))?;
//! let flow = report.fund_flow.as_ref().expect("bank input was given");
//! assert_eq!(
//!     flow.matches[0].explanation,
//!     "credit 2026-03-25 ¥1,491.00 = settlements of 03-24 + 03-25 for merchant 1230000109"
//! );
//! let statement = report.balance.as_ref().and_then(|b| b.statement.as_ref()).expect("余额调节表");
//! assert_eq!(statement.difference.to_string(), "0.00");
//! # Ok::<(), duizhang::Error>(())
//! ```

mod assemble;
pub(crate) mod balance;
pub(crate) mod carry;
pub(crate) mod explain;
mod ids;
mod matcher;
mod model;
pub(crate) mod overlap;
mod pairing;
mod search;

pub use assemble::{assemble, batches_from_tables, BatchVisitor, Batched};
pub use matcher::match_funds;
pub use model::{
    Batch, Cutoff, FundFlow, FundInput, FundMatch, FundOutcome, ItemResult, MatchKind, Movement, PayoutItem,
};
