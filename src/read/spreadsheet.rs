//! Spreadsheets (XLS, XLSX, ODS) arrive as bytes like any file. The core does not parse them: the
//! `sheets` crate turns them into CSV, linked here behind the `sheets` feature (CLI) or loaded by
//! the page as a separate Wasm module only when a spreadsheet arrives (it is large).

use crate::error::{Error, ErrorKind, Result};

const OLE_MAGIC: [u8; 8] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";

/// Whether `bytes` look like a spreadsheet: an OLE file (XLS) or a zip holding a workbook part.
/// Zip entry names sit uncompressed in the archive, so a byte search finds them.
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    let names = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    bytes.starts_with(&OLE_MAGIC)
        || (bytes.starts_with(&ZIP_MAGIC) && (names(b"xl/workbook.xml") || names(b"content.xml")))
}

/// The first non-empty worksheet as UTF-8 CSV.
#[cfg(all(feature = "sheets", not(target_arch = "wasm32")))]
pub fn to_csv(bytes: &[u8]) -> Result<Vec<u8>> {
    duizhang_sheets::sheet_to_csv(bytes).map_err(|e| Error::new(ErrorKind::BadSpreadsheet, e.message))
}

/// Without the `sheets` feature (and always in Wasm, where the page converts spreadsheets with its
/// separate module) a spreadsheet is a coded error telling the caller what to do.
#[cfg(not(all(feature = "sheets", not(target_arch = "wasm32"))))]
pub fn to_csv(_bytes: &[u8]) -> Result<Vec<u8>> {
    Err(Error::new(
        ErrorKind::SpreadsheetNotConverted,
        "the file is a spreadsheet (XLS/XLSX); convert it to CSV first (the page's sheets module \
         sheetToCsv, or a CLI built with --features sheets)",
    ))
}

/// The bytes to read: a spreadsheet converted to CSV, anything else as it is.
pub fn as_text_bytes(name: &str, bytes: Vec<u8>) -> Result<Vec<u8>> {
    if is_spreadsheet(&bytes) {
        to_csv(&bytes).map_err(|e| e.in_file(name))
    } else {
        Ok(bytes)
    }
}
