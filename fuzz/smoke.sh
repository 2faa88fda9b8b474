#!/bin/bash
# fuzz/smoke.sh [SECONDS]: short fuzzing runs for CI: the RPC packet/XDR decoder, connection
# URIs (checked against libxml2's parser, linked into the fuzz binary only) and typed parameters.
#
# Runs each cargo-fuzz target (rpc_packet, uri, typed_params) for SECONDS (default 30) when a nightly toolchain is
# available, installing cargo-fuzz from crates.io first if it is missing. Without nightly it
# says so and exits 0: the stable mutation test in `cargo test` (src/rpc/tests.rs) still covers
# the decoders. A crash makes the script fail and leaves the input in fuzz/artifacts/rpc_packet/.
set -euo pipefail
SECONDS_TO_RUN=${1:-30}
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
for target in rpc_packet uri typed_params; do
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    if [ -d "fuzz/regressions/$target" ] && [ -n "$(ls -A "fuzz/regressions/$target")" ]; then
        echo "fuzz smoke: replaying fuzz/regressions/$target"
        cargo +nightly fuzz run "$target" "fuzz/regressions/$target"/* -- -runs=1
    fi
    echo "fuzz smoke: $target for ${SECONDS_TO_RUN}s ($(cargo +nightly --version))"
    # -max_total_time bounds the run; -rss_limit_mb keeps it polite on shared CI machines.
    cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 -print_final_stats=1
done
echo "fuzz smoke: OK (no crash in ${SECONDS_TO_RUN}s per target)"
