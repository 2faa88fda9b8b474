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
# Each step's output is kept too, so the end of the run can show the failed steps' last lines
# again (a CI log may keep only its tail).
logs=$(mktemp -d /tmp/oxvirt-test-logs.XXXXXX)
step() {
    local name="$1"; shift
    local log="$logs/$((pass + fail)).log"
    echo "=== $name"
    local rc=0 out tee_pid i
    exec {out}> >(tee "$log")
    tee_pid=$!
    "$@" >&"$out" 2>&1 || rc=$?
    exec {out}>&-
    # tee ends when the step's output closes; a daemon the step left holding it must not stall
    # the run, so it gets two seconds (only so that the next step's output does not interleave).
    for i in $(seq 20); do kill -0 "$tee_pid" 2>/dev/null || break; sleep 0.1; done
    if [ $rc -eq 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); failed+=("$name"); failed_logs+=("$log")
    fi
}
failed_logs=()

step "build libvirt.so.0" scripts/build.sh
step "cargo fmt --check" cargo fmt --check
step "cargo clippy" cargo clippy --release --all-targets -- -D warnings
step "cargo test" cargo test --release
step "generated ABI files current" python3 tools/gen-abi.py --check
step "generated stubs current, each function defined once" python3 tools/gen-stubs.py --check
step "libvirt-qemu/-lxc/-admin fact tables, headers, version scripts current" python3 tools/gen-libs.py --check
step "CPU model table current" python3 tools/gen-cpu-models.py --check
step "key code table current" python3 tools/gen-keycodes.py --check
step "CPU map fact table current" python3 tools/gen-cpu-map.py --check
step "generated protocol files current" python3 tools/gen-proto.py --check
step "support matrix current" python3 tools/gen-matrix.py --check
step "API description files current, exports as libvirt's (suites)" python3 tools/gen-api-xml.py --check
step "layering rules" python3 tools/check-layers.py
step "read-only fact table current (when the libvirt source is present)" python3 tools/gen-readonly.py --check
step "C tests" c-tests/run.sh all
step "libvirt-qemu.so.0 / libvirt-lxc.so.0 against Debian's" c-tests/libs/run.sh
step "libvirt-admin.so.0 against Debian's (virt-admin and a C program, real libvirtd)" tests/admin/run.sh
step "support matrix probe (test:///default and a real libvirtd)" c-tests/run.sh matrix
step "console C tests" sh -c 'c-tests/run-console.sh plain && c-tests/run-console.sh asan && c-tests/run-console.sh valgrind'
step "python3-libvirt tests" /usr/bin/python3 -m pytest -q tests/python
step "Sys::Virt tests" env LD_LIBRARY_PATH="$root/target/release" \
    OXVIRT_EXPECT_LIB="$(realpath "$root/target/release/libvirt.so.0")" prove tests/perl
step "Rust virt crate via pkg-config" tests/virt-crate/run.sh
# ---- (suites) other projects' own test suites and real programs, Debian's libvirt vs oxvirt
# (the daemon parts start libvirtd: scripts/test.sh runs under flock /tmp/oxvirt-daemon.lock)
step "libvirt-python 9.0.0's own tests (test:///default and a real libvirtd)" \
    tests/upstream-python/run.sh
step "virt 0.5.0 crate's own tests (test:///default and a real libvirtd)" \
    tests/virt-suite/run.sh
step "virtinst (virt-install, virt-clone, virt-xml)" tests/virtinst/run.sh
step "install into a prefix, C program dynamic and static" tests/install/run.sh c
step "static Go program (libvirt-go bindings)" tests/install/run.sh go
step "libvirt.conf (uri_default, uri_aliases) against Debian's libvirt" tests/config/run.sh
step "auth.conf credentials (test driver <auth>) against Debian's libvirt" tests/config/auth.sh
step "debug log (LIBVIRT_DEBUG, filters, outputs) against Debian's libvirt" tests/logging/run.sh
step "fuzz smoke (RPC decoder, test-driver XML, URIs, typed parameters)" fuzz/smoke.sh 30

echo
for i in "${!failed[@]}"; do
    echo "--- the end of failed step \"${failed[$i]}\":"
    grep -E "^(FAILED|ERROR|DIFFER|not ok|FAIL)|[Ff]ailed|panicked|Error" "${failed_logs[$i]}" | tail -15
    tail -15 "${failed_logs[$i]}"
done
rm -rf "$logs"
[ $fail -eq 0 ] || echo "failed: ${failed[*]}"
echo "tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
