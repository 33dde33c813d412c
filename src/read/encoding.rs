//! Bytes to text: UTF-8 (with or without BOM), GB18030/GBK, UTF-16 with BOM.
//!
//! Valid UTF-8 is taken as it is, without a copy. Anything else is decoded once into a new `String`.

use super::gb18030::{decode_gb18030, decode_utf16};
use crate::codes::codes;
use crate::error::{Error, ErrorKind, Result};

codes! {
    /// The encoding a file turned out to have; its code is the name shown in reports.
    pub enum Encoding {
        /// UTF-8 without a byte-order mark.
        Utf8 = "UTF-8",
        /// UTF-8 with a byte-order mark.
        Utf8Bom = "UTF-8 (BOM)",
        /// GB18030, the superset of GBK and GB2312 that Chinese exports use.
        Gb18030 = "GB18030",
        /// UTF-16, little endian, with a byte-order mark.
        Utf16Le = "UTF-16LE",
        /// UTF-16, big endian, with a byte-order mark.
        Utf16Be = "UTF-16BE",
    }
}

/// The decoded text and what was found on the way.
#[derive(Debug)]
pub struct Decoded {
    /// The whole file as text, byte-order mark removed.
    pub text: String,
    /// The detected encoding.
    pub encoding: Encoding,
    /// A note for the report when the bytes contradicted what they declared, or had to be repaired.
    pub note: Option<String>,
}

/// Decodes a whole file. Fails only on empty input or bytes that are not text at all.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::new(ErrorKind::EmptyFile, "the file is empty"));
    }
    if bytes.starts_with(&[0xff, 0xfe]) {
        return Ok(decode_with(&bytes[2..], Encoding::Utf16Le));
    }
    if bytes.starts_with(&[0xfe, 0xff]) {
        return Ok(decode_with(&bytes[2..], Encoding::Utf16Be));
    }
    let has_bom = bytes.starts_with(&[0xef, 0xbb, 0xbf]);
    let body_start = if has_bom { 3 } else { 0 };
    if looks_binary(&bytes[body_start..]) {
        return Err(Error::new(ErrorKind::NotText, "the file is not text (binary bytes found); expected CSV"));
    }
    let encoding = if has_bom { Encoding::Utf8Bom } else { Encoding::Utf8 };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if has_bom {
                text.drain(..3);
            }
            Ok(Decoded { text, encoding, note: None })
        }
        Err(err) => {
            let bytes = err.into_bytes();
            let body = &bytes[body_start..];
            let first_bad_line = first_invalid_utf8_line(body);
            if let Some(text) = decode_gb18030(body, true) {
                let note = has_bom.then(|| {
                    "the file starts with a UTF-8 byte-order mark but its bytes are GB18030; read as GB18030"
                        .to_string()
                });
                return Ok(Decoded { text, encoding: Encoding::Gb18030, note });
            }
            // Replaces maximal invalid subsequences, as the WHATWG UTF-8 decoder does.
            let text = String::from_utf8_lossy(body);
            let note = format!(
                "the bytes are neither valid UTF-8 nor GB18030 (first bad byte on line {first_bad_line}); \
                 unreadable bytes were replaced by U+FFFD"
            );
            Ok(Decoded { text: text.into_owned(), encoding, note: Some(note) })
        }
    }
}

/// For a file the caller keeps and that is read in chunks: when its first bytes (`head`, of a
/// file of `total` bytes) are UTF-8, with or without a byte-order mark, and not binary, where the
/// text starts, its encoding, and the head as text, cut after its last line break unless it is
/// the whole file. `None`: the file must be read whole and given to [`decode`], which decides.
pub(crate) fn sniff_utf8(head: &[u8], total: u64) -> Option<(u64, Encoding, String)> {
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return None;
    }
    let has_bom = head.starts_with(&[0xef, 0xbb, 0xbf]);
    let start = if has_bom { 3 } else { 0 };
    let body = &head[start..];
    let whole = head.len() as u64 == total;
    if body.iter().all(|b| b.is_ascii_whitespace()) || looks_binary(body) {
        return None;
    }
    let valid = match std::str::from_utf8(body) {
        Ok(text) => text.len(),
        // The head may end inside a character.
        Err(e) if e.error_len().is_none() && !whole => e.valid_up_to(),
        Err(_) => return None,
    };
    let mut text = &body[..valid];
    if !whole {
        text = &text[..memchr::memrchr(b'\n', text).map_or(0, |i| i + 1)];
    }
    let encoding = if has_bom { Encoding::Utf8Bom } else { Encoding::Utf8 };
    Some((start as u64, encoding, String::from_utf8_lossy(text).into_owned()))
}

fn decode_with(body: &[u8], encoding: Encoding) -> Decoded {
    let (text, had_errors) = decode_utf16(body, encoding == Encoding::Utf16Be);
    let note = had_errors.then(|| "some UTF-16 code units were invalid and replaced by U+FFFD".to_string());
    Decoded { text, encoding, note }
}

/// Text files have no NUL bytes and few control characters; binary files have many.
fn looks_binary(body: &[u8]) -> bool {
    let sample = &body[..body.len().min(64 * 1024)];
    if memchr::memchr(0, sample).is_some() {
        return true;
    }
    let controls = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)).count();
    controls * 100 > sample.len()
}

fn first_invalid_utf8_line(body: &[u8]) -> usize {
    let valid_up_to = match std::str::from_utf8(body) {
        Ok(_) => body.len(),
        Err(e) => e.valid_up_to(),
    };
    1 + memchr::memchr_iter(b'\n', &body[..valid_up_to]).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::GB18030;

    #[test]
    fn detects_each_encoding() {
        let text = "商户订单号,金额\nA1,1.00\n";
        let (gbk, _, _) = GB18030.encode(text);
        let utf16le: Vec<u8> = [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let utf16be: Vec<u8> = [0xfe, 0xff].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        let bom: Vec<u8> = [0xef, 0xbb, 0xbf].iter().copied().chain(text.bytes()).collect();
        let table = [
            (text.as_bytes().to_vec(), Encoding::Utf8),
            (bom, Encoding::Utf8Bom),
            (gbk.into_owned(), Encoding::Gb18030),
            (utf16le, Encoding::Utf16Le),
            (utf16be, Encoding::Utf16Be),
        ];
        for (bytes, expected) in table {
            let decoded = decode(bytes).expect("decodes");
            assert_eq!(decoded.encoding, expected);
            assert_eq!(decoded.text, text, "{expected:?}");
        }
    }

    #[test]
    fn gbk_declared_as_utf8_is_read_as_gbk_and_noted() {
        let (gbk, _, _) = GB18030.encode("商户订单号,金额\n");
        let bytes: Vec<u8> = [0xef, 0xbb, 0xbf].iter().copied().chain(gbk.iter().copied()).collect();
        let decoded = decode(bytes).expect("decodes");
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert!(decoded.note.is_some());
        assert!(decoded.text.starts_with("商户订单号"));
    }

    #[test]
    fn empty_and_binary_are_errors() {
        assert_eq!(decode(Vec::new()).unwrap_err().code(), "empty_file");
        assert_eq!(decode(b" \r\n".to_vec()).unwrap_err().code(), "empty_file");
        let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        assert_eq!(decode(junk).unwrap_err().code(), "not_text");
    }
}
