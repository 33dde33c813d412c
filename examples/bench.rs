//! Native benchmark: times each phase of a run over generated files, median of N runs.
//!
//! `cargo run --release --example bench -- DIR [RUNS]` where DIR holds `internal.csv` and
//! `channel.csv` (make them with `cargo run --release --example generate -- --rows N --out DIR`).
//! The files are given as the browser gives them: bytes the caller keeps, read in 1 MiB chunks.
use duizhang::{Input, InputKind, Profile, Reconciliation, SharedBytes, Source};
use std::rc::Rc;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().cloned().unwrap_or_else(|| "bench/data/rows-1000000".to_string());
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let internal: Rc<[u8]> = std::fs::read(format!("{dir}/internal.csv")).expect("internal.csv").into();
    let channel: Rc<[u8]> = std::fs::read(format!("{dir}/channel.csv")).expect("channel.csv").into();
    let source = |bytes: &Rc<[u8]>| Source::External(Box::new(SharedBytes::new(bytes.clone(), 1 << 20, 512)));
    let mut phases: Vec<[f64; 5]> = Vec::new();
    for _ in 0..runs {
        let profile = Profile::from_json(r#"{"pending_window_minutes": 0}"#).expect("profile");
        let t0 = Instant::now();
        let mut run = Reconciliation::new(profile);
        run.add(Input::new(InputKind::Internal, "internal.csv", source(&internal))).expect("internal");
        let t1 = Instant::now();
        run.add(Input::new(InputKind::Channel, "channel.csv", source(&channel))).expect("channel");
        let t2 = Instant::now();
        let report = run.run(None).expect("run");
        let t3 = Instant::now();
        let json = report.to_json();
        let t4 = Instant::now();
        assert!(!json.is_empty());
        let s = |a: Instant, b: Instant| (b - a).as_secs_f64();
        phases.push([s(t0, t1), s(t1, t2), s(t2, t3), s(t3, t4), s(t0, t3)]);
        eprintln!("counts {:?}", report.summary.counts);
        drop(run);
    }
    let median = |i: usize| {
        let mut v: Vec<f64> = phases.iter().map(|p| p[i]).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    println!(
        "read internal {:.3}s  read channel {:.3}s  match+report {:.3}s  json {:.3}s  total (bytes in -> report) {:.3}s",
        median(0),
        median(1),
        median(2),
        median(3),
        median(4)
    );
}
