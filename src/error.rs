//! The one error type of the core: a file that cannot be used at all.
//!
//! Problems with single rows are not errors: they are row issues in the report (`RowIssue`), and
//! the run goes on. An [`Error`] means the whole run (or one input) cannot proceed.
//! Shaped like the `csv` crate's error: a kind with a stable code, plus a position.

use crate::codes::codes;
use crate::format::Format;
use serde::Serialize;
use std::fmt;

codes! {
    /// The stable code of an [`ErrorKind`], the same in Rust, JSON, JavaScript and the CLI.
    pub enum ErrorCode {
        /// See [`ErrorKind::EmptyFile`].
        EmptyFile = ("empty_file", "空文件"),
        /// See [`ErrorKind::NotText`].
        NotText = ("not_text", "不是文本文件"),
        /// See [`ErrorKind::NoKnownColumns`].
        NoKnownColumns = ("no_known_columns", "找不到已知的列"),
        /// See [`ErrorKind::NoDataRows`].
        NoDataRows = ("no_data_rows", "没有数据行"),
        /// See [`ErrorKind::InvalidProfile`].
        InvalidProfile = ("invalid_profile", "配置无效"),
        /// See [`ErrorKind::InvalidArgument`].
        InvalidArgument = ("invalid_argument", "参数无效"),
        /// See [`ErrorKind::Io`].
        Io = ("io", "读取失败"),
        /// See [`ErrorKind::Cancelled`].
        Cancelled = ("cancelled", "已取消"),
        /// See [`ErrorKind::UnknownFormat`].
        UnknownFormat = ("unknown_format", "无法识别的格式"),
        /// See [`ErrorKind::BadContainer`].
        BadContainer = ("bad_container", "压缩包损坏"),
        /// See [`ErrorKind::InflatedTooLarge`].
        InflatedTooLarge = ("inflated_too_large", "解压后过大"),
        /// See [`ErrorKind::SpreadsheetNotConverted`].
        SpreadsheetNotConverted = ("spreadsheet_not_converted", "表格未转换"),
        /// See [`ErrorKind::BadSpreadsheet`].
        BadSpreadsheet = ("bad_spreadsheet", "表格无法读取"),
        /// See [`ErrorKind::Internal`].
        Internal = ("internal", "内部错误"),
    }
}

/// Why one layout did not claim a file (see [`ErrorKind::UnknownFormat`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Rejection {
    /// The layout tried.
    pub format: Format,
    /// Why it does not fit, for a person.
    pub reason: String,
}

/// What went wrong. Each kind has a stable, documented [`ErrorKind::code`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file has no bytes, or only whitespace.
    EmptyFile,
    /// The bytes are not text in any supported encoding (e.g. binary junk, an image).
    NotText,
    /// No row within the first lines maps both a key column and an amount column.
    NoKnownColumns {
        /// The cells of the row that looked most like a header.
        best_header: Vec<String>,
    },
    /// A header was found but no data row follows it.
    NoDataRows,
    /// The profile JSON is malformed or names a field that does not exist.
    InvalidProfile,
    /// An input given by the caller is invalid (a date, a side name, a missing file).
    InvalidArgument,
    /// A file's bytes could not be read, or changed after they were read (a file on disk, a
    /// caller's `Uint8Array` or `Blob`).
    Io,
    /// The caller's progress hook asked to stop.
    Cancelled,
    /// The file is text but no known layout fits it, not even a delimited table.
    UnknownFormat {
        /// Every layout tried, and why it declined.
        tried: Vec<Rejection>,
    },
    /// A gzip or zip file is truncated, corrupt, encrypted or uses an unsupported method.
    BadContainer,
    /// A compressed file would inflate past the size cap (a zip bomb, or a bill too large to read).
    InflatedTooLarge,
    /// A spreadsheet arrived but this build cannot read spreadsheets: convert it to CSV first.
    SpreadsheetNotConverted,
    /// A spreadsheet could not be read (corrupt, encrypted, or every sheet empty).
    BadSpreadsheet,
    /// Something that should never happen did (a result that could not be converted for the
    /// caller): a bug to report, never a problem with the files.
    Internal,
}

impl ErrorKind {
    /// The stable code, the same in Rust, JSON, JavaScript and the CLI.
    pub fn code(&self) -> ErrorCode {
        match self {
            ErrorKind::EmptyFile => ErrorCode::EmptyFile,
            ErrorKind::NotText => ErrorCode::NotText,
            ErrorKind::NoKnownColumns { .. } => ErrorCode::NoKnownColumns,
            ErrorKind::NoDataRows => ErrorCode::NoDataRows,
            ErrorKind::InvalidProfile => ErrorCode::InvalidProfile,
            ErrorKind::InvalidArgument => ErrorCode::InvalidArgument,
            ErrorKind::Io => ErrorCode::Io,
            ErrorKind::Cancelled => ErrorCode::Cancelled,
            ErrorKind::UnknownFormat { .. } => ErrorCode::UnknownFormat,
            ErrorKind::BadContainer => ErrorCode::BadContainer,
            ErrorKind::InflatedTooLarge => ErrorCode::InflatedTooLarge,
            ErrorKind::SpreadsheetNotConverted => ErrorCode::SpreadsheetNotConverted,
            ErrorKind::BadSpreadsheet => ErrorCode::BadSpreadsheet,
            ErrorKind::Internal => ErrorCode::Internal,
        }
    }
}

/// An input that cannot be used, with where it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    file: Option<String>,
    line: Option<u64>,
    column: Option<u64>,
}

impl Error {
    /// A new error of `kind` with a human-readable message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), file: None, line: None, column: None }
    }

    /// Names the file the error is about.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the 1-based line (and optionally column) the error is about.
    pub fn at(mut self, line: u64, column: Option<u64>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// Adds a sentence to the message (e.g. which layouts were tried).
    pub fn with_detail(mut self, detail: &str) -> Self {
        self.message.push_str(detail);
        self
    }

    /// The kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The stable code of the kind, e.g. `no_known_columns`.
    pub fn code(&self) -> ErrorCode {
        self.kind.code()
    }

    /// The message without position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The file name, when the error is about one file.
    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// The 1-based line, when one applies.
    pub fn line(&self) -> Option<u64> {
        self.line
    }

    /// The 1-based column (field number), when one applies.
    pub fn column(&self) -> Option<u64> {
        self.column
    }
}

impl fmt::Display for Error {
    /// One line: `code: file:line:column: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.code())?;
        if let Some(file) = &self.file {
            write!(f, "{file}:")?;
            if let Some(line) = self.line {
                write!(f, "{line}:")?;
                if let Some(column) = self.column {
                    write!(f, "{column}:")?;
                }
            }
            write!(f, " ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for Error {}

/// Shorthand for results of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;
