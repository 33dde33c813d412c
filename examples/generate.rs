//! Writes benchmark data: `internal.csv`, `channel.csv` and `truth.json` (the expected counts).
//!
//! `cargo run --release --example generate -- --rows 1000000 [--seed 42] [--out bench/data/rows-1000000]`
use std::io::Write as _;

#[path = "../tests/support/generate.rs"]
mod generate;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let rows: u64 = arg("--rows").and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let seed: u64 = arg("--seed").and_then(|v| v.parse().ok()).unwrap_or(42);
    let out = arg("--out").unwrap_or_else(|| format!("bench/data/rows-{rows}"));
    std::fs::create_dir_all(&out).expect("output folder");
    let (internal, channel, t) = generate::generate(rows, seed);
    let write = |name: &str, text: &str| {
        let mut file = std::fs::File::create(format!("{out}/{name}")).expect("create");
        file.write_all(text.as_bytes()).expect("write");
    };
    write("internal.csv", &internal);
    write("channel.csv", &channel);
    let truth = format!(
        "{{\"seed\": {seed}, \"rows\": {rows}, \"input_bytes\": {}, \"counts\": {{\"matched\": {}, \"amount_mismatch\": {}, \
         \"status_mismatch\": {}, \"internal_only\": {}, \"external_only\": {}, \"duplicate\": {}}}, \"cross_day\": {}}}\n",
        internal.len() + channel.len(),
        t.matched,
        t.amount_mismatch,
        t.status_mismatch,
        t.internal_only,
        t.external_only,
        t.duplicate,
        t.cross_day
    );
    write("truth.json", &truth);
    print!("{truth}");
}
