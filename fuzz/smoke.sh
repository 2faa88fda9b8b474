#!/bin/bash
# fuzz/smoke.sh [SECONDS]: a short fuzzing run of every cargo-fuzz target for CI.
#
# Runs each target (the RPC packet/XDR decoder; the test driver's node files, domain,
# snapshot and checkpoint XML, network, pool, volume, interface and node device XML;
# connection URIs, checked against libxml2's parser, linked into the fuzz binary only; typed
# parameters) for SECONDS each (default 30) when a nightly toolchain
# is available, installing cargo-fuzz from crates.io first if it is missing; the corpus starts
# from fuzz/seeds/TARGET, and the crash inputs kept in fuzz/regressions/TARGET are replayed
# first. Without nightly it says so and exits 0: the stable tests in `cargo test` still cover
# the decoders and parsers. A crash makes the script fail and leaves the input in
# fuzz/artifacts/TARGET/ (keep it as a regression test in fuzz/regressions/).
set -euo pipefail
SECONDS_TO_RUN=${1:-30}
TARGETS=${FUZZ_TARGETS:-"rpc_packet rpc_reply node_file domain_xml snapshot_xml checkpoint_xml object_xml uri typed_params"}
cd "$(dirname "$0")/.."

skip() { echo "fuzz smoke: SKIPPED: $*"; exit 0; }

command -v cargo >/dev/null || skip "cargo is not installed"
if ! cargo +nightly --version >/dev/null 2>&1; then
    skip "no nightly toolchain (cargo-fuzz needs one: rustup toolchain install nightly)"
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz smoke: installing cargo-fuzz"
    cargo install cargo-fuzz --locked || skip "cargo-fuzz could not be installed"
fi
for t in $TARGETS; do
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
    if [ -d "fuzz/seeds/$t" ]; then cp -n fuzz/seeds/"$t"/* "fuzz/corpus/$t/" 2>/dev/null || true; fi
    if [ -d "fuzz/regressions/$t" ] && [ -n "$(ls -A "fuzz/regressions/$t")" ]; then
        echo "fuzz smoke: replaying fuzz/regressions/$t"
        cargo +nightly fuzz run "$t" "fuzz/regressions/$t"/* -- -runs=1
    fi
    echo "fuzz smoke: $t for ${SECONDS_TO_RUN}s ($(cargo +nightly --version))"
    # -max_total_time bounds the run; -rss_limit_mb keeps it polite on shared CI machines;
    # -timeout makes a hang (one input running 10 s) a failure.
    cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
done
echo "fuzz smoke: OK (no crash in ${SECONDS_TO_RUN}s per target: $TARGETS)"
