//! Statements downloaded twice: platforms download statements by date range, so the files of one
//! account overlap (1–20 November and 10–30 November). A movement of the account that is in
//! several files is one movement. It is known by its content: date, time, signed amount, balance
//! after and 流水号, the same in every download of the same bank. Within one file, identical
//! rows are distinct movements (two equal transfers in one minute on a statement without
//! balances), so each content is counted per file and the largest count across the account's
//! files is taken, never the sum.
//!
//! Every later step sees the statements through [`Accounts`]: fund flow skips repeated movements,
//! and the balance checks run over each account's merged movements, oldest first.

use crate::read::{BankEntry, Statement};
use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;

/// The run's statements grouped by account, with the movements already read from an earlier file
/// of the same account marked.
pub struct Accounts<'a> {
    /// The statements as given.
    pub statements: &'a [Statement],
    /// Per statement: its account. A statement whose title names none belongs to the one account
    /// the others name, if they name exactly one (banks differ in what their title rows say);
    /// statements that name none at all are taken as one account.
    pub accounts: Vec<Option<String>>,
    /// Statement indexes by account, then oldest first (first and last booking date; the given
    /// order for statements of the same days).
    pub order: Vec<usize>,
    /// Per statement, per entry: the movement was read from an earlier statement of the account.
    repeated: Vec<Vec<bool>>,
}

/// A movement's content, the same in every download of it.
type Content<'e> = (NaiveDate, Option<NaiveTime>, Decimal, Option<Decimal>, &'e str);

fn content(e: &BankEntry) -> Content<'_> {
    (e.date, e.time, e.amount, e.balance, e.serial.as_str())
}

impl<'a> Accounts<'a> {
    /// Groups the statements by account and marks repeated movements.
    pub fn of(statements: &'a [Statement]) -> Accounts<'a> {
        let mut named = std::collections::BTreeSet::new();
        named.extend(statements.iter().filter_map(|s| s.account.as_ref()));
        let only = if named.len() == 1 { named.into_iter().next().cloned() } else { None };
        let accounts: Vec<Option<String>> =
            statements.iter().map(|s| s.account.clone().or_else(|| only.clone())).collect();
        let mut order: Vec<usize> = (0..statements.len()).collect();
        let span = |s: &Statement| {
            let totals = &s.balance.totals;
            (totals.first_date, totals.last_date)
        };
        // A stable sort keeps the given order for statements of the same days.
        crate::sort::sort_by(&mut order, |&a, &b| {
            (&accounts[a], span(&statements[a])).cmp(&(&accounts[b], span(&statements[b])))
        });
        let mut repeated: Vec<Vec<bool>> = statements.iter().map(|s| vec![false; s.entries.len()]).collect();
        for group in order.chunk_by(|&a, &b| accounts[a] == accounts[b]).filter(|g| g.len() > 1) {
            // How many movements of each content the account's files read so far hold.
            let mut kept: rustc_hash::FxHashMap<Content, u32> = Default::default();
            for &i in group {
                let mut here: rustc_hash::FxHashMap<Content, u32> = Default::default();
                for (n, e) in statements[i].entries.iter().enumerate() {
                    let seen = here.entry(content(e)).or_default();
                    *seen += 1;
                    repeated[i][n] = *seen <= kept.get(&content(e)).copied().unwrap_or(0);
                }
                for (c, n) in here {
                    let k = kept.entry(c).or_default();
                    *k = (*k).max(n);
                }
            }
        }
        Accounts { statements, accounts, order, repeated }
    }

    /// Whether entry `n` of statement `i` was read from an earlier statement of its account.
    pub fn is_repeated(&self, i: usize, n: usize) -> bool {
        self.repeated[i][n]
    }

    /// How many of statement `i`'s movements were read from an earlier statement of its account.
    pub fn repeated_in(&self, i: usize) -> u64 {
        self.repeated[i].iter().filter(|&&r| r).count() as u64
    }

    /// Statement `i`'s movements that are not repeated, oldest first, with their index in the file.
    pub fn new_movements(&self, i: usize) -> impl Iterator<Item = (usize, &'a BankEntry)> + '_ {
        let s = &self.statements[i];
        let n = s.entries.len();
        let newest_first = s.balance.newest_first;
        (0..n)
            .map(move |k| if newest_first { n - 1 - k } else { k })
            .filter(move |&k| !self.repeated[i][k])
            .map(move |k| (k, &s.entries[k]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;
    use crate::read::{Purpose, Read, ReadOptions};
    use crate::record::InputKind;

    fn statement(name: &str, rows: &[&str]) -> Statement {
        let text =
            format!("账号:6222000011112222\n交易日期,交易时间,借方发生额,贷方发生额,余额,摘要\n{}\n", rows.join("\n"));
        let profile = Profile::default();
        let mut options = ReadOptions::new(Purpose::Fund(InputKind::Bank), &profile);
        match crate::read::read(name, text.into_bytes().into(), &mut options).expect("reads").pop() {
            Some(Read::Statement(s)) => s,
            other => panic!("not a statement: {other:?}"),
        }
    }

    fn repeated(accounts: &Accounts, i: usize) -> Vec<bool> {
        (0..accounts.statements[i].entries.len()).map(|n| accounts.is_repeated(i, n)).collect()
    }

    #[test]
    fn overlapping_files_repeat_the_overlap_once() {
        let a = statement("a.csv", &["20261101,0900,,100.00,100.00,x", "20261102,0900,,50.00,150.00,y"]);
        let b = statement("b.csv", &["20261102,0900,,50.00,150.00,y", "20261103,0900,,25.00,175.00,z"]);
        // Given newest file first: the order of the files does not decide which copy is kept.
        let statements = [b, a];
        let accounts = Accounts::of(&statements);
        assert_eq!(accounts.order, vec![1, 0]);
        assert_eq!(repeated(&accounts, 1), vec![false, false]);
        assert_eq!(repeated(&accounts, 0), vec![true, false]);
        assert_eq!(accounts.repeated_in(0), 1);
        let new: Vec<u32> = accounts.new_movements(0).map(|(_, e)| e.line).collect();
        assert_eq!(new, vec![4]);
    }

    #[test]
    fn identical_rows_in_one_file_take_the_largest_count_not_the_sum() {
        // No balance column: two equal transfers in one minute are two movements.
        let rows = ["20261101,0900,,100.00,,x", "20261101,0900,,100.00,,x"];
        let a = statement("a.csv", &rows);
        let b = statement("b.csv", &[rows[0], rows[1], "20261101,0900,,100.00,,x"]);
        let statements = [a, b];
        let accounts = Accounts::of(&statements);
        assert_eq!(repeated(&accounts, 0), vec![false, false]);
        assert_eq!(repeated(&accounts, 1), vec![true, true, false]);
    }

    #[test]
    fn statements_of_different_accounts_are_never_merged() {
        let a = statement("a.csv", &["20261101,0900,,100.00,100.00,x"]);
        let mut b = statement("b.csv", &["20261101,0900,,100.00,100.00,x"]);
        b.account = Some("6222000033334444".to_string());
        let statements = [a, b];
        let accounts = Accounts::of(&statements);
        assert_eq!(accounts.repeated_in(0) + accounts.repeated_in(1), 0);
    }
}
