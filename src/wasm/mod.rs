//! The only room that knows JavaScript. Every export is a few lines: convert, call the core,
//! convert back. Files come in as bytes (one copy into Wasm memory); state stays behind an opaque
//! handle; results leave as small JSON-shaped objects, pages, or export bytes.

mod error;
mod source;

use crate::classify::Outcome;
use crate::record::Side;
use crate::report::{FileInfo, Report};
use crate::{parse_date, Error, ErrorKind, Profile};
use error::to_js;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A side of the reconciliation: the merchant's own records, or the channel's bill. */
export type Side = "internal" | "channel";
/** What `addFile` also accepts: a bank statement, payout instructions, a merchant sub-ledger, a carry state. */
export type FundSide = "bank" | "payouts" | "book" | "carry";
/** Fund-flow outcome codes (see DOMAIN.md). */
export type FundOutcome = "matched" | "matched_within_tolerance" | "in_transit" | "internal_only"
  | "external_only" | "unexplained_movement";
export interface FundInputInfo {
  side: "bank" | "payouts" | "book"; name: string; encoding: string | null; header_line: number | null;
  header: string[]; columns: Record<string, string>; rows: number; issues: number;
  /** A statement's total row checked against its movements (empty for payouts and sub-ledgers). */
  checks: Check[];
}
export interface CarryInfo { side: "carry"; name: string; as_of: string | null; items: number }
export interface BatchView {
  id: string; merchant: string; settle_date: string; trade_from: string; trade_to: string;
  gross: Money; refunds: Money; fees: Money; net: Money; carried_since: string | null;
}
export interface MovementView {
  id: string; file: string; line: number; date: string; amount: Money; merchant: string | null;
  counterparty: string; memo: string; carried_since: string | null;
}
export interface PayoutView {
  id: string; file: string; line: number; merchant: string; amount: Money; account: string; reference: string; date: string;
}
export interface FundMatch {
  kind: "settlement" | "payout"; outcome: FundOutcome; merchant: string; d: Money; label: "长款" | "短款" | null;
  credit: MovementView | null; credits: MovementView[]; batches: BatchView[]; payouts: PayoutView[]; explanation: string;
}
export interface FundItem {
  id: string; kind: "batch" | "credit" | "debit" | "payout"; outcome: FundOutcome; outcome_zh: string;
  merchant: string; date: string; amount: Money; d: Money; label: "长款" | "短款" | null; age_days: number | null;
  carried_since: string | null; file: string; line: number; memo: string; message: string;
}
export interface MerchantTotals {
  merchant: string; batches: number; settled: Money; credited: Money; matched: Money; in_transit: Money;
  internal_only: Money; external_only: Money;
}
export interface BalanceReport {
  running_breaks: { file: string; line: number; expected: Money; found: Money; missing: Money }[];
  statements: { file: string; account: string | null; first_date: string | null; last_date: string | null; opening: Money | null;
    credits: Money; debits: Money; closing: Money | null; consistent: boolean; checks: Check[];
    days: { date: string; opening: Money | null; credits: Money; debits: Money; closing: Money | null; consistent: boolean }[] }[];
  continuity_breaks: { file: string; previous_file: string; expected: Money; found: Money; missing: Money }[];
  statement: {
    book_balance: Money; book_source: string; bank_balance: Money; bank_received_not_booked: Money;
    bank_paid_not_booked: Money; booked_received_not_at_bank: Money; booked_paid_not_at_bank: Money;
    adjusted_book: Money; adjusted_bank: Money; difference: Money; outcome: "matched" | "balance_break";
    label: "长款" | "短款" | null;
  } | null;
}
export interface FundFlowSummary {
  as_of: string | null; settings: Record<string, string>;
  counts: Record<FundOutcome | "balance_break", number>; items: { batches: number; movements: number; payouts: number };
  unbatched_channel_rows: number; match_count: number; exception_count: number;
  unexplained_movements: FundItem[]; merchants: MerchantTotals[]; carried_out: number;
  search_budget_exhausted: boolean; balance: BalanceReport | null;
}
/** Outcome codes (see DOMAIN.md). */
export type Outcome = "matched" | "matched_within_tolerance" | "amount_mismatch" | "status_mismatch"
  | "internal_only" | "external_only" | "duplicate" | "pending";
/** Money is always a decimal string, never a number. */
export type Money = string;
/** Statement layouts, detected from content or forced by the profile's `format`. */
export type Format = "generic_csv" | "wechat_trade" | "wechat_fund_flow" | "alipay_trade" | "alipay_summary"
  | "alipay_account_flow" | "unionpay_zm" | "bank_statement";
/** A total the file states about itself, checked against its detail. */
export interface Check { name: string; expected: string; found: string; passed: boolean }
export interface FileInfo {
  side: Side; name: string; encoding: string; delimiter: string; header_line: number;
  header: string[]; columns: Record<string, string>; rows: number; skipped: number;
  format: Format; variant: string; checks: Check[];
}
/** What `inspect` says about one file (one per file inside an archive). */
export interface Inspection {
  name: string; format: Format; variant: string; encoding: string; rows: number; skipped: number;
  issues: RowIssue[]; checks: Check[];
}
export interface RowCounts { read: number; reconciled: number; skipped: number }
export interface Summary {
  date: string | null; date_source: "input" | "inferred" | "none"; cutoff: string | null;
  files: FileInfo[]; counts: Record<Outcome, number>; amounts: Record<Outcome, Money>;
  long_total: Money; short_total: Money; cross_day: number;
  rows: { internal: RowCounts; channel: RowCounts }; issue_count: number; exception_count: number;
}
export interface RowView {
  file: string; line: number; order_no: string; trade_no: string; refund_no: string; merchant_id: string;
  amount: Money; fee: Money | null; status: "success" | "refund" | "closed" | "pending"; status_word: string;
  time: string | null; columns: Record<string, string>;
}
export interface Exception {
  class: Outcome; class_zh: string; key: string; key_field: "order_no" | "trade_no" | "refund_no";
  d: Money; label: "长款" | "短款" | null; cross_day: boolean; message: string;
  internal: RowView | null; channel: RowView | null;
}
export interface RowIssue {
  file: string; side: Side; line: number | null; column: number | null; code: string; message: string;
}
export interface Page<T> { total: number; offset: number; rows: T[] }
export interface SampleFile { side: Side; name: string; bytes: Uint8Array }
/** The built-in fund-flow sample: its files (give each to `addFile(side, name, bytes)`), profile and date. */
export interface FundFlowSample {
  files: { side: Side | "bank" | "payouts" | "book"; name: string; bytes: Uint8Array }[];
  profile: string; date: string;
}
/**
 * What `detectSide` says a file is, from its first bytes: `side` the input it belongs to (null when
 * the content does not decide), `format` the layout that claimed it, `order_table` true for a plain
 * table of orders (an order export or a simple channel bill: only the name can tell), `why` the
 * reason content did not decide (`spreadsheet`, `container`, `not_text`, `no_header`).
 */
export interface SideDetection {
  side: "channel" | "bank" | "payouts" | "book" | "carry" | null; format: Format | null;
  order_table: boolean; why: "spreadsheet" | "container" | "not_text" | "no_header" | null;
}
/** Every error thrown by this module is an Error with these fields. */
export interface DuizhangError extends Error { code: string; file?: string; line?: number; column?: number }
"#;

/// The version of the engine.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The built-in sample day's files (embedded: no request is made).
#[wasm_bindgen(js_name = sampleDay, unchecked_return_type = "SampleFile[]")]
pub fn sample_day() -> Result<JsValue, JsValue> {
    Ok(sample_files(&crate::sample::SAMPLE_DAY)?.into())
}

/// Embedded sample files as `{side, name, bytes}` objects.
fn sample_files(samples: &[crate::sample::SampleFile]) -> Result<js_sys::Array, JsValue> {
    let files = js_sys::Array::new();
    for sample in samples {
        let file = js_sys::Object::new();
        js_sys::Reflect::set(&file, &"side".into(), &sample.side.name().into())?;
        js_sys::Reflect::set(&file, &"name".into(), &sample.name.into())?;
        js_sys::Reflect::set(&file, &"bytes".into(), &js_sys::Uint8Array::from(sample.bytes))?;
        files.push(&file);
    }
    Ok(files)
}

/// The built-in fund-flow sample (embedded: no request is made): `{files, profile, date}`, each file
/// with its side (`channel`, `bank`, `payouts`, `book`), to be read with `addFile` and run on `date`.
#[wasm_bindgen(js_name = sampleFundFlow, unchecked_return_type = "FundFlowSample")]
pub fn sample_fund_flow() -> Result<JsValue, JsValue> {
    let files = sample_files(&crate::sample::SAMPLE_FUND_FLOW)?;
    let sample = js_sys::Object::new();
    js_sys::Reflect::set(&sample, &"files".into(), &files)?;
    js_sys::Reflect::set(&sample, &"profile".into(), &crate::sample::SAMPLE_FUND_FLOW_PROFILE.into())?;
    js_sys::Reflect::set(&sample, &"date".into(), &crate::sample::SAMPLE_FUND_FLOW_DATE.into())?;
    Ok(sample.into())
}

/// Reads one file on its own, without reconciling, and says what it was read as: an `Inspection`,
/// or an array of them when the file is an archive holding several (the same JSON as
/// `duizhang inspect FILE`). `profileJson` may force a `format`. Throws a coded Error if unusable.
#[wasm_bindgen(unchecked_return_type = "Inspection | Inspection[]")]
pub fn inspect(
    name: &str,
    bytes: Vec<u8>,
    #[wasm_bindgen(js_name = profileJson)] profile_json: Option<String>,
) -> Result<JsValue, JsValue> {
    let profile = match profile_json {
        Some(json) => Profile::from_json(&json).map_err(to_js)?,
        None => Profile::default(),
    };
    let inspections = crate::inspect(name, bytes, &profile).map_err(to_js)?;
    let json = match inspections.as_slice() {
        [single] => serde_json::to_string(single),
        several => serde_json::to_string(several),
    };
    parse_json(&json.unwrap_or_default())
}

/// Which input of a run a file is, from its first bytes (the whole file or a head of it, e.g. the
/// first 64 KiB; a head may end anywhere): what the page's drop zone routes files by. Never throws.
#[wasm_bindgen(js_name = detectSide, unchecked_return_type = "SideDetection")]
pub fn detect_side(head: &[u8]) -> Result<JsValue, JsValue> {
    parse_json(&crate::read::side::detect_side(head).to_json())
}

/// The built-in sample day's profile JSON.
#[wasm_bindgen(js_name = sampleProfile)]
pub fn sample_profile() -> String {
    crate::sample::SAMPLE_PROFILE.to_string()
}

/// The `FileInfo` of the first table an input produced (an archive yields several).
fn first_file_info(tables: &[crate::Table]) -> Result<JsValue, JsValue> {
    let first = tables.first().map(FileInfo::of);
    parse_json(&serde_json::to_string(&first).unwrap_or_default())
}

fn parse_format(format: Option<String>) -> Result<Option<crate::Format>, JsValue> {
    match format.as_deref() {
        None | Some("") => Ok(None),
        Some(code) => crate::Format::from_code(code).map(Some).ok_or_else(|| {
            let known = crate::Format::ALL.map(crate::Format::code).join(", ");
            to_js(Error::new(ErrorKind::InvalidArgument, format!("format {code:?} is not one of {known}")))
        }),
    }
}

fn parse_json(json: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(json)
}

/// A reconciliation run kept in Wasm memory. Call `free()` when done.
#[wasm_bindgen]
pub struct Reconciliation {
    inner: crate::Reconciliation,
}

#[wasm_bindgen]
impl Reconciliation {
    /// A new run; `profileJson` overrides columns, key, tolerance, cut-off and status words.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(js_name = profileJson)] profile_json: Option<String>) -> Result<Reconciliation, JsValue> {
        let profile = match profile_json {
            Some(json) => Profile::from_json(&json).map_err(to_js)?,
            None => Profile::default(),
        };
        Ok(Reconciliation { inner: crate::Reconciliation::new(profile) })
    }

    /// Calls `callback(phase, done, total)` every few milliseconds of work inside `addFile()`
    /// (phase `read`, bytes) and `run()` (phases `match`, steps, then `report`, exceptions). The calls are synchronous, but
    /// a worker can still `postMessage` from the callback, so the page sees live progress. When the
    /// callback returns `false` the call stops with an Error whose code is `cancelled`.
    #[wasm_bindgen(js_name = setProgress)]
    pub fn set_progress(
        &mut self,
        #[wasm_bindgen(
            unchecked_param_type = "(phase: \"read\" | \"match\" | \"report\", done: number, total: number) => boolean | void"
        )]
        callback: js_sys::Function,
    ) {
        self.inner.set_progress(Box::new(move |phase, done, total| {
            let args = (&phase.name().into(), &(done as f64).into(), &(total as f64).into());
            // Only an explicit `false` stops the run; an exception in the callback is ignored.
            !matches!(callback.call3(&JsValue::NULL, args.0, args.1, args.2), Ok(v) if v == JsValue::FALSE)
        }));
    }

    /// Reads one file. Throws a coded Error if unusable. `bytes` is a `Uint8Array` (or an
    /// `ArrayBuffer`), or in a worker a `Blob`/`File`: it is read where it is, in chunks, and
    /// never copied whole into Wasm memory; the records a report shows are read from it again,
    /// so it must not change until the run is done (a changed one is an `io` error, not a wrong
    /// report). `side` is `internal` or `channel` (a CSV, a `.gz`, or a `.zip` whose every file
    /// becomes a table: the first table's `FileInfo` is returned, `files()` lists all), or for
    /// fund flow `bank`, `payouts`, `book` (a sub-ledger) or `carry` (the state file of the
    /// previous run), which are small and read whole. `format` (a `Format` code) reads a channel
    /// file as that layout instead of detecting it.
    #[wasm_bindgen(js_name = addFile, unchecked_return_type = "FileInfo | FundInputInfo | CarryInfo")]
    pub fn add_file(
        &mut self,
        side: &str,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | Blob")] bytes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Format")] format: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let source = source::source_of(&bytes, name).map_err(to_js)?;
        if side == "carry" {
            let bytes = source.into_bytes(name).map_err(to_js)?;
            let state = self.inner.set_carry_in(name, &bytes).map_err(to_js)?;
            let info =
                serde_json::json!({"side": "carry", "name": name, "as_of": state.as_of, "items": state.items.len()});
            return parse_json(&info.to_string());
        }
        let side = Side::from_name(side).ok_or_else(|| {
            let message = format!("side {side:?} is not internal, channel, bank, payouts, book or carry");
            to_js(Error::new(ErrorKind::InvalidArgument, message))
        })?;
        if !matches!(side, Side::Internal | Side::Channel) {
            let info = self.inner.add_fund_file(side, name, source).map_err(to_js)?;
            return parse_json(&serde_json::to_string(&info).unwrap_or_default());
        }
        let format = parse_format(format)?;
        let tables = self.inner.add_file_as(side, name, source, format).map_err(to_js)?;
        first_file_info(tables)
    }

    /// Every file read so far, one `FileInfo` per table (an archive adds several), in reading order.
    #[wasm_bindgen(unchecked_return_type = "FileInfo[]")]
    pub fn files(&self) -> Result<JsValue, JsValue> {
        let files: Vec<FileInfo> = self.inner.tables().iter().map(FileInfo::of).collect();
        parse_json(&serde_json::to_string(&files).unwrap_or_default())
    }

    /// Matches the files read so far; `date` is `YYYY-MM-DD` (omitted: the most common order date).
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn run(&mut self, date: Option<String>) -> Result<JsValue, JsValue> {
        let date = date.as_deref().map(parse_date).transpose().map_err(to_js)?;
        // Exceptions are built a page at a time (exceptions()), or all for an export.
        let report = self.inner.run_without_exceptions(date).map_err(to_js)?;
        parse_json(&report.summary_json())
    }

    /// The summary of the last run.
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        parse_json(&self.report()?.summary_json())
    }

    /// One page of exceptions, optionally of one outcome.
    #[wasm_bindgen(unchecked_return_type = "Page<Exception>")]
    pub fn exceptions(&self, offset: u32, limit: u32, outcome: Option<String>) -> Result<JsValue, JsValue> {
        let outcome =
            match outcome.as_deref() {
                None | Some("") => None,
                Some(code) => Some(Outcome::from_code(code).ok_or_else(|| {
                    to_js(Error::new(ErrorKind::InvalidArgument, format!("unknown outcome {code:?}")))
                })?),
            };
        self.report()?;
        parse_json(&self.inner.exceptions_page_json(offset as usize, limit as usize, outcome).map_err(to_js)?)
    }

    /// One page of row issues.
    #[wasm_bindgen(unchecked_return_type = "Page<RowIssue>")]
    pub fn issues(&self, offset: u32, limit: u32) -> Result<JsValue, JsValue> {
        parse_json(&self.report()?.issues_page_json(offset as usize, limit as usize))
    }

    /// The whole report as JSON text: the same bytes as the CLI prints.
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&mut self) -> Result<String, JsValue> {
        Ok(self.complete_report()?.to_json())
    }

    /// The exceptions as CSV (UTF-8 with BOM, for Excel).
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&mut self) -> Result<Vec<u8>, JsValue> {
        Ok(self.complete_report()?.exceptions_csv())
    }

    /// The whole report as UTF-8 JSON bytes.
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&mut self) -> Result<Vec<u8>, JsValue> {
        Ok(self.complete_report()?.to_json().into_bytes())
    }
}

#[wasm_bindgen]
impl Reconciliation {
    /// Sets the platform's book balance for the 余额调节表 (a decimal string); `undefined` clears it.
    #[wasm_bindgen(js_name = setBookBalance)]
    pub fn set_book_balance(&mut self, amount: Option<String>) -> Result<(), JsValue> {
        let amount = match amount.as_deref() {
            None | Some("") => None,
            Some(text) => Some(crate::money::parse_amount(text).map_err(|e| {
                to_js(Error::new(ErrorKind::InvalidArgument, format!("book balance {text:?}: {}", e.reason())))
            })?),
        };
        self.inner.set_book_balance(amount).map_err(to_js)
    }

    /// The fund-flow summary of the last run (with the balance section); `null` without bank input.
    #[wasm_bindgen(js_name = fundFlow, unchecked_return_type = "FundFlowSummary | null")]
    pub fn fund_flow(&self) -> Result<JsValue, JsValue> {
        let report = self.report()?;
        match &report.fund_flow {
            Some(flow) => parse_json(&flow.summary_json(report.balance.as_ref())),
            None => Ok(JsValue::NULL),
        }
    }

    /// One page of fund-flow matches, each with its explanation.
    #[wasm_bindgen(js_name = fundFlowMatches, unchecked_return_type = "Page<FundMatch>")]
    pub fn fund_flow_matches(&self, offset: u32, limit: u32) -> Result<JsValue, JsValue> {
        parse_json(&self.fund_flow_report()?.matches_page_json(offset as usize, limit as usize))
    }

    /// One page of open fund-flow items (in transit, breaks, unexplained), optionally of one outcome.
    #[wasm_bindgen(js_name = fundFlowExceptions, unchecked_return_type = "Page<FundItem>")]
    pub fn fund_flow_exceptions(&self, offset: u32, limit: u32, outcome: Option<String>) -> Result<JsValue, JsValue> {
        let outcome = match outcome.as_deref() {
            None | Some("") => None,
            Some(code) => Some(crate::fund_flow::FundOutcome::from_code(code).ok_or_else(|| {
                to_js(Error::new(ErrorKind::InvalidArgument, format!("unknown fund-flow outcome {code:?}")))
            })?),
        };
        parse_json(&self.fund_flow_report()?.exceptions_page_json(offset as usize, limit as usize, outcome))
    }

    /// Fund-flow matches and open items as CSV (UTF-8 with BOM, for Excel).
    #[wasm_bindgen(js_name = exportFundFlowCsv)]
    pub fn export_fund_flow_csv(&self) -> Result<Vec<u8>, JsValue> {
        Ok(self.fund_flow_report()?.csv())
    }

    /// The carry state of the last run (JSON bytes): give it to the next run as `addFile("carry", …)`.
    #[wasm_bindgen(js_name = carryState)]
    pub fn carry_state(&self) -> Result<Vec<u8>, JsValue> {
        self.report()?;
        let state = self.inner.carry_out().ok_or_else(|| {
            to_js(Error::new(ErrorKind::InvalidArgument, "the last run had no bank, payout or carry input"))
        })?;
        Ok(state.to_json())
    }
}

impl Reconciliation {
    fn fund_flow_report(&self) -> Result<&crate::fund_flow::view::FundFlowReport, JsValue> {
        self.report()?.fund_flow.as_ref().ok_or_else(|| {
            to_js(Error::new(ErrorKind::InvalidArgument, "the last run had no bank, payout or carry input"))
        })
    }

    fn complete_report(&mut self) -> Result<&Report, JsValue> {
        self.report()?;
        self.inner.complete_report().map_err(to_js)
    }

    fn report(&self) -> Result<&Report, JsValue> {
        self.inner.report().ok_or_else(|| {
            to_js(Error::new(ErrorKind::InvalidArgument, "run() has not been called since the last addFile()"))
        })
    }
}
