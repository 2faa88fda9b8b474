#!/usr/bin/env bash
# libvirt's debug log, differentially: tests/install/prog.c against Debian's libvirt 9.0.0 and
# oxvirt with the same LIBVIRT_LOG_FILTERS/LIBVIRT_LOG_OUTPUTS. Required: every line in
# libvirt's format ("YYYY-MM-DD HH:MM:SS.mmm+0000: TID: LEVEL : FUNC:LINE : MSG"), the version
# and hostname lines first, the same sequence of (level, public function) for the filtered
# category, argument lists of the same shape (name=value, ...), stderr and file: outputs,
# output priorities, LIBVIRT_DEBUG, and libvirt's errors for invalid settings.
set -eu
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
scripts/build.sh >/dev/null
gcc -std=gnu11 -Wall -Wextra -Werror tests/install/prog.c -o "$tmp/prog" -I include -L target/release -lvirt
real=/usr/lib/x86_64-linux-gnu
ours="$PWD/target/release"
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
line_re='^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\+0000: [0-9]+: (debug|info|warning|error) : '

run() { # LIB LOGFILE ENV...
    local lib="$1" log="$2"
    shift 2
    env LD_LIBRARY_PATH="$lib" "$@" "$tmp/prog" >/dev/null 2>"$log.stderr" || true
}

# 1. Filter on libvirt.domain, everything to a file.
for who in real ours; do
    lib=$real; [ $who = ours ] && lib=$ours
    run "$lib" "$tmp/$who" LIBVIRT_LOG_FILTERS="1:libvirt.domain" LIBVIRT_LOG_OUTPUTS="1:file:$tmp/$who.log"
    [ -s "$tmp/$who.log" ] || bad "$who: no log file"
    bad_lines="$(grep -Evc "$line_re" "$tmp/$who.log" || true)"
    [ "$bad_lines" = 0 ] || bad "$who: $bad_lines lines not in libvirt's format"
    sed -n 1p "$tmp/$who.log" | grep -Eq ": info : libvirt version: 9\.0\.0, package: " || bad "$who: version line"
    sed -n 2p "$tmp/$who.log" | grep -Eq ": info : hostname: " || bad "$who: hostname line"
    # (level, function) of the debug lines; error lines name the raising function.
    grep ': debug : ' "$tmp/$who.log" | sed -E 's/^[^:]+:[^:]+:[^:]+: [0-9]+: debug : ([A-Za-z]+):[0-9]+ : .*/\1/' >"$tmp/$who.funcs"
    grep -c ': error : .*Domain not found' "$tmp/$who.log" >"$tmp/$who.errors" || true
    # Argument shape of virConnectListAllDomains: conn=%p, domains=%p, flags=0x%x.
    grep -Eq 'virConnectListAllDomains:[0-9]+ : conn=0x[0-9a-f]+, domains=0x[0-9a-f]+, flags=0x1$' "$tmp/$who.log" \
        || bad "$who: virConnectListAllDomains arguments"
    grep -Eq 'virDomainLookupByName:[0-9]+ : conn=0x[0-9a-f]+, name=no-such-domain$' "$tmp/$who.log" \
        || bad "$who: virDomainLookupByName arguments"
done
diff -u "$tmp/real.funcs" "$tmp/ours.funcs" || bad "logged functions differ"
diff -u "$tmp/real.errors" "$tmp/ours.errors" || bad "logged errors differ"
[ -s "$tmp/ours.log.stderr" ] && grep -q ': debug : ' "$tmp/ours.log.stderr" && bad "file output also wrote debug lines to stderr"

# 2. LIBVIRT_DEBUG=1 without outputs: stderr.
run "$ours" "$tmp/dbg" LIBVIRT_DEBUG=1
grep -Eq "${line_re}virConnectOpenReadOnly:[0-9]+ : name=test:///default$" "$tmp/dbg.stderr" || bad "LIBVIRT_DEBUG=1 to stderr"
# 3. An output's priority: 3:stderr shows the error line only, no debug.
run "$ours" "$tmp/p3" LIBVIRT_LOG_FILTERS="1:libvirt" LIBVIRT_LOG_OUTPUTS="3:stderr"
grep -q ': debug : ' "$tmp/p3.stderr" && bad "3:stderr output shows debug lines"
grep -q ': error : .*Domain not found' "$tmp/p3.stderr" || bad "3:stderr output lacks the error line"
# 4. Off by default: nothing logged.
run "$ours" "$tmp/off"
grep -Eq "$line_re" "$tmp/off.stderr" && bad "logging without any setting"
# 5. A filter for another category (rpc) lets no libvirt.* debug line through.
run "$ours" "$tmp/rpc" LIBVIRT_LOG_FILTERS="1:rpc" LIBVIRT_LOG_OUTPUTS="1:file:$tmp/rpc.log"
grep -q ': debug : vir' "$tmp/rpc.log" && bad "1:rpc filter let libvirt.* debug lines through"
# 6. Invalid settings: libvirt's errors, from both libraries.
for setting in LIBVIRT_DEBUG=bogus LIBVIRT_LOG_OUTPUTS=bogus LIBVIRT_LOG_FILTERS=9:x LIBVIRT_LOG_OUTPUTS=1:file \
    "LIBVIRT_LOG_OUTPUTS=1:nowhere" "LIBVIRT_LOG_FILTERS=1:+"; do
    a="$(env LD_LIBRARY_PATH=$real "$setting" "$tmp/prog" 2>&1 | head -1)"
    b="$(env LD_LIBRARY_PATH=$ours "$setting" "$tmp/prog" 2>&1 | head -1)"
    [ "$a" = "$b" ] || bad "$setting: libvirt '$a', oxvirt '$b'"
done
if [ $fails -eq 0 ]; then echo "logging: all checks passed"; fi
[ $fails -eq 0 ]
