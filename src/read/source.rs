//! Where a file's bytes are: in memory, or with the caller (a JavaScript `Uint8Array` or `Blob`, a
//! file on disk) and read on demand in chunks.
//!
//! Rows keep no text. A run reads each file once from its source, keeping keys and amounts, and
//! goes back to the source only for the few records it must show (exceptions, duplicate groups)
//! or re-total (a bill's own totals, fund-flow batches). So the input is never copied whole into
//! Wasm memory: at a million rows that copy alone was more than the rest of the run.

use crate::error::{Error, ErrorKind, Result};

/// How much of the caller's bytes one read takes while a file is read from start to end.
pub(crate) const CHUNK_BYTES: usize = 1 << 20;

/// Bytes the caller keeps, read at any offset (the core never knows what is behind it).
pub trait ReadAt {
    /// Length in bytes.
    fn len(&self) -> u64;
    /// Whether there are no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Fills `buf` from `offset` (never past the end); returns how many bytes were read, or what
    /// went wrong (the bytes were detached, the file changed on disk, …).
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::result::Result<usize, String>;
    /// The least one read should take when records are fetched here and there (a read takes a
    /// few records in any case): small for memory that is cheap to reach, large where each read
    /// has a fixed cost (a `Blob`), so that neighbouring records share it.
    fn window(&self) -> usize {
        512
    }
    /// How many bytes one read takes while the file is read from start to end.
    fn chunk(&self) -> usize {
        CHUNK_BYTES
    }
}

/// A file's bytes, before any decoding.
pub enum Source {
    /// Bytes held in memory: given whole, or out of a zip or gzip.
    Owned(Vec<u8>),
    /// Bytes the caller keeps.
    External(Box<dyn ReadAt>),
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Owned(bytes) => write!(f, "Owned({} bytes)", bytes.len()),
            Source::External(reader) => write!(f, "External({} bytes)", reader.len()),
        }
    }
}

impl From<Vec<u8>> for Source {
    fn from(bytes: Vec<u8>) -> Self {
        Source::Owned(bytes)
    }
}

impl Source {
    /// Length in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Source::Owned(bytes) => bytes.len() as u64,
            Source::External(reader) => reader.len(),
        }
    }

    /// Whether the source has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Up to `max` bytes from the start.
    pub fn head(&self, max: usize, name: &str) -> Result<Vec<u8>> {
        let len = (self.len().min(max as u64)) as usize;
        let mut buf = vec![0; len];
        let got = self.read_at(0, &mut buf, name)?;
        buf.truncate(got);
        Ok(buf)
    }

    /// Every byte, in memory (for the small files that are read whole, and for archives).
    pub fn into_bytes(self, name: &str) -> Result<Vec<u8>> {
        match self {
            Source::Owned(bytes) => Ok(bytes),
            Source::External(reader) => {
                let len = usize::try_from(reader.len()).map_err(|_| too_large(name))?;
                let mut buf = vec![0; len];
                let done = read_fully(reader.as_ref(), 0, &mut buf, name)?;
                if done < len {
                    return Err(unreadable(name, format!("it ended at byte {done} of {len}")));
                }
                Ok(buf)
            }
        }
    }

    /// Fills as much of `buf` as the source has from `offset`.
    pub fn read_at(&self, offset: u64, buf: &mut [u8], name: &str) -> Result<usize> {
        match self {
            Source::Owned(bytes) => {
                let start = (offset.min(bytes.len() as u64)) as usize;
                let n = buf.len().min(bytes.len() - start);
                buf[..n].copy_from_slice(&bytes[start..start + n]);
                Ok(n)
            }
            Source::External(reader) => read_fully(reader.as_ref(), offset, buf, name),
        }
    }
}

/// Fills `buf` from `offset` with as many reads as it takes; fewer bytes only at the end.
pub(crate) fn read_fully(source: &dyn ReadAt, offset: u64, buf: &mut [u8], name: &str) -> Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        let got = source.read_at(offset + done as u64, &mut buf[done..]).map_err(|m| unreadable(name, m))?;
        if got == 0 {
            break;
        }
        done += got;
    }
    Ok(done)
}

fn unreadable(name: &str, message: String) -> Error {
    Error::new(ErrorKind::Io, format!("the file could not be read: {message}")).in_file(name)
}

fn too_large(name: &str) -> Error {
    Error::new(ErrorKind::InvalidArgument, "the file is larger than this machine can address").in_file(name)
}

/// A file on disk read with positioned reads: the CLI's source, so that native runs read files
/// the way the browser does (in chunks, never whole).
pub struct FileSource {
    file: std::fs::File,
    len: u64,
}

impl FileSource {
    /// Opens `path`.
    pub fn open(path: &std::path::Path) -> std::io::Result<FileSource> {
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        Ok(FileSource { file, len })
    }
}

impl ReadAt for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::result::Result<usize, String> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            self.file.read_at(buf, offset).map_err(|e| e.to_string())
        }
        #[cfg(not(unix))]
        {
            use std::io::{Read, Seek, SeekFrom};
            let mut file = &self.file;
            file.seek(SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
            file.read(buf).map_err(|e| e.to_string())
        }
    }

    fn window(&self) -> usize {
        4096
    }
}

/// Bytes in memory presented as a caller's source, read in chunks like a `Uint8Array` in the
/// browser: what tests use to check that chunked reading gives what whole reading gives.
pub struct SharedBytes {
    bytes: std::rc::Rc<[u8]>,
    chunk: usize,
    window: usize,
}

impl SharedBytes {
    /// A source over `bytes`, read `chunk` bytes at a time from start to end and `window` bytes
    /// at a time for scattered records (tiny sizes put chunk ends everywhere).
    pub fn new(bytes: impl Into<std::rc::Rc<[u8]>>, chunk: usize, window: usize) -> SharedBytes {
        SharedBytes { bytes: bytes.into(), chunk: chunk.max(1), window }
    }
}

impl ReadAt for SharedBytes {
    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::result::Result<usize, String> {
        let start = (offset.min(self.bytes.len() as u64)) as usize;
        let n = buf.len().min(self.bytes.len() - start);
        buf[..n].copy_from_slice(&self.bytes[start..start + n]);
        Ok(n)
    }

    fn window(&self) -> usize {
        self.window
    }

    fn chunk(&self) -> usize {
        self.chunk
    }
}
