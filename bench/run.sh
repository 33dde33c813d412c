#!/usr/bin/env bash
# Every benchmark, in one go (`make bench`). Benchmarks, not tests: they print numbers and only
# fail when a result is wrong. Run them on an otherwise idle machine.
#   1. native phase timings on the seeded 1M-order day (examples/bench.rs)
#   2. the page's worker in headless Chromium at 100k and 1M orders (bench/browser.mjs)
#   3. the shared peer harness with duizhang beside DuckDB-Wasm, papaparse, native DuckDB and Polars
#      (bench/peers.sh; skipped when ../shared/bench is not there)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-1000000}"
bash scripts/setup.sh
bash scripts/build-wasm.sh
DATA="bench/data/rows-$ROWS"
[ -f "$DATA/truth.json" ] || cargo run --quiet --release --example generate -- --rows "$ROWS" --out "$DATA" > /dev/null
echo "== native (cargo run --release --example bench -- $DATA 5)"
cargo run --quiet --release --example bench -- "$DATA" 5 2> /dev/null
echo "== browser (node bench/browser.mjs --rows 100000,$ROWS --runs 3)"
node bench/browser.mjs --rows "100000,$ROWS" --runs 3
if [ -f "${SHARED_BENCH:-../shared/bench}/run.sh" ]; then
  echo "== peers (bench/peers.sh --rows $ROWS --runs 3)"
  bash bench/peers.sh --rows "$ROWS" --runs 3
fi
