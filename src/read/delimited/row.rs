//! One detail record of a delimited file turned into a [`Row`]: its key, status, amount (signed by
//! its direction word or its credit/debit columns), fee, time and running balance, or the reason
//! it is left out.

use super::reader::Reader;
use crate::money::{parse_amount, parse_units, Units};
use crate::profile::KeyChoice;
use crate::read::cell::{cell, same_bytes, truncate};
use crate::read::csv::FieldRange;
use crate::read::header::ColumnMap;
use crate::read::issue::IssueCode;
use crate::read::table::{add_day, RowParts};
use crate::read::words::{direction_of, is_placeholder, Direction};
use crate::record::{Field, ItemKind, Row, Status};
use rust_decimal::Decimal;

/// Keys longer than this are not keys (a 10 MB cell is junk, not an order number).
const MAX_KEY_BYTES: usize = 256;

impl Reader<'_> {
    /// Builds a row from a record and stores it (with its running balance, when the file has a
    /// balance column), or says why the record is left out.
    pub(super) fn row(
        &mut self,
        text: &str,
        fields: &[FieldRange],
        line: u32,
        offset: u32,
    ) -> std::result::Result<(), (usize, IssueCode, String)> {
        let columns = self.table.columns;
        let order_no = self.table.field_value(text, fields, Field::OrderNo);
        let trade_no = self.table.field_value(text, fields, Field::TradeNo);
        let refund_no = self.table.field_value(text, fields, Field::RefundNo);
        let key_fields: &[Field] = match self.profile.key {
            _ if self.table.format.any_key_will_do() => &[Field::OrderNo, Field::TradeNo],
            KeyChoice::OrderNo => &[Field::OrderNo],
            KeyChoice::TradeNo => &[Field::TradeNo],
            KeyChoice::OrderNoThenTradeNo => &[Field::OrderNo, Field::TradeNo],
        };
        let key_present = key_fields.iter().any(|&f| match f {
            Field::OrderNo => !order_no.is_empty(),
            _ => !trade_no.is_empty(),
        });
        if !key_present {
            let column = columns.get(key_fields[0]).unwrap_or(0);
            return Err((column, IssueCode::MissingKey, format!("the {} is empty", key_fields[0].code())));
        }
        for (value, field) in [(&order_no, Field::OrderNo), (&trade_no, Field::TradeNo), (&refund_no, Field::RefundNo)]
        {
            if value.len() > MAX_KEY_BYTES {
                let column = columns.get(field).unwrap_or(0);
                let message =
                    format!("the {} is {} bytes long; keys have at most {MAX_KEY_BYTES}", field.code(), value.len());
                return Err((column, IssueCode::InvalidKey, message));
            }
        }

        let status = match columns.get(Field::Status) {
            None => Status::Success,
            Some(column) => {
                let word = self.table.field_value(text, fields, Field::Status);
                match self.status_of(&word) {
                    Some(status) => status,
                    None => {
                        let message =
                            format!("unknown status {:?}; add it to the profile's status_words", truncate(&word, 40));
                        return Err((column, IssueCode::UnknownStatus, message));
                    }
                }
            }
        };

        let non_empty_cell = |column: Option<usize>| {
            column.and_then(|c| fields.get(c).map(|f| (c, f))).filter(|(_, f)| !cell(text, f).is_empty())
        };
        let refund_amount_cell = if status == Status::Refund {
            non_empty_cell(columns.get(Field::RefundAmount))
                .or_else(|| non_empty_cell(self.table.fallback_columns.get(Field::RefundAmount)))
        } else {
            None
        };
        let amount_cell =
            refund_amount_cell.or_else(|| columns.get(Field::Amount).and_then(|c| fields.get(c).map(|f| (c, f))));
        let amount = match amount_cell {
            Some((amount_column, amount_field)) => {
                let amount_text = cell(text, amount_field);
                let amount = match parse_units(&amount_text) {
                    Ok(amount) => amount,
                    Err(e) => {
                        let message = format!("{:?}: {}", truncate(&amount_text, 40), e.reason());
                        return Err((amount_column, IssueCode::InvalidAmount, message));
                    }
                };
                match columns.get(Field::Direction) {
                    None => amount,
                    Some(_) => Units::Big(self.apply_direction(text, fields, amount.decimal())?),
                }
            }
            None if columns.get(Field::Credit).is_some() || columns.get(Field::Debit).is_some() => {
                Units::Big(credit_minus_debit(text, fields, &columns)?)
            }
            None => {
                let column = columns.get(Field::Amount).or(columns.get(Field::RefundAmount)).unwrap_or(0);
                return Err((column, IssueCode::InvalidAmount, "the amount is missing".to_string()));
            }
        };

        // The fee is not kept (it is read again where it is shown), but a bad one is reported now.
        if let Some((column, f)) = columns.get(Field::Fee).and_then(|c| fields.get(c).map(|f| (c, f))) {
            let fee_text = cell(text, f);
            if !fee_text.is_empty() {
                if let Err(e) = parse_units(&fee_text) {
                    let message =
                        format!("{:?}: {}; the row is reconciled without a fee", truncate(&fee_text, 40), e.reason());
                    self.note(line, column, IssueCode::InvalidFee, message);
                }
            }
        }
        let mut time = Row::NO_TIME;
        if let Some((column, f)) = columns.get(Field::Time).and_then(|c| fields.get(c).map(|f| (c, f))) {
            let time_text = cell(text, f);
            if !time_text.is_empty() {
                match self.times.parse(&time_text) {
                    Some(seconds) => match u32::try_from(seconds).ok().filter(|&s| s != Row::NO_TIME) {
                        Some(seconds) => time = seconds,
                        None => {
                            let message = format!(
                                "{:?} is before 1970 or after 2105; the row is reconciled without a time",
                                truncate(&time_text, 40)
                            );
                            self.note(line, column, IssueCode::InvalidTime, message);
                        }
                    },
                    None => {
                        let message = format!(
                            "{:?} is not a date and time; the row is reconciled without one",
                            truncate(&time_text, 40)
                        );
                        self.note(line, column, IssueCode::InvalidTime, message);
                    }
                }
            }
        }

        let balance = match columns.get(Field::Balance).and_then(|c| fields.get(c).map(|f| (c, f))) {
            None => None,
            Some((column, f)) => {
                let balance_text = cell(text, f);
                match parse_amount(&balance_text) {
                    _ if is_placeholder(&balance_text) => None,
                    Ok(balance) => Some(balance),
                    Err(e) => {
                        let message = format!(
                            "{:?}: {}; the row is reconciled without a balance",
                            truncate(&balance_text, 40),
                            e.reason()
                        );
                        self.note(line, column, IssueCode::InvalidBalance, message);
                        None
                    }
                }
            }
        };
        let kind = if status == Status::Refund && !refund_no.is_empty() { ItemKind::Refund } else { ItemKind::Payment };
        if time != Row::NO_TIME {
            let day = i64::from(time).div_euclid(crate::time::DAY);
            match &mut self.day_run {
                Some((current, count)) if *current == day => *count += 1,
                run => {
                    if let Some(done) = run.replace((day, 1)) {
                        add_day(&mut self.table.days, done);
                    }
                }
            }
        }
        if columns.get(Field::Balance).is_some() {
            self.table.balances.push((line, amount.decimal(), balance));
        }
        let parts = RowParts { line, offset, order_no: &order_no, trade_no: &trade_no, refund_no: &refund_no };
        self.table.push_row(self.profile.key, parts, amount, time, status, kind);
        Ok(())
    }

    /// The normalized status of a word, through the cache of words already seen.
    fn status_of(&mut self, word: &str) -> Option<Status> {
        if let Some((_, status)) =
            self.status_cache.iter().find(|(seen, _)| same_bytes(seen.as_bytes(), word.as_bytes()))
        {
            return *status;
        }
        let (word, status) = (word.to_string(), self.profile.status_of(word));
        if self.status_cache.len() < 64 {
            self.status_cache.push((word, status));
        }
        status
    }

    /// Signs an unsigned amount by the row's direction word (收入 / 支出), when the file has one.
    fn apply_direction(
        &self,
        text: &str,
        fields: &[FieldRange],
        amount: Decimal,
    ) -> std::result::Result<Decimal, (usize, IssueCode, String)> {
        let Some(column) = self.table.columns.get(Field::Direction) else { return Ok(amount) };
        let word_text = fields.get(column).map(|f| cell(text, f)).unwrap_or_default();
        let word = word_text.as_ref();
        match direction_of(word) {
            Some(Direction::In) => Ok(amount.abs()),
            Some(Direction::Out) => Ok(-amount.abs()),
            None => {
                let message = format!("direction {:?} is neither 收入 (in) nor 支出 (out)", truncate(word, 40));
                Err((column, IssueCode::UnknownDirection, message))
            }
        }
    }
}

/// The signed amount of a statement row with separate money-in and money-out columns.
fn credit_minus_debit(
    text: &str,
    fields: &[FieldRange],
    columns: &ColumnMap,
) -> std::result::Result<Decimal, (usize, IssueCode, String)> {
    let mut total: Option<Decimal> = None;
    for (field, sign) in [(Field::Credit, Decimal::ONE), (Field::Debit, Decimal::NEGATIVE_ONE)] {
        let Some(column) = columns.get(field) else { continue };
        let value_text = fields.get(column).map(|f| cell(text, f)).unwrap_or_default();
        let value = value_text.as_ref();
        if is_placeholder(value) {
            continue;
        }
        let amount = parse_amount(value).map_err(|e| {
            (column, IssueCode::InvalidAmount, format!("{} {:?}: {}", field.code(), truncate(value, 40), e.reason()))
        })?;
        let signed = amount.abs() * sign;
        total = Some(match total {
            Some(sum) => sum + signed,
            None => signed,
        });
    }
    total.ok_or_else(|| {
        let column = columns.get(Field::Credit).or(columns.get(Field::Debit)).unwrap_or(0);
        (column, IssueCode::InvalidAmount, "neither the credit nor the debit column has an amount".to_string())
    })
}
