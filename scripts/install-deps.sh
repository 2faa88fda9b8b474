#!/usr/bin/env bash
# Install the Debian packages oxvirt's build and tests need (as root; apt-get update first).
# Does nothing when they are all present already.
set -eu
PACKAGES=(
    # build
    gcc pkg-config lld
    # the real libvirt 9.0.0, its headers and API description, clients and bindings, for the
    # differential and drop-in tests
    libvirt0 libvirt-dev libvirt-clients python3-libvirt libsys-virt-perl
    # a real libvirtd 9.0.0 with QEMU (TCG) guests for the remote driver's tests
    libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 util-linux netcat-openbsd
    # qemu-img for the QEMU differential's disks, backing chains and snapshots
    # (tests/python/test_remote_qemu.py)
    qemu-utils
    # ss(8): whether a stopped daemon holds an unread call (tests/remote_daemon.rs)
    iproute2
    # Cyrus SASL tools and mechanisms for the SASL tests (saslpasswd2; DIGEST-MD5, SCRAM)
    sasl2-bin libsasl2-modules
    # Debian's OpenSSH server and client for the +ssh tests (tests/remote/sshd-harness.sh)
    openssh-server openssh-client
    # a throw-away x509 PKI for the +tls tests (tests/remote/make-pki.sh)
    openssl
    # static linking against an installed prefix: Go and Debian's libvirt-go bindings
    # (tests/install/run.sh)
    golang-go golang-github-libvirt-libvirt-go-dev file
    # ---- (suites) other projects' test suites and real programs: libvirt-python's sdist
    # (pip), its API coverage test (lxml), the virt crate's tarball (curl), virtinst
    python3-pip python3-lxml curl virtinst
    # test runners and checkers
    python3 python3-pytest perl valgrind binutils
)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
