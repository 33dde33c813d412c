#!/usr/bin/env bash
# The shared peer benchmark (DuckDB-Wasm, papaparse, native DuckDB and Polars) with duizhang as one
# more browser peer, all in one run. Usage: bench/peers.sh [--rows N] [--runs N] [--peers a,b]
# The shared harness is read-only, so it is copied to bench/.harness/ (its node_modules, .venv and
# generated data stay there between runs) and duizhang's adapter is added to its peers/.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SHARED_BENCH:-../shared/bench}"
[ -f "$SHARED/run.sh" ] || { echo "peers.sh: no shared benchmark at $SHARED (set SHARED_BENCH)" >&2; exit 2; }
bash scripts/setup.sh
bash scripts/build-wasm.sh
HARNESS=bench/.harness
mkdir -p "$HARNESS"
cp -R "$SHARED"/. "$HARNESS"/
chmod -R u+w "$HARNESS"
cp bench/peer/duizhang.mjs "$HARNESS/peers/duizhang.mjs"
BENCH_EXT_DIR="$PWD/www/pkg" bash "$HARNESS/run.sh" "$@"
