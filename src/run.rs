//! A reconciliation run: inputs go in one by one ([`Reconciliation::add`]), then
//! [`Reconciliation::run`] reads nothing more and goes read → match → classify → fund flow →
//! report. A result belongs to the run that made it: any new input or setting drops it.

use crate::classify::Outcome;
use crate::codes::codes;
use crate::error::{Error, ErrorKind, Result};
use crate::format::Format;
use crate::fund_flow::balance::BookBalance;
use crate::fund_flow::carry::CarryState;
use crate::fund_flow::{Cutoff, FundFlow};
use crate::matching::{MatchSettings, Matching};
use crate::profile::Profile;
use crate::read::{IssueCode, RowIssue, Source, Table};
use crate::read::{PayoutFile, Purpose, Read, ReadOptions, Statement, SubLedger};
use crate::record::{InputKind, Side};
use crate::report::{
    self, Added, CarryInfo, DateSource, Exception, FileInfo, InputInfo, Inspection, Page, Report, RunInfo,
};
use crate::time;
use chrono::{Days, NaiveDate, Timelike};
use rust_decimal::Decimal;

codes! {
    /// The step a run is in, for progress reports.
    pub enum Phase {
        /// Reading a file: `done` and `total` are bytes of its text.
        Read = ("read", "读取文件"),
        /// Matching: `done` and `total` are steps of the current pass over the rows.
        Match = ("match", "匹配"),
        /// Building the report: `done` and `total` are exceptions.
        Report = ("report", "生成报告"),
    }
}

/// A callback told, every few milliseconds of work, how far the current step is. It returns
/// whether to go on: `false` stops the run with an [`ErrorKind::Cancelled`] error.
pub type ProgressHook = Box<dyn FnMut(Phase, u64, u64) -> bool>;

/// One file for a run: what it is, its name, its bytes, and how to read it.
#[derive(Debug)]
pub struct Input {
    kind: InputKind,
    name: String,
    source: Source,
    format: Option<Format>,
}

impl Input {
    /// A file of `kind` named `name` (no directories: the name is what reports show). `source` is
    /// its bytes, or a [`Source::External`] the caller keeps (a browser `Blob`, a file on disk):
    /// a plain UTF-8 file is then read in chunks and never copied whole, and the few records a
    /// report shows are read from it again, so it must not change until the run is done.
    pub fn new(kind: InputKind, name: impl Into<String>, source: impl Into<Source>) -> Input {
        Input { kind, name: name.into(), source: source.into(), format: None }
    }

    /// Reads a channel file as `format` instead of detecting its layout (the page's per-file
    /// override; the profile's `format` does the same for every channel file).
    pub fn with_format(mut self, format: Format) -> Input {
        self.format = Some(format);
        self
    }
}

/// How [`Reconciliation::run`] runs: on which date, and whether every exception is built now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// The reconciliation date; without one the most common order date is used (the core never
    /// reads the clock).
    pub date: Option<NaiveDate>,
    /// Build exceptions only when asked for ([`Reconciliation::exceptions_page`],
    /// [`Reconciliation::complete_report`]): each reads its rows back from the files, so the
    /// browser builds the page it shows, not all of them.
    pub lazy_exceptions: bool,
}

impl From<Option<NaiveDate>> for RunOptions {
    fn from(date: Option<NaiveDate>) -> RunOptions {
        RunOptions { date, lazy_exceptions: false }
    }
}

impl From<NaiveDate> for RunOptions {
    fn from(date: NaiveDate) -> RunOptions {
        RunOptions::from(Some(date))
    }
}

/// A reconciliation run: files go in one by one, then [`Reconciliation::run`] matches them.
/// State stays here (in Wasm memory behind an opaque handle); results are read in pages.
pub struct Reconciliation {
    profile: Profile,
    tables: Vec<Table>,
    funds: FundInputs,
    progress: Option<ProgressHook>,
    /// The result of the last run; `None` once anything changed since.
    result: Option<RunResult>,
    /// 差错处理: resolutions carried in and given.
    handling: crate::handling::Handling,
}

/// What one run produced. Dropped whole when an input or setting changes.
struct RunResult {
    matching: Matching,
    report: Report,
    fund_flow: Option<FundFlow>,
    /// Every open item's id etc. (only when handling is active) and the resolutions applied.
    subjects: Vec<crate::handling::Subject>,
    applied: Option<crate::handling::Applied>,
}

impl std::fmt::Debug for Reconciliation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reconciliation")
            .field("profile", &self.profile)
            .field("tables", &self.tables.len())
            .field("has_result", &self.result.is_some())
            .finish()
    }
}

/// The fund-flow inputs of a run: bank statements, payout instructions, the book balance, the
/// carry state of the previous run.
#[derive(Debug, Default)]
struct FundInputs {
    statements: Vec<Statement>,
    payouts: Vec<PayoutFile>,
    sub_ledgers: Vec<SubLedger>,
    book_balance: Option<Decimal>,
    carry_in: Option<CarryState>,
    /// The carry state's file name, for errors.
    carry_in_name: String,
    /// What each statement, payout file and sub-ledger held, in reading order.
    inputs: Vec<InputInfo>,
}

impl FundInputs {
    fn any(&self) -> bool {
        !self.statements.is_empty() || !self.payouts.is_empty() || self.carry_in.is_some()
    }
}

impl Reconciliation {
    /// A run with the given settings and no files yet.
    pub fn new(profile: Profile) -> Self {
        Reconciliation {
            profile,
            tables: Vec::new(),
            funds: FundInputs::default(),
            progress: None,
            result: None,
            handling: Default::default(),
        }
    }

    /// Sets the progress callback (the core never reads the clock: throttle by time in the hook).
    pub fn set_progress(&mut self, hook: ProgressHook) {
        self.progress = Some(hook);
    }

    /// Reads one input. Internal and channel files may be archives (each inner file its own
    /// [`Table`]); several per kind are reconciled together. Bank statements, payouts,
    /// sub-ledgers and the carry state are small and read whole. Any earlier result is dropped.
    pub fn add(&mut self, input: Input) -> Result<Added> {
        self.result = None;
        let Input { kind, name, source, format } = input;
        let name = name.as_str();
        if let Some(side) = kind.side() {
            let progress = &mut self.progress;
            let mut report_read =
                |done: u64, total: u64| progress.as_mut().is_none_or(|hook| hook(Phase::Read, done, total));
            let mut options = ReadOptions::new(Purpose::Match(side), &self.profile);
            options.format = format;
            options.progress = Some(&mut report_read);
            let first = self.tables.len();
            // Read for matching, every file is a table (any other layout is an error).
            for read in crate::read::read(name, source, &mut options)? {
                if let Read::Table(table) = read {
                    self.tables.push(table);
                }
            }
            return Ok(Added::Tables(self.tables[first..].iter().map(FileInfo::of).collect()));
        }
        let bytes = source.into_bytes(name)?;
        if kind == InputKind::Resolutions {
            let items = self.handling.add_file(name, &bytes)? as u64;
            let info = CarryInfo { input: kind, name: name.to_string(), as_of: None, items };
            return Ok(Added::Carry(info));
        }
        if kind == InputKind::Carry {
            let state = CarryState::from_json(name, &bytes)?;
            let info = CarryInfo {
                input: InputKind::Carry,
                name: name.to_string(),
                as_of: state.as_of,
                items: state.items.len() as u64,
            };
            self.funds.carry_in_name = name.to_string();
            self.handling.carry_in(state.audit.clone());
            self.funds.carry_in = Some(state);
            return Ok(Added::Carry(info));
        }
        // Online banks hand out XLS/XLSX as often as CSV, and portals zip them: both are opened.
        let mut infos = Vec::new();
        let mut options = ReadOptions::new(Purpose::Fund(kind), &self.profile);
        for read in crate::read::read(name, bytes.into(), &mut options)? {
            let info = match read {
                Read::Statement(statement) => {
                    let info = InputInfo::of_statement(&statement);
                    self.funds.statements.push(statement);
                    info
                }
                Read::Payouts(file) => {
                    let info = InputInfo::of_payouts(&file);
                    self.funds.payouts.push(file);
                    info
                }
                Read::SubLedger(ledger) => {
                    let info = InputInfo::of_sub_ledger(&ledger);
                    self.funds.sub_ledgers.push(ledger);
                    info
                }
                Read::Table(_) => {
                    return Err(Error::new(ErrorKind::InvalidArgument, "a fund-flow file read as a table").in_file(name))
                }
            };
            infos.push(info);
        }
        self.funds.inputs.extend(infos.iter().cloned());
        Ok(Added::Fund(infos))
    }

    /// Every fund-flow file read so far (an archive adds one per file in it), in reading order.
    pub fn fund_inputs(&self) -> &[InputInfo] {
        &self.funds.inputs
    }

    /// The files read so far.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// Sets the platform's book balance (one number) for the 余额调节表; it wins over sub-ledgers.
    pub fn set_book_balance(&mut self, amount: Option<Decimal>) -> Result<()> {
        if let Some(amount) = amount.filter(|a| !crate::money::amount_in_range(*a)) {
            let message = format!("book balance {amount} is beyond 10^15 yuan");
            return Err(Error::new(ErrorKind::InvalidArgument, message));
        }
        self.result = None;
        self.funds.book_balance = amount;
        Ok(())
    }

    /// Matches everything read so far and builds the report (see [`RunOptions`]; a date alone
    /// converts into options: `run.run(None)`, `run.run(date)`).
    pub fn run(&mut self, options: impl Into<RunOptions>) -> Result<&Report> {
        let options = options.into();
        self.result = None;
        // With a bank statement, fund flow can run on the channel bills (or the bank) alone; with a
        // clearing section, clearing can run on the channel bills alone.
        let one_side_will_do = !self.funds.statements.is_empty() || self.profile.clearing.configured;
        for side in [Side::Internal, Side::Channel] {
            if !one_side_will_do && !self.tables.iter().any(|t| t.side == side) {
                return Err(Error::new(ErrorKind::InvalidArgument, format!("no {side} file was given")));
            }
        }
        let (date, date_source) = match options.date {
            Some(date) => (Some(date), DateSource::Input),
            None => {
                match self.last_day_covered().or_else(|| infer_date(&self.tables).map(|d| (d, DateSource::Inferred))) {
                    Some((date, source)) => (Some(date), source),
                    None => (None, DateSource::None),
                }
            }
        };
        self.check_carry_in_is_older(date)?;
        let day_end = date.map(|date| cutoff_of(date, self.profile.cutoff));
        let cutoff = day_end.map(cutoff_instant);
        let settings = MatchSettings {
            key: self.profile.key,
            tolerance: self.profile.tolerance,
            cutoff,
            pending_from: cutoff.map(|c| c - i64::from(self.profile.pending_window_minutes) * 60),
        };
        let both_sides = [Side::Internal, Side::Channel].iter().all(|&s| self.tables.iter().any(|t| t.side == s));
        let progress = &mut self.progress;
        let matching = if both_sides {
            let mut report_match =
                |done: u64, total: u64| progress.as_mut().is_none_or(|hook| hook(Phase::Match, done, total));
            crate::matching::match_tables(&mut self.tables, &settings, &mut report_match)?
        } else {
            // No order export: there is nothing to match transaction by transaction.
            Matching { row_outcomes: self.tables.iter().map(|_| Vec::new()).collect(), ..Matching::default() }
        };
        let info = RunInfo { date, date_source, cutoff, settings: self.profile.settings() };
        let mut report_build =
            |done: u64, total: u64| progress.as_mut().is_none_or(|hook| hook(Phase::Report, done, total));
        let mut report = report::build(&self.tables, &matching, info, !options.lazy_exceptions, &mut report_build)?;
        let mut collector = crate::clearing::Collector::new(&self.profile.clearing);
        let mut visit = |t: &crate::fund_flow::Batched| collector.visit(t);
        let (fund_flow, bare_batches) = if self.funds.any() {
            (Some(self.run_fund_flow(date, day_end, &mut report, &mut visit)?), None)
        } else if self.profile.clearing.configured {
            // Clearing without a bank: the batches alone (nothing is credited or paid out).
            let settings = &self.profile.fund_flow;
            (None, Some(crate::fund_flow::batches_from_tables(&self.tables, settings, &mut visit)?.0))
        } else {
            (None, None)
        };
        let ledgers = crate::clearing::Ledgers { ledgers: &self.funds.sub_ledgers, date };
        report.clearing = match (&fund_flow, bare_batches) {
            (Some(flow), _) => Some(collector.finish(&flow.input.batches, Some(flow), &ledgers)),
            (None, Some(batches)) => Some(collector.finish(&batches, None, &ledgers)),
            (None, None) => None,
        };
        if let (Some(flow), Some(view)) = (&fund_flow, report.fund_flow.as_mut()) {
            report::name_causes(view, report.clearing.as_ref(), flow, &self.profile.fund_flow);
        }
        let mut result = RunResult { matching, report, fund_flow, subjects: Vec::new(), applied: None };
        if self.handling.is_active() {
            self.apply_handling(&mut result, date)?;
        }
        Ok(&self.result.insert(result).report)
    }

    /// Applies the resolutions to a run's result: item states, the handling section, the issues.
    /// Fails only the first time for a result (reading the exceptions' records back); after that
    /// the items are known.
    fn apply_handling(&self, result: &mut RunResult, date: Option<NaiveDate>) -> Result<()> {
        if result.applied.is_none() {
            // Every open item's id: only now, so a run without resolutions never pays for it.
            let mut subjects = report::transaction_subjects(&self.tables, &result.matching.exceptions)?;
            if let Some(flow) = &result.report.fund_flow {
                subjects.extend(report::fund_flow_subjects(flow));
            }
            if let Some(clearing) = &result.report.clearing {
                subjects.extend(report::clearing_subjects(clearing));
            }
            result.subjects = subjects;
        }
        let report = &mut result.report;
        report.issues.retain(|i| i.code != IssueCode::ResolutionRejected);
        let applied = self.handling.apply(&result.subjects);
        report::annotate(&mut report.exceptions, &applied);
        report::annotate_sections(report.fund_flow.as_mut(), report.clearing.as_mut(), &applied);
        let as_of = date.or(result.fund_flow.as_ref().and_then(|f| f.as_of));
        let (long, short) = (report.summary.long_total.0, report.summary.short_total.0);
        let handling = applied.report(as_of, result.subjects.len() as u64, long, short);
        // The summary says what is still open beside what was found; `handling` has the detail.
        report.summary.open = Some(handling.open);
        report.summary.resolved = Some(handling.resolved.clone());
        report.summary.open_long_total = Some(handling.open_long_total);
        report.summary.open_short_total = Some(handling.open_short_total);
        report.handling = Some(handling);
        report.issues.extend(applied.issues.iter().cloned());
        report.summary.issue_count = report.issues.len() as u64;
        result.applied = Some(applied);
        Ok(())
    }

    /// Resolves one item of the last run (the JS API's `resolve`): checked at once; a rejected
    /// resolution is an error with the reason and changes nothing.
    pub fn resolve(&mut self, resolution: crate::handling::Resolution) -> Result<&Report> {
        let mut result = self.result.take().ok_or_else(no_run)?;
        self.handling.add(resolution);
        let date = result.report.date.as_deref().and_then(|d| time::parse_date(d).ok());
        if let Err(e) = self.apply_handling(&mut result, date) {
            self.handling.pop_given();
            self.result = Some(result);
            return Err(e);
        }
        let rejected = result.applied.as_ref().and_then(|a| a.issues.last()).filter(|i| i.file == "api").cloned();
        let accepted = result.applied.as_ref().is_some_and(|a| a.last_given_accepted());
        if !accepted {
            // Exactly the resolution just given goes: never an earlier, accepted one of the item.
            self.handling.pop_given();
            let reapplied = self.apply_handling(&mut result, date);
            self.result = Some(result);
            reapplied?;
            let why = rejected.map_or_else(|| "the resolution was rejected".to_string(), |i| i.message);
            return Err(Error::new(ErrorKind::InvalidArgument, why));
        }
        Ok(&self.result.insert(result).report)
    }

    /// Undoes the last resolution of `id` (not once its log line was exported).
    pub fn unresolve(&mut self, id: &str) -> Result<&Report> {
        let mut result = self.result.take().ok_or_else(no_run)?;
        let outcome = match &result.applied {
            Some(applied) => self.handling.remove_last(id, applied),
            None => Err(Error::new(ErrorKind::InvalidArgument, format!("no resolution was given for {id:?}"))),
        };
        let date = result.report.date.as_deref().and_then(|d| time::parse_date(d).ok());
        let outcome = outcome.and_then(|()| self.apply_handling(&mut result, date));
        let report = &self.result.insert(result).report;
        outcome.map(|()| report)
    }

    /// The resolutions given this run (files and API), in order.
    pub fn resolutions(&self) -> Vec<crate::handling::Resolution> {
        self.handling.given()
    }

    /// The audit log of the last run as JSON lines; its lines can no longer be undone.
    pub fn audit_log(&mut self) -> Result<Vec<u8>> {
        let result = self.result.as_ref().ok_or_else(no_run)?;
        let Some(applied) = &result.applied else { return Ok(Vec::new()) };
        self.handling.mark_exported(applied);
        Ok(crate::handling::to_json_lines(&applied.chain))
    }

    /// The documents of 差错处理 (补单, 退款, 调账分录, 挂账) of the last run.
    pub fn documents(&self) -> Result<report::Documents> {
        let result = self.result.as_ref().ok_or_else(no_run)?;
        let applied = result.applied.clone().unwrap_or_default();
        let date = result.report.date.as_deref().and_then(|d| time::parse_date(d).ok());
        let as_of = date.or(result.fund_flow.as_ref().and_then(|f| f.as_of));
        Ok(report::Documents::of(&applied, &self.profile.accounts, as_of))
    }

    /// A carry state is yesterday's open items: one written on or after the run's date (today's
    /// own state file, or a run on an earlier day) would count items twice or from the future.
    /// Without a date given or inferred from the orders, the statements' last booking date is the
    /// run's date, as in fund-flow matching.
    fn check_carry_in_is_older(&self, date: Option<NaiveDate>) -> Result<()> {
        let Some(as_of) = self.funds.carry_in.as_ref().and_then(|c| c.as_of) else { return Ok(()) };
        let statements = self.funds.statements.iter().flat_map(|s| s.entries.iter().map(|e| e.date));
        match date.or_else(|| statements.max()) {
            Some(date) if as_of >= date => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "the carry state is as of {as_of}, not before the reconciliation date {date}: give the \
                     state file of the day before"
                ),
            )
            .in_file(&self.funds.carry_in_name)),
            _ => Ok(()),
        }
    }

    /// Fund flow and book against actual, into `report.fund_flow` and `report.balance`.
    fn run_fund_flow(
        &self,
        date: Option<NaiveDate>,
        cutoff: Option<Cutoff>,
        report: &mut Report,
        visit: crate::fund_flow::BatchVisitor,
    ) -> Result<FundFlow> {
        let settings = &self.profile.fund_flow;
        let carry_in = self.funds.carry_in.as_ref();
        let statements = crate::fund_flow::overlap::Accounts::of(&self.funds.statements);
        let payouts = &self.funds.payouts;
        let (input, later, unbatched) =
            crate::fund_flow::assemble(&self.tables, &statements, payouts, carry_in, cutoff, settings, visit)?;
        let mut flow = crate::fund_flow::match_funds(input, date, settings);
        flow.later = later;
        let book = match (self.funds.book_balance, self.funds.sub_ledgers.is_empty()) {
            (Some(amount), _) => Some(BookBalance { amount, source: "input".to_string() }),
            (None, false) => Some(BookBalance {
                amount: self.funds.sub_ledgers.iter().map(|l| l.total()).sum(),
                source: self.funds.sub_ledgers.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", "),
            }),
            (None, true) => None,
        };
        let balance = crate::fund_flow::balance::balance_report(&statements, &flow, book.as_ref(), cutoff);
        report.fund_flow = Some(report::fund_flow::build(&flow, settings, unbatched, &balance));
        report.balance = Some(balance);
        let issues = self.funds.statements.iter().flat_map(|s| &s.issues);
        let issues = issues.chain(self.funds.payouts.iter().flat_map(|p| &p.issues));
        report.issues.extend(issues.chain(self.funds.sub_ledgers.iter().flat_map(|l| &l.issues)).cloned());
        if let Some(n) = self.funds.carry_in.as_ref().map(|c| c.ids_assigned).filter(|&n| n > 0) {
            let why =
                format!("written before content ids: {n} movements and payouts were given ids from their content");
            let name = &self.funds.carry_in_name;
            report.issues.push(RowIssue::file_note(name, InputKind::Carry, IssueCode::IdsAssigned, why));
        }
        report.summary.issue_count = report.issues.len() as u64;
        Ok(flow)
    }

    /// The report of the last run.
    pub fn report(&self) -> Option<&Report> {
        self.result.as_ref().map(|r| &r.report)
    }

    /// The last run's report with every exception built (after a run with
    /// [`RunOptions::lazy_exceptions`]).
    pub fn complete_report(&mut self) -> Result<&Report> {
        let result = self.result.as_mut().ok_or_else(no_run)?;
        if (result.report.exceptions.len() as u64) < result.report.summary.exception_count {
            result.report.exceptions = report::exceptions_of_items(
                &self.tables,
                &result.matching.exceptions,
                0..result.matching.exceptions.len(),
                &mut |_, _| true,
            )?;
            if let Some(applied) = &result.applied {
                report::annotate(&mut result.report.exceptions, applied);
            }
        }
        Ok(&result.report)
    }

    /// One page of the last run's exceptions (of one outcome, or all); built for the page when
    /// the run left them to be built on demand.
    pub fn exceptions_page(&self, offset: usize, limit: usize, outcome: Option<Outcome>) -> Result<Page<Exception>> {
        let result = self.result.as_ref().ok_or_else(no_run)?;
        let report = &result.report;
        if report.exceptions.len() as u64 == report.summary.exception_count {
            return Ok(report.exceptions_page(offset, limit, outcome));
        }
        let mut page =
            report::items_page(&self.tables, report::items_of(&result.matching.exceptions, outcome), offset, limit)?;
        if let Some(applied) = &result.applied {
            report::annotate(&mut page.rows, applied);
        }
        Ok(page)
    }

    /// The matching of the last run, with the outcome of every row (for audits and tests).
    pub fn matching(&self) -> Option<&Matching> {
        self.result.as_ref().map(|r| &r.matching)
    }

    /// The fund-flow result of the last run, when fund-flow inputs were given.
    pub fn fund_flow(&self) -> Option<&FundFlow> {
        self.result.as_ref().and_then(|r| r.fund_flow.as_ref())
    }

    /// The open items of the last run, for the next run's carry input; `None` without a run or
    /// without fund-flow input.
    pub fn carry_out(&self) -> Option<CarryState> {
        let result = self.result.as_ref()?;
        let applied = result.applied.as_ref();
        let mut state = match (&result.fund_flow, applied) {
            (Some(flow), _) => crate::fund_flow::carry::carry_out(flow),
            (None, Some(_)) => CarryState {
                as_of: result.report.date.as_deref().and_then(|d| time::parse_date(d).ok()),
                ..CarryState::empty()
            },
            (None, None) => return None,
        };
        if let Some(applied) = applied {
            // A closed item is done with: it never comes back as open; nor do the items of a closed pair.
            let mut closed: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
            if let Some(flow) = &result.fund_flow {
                for pair in flow.matches.iter().filter(|g| g.outcome.is_open() && applied.closed(&g.id)) {
                    closed.extend(pair.batches.iter().map(|&b| flow.input.batches[b].id.as_str()));
                    closed.extend(pair.movements.iter().map(|&m| flow.input.movements[m].id.as_str()));
                }
            }
            state.items.retain(|i| !applied.closed(&i.id) && !closed.contains(i.id.as_str()));
            state.audit = applied.chain.clone();
        }
        Some(state)
    }
}

fn no_run() -> Error {
    Error::new(ErrorKind::InvalidArgument, "run() has not been called since the last input was added")
}

/// Reads every input and reconciles them in one call.
pub fn reconcile(inputs: Vec<Input>, profile: Profile, options: impl Into<RunOptions>) -> Result<Report> {
    let mut run = Reconciliation::new(profile);
    for input in inputs {
        run.add(input)?;
    }
    run.run(options)?;
    let result = run.result.take().ok_or_else(no_run)?;
    Ok(result.report)
}

/// Reads one input on its own and describes every table in it (an archive gives several), without
/// reconciling: what `duizhang inspect` and the Wasm `inspect` print.
pub fn inspect(name: &str, bytes: Vec<u8>, profile: &Profile) -> Result<Vec<Inspection>> {
    let reads = crate::read::read(name, bytes.into(), &mut ReadOptions::new(Purpose::Describe, profile))?;
    Ok(reads.iter().map(Inspection::of_read).collect())
}

/// The end of the reconciliation day: the cut-off time on the next day when it is at or before
/// noon (00:00 = midnight after the date), otherwise on the date itself.
fn cutoff_of(date: NaiveDate, cutoff: chrono::NaiveTime) -> Cutoff {
    let day = if cutoff.hour() < 12 || (cutoff.hour() == 12 && cutoff.minute() == 0) {
        date.checked_add_days(Days::new(1)).unwrap_or(date)
    } else {
        date
    };
    Cutoff { date, at: day.and_time(cutoff) }
}

/// The cut-off as the matcher's timestamps count time (seconds).
fn cutoff_instant(cutoff: Cutoff) -> i64 {
    time::midnight(cutoff.at.date()) + i64::from(cutoff.at.time().num_seconds_from_midnight())
}

impl Reconciliation {
    /// The date of a run with fund-flow input and no date given: the last day its inputs cover (the
    /// statements' last movement, else the latest settlement date of the bills), so a month of
    /// bills against a month's statement is reconciled to its end, not to its busiest day (which
    /// would make every later credit `external_only`). `None` without statements or payouts.
    fn last_day_covered(&self) -> Option<(NaiveDate, DateSource)> {
        let last_movement = self.funds.statements.iter().flat_map(|s| &s.entries).map(|e| e.date).max();
        if let Some(date) = last_movement {
            return Some((date, DateSource::StatementEnd));
        }
        if self.funds.payouts.is_empty() {
            return None;
        }
        let settings = &self.profile.fund_flow;
        let last_trade = self.tables.iter().filter(|t| t.side == Side::Channel).flat_map(|t| t.days.keys()).max()?;
        let trade = time::date_of(last_trade * time::DAY)?;
        Some((settings.settlement_date(trade), DateSource::SettlementEnd))
    }
}

/// The most common date among internal row times (channel rows when the books have none).
fn infer_date(tables: &[Table]) -> Option<NaiveDate> {
    for side in [Side::Internal, Side::Channel] {
        let mut days: rustc_hash::FxHashMap<i64, u64> = Default::default();
        for table in tables.iter().filter(|t| t.side == side) {
            for (&day, &count) in &table.days {
                *days.entry(day).or_default() += count;
            }
        }
        let best = days.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((day, _)) = best {
            return time::date_of(day * time::DAY);
        }
    }
    None
}
