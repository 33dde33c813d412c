//! Row issues: a row (or file) problem that did not stop the run, reported with where and why.

use crate::codes::codes;
use crate::record::InputKind;
use rust_decimal::Decimal;
use serde::Serialize;

codes! {
    /// What is wrong with a row or a file, as a stable code. The list, the meanings and which
    /// codes leave their row out are all here ([`IssueCode::meaning`], [`IssueCode::skips_row`]).
    pub enum IssueCode {
        /// See [`IssueCode::meaning`] for each code.
        TitleRowSkipped = ("title_row_skipped", "标题行"),
        /// A row starting with #.
        CommentRowSkipped = ("comment_row_skipped", "注释行"),
        /// A total or summary row after the detail.
        TotalRowSkipped = ("total_row_skipped", "合计行"),
        /// A quoted field never closes.
        UnbalancedQuote = ("unbalanced_quote", "引号不成对"),
        /// The row ends before a mapped column.
        TooFewFields = ("too_few_fields", "字段过少"),
        /// The row has non-empty cells beyond the header.
        TooManyFields = ("too_many_fields", "字段过多"),
        /// The key cell is empty.
        MissingKey = ("missing_key", "缺少单号"),
        /// The key is too long to be a key.
        InvalidKey = ("invalid_key", "单号无效"),
        /// The amount is not a number.
        InvalidAmount = ("invalid_amount", "金额无法识别"),
        /// The status word is unknown.
        UnknownStatus = ("unknown_status", "未知状态"),
        /// The fee is not a number.
        InvalidFee = ("invalid_fee", "手续费无法识别"),
        /// The time is not a date and time.
        InvalidTime = ("invalid_time", "时间无法识别"),
        /// The date is not a date.
        InvalidDate = ("invalid_date", "日期无法识别"),
        /// The bytes contradicted their encoding.
        EncodingRepaired = ("encoding_repaired", "编码已修复"),
        /// The running balance is not a number.
        InvalidBalance = ("invalid_balance", "余额无法识别"),
        /// The direction word is unknown.
        UnknownDirection = ("unknown_direction", "未知收支方向"),
        /// An unknown direction word, read with the sign the running balance shows.
        DirectionInferred = ("direction_inferred", "收支方向由余额推定"),
        /// A fixed-width line is malformed.
        InvalidFixedWidthLine = ("invalid_fixed_width_line", "定长行无效"),
        /// A total the file states differs from its detail.
        SummaryMismatch = ("summary_mismatch", "合计不符"),
        /// A file inside an archive could not be read.
        InnerFileSkipped = ("inner_file_skipped", "压缩包内文件已跳过"),
        /// A running balance does not follow from the previous row.
        BalanceBreak = ("balance_break", "余额不连续"),
        /// Times without a year and no date to take it from.
        YearUnknown = ("year_unknown", "年份未知"),
        /// A resolution (差错处理) was not applied.
        ResolutionRejected = ("resolution_rejected", "处理被拒"),
        /// A state file written before content ids: its items were given ids from their content.
        IdsAssigned = ("ids_assigned", "已补编号"),
    }
}

impl IssueCode {
    /// What the code means, for the README and the page.
    pub const fn meaning(self) -> &'static str {
        match self {
            IssueCode::TitleRowSkipped => "a title row before the header; not reconciled",
            IssueCode::CommentRowSkipped => "a row starting with #; not reconciled",
            IssueCode::TotalRowSkipped => "a total or summary row after the detail; not reconciled",
            IssueCode::UnbalancedQuote => {
                "a quoted field never closes; the line is skipped and reading resumes on the next"
            }
            IssueCode::TooFewFields => "the row ends before a mapped column (a truncated row)",
            IssueCode::TooManyFields => "the row has non-empty cells beyond the header (an unquoted comma?)",
            IssueCode::MissingKey => "the key cell is empty",
            IssueCode::InvalidKey => "the key is longer than 256 bytes",
            IssueCode::InvalidAmount => "the amount is not a number (e.g. 12.3.4, abc)",
            IssueCode::UnknownStatus => "the status word is not in the status table or the profile",
            IssueCode::InvalidFee => "the fee is not a number; the row is kept without a fee",
            IssueCode::InvalidTime => "the time is not a date and time; the row is kept without a time",
            IssueCode::InvalidDate => "bank, payout: the date is not a date; the row is left out",
            IssueCode::EncodingRepaired => "file note: the bytes contradicted their encoding or had to be repaired",
            IssueCode::InvalidBalance => {
                "the running balance (余额) is not a number; the row is kept without a balance"
            }
            IssueCode::UnknownDirection => {
                "the direction word (收支类型, 借贷标志) is neither 收入 nor 支出, and no running balance tells; the row is left out"
            }
            IssueCode::DirectionInferred => {
                "note: an unknown direction word (冲正, 抹账) read with the sign the running balance shows"
            }
            IssueCode::InvalidFixedWidthLine => {
                "a fixed-width line (UnionPay ZM) is not 607 characters or a field is not a number"
            }
            IssueCode::SummaryMismatch => {
                "file note: a total the file states about itself differs from its detail (see checks)"
            }
            IssueCode::InnerFileSkipped => "file note: a file inside a zip could not be read by any layout",
            IssueCode::BalanceBreak => {
                "a running balance (余额) does not follow from the previous row's balance and this row's amount, or a sub-ledger line's opening + credits - debits is not its balance"
            }
            IssueCode::YearUnknown => {
                "file note: times without a year (UnionPay) and no date in the file name or profile"
            }
            IssueCode::ResolutionRejected => {
                "a resolution was not applied: unknown id, an action not allowed for the item's outcome, a missing note, by or at, a second one of the item in one file or one a later file overrides, or the item is already closed"
            }
            IssueCode::IdsAssigned => {
                "file note: a state file written before content ids; its movements and payouts were given ids from their content"
            }
        }
    }

    /// Whether a row with this issue was left out of the reconciliation (as opposed to a note on
    /// a kept row or on the whole file).
    pub const fn skips_row(self) -> bool {
        !matches!(
            self,
            IssueCode::InvalidFee
                | IssueCode::InvalidTime
                | IssueCode::InvalidBalance
                | IssueCode::EncodingRepaired
                | IssueCode::SummaryMismatch
                | IssueCode::InnerFileSkipped
                | IssueCode::YearUnknown
                | IssueCode::BalanceBreak
                | IssueCode::DirectionInferred
                | IssueCode::ResolutionRejected
                | IssueCode::IdsAssigned
        )
    }
}

/// A row (or file) problem that did not stop the run: reported, never lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RowIssue {
    /// File name.
    pub file: String,
    /// The input the file was given as (`internal`, `channel`, `bank`, `payouts`, `sub_ledger`, `carry`, `resolutions`).
    pub input: InputKind,
    /// 1-based line; `None` for a note about the whole file.
    pub line: Option<u32>,
    /// 1-based column (field number), when one field is at fault.
    pub column: Option<u32>,
    /// What is wrong, as a stable code.
    pub code: IssueCode,
    /// What is wrong, for a person.
    pub message: String,
}

impl RowIssue {
    /// An issue about one row.
    pub fn new(
        file: &str,
        input: impl Into<InputKind>,
        line: u32,
        column: Option<u32>,
        code: IssueCode,
        message: String,
    ) -> Self {
        RowIssue { file: file.to_string(), input: input.into(), line: Some(line), column, code, message }
    }

    /// A note about a whole file.
    pub fn file_note(file: &str, input: impl Into<InputKind>, code: IssueCode, message: String) -> Self {
        RowIssue { file: file.to_string(), input: input.into(), line: None, column: None, code, message }
    }

    /// Whether the row was left out of the reconciliation (as opposed to a note on a kept row).
    pub fn skips_row(&self) -> bool {
        self.code.skips_row()
    }
}

/// A total the file states about itself, compared with what its detail adds up to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Check {
    /// What is compared, e.g. `总交易单数` or `#退款合计 商家实收`.
    pub name: String,
    /// The file's own total, as written.
    pub expected: String,
    /// The same total computed from the rows that were read.
    pub found: String,
    /// Whether they agree (numerically: `1.0` equals `1.00`).
    pub passed: bool,
}

impl Check {
    /// Compares a total as written with the sum of the detail (`None`: the sum overflowed).
    /// `compare_magnitude`: the total may be printed with or without its minus sign.
    pub(crate) fn compare(name: String, expected: &str, found: Option<Decimal>, compare_magnitude: bool) -> Check {
        let passed = match (crate::money::parse_amount(expected), found) {
            (Ok(value), Some(found)) if compare_magnitude => value.abs() == found.abs(),
            (Ok(value), Some(found)) => value == found,
            _ => false,
        };
        let found = found.map_or("overflow".to_string(), |f| crate::money::Money(f).to_string());
        Check { name, expected: expected.to_string(), found, passed }
    }

    /// The file-level `summary_mismatch` issue of a failed check.
    pub(crate) fn mismatch(&self, file: &str, side: impl Into<crate::record::InputKind>) -> Option<RowIssue> {
        let message = format!("{}: the file says {}, its detail adds up to {}", self.name, self.expected, self.found);
        (!self.passed).then(|| RowIssue::file_note(file, side, IssueCode::SummaryMismatch, message))
    }
}
