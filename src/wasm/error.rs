//! The one place a core [`Error`] becomes a JavaScript `Error` with `code`, `file`, `line`, `column`.

use crate::Error;
use wasm_bindgen::JsValue;

/// Converts a core error into a JS `Error` carrying its stable code and position.
pub fn to_js(error: Error) -> JsValue {
    // The position travels in its own properties; the message stays a plain sentence.
    let js = js_sys::Error::new(error.message());
    js.set_name("DuizhangError");
    let set = |key: &str, value: JsValue| {
        // Setting a property on a fresh Error object cannot fail; ignore the impossible case.
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from_str(error.code().code()));
    if let Some(file) = error.file() {
        set("file", JsValue::from_str(file));
    }
    if let Some(line) = error.line() {
        set("line", JsValue::from_f64(line as f64));
    }
    if let Some(column) = error.column() {
        set("column", JsValue::from_f64(column as f64));
    }
    js.into()
}
