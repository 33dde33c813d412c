//! The merchant number in a bank memo (摘要 / 附言 / 用途), found by small hand-written patterns
//! rather than the `regex` crate: the patterns are simple and the Wasm module stays small.
//!
//! A pattern is literal text around one placeholder: `{merchant}` (a run of 6 to 20 digits) or
//! `{merchant:2088}` (exactly 16 digits starting 2088, an Alipay PID). Blanks and `:`/`：`/`#`
//! between the text and the digits are ignored, and the digits must not touch other digits.

/// One memo pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoPattern {
    source: String,
    prefix: String,
    suffix: String,
    /// Required leading digits, and then the exact length (for PIDs); `None` for 6–20 digits.
    fixed: Option<(String, usize)>,
}

/// The patterns used when the profile names none.
pub const DEFAULT_PATTERNS: &[&str] =
    &["商户号{merchant}", "{merchant}结算款", "财付通支付科技有限公司{merchant}", "{merchant:2088}"];

fn is_gap(c: char) -> bool {
    c.is_whitespace() || matches!(c, ':' | '：' | '#' | '\u{3000}' | '=')
}

impl MemoPattern {
    /// The built-in patterns: WeChat Pay (微信支付结算 商户号…, …结算款, 财付通…) and Alipay PIDs.
    pub fn defaults() -> Vec<MemoPattern> {
        DEFAULT_PATTERNS.iter().filter_map(|p| MemoPattern::parse(p).ok()).collect()
    }

    /// Parses `prefix{merchant}suffix` or `prefix{merchant:DIGITS}suffix`.
    pub fn parse(pattern: &str) -> Result<MemoPattern, &'static str> {
        let open = pattern.find("{merchant").ok_or("the pattern has no {merchant} placeholder")?;
        let close = pattern[open..].find('}').map(|i| open + i).ok_or("the placeholder is not closed")?;
        let inner = &pattern[open + "{merchant".len()..close];
        let fixed = match inner.strip_prefix(':') {
            None if inner.is_empty() => None,
            None => return Err("the placeholder is {merchant} or {merchant:DIGITS}"),
            Some(lead) if !lead.is_empty() && lead.len() < 16 && lead.bytes().all(|b| b.is_ascii_digit()) => {
                Some((lead.to_string(), 16))
            }
            Some(_) => return Err("{merchant:…} takes the leading digits of a 16-digit id, e.g. {merchant:2088}"),
        };
        let prefix = pattern[..open].trim_matches(is_gap).to_string();
        let suffix = pattern[close + 1..].trim_matches(is_gap).to_string();
        if suffix.contains("{merchant") {
            return Err("a pattern has one placeholder");
        }
        Ok(MemoPattern { source: pattern.to_string(), prefix, suffix, fixed })
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The merchant number this pattern finds in `memo`, if any (the first occurrence).
    pub fn find<'m>(&self, memo: &'m str) -> Option<&'m str> {
        let bytes = memo.as_bytes();
        let digits_at = |start: usize| -> usize {
            bytes[start..].iter().position(|b| !b.is_ascii_digit()).map_or(bytes.len(), |n| start + n)
        };
        let mut from = 0;
        while from <= memo.len() {
            // Candidate digit runs: after each prefix occurrence, or every maximal run without one.
            let (start, next) = if self.prefix.is_empty() {
                let start = bytes[from..].iter().position(u8::is_ascii_digit).map(|n| from + n)?;
                (start, digits_at(start))
            } else {
                let at = memo[from..].find(&self.prefix).map(|n| from + n)?;
                let after = at + self.prefix.len();
                let gap = memo[after..].find(|c: char| !is_gap(c)).map_or(memo.len(), |n| after + n);
                (gap, after)
            };
            let end = digits_at(start);
            let touches_digit = start > 0 && bytes[start - 1].is_ascii_digit();
            if end > start && !touches_digit && self.accepts(&memo[start..end]) && self.suffix_follows(memo, end) {
                return Some(&memo[start..end]);
            }
            // Always forward: past the prefix occurrence, or past the digit run.
            from = next;
        }
        None
    }

    fn accepts(&self, digits: &str) -> bool {
        match &self.fixed {
            Some((lead, len)) => digits.len() == *len && digits.starts_with(lead.as_str()),
            None => (6..=20).contains(&digits.len()),
        }
    }

    fn suffix_follows(&self, memo: &str, end: usize) -> bool {
        self.suffix.is_empty() || memo[end..].trim_start_matches(is_gap).starts_with(&self.suffix)
    }
}

/// The merchant named by the first pattern that finds one in `memo`, then in `counterparty memo`.
pub fn merchant_of(patterns: &[MemoPattern], counterparty: &str, memo: &str) -> Option<String> {
    let joined;
    let texts: [&str; 2] = if counterparty.is_empty() {
        [memo, ""]
    } else {
        joined = format!("{counterparty} {memo}");
        [memo, &joined]
    };
    texts.iter().filter(|t| !t.is_empty()).find_map(|t| patterns.iter().find_map(|p| p.find(t))).map(str::to_string)
}

/// The days a memo names, as 8-digit runs (`20261104`) or `2026-11-04` / `2026/11/04`, checked by
/// chrono: a WeChat settlement memo names its day after the merchant number. A run of other
/// length (a merchant number, a serial) is never a day.
pub fn days_in(memo: &str) -> Vec<chrono::NaiveDate> {
    let bytes = memo.as_bytes();
    let mut days = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        let run_end =
            |from: usize| bytes[from..].iter().position(|b| !b.is_ascii_digit()).map_or(bytes.len(), |n| from + n);
        let end = run_end(at);
        let text = &memo[at..end];
        let mut next = end;
        // crate::time's hand parsers, not chrono's format strings: those cost the Wasm module
        // tens of KB (see time.rs).
        use crate::time::{parse_date_as, Part};
        let day = if text.len() == 8 {
            parse_date_as(text, &[Part::Year, Part::Two, Part::Two])
        } else if text.len() == 4 && matches!(bytes.get(end), Some(b'-' | b'/')) {
            // `2026-11-04`: a year, a separator, then month and day with the same separator.
            let sep = bytes[end];
            let month_end = run_end(end + 1);
            let day_end = if bytes.get(month_end) == Some(&sep) { run_end(month_end + 1) } else { month_end };
            next = day_end;
            let sep = if sep == b'-' { "-" } else { "/" };
            parse_date_as(&memo[at..day_end], &[Part::Year, Part::Lit(sep), Part::Two, Part::Lit(sep), Part::Two])
        } else {
            None
        };
        if let Some(day) = day.filter(|d| (2000..2100).contains(&chrono::Datelike::year(d))) {
            days.push(day);
        }
        at = next.max(at + 1);
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_eight_digit_runs_or_written_dates() {
        let day = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date");
        assert_eq!(days_in("微信支付结算 商户号1612000001 20261104"), vec![day("2026-11-04")]);
        assert_eq!(days_in("结算款 2026-11-04 至 2026/11/05"), vec![day("2026-11-04"), day("2026-11-05")]);
        assert!(days_in("商户号12345678 流水 2026113099 20261332 2026-13-01 19991231").is_empty());
        assert!(days_in("2026-").is_empty() && days_in("").is_empty() && days_in("2026/1").is_empty());
    }

    #[test]
    fn default_patterns_find_wechat_and_alipay_merchants() {
        let patterns = MemoPattern::defaults();
        let table = [
            ("微信支付结算 商户号1230000109 20260324", Some("1230000109")),
            ("微信支付结算 商户号：1230000109", Some("1230000109")),
            ("1230000109结算款", Some("1230000109")),
            ("结算 1230000109 结算款", Some("1230000109")),
            ("财付通支付科技有限公司 1230000109", Some("1230000109")),
            ("支付宝结算 2088101122334455 20260324", Some("2088101122334455")),
            ("PID2088101122334455 结算", Some("2088101122334455")),
            ("20881011223344556 太长", None),
            ("货款 20260324", None),
            ("商户号12345", None),
            ("", None),
        ];
        for (memo, expected) in table {
            assert_eq!(merchant_of(&patterns, "", memo).as_deref(), expected, "{memo:?}");
        }
        assert_eq!(merchant_of(&patterns, "财付通支付科技有限公司", "1230000109").as_deref(), Some("1230000109"));
    }

    #[test]
    fn custom_patterns_and_odd_text_never_panic() {
        let p = MemoPattern::parse("清算款-{merchant}-T1").expect("valid");
        assert_eq!(p.find("银联清算款-88801234567-T1"), Some("88801234567"));
        assert_eq!(p.find("银联清算款-88801234567-T2"), None);
        for memo in ["清算款-", "清算款-1", "\u{3000}清算款-９９", "商户号商户号商户号"] {
            let _ = p.find(memo);
            let _ = merchant_of(&MemoPattern::defaults(), memo, memo);
        }
        assert!(MemoPattern::parse("x{merchant:abc}").is_err());
        assert!(MemoPattern::parse("x{merchant}{merchant}").is_err());
    }
}
