#!/usr/bin/env bash
# Build oxvirt's libvirt.so.0 (SONAME libvirt.so.0) and its filters libvirt-qemu.so.0 and
# libvirt-lxc.so.0 into target/release.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --lib
ln -sf libvirt.so target/release/libvirt.so.0
# The filter libraries of libvirt.so.0 (libs/README.md), under their SONAMEs.
ln -sf libvirt_qemu.so target/release/libvirt-qemu.so.0
ln -sf libvirt_lxc.so target/release/libvirt-lxc.so.0
echo "built $(pwd)/target/release/libvirt.so.0"
