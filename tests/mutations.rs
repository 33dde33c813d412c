//! Bad input never panics: every checked-in fixture, mutated by a seeded generator (bytes flipped,
//! CSV syntax and multi-byte sequences inserted, lines cut, duplicated and swapped), goes through every
//! entry point: as an order export, as a channel bill, as each fund-flow input, through `inspect` and
//! through the drop zone's `detect_input`.
//! Each mutant must give a report or a coded error. `DUIZHANG_MUTATIONS=N` runs N mutants per
//! fixture instead of the default (kept small so `make test` stays quick); the seed is printed so a
//! failure can be replayed with `DUIZHANG_MUTATION_SEED`.
#![cfg(not(target_arch = "wasm32"))]

use duizhang::{inspect, Input, InputKind, Profile, Reconciliation};
use std::path::{Path, PathBuf};

#[path = "support/generate.rs"]
mod support;

use support::Rng;

/// A number below `n` (0 when `n` is 0).
fn pick(rng: &mut Rng, n: usize) -> usize {
    rng.below(n.max(1) as u64) as usize
}

/// Fragments that sit on the readers' decision points: delimiters, quotes, line ends, BOMs, the
/// lead bytes of GB18030 and UTF-8 sequences, total-row words, amounts at the edges of `Decimal`.
const FRAGMENTS: &[&[u8]] = &[
    b",",
    b"\"",
    b"\"\"",
    b"\r\n",
    b"\n",
    b"\r",
    b"\t",
    b"`",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x81",
    b"\x81\x30",
    b"\xe4\xb8",
    b"\xc0",
    b"\0",
    "合计".as_bytes(),
    "总交易单数".as_bytes(),
    "#".as_bytes(),
    b"-",
    b"(1,234.56)",
    b"99999999999999999999999999999.99",
    b"1e308",
    b"2026-02-30 25:61:61",
    b"PK\x03\x04",
    b"\x1f\x8b",
];

fn mutate(original: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for _ in 0..1 + pick(rng, 4) {
        let at = pick(rng, bytes.len() + 1);
        match pick(rng, 7) {
            0 if !bytes.is_empty() => {
                let i = at.min(bytes.len() - 1);
                bytes[i] ^= 1 << pick(rng, 8);
            }
            1 => {
                let fragment = FRAGMENTS[pick(rng, FRAGMENTS.len())];
                bytes.splice(at..at, fragment.iter().copied());
            }
            2 => {
                let end = (at + pick(rng, 64)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => bytes.truncate(at),
            4 if !original.is_empty() => {
                // A whole line again, somewhere else: duplicates and shifted headers.
                let lines: Vec<&[u8]> = original.split_inclusive(|&b| b == b'\n').collect();
                let line = lines[pick(rng, lines.len())].to_vec();
                bytes.splice(at..at, line);
            }
            5 => {
                let end = (at + 1 + pick(rng, 32)).min(bytes.len());
                let junk: Vec<u8> = (at..end).map(|_| rng.next() as u8).collect();
                bytes.splice(at..end, junk);
            }
            _ => {
                let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
                if lines.len() > 2 {
                    let mut lines: Vec<Vec<u8>> = lines.into_iter().map(<[u8]>::to_vec).collect();
                    let (a, b) = (pick(rng, lines.len()), pick(rng, lines.len()));
                    lines.swap(a, b);
                    bytes = lines.concat();
                }
            }
        }
    }
    bytes
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for folder in std::fs::read_dir(&root).expect("fixtures") {
        let folder = folder.expect("entry").path();
        if !folder.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&folder).expect("folder") {
            let path = file.expect("entry").path();
            if path.extension().is_none_or(|e| e != "py" && e != "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Runs one mutant through every entry point and counts the reports it gave. Errors are fine; a
/// panic fails the test.
fn exercise(name: &str, bytes: &[u8], orders: &[u8], bill: &[u8]) -> usize {
    let mut reports = 0;
    let _ = inspect(name, bytes.to_vec(), &Profile::default());
    let _ = duizhang::detect_input(bytes);
    for side in [InputKind::Internal, InputKind::Channel] {
        let mut run = Reconciliation::new(Profile::default());
        let other =
            if side == InputKind::Internal { (InputKind::Channel, bill) } else { (InputKind::Internal, orders) };
        if run.add(Input::new(side, name, bytes.to_vec())).is_ok()
            && run.add(Input::new(other.0, "other.csv", other.1.to_vec())).is_ok()
        {
            if let Ok(report) = run.run(None) {
                let _ = report.to_json();
                let _ = report.exceptions_csv();
                reports += 1;
            }
        }
    }
    for side in [InputKind::Bank, InputKind::Payouts, InputKind::SubLedger] {
        let mut run = Reconciliation::new(Profile::default());
        if run.add(Input::new(InputKind::Channel, "bill.csv", bill.to_vec())).is_ok()
            && run.add(Input::new(side, name, bytes.to_vec())).is_ok()
        {
            if let Ok(report) = run.run(None) {
                let _ = report.to_json();
                reports += 1;
            }
        }
    }
    reports
}

#[test]
fn mutated_fixtures_never_panic_at_any_entry_point() {
    let per_fixture: usize = std::env::var("DUIZHANG_MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(12);
    let seed: u64 = std::env::var("DUIZHANG_MUTATION_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(0x5eed_d012);
    println!("mutations: {per_fixture} per fixture, seed {seed}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let orders = std::fs::read(root.join("sample/orders.csv")).expect("orders");
    let bill = std::fs::read(root.join("bank/channel.csv")).expect("bill");
    let files = fixtures();
    assert!(files.len() > 40, "the fixtures were not found: {files:?}");
    let (mut mutants, mut reports) = (0, 0);
    for (index, path) in files.iter().enumerate() {
        let original = std::fs::read(path).expect("fixture");
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut rng = Rng(seed ^ (index as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        for round in 0..per_fixture {
            let mutant = mutate(&original, &mut rng);
            let outcome = std::panic::catch_unwind(|| exercise(&name, &mutant, &orders, &bill));
            mutants += 1;
            reports += outcome.as_ref().copied().unwrap_or(0);
            if outcome.is_err() {
                let out = std::env::temp_dir().join(format!("duizhang-mutant-{index}-{round}-{name}"));
                let _ = std::fs::write(&out, &mutant);
                panic!("{} mutant {round} (seed {seed}) panicked; the bytes are in {}", path.display(), out.display());
            }
        }
    }
    // Many mutants stay readable somewhere: the runs went past the readers into matching and the
    // report, not only into the first error.
    println!("{mutants} mutants, {reports} reports");
    assert!(2 * reports > mutants, "only {reports} reports from {mutants} mutants");
}
