//! Prints the longest stretch of work between two progress reports, and where it was, so the
//! page's promise of progress every 200 ms can be checked natively.
//! `cargo run --release --example progress_gaps -- bench/data/rows-1000000`
use duizhang::{Input, InputKind, Phase, Profile, Reconciliation};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "bench/data/rows-1000000".to_string());
    let internal = std::fs::read(format!("{dir}/internal.csv")).expect("internal.csv");
    let channel = std::fs::read(format!("{dir}/channel.csv")).expect("channel.csv");
    let last = Rc::new(RefCell::new((Instant::now(), 0.0f64, String::new())));
    let mut run = Reconciliation::new(Profile::default());
    let sink = Rc::clone(&last);
    run.set_progress(Box::new(move |phase: Phase, done, total| {
        let mut l = sink.borrow_mut();
        let gap = l.0.elapsed().as_secs_f64();
        if gap > l.1 {
            l.1 = gap;
            l.2 = format!("before {} {done}/{total}", phase.code());
        }
        l.0 = Instant::now();
        true
    }));
    let mark = |what: &str| {
        let mut l = last.borrow_mut();
        let gap = l.0.elapsed().as_secs_f64();
        if gap > l.1 {
            l.1 = gap;
            l.2 = format!("before {what}");
        }
        l.0 = Instant::now();
    };
    run.add(Input::new(InputKind::Internal, "internal.csv", internal)).expect("internal");
    mark("the end of reading internal.csv");
    run.add(Input::new(InputKind::Channel, "channel.csv", channel)).expect("channel");
    mark("the end of reading channel.csv");
    run.run(None).expect("run");
    mark("the end of run()");
    let l = last.borrow();
    println!("longest gap between progress reports: {:.0} ms, {}", l.1 * 1000.0, l.2);
}
