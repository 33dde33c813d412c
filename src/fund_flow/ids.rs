//! The ids of fund-flow items, from their content (see [`crate::id`]): the same movement or payout
//! has the same id in every run, whichever file or line it came from, so a carried item and a
//! resolution find it again.

/// A movement's id, from what the bank wrote (never the file name or line: a statement downloaded
/// again, sorted differently or covering yesterday too gives the same ids). The bank's serial
/// number (流水号) makes it unique where the bank writes one; identical movements without one are
/// told apart by the merger's `#n`.
pub(super) fn movement_id(e: &crate::read::BankEntry) -> String {
    movement_content_id(e.date, e.time, e.amount, &e.serial, &e.counterparty_account, &e.memo)
}

/// A movement's id from its fields (a carry state written before content ids has all but the time).
pub(super) fn movement_content_id(
    date: chrono::NaiveDate,
    time: Option<chrono::NaiveTime>,
    amount: rust_decimal::Decimal,
    serial: &str,
    counterparty_account: &str,
    memo: &str,
) -> String {
    let time = time.map(|t| t.to_string()).unwrap_or_default();
    let (date, amount) = (date.to_string(), crate::id::amount_part(amount));
    crate::id::content_id("bank", &[&date, &time, &amount, serial, counterparty_account, memo])
}

/// A payout instruction's id, from its content.
pub(super) fn payout_id(p: &crate::read::Payout) -> String {
    let (date, amount) = (p.date.to_string(), crate::id::amount_part(p.amount));
    crate::id::content_id("payout", &[&p.merchant, &date, &amount, &p.account, &p.reference])
}

/// A pair's id (金额不符), from its items' ids (settlements, then the credit): the same pair has
/// the same id in every run it is carried through, so its resolution finds it again.
pub(super) fn pair_id(members: &[&str]) -> String {
    crate::id::content_id("pair", members)
}
