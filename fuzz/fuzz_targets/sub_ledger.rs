#![no_main]

#[path = "../../tests/support/fuzz_entry.rs"]
mod fuzz_entry;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| fuzz_entry::sub_ledger(bytes));
