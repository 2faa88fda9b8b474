#!/usr/bin/env bash
# libvirt-admin.so.0 (libs/admin): ELF facts and header against Debian's, then, against a real
# libvirtd (its admin socket), Debian's own virt-admin run on Debian's libvirt-admin.so.0 and on
# oxvirt's (LD_LIBRARY_PATH naming a directory that holds only oxvirt's libvirt-admin.so.0:
# virt-admin needs Debian's libvirt.so.0 for its private symbols), same output and exit status;
# and c-tests/admin/diff-admin.c, built against Debian's header, run on both libraries (beside
# Debian's libvirt.so.0 and beside oxvirt's). Starts a daemon: run under
# `flock /tmp/oxvirt-daemon.lock`. Needs scripts/build.sh, libvirt-clients, libvirt-dev.
# Usage: tests/admin/run.sh        Last line: "admin: N passed, M failed".
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
lib="$root/target/release"
deb=/usr/lib/x86_64-linux-gnu
out="$root/target/admin-tests"
mkdir -p "$out"
pass=0
fail=0
run() { local name="$1"; shift; if "$@"; then pass=$((pass + 1)); echo "PASS $name"; else fail=$((fail + 1)); echo "FAIL $name"; fi; }
CFLAGS="-std=gnu11 -Wall -Wextra -Werror"
so="$lib/libvirt-admin.so.0"

defined() { readelf --dyn-syms -W "$1" | awk -v p="$2" '$7 != "UND" && $8 ~ "@@" p {print $8}' | sort; }
verdefs() { readelf -V -W "$1" | sed -n '/Version definition/,/Version needs/p' |
        grep -o -E 'Name: LIBVIRT_ADMIN_[0-9.]+' | sort; }

run "libvirt-admin.so.0 built" test -e "$so"
run "libvirt-admin.so.0: SONAME as Debian's" sh -c \
    "readelf -d '$so' | grep -q 'SONAME.*\[libvirt-admin.so.0\]'"
run "libvirt-admin.so.0: public symbols at Debian's nodes" \
    diff <(defined "$deb/libvirt-admin.so.0" 'LIBVIRT_ADMIN_[0-9]') <(defined "$so" 'LIBVIRT_ADMIN_[0-9]')
run "libvirt-admin.so.0: public version nodes as Debian's" \
    diff <(verdefs "$deb/libvirt-admin.so.0") <(verdefs "$so")
# No other versioned definition (in particular none of libvirt.so.0's), nothing needed from
# libvirt.so.0 at link time (Debian's needs LIBVIRT_PRIVATE_9.0.0).
run "libvirt-admin.so.0: defines libvirt-admin's symbols only" sh -c \
    "! readelf --dyn-syms -W '$so' | awk '\$7 != \"UND\" && \$8 ~ \"@@\"' | grep -v '@@LIBVIRT_ADMIN_[0-9]'"
run "libvirt-admin.so.0: needs nothing of libvirt.so.0" sh -c \
    "! readelf -V -W '$so' | grep -E 'File: libvirt|LIBVIRT_PRIVATE' >/dev/null && \
     ! readelf --dyn-syms -W '$so' | awk '\$7 == \"UND\"' | grep -q ' vir'"
run "libvirt-admin.h prototypes = Debian's" sh -c "
    { echo '#include <libvirt/libvirt-admin.h>'
      grep -E '^[a-z].*\(.*\);\$' '$root/include/libvirt/libvirt-admin.h'; } >'$out/proto.c' &&
    gcc $CFLAGS -c '$out/proto.c' -o /dev/null"
names="$(sed -n 's/^ *\(VIR_[A-Z0-9_]*\) *=.*/\1/p; s/^# *define \(VIR_[A-Z0-9_]*\) .*/\1/p' \
    /usr/include/libvirt/libvirt-admin.h | grep -v '^VIR_DEPRECATED\|_H$' | sort -u)"
{
    echo "#include <stdio.h>"
    echo "#include <libvirt/libvirt-admin.h>"
    echo "#define S(x) _Generic((x), char *: \"%s\\n\", const char *: \"%s\\n\", default: \"%d\\n\")"
    echo "int main(void) {"
    for e in $names; do echo "    printf(\"$e=\"); printf(S($e), $e);"; done
    echo "    return 0; }"
} >"$out/names.c"
run "libvirt-admin.h enum values and macros = Debian's" bash -c "
    gcc $CFLAGS -Wno-format-security '$out/names.c' -o '$out/names-deb' &&
    gcc $CFLAGS -Wno-format-security -nostdinc -isystem \$(gcc -print-file-name=include) -I'$root/include' \
        -isystem /usr/include/x86_64-linux-gnu -isystem /usr/include \
        '$out/names.c' -o '$out/names-ox' &&
    diff <('$out/names-deb') <('$out/names-ox')"

# ---- against a real libvirtd
D="/tmp/oxadm-$$"   # short: sun_path holds 108 bytes
"$root/tests/remote/libvirtd-harness.sh" start "$D" >/dev/null 2>"$out/daemon-start.log"
run "real libvirtd started (admin socket)" test -S "$D/libvirt-admin-sock"
U="libvirtd:///system?socket=$D/libvirt-admin-sock"
only="$out/only-admin"
mkdir -p "$only"
ln -sf "$so" "$only/libvirt-admin.so.0"

n=0
va() { # va CMD...: virt-admin on both libraries, output and status compared
    n=$((n + 1))
    env -u LD_LIBRARY_PATH virt-admin -c "$U" "$@" >"$out/va$n.real" 2>&1
    echo "exit $?" >>"$out/va$n.real"
    LD_LIBRARY_PATH="$only" virt-admin -c "$U" "$@" >"$out/va$n.ox" 2>&1
    echo "exit $?" >>"$out/va$n.ox"
    # Client ids and connection times differ between runs: compare their shape.
    sed -i -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\+[0-9]{4}/TIME/g' "$out/va$n.real" "$out/va$n.ox"
    run "virt-admin $*" diff "$out/va$n.real" "$out/va$n.ox"
}
va version
va uri
va server-list
va server-threadpool-info libvirtd
va server-threadpool-info admin
va server-threadpool-info nosuch
va client-list libvirtd
va client-list nosuch
va server-clients-info libvirtd
va server-clients-info admin
va client-info libvirtd 999999
va client-info nosuch 1
va client-disconnect libvirtd 999999
va daemon-log-filters
va daemon-log-outputs
va daemon-log-filters "1:rpc 3:util"
va daemon-log-filters
va daemon-log-filters ""
va daemon-log-filters
va daemon-log-filters "x:nonsense"
va daemon-log-outputs "4:stderr"
va daemon-log-outputs
va daemon-log-outputs "9:nowhere"
va server-threadpool-set libvirtd --min-workers 3 --max-workers 9
va server-threadpool-info libvirtd
va server-threadpool-set libvirtd --min-workers 30 --max-workers 9
va server-threadpool-set libvirtd --min-workers 5 --max-workers 20
va server-clients-set libvirtd --max-clients 100
va server-clients-info libvirtd
va server-clients-set libvirtd --max-clients 5000
va server-update-tls libvirtd
va daemon-timeout --timeout 0
va -c "libvirtd:///system?socket=$D/nosuch-sock" server-list
va -c "libvirtd:///system?foo=bar" server-list
va -c "qemu:///system" server-list
va -c "libvirtd:///nowhere" server-list

# Clients to look at: virsh sessions held open on the read-write socket, one for each library
# to disconnect.
for h in 1 2; do
    rm -f "$out/hold$h"
    mkfifo "$out/hold$h"
    ( virsh -c "test+unix:///default?socket=$D/libvirt-sock" <"$out/hold$h" >/dev/null 2>&1 & )
done
exec 7>"$out/hold1" 8>"$out/hold2"
sleep 1
ids=($(env -u LD_LIBRARY_PATH virt-admin -c "$U" client-list libvirtd | awk '$2 == "unix" {print $1}'))
run "two clients of libvirtd are listed" test "${#ids[@]}" -ge 2
va client-list libvirtd
va client-info libvirtd "${ids[0]}"
# Each library disconnects its own client; the outputs differ by the id alone.
env -u LD_LIBRARY_PATH virt-admin -c "$U" client-disconnect libvirtd "${ids[0]}" >"$out/dc.real" 2>&1
echo "exit $?" >>"$out/dc.real"
LD_LIBRARY_PATH="$only" virt-admin -c "$U" client-disconnect libvirtd "${ids[1]}" >"$out/dc.ox" 2>&1
echo "exit $?" >>"$out/dc.ox"
sed -i "s/'${ids[0]}'/'ID'/" "$out/dc.real"
sed -i "s/'${ids[1]}'/'ID'/" "$out/dc.ox"
run "virt-admin client-disconnect (a client each)" diff "$out/dc.real" "$out/dc.ox"
run "virt-admin client-disconnect: disconnected" grep -q "disconnected" "$out/dc.ox"
va client-info libvirtd "${ids[0]}"
va client-info libvirtd "${ids[1]}"
va client-list libvirtd
exec 7>&- 8>&-

# ---- the C program, built against Debian's header and library
cprog="$root/c-tests/admin/diff-admin.c"
run "build diff-admin (Debian's libvirt-admin)" sh -c \
    "gcc $CFLAGS '$cprog' -o '$out/diff-admin' \$(env PKG_CONFIG_PATH= pkg-config --cflags --libs libvirt-admin libvirt)"
run "build diff-admin (oxvirt's header, -lvirt-admin)" \
    gcc $CFLAGS -I"$root/include" "$cprog" -o "$out/diff-admin-ox" -L"$lib" -lvirt-admin -lvirt
env -u LD_LIBRARY_PATH "$out/diff-admin" "$U" >"$out/c.real" 2>&1
echo "exit $?" >>"$out/c.real"
LD_LIBRARY_PATH="$only" "$out/diff-admin" "$U" >"$out/c.ox" 2>&1
echo "exit $?" >>"$out/c.ox"
LD_LIBRARY_PATH="$lib" "$out/diff-admin" "$U" >"$out/c.oxall" 2>&1
echo "exit $?" >>"$out/c.oxall"
LD_LIBRARY_PATH="$lib" "$out/diff-admin-ox" "$U" >"$out/c.oxbuilt" 2>&1
echo "exit $?" >>"$out/c.oxbuilt"
run "diff-admin: reference ran" grep -q '^exit 0$' "$out/c.real"
run "diff-admin on oxvirt's libvirt-admin + Debian's libvirt = Debian's" diff "$out/c.real" "$out/c.ox"
# Beside oxvirt's libvirt.so.0 the error handlers are not called (libs/README.md): the handler
# line is left out of those two comparisons.
nohandler() { grep -v '^handler calls=' "$1"; }
run "diff-admin: the reference's handler saw errors" grep -q '^handler calls=[1-9]' "$out/c.real"
run "diff-admin on oxvirt's libvirt-admin + oxvirt's libvirt = Debian's" \
    diff <(nohandler "$out/c.real") <(nohandler "$out/c.oxall")
run "diff-admin built on oxvirt's = Debian's" diff <(nohandler "$out/c.real") <(nohandler "$out/c.oxbuilt")

"$root/tests/remote/libvirtd-harness.sh" stop "$D" >/dev/null 2>&1

# ---- the close callback, when the daemon goes away (a daemon per library)
run "build close-cb" sh -c \
    "gcc $CFLAGS '$root/c-tests/admin/close-cb.c' -o '$out/close-cb' \$(env PKG_CONFIG_PATH= pkg-config --cflags --libs libvirt-admin libvirt)"
for l in real ox; do
    "$root/tests/remote/libvirtd-harness.sh" start "$D" >/dev/null 2>>"$out/daemon-start.log"
    stop="'$root/tests/remote/libvirtd-harness.sh' stop '$D' >/dev/null 2>&1"
    if [ $l = real ]; then
        env -u LD_LIBRARY_PATH timeout 60 "$out/close-cb" "$U" "$stop" >"$out/cb.$l" 2>&1
    else
        LD_LIBRARY_PATH="$only" timeout 60 "$out/close-cb" "$U" "$stop" >"$out/cb.$l" 2>&1
    fi
    echo "exit $?" >>"$out/cb.$l"
    "$root/tests/remote/libvirtd-harness.sh" stop "$D" >/dev/null 2>&1
done
run "close-cb: reference saw the callback" grep -q 'reason=1 freed=1 alive=0' "$out/cb.real"
run "close-cb on oxvirt's libvirt-admin = Debian's" diff "$out/cb.real" "$out/cb.ox"
echo "admin: $pass passed, $fail failed"
[ "$fail" = 0 ]
