//! duizhang (对账): reconciles a merchant's orders against payment-channel bills, exactly, on the
//! merchant's own machine — natively or in a browser through WebAssembly.
//!
//! Data flows one way: [`read`] (bytes → normalized rows) → [`matching`] (pairs by key) →
//! [`classify`] (outcome codes, d = E − B, 长款/短款) → [`report`] (summary, exceptions, exports).
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
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use classify::Outcome;
pub use error::{Error, ErrorKind, Result};
pub use profile::Profile;
pub use read::{RowIssue, Table};
pub use record::Side;
pub use report::Report;

use chrono::{Days, NaiveDate, Timelike};
use matching::{MatchSettings, Matching};

/// A reconciliation run: files go in one by one, then [`Reconciliation::run`] matches them.
/// State stays here (in Wasm memory behind an opaque handle); results are read in pages.
#[derive(Debug)]
pub struct Reconciliation {
    profile: Profile,
    tables: Vec<Table>,
    matching: Option<Matching>,
    report: Option<Report>,
}

impl Reconciliation {
    /// A run with the given settings and no files yet.
    pub fn new(profile: Profile) -> Self {
        Reconciliation { profile, tables: Vec::new(), matching: None, report: None }
    }

    /// Reads one file of one side. Several files per side are reconciled together.
    pub fn add_file(&mut self, side: Side, name: &str, bytes: Vec<u8>) -> Result<&Table> {
        let table = read::read_table(name, side, bytes, &self.profile)?;
        self.matching = None;
        self.report = None;
        self.tables.push(table);
        Ok(self.tables.last().expect("a table was just pushed"))
    }

    /// The files read so far.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// Matches everything read so far. `date` is the reconciliation date; without it the most
    /// common order date is used (the core never reads the clock).
    pub fn run(&mut self, date: Option<NaiveDate>) -> Result<&Report> {
        for side in [Side::Internal, Side::Channel] {
            if !self.tables.iter().any(|t| t.side == side) {
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
        let cutoff = date.map(|date| cutoff_instant(date, self.profile.cutoff));
        let settings = MatchSettings {
            key: self.profile.key,
            tolerance: self.profile.tolerance,
            cutoff,
            pending_from: cutoff.map(|c| c - i64::from(self.profile.pending_window_minutes) * 60),
        };
        let matching = matching::match_tables(&self.tables, &settings);
        let report = report::build(
            &self.tables,
            &matching,
            date.map(|d| d.format("%Y-%m-%d").to_string()),
            date_source,
            cutoff,
            self.profile.settings(),
        );
        self.matching = Some(matching);
        Ok(self.report.insert(report))
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

/// Reads every input and reconciles them in one call.
pub fn reconcile(inputs: Vec<(Side, String, Vec<u8>)>, profile: Profile, date: Option<NaiveDate>) -> Result<Report> {
    let mut run = Reconciliation::new(profile);
    for (side, name, bytes) in inputs {
        run.add_file(side, &name, bytes)?;
    }
    run.run(date)?;
    Ok(run.report.take().expect("run stores its report"))
}

/// Parses a reconciliation date: `YYYY-MM-DD` or `YYYYMMDD`.
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text.trim(), "%Y%m%d"))
        .map_err(|_| Error::new(ErrorKind::InvalidArgument, format!("date {text:?} is not YYYY-MM-DD")))
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
            for row in &table.rows {
                if let Some(t) = row.time {
                    *days.entry(t.div_euclid(time::DAY)).or_default() += 1;
                }
            }
        }
        let best = days.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((day, _)) = best {
            return time::date_of(day * time::DAY);
        }
    }
    None
}
