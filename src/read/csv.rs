//! A lenient CSV record scanner over text already in memory.
//!
//! It allocates nothing per record: fields come out as byte ranges into the text, written into a
//! `Vec` the caller reuses (the `csv` crate's `ByteRecord` idea). Quoted fields may contain
//! delimiters, doubled quotes and line breaks; such a field is flagged so the caller unescapes it.
//! A quote that never closes is reported, not swallowed: see [`Record::unterminated_quote`].

/// One field of a record: a byte range of the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FieldRange {
    /// Start of the field's content (after an opening quote).
    pub start: u32,
    /// End of the field's content (before a closing quote).
    pub end: u32,
    /// The content has doubled quotes or text after the closing quote: unescape before use.
    pub needs_unescape: bool,
}

/// Where a record was found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// 1-based line where the record starts.
    pub line: u32,
    /// Byte offset of the record's first character.
    pub start: usize,
    /// Byte offset just past the record's last character (line break excluded).
    pub end: usize,
    /// Number of lines the record spans (more than 1 when a quoted field holds line breaks).
    pub lines: u32,
    /// A quoted field ran to the end of the text without its closing quote.
    pub unterminated_quote: bool,
}

/// The longest a record may run when a quoted field holds line breaks. Past it, an open quote
/// is reported as unbalanced. The cap also makes chunked reading (which sees one stretch of the
/// file at a time) read exactly what reading the whole text reads.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Scans records one at a time from `text`.
pub struct Scanner<'t> {
    text: &'t [u8],
    delimiter: u8,
    position: usize,
    line: u32,
}

impl<'t> Scanner<'t> {
    /// A scanner at the start of `text`.
    pub fn new(text: &'t str, delimiter: u8) -> Self {
        Scanner { text: text.as_bytes(), delimiter, position: 0, line: 1 }
    }

    /// A scanner over bytes not yet checked to be UTF-8: the caller checks the records it keeps
    /// (field ranges fall on ASCII delimiters, so they are character boundaries of valid text).
    pub fn over_bytes(bytes: &'t [u8], delimiter: u8) -> Self {
        Scanner { text: bytes, delimiter, position: 0, line: 1 }
    }

    /// A scanner over one stretch of a file, whose first line is line `line` of the file.
    pub fn starting_at_line(text: &'t str, delimiter: u8, line: u32) -> Self {
        Scanner { text: text.as_bytes(), delimiter, position: 0, line }
    }

    /// The line the next record starts on.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// Moves to `position`, which must be the start of line `line` (used to resume after a bad quote).
    pub fn restart_at(&mut self, position: usize, line: u32) {
        self.position = position;
        self.line = line;
    }

    /// Byte offset of the next record.
    pub fn position(&self) -> usize {
        self.position
    }

    /// The offset just past the line break that ends the line containing `offset`.
    pub fn next_line_start(&self, offset: usize) -> usize {
        match memchr::memchr(b'\n', &self.text[offset.min(self.text.len())..]) {
            Some(i) => offset + i + 1,
            None => self.text.len(),
        }
    }

    /// Reads the next record's fields into `fields` (cleared first). `None` at the end of the text.
    pub fn next_record(&mut self, fields: &mut Vec<FieldRange>) -> Option<Record> {
        if let Some(record) = self.next_plain_record(fields) {
            return Some(record);
        }
        self.next_any_record(fields)
    }

    /// The common case: a record without quotes, not at the very end of the text. Eight bytes
    /// per step, every delimiter of a word taken from one bit mask. `None`, with nothing
    /// consumed, for anything else: [`Scanner::next_any_record`] reads that record instead.
    #[inline]
    fn next_plain_record(&mut self, fields: &mut Vec<FieldRange>) -> Option<Record> {
        fields.clear();
        let text = self.text;
        let start = self.position;
        let delimiters = ONES * u64::from(self.delimiter);
        let mut field_start = start;
        let mut i = start;
        while let Some(chunk) = text.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            let quotes = zero_bytes(word ^ QUOTES);
            let newlines = zero_bytes(word ^ NEWLINES);
            let mut delims = zero_bytes(word ^ delimiters);
            // Only the bytes before the first line feed belong to this record.
            let before_line_feed = if newlines == 0 { u64::MAX } else { (1u64 << newlines.trailing_zeros()) - 1 };
            if quotes & before_line_feed != 0 {
                return None;
            }
            delims &= before_line_feed;
            while delims != 0 {
                let p = i + (delims.trailing_zeros() / 8) as usize;
                fields.push(FieldRange { start: field_start as u32, end: p as u32, needs_unescape: false });
                field_start = p + 1;
                delims &= delims - 1;
            }
            if newlines != 0 {
                let line_feed = i + (newlines.trailing_zeros() / 8) as usize;
                // A '\r' before the line feed belongs to the line break.
                let end = if line_feed > start && text[line_feed - 1] == b'\r' { line_feed - 1 } else { line_feed };
                fields.push(FieldRange {
                    start: field_start as u32,
                    end: end.max(field_start) as u32,
                    needs_unescape: false,
                });
                let line = self.line;
                self.line += 1;
                self.position = line_feed + 1;
                return Some(Record { line, start, end, lines: 1, unterminated_quote: false });
            }
            i += 8;
        }
        None
    }

    /// Any record: quoted fields, the last bytes of the text.
    fn next_any_record(&mut self, fields: &mut Vec<FieldRange>) -> Option<Record> {
        fields.clear();
        let text = self.text;
        let len = text.len();
        if self.position >= len {
            return None;
        }
        let start = self.position;
        let first_line = self.line;
        let mut i = start;
        let mut unterminated_quote = false;
        loop {
            // One field starts at i.
            if i < len && text[i] == b'"' {
                let content_start = i + 1;
                let mut j = content_start;
                let mut needs_unescape = false;
                let content_end;
                // A quote still open this far into the record is a stray quote, not a long field.
                let limit = (start + MAX_RECORD_BYTES).min(len);
                loop {
                    match memchr::memchr2(b'"', b'\n', &text[j.min(limit)..limit]) {
                        None => {
                            unterminated_quote = true;
                            content_end = limit;
                            j = limit;
                            break;
                        }
                        Some(k) if text[j + k] == b'\n' => {
                            self.line += 1;
                            j += k + 1;
                        }
                        Some(k) => {
                            let quote = j + k;
                            if text.get(quote + 1) == Some(&b'"') {
                                needs_unescape = true;
                                j = quote + 2;
                            } else {
                                content_end = quote;
                                j = quote + 1;
                                break;
                            }
                        }
                    }
                }
                // Lenient: text between the closing quote and the delimiter is kept.
                let mut k = j;
                while k < len && text[k] != self.delimiter && text[k] != b'\n' {
                    k += 1;
                }
                let trailing = &text[j..k];
                let keep_trailing = trailing.iter().any(|&b| b != b'\r' && b != b' ' && b != b'\t');
                fields.push(FieldRange {
                    start: content_start as u32,
                    end: if keep_trailing { k as u32 } else { content_end as u32 },
                    needs_unescape: needs_unescape || keep_trailing,
                });
                i = k;
            } else {
                let k = find_delimiter_or_newline(text, i, self.delimiter);
                let end = if k > i && text[k - 1] == b'\r' && (k == len || text[k] == b'\n') { k - 1 } else { k };
                fields.push(FieldRange { start: i as u32, end: end as u32, needs_unescape: false });
                i = k;
            }
            if i < len && text[i] == self.delimiter {
                i += 1;
                continue;
            }
            // End of record: a line break or the end of the text.
            let mut end = i;
            if end > start && text[end - 1] == b'\r' {
                end -= 1;
            }
            if i < len {
                i += 1; // the '\n'
                self.line += 1;
            }
            self.position = i;
            return Some(Record { line: first_line, start, end, lines: self.line - first_line, unterminated_quote });
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const NEWLINES: u64 = ONES * b'\n' as u64;
const QUOTES: u64 = ONES * b'"' as u64;

/// The high bit of every zero byte of `word`, exactly (the shorter test in
/// [`find_delimiter_or_newline`] is exact only for the lowest zero byte).
#[inline]
fn zero_bytes(word: u64) -> u64 {
    const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((word & LOWS) + LOWS) | word | LOWS)
}

/// The first position at or after `from` holding `delimiter` or a line feed, or the text's end.
/// Eight bytes per step (SWAR): the same speed natively and in Wasm, where there is no `memchr` SIMD.
#[inline]
fn find_delimiter_or_newline(text: &[u8], from: usize, delimiter: u8) -> usize {
    let delimiters = ONES * u64::from(delimiter);
    let newlines = NEWLINES;
    let mut i = from;
    while let Some(chunk) = text.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let (a, b) = (word ^ delimiters, word ^ newlines);
        // The lowest set high bit marks the first zero byte of a or b exactly (borrows only go up).
        let hits = (a.wrapping_sub(ONES) & !a & HIGHS) | (b.wrapping_sub(ONES) & !b & HIGHS);
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < text.len() && text[i] != delimiter && text[i] != b'\n' {
        i += 1;
    }
    i
}

/// The value of a field that [`FieldRange::needs_unescape`]: doubled quotes halved, and a closing
/// quote followed by more text kept as text.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' && chars.peek() == Some(&'"') {
            chars.next();
        }
        out.push(c);
    }
    out
}

/// Picks the delimiter from the first lines: comma unless tabs or pipes clearly separate fields.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let candidates = [b',', b'\t', b'|'];
    for line in text.lines().take(30) {
        for (n, &c) in candidates.iter().enumerate() {
            if line.bytes().filter(|&b| b == c).count() >= 2 {
                counts[n] += 1;
            }
        }
    }
    if counts[0] >= counts[1] && counts[0] >= counts[2] {
        b','
    } else if counts[1] >= counts[2] {
        b'\t'
    } else {
        b'|'
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<(Record, Vec<String>)> {
        let mut scanner = Scanner::new(text, b',');
        let mut fields = Vec::new();
        let mut out = Vec::new();
        while let Some(record) = scanner.next_record(&mut fields) {
            let values = fields
                .iter()
                .map(|f| {
                    let raw = &text[f.start as usize..f.end as usize];
                    if f.needs_unescape {
                        unescape(raw)
                    } else {
                        raw.to_string()
                    }
                })
                .collect();
            out.push((record, values));
        }
        out
    }

    #[test]
    fn plain_quoted_crlf_and_multiline() {
        let got = records("a,b\r\n\"1,234.56\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x\n,\n");
        let values: Vec<Vec<String>> = got.iter().map(|(_, v)| v.clone()).collect();
        assert_eq!(
            values,
            vec![
                vec!["a".to_string(), "b".to_string()],
                vec!["1,234.56".to_string(), "say \"hi\"".to_string()],
                vec!["two\nlines".to_string(), "x".to_string()],
                vec![String::new(), String::new()],
            ]
        );
        let lines: Vec<(u32, u32)> = got.iter().map(|(r, _)| (r.line, r.lines)).collect();
        assert_eq!(lines, vec![(1, 1), (2, 1), (3, 2), (5, 1)]);
    }

    #[test]
    fn last_line_without_break() {
        let got = records("a,b\n1,2");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].1, vec!["1".to_string(), "2".to_string()]);
    }

    #[test]
    fn unterminated_quote_is_flagged() {
        let got = records("a,b\n\"1,2\n3,4\n");
        assert!(got[1].0.unterminated_quote);
        assert_eq!(got[1].0.line, 2);
    }

    #[test]
    fn swar_search_finds_the_first_hit_at_every_offset() {
        for len in 0..40 {
            for hit in 0..=len {
                let mut text = vec![b'x'; len];
                if hit < len {
                    text[hit] = if hit % 2 == 0 { b',' } else { b'\n' };
                }
                // Bytes that differ from the targets by one bit must not count as hits.
                for (n, b) in text.iter_mut().enumerate() {
                    if *b == b'x' && n % 3 == 0 {
                        *b = b',' ^ 0x80;
                    }
                }
                for from in 0..=hit.min(len) {
                    assert_eq!(
                        find_delimiter_or_newline(&text, from, b','),
                        hit.min(len),
                        "len {len} hit {hit} from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(detect_delimiter("a|b|c\n1|2|3\n"), b'|');
        // Alipay: comma-separated, IDs with a trailing TAB.
        assert_eq!(detect_delimiter("id\t,name,amt\n2024\t,x,1\n"), b',');
    }

    #[test]
    fn the_plain_fast_path_reads_exactly_what_the_general_path_reads() {
        // Random texts over the bytes that matter, read with and without the fast path.
        let alphabet = [b'a', b'7', b',', b'\n', b'\r', b'"', b' ', b'\t', 0xe4, 0xb8, 0xad];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for round in 0..20_000 {
            let bytes: Vec<u8> = (0..round % 97)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    // Quotes and line feeds rarer, so that many records take the fast path.
                    let pick = (state % 48) as usize;
                    if pick < alphabet.len() {
                        alphabet[pick]
                    } else {
                        b'x'
                    }
                })
                .collect();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let (mut fast, mut general) = (Scanner::new(&text, b','), Scanner::new(&text, b','));
            let (mut fast_fields, mut general_fields) = (Vec::new(), Vec::new());
            loop {
                let got = fast.next_record(&mut fast_fields);
                let want = general.next_any_record(&mut general_fields);
                assert_eq!(got, want, "record of {text:?}");
                assert_eq!(fast_fields, general_fields, "fields of {text:?}");
                assert_eq!((fast.position, fast.line), (general.position, general.line), "position in {text:?}");
                if got.is_none() {
                    break;
                }
            }
        }
    }
}
