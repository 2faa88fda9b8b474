#!/bin/bash
# libvirtd-harness.sh start|stop DIR [--tcp PORT] [--tls PORT PKIDIR] [--keepalive INTERVAL COUNT]
#                     [--sasl MECHS USER PASS] [--auth-tcp MODE] [--auth-tls MODE] [--auth-unix MODE]
#
# Runs Debian's unmodified libvirtd (9.0.0) as root for oxvirt's remote-driver tests, isolated in
# a private mount namespace: /etc/libvirt, /run, /var/{lib,cache,log}/libvirt are private
# directories under DIR/state, so nothing on the host is touched and several daemons can run at
# once. The daemon's sockets are DIR/libvirt-sock (rw) and DIR/libvirt-sock-ro.
#
#   start: prints the rw socket path once the daemon answers (test driver), exit 1 otherwise.
#   stop:  destroys the daemon's guests, stops it, removes DIR/state.
#
# Clients: test+unix:///default?socket=DIR/libvirt-sock, qemu+unix:///system?socket=DIR/libvirt-sock
# With --tcp PORT the daemon also listens on 127.0.0.1:PORT without authentication.
# With --tls PORT PKIDIR it listens with TLS on 127.0.0.1:PORT, using PKIDIR/{cacert,servercert,
# serverkey}.pem (tests/remote/make-pki.sh makes them) and verifying client certificates.
# With --sasl MECHS USER PASS the daemon's SASL configuration (/etc/sasl2/libvirt.conf in its
# namespace) offers the mechanisms MECHS ("digest-md5", "scram-sha-256 digest-md5", ...) from a
# private sasldb holding USER with PASS (saslpasswd2, package sasl2-bin); --auth-tcp, --auth-tls
# and --auth-unix (the read-write socket) then pick "sasl" (or "none") per listener.
# Needs: libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 util-linux.
set -euo pipefail
# The daemon and virsh must load Debian's libvirt.so.0, never oxvirt's (cargo test puts
# target/release, where oxvirt's libvirt.so.0 lives, on LD_LIBRARY_PATH).
unset LD_LIBRARY_PATH LD_PRELOAD

fail() { echo "libvirtd-harness: $*" >&2; exit 1; }
[ $# -ge 2 ] || fail "usage: $0 start|stop DIR [--tcp PORT] [--tls PORT PKIDIR] [--keepalive INTERVAL COUNT]"
ACTION=$1
DIR=$(realpath -m -- "$2")
shift 2
TCP_PORT=""
TLS_PORT=""
TLS_PKI=""
KA_INTERVAL=5
KA_COUNT=5
SASL_MECHS=""
SASL_USER=""
SASL_PASS=""
AUTH_TCP=none
AUTH_TLS=none
AUTH_UNIX=none
while [ $# -gt 0 ]; do
  case $1 in
    --tcp) TCP_PORT=$2; shift 2 ;;
    --tls) TLS_PORT=$2; TLS_PKI=$(realpath -- "$3"); shift 3 ;;
    --keepalive) KA_INTERVAL=$2; KA_COUNT=$3; shift 3 ;;
    --sasl) SASL_MECHS=$2; SASL_USER=$3; SASL_PASS=$4; shift 4 ;;
    --auth-tcp) AUTH_TCP=$2; shift 2 ;;
    --auth-tls) AUTH_TLS=$2; shift 2 ;;
    --auth-unix) AUTH_UNIX=$2; shift 2 ;;
    *) fail "unknown option $1" ;;
  esac
done
[ "$(id -u)" = 0 ] || fail "must run as root (libvirtd's qemu driver and the mount namespace need it)"
STATE=$DIR/state
SOCK=$DIR/libvirt-sock
PIDFILE=$STATE/daemon.pid

ours() {  # is PID our libvirtd?
  [ -n "${1:-}" ] && [ -r "/proc/$1/cmdline" ] &&
    tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "^/usr/sbin/libvirtd .*-f $STATE/libvirtd.conf "
}
answers() {  # the read-only socket never asks for SASL
  timeout 10 virsh -q -c "test+unix:///default?socket=$SOCK-ro" uri >/dev/null 2>&1
}
gone() {  # gone PID SECONDS
  local i
  for i in $(seq 1 $(( $2 * 20 ))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
  return 1
}

start() {
  for p in libvirtd virsh unshare; do
    command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] || fail "missing $p (apt-get install libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 util-linux)"
  done
  [ $(( ${#DIR} + 20 )) -lt 108 ] || fail "DIR too long for a UNIX socket path: $DIR"
  if ours "$(cat "$PIDFILE" 2>/dev/null || true)"; then
    answers || fail "daemon for $DIR runs but does not answer"
    echo "$SOCK"; return 0
  fi
  rm -f "$DIR"/libvirt-sock "$DIR"/libvirt-sock-ro "$DIR"/libvirt-admin-sock
  mkdir -p "$STATE"/{etc,run,lib,cache,log,var-upper,var-work}
  chmod 755 "$DIR"
  local tcp="listen_tcp = 0"
  if [ -n "$TCP_PORT" ]; then
    tcp="listen_tcp = 1
tcp_port = \"$TCP_PORT\"
listen_addr = \"127.0.0.1\"
auth_tcp = \"$AUTH_TCP\""
  fi
  local tls="listen_tls = 0"
  if [ -n "$TLS_PORT" ]; then
    tls="listen_tls = 1
tls_port = \"$TLS_PORT\"
listen_addr = \"127.0.0.1\"
auth_tls = \"$AUTH_TLS\"
ca_file = \"$TLS_PKI/cacert.pem\"
cert_file = \"$TLS_PKI/servercert.pem\"
key_file = \"$TLS_PKI/serverkey.pem\""
  fi
  cat >"$STATE/libvirtd.conf" <<CONF
unix_sock_dir = "$DIR"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0770"
unix_sock_admin_perms = "0700"
auth_unix_ro = "none"
auth_unix_rw = "$AUTH_UNIX"
$tls
$tcp
keepalive_interval = $KA_INTERVAL
keepalive_count = $KA_COUNT
max_clients = 200
log_outputs = "3:file:$STATE/libvirtd.log"
CONF
  # A root daemon in a container: no security driver, no cgroups, qemu output to files.
  cat >"$STATE/etc/qemu.conf" <<CONF
user = "root"
group = "root"
remember_owner = 0
security_driver = "none"
namespaces = []
cgroup_controllers = []
stdio_handler = "file"
CONF
  # The qemu driver needs the libvirt-qemu user and group to exist.
  { cat /etc/passwd
    getent passwd libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin'
  } >"$STATE/passwd"
  { cat /etc/group
    getent group libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:'
  } >"$STATE/group"
  mkdir -p /etc/libvirt
  local sasl_bind=""
  if [ -n "$SASL_MECHS" ]; then
    command -v saslpasswd2 >/dev/null || fail "missing saslpasswd2 (apt-get install sasl2-bin libsasl2-modules)"
    mkdir -p "$STATE/sasl2"
    printf 'mech_list: %s\nsasldb_path: /etc/libvirt/passwd.db\n' "$SASL_MECHS" >"$STATE/sasl2/libvirt.conf"
    printf '%s' "$SASL_PASS" | saslpasswd2 -p -c -a libvirt -f "$STATE/etc/passwd.db" "$SASL_USER"
    sasl_bind="mkdir -p /etc/sasl2; mount -n --bind $STATE/sasl2 /etc/sasl2"
  fi
  cat >"$STATE/init.sh" <<INIT
#!/bin/sh
set -e
mount -n --bind "$STATE/passwd" /etc/passwd
mount -n --bind "$STATE/group" /etc/group
mount -n --bind "$STATE/etc" /etc/libvirt
$sasl_bind
mount -n --bind "$STATE/run" /run
mkdir -p /run/lock /run/libvirt
mount -n -t overlay overlay -o "lowerdir=/var,upperdir=$STATE/var-upper,workdir=$STATE/var-work" /var 2>/dev/null || true
mkdir -p /var/lib/libvirt /var/cache/libvirt /var/log/libvirt
mount -n --bind "$STATE/lib" /var/lib/libvirt
mount -n --bind "$STATE/cache" /var/cache/libvirt
mount -n --bind "$STATE/log" /var/log/libvirt
exec /usr/sbin/libvirtd $( [ -n "$TCP_PORT$TLS_PORT" ] && echo -l ) -f "$STATE/libvirtd.conf" -p "$STATE/libvirtd.pid"
INIT
  setsid unshare --mount --propagation private /bin/sh "$STATE/init.sh" \
    </dev/null >"$STATE/daemon.out" 2>&1 &
  local pid=$!
  echo "$pid" >"$PIDFILE"
  local i
  for i in $(seq 1 600); do
    if [ -S "$SOCK" ] && answers; then echo "$SOCK"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  tail -20 "$STATE/daemon.out" "$STATE/libvirtd.log" >&2 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  fail "libvirtd did not answer on $SOCK"
}

stop() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  if ours "$pid"; then
    # SIGCONT in case a fault test left it stopped.
    kill -CONT "$pid" 2>/dev/null || true
    if [ -S "$SOCK" ]; then
      for dom in $(timeout 20 virsh -q -c "qemu+unix:///system?socket=$SOCK" list --name 2>/dev/null); do
        timeout 20 virsh -q -c "qemu+unix:///system?socket=$SOCK" destroy "$dom" >/dev/null 2>&1 || true
      done
    fi
    kill -TERM "$pid" 2>/dev/null || true
    gone "$pid" 15 || { kill -KILL "$pid" 2>/dev/null || true; gone "$pid" 5 || true; }
  fi
  # Guests outlive libvirtd; end those this daemon started.
  local f q
  for f in "$STATE"/run/libvirt/qemu/*.pid; do
    [ -f "$f" ] || continue
    [ "$(basename "$f")" = driver.pid ] && continue
    q=$(cat "$f" 2>/dev/null || true)
    if [ -n "$q" ] && tr '\0' ' ' <"/proc/$q/cmdline" 2>/dev/null | grep -q qemu-system; then
      kill -TERM "$q" 2>/dev/null || true
      gone "$q" 5 || kill -KILL "$q" 2>/dev/null || true
    fi
  done
  rm -f "$DIR"/libvirt-sock "$DIR"/libvirt-sock-ro "$DIR"/libvirt-admin-sock
  rm -rf -- "$STATE"
  rmdir -- "$DIR" 2>/dev/null || true
}

case $ACTION in
  start) start ;;
  stop) stop ;;
  *) fail "unknown action $ACTION" ;;
esac
