#!/usr/bin/env bash
# The record scanner (src/read/csv.rs, SWAR for quote-free records) against csv-core alone on the
# same bytes: the seeded 1M-order export and its channel bill (examples/generate.rs). Both readers
# must agree on every field range before either is timed; prints the best of 5 runs of each.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-1000000}"
DATA="bench/data/rows-$ROWS"
[ -f "$DATA/truth.json" ] || cargo run --quiet --release --example generate -- --rows "$ROWS" --out "$DATA" > /dev/null
for file in internal channel; do
  cargo run --quiet --release --example scanner -- "$DATA/$file.csv" 5
done
