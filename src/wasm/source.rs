//! The caller's bytes as the core's [`ReadAt`]: a `Uint8Array` (slices of it copied into Wasm
//! memory as the reader asks for them) or, in a worker, a `Blob`/`File` (read with
//! `FileReaderSync`). Either way the file is never copied whole into Wasm memory.

use crate::read::source::ReadAt;
use crate::{Error, ErrorKind, Source};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// The Web API's synchronous `Blob` reader: workers only.
    type FileReaderSync;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<FileReaderSync, JsValue>;
    #[wasm_bindgen(method, catch, js_name = readAsArrayBuffer)]
    fn read_as_array_buffer(this: &FileReaderSync, blob: &Blob) -> Result<js_sys::ArrayBuffer, JsValue>;

    /// A `Blob` (a `File` is one).
    #[derive(Clone)]
    type Blob;
    #[wasm_bindgen(method, getter)]
    fn size(this: &Blob) -> f64;
    #[wasm_bindgen(method)]
    fn slice(this: &Blob, start: f64, end: f64) -> Blob;
}

/// A `Uint8Array` the caller keeps.
struct JsBytes(js_sys::Uint8Array);

impl ReadAt for JsBytes {
    fn len(&self) -> u64 {
        u64::from(self.0.length())
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<usize, String> {
        // A detached buffer (transferred away) has length 0: the read comes up short.
        let len = u64::from(self.0.length());
        if offset >= len {
            return Ok(0);
        }
        let n = buf.len().min((len - offset) as usize);
        let start = offset as u32;
        self.0.subarray(start, start + n as u32).copy_to(&mut buf[..n]);
        Ok(n)
    }
}

/// A `Blob` read in a worker: each read has a fixed cost, so reads are large.
struct JsBlob {
    blob: Blob,
    reader: FileReaderSync,
}

impl ReadAt for JsBlob {
    fn len(&self) -> u64 {
        self.blob.size() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<usize, String> {
        let end = (offset + buf.len() as u64).min(self.len());
        if offset >= end {
            return Ok(0);
        }
        let part = self.blob.slice(offset as f64, end as f64);
        let bytes = self.reader.read_as_array_buffer(&part).map_err(|e| describe(&e))?;
        let bytes = js_sys::Uint8Array::new(&bytes);
        let n = (bytes.length() as usize).min(buf.len());
        bytes.subarray(0, n as u32).copy_to(&mut buf[..n]);
        Ok(n)
    }

    fn window(&self) -> usize {
        1 << 20
    }

    fn chunk(&self) -> usize {
        4 << 20
    }
}

fn describe(error: &JsValue) -> String {
    error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{error:?}"))
}

/// The bytes a JavaScript caller handed over: a `Uint8Array`, an `ArrayBuffer`, or (in a worker)
/// a `Blob` or `File`. They are read where they are, not copied, so they must not change until
/// the run is done.
pub(super) fn source_of(value: &JsValue, name: &str) -> Result<Source, Error> {
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(Source::External(Box::new(JsBytes(bytes.clone()))));
    }
    if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(Source::External(Box::new(JsBytes(js_sys::Uint8Array::new(buffer)))));
    }
    if let Some(blob) = value.dyn_ref::<Blob>() {
        let reader = FileReaderSync::new().map_err(|_| {
            let message = "a Blob or File can be read only in a worker (FileReaderSync); pass a Uint8Array here";
            Error::new(ErrorKind::InvalidArgument, message).in_file(name)
        })?;
        return Ok(Source::External(Box::new(JsBlob { blob: blob.clone(), reader })));
    }
    let message = "the file must be a Uint8Array, an ArrayBuffer, or in a worker a Blob or File";
    Err(Error::new(ErrorKind::InvalidArgument, message).in_file(name))
}
