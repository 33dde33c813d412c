//! duizhang (对账): reconciles a merchant's orders against payment-channel bills, exactly, on the
//! merchant's own machine — natively or in a browser through WebAssembly.
//!
//! Data flows one way: [`read`] (bytes → normalized rows) → [`matching`] (pairs by key) →
//! [`classify`] (outcome codes, d = E − B, 长款/短款) → [`report`] (summary, exceptions, exports).
//!
//! Files are read as downloaded: gzip and zip containers are opened, and each file's layout
//! ([`Format`]: WeChat, Alipay, UnionPay, bank statements, or any CSV through the alias table) is
//! detected from its content; the totals a bill states about itself are checked against its detail.
//! [`inspect`] shows what a file was read as without reconciling.
//!
//! ```
//! use duizhang::{Profile, Reconciliation, Side};
//!
//! let orders = "order_no,amount,status,created_at\nA1,10.00,SUCCESS,2024-03-15 10:00:00\n\
//!               A2,5.00,SUCCESS,2024-03-15 11:00:00\n";
//! let bill = "trade_no,order_no,amount,trade_type,trade_time\nT1,A1,10.00,SUCCESS,2024-03-15 10:00:05\n\
//!             T2,A2,4.00,SUCCESS,2024-03-15 11:00:03\n";
//! let mut run = Reconciliation::new(Profile::default());
//! run.add_file(Side::Internal, "orders.csv", orders.as_bytes().to_vec())?;
//! run.add_file(Side::Channel, "bill.csv", bill.as_bytes().to_vec())?;
//! let report = run.run(None)?;
//! assert_eq!(report.summary.counts.matched, 1);
//! assert_eq!(report.summary.counts.amount_mismatch, 1);
//! assert_eq!(report.exceptions[0].d.to_string(), "-1.00"); // 短款: the channel paid less
//! # Ok::<(), duizhang::Error>(())
//! ```
#![deny(missing_docs)]

pub mod classify;
pub mod error;
pub mod fund_flow;
pub mod matching;
pub mod money;
pub mod profile;
pub mod read;
pub mod record;
pub mod report;
pub mod sample;
mod sort;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use classify::Outcome;
pub use error::{Error, ErrorKind, Result};
pub use profile::Profile;
pub use read::{Check, Format, ReadAt, RowIssue, Source, Table};
pub use record::Side;
pub use report::Report;

use chrono::{Days, NaiveDate, Timelike};
use matching::{MatchSettings, Matching};

/// The step a run is in, for progress reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading a file: `done` and `total` are bytes of its text.
    Read,
    /// Matching: `done` and `total` are steps of the current pass over the rows.
    Match,
    /// Building the report: `done` and `total` are exceptions.
    Report,
}

impl Phase {
    /// The name used in the JS API and the page.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Read => "read",
            Phase::Match => "match",
            Phase::Report => "report",
        }
    }
}

/// A callback told, every few milliseconds of work, how far the current step is. It returns
/// whether to go on: `false` stops the run with an [`ErrorKind::Cancelled`] error.
pub type ProgressHook = Box<dyn FnMut(Phase, u64, u64) -> bool>;

/// A reconciliation run: files go in one by one, then [`Reconciliation::run`] matches them.
/// State stays here (in Wasm memory behind an opaque handle); results are read in pages.
pub struct Reconciliation {
    profile: Profile,
    tables: Vec<Table>,
    matching: Option<Matching>,
    report: Option<Report>,
    progress: Option<ProgressHook>,
    funds: FundInputs,
    fund_flow: Option<fund_flow::FundFlow>,
}

impl std::fmt::Debug for Reconciliation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reconciliation")
            .field("profile", &self.profile)
            .field("tables", &self.tables.len())
            .field("has_report", &self.report.is_some())
            .finish()
    }
}

/// The fund-flow inputs of a run: bank statements, payout instructions, the book balance, the
/// carry state of the previous run.
#[derive(Debug, Default)]
struct FundInputs {
    statements: Vec<read::bank::Statement>,
    payouts: Vec<read::bank::PayoutFile>,
    ledgers: Vec<read::bank::Ledger>,
    book_balance: Option<rust_decimal::Decimal>,
    carry_in: Option<fund_flow::carry::CarryState>,
    /// The carry state's file name, for errors.
    carry_in_name: String,
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
            matching: None,
            report: None,
            progress: None,
            funds: FundInputs::default(),
            fund_flow: None,
        }
    }

    /// Sets the progress callback (the core never reads the clock: throttle by time in the hook).
    pub fn set_progress(&mut self, hook: ProgressHook) {
        self.progress = Some(hook);
    }

    /// Reads one input of one side: a file, or every file in a gzip or zip (each its own
    /// [`Table`], returned in archive order). Several inputs per side are reconciled together.
    /// Bank statements, payouts and sub-ledgers go through [`Reconciliation::add_fund_file`].
    ///
    /// `source` is the file's bytes, or a [`Source::External`] the caller keeps (a browser
    /// `Blob`, a file on disk): a plain UTF-8 file is then read in chunks and never copied whole,
    /// and the few records a report shows are read from it again, so it must not change until
    /// the run is done.
    pub fn add_file(&mut self, side: Side, name: &str, source: impl Into<Source>) -> Result<&[Table]> {
        self.add_file_as(side, name, source, None)
    }

    /// [`Reconciliation::add_file`], reading a channel file as `format` instead of detecting its
    /// layout (the page's per-file override; the profile's `format` does the same for every file).
    pub fn add_file_as(
        &mut self,
        side: Side,
        name: &str,
        source: impl Into<Source>,
        format: Option<Format>,
    ) -> Result<&[Table]> {
        if !matches!(side, Side::Internal | Side::Channel) {
            let message = format!("{} files are read by add_fund_file, not add_file", side.name());
            return Err(Error::new(ErrorKind::InvalidArgument, message).in_file(name));
        }
        let mut report_read =
            |done: u64, total: u64| self.progress.as_mut().is_none_or(|hook| hook(Phase::Read, done, total));
        let tables =
            read::read_tables_with_progress(name, side, source.into(), &self.profile, format, &mut report_read)?;
        self.matching = None;
        self.report = None;
        let first = self.tables.len();
        self.tables.extend(tables);
        Ok(&self.tables[first..])
    }

    /// The files read so far.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// Matches everything read so far. `date` is the reconciliation date; without it the most
    /// common order date is used (the core never reads the clock).
    pub fn run(&mut self, date: Option<NaiveDate>) -> Result<&Report> {
        self.run_with(date, true)
    }

    /// [`Reconciliation::run`] without building the exceptions (each reads its rows back from the
    /// files): the report has everything else, their count included. Read them a page at a time
    /// with [`Reconciliation::exceptions_page_json`]; [`Reconciliation::complete_report`] builds them
    /// all (for exports). What the browser does: it shows a page of 50 at a time.
    pub fn run_without_exceptions(&mut self, date: Option<NaiveDate>) -> Result<&Report> {
        self.run_with(date, false)
    }

    /// One page of the last run's exceptions (of one outcome, or all), as JSON `{total, offset, rows}`.
    pub fn exceptions_page_json(&self, offset: usize, limit: usize, outcome: Option<Outcome>) -> Result<String> {
        let (Some(report), Some(matching)) = (&self.report, &self.matching) else { return Err(no_run()) };
        if report.exceptions.len() as u64 == report.summary.exception_count {
            return Ok(report.exceptions_page_json(offset, limit, outcome));
        }
        report::items_page_json(&self.tables, report::items_of(&matching.exceptions, outcome), offset, limit)
    }

    /// The last run's report with every exception built (after [`Reconciliation::run_without_exceptions`]).
    pub fn complete_report(&mut self) -> Result<&Report> {
        let (Some(report), Some(matching)) = (&mut self.report, &self.matching) else { return Err(no_run()) };
        if (report.exceptions.len() as u64) < report.summary.exception_count {
            report.exceptions = report::exceptions_of_items(&self.tables, &matching.exceptions, &mut |_, _| true)?;
        }
        Ok(report)
    }

    fn run_with(&mut self, date: Option<NaiveDate>, with_exceptions: bool) -> Result<&Report> {
        // With a bank statement, fund flow can run on the channel bills (or the bank) alone.
        let has_bank = !self.funds.statements.is_empty();
        for side in [Side::Internal, Side::Channel] {
            if !has_bank && !self.tables.iter().any(|t| t.side == side) {
                return Err(Error::new(ErrorKind::InvalidArgument, format!("no {} file was given", side.name())));
            }
        }
        let (date, date_source) = match date {
            Some(date) => (Some(date), "input"),
            None => match infer_date(&self.tables) {
                Some(date) => (Some(date), "inferred"),
                None => (None, "none"),
            },
        };
        self.check_carry_in_is_older(date)?;
        let cutoff = date.map(|date| cutoff_instant(date, self.profile.cutoff));
        let settings = MatchSettings {
            key: self.profile.key,
            tolerance: self.profile.tolerance,
            cutoff,
            pending_from: cutoff.map(|c| c - i64::from(self.profile.pending_window_minutes) * 60),
        };
        let both_sides = [Side::Internal, Side::Channel].iter().all(|&s| self.tables.iter().any(|t| t.side == s));
        let matching = if both_sides {
            let mut report_match =
                |done: u64, total: u64| self.progress.as_mut().is_none_or(|hook| hook(Phase::Match, done, total));
            matching::match_tables_with_progress(&mut self.tables, &settings, &mut report_match)?
        } else {
            // No order export: there is nothing to match transaction by transaction.
            Matching { row_outcomes: self.tables.iter().map(|_| Vec::new()).collect(), ..Matching::default() }
        };
        let mut report_build =
            |done: u64, total: u64| self.progress.as_mut().is_none_or(|hook| hook(Phase::Report, done, total));
        let mut report = report::build_with_progress(
            &self.tables,
            &matching,
            date.map(|d| d.to_string()),
            date_source,
            cutoff,
            self.profile.settings(),
            with_exceptions,
            &mut report_build,
        )?;
        self.matching = Some(matching);
        self.fund_flow = None;
        if self.funds.any() {
            self.run_fund_flow(date, &mut report)?;
        }
        Ok(self.report.insert(report))
    }

    /// A carry state is yesterday's open items: one written on or after the run's date (today's
    /// own state file, or a run on an earlier day) would count items twice or from the future.
    /// Without a date given or inferred from the orders, the statements' last booking date is the
    /// run's date, as in [`fund_flow::match_funds`].
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
    fn run_fund_flow(&mut self, date: Option<NaiveDate>, report: &mut Report) -> Result<()> {
        let settings = &self.profile.fund_flow;
        let carry_in = self.funds.carry_in.as_ref();
        let (input, unbatched) =
            fund_flow::assemble(&self.tables, &self.funds.statements, &self.funds.payouts, carry_in, settings)?;
        let flow = fund_flow::match_funds(input, date, settings);
        let book = match (self.funds.book_balance, self.funds.ledgers.is_empty()) {
            (Some(amount), _) => Some(fund_flow::balance::BookBalance { amount, source: "input".to_string() }),
            (None, false) => Some(fund_flow::balance::BookBalance {
                amount: self.funds.ledgers.iter().map(|l| l.total()).sum(),
                source: self.funds.ledgers.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", "),
            }),
            (None, true) => None,
        };
        let balance = fund_flow::balance::balance_report(&self.funds.statements, &flow, book.as_ref());
        report.fund_flow = Some(fund_flow::view::build(&flow, settings, unbatched, &balance));
        report.balance = Some(balance);
        let issues = self.funds.statements.iter().flat_map(|s| &s.issues);
        let issues = issues.chain(self.funds.payouts.iter().flat_map(|p| &p.issues));
        report.issues.extend(issues.chain(self.funds.ledgers.iter().flat_map(|l| &l.issues)).cloned());
        report.summary.issue_count = report.issues.len() as u64;
        self.fund_flow = Some(flow);
        Ok(())
    }

    /// Reads one fund-flow file: `bank` (a statement), `payouts` (payout instructions) or `book`
    /// (a merchant sub-ledger whose balances sum to the book balance).
    pub fn add_fund_file(
        &mut self,
        side: Side,
        name: &str,
        source: impl Into<Source>,
    ) -> Result<fund_flow::view::InputInfo> {
        // Statements, payouts and sub-ledgers are small: read whole. Online banks hand out
        // XLS/XLSX as often as CSV.
        let bytes = read::spreadsheet::as_text_bytes(name, source.into().into_bytes(name)?)?;
        let info = match side {
            Side::Bank => {
                let statement = read::bank::read_statement(name, bytes)?;
                let info = fund_flow::view::InputInfo::of_statement(&statement);
                self.funds.statements.push(statement);
                info
            }
            Side::Payouts => {
                let file = read::bank::read_payouts(name, bytes)?;
                let info = fund_flow::view::InputInfo::simple(side, name, file.payouts.len(), file.issues.len());
                self.funds.payouts.push(file);
                info
            }
            Side::Book => {
                let ledger = read::bank::read_ledger(name, bytes)?;
                let info = fund_flow::view::InputInfo::simple(side, name, ledger.balances.len(), ledger.issues.len());
                self.funds.ledgers.push(ledger);
                info
            }
            Side::Internal | Side::Channel => {
                let message = format!("{} files are read by add_file", side.name());
                return Err(Error::new(ErrorKind::InvalidArgument, message).in_file(name));
            }
        };
        self.report = None;
        Ok(info)
    }

    /// Sets the platform's book balance (one number) for the 余额调节表; it wins over sub-ledgers.
    pub fn set_book_balance(&mut self, amount: Option<rust_decimal::Decimal>) -> Result<()> {
        if let Some(amount) = amount.filter(|a| !fund_flow::amount_in_range(*a)) {
            let message = format!("book balance {amount} is beyond 10^15 yuan");
            return Err(Error::new(ErrorKind::InvalidArgument, message));
        }
        self.funds.book_balance = amount;
        self.report = None;
        Ok(())
    }

    /// Imports the carry state a previous run exported (see [`Reconciliation::carry_out`]).
    pub fn set_carry_in(&mut self, name: &str, bytes: &[u8]) -> Result<&fund_flow::carry::CarryState> {
        let state = fund_flow::carry::CarryState::from_json(name, bytes)?;
        self.report = None;
        self.funds.carry_in_name = name.to_string();
        Ok(self.funds.carry_in.insert(state))
    }

    /// The fund-flow result of the last run, when fund-flow inputs were given.
    pub fn fund_flow(&self) -> Option<&fund_flow::FundFlow> {
        self.fund_flow.as_ref()
    }

    /// The open items of the last run, for the next run's [`Reconciliation::set_carry_in`].
    pub fn carry_out(&self) -> Option<fund_flow::carry::CarryState> {
        self.fund_flow.as_ref().map(fund_flow::carry::carry_out)
    }

    /// The report of the last run.
    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    /// The matching of the last run, with the outcome of every row (for audits and tests).
    pub fn matching(&self) -> Option<&Matching> {
        self.matching.as_ref()
    }
}

fn no_run() -> Error {
    Error::new(ErrorKind::InvalidArgument, "run() has not been called since the last addFile()")
}

/// Reads every input and reconciles them in one call.
pub fn reconcile(inputs: Vec<(Side, String, Vec<u8>)>, profile: Profile, date: Option<NaiveDate>) -> Result<Report> {
    let mut run = Reconciliation::new(profile);
    for (side, name, bytes) in inputs {
        match side {
            Side::Internal | Side::Channel => drop(run.add_file(side, &name, bytes)?),
            Side::Bank | Side::Payouts | Side::Book => drop(run.add_fund_file(side, &name, bytes)?),
        }
    }
    run.run(date)?;
    Ok(run.report.take().expect("run stores its report"))
}

/// Reads one input on its own and describes every table in it (an archive gives several), without
/// reconciling: what `duizhang inspect` and the Wasm `inspect` print.
pub fn inspect(name: &str, bytes: Vec<u8>, profile: &Profile) -> Result<Vec<report::Inspection>> {
    let bytes = read::spreadsheet::as_text_bytes(name, bytes)?;
    match read::read_tables(name, Side::Channel, bytes.clone(), profile) {
        Ok(tables) => Ok(tables.iter().map(report::Inspection::of).collect()),
        // A bank statement without a serial-number column has no key for transaction matching,
        // but it is a perfectly good statement for fund flow: describe it as such.
        Err(error) if matches!(error.kind(), ErrorKind::NoKnownColumns { .. }) => {
            match read::bank::read_statement(name, bytes) {
                Ok(statement) if !statement.entries.is_empty() => {
                    Ok(vec![report::Inspection::of_statement(&statement)])
                }
                _ => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}

/// Parses a reconciliation date: `YYYY-MM-DD` or `YYYYMMDD`.
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    use time::Part::{Lit, Two, Year};
    time::parse_date_as(text.trim(), &[Year, Lit("-"), Two, Lit("-"), Two])
        .or_else(|| time::parse_date_as(text.trim(), &[Year, Two, Two]))
        .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, format!("date {text:?} is not YYYY-MM-DD")))
}

/// The end of the reconciliation day: the cut-off time on the next day when it is at or before
/// noon (00:00 = midnight after the date), otherwise on the date itself.
fn cutoff_instant(date: NaiveDate, cutoff: chrono::NaiveTime) -> i64 {
    let day = if cutoff.hour() < 12 || (cutoff.hour() == 12 && cutoff.minute() == 0) {
        date.checked_add_days(Days::new(1)).unwrap_or(date)
    } else {
        date
    };
    time::midnight(day) + i64::from(cutoff.num_seconds_from_midnight())
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
