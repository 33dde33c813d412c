//! Exact amounts: the text of real-world amount cells turned into [`Decimal`], never `f64`.
//!
//! Accepted: `1234.56`, `-0.27000` (scale kept: WeChat fees have 5 decimals), `+12`, `"1,234.56"`
//! (thousands separators), `¥12.00` / `￥12.00`, surrounding spaces, TABs and full-width spaces,
//! a leading backtick (WeChat bills), `(12.00)` for a negative amount, a trailing `元`.
//! Rejected with a reason: `12.3.4`, `abc`, `1,23.4` style garbage, more than 28 digits.

use rust_decimal::Decimal;

/// Why a cell is not an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Nothing but blanks or a dash placeholder.
    Empty,
    /// A character that does not belong in an amount.
    InvalidCharacter,
    /// More than one decimal point.
    SeveralDecimalPoints,
    /// A thousands separator in the fraction or not between digits.
    MisplacedSeparator,
    /// No digit at all.
    NoDigits,
    /// More than 18 digits before the decimal point or 10 after it: no real amount is that large,
    /// and the cap keeps every sum of millions of amounts exact and free of overflow.
    TooLarge,
}

impl AmountError {
    /// Human-readable reason, used in row issues.
    pub fn reason(self) -> &'static str {
        match self {
            AmountError::Empty => "the amount is empty",
            AmountError::InvalidCharacter => "the amount contains a character that is not a digit",
            AmountError::SeveralDecimalPoints => "the amount has more than one decimal point",
            AmountError::MisplacedSeparator => "the amount has a misplaced thousands separator",
            AmountError::NoDigits => "the amount has no digits",
            AmountError::TooLarge => "the amount has more than 18 digits before the decimal point or 10 after it",
        }
    }
}

/// The most decimals an amount may have.
const MAX_SCALE: u32 = 10;

/// Parses an amount cell. See the module docs for what is accepted.
pub fn parse_amount(text: &str) -> Result<Decimal, AmountError> {
    parse_units(text).map(Units::decimal)
}

/// An amount as integer units at a scale, or a `Decimal` when it is not that simple: what a row
/// keeps, without building a `Decimal` for the common case.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Units {
    /// `units / 10^scale`.
    Small(i64, u8),
    /// Any other amount.
    Big(Decimal),
}

impl Units {
    /// The amount as a decimal.
    pub(crate) fn decimal(self) -> Decimal {
        match self {
            Units::Small(units, scale) => Decimal::new(units, u32::from(scale)),
            Units::Big(value) => value,
        }
    }

    /// Integer units and scale, when they fit an `i64` (and a scale below 128).
    #[inline]
    pub(crate) fn small(self) -> Option<(i64, u8)> {
        match self {
            Units::Small(units, scale) => Some((units, scale)),
            Units::Big(value) => match i64::try_from(value.mantissa()) {
                Ok(units) if value.scale() < 128 => Some((units, value.scale() as u8)),
                _ => None,
            },
        }
    }
}

/// Digits of fen (UnionPay's fixed-width amounts: `000000012345` is 123.45), spaces around them
/// allowed; `None` for anything else or more than 18 digits.
pub(crate) fn fen(digits: &str) -> Option<Decimal> {
    let digits = digits.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 18 {
        return None;
    }
    digits.parse::<i64>().ok().map(|n| Decimal::new(n, 2))
}

/// [`parse_amount`] without a `Decimal` for the plain cells almost every file has.
#[inline]
pub(crate) fn parse_units(text: &str) -> Result<Units, AmountError> {
    match parse_plain_units(text.as_bytes()) {
        Some((units, scale)) => Ok(Units::Small(units, scale as u8)),
        None => parse_decorated(text).map(Units::Big),
    }
}

/// The fast path as a `Decimal` (the tests compare it with the general parser).
/// The largest amount fund flow and clearing take (10^15 yuan): with it, no sum of a year's rows
/// can overflow a `Decimal` (which would panic), and no real statement comes near it.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xa4c6_8000, 0x3_8d7e, 0, false, 0);

/// Whether an amount is within [`MAX_AMOUNT`].
pub fn amount_in_range(amount: Decimal) -> bool {
    amount.abs() <= MAX_AMOUNT
}

/// An amount of money as reports write it: exact, and written to the fen unless the digits past
/// the fen are not all zeros. A settlement net summed from two-decimal amounts and five-decimal
/// WeChat fees is `25728.30`, not `25728.30000`; a fee of `0.05940` keeps its five decimals; an
/// `88` read from a spreadsheet cell is `88.00`. Serializes as that text (JSON strings for
/// JavaScript: money never becomes a float), and is what every report type holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub Decimal);

/// Money crosses every boundary as a decimal string (`"25728.30"`), never a number.
#[cfg(feature = "typescript")]
impl ts_rs::TS for Money {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "Money".to_string()
    }
    fn inline(_: &ts_rs::Config) -> String {
        "string".to_string()
    }
}

impl Money {
    /// Zero, written `0.00`.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The amount.
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// The same value at the scale it is written at (see [`Money`]).
    pub fn written(self) -> Decimal {
        let mut d = self.0;
        if d.scale() < 2 || d.round_dp(2) == d {
            d.rescale(2); // exact: only zeros are dropped or added
        }
        if d.is_zero() {
            d.set_sign_positive(true); // never -0.00
        }
        d
    }

    /// Whether the amount is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Whether the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.written(), f)
    }
}

impl From<Decimal> for Money {
    fn from(d: Decimal) -> Money {
        Money(d)
    }
}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        parse_amount(&text).map(Money).map_err(|e| serde::de::Error::custom(format!("{text:?}: {}", e.reason())))
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0 - other.0)
    }
}

impl std::ops::Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        self.0 += other.0;
    }
}

impl std::ops::SubAssign for Money {
    fn sub_assign(&mut self, other: Money) {
        self.0 -= other.0;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

#[cfg(test)]
fn parse_plain(bytes: &[u8]) -> Option<Decimal> {
    parse_plain_units(bytes).map(|(units, scale)| Decimal::new(units, scale))
}

/// The fast path: `-?[0-9]+(\.[0-9]+)?` with at most 18 digits, as almost every cell is, as
/// integer units and scale.
#[inline]
fn parse_plain_units(bytes: &[u8]) -> Option<(i64, u32)> {
    let (negative, digits) = match bytes.first()? {
        b'-' => (true, &bytes[1..]),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    // Whole part, then the fraction after one point that is neither first nor last.
    let mut mantissa: i64 = 0;
    let mut i = 0;
    while let Some(d) = digits.get(i).map(|b| b.wrapping_sub(b'0')).filter(|&d| d <= 9) {
        mantissa = mantissa.wrapping_mul(10).wrapping_add(i64::from(d));
        i += 1;
    }
    let whole_digits = i;
    let mut scale = 0;
    if i < digits.len() {
        if i == 0 || digits[i] != b'.' || i + 1 == digits.len() {
            return None;
        }
        for &b in &digits[i + 1..] {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            mantissa = mantissa.wrapping_mul(10).wrapping_add(i64::from(d));
        }
        scale = (digits.len() - i - 1) as u32;
    }
    if whole_digits + scale as usize > 18 || scale > MAX_SCALE {
        return None;
    }
    Some((if negative { -mantissa } else { mantissa }, scale))
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}'
}

/// The slow path for decorated text: signs, separators, currency marks, parentheses.
fn parse_decorated(text: &str) -> Result<Decimal, AmountError> {
    let mut s = text.trim_matches(is_blank);
    s = s.strip_prefix('`').unwrap_or(s).trim_matches(is_blank);
    if s.is_empty() || s.chars().all(|c| c == '-' || c == '—') {
        return Err(AmountError::Empty);
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim_matches(is_blank);
    }
    s = s.strip_suffix('元').unwrap_or(s).trim_matches(is_blank);
    // A sign may stand before or after the currency mark: `-¥12`, `¥-12`.
    for _ in 0..2 {
        if let Some(rest) = s.strip_prefix('-') {
            negative = !negative;
            s = rest.trim_matches(is_blank);
        } else if let Some(rest) = s.strip_prefix('+') {
            s = rest.trim_matches(is_blank);
        }
        for mark in ["¥", "￥", "CNY", "RMB"] {
            if let Some(rest) = s.strip_prefix(mark) {
                s = rest.trim_matches(is_blank);
            }
        }
    }
    let mut digits = String::with_capacity(s.len());
    let mut seen_point = false;
    let mut previous_was_digit = false;
    let mut digit_count = 0usize;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                digits.push(b as char);
                digit_count += 1;
                previous_was_digit = true;
            }
            b'.' => {
                if seen_point {
                    return Err(AmountError::SeveralDecimalPoints);
                }
                seen_point = true;
                previous_was_digit = false;
                digits.push('.');
            }
            b',' => {
                let next_is_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                if seen_point || !previous_was_digit || !next_is_digit {
                    return Err(AmountError::MisplacedSeparator);
                }
                previous_was_digit = false;
            }
            _ => return Err(AmountError::InvalidCharacter),
        }
    }
    if digit_count == 0 {
        return Err(AmountError::NoDigits);
    }
    let digits = digits.trim_end_matches('.');
    let (integer, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if integer.trim_start_matches('0').len() > 18 || fraction.len() > MAX_SCALE as usize || digit_count > 28 {
        return Err(AmountError::TooLarge);
    }
    let digits = if digits.starts_with('.') { format!("0{digits}") } else { digits.to_string() };
    let value = Decimal::from_str_exact(&digits).map_err(|_| AmountError::TooLarge)?;
    Ok(if negative { -value } else { value })
}

/// An exact running sum of amounts: an `i128` mantissa at the largest scale seen. Adding is a few
/// integer operations (a `Decimal` addition costs far more) and, with amounts capped by
/// [`parse_amount`], cannot overflow: 2^127 is beyond 10^28 × any row count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sum {
    mantissa: i128,
    scale: u32,
}

impl Sum {
    /// Adds an amount.
    #[inline]
    pub fn add(&mut self, value: Decimal) {
        let (mantissa, scale) = (value.mantissa(), value.scale());
        if scale == self.scale {
            self.mantissa = self.mantissa.saturating_add(mantissa);
            return;
        }
        if scale > self.scale {
            self.mantissa = self.mantissa.saturating_mul(10i128.pow(scale - self.scale));
            self.scale = scale;
        }
        let aligned = mantissa.saturating_mul(10i128.pow(self.scale - scale));
        self.mantissa = self.mantissa.saturating_add(aligned);
    }

    /// Adds an amount given as integer units at `scale` (a row's amount without a `Decimal`).
    #[inline]
    pub fn add_units(&mut self, units: i64, scale: u32) {
        if scale == self.scale {
            self.mantissa = self.mantissa.saturating_add(i128::from(units));
        } else {
            self.add(Decimal::new(units, scale));
        }
    }

    /// The sum as a decimal (rounded only if it no longer fits a `Decimal`, which capped amounts
    /// cannot reach).
    pub fn total(&self) -> Decimal {
        let (mut mantissa, mut scale) = (self.mantissa, self.scale);
        loop {
            if let Ok(total) = Decimal::try_from_i128_with_scale(mantissa, scale) {
                return total;
            }
            if scale == 0 {
                return if mantissa < 0 { Decimal::MIN } else { Decimal::MAX };
            }
            mantissa /= 10;
            scale -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_to_the_fen_unless_digits_past_it_are_not_zeros() {
        let table = [
            ("25728.30000", "25728.30"),
            ("0.05940", "0.05940"),
            ("0.059400", "0.059400"),
            ("88", "88.00"),
            ("2435.3", "2435.30"),
            ("-0.00000", "0.00"),
            ("-12.50", "-12.50"),
            ("1.005", "1.005"),
            ("0", "0.00"),
        ];
        for (value, written) in table {
            let money = Money(value.parse().expect("decimal"));
            assert_eq!(money.to_string(), written, "{value}");
            assert_eq!(money.written(), money.0, "the value is exact: {value}");
            assert_eq!(serde_json::to_string(&money).expect("json"), format!("\"{written}\""));
        }
    }

    #[test]
    fn max_amount_is_ten_to_the_fifteenth() {
        assert_eq!(MAX_AMOUNT.to_string(), "1000000000000000");
        assert!(amount_in_range(-MAX_AMOUNT) && !amount_in_range(MAX_AMOUNT + Decimal::ONE));
    }
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test literal")
    }

    #[test]
    fn accepted_forms() {
        let table = [
            ("1234.56", "1234.56"),
            ("0.01", "0.01"),
            ("-0.27000", "-0.27000"),
            ("100", "100"),
            ("+12.50", "12.50"),
            ("1,234.56", "1234.56"),
            ("1,234,567.00", "1234567.00"),
            ("¥12.00", "12.00"),
            ("￥ 1,000.00", "1000.00"),
            ("-¥12.00", "-12.00"),
            ("¥-12.00", "-12.00"),
            ("  12.00\t", "12.00"),
            ("\u{3000}12.00", "12.00"),
            ("`0.00000", "0.00000"),
            ("(12.00)", "-12.00"),
            ("12.00元", "12.00"),
            (".5", "0.5"),
            ("5.", "5"),
            ("123456789012345678.0123456789", "123456789012345678.0123456789"),
        ];
        for (input, expected) in table {
            let got = parse_amount(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
            assert_eq!(got, dec(expected), "{input:?}");
            assert_eq!(got.to_string(), expected, "scale kept for {input:?}");
        }
    }

    #[test]
    fn sums_are_exact_across_scales() {
        let mut sum = Sum::default();
        for v in ["0.10", "0.20", "-0.27000", "100", "1234567890123456.78"] {
            sum.add(dec(v));
        }
        assert_eq!(sum.total().to_string(), "1234567890123556.81000");
        let mut big = Sum::default();
        for _ in 0..10_000 {
            big.add(dec("999999999999999999.9999999999"));
        }
        // 32 significant digits do not fit a Decimal; the trailing zeros are dropped, nothing else.
        assert_eq!(big.total(), dec("9999999999999999999999.999999"));
    }

    #[test]
    fn rejected_forms() {
        let table = [
            ("12.3.4", AmountError::SeveralDecimalPoints),
            ("abc", AmountError::InvalidCharacter),
            ("", AmountError::Empty),
            ("  ", AmountError::Empty),
            ("-", AmountError::Empty),
            ("-------", AmountError::Empty),
            ("1,,234", AmountError::MisplacedSeparator),
            (",123", AmountError::MisplacedSeparator),
            ("1.234,5", AmountError::MisplacedSeparator),
            ("12a", AmountError::InvalidCharacter),
            ("¥", AmountError::NoDigits),
            ("12345678901234567890123456789", AmountError::TooLarge),
            ("1234567890123456789", AmountError::TooLarge),
            ("1.12345678901", AmountError::TooLarge),
            ("1e5", AmountError::InvalidCharacter),
        ];
        for (input, expected) in table {
            assert_eq!(parse_amount(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn the_plain_fast_path_agrees_with_the_general_parser() {
        // Random strings over digits, points and minus signs: whatever the fast path accepts, the
        // general parser reads to the same value (same scale), and it accepts every plain amount.
        let alphabet = b"0123456789012345678901234567899.-";
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for round in 0..20_000 {
            let len = 1 + round % 24;
            let text: String = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    char::from(alphabet[(state % alphabet.len() as u64) as usize])
                })
                .collect();
            let general = parse_decorated(&text).ok();
            match parse_plain(text.as_bytes()) {
                Some(fast) => {
                    let general = general.unwrap_or_else(|| panic!("{text:?}: fast {fast}, general rejects"));
                    assert_eq!((fast, fast.scale()), (general, general.scale()), "{text:?}");
                }
                None => {
                    let plain = text
                        .trim_start_matches('-')
                        .split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                        && text.matches('.').count() <= 1
                        && text.matches('-').count() <= usize::from(text.starts_with('-'))
                        && text.bytes().filter(u8::is_ascii_digit).count() <= 18
                        && text.split('.').nth(1).is_none_or(|f| f.len() <= MAX_SCALE as usize);
                    assert!(!plain, "{text:?} is plain but the fast path rejected it");
                }
            }
        }
    }
}
