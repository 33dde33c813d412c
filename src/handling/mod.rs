//! 差错处理: what was done about each break. Resolutions (`[{id, action, note, by, at}]`) are
//! checked against the run's items by their content-derived ids; each accepted one becomes a line
//! of a hash-chained audit log ([`audit`]), which travels in the state file so that the next day
//! applies it again to the same ids. Handling comes after the report: it reads the report's items
//! ([`Subject`]s) and never changes what matching found, only each item's [`ItemState`].

mod audit;
mod model;

pub use audit::{to_json_lines, verify_log, verify_logs, AuditEntry, LogBreak};
pub use model::{Action, Domain, ItemState, Resolution, ResolutionView, Subject};

use crate::classify::Label;
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::read::{IssueCode, RowIssue};
use crate::record::InputKind;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A resolution waiting to be applied, and where it came from (a file and index, or the API).
#[derive(Clone, Debug)]
struct Given {
    source: String,
    /// The resolutions file's ordinal among the files given (`None` from the API): two files may
    /// share a name.
    file: Option<usize>,
    index: usize,
    resolution: Resolution,
}

/// The resolutions of a run: carried in (the audit log of earlier days) and given today.
#[derive(Clone, Debug, Default)]
pub struct Handling {
    carried: Vec<AuditEntry>,
    given: Vec<Given>,
    /// Entries of files that could not even be read as a resolution.
    unreadable: Vec<RowIssue>,
    /// How many log lines were exported: those can no longer be undone.
    exported: usize,
    /// Resolutions files read so far.
    files: usize,
}

impl Handling {
    /// Whether anything is to be handled (otherwise the run skips handling's work altogether).
    pub fn is_active(&self) -> bool {
        !self.carried.is_empty() || !self.given.is_empty() || !self.unreadable.is_empty()
    }

    /// The audit log of earlier days, from the state file (already verified).
    pub fn carry_in(&mut self, log: Vec<AuditEntry>) {
        self.exported = log.len();
        self.carried = log;
    }

    /// Reads a resolutions file: a JSON array of resolutions. An entry that is not a resolution
    /// is an issue naming its index; a file that is not a JSON array is an error.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<usize> {
        let entries: Vec<serde_json::Value> = serde_json::from_slice(bytes).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("resolutions are a JSON array of {{id, action, note, by, at}}: {e}"),
            )
            .in_file(name)
            .at(e.line() as u64, Some(e.column() as u64))
        })?;
        let count = entries.len();
        let file = Some(self.files);
        self.files += 1;
        for (index, entry) in entries.into_iter().enumerate() {
            match serde_json::from_value::<Resolution>(entry) {
                Ok(resolution) => self.given.push(Given { source: name.to_string(), file, index, resolution }),
                Err(e) => self.unreadable.push(rejection(name, index, &e.to_string())),
            }
        }
        Ok(count)
    }

    /// Adds one resolution from the API (checked when applied).
    pub fn add(&mut self, resolution: Resolution) {
        let index = self.given.len();
        self.given.push(Given { source: "api".to_string(), file: None, index, resolution });
    }

    /// Drops the resolution given last (a rejected `resolve()`).
    pub fn pop_given(&mut self) {
        self.given.pop();
    }

    /// Drops the last resolution given for `id`, unless its log line was already exported.
    pub fn remove_last(&mut self, id: &str, applied: &Applied) -> Result<()> {
        let refuse = |m: String| Err(Error::new(ErrorKind::InvalidArgument, m));
        let accepted = |n: usize| applied.given_seq.get(n).copied().flatten();
        let found = self.given.iter().enumerate().rposition(|(n, g)| g.resolution.id == id && accepted(n).is_some());
        let Some(n) = found.or_else(|| self.given.iter().rposition(|g| g.resolution.id == id)) else {
            return refuse(format!("no resolution was given for {id:?}"));
        };
        if accepted(n).is_some_and(|seq| seq <= self.exported) {
            return refuse(format!("the resolution of {id:?} is in an exported audit log: resolve it again instead"));
        }
        self.given.remove(n);
        Ok(())
    }

    /// Marks every line of `applied`'s log as exported (undo is refused for them from now on).
    pub fn mark_exported(&mut self, applied: &Applied) {
        self.exported = applied.chain.len();
    }

    /// The resolutions given this run, in order.
    pub fn given(&self) -> Vec<Resolution> {
        self.given.iter().map(|g| g.resolution.clone()).collect()
    }

    /// Why a resolution from a file is not even considered: a second one of the same item in one
    /// file (the first stands), or one of an item a later file resolves too (later files win).
    fn file_refusals(&self) -> Vec<Option<String>> {
        let mut first_in_file: rustc_hash::FxHashMap<(usize, &str), usize> = Default::default();
        let mut last_file: rustc_hash::FxHashMap<&str, usize> = Default::default();
        for g in &self.given {
            if let Some(file) = g.file {
                first_in_file.entry((file, g.resolution.id.as_str())).or_insert(g.index);
                last_file.insert(g.resolution.id.as_str(), file);
            }
        }
        let file_name =
            |file: usize| self.given.iter().find(|g| g.file == Some(file)).map_or("", |g| g.source.as_str());
        self.given
            .iter()
            .map(|g| {
                let file = g.file?;
                let id = g.resolution.id.as_str();
                let last = last_file[id];
                if last != file {
                    return Some(format!(
                        "{id:?} is resolved again in the later file {:?}, which wins",
                        file_name(last)
                    ));
                }
                let first = first_in_file[&(file, id)];
                (first != g.index)
                    .then(|| format!("a second resolution of {id:?} in this file (the first is resolution {first})"))
            })
            .collect()
    }

    /// Checks every given resolution against `subjects` (the run's items) and the log so far, in
    /// order; the accepted ones become log lines after the carried ones.
    pub fn apply(&self, subjects: &[Subject]) -> Applied {
        let today: rustc_hash::FxHashMap<&str, &Subject> = subjects.iter().map(|s| (s.id.as_str(), s)).collect();
        let mut applied = Applied {
            chain: self.carried.clone(),
            carried: self.carried.len(),
            issues: self.unreadable.clone(),
            present: today.keys().map(|id| id.to_string()).collect(),
            ..Applied::default()
        };
        for (n, e) in applied.chain.iter().enumerate() {
            applied.last.insert(e.id.clone(), n);
        }
        for (g, refused) in self.given.iter().zip(self.file_refusals()) {
            let r = &g.resolution;
            let carried = applied.last.get(&r.id).map(|&n| applied.chain[n].subject());
            let subject = match (today.get(r.id.as_str()), carried) {
                (Some(s), _) => Some((*s).clone()),
                // Fund-flow items are always run again: one not open today has matched since.
                (None, Some(s)) if s.domain != Domain::FundFlow => Some(s),
                _ => None,
            };
            let state = applied.state_of(&r.id).0;
            let why = match &subject {
                _ if refused.is_some() => refused,
                None => Some(format!("no open item has the id {:?}", r.id)),
                Some(_) if state == ItemState::Closed => Some(format!("{:?} is already closed", r.id)),
                Some(s) => r.action.refusal(s, &r.note).or_else(|| check_by_at(r)),
            };
            match (why, subject) {
                (None, Some(s)) => {
                    let prev = applied.chain.last().map_or_else(audit::genesis, |e| e.hash.clone());
                    let entry = AuditEntry::new(applied.chain.len() as u64 + 1, &s, r, &g.source, prev);
                    applied.last.insert(r.id.clone(), applied.chain.len());
                    applied.chain.push(entry);
                    applied.given_seq.push(Some(applied.chain.len()));
                }
                (why, _) => {
                    applied.issues.push(rejection(&g.source, g.index, &why.unwrap_or_default()));
                    applied.given_seq.push(None);
                }
            }
        }
        applied
    }
}

fn check_by_at(r: &Resolution) -> Option<String> {
    if r.by.trim().is_empty() {
        return Some("by is empty: say who resolved it".to_string());
    }
    (!is_timestamp(r.at.trim())).then(|| format!("at {:?} is not a timestamp (RFC 3339 or YYYY-MM-DD HH:MM:SS)", r.at))
}

/// Whether `at` is `YYYY-MM-DD HH:MM:SS` or RFC 3339 (`2026-03-25T09:00:00+08:00`, `…Z`, with a
/// fraction or not). By hand, like `time.rs`: chrono's format parsers would add about 30 KB to the
/// Wasm module for this one check (tests compare it with chrono's `parse_from_rfc3339`).
pub(crate) fn is_timestamp(at: &str) -> bool {
    let b = at.as_bytes();
    if b.len() < 19 || !b.is_ascii() {
        return false;
    }
    let (head, zone) = b.split_at(19);
    let number = |from: usize, len: usize| {
        let part = &head[from..from + len];
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let shape = head[4] == b'-' && head[7] == b'-' && head[13] == b':' && head[16] == b':';
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) =
        (number(0, 4), number(5, 2), number(8, 2), number(11, 2), number(14, 2), number(17, 2))
    else {
        return false;
    };
    let valid = shape
        && NaiveDate::from_ymd_opt(y as i32, mo, d).is_some()
        && chrono::NaiveTime::from_hms_opt(h, mi, s.min(59)).is_some()
        && s <= 60;
    match head[10] {
        // A plain local time, as the Chinese files write them.
        b' ' if zone.is_empty() => valid,
        // RFC 3339 (which allows a space for the T).
        b'T' | b't' | b' ' => {
            let zone = match zone.strip_prefix(b".") {
                Some(rest) => {
                    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
                    if digits == 0 {
                        return false;
                    }
                    &rest[digits..]
                }
                None => zone,
            };
            let offset = |z: &[u8]| {
                z.len() == 6
                    && matches!(z[0], b'+' | b'-')
                    && z[3] == b':'
                    && z[1..3].iter().chain(&z[4..6]).all(u8::is_ascii_digit)
                    && (z[1] - b'0') * 10 + (z[2] - b'0') < 24
                    && (z[4] - b'0') * 10 + (z[5] - b'0') < 60
            };
            valid && (matches!(zone, b"Z" | b"z") || offset(zone))
        }
        _ => false,
    }
}

fn rejection(source: &str, index: usize, why: &str) -> RowIssue {
    let message = format!("resolution {index}: {why}");
    let mut issue =
        RowIssue::new(source, InputKind::Resolutions, index as u32 + 1, None, IssueCode::ResolutionRejected, message);
    issue.line = None;
    issue
}

/// The resolutions applied to a run: the whole audit log and, per id, its last line.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// The audit log: carried lines, then today's.
    pub chain: Vec<AuditEntry>,
    /// How many of its lines were carried in (earlier days').
    pub carried: usize,
    /// Resolutions rejected (and entries that were no resolution).
    pub issues: Vec<RowIssue>,
    last: rustc_hash::FxHashMap<String, usize>,
    present: rustc_hash::FxHashSet<String>,
    /// The log line (1-based) each given resolution became, if accepted.
    given_seq: Vec<Option<usize>>,
}

impl Applied {
    /// Whether the last resolution given was accepted.
    pub fn last_given_accepted(&self) -> bool {
        self.given_seq.last().is_some_and(Option::is_some)
    }

    /// An item's state and its last resolution.
    pub fn state_of(&self, id: &str) -> (ItemState, Option<ResolutionView>) {
        match self.last.get(id) {
            None => (ItemState::Open, None),
            Some(&n) => {
                let e = &self.chain[n];
                (e.action.state(), Some(e.view()))
            }
        }
    }

    /// The last line of every item resolved, in log order.
    pub fn effective(&self) -> impl Iterator<Item = &AuditEntry> {
        let mut lines: Vec<usize> = self.last.values().copied().collect();
        lines.sort_unstable();
        lines.into_iter().map(|n| &self.chain[n])
    }

    /// Whether the item is in today's report.
    pub fn is_present(&self, id: &str) -> bool {
        self.present.contains(id)
    }

    /// Ids the state file must not carry again: closed items.
    pub fn closed(&self, id: &str) -> bool {
        self.state_of(id).0 == ItemState::Closed
    }

    /// The handling section and summary figures, with `open_base` items open before handling and
    /// the transaction long/short totals as found.
    pub fn report(&self, as_of: Option<NaiveDate>, open_base: u64, long: Decimal, short: Decimal) -> HandlingReport {
        let mut resolved: BTreeMap<&'static str, u64> = Action::ALL.iter().map(|a| (a.code(), 0)).collect();
        let (mut open, mut open_long, mut open_short) = (open_base, long, short);
        let mut carried_open = Vec::new();
        let mut closed_by_matching = Vec::new();
        let mut suspense = Vec::new();
        for e in self.effective() {
            *resolved.entry(e.action.code()).or_default() += 1;
            let present = self.present.contains(&e.id);
            let transaction_break = e.domain == Domain::Transaction && e.label.is_some();
            let d = e.d.0;
            match (e.action.state(), present) {
                (ItemState::Closed, true) => {
                    open -= 1;
                    if transaction_break && d > Decimal::ZERO {
                        open_long -= d;
                    } else if transaction_break && d < Decimal::ZERO {
                        open_short -= d;
                    }
                }
                (ItemState::Closed, false) => {}
                (_, false) if e.domain == Domain::FundFlow => closed_by_matching.push(e.id.clone()),
                (state, present) => {
                    let item = OpenItem::of(e, state, as_of);
                    if !present {
                        open += 1;
                        if transaction_break && d > Decimal::ZERO {
                            open_long += d;
                        } else if transaction_break && d < Decimal::ZERO {
                            open_short += d;
                        }
                        carried_open.push(item.clone());
                    }
                    if state == ItemState::Parked {
                        suspense.push(item);
                    }
                }
            }
        }
        HandlingReport {
            open,
            resolved,
            open_long_total: Money(open_long),
            open_short_total: Money(open_short),
            log_lines: self.chain.len() as u64,
            rejected: self.issues.len() as u64,
            carried_open,
            closed_by_matching,
            suspense,
        }
    }
}

/// An item still open after handling (parked or accepted), as the suspense list and the carried
/// list show it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OpenItem {
    /// The item's id.
    pub id: String,
    /// Which part of the report.
    pub domain: Domain,
    /// Outcome code.
    pub outcome: String,
    /// d = E − B.
    pub d: Money,
    /// 长款 / 短款.
    pub label: Option<Label>,
    /// Merchant.
    pub merchant: String,
    /// Key.
    pub key: String,
    /// The item's date.
    pub date: Option<NaiveDate>,
    /// Days from its date to the run's date.
    pub age_days: Option<i64>,
    /// `parked` or `accepted`.
    pub state: ItemState,
    /// Its last resolution.
    pub resolution: ResolutionView,
}

impl OpenItem {
    fn of(e: &AuditEntry, state: ItemState, as_of: Option<NaiveDate>) -> OpenItem {
        OpenItem {
            id: e.id.clone(),
            domain: e.domain,
            outcome: e.outcome.clone(),
            d: e.d,
            label: e.label,
            merchant: e.merchant.clone(),
            key: e.key.clone(),
            date: e.date,
            age_days: e.date.zip(as_of).map(|(d, a)| (a - d).num_days()),
            state,
            resolution: e.view(),
        }
    }
}

/// The 差错处理 section of a report: present when resolutions were given or carried in.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct HandlingReport {
    /// Items still open, parked and accepted ones included.
    pub open: u64,
    /// Items per action of their last resolution (every action present).
    #[cfg_attr(feature = "typescript", ts(type = "Record<Action, number>"))]
    pub resolved: BTreeMap<&'static str, u64>,
    /// The transaction 长款 still open.
    pub open_long_total: Money,
    /// The transaction 短款 still open.
    pub open_short_total: Money,
    /// Lines in the audit log.
    pub log_lines: u64,
    /// Resolutions rejected (each is an issue `resolution_rejected`).
    pub rejected: u64,
    /// Parked or accepted items of earlier days that today's files do not hold: still open.
    pub carried_open: Vec<OpenItem>,
    /// Parked or accepted fund-flow items that matched since (a late credit): closed, their
    /// resolutions kept in the log.
    pub closed_by_matching: Vec<String>,
    /// Every parked item (挂账) with its age.
    pub suspense: Vec<OpenItem>,
}

#[cfg(test)]
mod tests;
