//! The entry points that take bytes, one function per fuzz target: `fuzz/fuzz_targets/<target>.rs`
//! calls it under libFuzzer, and `tests/fuzz_corpus.rs` replays every file of `fuzz/corpus/<target>/`
//! and `fuzz/crashers/<target>/` through it on the stable toolchain. Each feeds the bytes in as one
//! input next to fixed fixture files, runs what a caller would run next (the reconciliation, the
//! exports, tomorrow's state file) and panics only on a bug: a panic inside the library, an error
//! with the `internal` code, or a broken invariant of the report (every row in exactly one outcome,
//! amounts conserved, every fund-flow item in at most one match).
#![allow(dead_code)]

use duizhang::engine::{FundFlow, Side};
use duizhang::{
    detect_input, inspect, CarryState, ErrorCode, Input, InputKind, Outcome, Profile, Reconciliation, Result,
    RunOptions, SharedBytes, Source,
};

const ORDERS: &[u8] = include_bytes!("../fixtures/sample/orders.csv");
const BILL: &[u8] = include_bytes!("../fixtures/sample/channel.csv");
const FUND_BILL: &[u8] = include_bytes!("../fixtures/bank/channel.csv");
const STATEMENT: &[u8] = include_bytes!("../fixtures/bank/statement_corporate.csv");
const PAYOUTS: &[u8] = include_bytes!("../fixtures/bank/payouts.csv");
const LEDGER: &[u8] = include_bytes!("../fixtures/bank/ledger.csv");
const FUND_PROFILE: &str = include_str!("../fixtures/bank/profile.json");

/// Between the two files of the `reconcile` target's input: the order export, then the bill.
pub const SPLIT: &[u8] = b"\n--8<--\n";

/// Feeds one input's bytes through one entry point.
pub type Feed = fn(&[u8]);

/// Every target, by the name of its folder under `fuzz/corpus/`.
pub const TARGETS: &[(&str, Feed)] = &[
    ("inspect", inspect_bytes),
    ("detect_input", detect_input_bytes),
    ("internal", internal),
    ("channel", channel),
    ("chunked", chunked),
    ("reconcile", reconcile),
    ("bank", bank),
    ("payouts", payouts),
    ("sub_ledger", sub_ledger),
    ("carry", carry),
    ("profile", profile),
];

/// `inspect` (what `duizhang inspect` and the page's per-file view call): every layout's detector,
/// containers and spreadsheets. The name carries a UnionPay bill date, so that path is taken too.
pub fn inspect_bytes(bytes: &[u8]) {
    if let Some(inspections) = coded(inspect("INN26032488ZM_777290058110048", bytes.to_vec(), &Profile::default())) {
        for inspection in &inspections {
            serde_json::to_string(inspection).expect("an inspection serializes");
        }
    }
}

/// The drop zone's side detection, on the whole file and on a head cut in the middle.
pub fn detect_input_bytes(bytes: &[u8]) {
    for head in [bytes, &bytes[..bytes.len() / 2]] {
        serde_json::to_string(&detect_input(head)).expect("a detection serializes");
    }
}

/// The bytes as the order export, against the sample day's bill.
pub fn internal(bytes: &[u8]) {
    let mut run = Reconciliation::new(Profile::default());
    if add(&mut run, InputKind::Internal, "orders.csv", bytes).is_some() {
        add(&mut run, InputKind::Channel, "channel.csv", BILL).expect("the sample bill reads");
        run_and_check(&mut run, RunOptions::default());
    }
}

/// The bytes as a channel bill, against the sample day's orders.
pub fn channel(bytes: &[u8]) {
    let mut run = Reconciliation::new(Profile::default());
    add(&mut run, InputKind::Internal, "orders.csv", ORDERS).expect("the sample orders read");
    if add(&mut run, InputKind::Channel, "bill.csv", bytes).is_some() {
        run_and_check(&mut run, RunOptions::default());
    }
}

/// Reading in chunks (as the browser reads a `Blob`) gives what reading the bytes whole gives:
/// the same tables, issues and rows, or the same error. The sizes come from the input's length,
/// so every file of a corpus puts its chunk ends somewhere else.
pub fn chunked(bytes: &[u8]) {
    let side = if bytes.len() % 2 == 0 { InputKind::Channel } else { InputKind::Internal };
    let (chunk, window) = (1 + bytes.len() % 61, 1 + bytes.len() % 17);
    let whole = read_facts(side, Source::Owned(bytes.to_vec()));
    let source = Source::External(Box::new(SharedBytes::new(bytes.to_vec(), chunk, window)));
    let chunked = read_facts(side, source);
    assert_eq!(chunked, whole, "read in chunks of {chunk} bytes, windows of {window}");
}

/// A whole reconciliation of two fuzzed files: the order export before [`SPLIT`], the bill after
/// (the same bytes on both sides when there is no split).
pub fn reconcile(bytes: &[u8]) {
    let at = bytes.windows(SPLIT.len()).position(|w| w == SPLIT);
    let (orders, bill) = at.map_or((bytes, bytes), |at| (&bytes[..at], &bytes[at + SPLIT.len()..]));
    let mut run = Reconciliation::new(Profile::default());
    if add(&mut run, InputKind::Internal, "orders.csv", orders).is_some()
        && add(&mut run, InputKind::Channel, "bill.csv", bill).is_some()
    {
        run_and_check(&mut run, RunOptions::default());
    }
}

/// The bytes as a bank statement, against the fund-flow fixture's bill.
pub fn bank(bytes: &[u8]) {
    let mut run = Reconciliation::new(fund_profile());
    add(&mut run, InputKind::Channel, "channel.csv", FUND_BILL).expect("the fund-flow bill reads");
    if add(&mut run, InputKind::Bank, "statement.csv", bytes).is_some() {
        run_and_check(&mut run, RunOptions::default());
    }
}

/// The bytes as payout instructions, against the fixture bill and statement.
pub fn payouts(bytes: &[u8]) {
    fund_input(InputKind::Payouts, "payouts.csv", bytes);
}

/// The bytes as a sub-ledger (分户账) for the book balance, against the fixture bill and statement.
pub fn sub_ledger(bytes: &[u8]) {
    fund_input(InputKind::SubLedger, "ledger.csv", bytes);
}

/// The bytes as yesterday's state file, for a run on the fixture bill and statement a day later
/// than their own date (a state as of that date or later is refused).
pub fn carry(bytes: &[u8]) {
    fund_input(InputKind::Carry, "state.json", bytes);
}

/// The bytes as a profile; a valid one then runs the sample day and the fund-flow day.
pub fn profile(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let Some(profile) = coded(Profile::from_json(text)) else { return };
    let mut run = Reconciliation::new(profile.clone());
    add(&mut run, InputKind::Internal, "orders.csv", ORDERS);
    add(&mut run, InputKind::Channel, "channel.csv", BILL);
    run_and_check(&mut run, RunOptions::default());
    let mut run = Reconciliation::new(profile);
    add(&mut run, InputKind::Channel, "channel.csv", FUND_BILL);
    add(&mut run, InputKind::Bank, "statement.csv", STATEMENT);
    add(&mut run, InputKind::Payouts, "payouts.csv", PAYOUTS);
    add(&mut run, InputKind::SubLedger, "ledger.csv", LEDGER);
    run_and_check(&mut run, RunOptions::default());
}

fn fund_profile() -> Profile {
    Profile::from_json(FUND_PROFILE).expect("the fund-flow fixture's profile is valid")
}

/// A fund-flow run on the fixture bill and statement with `bytes` as one more input of `kind`.
fn fund_input(kind: InputKind, name: &str, bytes: &[u8]) {
    let mut run = Reconciliation::new(fund_profile());
    add(&mut run, InputKind::Channel, "channel.csv", FUND_BILL).expect("the fund-flow bill reads");
    add(&mut run, InputKind::Bank, "statement.csv", STATEMENT).expect("the fixture statement reads");
    if add(&mut run, kind, name, bytes).is_some() {
        let date = duizhang::parse_date("2026-03-26").ok();
        run_and_check(&mut run, RunOptions { date, lazy_exceptions: false });
    }
}

/// `Some` for an `Ok`; `None` for an error, which must carry a code that is not a bug's.
fn coded<T>(result: Result<T>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            assert_ne!(error.code(), ErrorCode::Internal, "{error}");
            assert!(!error.to_string().is_empty(), "an error says what went wrong");
            None
        }
    }
}

fn add(run: &mut Reconciliation, kind: InputKind, name: &str, bytes: &[u8]) -> Option<()> {
    coded(run.add(Input::new(kind, name, bytes.to_vec()))).map(|_| ())
}

/// What a read produced (file infos, issues, every row's view) or the error's code and message.
fn read_facts(kind: InputKind, source: Source) -> String {
    let mut run = Reconciliation::new(Profile::default());
    match run.add(Input::new(kind, "file.csv", source)) {
        Err(error) => {
            assert_ne!(error.code(), ErrorCode::Internal, "{error}");
            format!("error {}: {error}", error.code())
        }
        Ok(_) => {
            let mut out = String::new();
            for table in run.tables() {
                out.push_str(&serde_json::to_string(&duizhang::FileInfo::of(table)).expect("file info"));
                out.push_str(&serde_json::to_string(&table.issues).expect("issues"));
                for row in table.rows_in_file_order() {
                    match duizhang::engine::row_view(table, row) {
                        Ok(view) => out.push_str(&serde_json::to_string(&view).expect("row view")),
                        Err(error) => out.push_str(&format!("error {}: {error}", error.code())),
                    }
                    out.push('\n');
                }
            }
            out
        }
    }
}

/// Runs, then checks the run ([`check_run`]).
fn run_and_check(run: &mut Reconciliation, options: RunOptions) {
    if coded(run.run(options)).is_some() {
        check_run(run);
    }
}

/// What every report promises: every row in exactly one outcome (a pair is one item and two rows),
/// the amounts per outcome those of its rows, every fund-flow item in one match at most; and every
/// export builds, and tomorrow's state file reads back as written.
pub fn check_run(run: &Reconciliation) {
    let report = run.report().expect("a run leaves its report");
    let summary = &report.summary;
    for rows in [summary.rows.internal, summary.rows.channel] {
        assert_eq!(rows.read, rows.reconciled + rows.skipped, "read = reconciled + skipped");
    }
    assert_eq!(summary.exception_count, report.exceptions.len() as u64);
    assert_eq!(summary.issue_count, report.issues.len() as u64);
    let matching = run.matching().expect("a run leaves its matching");
    if matching.row_outcomes.iter().any(|rows| !rows.is_empty()) {
        // Every row ends in exactly one outcome: a pair is one item and two rows.
        let mut rows_per_outcome = [0u64; Outcome::ALL.len()];
        let mut amounts = Vec::new();
        for (table, outcomes) in run.tables().iter().zip(&matching.row_outcomes) {
            assert_eq!(outcomes.len(), table.row_count(), "{}: one outcome per row", table.name);
            for (index, &outcome) in outcomes.iter().enumerate() {
                rows_per_outcome[Outcome::ALL.iter().position(|&o| o == outcome).expect("a known outcome")] += 1;
                // The summary's amount of an item is the booked row's, else the channel row's.
                if table.side == Side::Internal || !paired(outcome) {
                    amounts.push((outcome, table.amount(table.row(index as u32))));
                }
            }
        }
        for (n, &outcome) in Outcome::ALL.iter().enumerate() {
            let items = *summary.counts.get(outcome);
            let expected = if paired(outcome) { 2 * items } else { items };
            assert_eq!(rows_per_outcome[n], expected, "rows of {outcome:?}");
            let sum: duizhang::Money = amounts.iter().filter(|(o, _)| *o == outcome).map(|(_, a)| (*a).into()).sum();
            assert_eq!(sum.decimal(), summary.amounts.get(outcome).decimal(), "amounts of {outcome:?} are conserved");
        }
        let reconciled: usize = run.tables().iter().map(|t| t.row_count()).sum();
        let per_side = summary.rows.internal.reconciled + summary.rows.channel.reconciled;
        assert_eq!(reconciled as u64, per_side, "every reconciled row is in a table");
    }
    let _ = report.to_json();
    let _ = report.exceptions_csv();
    if let Some(fund_flow) = &report.fund_flow {
        let _ = fund_flow.csv();
    }
    if let Some(flow) = run.fund_flow() {
        check_fund_flow(flow);
    }
    if let Some(state) = run.carry_out() {
        let again = CarryState::from_json("state.json", &state.to_json()).expect("a state file written reads back");
        assert_eq!(again, state, "the state file round-trips");
    }
}

/// A pair is two rows in one item.
fn paired(outcome: Outcome) -> bool {
    matches!(
        outcome,
        Outcome::Matched | Outcome::MatchedWithinTolerance | Outcome::AmountMismatch | Outcome::StatusMismatch
    )
}

/// One result per item; an item is in a match exactly when it is not open, and in one at most.
fn check_fund_flow(flow: &FundFlow) {
    assert_eq!(flow.batch_results.len(), flow.input.batches.len());
    assert_eq!(flow.movement_results.len(), flow.input.movements.len());
    assert_eq!(flow.payout_results.len(), flow.input.payouts.len());
    let results = [&flow.batch_results, &flow.movement_results, &flow.payout_results];
    let mut seen = results.map(|results| vec![0u32; results.len()]);
    for (n, group) in flow.matches.iter().enumerate() {
        let members = [
            (&group.batches, &flow.batch_results),
            (&group.movements, &flow.movement_results),
            (&group.payouts, &flow.payout_results),
        ];
        for (kind, (indexes, results)) in members.into_iter().enumerate() {
            for &i in indexes {
                seen[kind][i] += 1;
                assert_eq!(results[i].matched_in, Some(n), "an item points at its match");
            }
        }
    }
    for (kind, results) in results.into_iter().enumerate() {
        for (i, result) in results.iter().enumerate() {
            assert!(seen[kind][i] <= 1, "an item is in one match at most");
            // In a group exactly when matched or paired with a difference (amount_mismatch).
            assert_eq!(seen[kind][i] == 1, result.outcome.is_paired(), "paired exactly when in a group");
        }
    }
}
