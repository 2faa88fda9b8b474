#!/usr/bin/env bash
# Build oxvirt's libvirt.so.0 (SONAME libvirt.so.0), its filters libvirt-qemu.so.0 and
# libvirt-lxc.so.0, and libvirt-admin.so.0 into target/release.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --lib
ln -sf libvirt.so target/release/libvirt.so.0
# The filter libraries of libvirt.so.0 (libs/README.md), under their SONAMEs and the names
# -lvirt-qemu / -lvirt-lxc look for (pkgconfig/libvirt-{qemu,lxc}.pc).
for l in qemu lxc; do
    ln -sf "libvirt_$l.so" "target/release/libvirt-$l.so.0"
    ln -sf "libvirt_$l.so" "target/release/libvirt-$l.so"
done
# admin scope: libvirt-admin.so.0, a library of its own (libs/admin).
ln -sf libvirt_admin.so target/release/libvirt-admin.so.0
ln -sf libvirt_admin.so target/release/libvirt-admin.so
echo "built $(pwd)/target/release/libvirt.so.0"
