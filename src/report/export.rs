//! Pages of results and CSV exports: the small pieces every part of the report shares.

use serde::Serialize;

/// One page of a longer list: `{total, offset, rows}`.
#[derive(Clone, Debug, Serialize)]
pub struct Page<T> {
    /// How many there are in all.
    pub total: usize,
    /// Where this page starts.
    pub offset: usize,
    /// The page.
    pub rows: Vec<T>,
}

impl<T: Clone> Page<T> {
    /// The page of `items` from `offset`, at most `limit` long.
    pub fn of(items: &[T], offset: usize, limit: usize) -> Page<T> {
        let (start, end) = page_range(items.len(), offset, limit);
        Page { total: items.len(), offset: start, rows: items[start..end].to_vec() }
    }
}

/// The indexes a page from `offset`, at most `limit` long, takes of a list of `len`.
pub(crate) fn page_range(len: usize, offset: usize, limit: usize) -> (usize, usize) {
    let start = offset.min(len);
    (start, start.saturating_add(limit).min(len))
}

/// Writes one CSV cell: quoted when needed, and defused when a spreadsheet would run it as a formula.
pub(crate) fn push_csv_cell(out: &mut String, cell: &str) {
    let is_number = crate::money::parse_amount(cell).is_ok() && !cell.starts_with(['=', '@']);
    let formula_like = !is_number && cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let needs_quotes = formula_like || cell.contains([',', '"', '\n', '\r']);
    if needs_quotes {
        out.push('"');
        if formula_like {
            out.push('\'');
        }
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        let table = [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("-12.00", "-12.00"),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("+86 138", "\"'+86 138\""),
        ];
        for (cell, expected) in table {
            let mut out = String::new();
            push_csv_cell(&mut out, cell);
            assert_eq!(out, expected, "{cell:?}");
        }
    }
}
