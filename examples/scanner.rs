//! The record scanner against `csv-core` alone, on the same bytes: is the hand-written SWAR path
//! (src/read/csv.rs) worth keeping? Both produce every record's field ranges (what the readers
//! need); the two are checked to agree on every range before anything is timed.
//!
//! `cargo run --release --example scanner -- FILE [RUNS]` (bench/scanner.sh makes the files: the
//! seeded order export and channel bill of `examples/generate.rs`). Prints the best of RUNS.
use duizhang::engine::{FieldRange, Scanner};
use std::time::Instant;

/// Every record's field ranges with the engine's scanner: SWAR for quote-free records, csv-core
/// for the others.
fn scanner(text: &[u8], out: &mut Vec<(u32, u32)>) {
    let mut scanner = Scanner::over_bytes(text, b',');
    let mut fields: Vec<FieldRange> = Vec::with_capacity(32);
    while scanner.next_record(&mut fields).is_some() {
        out.extend(fields.iter().map(|f| (f.start, f.end)));
    }
}

/// The same with one `csv-core` reader over the whole text: what reading would be without the
/// scanner's fast path (field ends from `read_field`, a quoted field's range keeping its quotes).
fn csv_core(text: &[u8], out: &mut Vec<(u32, u32)>) {
    use csv_core::{ReadFieldResult, ReaderBuilder, Terminator};
    let mut reader = ReaderBuilder::new().delimiter(b',').terminator(Terminator::Any(b'\n')).build();
    let mut value = [0u8; 1024]; // the values are not needed: the ranges are
    let (mut at, mut field_start) = (0usize, 0usize);
    let push = |out: &mut Vec<(u32, u32)>, from: usize, mut to: usize, last: bool| {
        if last && to > from && text[to - 1] == b'\r' {
            to -= 1;
        }
        out.push((from as u32, to as u32));
    };
    loop {
        let (result, read, _) = reader.read_field(&text[at..], &mut value);
        at += read;
        match result {
            ReadFieldResult::OutputFull => continue,
            ReadFieldResult::Field { record_end: false } => {
                push(out, field_start, at - 1, false);
                field_start = at;
            }
            ReadFieldResult::Field { record_end: true } => {
                let by_line_feed = text.get(at - 1) == Some(&b'\n') && at > field_start;
                push(out, field_start, if by_line_feed { at - 1 } else { at }, true);
                field_start = at;
            }
            ReadFieldResult::InputEmpty => {
                // The end of the text: whatever is left ends the last record.
                let (_, read, _) = reader.read_field(&[], &mut value);
                at += read;
                if field_start < at {
                    push(out, field_start, at, true);
                }
                break;
            }
            ReadFieldResult::End => break,
        }
    }
}

fn best_of(runs: usize, text: &[u8], read: fn(&[u8], &mut Vec<(u32, u32)>)) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut fields = 0;
    for _ in 0..runs {
        let mut out = Vec::with_capacity(text.len() / 8);
        let start = Instant::now();
        read(text, &mut out);
        best = best.min(start.elapsed().as_secs_f64());
        fields = out.len();
        std::hint::black_box(&out);
    }
    (best, fields)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().cloned().unwrap_or_else(|| "bench/data/rows-1000000/internal.csv".to_string());
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // The header line and a UTF-8 byte-order mark are read the same by both; start past neither.
    let (mut a, mut b) = (Vec::new(), Vec::new());
    scanner(&text, &mut a);
    csv_core(&text, &mut b);
    assert_eq!(a.len(), b.len(), "{path}: the two readers disagree on the number of fields");
    if let Some(n) = a.iter().zip(&b).position(|(x, y)| x != y) {
        panic!("{path}: field {n} differs: scanner {:?}, csv-core {:?}", a[n], b[n]);
    }
    let mb = text.len() as f64 / 1e6;
    let (swar, fields) = best_of(runs, &text, scanner);
    let (core, _) = best_of(runs, &text, csv_core);
    println!(
        "{path}: {mb:.1} MB, {fields} fields; scanner {:.1} ms ({:.0} MB/s), csv-core {:.1} ms ({:.0} MB/s): {:.2}x",
        swar * 1e3,
        mb / swar,
        core * 1e3,
        mb / core,
        core / swar
    );
}
