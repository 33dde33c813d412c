//! Correctness at scale on seeded generated data: the engine's counts equal the generator's truth.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/generate.rs"]
mod generate;

use duizhang::{parse_date, Input, InputKind, Profile, Reconciliation};

/// Every outcome count of the report equals the generator's.
fn assert_counts_are_the_truth(report: &duizhang::Report, truth: &generate::Truth) {
    let c = &report.summary.counts;
    let got = (c.matched, c.amount_mismatch, c.status_mismatch, c.internal_only, c.external_only, c.duplicate);
    let want = (
        truth.matched,
        truth.amount_mismatch,
        truth.status_mismatch,
        truth.internal_only,
        truth.external_only,
        truth.duplicate,
    );
    assert_eq!(got, want);
}

#[test]
fn two_hundred_thousand_rows_match_the_generated_truth() {
    let (internal, channel, truth) = generate::generate(100_000, 7);
    // The generator has no cut-off window: orders just before midnight are paid after it.
    let profile = Profile::from_json(r#"{"pending_window_minutes": 0}"#).expect("profile");
    let mut run = Reconciliation::new(profile);
    run.add(Input::new(InputKind::Internal, "internal.csv", internal.into_bytes())).expect("internal");
    run.add(Input::new(InputKind::Channel, "channel.csv", channel.into_bytes())).expect("channel");
    let report = run.run(Some(parse_date("2024-03-15").expect("date"))).expect("runs");
    assert_counts_are_the_truth(report, &truth);
    assert_eq!(report.summary.cross_day, truth.cross_day);
    let c = &report.summary.counts;
    assert_eq!(c.pending + c.matched_within_tolerance, 0);
    assert!(report.issues.is_empty());
}

#[test]
fn a_small_bill_beside_large_files_is_matched_in_the_same_partitions() {
    // Each file keeps its rows in partitions sized from its own length: a 2,000-row bill gets
    // fewer than the 100k-row files and must be split again to match them. The day's truth holds
    // whatever the split, because the two bills are one side.
    let (internal, channel, truth) = generate::generate(100_000, 13);
    let mut lines = channel.lines();
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.collect();
    let part = |rows: &[&str]| format!("{header}\n{}\n", rows.join("\n")).into_bytes();
    let profile = Profile::from_json(r#"{"pending_window_minutes": 0}"#).expect("profile");
    let mut run = Reconciliation::new(profile);
    run.add(Input::new(InputKind::Internal, "internal.csv", internal.into_bytes())).expect("internal");
    run.add(Input::new(InputKind::Channel, "small.csv", part(&rows[..2000]))).expect("small bill");
    run.add(Input::new(InputKind::Channel, "large.csv", part(&rows[2000..]))).expect("large bill");
    let report = run.run(Some(parse_date("2024-03-15").expect("date"))).expect("runs");
    assert_counts_are_the_truth(report, &truth);
}

#[test]
fn progress_is_reported_during_long_reads_and_matching() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let (internal, channel, _) = generate::generate(100_000, 11);
    let calls: Rc<RefCell<Vec<(duizhang::Phase, u64, u64)>>> = Rc::default();
    let mut run = Reconciliation::new(Profile::default());
    let sink = Rc::clone(&calls);
    run.set_progress(Box::new(move |phase, done, total| {
        sink.borrow_mut().push((phase, done, total));
        true
    }));
    run.add(Input::new(InputKind::Internal, "internal.csv", internal.into_bytes())).expect("internal");
    run.add(Input::new(InputKind::Channel, "channel.csv", channel.into_bytes())).expect("channel");
    run.run(None).expect("runs");
    let calls = calls.borrow();
    let reads: Vec<_> = calls.iter().filter(|c| c.0 == duizhang::Phase::Read).collect();
    let matches: Vec<_> = calls.iter().filter(|c| c.0 == duizhang::Phase::Match).collect();
    // 200k records at one report per 16,384 records: at least 12 reports while reading.
    assert!(reads.len() >= 12, "{} read reports", reads.len());
    assert!(reads.iter().all(|(_, done, total)| done <= total));
    assert!(!matches.is_empty());
    assert!(matches.windows(2).all(|w| w[0].1 <= w[1].1 || w[1].1 == 0), "monotonic within a pass");
}

#[test]
fn a_progress_hook_can_cancel_reading_and_matching() {
    let (internal, channel, _) = generate::generate(50_000, 3);
    let mut run = Reconciliation::new(Profile::default());
    run.set_progress(Box::new(|_, _, _| false));
    let error =
        run.add(Input::new(InputKind::Internal, "internal.csv", internal.clone().into_bytes())).expect_err("cancelled");
    assert_eq!(error.code().code(), "cancelled");
    assert!(run.tables().is_empty(), "a cancelled file is not kept");

    let mut run = Reconciliation::new(Profile::default());
    run.set_progress(Box::new(|phase, _, _| phase != duizhang::Phase::Match));
    run.add(Input::new(InputKind::Internal, "internal.csv", internal.into_bytes())).expect("reads");
    run.add(Input::new(InputKind::Channel, "channel.csv", channel.into_bytes())).expect("reads");
    assert_eq!(run.run(None).expect_err("cancelled").code(), "cancelled");
    assert!(run.report().is_none());
}
