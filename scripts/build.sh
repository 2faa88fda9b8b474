#!/usr/bin/env bash
# Build oxvirt's libvirt.so.0 into target/release (SONAME libvirt.so.0).
set -eu
cd "$(dirname "$0")/.."
cargo build --release --lib
ln -sf libvirt.so target/release/libvirt.so.0
echo "built $(pwd)/target/release/libvirt.so.0"
