//! Header rows: which column holds which [`Field`], found by name. One machinery for every reader
//! (bills, order exports, statements, payouts, sub-ledgers): the profile's explicit column for a
//! field wins; else the layout's own names (see [`Format::aliases`]), after the profile's extra
//! aliases; else the profile's extra aliases and the built-in ones.

use crate::format::Format;
use crate::profile::{ColumnMapping, Profile};
use crate::record::{normalize_header, Field};

/// The header names of each field for one file, normalized, in the order fields claim columns.
#[derive(Clone, Debug)]
pub(crate) struct HeaderNames {
    format: Format,
    names: Vec<(Field, Vec<String>)>,
}

impl HeaderNames {
    /// The names for a file of `format`, with the profile's explicit columns for its kind of input.
    pub(crate) fn new(format: Format, explicit: &ColumnMapping, profile: &Profile) -> HeaderNames {
        let names = Field::ALL
            .iter()
            .map(|&field| {
                let names: Vec<String> = match (explicit.get(field), format.aliases(field)) {
                    (Some(name), _) => vec![normalize_header(name)],
                    (None, Some(layout)) => {
                        let extra = profile.extra_aliases(field).iter().map(String::as_str);
                        extra.chain(layout.iter().copied()).map(normalize_header).collect()
                    }
                    (None, None) => profile.aliases_of(field).map(normalize_header).collect(),
                };
                (field, names)
            })
            .collect();
        HeaderNames { format, names }
    }

    /// Maps normalized header cells to fields (each column to at most one field, fields in
    /// [`Field::ALL`] order), and, for a layout's own names and the merchant, a second column per
    /// field to fall back on when the first is empty on a row (WeChat's 微信退款单号 behind
    /// 商户退款单号, 商户号 behind 特约商户号). A fallback column is not taken: the service provider
    /// can still claim 商户号.
    pub(crate) fn map(&self, cells: &[String]) -> (ColumnMap, ColumnMap) {
        let mut map = ColumnMap::default();
        let mut fallbacks = ColumnMap::default();
        let mut taken = vec![false; cells.len()];
        for (field, names) in &self.names {
            let found: Vec<usize> = names
                .iter()
                .filter_map(|name| (0..cells.len()).find(|&c| !taken[c] && cells[c] == *name))
                .take(2)
                .collect();
            if let Some(&column) = found.first() {
                taken[column] = true;
                map.set(*field, column);
                // A layout's own names, and the merchant everywhere (a service-provider export's
                // 商户号 behind an empty or `0` 特约商户号), have a second column to fall back on.
                let falls_back = self.format.aliases(*field).is_some() || *field == Field::MerchantId;
                if let Some(&second) = found.get(1).filter(|_| falls_back) {
                    fallbacks.set(*field, second);
                }
            }
        }
        (map, fallbacks)
    }

    /// Maps raw header cells (trimmed, not yet normalized).
    pub(crate) fn map_cells(&self, cells: &[String]) -> (ColumnMap, ColumnMap) {
        let normalized: Vec<String> = cells.iter().map(|c| normalize_header(c)).collect();
        self.map(&normalized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_columns_win_then_layout_names_then_built_ins() {
        let profile =
            Profile::from_json(r#"{"columns": {"bank": {"memo": "备注"}}, "aliases": {"balance": ["结余"]}}"#)
                .expect("profile");
        let cells: Vec<String> = ["交易日期", "贷方发生额", "结余", "摘要", "备注"].map(String::from).to_vec();
        let names = HeaderNames::new(Format::BankStatement, &profile.columns.bank, &profile);
        let (map, _) = names.map_cells(&cells);
        assert_eq!(map.get(Field::Date), Some(0));
        assert_eq!(map.get(Field::Credit), Some(1));
        assert_eq!(map.get(Field::Balance), Some(2), "the profile's extra alias applies to a layout's field");
        assert_eq!(map.get(Field::Memo), Some(4), "the explicit column wins over the layout's 摘要");
        // A generic table knows no statement fields.
        let generic = HeaderNames::new(Format::GenericCsv, &profile.columns.channel, &profile);
        assert_eq!(generic.map_cells(&cells).0.get(Field::Date), None);
    }
}

/// Which column holds each [`Field`], as 0-based indexes into the header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap([Option<u32>; Field::ALL.len()]);

impl ColumnMap {
    /// The column of `field`, if the file has one.
    pub fn get(&self, field: Field) -> Option<usize> {
        self.0[field as usize].map(|c| c as usize)
    }

    pub(crate) fn set(&mut self, field: Field, column: usize) {
        self.0[field as usize] = Some(column as u32);
    }

    pub(crate) fn mapped(&self) -> usize {
        self.0.iter().flatten().count()
    }

    pub(crate) fn max_column(&self) -> usize {
        self.0.iter().flatten().map(|&c| c as usize).max().unwrap_or(0)
    }
}
