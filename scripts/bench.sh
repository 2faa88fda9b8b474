#!/usr/bin/env bash
# All of oxvirt's benchmarks, each running the same workload against Debian's libvirt 9.0.0 and
# oxvirt in one run and printing the ratios:
#   listing  test driver, 10,000 domains: open, list+free, filtered list, count only
#   domstats test driver, 10,000 domains: virConnectGetAllDomainStats, filtered, ListGetStats
#   storage  test driver: listing 10,000 volumes of a pool (ListAllVolumes, legacy names), and
#            opening a node file of 1,000 networks + 1,000 pools
#   console  bytes/s through a test-driver console and 1-byte round trip (oxvirt; libvirt's test
#            driver has no console, a raw pty is the baseline)
#   logging  a hot call with logging off, on for another category, and logged to a file
#   remote   through real libvirtd daemons (root): null call, ListAllDomains of 10,000 domains,
#            GetAllDomainStats of 1,000, 8 threads on one connection, a fleet of 16 daemons
#   volstream sparse download of a 1 GiB volume with holes through a real libvirtd's dir pool
#            (root; run the script under flock /tmp/oxvirt-daemon.lock)
# Usage: scripts/bench.sh [listing|domstats|storage|console|logging|remote|volstream|all]
set -eu
cd "$(dirname "$0")/.."
what="${1:-all}"
scripts/install-deps.sh
scripts/build.sh >/dev/null
if [ "$what" = listing ] || [ "$what" = all ]; then
    echo "=== listing"
    cargo run -q --release --example bench_listing
fi
if [ "$what" = domstats ] || [ "$what" = all ]; then
    echo "=== domstats"
    cargo run -q --release --example bench_domstats
fi
if [ "$what" = storage ] || [ "$what" = all ]; then
    echo "=== storage"
    cargo run -q --release --example bench_storage
fi
if [ "$what" = console ] || [ "$what" = all ]; then
    echo "=== console"
    c-tests/run-console.sh bench
fi
if [ "$what" = logging ] || [ "$what" = all ]; then
    echo "=== logging"
    benches/logging/run.sh
fi
if [ "$what" = remote ] || [ "$what" = all ]; then
    echo "=== remote"
    benches/remote/run.sh
fi
if [ "$what" = volstream ] || [ "$what" = all ]; then
    echo "=== volstream"
    benches/volstream/run.sh
fi
