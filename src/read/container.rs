//! Containers the channels ship bills in: gzip (WeChat) and zip (Alipay, UnionPay), recognized by
//! their magic bytes, never by name.
//!
//! A minimal zip reader of our own (central directory; stored and deflate entries) over
//! `miniz_oxide`'s inflate keeps the Wasm module small and free of C. Inflated sizes are capped so
//! a zip bomb is a coded error, not an out-of-memory crash.

use crate::error::{Error, ErrorKind, Result};

/// Total bytes all entries of one container may inflate to.
const MAX_TOTAL_INFLATED: usize = 2 << 30;
/// An entry may inflate to at most this many times its compressed size (real CSVs: 5–30×) ...
const MAX_RATIO: usize = 200;
/// ... or to this much, whichever is larger, so tiny files of repetitive text still open.
const MIN_ENTRY_LIMIT: usize = 16 << 20;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZIP_LOCAL: [u8; 4] = *b"PK\x03\x04";
const ZIP_EMPTY: [u8; 4] = *b"PK\x05\x06";
const ZIP_CENTRAL: u32 = 0x0201_4b50;
const ZIP_END: u32 = 0x0605_4b50;
/// General-purpose flag: the entry name is UTF-8 (otherwise it is in the creator's code page).
const ZIP_FLAG_UTF8: u16 = 1 << 11;
/// General-purpose flag: the entry is encrypted.
const ZIP_FLAG_ENCRYPTED: u16 = 1;

/// The kind of container a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// Not a container: the bytes are the file.
    None,
    /// A gzip stream holding one file.
    Gzip,
    /// A zip archive holding several files.
    Zip,
}

impl Container {
    /// Recognizes a container by its first bytes.
    pub fn of(bytes: &[u8]) -> Container {
        if bytes.starts_with(&GZIP_MAGIC) {
            Container::Gzip
        } else if bytes.starts_with(&ZIP_LOCAL) || bytes.starts_with(&ZIP_EMPTY) {
            Container::Zip
        } else {
            Container::None
        }
    }
}

/// One file taken out of a container.
#[derive(Debug)]
pub struct InnerFile {
    /// The name to report: `outer.zip/inner.csv`, or the outer name for a plain file or gzip.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The files inside `bytes`: the file itself when it is not a container.
pub fn unpack(name: &str, bytes: Vec<u8>) -> Result<Vec<InnerFile>> {
    match Container::of(&bytes) {
        Container::None => Ok(vec![InnerFile { name: name.to_string(), bytes }]),
        Container::Gzip => {
            let inner = gunzip(&bytes).map_err(|e| e.in_file(name))?;
            Ok(vec![InnerFile { name: name.to_string(), bytes: inner }])
        }
        Container::Zip => unzip(&bytes).map_err(|e| e.in_file(name)).map(|files| {
            files.into_iter().map(|(inner, bytes)| InnerFile { name: format!("{name}/{inner}"), bytes }).collect()
        }),
    }
}

fn bad(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::BadContainer, message)
}

fn too_large(limit: usize) -> Error {
    Error::new(
        ErrorKind::InflatedTooLarge,
        format!("the compressed file inflates to more than {limit} bytes (a zip bomb?); not read"),
    )
}

/// Inflates raw deflate data to at most `limit` bytes.
fn inflate(data: &[u8], limit: usize) -> Result<Vec<u8>> {
    use miniz_oxide::inflate::TINFLStatus;
    miniz_oxide::inflate::decompress_to_vec_with_limit(data, limit).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => too_large(limit),
        _ => bad(format!("the compressed data is corrupt ({:?})", e.status)),
    })
}

fn entry_limit(compressed: usize, remaining: usize) -> usize {
    compressed.saturating_mul(MAX_RATIO).max(MIN_ENTRY_LIMIT).min(remaining)
}

/// The first up to `limit` bytes of each file inside a container whose data starts in `bytes`,
/// which may be only the first part of the container, cut anywhere: a gzip stream's content, or a
/// zip's files (directories skipped, at most 16) read through their local headers, since the
/// central directory sits at the end. Empty when `bytes` are no container or reach no file data.
/// Memory stays bounded by `limit` per file whatever the compression ratio.
pub fn heads_of_files(bytes: &[u8], limit: usize) -> Vec<Vec<u8>> {
    match Container::of(bytes) {
        Container::None => Vec::new(),
        Container::Gzip => gzip_data(bytes).map(|data| vec![inflate_head(data, limit)]).unwrap_or_default(),
        Container::Zip => {
            let mut heads = Vec::new();
            let mut at = 0;
            while heads.len() < 16 {
                let Some(entry) = zip_local_entry(bytes, at) else { break };
                let (flags, method, compressed, name, start) = entry;
                let rest = &bytes[start..];
                // Size 0 with bit 3: the size follows the data; take what there is.
                let data = if compressed > 0 { &rest[..rest.len().min(compressed)] } else { rest };
                if !name.ends_with(b"/") && flags & ZIP_FLAG_ENCRYPTED == 0 {
                    match method {
                        0 => heads.push(data[..data.len().min(limit)].to_vec()),
                        8 => heads.push(inflate_head(data, limit)),
                        _ => {}
                    }
                }
                // Bit 3: the sizes follow the data, so the next header cannot be found from here.
                if flags & 8 != 0 || data.len() < compressed {
                    break;
                }
                at = start + compressed;
            }
            heads
        }
    }
}

/// The zip local header at `at`: flags, method, compressed size, name, and where the data starts
/// (within `bytes`).
fn zip_local_entry(bytes: &[u8], at: usize) -> Option<(u16, u16, usize, &[u8], usize)> {
    if bytes.get(at..at + 4)? != ZIP_LOCAL {
        return None;
    }
    let flags = u16_at(bytes, at + 6)?;
    let method = u16_at(bytes, at + 8)?;
    let compressed = u32_at(bytes, at + 18)? as usize;
    let name_len = usize::from(u16_at(bytes, at + 26)?);
    let extra_len = usize::from(u16_at(bytes, at + 28)?);
    let name = bytes.get(at + 30..at + 30 + name_len)?;
    let start = at + 30 + name_len + extra_len;
    bytes.get(start..)?;
    Some((flags, method, compressed, name, start))
}

/// Inflates raw deflate data that may be cut anywhere, to at most `limit` bytes: whatever comes
/// out before the data ends or the limit is reached.
fn inflate_head(data: &[u8], limit: usize) -> Vec<u8> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    let mut out = vec![0; limit];
    let mut state = Box::<DecompressorOxide>::default();
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF | inflate_flags::TINFL_FLAG_HAS_MORE_INPUT;
    let (_, _, written) = decompress(&mut state, data, &mut out, 0, flags);
    out.truncate(written);
    out
}

/// The file inside a gzip stream (RFC 1952); only the first member is read.
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let data = gzip_data(bytes)?;
    inflate(data, entry_limit(data.len(), MAX_TOTAL_INFLATED))
}

/// The deflate data of a gzip stream, after its header.
fn gzip_data(bytes: &[u8]) -> Result<&[u8]> {
    const FHCRC: u8 = 2;
    const FEXTRA: u8 = 4;
    const FNAME: u8 = 8;
    const FCOMMENT: u8 = 16;
    let truncated = || bad("the gzip header is truncated");
    let header = bytes.get(..10).ok_or_else(truncated)?;
    if header[2] != 8 {
        return Err(bad(format!("gzip compression method {} is not deflate", header[2])));
    }
    let flags = header[3];
    let mut position = 10;
    if flags & FEXTRA != 0 {
        let length = bytes.get(position..position + 2).ok_or_else(truncated)?;
        position += 2 + usize::from(u16::from_le_bytes([length[0], length[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let rest = bytes.get(position..).ok_or_else(truncated)?;
            position += memchr::memchr(0, rest).ok_or_else(truncated)? + 1;
        }
    }
    if flags & FHCRC != 0 {
        position += 2;
    }
    bytes.get(position..).ok_or_else(truncated)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    bytes.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    bytes.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Entry names: UTF-8 when flagged or valid, otherwise GBK (Alipay writes GBK without the flag).
fn entry_name(raw: &[u8], flags: u16) -> String {
    if flags & ZIP_FLAG_UTF8 != 0 {
        return String::from_utf8_lossy(raw).into_owned();
    }
    match std::str::from_utf8(raw) {
        Ok(name) => name.to_string(),
        Err(_) => super::gb18030::decode_gb18030(raw, false).unwrap_or_default(),
    }
}

/// The files of a zip archive, in central-directory order, directories left out.
fn unzip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
    let search_from = bytes.len().saturating_sub(22 + 0xffff);
    let end = (search_from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&at| u32_at(bytes, at) == Some(ZIP_END))
        .ok_or_else(|| bad("the zip archive has no central directory (truncated download?)"))?;
    let entries = usize::from(u16_at(bytes, end + 10).unwrap_or(0));
    let mut at = u32_at(bytes, end + 16).unwrap_or(0) as usize;
    let mut files = Vec::with_capacity(entries);
    let mut remaining = MAX_TOTAL_INFLATED;
    for _ in 0..entries {
        if u32_at(bytes, at) != Some(ZIP_CENTRAL) {
            return Err(bad("the zip central directory is corrupt"));
        }
        let field16 = |offset: usize| u16_at(bytes, at + offset).map(usize::from).unwrap_or(0);
        let flags = u16_at(bytes, at + 8).unwrap_or(0);
        let method = field16(10);
        let compressed = u32_at(bytes, at + 20).unwrap_or(0) as usize;
        let (name_len, extra_len, comment_len) = (field16(28), field16(30), field16(32));
        let local = u32_at(bytes, at + 42).unwrap_or(0) as usize;
        let raw_name = bytes.get(at + 46..at + 46 + name_len).ok_or_else(|| bad("a zip entry name is truncated"))?;
        let name = entry_name(raw_name, flags);
        at += 46 + name_len + extra_len + comment_len;
        if name.ends_with('/') {
            continue;
        }
        if flags & ZIP_FLAG_ENCRYPTED != 0 {
            return Err(bad(format!("zip entry {name:?} is encrypted")));
        }
        // The data follows the local header, whose name and extra lengths may differ from the central ones.
        let local_name = u16_at(bytes, local + 26).map(usize::from);
        let local_extra = u16_at(bytes, local + 28).map(usize::from);
        let (Some(local_name), Some(local_extra)) = (local_name, local_extra) else {
            return Err(bad(format!("zip entry {name:?} points outside the archive")));
        };
        let start = local + 30 + local_name + local_extra;
        let data = bytes
            .get(start..start.saturating_add(compressed))
            .ok_or_else(|| bad(format!("zip entry {name:?} is truncated")))?;
        let content = match method {
            0 => data.to_vec(),
            8 => inflate(data, entry_limit(compressed, remaining))?,
            other => {
                return Err(bad(format!(
                    "zip entry {name:?} uses compression method {other}; only stored and deflate are read"
                )))
            }
        };
        remaining = remaining.checked_sub(content.len()).ok_or_else(|| too_large(MAX_TOTAL_INFLATED))?;
        let base = name.rsplit('/').next().unwrap_or(&name).to_string();
        files.push((base, content));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip with one entry, written the way Alipay does: GBK name, no UTF-8 flag.
    fn zip_of(name: &[u8], method: u16, content: &[u8]) -> Vec<u8> {
        let data = if method == 8 { miniz_oxide::deflate::compress_to_vec(content, 6) } else { content.to_vec() };
        let mut out = Vec::new();
        let mut local = vec![0x50, 0x4b, 3, 4, 20, 0, 0, 0];
        local.extend(method.to_le_bytes());
        local.extend([0; 8]); // time, date, crc
        local.extend((data.len() as u32).to_le_bytes());
        local.extend((content.len() as u32).to_le_bytes());
        local.extend((name.len() as u16).to_le_bytes());
        local.extend([0, 0]);
        local.extend(name);
        out.extend(&local);
        out.extend(&data);
        let central_at = out.len() as u32;
        let mut central = vec![0x50, 0x4b, 1, 2, 20, 0, 20, 0, 0, 0];
        central.extend(method.to_le_bytes());
        central.extend([0; 8]);
        central.extend((data.len() as u32).to_le_bytes());
        central.extend((content.len() as u32).to_le_bytes());
        central.extend((name.len() as u16).to_le_bytes());
        central.extend([0; 12]); // extra, comment, disk, attributes
        central.extend(0u32.to_le_bytes());
        central.extend(name);
        out.extend(&central);
        out.extend([0x50, 0x4b, 5, 6, 0, 0, 0, 0, 1, 0, 1, 0]);
        out.extend((central.len() as u32).to_le_bytes());
        out.extend(central_at.to_le_bytes());
        out.extend([0, 0]);
        out
    }

    #[test]
    fn zip_entries_stored_and_deflated_with_gbk_names() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("2088_20240315_业务明细.csv");
        for method in [0, 8] {
            let files = unpack("a.zip", zip_of(&gbk, method, b"a,b\n1,2\n")).expect("unzips");
            assert_eq!(files.len(), 1);
            assert_eq!(files[0].name, "a.zip/2088_20240315_业务明细.csv");
            assert_eq!(files[0].bytes, b"a,b\n1,2\n");
        }
    }

    #[test]
    fn gzip_with_a_file_name() {
        let mut gz = vec![0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3];
        gz.extend(b"bill.csv\0");
        gz.extend(miniz_oxide::deflate::compress_to_vec(b"x,y\n", 6));
        gz.extend([0; 8]);
        let files = unpack("bill.csv.gz", gz).expect("gunzips");
        assert_eq!(files[0].bytes, b"x,y\n");
    }

    #[test]
    fn bombs_and_corruption_are_coded_errors() {
        let zeros = vec![0u8; 64 << 20];
        let bomb = zip_of(b"zeros.csv", 8, &zeros);
        assert!(bomb.len() < 1 << 20);
        assert_eq!(unpack("bomb.zip", bomb).unwrap_err().code(), "inflated_too_large");
        let zip = zip_of(b"a.csv", 8, b"a,b\n1,2\n");
        for cut in 0..zip.len() {
            if let Err(e) = unpack("cut.zip", zip[..cut].to_vec()) {
                assert!(e.code() == "bad_container" || e.code() == "inflated_too_large", "{e}");
            }
        }
        assert_eq!(unpack("x.gz", vec![0x1f, 0x8b, 8]).unwrap_err().code(), "bad_container");
    }
}
