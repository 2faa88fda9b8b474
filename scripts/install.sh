#!/usr/bin/env bash
# Install oxvirt into a prefix the way libvirt is installed, so that programs build against it
# with pkg-config, dynamically or statically:
#   PREFIX/lib/libvirt.so.0.9000.0, libvirt.so.0 and libvirt.so (links), libvirt.a
#   PREFIX/include/libvirt/*.h
#   PREFIX/lib/pkgconfig/libvirt.pc (installed paths; Libs.private for `pkg-config --static`)
# Usage: scripts/install.sh [PREFIX]    (default /usr/local; DESTDIR is honoured, as by make)
# Set OXVIRT_NO_BUILD=1 to install what target/release holds without running scripts/build.sh.
#
# The static archive: cargo's libvirt.a holds each export under its private name oxvirt_NAME
# (see build.rs); the installed archive has them renamed to the public NAME with
# `objcopy --redefine-syms`, the list generated from the library's fact table. The shared
# library is installed exactly as built.
set -eu
cd "$(dirname "$0")/.."
root="$PWD"
PREFIX="${1:-/usr/local}"
DESTDIR="${DESTDIR:-}"
case "$PREFIX" in
    /*) ;;
    *) echo "install.sh: PREFIX must be an absolute path, not '$PREFIX'" >&2; exit 2 ;;
esac
PREFIX="${PREFIX%/}"
libdir="$PREFIX/lib"
includedir="$PREFIX/include"
pcdir="$libdir/pkgconfig"
version=9.0.0
# libvirt's own file name for 9.0.0: libvirt.so.0.9000.0
soversion="0.$((9 * 1000 + 0)).0"

# The libraries, one a line: installed name, cargo artifact stem in target/release, the fact
# table whose `func` rows are the archive's public names, the pkg-config Requires. A library
# whose artifact is not built is skipped, so adding libvirt-qemu, -lxc or -admin is one line.
LIBRARIES=(
    "libvirt        libvirt        abi/libvirt-9.0.0.tsv        -"
    "libvirt-qemu   libvirt_qemu   abi/libvirt-qemu-9.0.0.tsv   libvirt"
    "libvirt-lxc    libvirt_lxc    abi/libvirt-lxc-9.0.0.tsv    libvirt"
    "libvirt-admin  libvirt_admin  abi/libvirt-admin-9.0.0.tsv  -"
)
# libs scope: libvirt-qemu and libvirt-lxc are ELF filters of libvirt.so.0 (libs/README.md):
# their functions are in libvirt.so.0 and libvirt.a, whose public names include theirs.
declare -A FILTERS=([libvirt-qemu]=1 [libvirt-lxc]=1)
declare -A EXTRA_FACTS=([libvirt]="abi/libvirt-qemu-9.0.0.tsv abi/libvirt-lxc-9.0.0.tsv")
# What a static link of a Rust staticlib needs from the C library (rustc's native-static-libs
# minus -lc, which the compiler adds, and -lgcc_s, which has no static form: gcc links its
# static unwinder itself with -static and libgcc_s otherwise).
LIBS_PRIVATE="-lpthread -ldl -lrt -lutil -lm"

if [ "${OXVIRT_NO_BUILD:-}" != 1 ]; then
    scripts/build.sh >/dev/null
fi
command -v objcopy >/dev/null || { echo "install.sh: objcopy (binutils) is needed" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
install -d "$DESTDIR$libdir" "$DESTDIR$pcdir" "$DESTDIR$includedir/libvirt"
install -m 644 "$root"/include/libvirt/*.h "$DESTDIR$includedir/libvirt/"
# ---- (suites) the API descriptions the .pc files name (tools/gen-api-xml.py)
install -d "$DESTDIR$PREFIX/share/libvirt/api"
install -m 644 "$root"/share/libvirt/api/*.xml "$DESTDIR$PREFIX/share/libvirt/api/"

installed=0
for row in "${LIBRARIES[@]}"; do
    read -r name stem facts requires <<<"$row"
    so="$root/target/release/$stem.so"
    ar="$root/target/release/$stem.a"
    if [ ! -f "$so" ]; then
        continue
    fi
    [ -f "$facts" ] || { echo "install.sh: $facts missing" >&2; exit 1; }

    install -m 755 "$so" "$DESTDIR$libdir/$name.so.$soversion"
    ln -sfn "$name.so.$soversion" "$DESTDIR$libdir/$name.so.0"
    ln -sfn "$name.so.0" "$DESTDIR$libdir/$name.so"

    if [ "${FILTERS[$name]:-}" = 1 ]; then
        # A filter of libvirt.so.0 (libs/README.md): libvirt.a holds its functions, under
        # their public names; its own archive is empty, so that `-lvirt-qemu -lvirt` links.
        rm -f "$tmp/$name.a"
        ar rcs "$tmp/$name.a"
        install -m 644 "$tmp/$name.a" "$DESTDIR$libdir/$name.a"
    else
    [ -f "$ar" ] || { echo "install.sh: $ar missing (crate-type staticlib)" >&2; exit 1; }
    cat "$facts" ${EXTRA_FACTS[$name]:-} |
        awk -F'\t' '$1 == "func" { print "oxvirt_" $2 " " $2 }' >"$tmp/$name.redefine"
    objcopy --redefine-syms="$tmp/$name.redefine" "$ar" "$tmp/$name.a"
    # Every public function must now be defined under its public name, none left private.
    nm --defined-only "$tmp/$name.a" 2>/dev/null | awk '$2 == "T" { print $3 }' | sort -u >"$tmp/$name.defined"
    missing="$(cut -d' ' -f2 "$tmp/$name.redefine" | sort -u | comm -23 - "$tmp/$name.defined")"
    if [ -n "$missing" ]; then
        echo "install.sh: $name.a lacks public symbols: $(echo "$missing" | head -5 | tr '\n' ' ')" >&2
        exit 1
    fi
    install -m 644 "$tmp/$name.a" "$DESTDIR$libdir/$name.a"
    fi

    req=""
    [ "$requires" = - ] || req="$requires"
    {
        echo "prefix=$PREFIX"
        echo 'exec_prefix=${prefix}'
        echo 'libdir=${exec_prefix}/lib'
        echo 'includedir=${prefix}/include'
        # ---- (suites) the API descriptions (share/libvirt/api), named as libvirt's .pc name them
        echo 'datadir=${prefix}/share'
        for a in "$name" $( [ "$name" = libvirt ] && echo libvirt-qemu libvirt-lxc ); do
            echo "$(tr - _ <<<"$a")_api=\${datadir}/libvirt/api/$a-api.xml"
        done
        echo
        echo "Name: $name"
        echo "Version: $version"
        echo "Description: $name library (oxvirt, a pure-Rust drop-in)"
        echo "Requires: $req"
        echo "Libs: -L\${libdir} -l${name#lib}"
        echo "Libs.private: $LIBS_PRIVATE"
        echo 'Cflags: -I${includedir}'
    } >"$tmp/$name.pc"
    install -m 644 "$tmp/$name.pc" "$DESTDIR$pcdir/$name.pc"
    echo "installed $name into $DESTDIR$PREFIX"
    installed=$((installed + 1))
done
[ "$installed" -gt 0 ] || { echo "install.sh: nothing built in target/release" >&2; exit 1; }
