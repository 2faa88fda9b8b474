#!/usr/bin/env bash
# Run every oxvirt test: formatting and lints, Rust tests, generated-file checks, the C tests
# (plain, ASan/UBSan, valgrind, ABI), and the drop-in/differential tests through Debian's
# python3-libvirt and Sys::Virt. Ends with "N passed, M failed".
set -u
cd "$(dirname "$0")/.."
root="$PWD"
scripts/install-deps.sh || exit 1
pass=0
fail=0
failed=()
step() {
    local name="$1"; shift
    echo "=== $name"
    if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$name"); fi
}

step "build libvirt.so.0" scripts/build.sh
step "cargo fmt --check" cargo fmt --check
step "cargo clippy" cargo clippy --release --all-targets -- -D warnings
step "cargo test" cargo test --release
step "generated ABI files current" python3 tools/gen-abi.py --check
step "generated protocol files current" python3 tools/gen-proto.py --check
step "support matrix current" python3 tools/gen-matrix.py --check
step "C tests" c-tests/run.sh all
step "console C tests" sh -c 'c-tests/run-console.sh plain && c-tests/run-console.sh asan && c-tests/run-console.sh valgrind'
step "python3-libvirt tests" /usr/bin/python3 -m pytest -q tests/python
step "Sys::Virt tests" env LD_LIBRARY_PATH="$root/target/release" \
    OXVIRT_EXPECT_LIB="$(realpath "$root/target/release/libvirt.so.0")" prove tests/perl
step "Rust virt crate via pkg-config" tests/virt-crate/run.sh
step "fuzz smoke (RPC packet/XDR decoder)" fuzz/smoke.sh 30

echo
[ $fail -eq 0 ] || echo "failed: ${failed[*]}"
echo "tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
