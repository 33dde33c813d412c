#!/usr/bin/env bash
# The shared peer benchmark (DuckDB-Wasm, papaparse, native DuckDB and Polars) with duizhang as one
# more browser peer, all in one run.
#   bench/peers.sh [--before REV] [--rows N] [--runs N] [--peers a,b]
# --before REV adds the module built from git revision REV as the peer `duizhang-before`, so that a
# change is compared with the code before it in the same harness run, on the same data, minutes
# apart (the VM's speed drifts 1.5x from day to day: numbers from different runs do not compare).
# The shared harness is read-only, so it is copied to bench/.harness/ (its node_modules, .venv and
# generated data stay there between runs) and duizhang's adapters are added to its peers/.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SHARED_BENCH:-../shared/bench}"
[ -f "$SHARED/run.sh" ] || { echo "peers.sh: no shared benchmark at $SHARED (set SHARED_BENCH)" >&2; exit 2; }
BEFORE=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --before) BEFORE=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
bash scripts/setup.sh
bash scripts/build-wasm.sh
HARNESS=bench/.harness
mkdir -p "$HARNESS"
cp -R "$SHARED"/. "$HARNESS"/
chmod -R u+w "$HARNESS"
# What the harness serves at /ext/: this checkout's module, and under before/ the one of --before.
EXT="$PWD/$HARNESS/ext"
rm -rf "$EXT"
mkdir -p "$EXT"
cp -R www/pkg/. "$EXT"/
cp bench/peer/duizhang.mjs "$HARNESS/peers/duizhang.mjs"
rm -f "$HARNESS/peers/duizhang-before.mjs"
if [ -n "$BEFORE" ]; then
  rev="$(git rev-parse --short "$BEFORE")"
  tree="$PWD/$HARNESS/before-tree"
  git worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
  git worktree add --detach "$tree" "$rev"
  # A target directory of its own (kept between runs, so its dependencies build once): sharing this
  # checkout's left the before module in target/…/duizhang.wasm, and cargo, finding this checkout's
  # build fresh, did not link it there again, so the next `make wasm` or `make test` used the old one.
  (cd "$tree" && CARGO_TARGET_DIR="$OLDPWD/target/before" cargo build --lib --release --target wasm32-unknown-unknown)
  wasm-bindgen target/before/wasm32-unknown-unknown/release/duizhang.wasm --out-dir "$EXT/before" --target web
  node_modules/.bin/wasm-opt -O3 "$EXT/before/duizhang_bg.wasm" -o "$EXT/before/duizhang_bg.wasm"
  git worktree remove --force "$tree"
  sed -e "s#'/ext/duizhang.js'#'/ext/before/duizhang.js'#" \
    -e "s#(Rust/Wasm, single thread)#(Rust/Wasm, single thread, before: $rev)#" \
    bench/peer/duizhang.mjs > "$HARNESS/peers/duizhang-before.mjs"
  grep -q "/ext/before/duizhang.js" "$HARNESS/peers/duizhang-before.mjs" \
    || { echo "peers.sh: could not point the before adapter at /ext/before/" >&2; exit 1; }
fi
BENCH_EXT_DIR="$EXT" bash "$HARNESS/run.sh" ${args[@]+"${args[@]}"}
