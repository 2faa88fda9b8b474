#!/bin/bash
# sshd-harness.sh start|stop DIR PORT [--libvirt-sock SOCK] [--hide PROGRAM]...
#
# Runs Debian's unmodified OpenSSH server as root on 127.0.0.1:PORT for oxvirt's +ssh tests,
# with everything in DIR: its own sshd_config, a fresh host key, a fresh client key pair
# (DIR/id_ed25519, authorised) and a second one that is not authorised (DIR/wrong_ed25519).
# The machine's own sshd, its config and its keys are never touched or read.
#
# sshd runs in a private mount namespace whose /run is DIR/run (so /run/sshd exists without
# touching the host's /run). With --libvirt-sock SOCK, /run/libvirt/libvirt-sock (and -sock-ro)
# in that namespace lead to SOCK (and SOCK-ro), so virt-ssh-helper's default socket reaches the
# daemon behind SOCK. With --hide PROGRAM (e.g. virt-ssh-helper, nc), that program is not
# executable there, so tests can tell which of libvirt's remote commands (virt-ssh-helper or its
# `nc -U` fallback) carried the connection.
#
# For the client side, DIR/ssh is a wrapper around /usr/bin/ssh that reads DIR/ssh_config only
# (known_hosts DIR/known_hosts holding this sshd's host key, no agent, no prompts, identities
# only from -i) and appends its argv to DIR/ssh-argv.log (one argument a line, records ended by
# a line "--END--"): pass it as the URI's `command=` parameter.
#
#   start: prints DIR once sshd accepts connections, exit 1 otherwise.
#   stop:  stops that sshd (and its session processes), removes what start made in DIR.
# Needs: openssh-server openssh-client util-linux (root).
set -euo pipefail
unset LD_LIBRARY_PATH LD_PRELOAD

fail() { echo "sshd-harness: $*" >&2; exit 1; }
[ $# -ge 3 ] || fail "usage: $0 start|stop DIR PORT [--libvirt-sock SOCK] [--hide PROGRAM]..."
ACTION=$1
DIR=$(realpath -m -- "$2")
PORT=$3
shift 3
LSOCK=""
HIDE=()
while [ $# -gt 0 ]; do
  case $1 in
    --libvirt-sock) LSOCK=$(realpath -m -- "$2"); shift 2 ;;
    --hide) HIDE+=("$2"); shift 2 ;;
    *) fail "unknown option $1" ;;
  esac
done
CONF=$DIR/sshd_config
PIDFILE=$DIR/sshd.pid

ours() {  # is PID the sshd listener started for DIR?
  [ -n "${1:-}" ] && [ -r "/proc/$1/cmdline" ] &&
    tr '\0' ' ' <"/proc/$1/cmdline" | grep -qE -- "^(sshd: )?/usr/sbin/sshd -D -f $CONF "
}
gone() {  # gone PID SECONDS
  local i
  for i in $(seq 1 $(( $2 * 20 ))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
  return 1
}
descendants() {  # every process below PID, deepest last
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$c"
    descendants "$c"
  done
}
accepts() {
  timeout 10 "$DIR/ssh" -i "$DIR/id_ed25519" -p "$PORT" -l root -T -o BatchMode=yes \
    -- 127.0.0.1 true >/dev/null 2>&1
}

start() {
  [ "$(id -u)" = 0 ] || fail "must run as root"
  for p in /usr/sbin/sshd /usr/bin/ssh /usr/bin/ssh-keygen; do
    [ -x "$p" ] || fail "missing $p (apt-get install openssh-server openssh-client)"
  done
  command -v unshare >/dev/null || fail "missing unshare (apt-get install util-linux)"
  case $PORT in ''|*[!0-9]*) fail "bad port $PORT" ;; esac
  if ours "$(cat "$PIDFILE" 2>/dev/null || true)"; then
    accepts || fail "sshd for $DIR runs but does not accept connections"
    echo "$DIR"; return 0
  fi
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  rm -f "$DIR"/host_ed25519_key* "$DIR"/id_ed25519* "$DIR"/wrong_ed25519* "$DIR/ssh-argv.log"
  ssh-keygen -q -t ed25519 -N '' -C oxvirt-test-host -f "$DIR/host_ed25519_key"
  ssh-keygen -q -t ed25519 -N '' -C oxvirt-test-client -f "$DIR/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C oxvirt-test-wrong -f "$DIR/wrong_ed25519"
  cp "$DIR/id_ed25519.pub" "$DIR/authorized_keys"
  chmod 600 "$DIR/authorized_keys"
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$DIR/host_ed25519_key.pub")" >"$DIR/known_hosts"
  cat >"$CONF" <<CONF
# oxvirt test sshd: loopback only, keys in $DIR, no PAM, no DNS.
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/host_ed25519_key
PidFile $PIDFILE
AuthorizedKeysFile $DIR/authorized_keys
AuthorizedPrincipalsFile none
PermitRootLogin prohibit-password
AllowUsers root
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
HostbasedAuthentication no
UsePAM no
UseDNS no
StrictModes no
PermitUserEnvironment no
AcceptEnv none
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding no
LoginGraceTime 20
MaxStartups 100
MaxSessions 100
LogLevel VERBOSE
CONF
  cat >"$DIR/ssh_config" <<CONF
Host *
  UserKnownHostsFile $DIR/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  UpdateHostKeys no
  CheckHostIP no
  IdentitiesOnly yes
  IdentityAgent none
  BatchMode yes
  PasswordAuthentication no
  KbdInteractiveAuthentication no
  ConnectTimeout 10
  ServerAliveInterval 5
  ServerAliveCountMax 3
CONF
  cat >"$DIR/ssh" <<WRAP
#!/bin/sh
# The system ssh with this harness's client config; records its argv.
{ for a in "\$@"; do printf '%s\n' "\$a"; done; echo --END--; } >>"$DIR/ssh-argv.log"
unset LD_LIBRARY_PATH LD_PRELOAD
exec /usr/bin/ssh -F "$DIR/ssh_config" "\$@"
WRAP
  chmod 755 "$DIR/ssh"
  rm -rf "$DIR/run"
  mkdir -p "$DIR/run/sshd" "$DIR/run/lock"
  chmod 755 "$DIR/run" "$DIR/run/sshd"
  local links=""
  if [ -n "$LSOCK" ]; then
    mkdir -p "$DIR/run/libvirt"
    ln -s "$LSOCK" "$DIR/run/libvirt/libvirt-sock"
    ln -s "$LSOCK-ro" "$DIR/run/libvirt/libvirt-sock-ro"
  fi
  local hide="" prog path
  for prog in ${HIDE[@]+"${HIDE[@]}"}; do
    path=$(command -v "$prog" 2>/dev/null) || fail "cannot hide $prog: not found"
    hide="$hide
mount -n --bind /dev/null \"$(readlink -f "$path")\""
  done
  cat >"$DIR/init.sh" <<INIT
#!/bin/sh
set -e
mount -n --bind "$DIR/run" /run
$hide
/usr/sbin/sshd -t -f "$CONF"
exec /usr/sbin/sshd -D -f "$CONF" -E "$DIR/sshd.log"
INIT
  setsid unshare --mount --propagation private /bin/sh "$DIR/init.sh" \
    </dev/null >"$DIR/sshd.out" 2>&1 &
  local pid=$!
  local i
  for i in $(seq 1 200); do
    if ours "$pid" && accepts; then
      # sshd -D writes its pid file too; keep ours (the same pid) authoritative.
      echo "$pid" >"$PIDFILE"
      : >"$DIR/ssh-argv.log"
      echo "$DIR"; return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  tail -20 "$DIR/sshd.out" "$DIR/sshd.log" >&2 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  fail "sshd did not accept connections on 127.0.0.1:$PORT"
}

stop() {
  local pid p
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  if ours "$pid"; then
    local kids
    kids=$(descendants "$pid")
    kill -TERM "$pid" 2>/dev/null || true
    gone "$pid" 10 || { kill -KILL "$pid" 2>/dev/null || true; gone "$pid" 5 || true; }
    # Sessions outlive the listener: end those it started (ssh sessions, sh, nc, helper).
    for p in $kids; do kill -TERM "$p" 2>/dev/null || true; done
    for p in $kids; do gone "$p" 5 || kill -KILL "$p" 2>/dev/null || true; done
  fi
  rm -rf -- "$DIR/run"
  rm -f -- "$DIR"/host_ed25519_key* "$DIR"/id_ed25519* "$DIR"/wrong_ed25519* \
    "$DIR"/authorized_keys "$DIR"/known_hosts "$DIR"/ssh_config "$DIR"/ssh "$CONF" \
    "$PIDFILE" "$DIR"/init.sh "$DIR"/sshd.out "$DIR"/sshd.log "$DIR"/ssh-argv.log
  rmdir -- "$DIR" 2>/dev/null || true
}

case $ACTION in
  start) start ;;
  stop) stop ;;
  *) fail "unknown action $ACTION" ;;
esac
