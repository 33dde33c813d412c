//! The audit log: one JSON line per action, each holding the SHA-256 of the line before it
//! (`prev`) and of itself (`hash`, over its canonical JSON with `hash` empty), so that a line
//! edited, dropped, inserted or moved breaks the chain from there on.

use super::model::{Action, Domain, Resolution, ResolutionView, Subject};
use crate::classify::Label;
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One line of the audit log. Field order is the canonical JSON's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct AuditEntry {
    /// 1-based line number.
    pub seq: u64,
    /// The item's id.
    pub id: String,
    /// Which part of the report.
    pub domain: Domain,
    /// Its outcome code when resolved.
    pub outcome: String,
    /// d = E − B.
    pub d: Money,
    /// 长款 / 短款.
    pub label: Option<Label>,
    /// Merchant.
    pub merchant: String,
    /// Which field the key is (transactions).
    pub key_field: String,
    /// The key.
    pub key: String,
    /// The item's date (`YYYY-MM-DD`, chrono's own form both ways).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// What was done.
    pub action: Action,
    /// Why.
    pub note: String,
    /// Who.
    pub by: String,
    /// When (as the caller gave it).
    pub at: String,
    /// The resolutions file it came from, or `api`.
    pub source: String,
    /// `hash` of the line before (64 zeros for the first).
    pub prev: String,
    /// SHA-256 of this line's canonical JSON with `hash` empty.
    pub hash: String,
}

/// The `prev` of the first line.
pub fn genesis() -> String {
    "0".repeat(64)
}

impl AuditEntry {
    pub(super) fn new(seq: u64, s: &Subject, r: &Resolution, source: &str, prev: String) -> AuditEntry {
        let mut entry = AuditEntry {
            seq,
            id: s.id.clone(),
            domain: s.domain,
            outcome: s.outcome.clone(),
            d: Money(s.d),
            label: s.label,
            merchant: s.merchant.clone(),
            key_field: s.key_field.clone(),
            key: s.key.clone(),
            date: s.date,
            action: r.action,
            note: r.note.trim().to_string(),
            by: r.by.trim().to_string(),
            at: r.at.trim().to_string(),
            source: source.to_string(),
            prev,
            hash: String::new(),
        };
        entry.hash = entry.own_hash();
        entry
    }

    /// SHA-256 of the canonical JSON with `hash` empty.
    pub(super) fn own_hash(&self) -> String {
        let canonical = AuditEntry { hash: String::new(), ..self.clone() };
        crate::id::sha256_hex(serde_json::to_string(&canonical).unwrap_or_default().as_bytes())
    }

    /// The item as the line describes it (to resolve an item carried only by the log).
    pub(super) fn subject(&self) -> Subject {
        Subject {
            id: self.id.clone(),
            domain: self.domain,
            outcome: self.outcome.clone(),
            timing: matches!(self.outcome.as_str(), "pending" | "in_transit"),
            d: self.d.0,
            label: self.label,
            merchant: self.merchant.clone(),
            key_field: self.key_field.clone(),
            key: self.key.clone(),
            date: self.date,
        }
    }

    pub(super) fn view(&self) -> ResolutionView {
        ResolutionView {
            action: self.action,
            action_zh: self.action.name_zh(),
            note: self.note.clone(),
            by: self.by.clone(),
            at: self.at.clone(),
            source: self.source.clone(),
            seq: self.seq,
        }
    }
}

/// The log as JSON lines (what `--audit-out` writes and `auditLog()` returns).
pub fn to_json_lines(chain: &[AuditEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in chain {
        out.extend(serde_json::to_vec(e).unwrap_or_default());
        out.push(b'\n');
    }
    out
}

/// Where a log stops verifying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogBreak {
    /// 1-based line of the file.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// Verifies a day-by-day series of audit logs, oldest first, as the exports of the days they were
/// written (the log travels in the state file, so each day's export holds every earlier line):
/// each must verify on its own and begin with every line of the one before it, so a history
/// rewritten and hashed again from the start, which verifies on its own, is caught against an
/// earlier export. Returns the lines of each, or which log (0-based) breaks and where.
pub fn verify_logs(logs: &[&[u8]]) -> Result<Vec<usize>, (usize, LogBreak)> {
    let mut lines = Vec::new();
    let mut before: Vec<AuditEntry> = Vec::new();
    for (n, log) in logs.iter().enumerate() {
        let entries = verify_log(log).map_err(|b| (n, b))?;
        if let Some(k) = (0..before.len()).find(|&k| entries.get(k).map(|e| &e.hash) != Some(&before[k].hash)) {
            let reason = match entries.get(k) {
                Some(_) => "differs from the same line of the log before it: the history was rewritten",
                None => "is missing: the log before it has more lines",
            };
            return Err((n, LogBreak { line: k as u64 + 1, reason: reason.to_string() }));
        }
        lines.push(entries.len());
        before = entries;
    }
    Ok(lines)
}

/// Verifies a JSON-lines audit log; returns its lines, or the first line that does not verify.
/// Blank lines are allowed only at the end.
pub fn verify_log(text: &[u8]) -> Result<Vec<AuditEntry>, LogBreak> {
    let text = std::str::from_utf8(text).map_err(|e| LogBreak { line: 1, reason: format!("not UTF-8: {e}") })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entries: Vec<AuditEntry> = Vec::new();
    if text.trim().is_empty() {
        return Ok(entries);
    }
    for (n, raw) in text.trim_end().split('\n').enumerate() {
        let line = n as u64 + 1;
        let broken = |reason: String| LogBreak { line, reason };
        let entry: AuditEntry =
            serde_json::from_str(raw.trim_end_matches('\r')).map_err(|e| broken(format!("not an audit line: {e}")))?;
        if entry.seq != line {
            return Err(broken(format!("seq is {}, not {line}", entry.seq)));
        }
        let prev = entries.last().map_or_else(genesis, |e| e.hash.clone());
        if entry.prev != prev {
            return Err(broken("prev is not the hash of the line before".to_string()));
        }
        if entry.own_hash() != entry.hash {
            return Err(broken("the line was changed after it was written (its hash does not match)".to_string()));
        }
        entries.push(entry);
    }
    Ok(entries)
}
