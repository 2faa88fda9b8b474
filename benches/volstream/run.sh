#!/bin/bash
# Benchmark: sparse volume download through a real libvirtd's storage driver (a dir pool), the
# real libvirt client vs oxvirt: a SIZE_MIB volume (1 MiB of data every 16 MiB, the rest holes)
# downloaded with VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM through virStreamSparseRecvAll, best
# of ROUNDS, alternating clients three times. Prints the times, the logical throughput and the
# ratio oxvirt/real (below 1.0 = oxvirt faster). Needs root, gcc, libvirt-dev, libvirt-daemon;
# wrap in flock /tmp/oxvirt-daemon.lock.
# usage: benches/volstream/run.sh [SIZE_MIB] [ROUNDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIZE=${1:-1024}
ROUNDS=${2:-3}
WORK=$(mktemp -d /tmp/oxbench-vol.XXXXXX)
trap '"$ROOT/tests/remote/libvirtd-harness.sh" stop "$WORK/d" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

(cd "$ROOT" && cargo build --release -q && ln -sf libvirt.so target/release/libvirt.so.0)
gcc -O2 -o "$WORK/bench" "$ROOT/benches/volstream/bench.c" -lvirt
SOCK=$("$ROOT/tests/remote/libvirtd-harness.sh" start "$WORK/d")
URI="qemu+unix:///system?socket=$SOCK"
POOL="$WORK/d/pool"

run() {  # run real|oxvirt
  if [ "$1" = oxvirt ]; then
    LD_LIBRARY_PATH="$ROOT/target/release" "$WORK/bench" "$URI" "$POOL" "$SIZE" "$ROUNDS"
  else
    env -u LD_LIBRARY_PATH "$WORK/bench" "$URI" "$POOL" "$SIZE" "$ROUNDS"
  fi
}
real_lib=$(env -u LD_LIBRARY_PATH ldd "$WORK/bench" | awk '/libvirt.so.0/{print $3}')
ox_lib=$(LD_LIBRARY_PATH="$ROOT/target/release" ldd "$WORK/bench" | awk '/libvirt.so.0/{print $3}')
[ "$(realpath "$real_lib")" != "$(realpath "$ox_lib")" ] || { echo "both runs would load $real_lib" >&2; exit 1; }
echo "daemon: $(libvirtd --version), volume $SIZE MiB (1 MiB data every 16 MiB), best of $ROUNDS x 3"
best() {
  local lib=$1 i out b= t
  for i in 1 2 3; do
    out=$(run "$lib")
    t=$(sed 's/.*ms=\([0-9.]*\).*/\1/' <<<"$out")
    if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN{exit !(a<b)}'; then b=$t; fi
  done
  echo "$b $out"
}
read -r rt rout < <(best real)
read -r ot oout < <(best oxvirt)
echo "real (last run):   $rout"
echo "oxvirt (last run): $oout"
printf "%-34s %12s %12s %8s\n" "" "real" "oxvirt" "ratio"
printf "%-34s %12s %12s %8.2f\n" "sparse download (ms)" "$rt" "$ot" "$(awk -v a="$ot" -v b="$rt" 'BEGIN{print a/b}')"
printf "%-34s %12.0f %12.0f\n" "logical throughput (MiB/s)" "$(awk -v s="$SIZE" -v t="$rt" 'BEGIN{print s*1000/t}')" "$(awk -v s="$SIZE" -v t="$ot" 'BEGIN{print s*1000/t}')"
