//! The only room that knows JavaScript. Every export is a few lines: convert, call the core,
//! convert back. Files come in as bytes the caller keeps; state stays behind an opaque handle;
//! results leave as serde values (plain objects, arrays, strings for money) through
//! `serde-wasm-bindgen`, or as export bytes.

mod error;
mod source;

use crate::{
    parse_date, Added, ClearingClass, Error, ErrorKind, Format, FundOutcome, Input, InputKind, Outcome, Profile,
    Report, SAMPLE_DAY, SAMPLE_FUND_FLOW, SAMPLE_FUND_FLOW_DATE, SAMPLE_FUND_FLOW_PROFILE, SAMPLE_PROFILE,
};
use error::to_js;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

/// A core value as a plain JavaScript value: objects for structs and maps, `null` for `None`,
/// strings for money.
fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| {
        to_js(Error::new(ErrorKind::Internal, format!("the result could not be converted for JavaScript: {e}")))
    })
}

/// Parses a code of a code enum, or says which codes there are.
fn code_of<T: crate::Code>(what: &str, code: &str) -> Result<T, JsValue> {
    T::all().iter().copied().find(|c| c.code() == code).ok_or_else(|| {
        let known: Vec<&str> = T::all().iter().map(|c| c.code()).collect();
        to_js(Error::new(ErrorKind::InvalidArgument, format!("{what} {code:?} is not one of {}", known.join(", "))))
    })
}

/// An optional code: absent or empty means none.
fn optional_code<T: crate::Code>(what: &str, code: Option<String>) -> Result<Option<T>, JsValue> {
    match code.as_deref() {
        None | Some("") => Ok(None),
        Some(code) => code_of(what, code).map(Some),
    }
}

fn profile_of(json: Option<String>) -> Result<Profile, JsValue> {
    match json {
        Some(json) => Profile::from_json(&json).map_err(to_js),
        None => Ok(Profile::default()),
    }
}

/// The version of the engine.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Every code the engine uses, with its Chinese name, in report order: what the page labels things
/// with, so it never keeps a copy of the lists.
#[wasm_bindgen(unchecked_return_type = "Vocabulary")]
pub fn vocabulary() -> Result<JsValue, JsValue> {
    to_value(&crate::Vocabulary::new())
}

/// Embedded sample files as `{input, name, bytes}` objects.
fn sample_files(samples: &[crate::SampleFile]) -> Result<js_sys::Array, JsValue> {
    let files = js_sys::Array::new();
    for sample in samples {
        let file = js_sys::Object::new();
        js_sys::Reflect::set(&file, &"input".into(), &sample.input.code().into())?;
        js_sys::Reflect::set(&file, &"name".into(), &sample.name.into())?;
        js_sys::Reflect::set(&file, &"bytes".into(), &js_sys::Uint8Array::from(sample.bytes))?;
        files.push(&file);
    }
    Ok(files)
}

/// The built-in sample day's files (embedded: no request is made).
#[wasm_bindgen(js_name = sampleDay, unchecked_return_type = "SampleFile[]")]
pub fn sample_day() -> Result<JsValue, JsValue> {
    Ok(sample_files(&SAMPLE_DAY)?.into())
}

/// The built-in fund-flow sample (embedded: no request is made): `{files, profile, date}`, each file
/// with its input (`channel`, `bank`, `payouts`, `sub_ledger`), to be read with `addFile` and run on `date`.
#[wasm_bindgen(js_name = sampleFundFlow, unchecked_return_type = "FundFlowSample")]
pub fn sample_fund_flow() -> Result<JsValue, JsValue> {
    let sample = js_sys::Object::new();
    js_sys::Reflect::set(&sample, &"files".into(), &sample_files(&SAMPLE_FUND_FLOW)?.into())?;
    js_sys::Reflect::set(&sample, &"profile".into(), &SAMPLE_FUND_FLOW_PROFILE.into())?;
    js_sys::Reflect::set(&sample, &"date".into(), &SAMPLE_FUND_FLOW_DATE.into())?;
    Ok(sample.into())
}

/// The built-in sample day's profile JSON.
#[wasm_bindgen(js_name = sampleProfile)]
pub fn sample_profile() -> String {
    SAMPLE_PROFILE.to_string()
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
    let inspections = crate::inspect(name, bytes, &profile_of(profile_json)?).map_err(to_js)?;
    match inspections.as_slice() {
        [single] => to_value(single),
        several => to_value(several),
    }
}

/// How many first bytes of a file `detectInput` needs (64 KiB): every layout's header sits in the
/// first lines, and an archive's inner files are inflated from that head. The page's worker reads
/// this much of each dropped file.
#[wasm_bindgen(js_name = inputHeadBytes)]
pub fn input_head_bytes() -> u32 {
    crate::read::input::INPUT_HEAD_BYTES as u32
}

/// Whether the bytes are a spreadsheet (XLS, XLSX or ODS, by content, not by name): the page
/// converts those with the spreadsheet module before `addFile`, as the engine would refuse them.
#[wasm_bindgen(js_name = isSpreadsheet)]
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    crate::read::spreadsheet::is_spreadsheet(bytes)
}

/// Verifies an audit log of 差错处理 (JSON lines, as `auditLog()` and `--audit-out` write it):
/// the number of lines when the hash chain is intact; else throws a coded Error whose `line` is the
/// first line that does not verify (edited, removed, inserted or moved), as `duizhang audit verify`.
#[wasm_bindgen(js_name = verifyAuditLog)]
pub fn verify_audit_log(bytes: &[u8]) -> Result<u32, JsValue> {
    match crate::verify_log(bytes) {
        Ok(lines) => Ok(lines.len() as u32),
        Err(b) => Err(to_js(
            crate::Error::new(
                crate::ErrorKind::InvalidArgument,
                format!("the audit log does not verify: {}", b.reason),
            )
            .at(b.line, None),
        )),
    }
}

/// Which input of a run a file is, from its first bytes (the whole file or a head of it, e.g. the
/// first 64 KiB; a head may end anywhere): what the page's drop zone routes files by. Never throws.
#[wasm_bindgen(js_name = detectInput, unchecked_return_type = "InputDetection")]
pub fn detect_input(head: &[u8]) -> Result<JsValue, JsValue> {
    to_value(&crate::detect_input(head))
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
        Ok(Reconciliation { inner: crate::Reconciliation::new(profile_of(profile_json)?) })
    }

    /// Calls `callback(phase, done, total)` every few milliseconds of work inside `addFile()`
    /// (phase `read`, bytes) and `run()` (phases `match`, steps, then `report`, exceptions). The
    /// calls are synchronous, but a worker can still `postMessage` from the callback, so the page
    /// sees live progress. When the callback returns `false` the call stops with an Error whose
    /// code is `cancelled`.
    #[wasm_bindgen(js_name = setProgress)]
    pub fn set_progress(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "(phase: Phase, done: number, total: number) => boolean | void")]
        callback: js_sys::Function,
    ) {
        self.inner.set_progress(Box::new(move |phase, done, total| {
            let args = (&phase.code().into(), &(done as f64).into(), &(total as f64).into());
            // Only an explicit `false` stops the run; an exception in the callback is ignored.
            !matches!(callback.call3(&JsValue::NULL, args.0, args.1, args.2), Ok(v) if v == JsValue::FALSE)
        }));
    }

    /// Reads one file. Throws a coded Error if unusable. `input` is an `InputKind`: `internal` or
    /// `channel` (a CSV, a `.gz`, or a `.zip` whose every file becomes a table: the first table's
    /// `FileInfo` is returned, `files()` lists all), or for fund flow `bank`, `payouts`, `sub_ledger`
    /// or `carry` (the state file of the previous run), which are small and read
    /// whole. `bytes` is a `Uint8Array` (or an `ArrayBuffer`), or in a worker a `Blob`/`File`: it
    /// is read where it is, in chunks, and never copied whole into Wasm memory; the records a
    /// report shows are read from it again, so it must not change until the run is done (a
    /// changed one is an `io` error, not a wrong report). `format` (a `Format` code) reads a
    /// channel file as that layout instead of detecting it.
    #[wasm_bindgen(js_name = addFile, unchecked_return_type = "Added")]
    pub fn add_file(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "InputKind")] input: &str,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | Blob")] bytes: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Format | null")] format: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let kind: InputKind = code_of("input", input)?;
        let format: Option<Format> = optional_code("format", format)?;
        let source = source::source_of(&bytes, name).map_err(to_js)?;
        let mut file = Input::new(kind, name, source);
        if let Some(format) = format {
            file = file.with_format(format);
        }
        match self.inner.add(file).map_err(to_js)? {
            Added::Tables(tables) => to_value(&tables.first()),
            // An archive of statements adds each; fundInputs() lists them all.
            Added::Fund(infos) => to_value(&infos.first()),
            Added::Carry(info) => to_value(&info),
        }
    }

    /// Every file read so far, one `FileInfo` per table (an archive adds several), in reading order.
    #[wasm_bindgen(unchecked_return_type = "FileInfo[]")]
    pub fn files(&self) -> Result<JsValue, JsValue> {
        let files: Vec<crate::FileInfo> = self.inner.tables().iter().map(crate::FileInfo::of).collect();
        to_value(&files)
    }

    /// Every fund-flow file read so far (statements, payouts, sub-ledgers; an archive adds one per
    /// file in it), in reading order.
    #[wasm_bindgen(js_name = fundInputs, unchecked_return_type = "FundInputInfo[]")]
    pub fn fund_inputs(&self) -> Result<JsValue, JsValue> {
        to_value(&self.inner.fund_inputs())
    }

    /// Matches the files read so far; `date` is `YYYY-MM-DD` (omitted: the most common order date).
    /// Exceptions are built a page at a time (`exceptions()`), or all for an export.
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn run(&mut self, date: Option<String>) -> Result<JsValue, JsValue> {
        let date = date.as_deref().map(parse_date).transpose().map_err(to_js)?;
        let options = crate::RunOptions { date, lazy_exceptions: true };
        to_value(&self.inner.run(options).map_err(to_js)?.summary_view())
    }

    /// The summary of the last run.
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_value(&self.report()?.summary_view())
    }

    /// One page of exceptions, optionally of one outcome.
    #[wasm_bindgen(unchecked_return_type = "Page<Exception>")]
    pub fn exceptions(
        &self,
        offset: u32,
        limit: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "Outcome | null")] outcome: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let outcome: Option<Outcome> = optional_code("outcome", outcome)?;
        to_value(&self.inner.exceptions_page(offset as usize, limit as usize, outcome).map_err(to_js)?)
    }

    /// One page of row issues.
    #[wasm_bindgen(unchecked_return_type = "Page<RowIssue>")]
    pub fn issues(&self, offset: u32, limit: u32) -> Result<JsValue, JsValue> {
        to_value(&self.report()?.issues_page(offset as usize, limit as usize))
    }

    /// The whole report as JSON text (a `Report` once parsed): the same bytes as the CLI prints.
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

    /// 差错处理 of the last run: open items, resolutions per action, the suspense list; `null`
    /// until a resolution was given or carried in.
    #[wasm_bindgen(unchecked_return_type = "HandlingReport | null")]
    pub fn handling(&self) -> Result<JsValue, JsValue> {
        match &self.report()?.handling {
            Some(handling) => to_value(handling),
            None => Ok(JsValue::NULL),
        }
    }

    /// Resolves one item of the last run by its id; `at` is the caller's timestamp (the core never
    /// reads the clock). A rejected resolution throws with the reason and changes nothing.
    #[wasm_bindgen(unchecked_return_type = "HandlingReport")]
    pub fn resolve(
        &mut self,
        id: String,
        #[wasm_bindgen(unchecked_param_type = "Action")] action: &str,
        note: Option<String>,
        by: String,
        at: String,
    ) -> Result<JsValue, JsValue> {
        let action = code_of("action", action)?;
        let resolution = crate::Resolution { id, action, note: note.unwrap_or_default(), by, at };
        to_value(&self.inner.resolve(resolution).map_err(to_js)?.handling)
    }

    /// Undoes the last resolution of `id`; refused once the audit log holding it was exported.
    #[wasm_bindgen(unchecked_return_type = "HandlingReport | null")]
    pub fn unresolve(&mut self, id: &str) -> Result<JsValue, JsValue> {
        to_value(&self.inner.unresolve(id).map_err(to_js)?.handling)
    }

    /// The resolutions given this run (files and API), in order: what a resolutions file holds.
    #[wasm_bindgen(unchecked_return_type = "Resolution[]")]
    pub fn resolutions(&self) -> Result<JsValue, JsValue> {
        to_value(&self.inner.resolutions())
    }

    /// The audit log (JSON lines, hash-chained) of the last run; its lines can no longer be undone.
    #[wasm_bindgen(js_name = auditLog)]
    pub fn audit_log(&mut self) -> Result<Vec<u8>, JsValue> {
        self.inner.audit_log().map_err(to_js)
    }

    /// The documents of 差错处理 (补单, 退款, 调账分录, 挂账).
    #[wasm_bindgen(unchecked_return_type = "Documents")]
    pub fn documents(&self) -> Result<JsValue, JsValue> {
        to_value(&self.inner.documents().map_err(to_js)?)
    }

    /// One document as CSV (UTF-8 with BOM, formulas defused).
    #[wasm_bindgen(js_name = documentCsv)]
    pub fn document_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DocumentKind")] kind: &str,
    ) -> Result<Vec<u8>, JsValue> {
        let kind = code_of("document", kind)?;
        Ok(self.inner.documents().map_err(to_js)?.csv(kind))
    }

    /// Sets the platform's book balance for the 余额调节表 (a decimal string); `undefined` clears it.
    #[wasm_bindgen(js_name = setBookBalance)]
    pub fn set_book_balance(&mut self, amount: Option<String>) -> Result<(), JsValue> {
        let amount = match amount.as_deref() {
            None | Some("") => None,
            Some(text) => Some(crate::parse_amount(text).map_err(|e| {
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
            Some(flow) => to_value(&flow.summary(report.balance.as_ref())),
            None => Ok(JsValue::NULL),
        }
    }

    /// One page of fund-flow matches, each with its explanation; optionally of one merchant.
    #[wasm_bindgen(js_name = fundFlowMatches, unchecked_return_type = "Page<MatchView>")]
    pub fn fund_flow_matches(
        &self,
        offset: u32,
        limit: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] merchant: Option<String>,
    ) -> Result<JsValue, JsValue> {
        to_value(&self.fund_flow_report()?.matches_page_of(offset as usize, limit as usize, merchant.as_deref()))
    }

    /// One page of open fund-flow items (in transit, breaks, unexplained), optionally of one outcome,
    /// of one merchant, or both.
    #[wasm_bindgen(js_name = fundFlowExceptions, unchecked_return_type = "Page<ItemView>")]
    pub fn fund_flow_exceptions(
        &self,
        offset: u32,
        limit: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "FundOutcome | null")] outcome: Option<String>,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] merchant: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let outcome: Option<FundOutcome> = optional_code("fund-flow outcome", outcome)?;
        let page =
            self.fund_flow_report()?.exceptions_page_of(offset as usize, limit as usize, outcome, merchant.as_deref());
        to_value(&page)
    }

    /// Fund-flow matches and open items as CSV (UTF-8 with BOM, for Excel).
    #[wasm_bindgen(js_name = exportFundFlowCsv)]
    pub fn export_fund_flow_csv(&self) -> Result<Vec<u8>, JsValue> {
        Ok(self.fund_flow_report()?.csv())
    }

    /// The clearing of the last run (清分: per merchant and settlement date), without its exceptions;
    /// `null` when the run had no clearing (no `clearing` profile section, no bank or payout input).
    #[wasm_bindgen(unchecked_return_type = "ClearingSummary | null")]
    pub fn clearing(&self) -> Result<JsValue, JsValue> {
        match &self.report()?.clearing {
            Some(clearing) => to_value(&clearing.summary()),
            None => Ok(JsValue::NULL),
        }
    }

    /// One page of clearing exceptions (`fee_mismatch`, `payout_mismatch`), by merchant, settlement date and key.
    /// Optionally of one class, of one merchant, or both.
    #[wasm_bindgen(js_name = clearingExceptions, unchecked_return_type = "Page<ClearingException>")]
    pub fn clearing_exceptions(
        &self,
        offset: u32,
        limit: u32,
        #[wasm_bindgen(unchecked_optional_param_type = "ClearingClass | null")] class: Option<String>,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] merchant: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let class: Option<ClearingClass> = optional_code("clearing class", class)?;
        let page =
            self.clearing_report()?.exceptions_page_of(offset as usize, limit as usize, class, merchant.as_deref());
        to_value(&page)
    }

    /// The settlement statement (结算单) as CSV (UTF-8 with BOM): every merchant, or one.
    #[wasm_bindgen(js_name = exportClearingCsv)]
    pub fn export_clearing_csv(&self, merchant: Option<String>) -> Result<Vec<u8>, JsValue> {
        Ok(self.clearing_report()?.csv(merchant.as_deref()))
    }

    /// The carry state of the last run (JSON bytes): give it to the next run as `addFile("carry", …)`.
    #[wasm_bindgen(js_name = carryState)]
    pub fn carry_state(&self) -> Result<Vec<u8>, JsValue> {
        self.report()?;
        let state = self.inner.carry_out().ok_or_else(no_fund_flow)?;
        Ok(state.to_json())
    }
}

fn no_fund_flow() -> JsValue {
    to_js(Error::new(ErrorKind::InvalidArgument, "the last run had no bank, payout or carry input"))
}

impl Reconciliation {
    fn clearing_report(&self) -> Result<&crate::ClearingReport, JsValue> {
        self.report()?.clearing.as_ref().ok_or_else(|| {
            let reason = "the last run had no clearing: give a profile with a clearing section, or bank input";
            to_js(Error::new(ErrorKind::InvalidArgument, reason))
        })
    }

    fn fund_flow_report(&self) -> Result<&crate::FundFlowReport, JsValue> {
        self.report()?.fund_flow.as_ref().ok_or_else(no_fund_flow)
    }

    fn complete_report(&mut self) -> Result<&Report, JsValue> {
        self.inner.complete_report().map_err(to_js)
    }

    fn report(&self) -> Result<&Report, JsValue> {
        self.inner.report().ok_or_else(|| {
            to_js(Error::new(ErrorKind::InvalidArgument, "run() has not been called since the last addFile()"))
        })
    }
}
