//! What the user takes away from 差错处理: orders to create (补单), refunds to make (退款),
//! adjusting entries (调账分录) and the suspense list (挂账), from the last resolution of every
//! item. One column layout for all four, so a merchant's import maps it once.

use super::export::CsvExport;
use crate::classify::Label;
use crate::codes::codes;
use crate::handling::{Action, Applied, AuditEntry, Domain};
use crate::money::Money;
use crate::profile::HandlingAccounts;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

codes! {
    /// A document of 差错处理.
    pub enum DocumentKind {
        /// Orders to create in the merchant's system (补单).
        Orders = ("orders", "补单"),
        /// Refunds to make (退款).
        Refunds = ("refunds", "退款"),
        /// Adjusting entries (调账分录).
        Adjustments = ("adjustments", "调账分录"),
        /// Items parked, with their ages (挂账).
        Suspense = ("suspense", "挂账"),
    }
}

/// One line of a document.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DocumentLine {
    /// The item's id.
    pub id: String,
    /// Which part of the report.
    pub domain: Domain,
    /// Its outcome code.
    pub outcome: String,
    /// Merchant.
    pub merchant: String,
    /// Which field `key` is.
    pub key_field: String,
    /// Order number, trade number, batch id or bank serial.
    pub key: String,
    /// The item's date.
    pub date: Option<NaiveDate>,
    /// Days from its date to the run's date (suspense).
    pub age_days: Option<i64>,
    /// Account debited (adjustments).
    pub debit: String,
    /// Account credited (adjustments).
    pub credit: String,
    /// The amount: |d| (what to create, refund or adjust).
    pub amount: Money,
    /// 长款 / 短款.
    pub label: Option<Label>,
    /// The note.
    pub note: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: String,
    /// The audit log line.
    pub seq: u64,
}

/// Every document, for the JSON export.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Documents {
    /// 补单.
    pub orders: Vec<DocumentLine>,
    /// 退款.
    pub refunds: Vec<DocumentLine>,
    /// 调账分录.
    pub adjustments: Vec<DocumentLine>,
    /// 挂账.
    pub suspense: Vec<DocumentLine>,
}

impl Documents {
    /// The documents of the resolutions applied to a run dated `as_of`: the orders, refunds and
    /// adjusting entries of today's resolutions (an earlier day's were that day's documents; listing
    /// them again would create an order twice), and every item parked, whenever it was.
    pub fn of(applied: &Applied, accounts: &HandlingAccounts, as_of: Option<NaiveDate>) -> Documents {
        let mut docs = Documents { orders: vec![], refunds: vec![], adjustments: vec![], suspense: vec![] };
        for e in applied.effective() {
            // A fund-flow item parked yesterday that matched since is closed by the match.
            let matched_since = e.domain == Domain::FundFlow && !applied.is_present(&e.id);
            let today = e.seq as usize > applied.carried;
            match e.action {
                Action::CreateOrder | Action::Refund | Action::Adjust if !today => {}
                Action::CreateOrder => docs.orders.push(line(e, "", "", as_of)),
                Action::Refund => docs.refunds.push(line(e, "", "", as_of)),
                Action::Adjust => {
                    let money = if e.domain == Domain::Clearing { &accounts.fees } else { &accounts.bank };
                    let (debit, credit) = if e.d.0 >= Decimal::ZERO {
                        (money.as_str(), accounts.long.as_str())
                    } else {
                        (accounts.short.as_str(), money.as_str())
                    };
                    docs.adjustments.push(line(e, debit, credit, as_of));
                }
                Action::Suspend if !matched_since => docs.suspense.push(line(e, "", "", as_of)),
                Action::Suspend | Action::WriteOff | Action::Accept => {}
            }
        }
        docs
    }

    /// The lines of one document.
    pub fn lines(&self, kind: DocumentKind) -> &[DocumentLine] {
        match kind {
            DocumentKind::Orders => &self.orders,
            DocumentKind::Refunds => &self.refunds,
            DocumentKind::Adjustments => &self.adjustments,
            DocumentKind::Suspense => &self.suspense,
        }
    }

    /// One document as CSV for Excel (UTF-8 with BOM, formulas defused).
    pub fn csv(&self, kind: DocumentKind) -> Vec<u8> {
        let mut export = CsvExport::new(
            [
                "document",
                "id",
                "domain",
                "outcome",
                "merchant",
                "key_field",
                "key",
                "date",
                "age_days",
                "debit",
                "credit",
                "amount",
                "label",
                "note",
                "by",
                "at",
                "seq",
            ],
            256 + self.lines(kind).len() * 160,
        );
        for l in self.lines(kind) {
            export.row([
                kind.name_zh().to_string(),
                l.id.clone(),
                l.domain.code().to_string(),
                l.outcome.clone(),
                l.merchant.clone(),
                l.key_field.clone(),
                l.key.clone(),
                l.date.map(|d| d.to_string()).unwrap_or_default(),
                l.age_days.map(|d| d.to_string()).unwrap_or_default(),
                l.debit.clone(),
                l.credit.clone(),
                l.amount.to_string(),
                l.label.map_or("", Label::code).to_string(),
                l.note.clone(),
                l.by.clone(),
                l.at.clone(),
                l.seq.to_string(),
            ]);
        }
        export.into_bytes()
    }
}

fn line(e: &AuditEntry, debit: &str, credit: &str, as_of: Option<NaiveDate>) -> DocumentLine {
    DocumentLine {
        id: e.id.clone(),
        domain: e.domain,
        outcome: e.outcome.clone(),
        merchant: e.merchant.clone(),
        key_field: e.key_field.clone(),
        key: e.key.clone(),
        date: e.date,
        age_days: e.date.zip(as_of).map(|(d, a)| (a - d).num_days()),
        debit: debit.to_string(),
        credit: credit.to_string(),
        amount: Money(e.d.0.abs()),
        label: e.label,
        note: e.note.clone(),
        by: e.by.clone(),
        at: e.at.clone(),
        seq: e.seq,
    }
}
