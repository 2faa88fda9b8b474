#!/usr/bin/env bash
# scripts/soak.sh [SECONDS] [THREADS]: the soak test (not part of scripts/test.sh; default 600 s,
# 8 threads). THREADS threads mutate and list every object family the driver serves, with event
# callbacks registered, on test:///default and — as root with Debian's libvirtd — through a real
# daemon's test driver (the project's harness starts it in a private mount namespace). Prints
# the rounds per family, the events heard, and RSS / open fds / threads once warmed up and at the
# end; fails if any of them grew, if a call crashed, hung or gave an unexpected error.
# SOAK_REAL=1 runs the same soak against Debian's libvirt.so.0 afterwards, for comparison.
set -u
cd "$(dirname "$0")/.."
root="$PWD"
secs="${1:-600}"
threads="${2:-8}"
scripts/build.sh > /dev/null || exit 1
mkdir -p c-tests/build
gcc -std=gnu11 -Wall -Wextra -Werror -O1 -g -Iinclude c-tests/soak.c -o c-tests/build/soak \
    -Ltarget/release -lvirt -lpthread || exit 1
uris=("test:///default")
daemon=""
if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/libvirtd ]; then
    daemon=$(mktemp -d /tmp/oxsoak.XXXXXX)
    if sock=$(tests/remote/libvirtd-harness.sh start "$daemon/d"); then
        uris+=("test+unix:///default?socket=$sock")
    else
        echo "soak: could not start libvirtd; test driver only"
        daemon=""
    fi
else
    echo "soak: not root or no libvirtd: the test driver only"
fi
# One malloc arena: glibc gives each busy thread an arena of its own, and how those fragment
# under 8 threads (tens of MiB, bounded by 8 arenas per core) would hide or fake a leak; with
# one, RSS follows what is still allocated.
export MALLOC_ARENA_MAX=1
rc=0
echo "== oxvirt ($root/target/release/libvirt.so.0)"
LD_LIBRARY_PATH="$root/target/release" c-tests/build/soak "$secs" "$threads" "${uris[@]}" || rc=1
if [ "${SOAK_REAL:-0}" = 1 ]; then
    echo "== Debian's libvirt (reference)"
    env -u LD_LIBRARY_PATH c-tests/build/soak "$secs" "$threads" "${uris[@]}" || true
fi
if [ -n "$daemon" ]; then
    tests/remote/libvirtd-harness.sh stop "$daemon/d"
    rm -rf "$daemon"
fi
exit $rc
