#!/usr/bin/env bash
# Cost of logging on a hot call (virConnectNumOfDomains on test:///default): oxvirt with logging
# off, with debug enabled for another category only (LIBVIRT_LOG_FILTERS=1:rpc), and with every
# call logged to a file; Debian's libvirt off and logging to a file for comparison. Ratios are
# against oxvirt with logging off. The best of 3 runs each.
set -eu
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -std=gnu11 -Wall -Wextra -Werror benches/logging/bench.c -o "$tmp/bench" -I include -L target/release -lvirt
ours="$PWD/target/release"
real=/usr/lib/x86_64-linux-gnu
best() { # LIB N ENV...
    local lib="$1" n="$2"
    shift 2
    local b=""
    for _ in 1 2 3; do
        rm -f "$tmp/log"
        local t
        t="$(env LD_LIBRARY_PATH="$lib" "$@" "$tmp/bench" "$n" 2>/dev/null)"
        if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b="$t"; fi
    done
    echo "$b"
}
n=300000
off="$(best "$ours" $n)"
other="$(best "$ours" $n LIBVIRT_LOG_FILTERS=1:rpc)"
file="$(best "$ours" 50000 LIBVIRT_LOG_FILTERS=1:libvirt LIBVIRT_LOG_OUTPUTS="1:file:$tmp/log")"
roff="$(best "$real" 100000)"
rfile="$(best "$real" 20000 LIBVIRT_LOG_FILTERS=1:libvirt LIBVIRT_LOG_OUTPUTS="1:file:$tmp/log")"
ratio() { awk -v a="$1" -v b="$off" 'BEGIN { printf "%.2fx", a / b }'; }
printf '%-52s %10s %8s\n' "virConnectNumOfDomains, ns per call" "ns" "vs off"
printf '%-52s %10s %8s\n' "oxvirt, logging off" "$off" "1.00x"
printf '%-52s %10s %8s\n' "oxvirt, debug on for another category (1:rpc)" "$other" "$(ratio "$other")"
printf '%-52s %10s %8s\n' "oxvirt, every call logged to a file" "$file" "$(ratio "$file")"
printf '%-52s %10s %8s\n' "libvirt 9.0.0, logging off" "$roff" "$(ratio "$roff")"
printf '%-52s %10s %8s\n' "libvirt 9.0.0, every call logged to a file" "$rfile" "$(ratio "$rfile")"
