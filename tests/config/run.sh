#!/usr/bin/env bash
# libvirt.conf as the client library reads it, differentially: the same program (open-uri.c)
# against Debian's libvirt 9.0.0 and oxvirt, each case with the same configuration, same output
# required. A non-root user reads $XDG_CONFIG_HOME/libvirt/libvirt.conf (default
# ~/.config/libvirt/libvirt.conf; run as nobody with a temporary HOME); root reads
# /etc/libvirt/libvirt.conf (a temporary file bind-mounted over it in a private mount namespace,
# so the machine's file is never touched). Cases: uri_default, LIBVIRT_DEFAULT_URI precedence,
# uri_aliases (explicit and default URI, VIR_CONNECT_NO_ALIASES), malformed aliases, wrong
# types and syntax errors.
set -eu
cd "$(dirname "$0")/../.."
root="$PWD"
tmp="$(mktemp -d)"
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
scripts/build.sh >/dev/null
flags=(-std=gnu11 -Wall -Wextra -Werror)
gcc "${flags[@]}" tests/config/open-uri.c -o "$tmp/open-libvirt" $(PKG_CONFIG_PATH= pkg-config --cflags --libs libvirt)
gcc "${flags[@]}" tests/config/open-uri.c -o "$tmp/open-oxvirt" -I include -L target/release -lvirt
mkdir -p "$tmp/lib" && cp target/release/libvirt.so "$tmp/lib/libvirt.so.0" && chmod -R a+rX "$tmp"

pass=0
fail=0
# case NAME CONF ARGS... ; CONF is the file's text; env vars via ENV_* below.
check() {
    local label="$1" conf="$2"
    shift 2
    local home="$tmp/home"
    rm -rf "$home" && mkdir -p "$home/.config/libvirt" "$home/xdg/libvirt"
    printf '%s' "$conf" >"$home/$CONF_AT"
    chmod -R a+rwX "$home"
    local outs=()
    for lib in libvirt oxvirt; do
        local ld=""
        [ $lib = oxvirt ] && ld="$tmp/lib"
        local out
        if [ "$AS" = root ]; then
            out="$(unshare -m sh -c 'mount --bind "$1" /etc/libvirt/libvirt.conf && shift && exec "$@"' sh \
                "$home/$CONF_AT" env LD_LIBRARY_PATH="$ld" HOME="$home" "${ENVS[@]}" "$tmp/open-$lib" "$@" 2>&1)"
        else
            out="$(setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH="$PATH" \
                LD_LIBRARY_PATH="$ld" HOME="$home" "${ENVS[@]}" "$tmp/open-$lib" "$@" 2>&1)"
        fi
        outs+=("$out")
    done
    if [ "${outs[0]}" = "${outs[1]}" ]; then
        pass=$((pass + 1))
        echo "ok   [$AS] $label: ${outs[0]}"
    else
        fail=$((fail + 1))
        echo "FAIL [$AS] $label"
        echo "  libvirt: ${outs[0]}"
        echo "  oxvirt:  ${outs[1]}"
    fi
}

aliases='uri_aliases = [
  "mytest=test:///default",
  "other-1=test:///default",
]
'
for AS in user root; do
    if [ $AS = root ]; then CONF_AT=etc.conf; else CONF_AT=.config/libvirt/libvirt.conf; fi
    ENVS=()
    check "uri_default used for a NULL name" 'uri_default = "test:///default"' -
    check "uri_default used for an empty name" 'uri_default = "test:///default"' ""
    check "no alias named like the URI" "$aliases" test:///default
    check "alias resolved" "$aliases" mytest
    check "alias with - and digits" "$aliases" other-1
    check "alias of the default URI" "$aliases"'uri_default = "mytest"' -
    check "malformed alias entry" 'uri_aliases = [ "bad alias=test:///default" ]' mytest
    check "alias entry without =" 'uri_aliases = [ "mytest" ]' mytest
    check "uri_aliases not a list" 'uri_aliases = "mytest=test:///default"' mytest
    check "uri_default not a string" 'uri_default = 1' -
    check "syntax error" 'uri_default = ' test:///default
    check "comment inside a list (libvirt: a syntax error)" 'uri_aliases = [ "a=test:///default", # c
]' a
    ENVS=(LIBVIRT_DEFAULT_URI=test:///default)
    check "LIBVIRT_DEFAULT_URI over uri_default" 'uri_default = "mytest"'"$aliases" -
    ENVS=(LIBVIRT_DEFAULT_URI=mytest)
    check "LIBVIRT_DEFAULT_URI is alias-resolved" "$aliases" -
    ENVS=(LIBVIRT_DEFAULT_URI=)
    check "empty LIBVIRT_DEFAULT_URI is unset" 'uri_default = "test:///default"' -
    if [ $AS = user ]; then
        CONF_AT=xdg/libvirt/libvirt.conf
        ENVS=(XDG_CONFIG_HOME="$tmp/home/xdg")
        check "XDG_CONFIG_HOME" 'uri_default = "test:///default"' -
    fi
done
echo "config: $pass passed, $fail failed"
[ $fail -eq 0 ]
