#!/bin/bash
# Benchmark: the real libvirt client vs oxvirt, side by side, against real libvirtd 9.0.0 daemons
# (their test driver): a null call round trip (virConnectGetLibVersion, one RPC) and
# virConnectListAllDomains of 10,000 domains (a node XML file served by the daemon's test driver).
# Prints each result and the ratio oxvirt/real (below 1.0 = oxvirt faster).
# Needs root, gcc, libvirt-dev, libvirt-daemon, libvirt-clients; builds oxvirt in release mode.
# usage: benches/remote/run.sh [NULL_CALLS] [LIST_ROUNDS] [DOMAINS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CALLS=${1:-20000}
ROUNDS=${2:-20}
NDOM=${3:-10000}
WORK=$(mktemp -d /tmp/oxbench.XXXXXX)
trap '"$ROOT/tests/remote/libvirtd-harness.sh" stop "$WORK/d" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

(cd "$ROOT" && cargo build --release -q && ln -sf libvirt.so target/release/libvirt.so.0)
gcc -O2 -o "$WORK/bench" "$ROOT/benches/remote/bench.c" -lvirt

python3 - "$WORK/node.xml" "$NDOM" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("<node><cpu><mhz>2000</mhz><model>x</model><active>4</active><max>4</max>"
            "</cpu><memory>8388608</memory>\n")
    for i in range(n):
        f.write(f"<domain type='test'><name>bench{i:05d}</name>"
                f"<uuid>0b0b0b0b-0000-4000-8000-{i:012x}</uuid><memory>65536</memory>"
                "<os><type>hvm</type></os></domain>\n")
    f.write("</node>\n")
PY
SOCK=$("$ROOT/tests/remote/libvirtd-harness.sh" start "$WORK/d")
URI="test+unix://$WORK/node.xml?socket=$SOCK"

run() {  # run real|oxvirt
  if [ "$1" = oxvirt ]; then
    LD_LIBRARY_PATH="$ROOT/target/release" "$WORK/bench" "$URI" "$CALLS" "$ROUNDS"
  else
    env -u LD_LIBRARY_PATH "$WORK/bench" "$URI" "$CALLS" "$ROUNDS"
  fi
}
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
