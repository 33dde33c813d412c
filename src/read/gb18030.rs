//! GB18030 and UTF-16 decoding, written here so the Wasm module does not link encoding_rs: its
//! decoder dispatch pulls in every legacy encoding's tables (Big5, EUC-KR, Shift_JIS, ...), about
//! 120 KB gzipped, when only GB18030 is ever used. Behaviour follows the WHATWG Encoding Standard
//! exactly as encoding_rs implements it (the tests compare the two over every two- and four-byte
//! sequence and many random ones), including where U+FFFD goes for invalid bytes.

use std::sync::OnceLock;

/// Two-byte pointers (126 lead bytes × 190 trail bytes) followed by the four-byte pointers that map
/// into the BMP, as runs of consecutive code points (see [`expand`]). Generated from encoding_rs by
/// the `table_is_current` test (`DUIZHANG_WRITE_GB18030=1 cargo test --release table_is_current`).
static TABLE: &[u8] = include_bytes!("gb18030.bin");

const TWO_BYTE: usize = 126 * 190;
/// Four-byte pointers below this map into the BMP through the table.
const FOUR_BYTE_BMP: usize = 39420;
/// Four-byte pointers from here map linearly onto U+10000..=U+10FFFF.
const SUPPLEMENTARY: u32 = 189_000;

/// The expanded table: code point per pointer, 0 where the pointer maps to nothing. (No pointer
/// maps to U+0000, so 0 is free as the marker.)
fn index() -> &'static [u16] {
    static INDEX: OnceLock<Vec<u16>> = OnceLock::new();
    INDEX.get_or_init(|| expand(TABLE))
}

/// Table format: runs until all pointers are covered, each `varint(len << 1 | unmapped)`; then, for
/// each mapped run, the high bytes and then the low bytes of `first code point − the code point
/// after the previous mapped run` (wrapping u16). Most of the standard is long runs in Unicode
/// order, and the separate byte planes gzip better than interleaved deltas.
fn expand(mut bytes: &[u8]) -> Vec<u16> {
    let mut runs = Vec::new();
    let mut total = 0;
    while total < TWO_BYTE + FOUR_BYTE_BMP {
        let head = varint(&mut bytes);
        let len = (head >> 1) as usize;
        runs.push((len, head & 1 == 0));
        total += len;
    }
    let (high, low) = bytes.split_at(bytes.len() / 2);
    let mut deltas = high.iter().zip(low).map(|(&h, &l)| u16::from_be_bytes([h, l]));
    let mut out = Vec::with_capacity(total);
    let mut next: u16 = 0;
    for (len, mapped) in runs {
        if !mapped {
            out.resize(out.len() + len, 0);
            continue;
        }
        let start = next.wrapping_add(deltas.next().unwrap_or(0));
        out.extend((0..len as u16).map(|k| start.wrapping_add(k)));
        next = start.wrapping_add(len as u16);
    }
    out
}

fn varint(bytes: &mut &[u8]) -> u64 {
    let mut value = 0;
    let mut shift = 0;
    while let Some((&b, rest)) = bytes.split_first() {
        *bytes = rest;
        value |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    value
}

/// One step of the decoder at the start of `bytes` (not empty, first byte not ASCII): the character
/// or `None` for an error, and how many bytes were consumed. Bytes the standard "restores" to the
/// input after an error are simply not consumed.
fn step(bytes: &[u8], index: &[u16]) -> (Option<char>, usize) {
    let lead = bytes[0];
    match lead {
        0x80 => return (Some('\u{20ac}'), 1),
        0xff => return (None, 1),
        _ => {}
    }
    let Some(&b1) = bytes.get(1) else { return (None, 1) };
    if b1.is_ascii_digit() {
        let Some(&b2) = bytes.get(2) else { return (None, 2) };
        if !(0x81..=0xfe).contains(&b2) {
            return (None, 1);
        }
        let Some(&b3) = bytes.get(3) else { return (None, 3) };
        if !b3.is_ascii_digit() {
            return (None, 1);
        }
        let pointer = ((u32::from(lead - 0x81) * 10 + u32::from(b1 - 0x30)) * 126 + u32::from(b2 - 0x81)) * 10
            + u32::from(b3 - 0x30);
        let cp = if (pointer as usize) < FOUR_BYTE_BMP {
            u32::from(index[TWO_BYTE + pointer as usize])
        } else if (SUPPLEMENTARY..SUPPLEMENTARY + 0x10_0000).contains(&pointer) {
            pointer - SUPPLEMENTARY + 0x1_0000
        } else {
            0
        };
        return (char::from_u32(cp).filter(|&c| c != '\0'), 4);
    }
    let offset = if b1 < 0x7f { 0x40 } else { 0x41 };
    if matches!(b1, 0x40..=0x7e | 0x80..=0xfe) {
        let pointer = usize::from(lead - 0x81) * 190 + usize::from(b1 - offset);
        if let Some(c) = char::from_u32(u32::from(index[pointer])).filter(|&c| c != '\0') {
            return (Some(c), 2);
        }
    }
    // An ASCII trail byte is read again on its own; any other is part of the error.
    (None, if b1.is_ascii() { 1 } else { 2 })
}

/// Decodes GB18030; with `strict`, `None` at the first invalid sequence, otherwise U+FFFD for each.
pub fn decode_gb18030(bytes: &[u8], strict: bool) -> Option<String> {
    let index = index();
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut i = 0;
    while i < bytes.len() {
        let ascii = bytes[i..].iter().position(|b| !b.is_ascii()).unwrap_or(bytes.len() - i);
        if ascii > 0 {
            // ASCII is valid UTF-8 as it is.
            out.push_str(std::str::from_utf8(&bytes[i..i + ascii]).unwrap_or_default());
            i += ascii;
            continue;
        }
        let (c, used) = step(&bytes[i..], index);
        match c {
            Some(c) => out.push(c),
            None if strict => return None,
            None => out.push('\u{fffd}'),
        }
        i += used;
    }
    Some(out)
}

/// Decodes UTF-16 (no byte-order mark); also says whether anything had to be replaced by U+FFFD.
pub fn decode_utf16(bytes: &[u8], big_endian: bool) -> (String, bool) {
    let mut out = String::with_capacity(bytes.len());
    let mut errors = false;
    let mut lead: Option<u16> = None;
    for pair in bytes.chunks_exact(2) {
        let unit =
            if big_endian { u16::from_be_bytes([pair[0], pair[1]]) } else { u16::from_le_bytes([pair[0], pair[1]]) };
        if let Some(high) = lead.take() {
            if (0xdc00..0xe000).contains(&unit) {
                let cp = 0x1_0000 + ((u32::from(high) - 0xd800) << 10) + (u32::from(unit) - 0xdc00);
                out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                continue;
            }
            // An unpaired high surrogate; the unit after it is read on its own.
            errors = true;
            out.push('\u{fffd}');
        }
        match unit {
            0xd800..=0xdbff => lead = Some(unit),
            _ => match char::from_u32(u32::from(unit)) {
                Some(c) => out.push(c),
                None => {
                    errors = true;
                    out.push('\u{fffd}');
                }
            },
        }
    }
    // A pending high surrogate and a dangling odd byte make a single error at the end.
    if lead.is_some() || bytes.len() % 2 == 1 {
        errors = true;
        out.push('\u{fffd}');
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{GB18030, UTF_16BE, UTF_16LE, UTF_8};

    /// The table as encoding_rs sees the standard.
    fn generate() -> Vec<u8> {
        let mut cps: Vec<u32> = Vec::with_capacity(TWO_BYTE + FOUR_BYTE_BMP);
        let single = |bytes: &[u8]| -> u32 {
            let text = GB18030.decode_without_bom_handling_and_without_replacement(bytes);
            match text.as_deref().map(|t| t.chars().collect::<Vec<_>>()) {
                Some(chars) if chars.len() == 1 => chars[0] as u32,
                _ => 0,
            }
        };
        for pointer in 0..TWO_BYTE {
            let (lead, trail) = (pointer / 190, pointer % 190);
            let trail = if trail < 0x3f { trail + 0x40 } else { trail + 0x41 };
            cps.push(single(&[lead as u8 + 0x81, trail as u8]));
        }
        for pointer in 0..FOUR_BYTE_BMP {
            cps.push(single(&four_bytes(pointer as u32)));
        }
        let mut out = Vec::new();
        let mut deltas: Vec<u16> = Vec::new();
        let mut next: u16 = 0;
        let mut i = 0;
        while i < cps.len() {
            let mut len = 1;
            if cps[i] == 0 {
                while i + len < cps.len() && cps[i + len] == 0 {
                    len += 1;
                }
                put_varint(&mut out, (len as u64) << 1 | 1);
            } else {
                while i + len < cps.len() && cps[i + len] != 0 && cps[i + len] == cps[i] + len as u32 {
                    len += 1;
                }
                put_varint(&mut out, (len as u64) << 1);
                deltas.push((cps[i] as u16).wrapping_sub(next));
                next = (cps[i] as u16).wrapping_add(len as u16);
            }
            i += len;
        }
        out.extend(deltas.iter().map(|d| (d >> 8) as u8));
        out.extend(deltas.iter().map(|&d| d as u8));
        out
    }

    fn put_varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    fn four_bytes(pointer: u32) -> [u8; 4] {
        [
            (pointer / 12600) as u8 + 0x81,
            (pointer / 1260 % 10) as u8 + 0x30,
            (pointer / 10 % 126) as u8 + 0x81,
            (pointer % 10) as u8 + 0x30,
        ]
    }

    fn same_as_encoding_rs(bytes: &[u8]) {
        let expected = GB18030.decode_without_bom_handling_and_without_replacement(bytes);
        assert_eq!(decode_gb18030(bytes, true).as_deref(), expected.as_deref(), "strict {bytes:02x?}");
        let (expected, _) = GB18030.decode_without_bom_handling(bytes);
        assert_eq!(decode_gb18030(bytes, false).as_deref(), Some(&*expected), "lossy {bytes:02x?}");
    }

    #[test]
    fn table_is_current() {
        let table = generate();
        if std::env::var_os("DUIZHANG_WRITE_GB18030").is_some() {
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/src/read/gb18030.bin"), &table).expect("writes");
        }
        assert!(table == TABLE, "src/read/gb18030.bin is stale: rerun with DUIZHANG_WRITE_GB18030=1");
    }

    #[test]
    fn every_two_byte_sequence() {
        for lead in 0x80..=0xffu8 {
            for trail in 0..=0xffu8 {
                same_as_encoding_rs(&[lead, trail]);
                same_as_encoding_rs(&[lead, trail, b'a']);
                same_as_encoding_rs(&[lead, trail, 0xb0, 0xa1]);
            }
        }
    }

    #[test]
    fn every_four_byte_sequence() {
        let mut bytes = [0u8; 4];
        for b0 in 0x81..=0xfeu8 {
            for b1 in 0x30..=0x39u8 {
                for b2 in 0x81..=0xfeu8 {
                    for b3 in 0x30..=0x39u8 {
                        bytes = [b0, b1, b2, b3];
                        let expected = GB18030.decode_without_bom_handling_and_without_replacement(&bytes);
                        let got = decode_gb18030(&bytes, true);
                        assert_eq!(got.as_deref(), expected.as_deref(), "{bytes:02x?}");
                        if got.is_none() {
                            same_as_encoding_rs(&bytes);
                        }
                    }
                }
            }
        }
        // Beyond the last lead byte's supplementary range and into the unmapped gaps.
        same_as_encoding_rs(&bytes);
        for pointer in (39400..39500).chain(188_990..189_010).chain(1_237_570..1_237_580) {
            same_as_encoding_rs(&four_bytes(pointer));
        }
    }

    /// Deterministic pseudo-random bytes, drawn mostly from the bytes that matter to the decoders.
    fn random_strings(count: usize, mut each: impl FnMut(&[u8])) {
        const PICKS: &[u8] = &[
            0x00, 0x30, 0x35, 0x39, 0x3a, 0x40, 0x7e, 0x7f, 0x80, 0x81, 0x84, 0x8f, 0x90, 0xa1, 0xa2, 0xb0, 0xd7, 0xd8,
            0xdb, 0xdc, 0xdf, 0xe3, 0xfe, 0xff, b'a', b'\n',
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut bytes = Vec::new();
        for _ in 0..count {
            bytes.clear();
            let len = next() % 14;
            for _ in 0..len {
                let r = next();
                bytes.push(if r & 3 == 0 { (r >> 8) as u8 } else { PICKS[(r >> 8) as usize % PICKS.len()] });
            }
            each(&bytes);
        }
    }

    #[test]
    fn random_bytes_match_encoding_rs() {
        random_strings(300_000, |bytes| {
            same_as_encoding_rs(bytes);
            for (big_endian, codec) in [(false, UTF_16LE), (true, UTF_16BE)] {
                let (expected, errors) = codec.decode_without_bom_handling(bytes);
                assert_eq!(decode_utf16(bytes, big_endian), (expected.into_owned(), errors), "{bytes:02x?}");
            }
            let (expected, _) = UTF_8.decode_without_bom_handling(bytes);
            assert_eq!(String::from_utf8_lossy(bytes), expected, "{bytes:02x?}");
        });
    }

    #[test]
    fn utf16_surrogates() {
        for units in [&[0xd83du16, 0xde00][..], &[0xd83d], &[0xde00], &[0xd83d, 0x41], &[0xd83d, 0xd83d, 0xde00]] {
            for (big_endian, codec) in [(false, UTF_16LE), (true, UTF_16BE)] {
                let mut bytes: Vec<u8> =
                    units.iter().flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }).collect();
                for _ in 0..2 {
                    let (expected, errors) = codec.decode_without_bom_handling(&bytes);
                    assert_eq!(decode_utf16(&bytes, big_endian), (expected.into_owned(), errors), "{bytes:02x?}");
                    bytes.push(0x41);
                }
            }
        }
    }
}
