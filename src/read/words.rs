//! The words readers decide by, in one place: what marks a total or footer row, and which
//! direction a 收支类型 / 借贷标志 word names. Every reader (bills, statements, payouts,
//! sub-ledgers) asks here, so a word means the same thing in every file.

/// Non-ASCII words that mark a total, summary or footer row (ASCII cells: see [`names_total`]).
pub(crate) const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "汇总", "总交易单数", "总笔数", "本页", "累计"];

/// Words of a total row that covers more than the file (本月累计, 本年累计): never checked against it.
pub(crate) const CUMULATIVE_WORDS: &[&str] = &["累计"];

/// Words of the notice some banks print under a statement.
pub(crate) const NOTICE_WORDS: &[&str] = &["以上数据仅供参考", "具体内容请以柜台为准", "仅供参考", "以柜台为准"];

/// First cells of the summary header lines that follow a bill's detail (WeChat trade, fund flow).
pub(crate) const SUMMARY_FIRST_CELLS: &[&str] = &["总交易单数", "资金流水总笔数"];

/// Which way money moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Money in: 收入, 贷, credit.
    In,
    /// Money out: 支出, 借, debit.
    Out,
}

/// The direction a word names: a Chinese word by its first character (收入, 收, 贷, 贷方, 贷记, 入账
/// in; 支出, 支, 借, 借方, 借记, 出账 out), an ASCII word exactly (`C`, `CR`, `credit`, `+`, `in`;
/// `D`, `DR`, `debit`, `-`, `out`, any case). `None` for anything else (冲正, 抹账: the running balance
/// may still tell, see the statement reader).
pub(crate) fn direction_of(word: &str) -> Option<Direction> {
    const IN: &[&str] = &["c", "cr", "credit", "+", "in"];
    const OUT: &[&str] = &["d", "dr", "debit", "-", "out"];
    let word = word.trim();
    if word.is_ascii() {
        if IN.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            return Some(Direction::In);
        }
        if OUT.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            return Some(Direction::Out);
        }
        return None;
    }
    match word.chars().next() {
        Some('收' | '贷' | '入') => Some(Direction::In),
        Some('支' | '借' | '出') => Some(Direction::Out),
        _ => None,
    }
}

/// Whether a cell names a total. Cheap on the hot path: ASCII cells (order numbers) are only
/// compared when they start like `total` or `sum`.
pub(crate) fn names_total(cell: &str) -> bool {
    let cell = super::cell::trim_cell(cell);
    if cell.is_ascii() {
        let starts = |word: &str| cell.get(..word.len()).is_some_and(|head| head.eq_ignore_ascii_case(word));
        return starts("total") || (starts("sum") && cell.len() <= 4);
    }
    TOTAL_WORDS.iter().chain(NOTICE_WORDS).any(|w| cell.contains(w))
}

/// Whether any cell of a row names a total or a notice: the row starts a statement's footer.
pub(crate) fn is_footer(cells: &[String]) -> bool {
    cells.iter().any(|c| !c.is_ascii() && TOTAL_WORDS.iter().chain(NOTICE_WORDS).any(|w| c.contains(w)))
}

/// The label of a total row that sums the movements before it (合计, 总计, 本页合计, 小计), or
/// `None`: not a total row, or a cumulative one (本年累计) that covers more than the file.
pub(crate) fn total_label(cells: &[String]) -> Option<&str> {
    let label = cells.iter().find(|c| TOTAL_WORDS.iter().any(|w| c.contains(w)))?;
    let cumulative = cells.iter().any(|c| CUMULATIVE_WORDS.iter().any(|w| c.contains(w)));
    (!cumulative).then_some(label.as_str())
}

/// A cell that holds nothing: empty, or a bank's `-` / `-------` / `—` placeholder.
pub(crate) fn is_placeholder(cell: &str) -> bool {
    cell.chars().all(|c| c == '-' || c == '—')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_words_of_every_reader_mean_the_same() {
        let table = [
            ("收入", Some(Direction::In)),
            ("收", Some(Direction::In)),
            ("贷", Some(Direction::In)),
            ("贷方", Some(Direction::In)),
            ("贷记", Some(Direction::In)),
            ("入账", Some(Direction::In)),
            ("CR", Some(Direction::In)),
            ("credit", Some(Direction::In)),
            ("+", Some(Direction::In)),
            ("支出", Some(Direction::Out)),
            ("借", Some(Direction::Out)),
            ("借方", Some(Direction::Out)),
            ("借记", Some(Direction::Out)),
            ("出账", Some(Direction::Out)),
            ("D", Some(Direction::Out)),
            ("dr", Some(Direction::Out)),
            ("Debit", Some(Direction::Out)),
            ("-", Some(Direction::Out)),
            (" 收入\t", Some(Direction::In)),
            ("冲正", None),
            ("抹账", None),
            ("x", None),
            ("", None),
        ];
        for (word, expected) in table {
            assert_eq!(direction_of(word), expected, "{word:?}");
        }
    }

    #[test]
    fn totals_footers_and_placeholders() {
        assert!(names_total("合计") && names_total("Total:") && names_total("SUM") && !names_total("S2026"));
        assert!(names_total("以上数据仅供参考|具体内容请以柜台为准"));
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert!(is_footer(&row(&["人民币合计", "", "1.00"])));
        assert!(!is_footer(&row(&["2026-03-25", "消费", "1.00"])));
        assert_eq!(total_label(&row(&["本页合计", "1.00"])), Some("本页合计"));
        assert_eq!(total_label(&row(&["本年累计", "1.00"])), None);
        assert!(is_placeholder("-") && is_placeholder("-------") && is_placeholder("") && !is_placeholder("-1"));
    }
}
