#!/usr/bin/env bash
# Install oxvirt into a temporary prefix (scripts/install.sh) and build programs against it with
# pkg-config, as a user would:
#   c    the layout under DESTDIR; a C program linked dynamically (it must map the installed
#        libvirt.so.0) and with `gcc -static $(pkg-config --static ...)`, run where no libvirt is
#        reachable. Each must print what the same program prints built against Debian's libvirt.
#   go   a Go program using Debian's libvirt-go bindings (cgo), built with
#        -ldflags '-linkmode external -extldflags "-static"' and run, both where no libvirt is
#        reachable; its output must match the C program's against Debian's libvirt.
# "No libvirt reachable": a private mount namespace in which Debian's libvirt*.so*, its .pc files
# and /usr/include/libvirt are hidden (root; without it the step fails rather than pretend).
# Usage: tests/install/run.sh [c|go|all]
set -eu
cd "$(dirname "$0")/../.."
root="$PWD"
what="${1:-all}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
cflags=(-std=gnu11 -Wall -Wextra -Werror)

fail() { echo "FAIL: $*" >&2; exit 1; }

# Run "$@" in a mount namespace where Debian's libvirt cannot be found or loaded.
without_libvirt() {
    unshare -m sh -eu -c '
        for f in /usr/lib/x86_64-linux-gnu/libvirt*.so* /usr/lib/x86_64-linux-gnu/pkgconfig/libvirt*.pc \
                 /usr/share/pkgconfig/libvirt*.pc; do
            [ -e "$f" ] && mount --bind /dev/null "$f"
        done
        [ -d /usr/include/libvirt ] && mount -t tmpfs tmpfs /usr/include/libvirt
        # Proof the hiding works: the real libvirt no longer loads.
        if /usr/bin/python3 -c "import libvirt" 2>/dev/null; then
            echo "Debian libvirt still loadable" >&2; exit 1
        fi
        exec "$@"' sh "$@"
}

scripts/build.sh >/dev/null
OXVIRT_NO_BUILD=1 scripts/install.sh "$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --exists libvirt || fail "pkg-config does not find the installed libvirt.pc"
[ "$(pkg-config --variable=libdir libvirt)" = "$prefix/lib" ] || fail "libdir in libvirt.pc"

# The reference: the same C program against Debian's libvirt 9.0.0.
gcc "${cflags[@]}" tests/install/prog.c -o "$tmp/prog-libvirt" \
    $(PKG_CONFIG_PATH= pkg-config --cflags --libs libvirt)
"$tmp/prog-libvirt" >"$tmp/expected" 2>/dev/null || fail "reference program against Debian's libvirt"
grep -q '^active 1$' "$tmp/expected" || fail "reference output: $(cat "$tmp/expected")"

if [ "$what" = c ] || [ "$what" = all ]; then
    # DESTDIR: everything lands under it, paths inside name the final prefix.
    OXVIRT_NO_BUILD=1 DESTDIR="$tmp/dest" scripts/install.sh /opt/oxvirt >/dev/null
    (cd "$tmp/dest" && find . \( -type f -o -type l \) | sort) >"$tmp/files"
    cat >"$tmp/files-expected" <<'EOF'
./opt/oxvirt/include/libvirt/libvirt-admin.h
./opt/oxvirt/include/libvirt/libvirt-lxc.h
./opt/oxvirt/include/libvirt/libvirt-qemu.h
./opt/oxvirt/include/libvirt/libvirt.h
./opt/oxvirt/include/libvirt/virterror.h
./opt/oxvirt/lib/libvirt-admin.a
./opt/oxvirt/lib/libvirt-admin.so
./opt/oxvirt/lib/libvirt-admin.so.0
./opt/oxvirt/lib/libvirt-admin.so.0.9000.0
./opt/oxvirt/lib/libvirt-lxc.a
./opt/oxvirt/lib/libvirt-lxc.so
./opt/oxvirt/lib/libvirt-lxc.so.0
./opt/oxvirt/lib/libvirt-lxc.so.0.9000.0
./opt/oxvirt/lib/libvirt-qemu.a
./opt/oxvirt/lib/libvirt-qemu.so
./opt/oxvirt/lib/libvirt-qemu.so.0
./opt/oxvirt/lib/libvirt-qemu.so.0.9000.0
./opt/oxvirt/lib/libvirt.a
./opt/oxvirt/lib/libvirt.so
./opt/oxvirt/lib/libvirt.so.0
./opt/oxvirt/lib/libvirt.so.0.9000.0
./opt/oxvirt/lib/pkgconfig/libvirt-admin.pc
./opt/oxvirt/lib/pkgconfig/libvirt-lxc.pc
./opt/oxvirt/lib/pkgconfig/libvirt-qemu.pc
./opt/oxvirt/lib/pkgconfig/libvirt.pc
./opt/oxvirt/share/libvirt/api/libvirt-admin-api.xml
./opt/oxvirt/share/libvirt/api/libvirt-api.xml
./opt/oxvirt/share/libvirt/api/libvirt-lxc-api.xml
./opt/oxvirt/share/libvirt/api/libvirt-qemu-api.xml
EOF
    diff -u "$tmp/files-expected" "$tmp/files" || fail "installed files under DESTDIR"
    grep -qx 'prefix=/opt/oxvirt' "$tmp/dest/opt/oxvirt/lib/pkgconfig/libvirt.pc" || fail "prefix in .pc"
    # The shared library is installed exactly as built.
    cmp "$tmp/dest/opt/oxvirt/lib/libvirt.so.0.9000.0" target/release/libvirt.so || fail "installed .so differs"
    echo "ok: install layout under DESTDIR"

    # Dynamic link with pkg-config; it must map the installed library.
    gcc "${cflags[@]}" tests/install/prog.c -o "$tmp/prog-dyn" $(pkg-config --cflags --libs libvirt)
    LD_LIBRARY_PATH="$prefix/lib" ldd "$tmp/prog-dyn" | grep -q "libvirt.so.0 => $prefix/lib/libvirt.so.0 " \
        || fail "dynamic program does not resolve the installed libvirt.so.0"
    LD_LIBRARY_PATH="$prefix/lib" "$tmp/prog-dyn" >"$tmp/dyn.out" 2>/dev/null || fail "dynamic program"
    diff -u "$tmp/expected" "$tmp/dyn.out" || fail "dynamic program output"
    echo "ok: C program linked with pkg-config --libs libvirt"

    # Static link. glibc's linker warnings about NSS functions in static programs are expected.
    gcc "${cflags[@]}" -static tests/install/prog.c -o "$tmp/prog-static" \
        $(pkg-config --static --cflags --libs libvirt) 2>"$tmp/link.log" \
        || { cat "$tmp/link.log"; fail "static link"; }
    file "$tmp/prog-static" | grep -q "statically linked" || fail "not static: $(file "$tmp/prog-static")"
    if readelf -d "$tmp/prog-static" 2>/dev/null | grep -q NEEDED; then fail "static program has NEEDED entries"; fi
    without_libvirt "$tmp/prog-static" >"$tmp/static.out" 2>/dev/null || fail "static program without libvirt"
    diff -u "$tmp/expected" "$tmp/static.out" || fail "static program output"
    echo "ok: static C program (gcc -static, pkg-config --static) runs with no libvirt on the machine"

    # libvirt-qemu and libvirt-lxc (libs/README.md): c-tests/libs/diff-libs.c linked with
    # pkg-config against the prefix, dynamically and statically, prints what it prints built
    # against Debian's libraries.
    libs_src=c-tests/libs/diff-libs.c
    gcc "${cflags[@]}" "$libs_src" -o "$tmp/libs-libvirt" \
        $(PKG_CONFIG_PATH= pkg-config --cflags --libs libvirt libvirt-qemu libvirt-lxc)
    "$tmp/libs-libvirt" >"$tmp/libs-expected" 2>/dev/null || fail "diff-libs against Debian's libvirt"
    gcc "${cflags[@]}" "$libs_src" -o "$tmp/libs-dyn" $(pkg-config --cflags --libs libvirt-qemu libvirt-lxc)
    LD_LIBRARY_PATH="$prefix/lib" ldd "$tmp/libs-dyn" | grep -q "libvirt-qemu.so.0 => $prefix/lib/libvirt-qemu.so.0 " \
        || fail "dynamic program does not resolve the installed libvirt-qemu.so.0"
    LD_LIBRARY_PATH="$prefix/lib" "$tmp/libs-dyn" >"$tmp/libs-dyn.out" 2>/dev/null || fail "dynamic diff-libs"
    diff -u "$tmp/libs-expected" "$tmp/libs-dyn.out" || fail "dynamic diff-libs output"
    gcc "${cflags[@]}" -static "$libs_src" -o "$tmp/libs-static" \
        $(pkg-config --static --cflags --libs libvirt-qemu libvirt-lxc) 2>"$tmp/link.log" \
        || { cat "$tmp/link.log"; fail "static link of diff-libs"; }
    without_libvirt "$tmp/libs-static" >"$tmp/libs-static.out" 2>/dev/null || fail "static diff-libs without libvirt"
    diff -u "$tmp/libs-expected" "$tmp/libs-static.out" || fail "static diff-libs output"
    echo "ok: a program of libvirt-qemu/-lxc linked with pkg-config, dynamically and statically"
fi

if [ "$what" = go ] || [ "$what" = all ]; then
    command -v go >/dev/null || fail "go not installed (golang-go, scripts/install-deps.sh)"
    pkg=/usr/share/gocode/src/github.com/libvirt/libvirt-go
    [ -d "$pkg" ] || fail "Debian's golang-github-libvirt-libvirt-go-dev is not installed"
    # The whole bindings, qemu.go and lxc.go included: they link -lvirt-qemu and -lvirt-lxc,
    # oxvirt's filters of libvirt.so.0 (libs/README.md), whose functions libvirt.a holds.
    mkdir -p "$root/target/go-cache"
    without_libvirt env -C tests/install/go GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE="$root/target/go-cache" \
        PKG_CONFIG_PATH="$PKG_CONFIG_PATH" \
        go build \
        -ldflags '-linkmode external -extldflags "-static"' -o "$tmp/prog-go" . \
        2>"$tmp/go.log" || { cat "$tmp/go.log"; fail "static Go build"; }
    file "$tmp/prog-go" | grep -q "statically linked" || fail "Go program not static: $(file "$tmp/prog-go")"
    without_libvirt "$tmp/prog-go" >"$tmp/go.out" 2>/dev/null || fail "static Go program without libvirt"
    tail -n +2 "$tmp/expected" | diff -u - "$tmp/go.out" || fail "Go program output"
    echo "ok: static Go program (libvirt-go, cgo) builds and runs with no libvirt on the machine"
fi
