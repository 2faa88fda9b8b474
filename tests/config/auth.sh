#!/usr/bin/env bash
# auth.conf as the client library reads it, differentially: tests/config/auth-open.c opens a
# test node file with <auth> (admin/s3cret) against Debian's libvirt 9.0.0 and oxvirt under the
# same auth.conf and environment, same output required (which credentials the callback was
# asked for, the outcome, libvirt's errors). Cases: LIBVIRT_AUTH_FILE, the URI's authfile
# parameter, $XDG_CONFIG_HOME and ~/.config (run as nobody with a temporary HOME),
# /etc/libvirt/auth.conf (as root, a temporary directory bind-mounted over /etc/libvirt in a
# private mount namespace); right and wrong passwords, a file answering only the user name,
# [auth-test-default], another host's group, no callback or no virConnectAuth at all, missing
# or unreadable files and libvirt's syntax errors.
set -eu
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
scripts/build.sh >/dev/null
flags=(-std=gnu11 -Wall -Wextra -Werror)
gcc "${flags[@]}" tests/config/auth-open.c -o "$tmp/open-libvirt" $(PKG_CONFIG_PATH= pkg-config --cflags --libs libvirt)
gcc "${flags[@]}" tests/config/auth-open.c -o "$tmp/open-oxvirt" -I include -L target/release -lvirt
mkdir -p "$tmp/lib" && cp target/release/libvirt.so "$tmp/lib/libvirt.so.0"
cat >"$tmp/node.xml" <<'XML'
<node><auth><user password='s3cret'>admin</user></auth>
<domain type='test'><name>a</name><memory>1024</memory><os><type>hvm</type></os></domain></node>
XML
# One node file per user (oxvirt's test driver reads the first <user> of <auth> only).
for u in "spacey:a b" 'esc:s3\qcret' "bs:end" "trail:s3cret "; do
    printf "<node><auth><user password='%s'>%s</user></auth></node>\n" "${u#*:}" "${u%%:*}" >"$tmp/node-${u%%:*}.xml"
done
chmod -R a+rX "$tmp"
node="test://$tmp/node.xml"

pass=0
fail=0
# check LABEL FILE-TEXT MODE [URI]: the file is written to $AT (relative to a fresh home).
check() {
    local label="$1" text="$2" mode="$3" uri="${4:-$node}"
    local home="$tmp/home"
    rm -rf "$home" && mkdir -p "$home/.config/libvirt" "$home/xdg/libvirt" "$home/etc"
    [ -n "$AT" ] && printf '%s' "$text" >"$home/$AT"
    chmod -R a+rwX "$home"
    local outs=()
    for lib in libvirt oxvirt; do
        local ld=""
        [ $lib = oxvirt ] && ld="$tmp/lib"
        local out
        if [ "$AS" = root ]; then
            out="$(unshare -m sh -c 'mount --bind "$1" /etc/libvirt && shift && exec "$@"' sh \
                "$home/etc" env -u LIBVIRT_AUTH_FILE LD_LIBRARY_PATH="$ld" HOME="$home" "${ENVS[@]}" \
                "$tmp/open-$lib" "$uri" "$mode" 2>&1)"
        else
            out="$(cd "$home" && setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH="$PATH" \
                LD_LIBRARY_PATH="$ld" HOME="$home" "${ENVS[@]}" "$tmp/open-$lib" "$uri" "$mode" 2>&1)"
        fi
        outs+=("${out//$tmp/TMP}")
    done
    if [ "${outs[0]}" = "${outs[1]}" ]; then
        pass=$((pass + 1))
        echo "ok   [$AS] $label ($mode): ${outs[0]}"
    else
        fail=$((fail + 1))
        echo "FAIL [$AS] $label ($mode)"
        echo "  libvirt: ${outs[0]}"
        echo "  oxvirt:  ${outs[1]}"
    fi
}

both=$'[credentials-x]\nusername=admin\npassword=s3cret\n[auth-test-localhost]\ncredentials=x\n'
wrong=$'[credentials-x]\nusername=admin\npassword=nope\n[auth-test-localhost]\ncredentials=x\n'
user_only=$'[credentials-x]\nusername=admin\n[auth-test-localhost]\ncredentials=x\n'

AS=user
AT=auth.conf
ENVS=(LIBVIRT_AUTH_FILE="$tmp/home/auth.conf")
for mode in right wrong nocb null; do
    check "user name and password from the file" "$both" $mode
    check "wrong password in the file" "$wrong" $mode
    check "user name from the file, password from the callback" "$user_only" $mode
    check "no group for the service and host" $'[credentials-x]\nusername=admin\n[auth-test-elsewhere]\ncredentials=x\n' $mode
done
check "[auth-test-default]" $'[credentials-x]\nusername=admin\npassword=s3cret\n[auth-test-default]\ncredentials=x\n' null
check "host group before default" $'[credentials-x]\nusername=admin\npassword=s3cret\n[credentials-y]\nusername=bob\n[auth-test-default]\ncredentials=y\n[auth-test-localhost]\ncredentials=x\n' null
check "another service's group" $'[credentials-x]\nusername=admin\npassword=s3cret\n[auth-libvirt-localhost]\ncredentials=x\n' right
check "comments, blank lines, spaces around =, CRLF" $'# a comment\n\n  [credentials-x]\r\nusername   =   admin\r\n  password= s3cret\n\n[auth-test-localhost]  \n  # c\ncredentials = x\n' null
creds() { printf '[credentials-x]\nusername=%s\npassword=%s\n[auth-test-localhost]\ncredentials=x\n' "$1" "$2"; }
check "escaped space" "$(creds spacey 'a\sb')" null "test://$tmp/node-spacey.xml"
check "an escaped backslash is one" "$(creds spacey 'a\\sb')" null "test://$tmp/node-spacey.xml"
check "invalid escape kept as it is" "$(creds esc 's3\qcret')" null "test://$tmp/node-esc.xml"
check "backslash at the end dropped" "$(creds bs 'end\')" null "test://$tmp/node-bs.xml"
check "trailing space kept" "$(creds trail 's3cret ')" null "test://$tmp/node-trail.xml"
check "trailing space kept (2)" "$(creds admin 's3cret ')" null
check "value not UTF-8: no value" "$(creds admin $'s3cret\xff')" null
check "another value not UTF-8" "$(creds admin s3cret)"$'\nother=\xff\n' null
check "group name not UTF-8" "$(creds admin s3cret)"$'\n[gr\xff]\n' null
check "control character in a group name" "$(creds admin s3cret)"$'\n[a\tb]\n' null
check "space in a group name" "$(creds admin s3cret)"$'\n[a b]\n' null
check "] in a key" "$(creds admin s3cret)"$'\na]=v\n' null
check "byte order mark" $'\xef\xbb\xbf'"$(creds admin s3cret)" null
check "no newline at the end" "$(creds admin s3cret)" null # $() drops the newline
check "duplicate key: the last wins" $'[credentials-x]\nusername=admin\npassword=nope\npassword=s3cret\n[auth-test-localhost]\ncredentials=x\n' null
check "duplicate group: merged" $'[credentials-x]\nusername=admin\n[auth-test-localhost]\ncredentials=x\n[credentials-x]\npassword=s3cret\n' null
check "translated key is another key" $'[credentials-x]\nusername=admin\npassword[de]=s3cret\n[auth-test-localhost]\ncredentials=x\n' right
check "missing credentials item" $'[auth-test-localhost]\nfoo=x\n' right
check "missing credentials group" $'[auth-test-localhost]\ncredentials=x\n' right
check "not a key file" $'garbage\n' right
check "key before any group" $'username=admin\n[auth-test-localhost]\ncredentials=x\n' right
check "empty group name" $'[]\n' right
check "text after a group" $'[credentials-x] y\n' right
check "bad file, no <auth> to answer" $'garbage\n' right test:///default
check "empty file" '' right
ENVS=(LIBVIRT_AUTH_FILE="$tmp/home/missing.conf")
check "LIBVIRT_AUTH_FILE names no file" "$both" right
ENVS=()
check "authfile URI parameter" "$both" null "$node?authfile=$tmp/home/auth.conf"
ENVS=(LIBVIRT_AUTH_FILE="$tmp/home/auth.conf")
check "LIBVIRT_AUTH_FILE over authfile" "$both" null "$node?authfile=$tmp/home/missing.conf"
ENVS=()
AT=.config/libvirt/auth.conf
check "~/.config/libvirt/auth.conf" "$both" null
AT=xdg/libvirt/auth.conf
ENVS=(XDG_CONFIG_HOME="$tmp/home/xdg")
check "XDG_CONFIG_HOME" "$both" null
ENVS=()
check "XDG_CONFIG_HOME unset: not read" "$both" null

AS=root
AT=etc/auth.conf
ENVS=()
check "/etc/libvirt/auth.conf" "$both" null
check "/etc/libvirt/auth.conf, wrong password" "$wrong" right
AT=.config/libvirt/auth.conf
check "root reads ~/.config first" "$both" null
AT=""
check "no file at all" "" right
check "no file at all" "" null
echo "auth.conf: $pass passed, $fail failed"
[ $fail -eq 0 ]
