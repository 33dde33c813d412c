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
//! ```
//! use duizhang::{Input, InputKind, Profile, Reconciliation};
//!
//! let orders = "order_no,amount,status,created_at\nA1,10.00,SUCCESS,2024-03-15 10:00:00\n\
//!               A2,5.00,SUCCESS,2024-03-15 11:00:00\n";
//! let bill = "trade_no,order_no,amount,trade_type,trade_time\nT1,A1,10.00,SUCCESS,2024-03-15 10:00:05\n\
//!             T2,A2,4.00,SUCCESS,2024-03-15 11:00:03\n";
//! let mut run = Reconciliation::new(Profile::default());
//! run.add(Input::new(InputKind::Internal, "orders.csv", orders.as_bytes().to_vec()))?;
//! run.add(Input::new(InputKind::Channel, "bill.csv", bill.as_bytes().to_vec()))?;
//! let report = run.run(None)?;
//! assert_eq!(report.summary.counts.matched, 1);
//! assert_eq!(report.summary.counts.amount_mismatch, 1);
//! assert_eq!(report.exceptions[0].d.to_string(), "-1.00"); // 短款: the channel paid less
//! # Ok::<(), duizhang::Error>(())
//! ```
#![deny(missing_docs)]

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
    ClearingAmounts, ClearingClass, ClearingDay, ClearingException, ClearingLevel, ClearingReport, MerchantClearing,
};
pub use codes::{typescript_union, Code};
pub use error::{Error, ErrorCode, ErrorKind, Rejection, Result};
pub use format::Format;
pub use fund_flow::balance::{BalanceReport, BookBalance, ContinuityBreak, ReconciliationStatement};
pub use fund_flow::carry::{CarriedItem, CarriedKind, CarryState};
pub use fund_flow::{
    format_yuan, match_funds, Batch, FundFlow, FundInput, FundMatch, FundOutcome, ItemResult, MatchKind, Movement,
    PayoutItem,
};
pub use handling::{
    to_json_lines as audit_json_lines, verify_log, Action, Applied, AuditEntry, Domain, HandlingReport, ItemState,
    LogBreak, OpenItem, Resolution, ResolutionView, Subject,
};
pub use matching::{Item, Matching, RowRef};
pub use memo::MemoPattern;
pub use money::{amount_in_range, parse_amount, AmountError, Money, MAX_AMOUNT};
pub use profile::{Channel, ClearingSettings, FeeRounding, FundFlowSettings, KeyChoice, Profile, RateRule};
pub use read::{
    detect_side, Check, ColumnMap, Encoding, FileSource, IssueCode, ReadAt, RecordRef, RowIssue, SharedBytes,
    SideDetection, Source, Table,
};
pub use read::{
    BalanceCheck, BankEntry, DayTotals, Ledger, LedgerLine, Payout, PayoutFile, RunningBreak, Statement,
    StatementTotals,
};
pub use record::{Field, InputKind, ItemKind, Row, Side, Status};
pub use report::{
    row_view, Added, CarryInfo, ClearingSummary, Columns, DateSource, DocumentKind, DocumentLine, Documents, Exception,
    FileInfo, FundCounts, FundFlowReport, FundFlowSummary, FundItemKind, FundTotals, InputInfo, Inspection, ItemView,
    MatchView, MerchantTotals, MovementView, Page, PayoutView, Report, RowCounts, RowView, RowsPerSide, RunInfo,
    Summary, SummaryView,
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
