#!/bin/bash
# Benchmark: the real libvirt client vs oxvirt, side by side, against real libvirtd 9.0.0 daemons
# (their test driver, node XML files):
#   - a null call round trip (virConnectGetLibVersion, one RPC);
#   - virConnectListAllDomains of 10,000 domains;
#   - bulk stats: virConnectGetAllDomainStats of 1,000 domains (each with a disk and a NIC);
#   - 8 threads making null calls on one connection (throughput);
#   - a fleet: one process listing all domains on 16 daemons at once (total time against one
#     daemon alone; resident memory per connection).
# Prints each result and the ratio oxvirt/real (below 1.0 = oxvirt faster, or smaller; for
# throughput, above 1.0 = oxvirt faster).
# Needs root, gcc, libvirt-dev, libvirt-daemon, libvirt-clients; builds oxvirt in release mode.
# usage: benches/remote/run.sh [NULL_CALLS] [LIST_ROUNDS] [DOMAINS]
#        (FLEET=16 STATS_DOMAINS=1000 THREADS=8 THREAD_CALLS=5000 in the environment)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CALLS=${1:-20000}
ROUNDS=${2:-20}
NDOM=${3:-10000}
FLEET=${FLEET:-16}
STATS_DOMAINS=${STATS_DOMAINS:-1000}
THREADS=${THREADS:-8}
THREAD_CALLS=${THREAD_CALLS:-5000}
WORK=$(mktemp -d /tmp/oxbench.XXXXXX)
cleanup() {
  for d in "$WORK"/d "$WORK"/f*; do
    [ -d "$d" ] && "$ROOT/tests/remote/libvirtd-harness.sh" stop "$d" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

(cd "$ROOT" && cargo build --release -q && ln -sf libvirt.so target/release/libvirt.so.0)
gcc -O2 -Wall -Wextra -Werror -pthread -o "$WORK/bench" "$ROOT/benches/remote/bench.c" -lvirt

# Two node files: NDOM bare domains for listing, STATS_DOMAINS with a disk and a NIC each.
python3 - "$WORK" "$NDOM" "$STATS_DOMAINS" <<'PY'
import sys
work, n_list, n_stats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def devices(i):
    return ("<vcpu>2</vcpu><os><type>hvm</type></os><devices>"
            f"<disk type='file' device='disk'><source file='/img/{i}.img'/>"
            "<target dev='vda' bus='virtio'/></disk>"
            f"<interface type='network'><mac address='52:54:00:{i >> 16 & 255:02x}:"
            f"{i >> 8 & 255:02x}:{i & 255:02x}'/><source network='default'/>"
            "<target dev='vnet0'/></interface></devices>")
for name, n, prefix, uuid, body in (
        ("node.xml", n_list, "bench", "0b0b0b0b", lambda i: "<os><type>hvm</type></os>"),
        ("stats.xml", n_stats, "stats", "0c0c0c0c", devices)):
    with open(f"{work}/{name}", "w") as f:
        f.write("<node><cpu><mhz>2000</mhz><model>x</model><active>4</active><max>4</max>"
                "</cpu><memory>8388608</memory>\n")
        for i in range(n):
            f.write(f"<domain type='test'><name>{prefix}{i:05d}</name>"
                    f"<uuid>{uuid}-0000-4000-8000-{i:012x}</uuid><memory>65536</memory>"
                    f"{body(i)}</domain>\n")
        f.write("</node>\n")
PY
SOCK=$("$ROOT/tests/remote/libvirtd-harness.sh" start "$WORK/d")
URI="test+unix://$WORK/node.xml?socket=$SOCK"
STATS_URI="test+unix://$WORK/stats.xml?socket=$SOCK"
FLEET_URIS=("$STATS_URI")
for i in $(seq 2 "$FLEET"); do
  s=$("$ROOT/tests/remote/libvirtd-harness.sh" start "$WORK/f$i")
  FLEET_URIS+=("test+unix://$WORK/stats.xml?socket=$s")
done

with_lib() {  # with_lib real|oxvirt ARGS...: the bench client on that library
  local lib=$1
  shift
  if [ "$lib" = oxvirt ]; then
    LD_LIBRARY_PATH="$ROOT/target/release" "$WORK/bench" "$@"
  else
    env -u LD_LIBRARY_PATH "$WORK/bench" "$@"
  fi
}
run() { with_lib "$1" "$URI" "$CALLS" "$ROUNDS"; }
# Make sure each run really loaded the library it claims to.
real_lib=$(env -u LD_LIBRARY_PATH ldd "$WORK/bench" | awk '/libvirt.so.0/{print $3}')
ox_lib=$(LD_LIBRARY_PATH="$ROOT/target/release" ldd "$WORK/bench" | awk '/libvirt.so.0/{print $3}')
[ "$(realpath "$real_lib")" != "$(realpath "$ox_lib")" ] || { echo "both runs would load $real_lib" >&2; exit 1; }
echo "real libvirt: $real_lib"
echo "oxvirt:       $ox_lib"
echo "daemon: $(libvirtd --version), $NDOM domains, $CALLS null calls, $ROUNDS list rounds"

best() {  # best null_us and list_ms over 3 alternating runs
  local lib=$1 i out bn= bl= n
  for i in 1 2 3; do
    out=$(run "$lib")
    n=$(sed 's/.*null_us=\([0-9.]*\).*/\1/' <<<"$out")
    l=$(sed 's/.*list_ms=\([0-9.]*\).*/\1/' <<<"$out")
    cnt=$(sed 's/.*n=\([0-9]*\).*/\1/' <<<"$out")
    [ "$cnt" = "$NDOM" ] || { echo "$lib listed $cnt domains, want $NDOM" >&2; exit 1; }
    if [ -z "$bn" ] || awk -v a="$n" -v b="$bn" 'BEGIN{exit !(a<b)}'; then bn=$n; fi
    if [ -z "$bl" ] || awk -v a="$l" -v b="$bl" 'BEGIN{exit !(a<b)}'; then bl=$l; fi
  done
  echo "$bn $bl"
}
read -r rn rl < <(best real)
read -r on ol < <(best oxvirt)
printf "%-34s %12s %12s %8s\n" "" "real" "oxvirt" "ratio"
printf "%-34s %12s %12s %8.2f\n" "null call round trip (us)" "$rn" "$on" "$(awk -v a="$on" -v b="$rn" 'BEGIN{print a/b}')"
printf "%-34s %12s %12s %8.2f\n" "ListAllDomains of $NDOM (ms)" "$rl" "$ol" "$(awk -v a="$ol" -v b="$rl" 'BEGIN{print a/b}')"

field() { sed "s/.*$1=\([0-9.]*\).*/\1/" <<<"$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
row() { printf "%-34s %12s %12s %8s\n" "$1" "$2" "$3" "$(ratio "$3" "$2")"; }

# Bulk stats: best of 5 rounds, each library twice, alternating.
lower() { if [ -z "$1" ] || awk -v a="$2" -v b="$1" 'BEGIN{exit !(a<b)}'; then echo "$2"; else echo "$1"; fi; }
sr= ; so=
for i in 1 2; do
  for lib in real oxvirt; do
    out=$(with_lib "$lib" stats "$STATS_URI" 5)
    [ "$(field n "$out")" = "$STATS_DOMAINS" ] || { echo "$lib: stats of $out" >&2; exit 1; }
    if [ "$lib" = real ]; then f_real=$(field fields "$out"); sr=$(lower "$sr" "$(field stats_ms "$out")")
    else f_ox=$(field fields "$out"); so=$(lower "$so" "$(field stats_ms "$out")"); fi
  done
done
[ "$f_real" = "$f_ox" ] || { echo "stats: real gave $f_real fields, oxvirt $f_ox" >&2; exit 1; }
row "GetAllDomainStats of $STATS_DOMAINS (ms)" "$sr" "$so"

# Threads on one connection: calls per second (higher is better: ratio above 1 = oxvirt faster).
best_tp() {
  local lib=$1 b= i out v
  for i in 1 2 3; do
    out=$(with_lib "$lib" threads "$URI" "$THREADS" "$THREAD_CALLS")
    v=$(field calls_per_s "$out")
    if [ -z "$b" ] || awk -v a="$v" -v b="$b" 'BEGIN{exit !(a>b)}'; then b=$v; fi
  done
  echo "$b"
}
tr=$(best_tp real)
to=$(best_tp oxvirt)
printf "%-34s %12s %12s %8s\n" "$THREADS threads, one conn (calls/s)" "$tr" "$to" "$(ratio "$to" "$tr")"

# The fleet: all domains of $FLEET daemons at once, against one daemon alone.
fr=$(with_lib real fleet 5 "${FLEET_URIS[@]}")
fo=$(with_lib oxvirt fleet 5 "${FLEET_URIS[@]}")
for out in "$fr" "$fo"; do
  [ "$(field n "$out")" = "$((FLEET * STATS_DOMAINS))" ] || { echo "fleet: $out" >&2; exit 1; }
done
row "fleet: $FLEET daemons at once (ms)" "$(field fleet_ms "$fr")" "$(field fleet_ms "$fo")"
row "fleet: one daemon alone (ms)" "$(field one_ms "$fr")" "$(field one_ms "$fo")"
row "fleet: memory per connection (KiB)" "$(field kb_per_conn "$fr")" "$(field kb_per_conn "$fo")"
