//! Spreadsheets for duizhang, both ways. Reading: XLS, XLSX and ODS to UTF-8 CSV
//! ([`sheet_to_csv`]), so duizhang's readers see the same text a CSV export would give. Writing:
//! the reconciliation report as an XLSX workbook people open in Excel ([`report_to_xlsx`]). A
//! separate crate and Wasm module: `calamine` and `rust_xlsxwriter` are large, and the page loads
//! this module only when a spreadsheet arrives or a workbook is asked for; the CLI links it behind
//! duizhang's `sheets` feature.
//!
//! ```
//! // Not a spreadsheet: a coded error, never a panic.
//! let error = duizhang_sheets::sheet_to_csv(b"order_no,amount\n").unwrap_err();
//! assert_eq!(error.code, "not_a_spreadsheet");
//!
//! // A report (here a tiny one) as a workbook, its outcomes named by the engine's vocabulary (here
//! // a piece of it; the CLI passes `duizhang::Vocabulary`, a page the core's `vocabulary()`).
//! // Anything but a report JSON is `bad_report`.
//! let report = br#"{"date": "2026-03-24", "summary": {}, "exceptions": [], "issues": []}"#;
//! let vocabulary = r#"{"outcomes": [{"code": "matched", "zh": "对平"}], "fund_outcomes": []}"#.as_bytes();
//! let xlsx = duizhang_sheets::report_to_xlsx(report, vocabulary).unwrap();
//! assert!(duizhang_sheets::is_spreadsheet(&xlsx));
//! assert_eq!(duizhang_sheets::report_to_xlsx(b"{", vocabulary).unwrap_err().code, "bad_report");
//! assert_eq!(duizhang_sheets::report_to_xlsx(report, b"{}").unwrap_err().code, "bad_vocabulary");
//! ```
#![deny(missing_docs)]

mod cell;
mod columns;
mod forms;
mod report;

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use std::io::Cursor;

/// Why a spreadsheet could not be converted or written; `code` is stable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetError {
    /// Reading: `not_a_spreadsheet`, `bad_spreadsheet` or `empty_spreadsheet`. Writing a report:
    /// `bad_report` (not a report JSON) or `write_failed` (the workbook could not be written).
    pub code: &'static str,
    /// What went wrong, for a person.
    pub message: String,
}

impl std::fmt::Display for SheetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for SheetError {}

/// The magic bytes of the two container kinds spreadsheets come in.
const OLE_MAGIC: [u8; 8] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";

/// Whether `bytes` look like a spreadsheet: an OLE file (XLS) or a zip holding a workbook (XLSX, ODS).
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    let names_workbook = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    bytes.starts_with(&OLE_MAGIC)
        || (bytes.starts_with(&ZIP_MAGIC) && (names_workbook(b"xl/workbook.xml") || names_workbook(b"content.xml")))
}

/// The reconciliation report JSON, exactly as `duizhang reconcile` prints it (or `reportJson()`
/// gives it), as an XLSX workbook, one sheet per table:
///
/// | sheet | from the report |
/// |---|---|
/// | 汇总 | date, cutoff, settings, counts and amounts per outcome, long/short totals, rows per side, fund-flow counts, files |
/// | 差错明细 | `exceptions[]`: class, key, d, 长款/短款, merchant, both sides' file/line/amount/status/time, fee, message |
/// | 行问题 | `issues[]` |
/// | 资金匹配 | `fund_flow.matches[]`, one row per bank movement, settlement batch or payout of a match |
/// | 未达及差错 | `fund_flow.exceptions[]` and `unexplained_movements[]` (each item once) |
/// | 商户汇总 | `fund_flow.merchants[]` |
/// | 清分, 清分差错 | `clearing.merchants[]` (a row per merchant and settlement date, then the merchant's total) and `clearing.exceptions[]` |
/// | 余额调节表 | `balance.statement`, as the two-column statement |
/// | 余额核对, 余额断点 | `balance.statements[]` (and their days), `running_breaks[]` and `continuity_breaks[]` |
///
/// A sheet whose section the report lacks is left out. Tables have a Chinese header row over the
/// JSON field names, both frozen, with an autofilter; fields the report gains later appear as
/// extra columns. Money strings become numbers formatted to their scale (`0.00`, `0.00000`), dates
/// become dates, keys and merchant, order and account numbers stay text, and text that would run as
/// a formula gets Excel's quote prefix. The same report gives the same bytes.
///
/// `vocabulary_json` is the engine's vocabulary (`duizhang::Vocabulary` as JSON, or the core's
/// `vocabulary()` in JS): the outcomes' Chinese names come from it, so this crate keeps no copy.
/// Without its `outcomes` and `fund_outcomes` lists it is a `bad_vocabulary` error.
pub fn report_to_xlsx(report_json: &[u8], vocabulary_json: &[u8]) -> Result<Vec<u8>, SheetError> {
    report::report_to_xlsx(report_json, vocabulary_json)
}

/// The first non-empty worksheet of a spreadsheet as UTF-8 CSV (no BOM, LF line ends). Numbers are
/// written as the sheet shows them: to 15 significant digits (a cell showing 45.49 stays `45.49`),
/// to the fen in money columns (see `cent_columns`); dates as `YYYY-MM-DD HH:MM:SS`.
pub fn sheet_to_csv(bytes: &[u8]) -> Result<Vec<u8>, SheetError> {
    if !is_spreadsheet(bytes) {
        return Err(SheetError {
            code: "not_a_spreadsheet",
            message: "the file is not an XLS, XLSX or ODS spreadsheet".to_string(),
        });
    }
    let bad = |e: calamine::Error| SheetError { code: "bad_spreadsheet", message: e.to_string() };
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(bad)?;
    let mut out = String::new();
    for index in 0..workbook.sheet_names().len() {
        let Some(range) = workbook.worksheet_range_at(index) else { continue };
        let range = range.map_err(bad)?;
        if range.is_empty() {
            continue;
        }
        let cents = cent_columns(&range);
        for row in range.rows() {
            for (n, cell) in row.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                match cell {
                    Data::Float(f) if cents.get(n).copied().unwrap_or(false) => push_cell(&mut out, &cents_text(*f)),
                    _ => push_cell(&mut out, &cell_text(cell)),
                }
            }
            out.push('\n');
        }
        return Ok(out.into_bytes());
    }
    Err(SheetError { code: "empty_spreadsheet", message: "every worksheet is empty".to_string() })
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_serial_to_text(d.as_f64()),
    }
}

/// A number cell as the spreadsheet shows it. A formula's result carries binary noise that the
/// spreadsheet hides by showing 15 significant digits: `=2435.3-0.1` holds 2435.2000000000003 and
/// shows 2435.2, which is the amount the merchant means (read exactly, it would be an amount
/// mismatch of 3e-13). Whole numbers that a double holds exactly (up to 2^53) are printed whole,
/// digit for digit: a 16-digit order number must not lose its last digit.
fn number_text(value: f64) -> String {
    const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0; // 2^53
    if !value.is_finite() || (value.fract() == 0.0 && value.abs() <= EXACT_INTEGERS) {
        return value.to_string();
    }
    // `{:.14e}` rounds to 15 significant digits; the shortest text of that value drops the zeros.
    let shown: f64 = format!("{value:.14e}").parse().unwrap_or(value);
    shown.to_string()
}

/// Which columns hold money: some number with a fraction, and none with more than two decimals.
/// A sheet stores 88.00 as the float 88 and shows it through a `0.00` format that this crate
/// cannot see; a column of such numbers is printed to the fen, as the sheet shows it and as the
/// bank's CSV export would. Columns of whole numbers (order numbers, counts) and of rates with
/// more decimals are printed as they are.
fn cent_columns(range: &calamine::Range<Data>) -> Vec<bool> {
    let mut fraction = vec![false; range.width()];
    let mut finer = vec![false; range.width()];
    for row in range.rows() {
        for (n, cell) in row.iter().enumerate() {
            if let Data::Float(f) = cell {
                let text = number_text(*f);
                match text.split_once('.') {
                    Some((_, decimals)) if decimals.len() > 2 || decimals.contains('e') => finer[n] = true,
                    Some(_) => fraction[n] = true,
                    None => {}
                }
            }
        }
    }
    fraction.iter().zip(&finer).map(|(&fraction, &finer)| fraction && !finer).collect()
}

/// A money cell to the fen: `88` → `88.00`, `12733.500000000002` → `12733.50`.
fn cents_text(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.2}")
    } else {
        value.to_string()
    }
}

/// An Excel date serial (days since 1899-12-30, fraction = time of day) as `YYYY-MM-DD HH:MM:SS`.
fn excel_serial_to_text(serial: f64) -> String {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return serial.to_string();
    }
    let seconds = (serial * 86_400.0).round() as i64;
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm); 1899-12-30 is day -25569.
    let z = days - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02}")
}

/// Writes one CSV cell, quoted when it holds a delimiter, a quote or a line break.
fn push_cell(out: &mut String, cell: &str) {
    if cell.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// The Wasm module: `sheetToCsv(bytes: Uint8Array): Uint8Array` and
/// `reportToXlsx(reportJson: string | Uint8Array, vocabularyJson: string | Uint8Array): Uint8Array`,
/// throwing an Error with `code`.
#[cfg(target_arch = "wasm32")]
pub mod wasm {
    use super::SheetError;
    use wasm_bindgen::prelude::*;

    fn js_error(e: SheetError) -> JsValue {
        let error = js_sys::Error::new(&e.to_string());
        error.set_name("DuizhangError");
        let _ = js_sys::Reflect::set(&error, &"code".into(), &e.code.into());
        error.into()
    }

    /// The first non-empty worksheet as UTF-8 CSV bytes, ready for duizhang's `addFile`.
    #[wasm_bindgen(js_name = sheetToCsv)]
    pub fn sheet_to_csv(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
        super::sheet_to_csv(bytes).map_err(js_error)
    }

    /// The JSON text of a string or a `Uint8Array`, or `what` is the error.
    fn json_bytes(value: &JsValue, code: &'static str, what: &str) -> Result<Vec<u8>, JsValue> {
        if let Some(text) = value.as_string() {
            Ok(text.into_bytes())
        } else if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
            Ok(array.to_vec())
        } else {
            let message = format!("reportToXlsx takes {what} as a string or a Uint8Array");
            Err(js_error(SheetError { code, message }))
        }
    }

    /// The report JSON (`reportJson()`'s string, or its UTF-8 bytes) as XLSX bytes, its outcomes
    /// named by the vocabulary JSON (`JSON.stringify(vocabulary())` of the core module).
    #[wasm_bindgen(js_name = reportToXlsx)]
    pub fn report_to_xlsx(
        #[wasm_bindgen(js_name = reportJson, unchecked_param_type = "string | Uint8Array")] report_json: JsValue,
        #[wasm_bindgen(js_name = vocabularyJson, unchecked_param_type = "string | Uint8Array")]
        vocabulary_json: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let bytes = json_bytes(&report_json, "bad_report", "the report JSON")?;
        let vocabulary = json_bytes(&vocabulary_json, "bad_vocabulary", "the vocabulary JSON")?;
        super::report_to_xlsx(&bytes, &vocabulary).map_err(js_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_become_dates() {
        let table = [(45375.0, "2024-03-24 00:00:00"), (45375.5, "2024-03-24 12:00:00"), (1.0, "1899-12-31 00:00:00")];
        for (serial, expected) in table {
            assert_eq!(excel_serial_to_text(serial), expected);
        }
    }

    #[test]
    fn numbers_read_as_the_spreadsheet_shows_them() {
        let table = [
            (2435.3 - 0.1, "2435.2"),
            (100.1 * 3.0, "300.3"),
            (0.1 + 0.2, "0.3"),
            (39.9 * 0.006, "0.2394"),
            (-(0.1 + 0.2), "-0.3"),
            (128.0, "128"),
            (0.77, "0.77"),
            (1e-7, "0.0000001"),
            (2_026_032_410_000_001.0, "2026032410000001"),
            (9_007_199_254_740_992.0, "9007199254740992"),
        ];
        for (value, shown) in table {
            assert_eq!(number_text(value), shown, "{value:?}");
        }
    }

    #[test]
    fn money_columns_are_printed_to_the_fen_and_others_as_they_are() {
        use calamine::Range;
        let mut range = Range::new((0, 0), (3, 3));
        let rows = [
            [
                Data::String("amount".into()),
                Data::String("order_no".into()),
                Data::String("rate".into()),
                Data::String("count".into()),
            ],
            [Data::Float(88.0), Data::Float(2026032410000001.0), Data::Float(0.006), Data::Float(3.0)],
            [Data::Float(2435.3), Data::Float(2026032410000002.0), Data::Float(0.0038), Data::Float(4.0)],
            [Data::Float(12733.500000000002), Data::Float(2026032410000003.0), Data::Float(0.006), Data::Float(5.0)],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                range.set_value((r as u32, c as u32), cell.clone());
            }
        }
        assert_eq!(cent_columns(&range), [true, false, false, false]);
        assert_eq!(cents_text(88.0), "88.00");
        assert_eq!(cents_text(12733.500000000002), "12733.50");
        assert_eq!(cents_text(-12.5), "-12.50");
    }

    #[test]
    fn cells_are_quoted_only_when_needed() {
        let mut out = String::new();
        for cell in ["a", "1,280.00", "say \"hi\""] {
            push_cell(&mut out, cell);
            out.push('|');
        }
        assert_eq!(out, "a|\"1,280.00\"|\"say \"\"hi\"\"\"|");
    }

    #[test]
    fn junk_is_a_coded_error() {
        assert_eq!(sheet_to_csv(b"").unwrap_err().code, "not_a_spreadsheet");
        let mut fake = OLE_MAGIC.to_vec();
        fake.extend([0u8; 600]);
        assert_eq!(sheet_to_csv(&fake).unwrap_err().code, "bad_spreadsheet");
    }
}
