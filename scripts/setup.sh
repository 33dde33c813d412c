#!/usr/bin/env bash
# Installs what building and testing duizhang needs, skipping whatever is already there, so that a
# second run takes a second. Safe on a fresh Debian 12 CI machine (root) and on a developer machine.
#   - the wasm32-unknown-unknown target (rustup)
#   - wasm-bindgen-cli, exactly the version of the `wasm-bindgen` crate in Cargo.lock
#   - Debian chromium + chromium-driver (browser tests; never `npx playwright install`)
#   - node_modules from package-lock.json (binaryen's wasm-opt, playwright-core, typescript's tsc)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo not found (install Rust with rustup first)"
command -v node >/dev/null || die "node not found (Node 20 or newer is needed)"
command -v npm >/dev/null || die "npm not found"

# 1. Rust target for the browser.
if rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null | xargs -I{} test -d {}; then
  step "wasm32-unknown-unknown target present"
else
  command -v rustup >/dev/null || die "wasm32-unknown-unknown target missing and rustup not found"
  step "adding wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli: its version must equal the crate's, or the generated glue does not match.
if [ ! -f Cargo.lock ]; then
  step "no Cargo.lock: generating it"
  cargo generate-lockfile
fi
want="$(cargo pkgid wasm-bindgen | sed 's/.*@//')"
[ -n "$want" ] || die "could not read the wasm-bindgen version from Cargo.lock"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" = "$want" ]; then
  step "wasm-bindgen-cli $want present"
else
  step "installing wasm-bindgen-cli $want (found: ${have:-none}; takes ~3 min)"
  # --locked fails for some versions (a locked dependency is missing from the index): fall back.
  cargo install wasm-bindgen-cli --version "$want" --locked \
    || cargo install wasm-bindgen-cli --version "$want"
  have="$(wasm-bindgen --version | awk '{print $2}')"
  [ "$have" = "$want" ] || die "wasm-bindgen is $have after install, expected $want (check PATH)"
fi

# 3. Chromium and its driver, from Debian (Playwright's browser download cannot work here).
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  step "chromium and chromedriver present"
else
  step "installing chromium and chromium-driver (apt)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

# 4. JS tooling, reinstalled only when package-lock.json changed (stamp = the lock's sha256).
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.duizhang-lock.sha256"
if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  step "node_modules up to date"
else
  step "npm ci"
  npm ci --no-audit --no-fund
  printf '%s\n' "$lock_sum" > "$stamp"
fi
[ -x node_modules/.bin/wasm-opt ] || die "node_modules/.bin/wasm-opt missing after npm ci"
[ -x node_modules/.bin/tsc ] || die "node_modules/.bin/tsc missing after npm ci"
