#!/bin/sh
# Stands in for ssh in oxvirt's tests: accepts ssh's command line, checks the options libvirt
# passes, and runs the remote command on this machine (as sshd would on the far side).
# FAKE_SSH_LOG=FILE records the argv, one argument per line.
[ -n "$FAKE_SSH_LOG" ] && printf '%s\n' "$@" >"$FAKE_SSH_LOG"
while [ $# -gt 0 ]; do
  case $1 in
    -p|-l|-i|-o|-e) shift 2 ;;
    -T) shift ;;
    --) shift; break ;;
    *) echo "fake-ssh: unexpected argument $1" >&2; exit 255 ;;
  esac
done
[ $# -eq 2 ] || { echo "fake-ssh: want HOST COMMAND, got $#" >&2; exit 255; }
case $1 in
  localhost|127.0.0.1) ;;
  *) echo "ssh: Could not resolve hostname $1: Name or service not known" >&2; exit 255 ;;
esac
exec /bin/sh -c "$2"
