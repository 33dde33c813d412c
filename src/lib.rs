//! duizhang (对账): reconciles a merchant's orders against payment-channel bills, exactly, on the
//! merchant's own machine — natively or in a browser through WebAssembly.
//!
//! Data flows one way: read (bytes → normalized rows) → match (pairs by key) → classify (outcome
//! codes, d = E − B, 长款/短款) → fund flow (settlements against bank credits, balances) →
//! report (summary, exceptions, exports). The modules are private; this page is the surface.
//!
//! Files are read as downloaded: gzip and zip containers are opened, and each file's layout
//! ([`Format`]: WeChat, Alipay, UnionPay, bank statements, or any CSV through the alias table) is
//! detected from its content; the totals a bill states about itself are checked against its detail.
//! [`inspect`] shows what a file was read as without reconciling.
//!
//! The crate root is what a user calls: the run ([`Reconciliation`], [`reconcile`], [`inspect`],
//! [`detect_input`]), its inputs and settings ([`Input`], [`InputKind`], [`Source`], [`Profile`] and
//! its sections), the report and every type in it ([`Report`], [`Exception`], [`FundFlowReport`],
//! [`ClearingReport`], [`HandlingReport`], …), [`Error`] with its [`ErrorCode`], exact money
//! ([`Money`], [`parse_amount`]) and the codes with their Chinese names ([`Outcome`], [`IssueCode`],
//! [`Vocabulary`]). A bad row never stops a run: it becomes a [`RowIssue`] with file, line, column
//! and reason.
//!
//! A day of a platform, complete: the order export and the channel bill matched row by row, the
//! bill's settlement found on the bank statement, each exception read back with both rows, and the
//! exports.
//!
//! ```
//! use duizhang::{Input, InputKind, Outcome, Profile, Reconciliation};
//!
//! let orders = "order_no,amount,status,created_at\n\
//!               A1,1000.00,SUCCESS,2026-03-24 10:00:00\n\
//!               A2,500.00,SUCCESS,2026-03-24 11:00:00\n\
//!               A3,20.00,SUCCESS,2026-03-24 12:00:00\n";
//! let bill = "交易时间,商户号,商户订单号,交易状态,订单金额,手续费\n\
//!             2026-03-24 10:00:05,1230000109,A1,SUCCESS,1000.00,6.00\n\
//!             2026-03-24 11:00:03,1230000109,A2,SUCCESS,499.00,3.00\n";
//! let statement = "交易日期,借方发生额,贷方发生额,余额,摘要\n\
//!                  2026-03-25,,1490.00,11490.00,微信支付结算 商户号1230000109 20260324\n";
//! let mut run = Reconciliation::new(Profile::default());
//! run.add(Input::new(InputKind::Internal, "orders.csv", orders.as_bytes().to_vec()))?;
//! run.add(Input::new(InputKind::Channel, "bill.csv", bill.as_bytes().to_vec()))?;
//! run.add(Input::new(InputKind::Bank, "statement.csv", statement.as_bytes().to_vec()))?;
//! let report = run.run(Some(duizhang::parse_date("2026-03-25")?))?;
//!
//! // Row by row: one pair agrees, one was paid a yuan short (短款), one order has no payment.
//! let counts = &report.summary.counts;
//! assert_eq!((counts.matched, counts.amount_mismatch, counts.internal_only), (1, 1, 1));
//! let short = report.exceptions_of(Some(Outcome::AmountMismatch));
//! assert_eq!(short[0].d.to_string(), "-1.00");
//! assert_eq!(short[0].channel.as_ref().map(|row| row.line), Some(3));
//!
//! // The money arrived: the day's net settlement (1,490.00) is the bank's credit.
//! let flow = report.fund_flow.as_ref().expect("a bank statement was given");
//! assert_eq!((flow.matches.len(), flow.exceptions.len()), (1, 0));
//!
//! // Pages for a screen, and the exports, made inside the engine.
//! assert_eq!(report.exceptions_page(0, 1, None).rows.len(), 1);
//! assert!(String::from_utf8(report.exceptions_csv()).expect("UTF-8").contains("A3"));
//! assert!(report.to_json().starts_with('{'));
//! # Ok::<(), duizhang::Error>(())
//! ```
#![deny(missing_docs)]
// Every type the surface hands out can be named by its user (at the root or in `engine`).
#![deny(unnameable_types)]

mod classify;
mod clearing;
mod codes;
mod error;
mod format;
mod fund_flow;
mod handling;
mod id;
mod matching;
mod memo;
mod money;
mod profile;
mod read;
mod record;
mod report;
mod run;
mod sample;
mod sort;
mod time;
#[cfg(feature = "typescript")]
mod typescript;
mod vocabulary;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use classify::{label, Label, Outcome, PerOutcome};
pub use clearing::{
    ClearingAmounts, ClearingClass, ClearingDay, ClearingException, ClearingLevel, ClearingReport, LedgerCheck,
    MerchantClearing, PayoutRule,
};
pub use codes::Code;
pub use error::{Error, ErrorCode, ErrorKind, Rejection, Result};
pub use format::Format;
pub use fund_flow::balance::{
    BalanceReport, BankBalance, BookBalance, ContinuityBreak, LaterMovement, ReconciliationStatement,
};
pub use fund_flow::carry::{CarriedItem, CarriedKind, CarryState};
pub use fund_flow::{FundOutcome, MatchKind};
pub use handling::{
    to_json_lines as audit_json_lines, verify_log, verify_logs, Action, AuditEntry, Domain, HandlingReport, ItemState,
    LogBreak, OpenItem, Resolution, ResolutionView,
};

pub use memo::MemoPattern;
pub use money::{parse_amount, AmountError, Money, MAX_AMOUNT};
pub use profile::{
    Aliases, Channel, ClearingSettings, ColumnMapping, ColumnMappings, FeeRounding, FundFlowSettings, HandlingAccounts,
    KeyChoice, PairWithin, Profile, RateRule, StatusWords,
};
pub use read::{
    detect_input, Check, Encoding, FileSource, InputDetection, IssueCode, ReadAt, RowIssue, SharedBytes, Source,
    Undecided,
};
pub use read::{DayTotals, RunningBreak, StatementTotals};
pub use record::{Field, InputKind, ItemKind, Status};
pub use report::{
    Added, BatchView, Breakdown, CarryInfo, Cause, CauseKind, ClearingSummary, Columns, DateSource, DocumentKind,
    DocumentLine, Documents, Exception, FileInfo, FundCounts, FundFlowReport, FundFlowSummary, FundItemKind,
    FundTotals, InputInfo, Inspection, ItemView, MatchView, MerchantTotals, MovementView, Page, PayoutView, Report,
    RowCounts, RowView, RowsPerSide, RunInfo, Summary, SummaryView,
};
pub use run::{inspect, reconcile, Input, Phase, ProgressHook, Reconciliation, RunOptions};
pub use sample::{
    SampleFile, SAMPLE_DAY, SAMPLE_FUND_FLOW, SAMPLE_FUND_FLOW_DATE, SAMPLE_FUND_FLOW_PROFILE, SAMPLE_PROFILE,
};
pub use time::{format_datetime, parse_date};
/// The TypeScript declarations of the Wasm API, generated from these types (`typescript` feature).
#[cfg(feature = "typescript")]
pub use typescript::declarations as typescript_declarations;
pub use vocabulary::{Term, Vocabulary};

/// The engine below the run API: what [`Reconciliation`]'s lower-level accessors hand out
/// ([`Reconciliation::tables`], [`Reconciliation::matching`], [`Reconciliation::fund_flow`]) and what
/// the tests, benches and fuzz targets reach into. Not a stable surface: it follows the engine.
#[doc(hidden)]
pub mod engine {
    pub use crate::fund_flow::{match_funds, Batch, FundFlow, FundInput, FundMatch, ItemResult, Movement, PayoutItem};
    pub use crate::handling::{Applied, Subject};
    pub use crate::matching::{Item, Matching, RowRef};
    pub use crate::money::Sum;
    pub use crate::read::csv::{FieldRange, Record, Scanner};
    pub use crate::read::{BalanceCheck, BankEntry, Payout, PayoutFile, Statement, SubLedger, SubLedgerLine};
    pub use crate::read::{ColumnMap, RecordRef, SkippedKey, Table};
    pub use crate::record::{Row, Side};
    pub use crate::report::row_view;
}
