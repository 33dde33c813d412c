# duizhang: build and test entry points. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
CARGO_HOME ?= $(HOME)/.cargo
export PATH := $(CARGO_HOME)/bin:$(PATH)
PORT ?= 8080

.PHONY: help setup wasm serve test check test-js bench fmt fmt-check lint clean-wasm

help:
	@echo "make setup    install the wasm target, wasm-bindgen-cli, chromium, node_modules (idempotent)"
	@echo "make wasm     build the browser module into www/pkg/"
	@echo "make serve    build, then serve www/ on http://127.0.0.1:$(PORT)/ (PORT=0: any free port)"
	@echo "make test     everything CI runs, stopping at the first failure"
	@echo "make check    the edit-test loop: fmt, clippy and the native Rust tests but the slow suites"
	@echo "make test-js  only the JS tests (node --test tests/node/); needs make wasm and cargo build"
	@echo "make bench    benchmarks: native, the page's worker in Chromium, and the shared peer harness"
	@echo "make fmt      cargo fmt --all"
	@echo "make lint     fmt check + clippy, natively and for wasm32"

setup:
	bash scripts/setup.sh

wasm: setup
	bash scripts/build-wasm.sh

serve: wasm
	@echo "serve: www/ on 127.0.0.1, port $(PORT) (0 = any free port); the URL is on the next line. Ctrl-C stops."
	node scripts/serve.mjs --port $(PORT)

test:
	bash scripts/test.sh

# The slowest native suites (every fuzz corpus replayed; seeded mutants through every entry point),
# left to `make test` with the Wasm builds, the Wasm and browser tests and the Node tests.
CHECK_SKIP := fuzz_corpus mutations
CHECK_TESTS := $(filter-out $(CHECK_SKIP),$(basename $(notdir $(wildcard tests/*.rs))))

check: fmt-check
	cargo clippy --all-targets --features typescript -- -D warnings
	cargo test --features typescript --lib --bins $(addprefix --test ,$(CHECK_TESTS))

bench:
	bash bench/run.sh

test-js:
	node --test tests/node/

fmt:
	cargo fmt --all

fmt-check:
	cargo fmt --all --check

lint: fmt-check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

clean-wasm:
	rm -rf www/pkg
