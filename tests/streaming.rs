//! Files the caller keeps ([`Source::External`]: a browser `Blob` or `Uint8Array`, a file on disk)
//! are read in chunks and their records read back for exceptions. Whatever the chunk and window
//! sizes, that must give exactly what reading the same bytes whole gives: the same tables, rows,
//! issues, checks and reports, byte for byte.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/generate.rs"]
mod support;

use duizhang::engine::row_view;
use duizhang::{FileInfo, Input, InputKind, Profile, Reconciliation, SharedBytes, Source};
use std::path::{Path, PathBuf};
use support::Rng;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// (chunk, window) sizes: tiny ones put chunk ends inside records, quotes and characters.
const SIZES: &[(usize, usize)] = &[(1, 1), (3, 5), (64, 7), (4096, 4096), (1 << 20, 1 << 14)];

fn external(bytes: &[u8], chunk: usize, window: usize) -> Source {
    Source::External(Box::new(SharedBytes::new(bytes.to_vec(), chunk, window)))
}

/// Every fixture a table reader may be given (not generators, profiles or case lists).
fn fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(Path::new(ROOT).join("tests/fixtures")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".py") && !name.ends_with(".json") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 40, "the fixture folders moved? found {}", files.len());
    files
}

/// Everything a read produced, as text: the file infos, issues, checks and every row's view;
/// or the error's code and message.
fn read_facts(name: &str, side: InputKind, source: Source) -> String {
    let profile = Profile::default();
    let mut run = Reconciliation::new(profile);
    match run.add(Input::new(side, name, source)) {
        Err(e) => format!("error {}: {e}", e.code()),
        Ok(_) => {
            let mut out = String::new();
            for table in run.tables() {
                out.push_str(&serde_json::to_string(&FileInfo::of(table)).unwrap());
                out.push_str(&serde_json::to_string(&table.issues).unwrap());
                for row in table.rows_in_file_order() {
                    out.push_str(&serde_json::to_string(&row_view(table, row).unwrap()).unwrap());
                    out.push('\n');
                }
            }
            out
        }
    }
}

#[test]
fn every_fixture_reads_the_same_in_chunks_as_whole() {
    for path in fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for side in [InputKind::Internal, InputKind::Channel] {
            let whole = read_facts(&name, side, Source::Owned(bytes.clone()));
            for &(chunk, window) in SIZES {
                let chunked = read_facts(&name, side, external(&bytes, chunk, window));
                assert_eq!(chunked, whole, "{name} ({side:?}) in chunks of {chunk}, windows of {window}");
            }
        }
    }
}

/// The report JSON of a run over `orders` and `bill`, each given as `source(bytes)`.
fn report(orders: &[u8], bill: &[u8], source: &dyn Fn(&[u8]) -> Source, date: &str) -> String {
    let mut run = Reconciliation::new(Profile::default());
    run.add(Input::new(InputKind::Internal, "orders.csv", source(orders))).unwrap();
    run.add(Input::new(InputKind::Channel, "bill.csv", source(bill))).unwrap();
    run.run(Some(duizhang::parse_date(date).unwrap())).unwrap().to_json()
}

/// A generated day with the cells real exports have: quoted fields holding commas, doubled quotes
/// and line breaks, CRLF endings, a byte-order mark, Chinese text, duplicates and every outcome.
fn decorated_day(rows: u64, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let (orders, bill, _) = support::generate(rows, seed);
    let mut rng = Rng(seed ^ 0x5eed);
    let mut decorate = |text: &str| {
        let mut out = String::from("\u{feff}");
        for (n, line) in text.lines().enumerate() {
            out.push_str(line);
            if n == 0 {
                out.push_str(",note");
            } else {
                match rng.below(8) {
                    0 => out.push_str(",\"备注, with a comma\""),
                    1 => out.push_str(",\"two\r\nlines \"\"quoted\"\"\""),
                    2 => out.push_str(",\"商户 留言\""),
                    _ => out.push(','),
                }
            }
            out.push_str("\r\n");
        }
        out.into_bytes()
    };
    (decorate(&orders), decorate(&bill))
}

#[test]
fn a_decorated_day_reconciles_the_same_from_the_callers_bytes() {
    let (orders, bill) = decorated_day(3_000, 7);
    let whole = report(&orders, &bill, &|b| Source::Owned(b.to_vec()), "2024-03-15");
    assert!(whole.contains("\"amount_mismatch\": ") && whole.contains("备注, with a comma"));
    for &(chunk, window) in &[(1usize, 1usize), (61, 97), (4096, 512), (1 << 16, 1 << 16)] {
        let chunked = report(&orders, &bill, &|b| external(b, chunk, window), "2024-03-15");
        assert_eq!(chunked, whole, "chunks of {chunk}, windows of {window}");
    }
}

#[test]
fn a_file_that_stops_being_utf8_after_its_head_is_read_as_a_whole_file_would_be() {
    // 300 KB of ASCII (past the head that is checked), then GBK: read whole, it is GB18030.
    let mut orders = String::from("order_no,amount,status,created_at\n");
    let mut n = 0;
    while orders.len() < 300 * 1024 {
        orders.push_str(&format!("A{n:07},10.00,SUCCESS,2024-03-15 10:00:00\n"));
        n += 1;
    }
    let mut bytes = orders.into_bytes();
    bytes.extend_from_slice(b"A9999999,12.00,");
    bytes.extend_from_slice(&[0xb3, 0xc9, 0xb9, 0xa6]); // 成功 in GBK
    bytes.extend_from_slice(b",2024-03-15 11:00:00\n");
    let whole = read_facts("orders.csv", InputKind::Internal, Source::Owned(bytes.clone()));
    assert!(whole.contains("\"encoding\":\"GB18030\""), "{}", &whole[..300]);
    let chunked = read_facts("orders.csv", InputKind::Internal, external(&bytes, 64 * 1024, 4096));
    assert_eq!(chunked, whole);
}

#[test]
fn a_quote_left_open_is_reported_the_same_whatever_the_chunks() {
    // A stray quote on line 3: the rest of the file is not one giant field.
    let mut bill = String::from("order_no,amount,status,note\nA1,10.00,SUCCESS,ok\nA2,11.00,SUCCESS,\"open\n");
    for n in 3..2000 {
        bill.push_str(&format!("A{n},1.00,SUCCESS,fine\n"));
    }
    // Pad past the record cap, so the open quote cannot reach a closing one.
    bill.push_str(&format!("A9,1.00,SUCCESS,{}\n", "x".repeat(1 << 20)));
    let bytes = bill.into_bytes();
    let whole = read_facts("bill.csv", InputKind::Channel, Source::Owned(bytes.clone()));
    assert!(whole.contains("unbalanced_quote"), "{}", &whole[..whole.len().min(2000)]);
    for &(chunk, window) in &[(5usize, 3usize), (4096, 4096)] {
        assert_eq!(read_facts("bill.csv", InputKind::Channel, external(&bytes, chunk, window)), whole);
    }
}

#[test]
fn bytes_changed_after_reading_are_an_error_not_a_wrong_report() {
    use duizhang::ReadAt;
    use std::cell::RefCell;
    use std::rc::Rc;
    /// A caller's buffer that the caller overwrites after handing it over.
    struct Reused(Rc<RefCell<Vec<u8>>>);
    impl ReadAt for Reused {
        fn len(&self) -> u64 {
            self.0.borrow().len() as u64
        }
        fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<usize, String> {
            let bytes = self.0.borrow();
            let start = (offset as usize).min(bytes.len());
            let n = buf.len().min(bytes.len() - start);
            buf[..n].copy_from_slice(&bytes[start..start + n]);
            Ok(n)
        }
    }
    let orders = b"order_no,amount,status\nA1,10.00,SUCCESS\nA2,5.00,SUCCESS\n".to_vec();
    let bill = b"order_no,amount,status\nA1,10.00,SUCCESS\nA2,4.00,SUCCESS\n".to_vec();
    let shared = Rc::new(RefCell::new(bill));
    let mut run = Reconciliation::new(Profile::default());
    run.add(Input::new(InputKind::Internal, "orders.csv", orders)).unwrap();
    run.add(Input::new(InputKind::Channel, "bill.csv", Source::External(Box::new(Reused(shared.clone()))))).unwrap();
    // The caller reuses its buffer for other bytes of the same length.
    *shared.borrow_mut() = b"order_no,amount,status\nB1,10.00,SUCCESS\nB2,4.00,SUCCESS\n".to_vec();
    let error = run.run(None).unwrap_err();
    assert_eq!((error.code().code(), error.file()), ("io", Some("bill.csv")), "{error}");
}
