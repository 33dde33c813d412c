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
