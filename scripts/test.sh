#!/usr/bin/env bash
# The whole test suite, in CI order; stops at the first failure. `make test` and .ci/run call this.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n=== %s\n' "$*"; }

# Runs a cargo test command and fails if it reports zero tests run: a green run that tested
# nothing (e.g. a missing test file or a runner that skipped everything) must not pass.
# Never pass -q here: wasm-bindgen-test-runner rejects --quiet.
run_counted() {
  local log
  log="$(mktemp)"
  if ! "$@" 2>&1 | tee "$log"; then rm -f "$log"; return 1; fi
  local passed
  passed="$(grep -Eo '[0-9]+ passed' "$log" | awk '{s += $1} END {print s + 0}')"
  rm -f "$log"
  if [ "$passed" -eq 0 ]; then
    echo "test.sh: '$*' ran no tests" >&2
    return 1
  fi
}

step "setup"
bash scripts/setup.sh

step "fixtures: every tests/fixtures/*/make.py regenerates its files byte for byte"
# The binary fixtures (GBK, UTF-16, zip, gz, XLSX) are checked in; their generators must still make
# exactly them, or a fixture was edited by hand and its make.py no longer documents it.
fixtures_copy="$(mktemp -d)"
cp -R tests/fixtures/. "$fixtures_copy"/
for make in "$fixtures_copy"/*/make.py; do (cd "$(dirname "$make")" && python3 make.py); done
diff -r tests/fixtures "$fixtures_copy"
rm -rf "$fixtures_copy"

step "cargo fmt --all --check"
cargo fmt --all --check

step "cargo clippy --all-targets --features typescript -- -D warnings"
cargo clippy --all-targets --features typescript -- -D warnings

step "cargo clippy --lib --tests --target wasm32-unknown-unknown -- -D warnings"
cargo clippy --lib --tests --target wasm32-unknown-unknown -- -D warnings

step "sheets/ (the spreadsheet module): fmt, clippy, tests"
cargo fmt --manifest-path sheets/Cargo.toml --check
cargo clippy --manifest-path sheets/Cargo.toml --all-targets -- -D warnings
run_counted cargo test --manifest-path sheets/Cargo.toml

step "cargo test --features typescript (the typescript feature: tests/typescript.rs checks the generated .d.ts)"
run_counted cargo test --features typescript

step "scripts/build-wasm.sh"
bash scripts/build-wasm.sh

step "tsc -p tsconfig.json (the page, its worker, the example and the JS tests against www/pkg/duizhang.d.ts)"
node_modules/.bin/tsc -p tsconfig.json

step "wasm tests in Node (wasm-bindgen-test-runner)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  run_counted cargo test --target wasm32-unknown-unknown --test wasm_api --test wasm_fund_flow

step "sheets/ wasm tests in Node (sheetToCsv, reportToXlsx)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  run_counted cargo test --manifest-path sheets/Cargo.toml --target wasm32-unknown-unknown --test wasm

step "wasm tests in headless Chromium (chromedriver)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
  run_counted cargo test --target wasm32-unknown-unknown --test wasm_api --test wasm_fund_flow

step "cargo build (debug CLI for the JS tests)"
cargo build

step "node --test tests/node/"
node --test tests/node/

printf '\n=== all tests passed\n'
