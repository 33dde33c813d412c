#!/usr/bin/env bash
# Builds the browser module into www/pkg/ (gitignored): cargo → wasm-bindgen (--target web) → wasm-opt.
# Needs what scripts/setup.sh installs; run that first (or `make wasm`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

out=www/pkg
raw=target/wasm32-unknown-unknown/release/duizhang.wasm
wasm="$out/duizhang_bg.wasm"
wasm_opt=node_modules/.bin/wasm-opt   # npm binaryen 132; Debian's wasm-opt 108 emits broken modules

want="$(cargo pkgid wasm-bindgen | sed 's/.*@//')"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  echo "build-wasm: wasm-bindgen-cli is '${have:-missing}', Cargo.lock wants $want: run scripts/setup.sh" >&2
  exit 1
fi
[ -x "$wasm_opt" ] || { echo "build-wasm: $wasm_opt missing: run scripts/setup.sh" >&2; exit 1; }

echo "build-wasm: cargo build --lib --release --target wasm32-unknown-unknown"
cargo build --lib --release --target wasm32-unknown-unknown

echo "build-wasm: wasm-bindgen $want -> $out/"
rm -rf "$out"
wasm-bindgen "$raw" --out-dir "$out" --target web

echo "build-wasm: wasm-opt -O3"
# The release profile keeps the target_features section, so wasm-opt enables exactly the features the
# module uses; no --enable-* flags needed.
"$wasm_opt" -O3 "$wasm" -o "$wasm"

bytes=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
printf 'build-wasm: %s  %d bytes (%d KiB), gzip -9 %d bytes (%d KiB)\n' \
  "$wasm" "$bytes" $((bytes / 1024)) "$gz" $((gz / 1024))

# The spreadsheet module (sheets/, calamine): a second module the page fetches only when an XLS/XLSX
# file arrives, so users who never open a spreadsheet never download it. Optimized for size.
sheets_out=www/sheets
sheets_raw=sheets/target/wasm32-unknown-unknown/release/duizhang_sheets.wasm
echo "build-wasm: cargo build --release --target wasm32-unknown-unknown (sheets/)"
cargo build --release --target wasm32-unknown-unknown --manifest-path sheets/Cargo.toml
rm -rf "$sheets_out"
wasm-bindgen "$sheets_raw" --out-dir "$sheets_out" --target web
"$wasm_opt" -Oz "$sheets_out/duizhang_sheets_bg.wasm" -o "$sheets_out/duizhang_sheets_bg.wasm"
bytes=$(stat -c %s "$sheets_out/duizhang_sheets_bg.wasm")
gz=$(gzip -9 -c "$sheets_out/duizhang_sheets_bg.wasm" | wc -c)
printf 'build-wasm: %s  %d bytes (%d KiB), gzip -9 %d bytes (%d KiB)\n' \
  "$sheets_out/duizhang_sheets_bg.wasm" "$bytes" $((bytes / 1024)) "$gz" $((gz / 1024))
