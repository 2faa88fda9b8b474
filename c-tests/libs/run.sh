#!/usr/bin/env bash
# libvirt-qemu.so.0 and libvirt-lxc.so.0 (libs/README.md): ELF facts against Debian's libraries,
# the headers against Debian's, and the differential program diff-libs.c on test:///default,
# built against Debian's libvirt and against oxvirt's, and Debian's build run on oxvirt's
# libraries (the drop-in case). Needs scripts/build.sh and Debian's libvirt-dev.
# Usage: c-tests/libs/run.sh        Last line: "libs: N passed, M failed".
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
lib="$root/target/release"
out="$root/c-tests/build/libs"
deb=/usr/lib/x86_64-linux-gnu
mkdir -p "$out"
pass=0
fail=0
run() { local name="$1"; shift; if "$@"; then pass=$((pass + 1)); echo "PASS $name"; else fail=$((fail + 1)); echo "FAIL $name"; fi; }
CFLAGS="-std=gnu11 -Wall -Wextra -Werror"

defined() { # the versioned public symbols a library defines: NAME@@NODE, sorted
    readelf --dyn-syms -W "$1" | awk -v p="$2" '$7 != "UND" && $8 ~ "@@" p {print $8}' | sort
}
verdefs() { # the version definitions, the BASE entry (file name) left out. Their parent links
    # are not compared: lld writes none (glibc's lookup never reads them).
    readelf -V -W "$1" | sed -n '/Version definition/,/Version needs/p' |
        grep -o -E 'Name: LIBVIRT_[A-Z_0-9.]+' | sort
}

for l in qemu lxc; do
    so="$lib/libvirt-$l.so.0"
    P="LIBVIRT_${l^^}_"
    run "libvirt-$l.so.0 built" test -e "$so"
    run "libvirt-$l.so.0: SONAME as Debian's" sh -c \
        "readelf -d '$so' | grep -q 'SONAME.*\[libvirt-$l.so.0\]'"
    run "libvirt-$l.so.0: public symbols at Debian's nodes" \
        diff <(defined "$deb/libvirt-$l.so.0" "$P") <(defined "$so" "$P")
    run "libvirt-$l.so.0: version nodes as Debian's" \
        diff <(verdefs "$deb/libvirt-$l.so.0") <(verdefs "$so")
    run "libvirt-$l.so.0: a filter of libvirt.so.0" sh -c \
        "readelf -d '$so' | grep -q 'FILTER.*\[libvirt.so.0\]'"
    # Nothing from libvirt.so.0 at all (Debian's need LIBVIRT_PRIVATE_9.0.0 from it).
    run "libvirt-$l.so.0: needs nothing of libvirt.so.0" sh -c \
        "! readelf -V -W '$so' | grep -E 'File: libvirt|LIBVIRT_PRIVATE' >/dev/null && \
         ! readelf --dyn-syms -W '$so' | awk '\$7 == \"UND\"' | grep -q ' vir'"
    run "libvirt.so.0 holds libvirt-$l's symbols at the same nodes" \
        diff <(defined "$deb/libvirt-$l.so.0" "$P") <(defined "$lib/libvirt.so.0" "$P")
    # Every prototype of our header, redeclared after Debian's: a different type is an error.
    run "libvirt-$l.h prototypes = Debian's" sh -c "
        { echo '#include <libvirt/libvirt-$l.h>'
          grep -E '^[a-z].*\(.*\);\$' '$root/include/libvirt/libvirt-$l.h'; } >'$out/proto-$l.c' &&
        gcc $CFLAGS -c '$out/proto-$l.c' -o /dev/null"
    # Every enumerator of Debian's header has the same value in ours.
    enums="$(sed -n 's/^ *\(VIR_[A-Z0-9_]*\) *=.*/\1/p' /usr/include/libvirt/libvirt-$l.h)"
    {
        echo "#include <stdio.h>"
        echo "#include <libvirt/libvirt-$l.h>"
        echo "int main(void) {"
        for e in $enums; do echo "    printf(\"$e=%d\\n\", (int)$e);"; done
        echo "    return 0; }"
    } >"$out/enums-$l.c"
    run "libvirt-$l.h enum values = Debian's" bash -c "
        gcc $CFLAGS '$out/enums-$l.c' -o '$out/enums-$l-deb' &&
        gcc $CFLAGS -nostdinc -isystem \$(gcc -print-file-name=include) -I'$root/include' \
            -isystem /usr/include/x86_64-linux-gnu -isystem /usr/include \
            '$out/enums-$l.c' -o '$out/enums-$l-ox' &&
        diff <('$out/enums-$l-deb') <('$out/enums-$l-ox')"
done

# The differential program: Debian's build on Debian's libraries is the reference.
run "build diff-libs (Debian's libvirt)" sh -c \
    "env PKG_CONFIG_PATH= gcc $CFLAGS '$here/diff-libs.c' -o '$out/diff-libs-deb' \
        \$(env PKG_CONFIG_PATH= pkg-config --cflags --libs libvirt libvirt-qemu libvirt-lxc)"
run "build diff-libs (oxvirt, -lvirt-qemu -lvirt-lxc)" \
    gcc $CFLAGS -I"$root/include" "$here/diff-libs.c" -o "$out/diff-libs-ox" \
        -L"$lib" -lvirt-qemu -lvirt-lxc -lvirt
env -u LD_LIBRARY_PATH "$out/diff-libs-deb" >"$out/real.out" 2>&1
LD_LIBRARY_PATH="$lib" "$out/diff-libs-ox" >"$out/ox.out" 2>&1
LD_LIBRARY_PATH="$lib" "$out/diff-libs-deb" >"$out/dropin.out" 2>&1
run "diff-libs: reference ran" test -s "$out/real.out"
run "diff-libs built on oxvirt = Debian's" diff "$out/real.out" "$out/ox.out"
run "diff-libs built on Debian's, run on oxvirt = Debian's" diff "$out/real.out" "$out/dropin.out"
# The drop-in run really mapped oxvirt's three libraries.
run "drop-in run maps oxvirt's libraries" sh -c "
    LD_LIBRARY_PATH='$lib' ldd '$out/diff-libs-deb' >'$out/ldd.out' &&
    grep -q 'libvirt.so.0 => $lib/' '$out/ldd.out' &&
    grep -q 'libvirt-qemu.so.0 => $lib/' '$out/ldd.out' &&
    grep -q 'libvirt-lxc.so.0 => $lib/' '$out/ldd.out'"

echo "libs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
