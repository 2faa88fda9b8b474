#!/usr/bin/env bash
# Console, stream and event-loop tests and tools. Usage: c-tests/run-console.sh [plain|asan|valgrind|bench|all]
#   plain     test-console (-Wall -Wextra -Werror) and the console client built and driven once
#   asan      test-console under AddressSanitizer + UndefinedBehaviorSanitizer (leaks included)
#   valgrind  test-console under valgrind: no errors, no leaks
#   bench     bench-console against oxvirt and against Debian's real libvirt (pty baseline in both)
# Needs target/release/libvirt.so.0 (scripts/build.sh), Debian's libvirt-dev, valgrind, gcc.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
lib="$root/target/release"
out="$here/build"
mkdir -p "$out"
mode="${1:-all}"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
run() { local name="$1"; shift; if "$@"; then ok "$name"; else ko "$name"; fi; }
CFLAGS="-std=gnu11 -Wall -Wextra -Werror -g -I$root/include"
LIBS="-L$lib -lvirt -lpthread"

if [ "$mode" = plain ] || [ "$mode" = all ]; then
    run "build test-console" gcc $CFLAGS "$here/test-console.c" -o "$out/test-console" $LIBS
    run "test-console" env LD_LIBRARY_PATH="$lib" timeout 120 "$out/test-console"
    run "build console client" gcc $CFLAGS "$root/examples/console.c" -o "$out/console" $LIBS
    # ^] only once the echo is out: a fixed pause raced a slow echo on a loaded machine.
    console_echo() {
        local d pid i
        d=$(mktemp -d)
        mkfifo "$d/in"
        LD_LIBRARY_PATH="$lib" timeout 20 "$out/console" test:///default test --safe \
            <"$d/in" >"$d/out" 2>/dev/null &
        pid=$!
        exec 9>"$d/in"
        printf 'hello console\n' >&9
        for i in $(seq 300); do grep -q 'hello console' "$d/out" && break; sleep 0.05; done
        printf '\035' >&9
        exec 9>&-
        wait "$pid"
        cat "$d/out"
        rm -rf -- "$d"
    }
    echoed=$(console_echo)
    run "console client echoes and detaches on ^]" test "$echoed" = "hello console"
fi

if [ "$mode" = asan ] || [ "$mode" = all ]; then
    san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
    run "build test-console (asan)" gcc $CFLAGS $san "$here/test-console.c" -o "$out/test-console-asan" $LIBS
    run "test-console (asan+ubsan)" env LD_LIBRARY_PATH="$lib" ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 timeout 300 "$out/test-console-asan"
fi

if [ "$mode" = valgrind ] || [ "$mode" = all ]; then
    [ -x "$out/test-console" ] || gcc $CFLAGS "$here/test-console.c" -o "$out/test-console" $LIBS
    run "test-console (valgrind)" env LD_LIBRARY_PATH="$lib" timeout 600 valgrind -q --error-exitcode=99 \
        --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible "$out/test-console"
fi

if [ "$mode" = bench ] || [ "$mode" = all ]; then
    gcc -std=gnu11 -O2 -Wall -Wextra -Werror -I"$root/include" "$here/bench-console.c" \
        -o "$out/bench-console" -L"$lib" -lvirt -lutil -lpthread || ko "build bench-console"
    echo "== oxvirt"; LD_LIBRARY_PATH="$lib" "$out/bench-console" test:///default test
    echo "== real libvirt 9.0.0"; "$out/bench-console" test:///default test 2>/dev/null
fi

echo "run-console: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
