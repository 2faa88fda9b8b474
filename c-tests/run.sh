#!/usr/bin/env bash
# oxvirt's C-level tests. Usage: c-tests/run.sh [plain|asan|valgrind|abi|all|matrix] (default all).
#   plain     the C tests against oxvirt, built with -Wall -Wextra -Werror
#   asan      the same under AddressSanitizer + UndefinedBehaviorSanitizer (leaks included)
#   valgrind  the same under valgrind: no errors, no leaks
#   abi       symbol versions, runtime dependencies, header/ABI probes, and the differential
#             object checks against Debian's real libvirt 9.0.0
#   matrix    the support-matrix probe: every function of the fact table called with real
#             objects, docs/support-matrix.tsv's claims checked against the answers, on
#             test:///default (test column) and, as root with Debian's libvirtd, through a real
#             daemon (remote column; wrap in flock /tmp/oxvirt-daemon.lock). Not part of "all".
# Needs target/release/libvirt.so.0 (scripts/build.sh) and Debian's libvirt-dev, valgrind.
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
LIBS="-L$lib -lvirt -lpthread -ldl"
TESTS="test-errors test-objects test-threads"
export LD_LIBRARY_PATH="$lib"

build() { # build NAME SUFFIX EXTRA-FLAGS...
    local name="$1" suffix="$2"; shift 2
    gcc $CFLAGS "$@" "$here/$name.c" -o "$out/$name$suffix" $LIBS
}

if [ "$mode" = plain ] || [ "$mode" = all ]; then
    for t in $TESTS test-dlopen demo; do
        run "build $t" build "$t" ""
    done
    for t in $TESTS; do run "$t" "$out/$t"; done
    run "test-dlopen" env OXVIRT_EXPECT_LIB="$(realpath "$lib/libvirt.so.0")" "$out/test-dlopen"
    run "demo" "$out/demo"
    # The demo's listings (domains in every state, filtered) as Debian's libvirt prints them
    # (its console part fails there: libvirt's test driver has no consoles).
    run "demo listings = Debian's libvirt" sh -c '
        gcc $1 "$2/demo.c" -o "$3/demo-libvirt" $(PKG_CONFIG_PATH= pkg-config --cflags --libs libvirt) &&
        env -u LD_LIBRARY_PATH "$3/demo-libvirt" | sed -n "/^1\./,/^3\./p" >"$3/demo-libvirt.out"
        "$3/demo" | sed -n "/^1\./,/^3\./p" >"$3/demo-oxvirt.out" &&
        [ -s "$3/demo-oxvirt.out" ] && diff "$3/demo-libvirt.out" "$3/demo-oxvirt.out"' sh \
        "-std=gnu11 -Wall -Wextra -Werror" "$here" "$out"
fi

if [ "$mode" = asan ] || [ "$mode" = all ]; then
    san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
    for t in $TESTS test-dlopen; do
        run "build $t (asan)" build "$t" "-asan" $san
    done
    for t in $TESTS test-dlopen; do
        run "$t (asan+ubsan)" env ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
            UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            OXVIRT_EXPECT_LIB="$(realpath "$lib/libvirt.so.0")" "$out/$t-asan"
    done
fi

if [ "$mode" = valgrind ] || [ "$mode" = all ]; then
    for t in $TESTS test-dlopen; do
        [ -x "$out/$t" ] || build "$t" ""
        run "$t (valgrind)" valgrind -q --error-exitcode=99 --leak-check=full \
            --show-leak-kinds=definite,indirect,possible \
            --errors-for-leak-kinds=definite,indirect,possible \
            env OXVIRT_EXPECT_LIB="$(realpath "$lib/libvirt.so.0")" "$out/$t"
    done
fi

if [ "$mode" = abi ] || [ "$mode" = all ]; then
    so="$lib/libvirt.so.0"
    # Every public symbol at its node, the SONAME, libc (and libgcc_s) only.
    n=$(readelf --dyn-syms -W "$so" | awk '$7 != "UND" && $8 ~ /@@LIBVIRT_[0-9]/' | wc -l)
    run "517 symbols versioned (got $n)" test "$n" -eq 517
    missing=$(comm -23 \
        <(readelf --dyn-syms -W /usr/lib/x86_64-linux-gnu/libvirt.so.0 | awk '$7 != "UND" && $8 ~ /@@LIBVIRT_[0-9]/ {print $8}' | sort) \
        <(readelf --dyn-syms -W "$so" | awk '$7 != "UND" && $8 ~ /@@LIBVIRT_[0-9]/ {print $8}' | sort))
    run "same name@node pairs as Debian's libvirt.so.0" test -z "$missing"
    nodes=$(readelf -V -W "$so" | grep -o 'Name: LIBVIRT_[0-9][0-9.]*' | sort -u | wc -l)
    run "99 version nodes (got $nodes)" test "$nodes" -eq 99
    run "SONAME libvirt.so.0" sh -c "readelf -d '$so' | grep -q 'SONAME.*\[libvirt.so.0\]'"
    deps=$(readelf -d "$so" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | grep -v -E '^(libc\.so\.6|libgcc_s\.so\.1|ld-linux-x86-64\.so\.2)$')
    run "runtime dependencies are libc and libgcc_s only" test -z "$deps"
    # The header: prototypes, enum values, sizes and offsets identical to libvirt 9.0.0's.
    run "prototypes compatible" python3 "$here/check-prototypes.py"
    gcc -std=gnu11 -Wall -Wextra -Werror -Wno-deprecated-declarations -I"$root/include" \
        "$here/abi-probe.c" -o "$out/abi-probe-oxvirt" &&
    gcc -std=gnu11 -Wall -Wextra -Werror -Wno-deprecated-declarations \
        "$here/abi-probe.c" -o "$out/abi-probe-libvirt"
    run "abi probe: enum values, macros, sizes, offsets" \
        cmp -s <("$out/abi-probe-oxvirt") <("$out/abi-probe-libvirt")
    # Built against Debian's headers and linked against Debian's libvirt, run against both.
    python3 "$here/gen-object-checks.py" > "$out/object-checks.c"
    run "build object-checks against Debian's libvirt" gcc -std=gnu11 -Wall -Wextra -Werror \
        -Wno-deprecated-declarations "$out/object-checks.c" -o "$out/object-checks" -lvirt
    env -u LD_LIBRARY_PATH "$out/object-checks" > "$out/object-checks.real" 2>/dev/null
    "$out/object-checks" > "$out/object-checks.oxvirt" 2>"$out/object-checks.stderr"
    run "binary linked against real libvirt loads oxvirt without version errors" \
        test ! -s "$out/object-checks.stderr"
    run "that binary mapped oxvirt, and Debian's libvirt without LD_LIBRARY_PATH" sh -c \
        "grep -qx 'LIB $(realpath "$lib/libvirt.so.0")' '$out/object-checks.oxvirt' &&
         grep -qx 'LIB /usr/lib/x86_64-linux-gnu/libvirt.so.0.9000.0' '$out/object-checks.real'"
    run "no entry point crashes on NULL or wrong-kind objects" \
        sh -c "! grep -q CRASH '$out/object-checks.oxvirt'"
    # Compare every call libvirt itself survives (it crashes on a few NULL objects).
    cmpres=$(python3 - "$out/object-checks.real" "$out/object-checks.oxvirt" <<'PY'
import sys
def rows(path):
    return dict((l.split(" ", 2)[0] + " " + l.split(" ", 2)[1], l)
                for l in open(path) if not l.startswith("LIB "))
real, ours = rows(sys.argv[1]), rows(sys.argv[2])
bad = [k for k, v in real.items() if "CRASH" not in v and ours.get(k) != v]
print(f"{len(real)} calls compared, {len(bad)} differ")
for k in bad[:20]:
    print("  real:  ", real[k].strip()); print("  oxvirt:", ours.get(k, "-").strip())
sys.exit(1 if bad or len(real) < 900 else 0)
PY
    ) && ok "object checks identical to libvirt 9.0.0 ($cmpres)" || { ko "object checks differ"; echo "$cmpres"; }
    # Differential C programs: identical output against both libraries after the LIB line.
    for src in "$here"/diff-*.c; do
        t=$(basename "$src" .c)
        if ! gcc -std=gnu11 -Wall -Wextra -Werror -Wno-deprecated-declarations "$src" \
                -o "$out/$t" -lvirt; then
            ko "build $t"
            continue
        fi
        env -u LD_LIBRARY_PATH "$out/$t" > "$out/$t.real" 2>&1
        "$out/$t" > "$out/$t.oxvirt" 2>&1
        if grep -qx "LIB $(realpath "$lib/libvirt.so.0")" "$out/$t.oxvirt" &&
           grep -qx 'LIB /usr/lib/x86_64-linux-gnu/libvirt.so.0.9000.0' "$out/$t.real" &&
           cmp -s <(tail -n +2 "$out/$t.real") <(tail -n +2 "$out/$t.oxvirt"); then
            ok "$t identical to libvirt 9.0.0"
        else
            ko "$t differs from libvirt 9.0.0"
            diff "$out/$t.real" "$out/$t.oxvirt" | head -20
        fi
        run "$t against oxvirt (valgrind)" valgrind -q --error-exitcode=99 --leak-check=full \
            --show-leak-kinds=definite,indirect,possible \
            --errors-for-leak-kinds=definite,indirect,possible "$out/$t" >/dev/null
    done
fi

if [ "$mode" = matrix ]; then
    # One forked child per function; see gen-matrix-probe.py and check-matrix.py.
    work=$(mktemp -d /tmp/oxmatrix.XXXXXX)
    python3 "$here/gen-matrix-probe.py" > "$out/matrix-probe.c" &&
        run "build matrix-probe" gcc $CFLAGS "$out/matrix-probe.c" -o "$out/matrix-probe" $LIBS ||
        ko "generate matrix-probe"
    if [ -x "$out/matrix-probe" ]; then
        "$out/matrix-probe" test:///default "$work" > "$out/matrix-test.txt" 2> "$out/matrix-test.stderr"
        run "support matrix, test column" python3 "$here/check-matrix.py" test "$out/matrix-test.txt"
        if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/libvirtd ]; then
            daemon="/tmp/oxmx-$$"
            if sock=$("$root/tests/remote/libvirtd-harness.sh" start "$daemon"); then
                # The daemon's test driver offers no stream: the stream calls use the console
                # of a QEMU guest of the same daemon (it need not boot: the pty is there).
                qemu="qemu+unix:///system?socket=$sock"
                env -u LD_LIBRARY_PATH virsh -q -c "$qemu" create "$root/tests/remote/tiny-guest.xml" \
                    > /dev/null || ko "start the QEMU guest whose console the stream calls use"
                probe() { # probe oxvirt|real [NAME...]
                    local client="$1" c=env; shift
                    [ "$client" = real ] && c="env -u LD_LIBRARY_PATH"
                    $c OXPROBE_STREAM_URI="$qemu" OXPROBE_STREAM_DOMAIN=oxtiny \
                        "$out/matrix-probe" "test+unix:///default?socket=$sock" "$work" "$@" \
                        > "$out/matrix-remote-$client.txt" 2> "$out/matrix-remote-$client.stderr"
                }
                probe oxvirt
                # Debian's client only where oxvirt's NO_SUPPORT contradicts a yes (if none, a
                # call that cannot be one keeps the probe from running everything).
                mapfile -t suspects < <(python3 "$here/check-matrix.py" --suspects remote \
                    "$out/matrix-remote-oxvirt.txt")
                probe real "${suspects[@]:-virGetVersion}"
                "$root/tests/remote/libvirtd-harness.sh" stop "$daemon"
                run "support matrix, remote column" python3 "$here/check-matrix.py" remote \
                    "$out/matrix-remote-oxvirt.txt" "$out/matrix-remote-real.txt"
            else
                ko "start libvirtd for the remote column"
            fi
        else
            echo "SKIP support matrix, remote column (needs root and Debian's libvirtd)"
        fi
    fi
    rm -rf -- "$work"
fi

echo "c-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
