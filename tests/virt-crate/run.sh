#!/usr/bin/env bash
# Build Rust's `virt` crate against oxvirt with pkg-config, run it, check what it saw.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
PKG_CONFIG_PATH="$root/pkgconfig" cargo build -q --release \
    --manifest-path "$root/tests/virt-crate/Cargo.toml" --target-dir "$root/target/virt-crate"
out=$(LD_LIBRARY_PATH="$root/target/release" "$root/target/virt-crate/release/oxvirt-virt-crate-check" 2>/dev/null)
echo "$out"
want="mapped $(realpath "$root/target/release/libvirt.so.0")"
grep -qxF "$want" <<<"$out" || { echo "virt crate did not load oxvirt"; exit 1; }
grep -qx "domain test 1" <<<"$out" || { echo "virt crate did not list test:///default"; exit 1; }
grep -qx "error Known(InvalidArg) Known(Test) unsupported flags (0x10000) in function testConnectListAllDomains" <<<"$out" \
    || { echo "virt crate saw the wrong error"; exit 1; }
echo "virt crate: ok"
