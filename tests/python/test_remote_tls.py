"""The +tls transport, differential: Debian's libvirt client vs oxvirt (rustls) against real
libvirtd daemons listening with TLS on 127.0.0.1, with a throw-away PKI that
tests/remote/make-pki.sh makes with openssl. The client side finds its files through
?pkipath= (libvirt's layout: cacert.pem, clientcert.pem, clientkey.pem).

Run: cargo build --release && ln -sf libvirt.so target/release/libvirt.so.0 &&
     /usr/bin/python3 -m pytest -q tests/python/test_remote_tls.py
"""
import os
import shutil
import subprocess
import tempfile

import pytest

from harness import ROOT, run
from test_remote import LISTING, Daemon, populate

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not os.path.exists("/usr/sbin/libvirtd")
    or not shutil.which("openssl"),
    reason="needs root, Debian's libvirtd and openssl",
)

MAKE_PKI = os.path.join(ROOT, "tests", "remote", "make-pki.sh")


@pytest.fixture(scope="module")
def pki():
    """Two independent PKIs, and client directories made of their pieces."""
    top = tempfile.mkdtemp(prefix="oxtls-")
    try:
        for name in ("a", "b"):
            subprocess.run([MAKE_PKI, os.path.join(top, name)], check=True, timeout=60)
        a, b = os.path.join(top, "a"), os.path.join(top, "b")

        def mix(name, ca, cert=None, server=None):
            d = os.path.join(top, name)
            os.makedirs(d)
            shutil.copy(os.path.join(ca, "cacert.pem"), d)
            if cert:
                shutil.copy(os.path.join(cert, "clientcert.pem"), d)
                shutil.copy(os.path.join(cert, "clientkey.pem"), d)
            if server:
                shutil.copy(os.path.join(server, "servercert.pem"), d)
                shutil.copy(os.path.join(server, "serverkey.pem"), d)
            return d

        dirs = {
            "good": a,
            "empty": os.path.join(top, "nothing-here"),
            "ca_only": mix("ca_only", a),
            "no_key": mix("no_key", a),
            "wrong_ca": mix("wrong_ca", b, cert=a),
            # A daemon entirely from PKI b.
            "other": b,
        }
        shutil.copy(os.path.join(a, "clientcert.pem"), dirs["no_key"])
        yield dirs
    finally:
        shutil.rmtree(top, ignore_errors=True)


def port(i):
    return 28100 + (os.getpid() * 7 + i * 131) % 1800


def test_listing_over_tls_matches_real_client(pki):
    pa, pb = port(0), port(1)
    daemons = []
    try:
        a = Daemon("--tls", str(pa), pki["good"])
        daemons.append(a)
        b = Daemon("--tls", str(pb), pki["good"])
        daemons.append(b)
        populate(a)
        populate(b)
        code = LISTING.replace("out['uri'] = c.getURI()", "")
        q = f"/default?pkipath={pki['good']}"
        real = run(code, "real", env_extra={"OX_URI": f"test+tls://127.0.0.1:{pa}{q}"})
        ox = run(code, "oxvirt", env_extra={"OX_URI": f"test+tls://127.0.0.1:{pb}{q}"})
    finally:
        for d in daemons:
            d.stop()
    assert real["secure"] == 1 and real["encrypted"] == 1
    assert len(real["listall"]["0"][1]) == 5
    assert ox == real


CASES = """
import os
p = os.environ['OX_PORT']
res = {}
for name, q in [
    ('good', 'pkipath=' + os.environ['PKI_good']),
    ('good_localhost', None),
    ('empty', 'pkipath=' + os.environ['PKI_empty']),
    ('ca_only', 'pkipath=' + os.environ['PKI_ca_only']),
    ('no_key', 'pkipath=' + os.environ['PKI_no_key']),
    ('wrong_ca', 'pkipath=' + os.environ['PKI_wrong_ca']),
    ('wrong_ca_no_verify', 'pkipath=' + os.environ['PKI_wrong_ca'] + '&no_verify=1'),
    ('bad_no_verify', 'pkipath=' + os.environ['PKI_good'] + '&no_verify=yes'),
]:
    if q is None:
        uri = 'test+tls://localhost:%s/default?pkipath=%s' % (p, os.environ['PKI_good'])
    else:
        uri = 'test+tls://127.0.0.1:%s/default?%s' % (p, q)
    try:
        c = libvirt.open(uri)
        res[name] = ['ok', c.getURI(), c.isSecure(), c.isEncrypted(),
                     sorted(d.name() for d in c.listAllDomains())]
        c.close()
    except libvirt.libvirtError as e:
        res[name] = ['err'] + err(e)
out['cases'] = res
"""


def pki_env(pki):
    return {f"PKI_{k}": v for k, v in pki.items()}


def test_tls_errors_match_real_client(pki):
    p = port(2)
    d = Daemon("--tls", str(p), pki["good"])
    try:
        env = dict(pki_env(pki), OX_PORT=str(p))
        real = run(CASES, "real", env_extra=env)
        ox = run(CASES, "oxvirt", env_extra=env)
    finally:
        d.stop()
    assert real["cases"]["good"][0] == "ok"
    assert real["cases"]["empty"][0] == "err"
    assert ox == real


UNTRUSTED = """
import os
p = os.environ['OX_PORT']
res = {}
msgs = {}
for name, extra in [('verify', ''), ('no_verify', '&no_verify=1')]:
    try:
        c = libvirt.open('test+tls://127.0.0.1:%s/default?pkipath=%s%s'
                         % (p, os.environ['PKI_good'], extra))
        res[name] = ['ok', sorted(d.name() for d in c.listAllDomains())]
        c.close()
    except libvirt.libvirtError as e:
        res[name] = ['err', e.get_error_code(), e.get_error_domain()]
        msgs[name] = e.get_error_message()
out['res'] = res
out['msgs'] = msgs
"""


def test_untrusted_server_certificate(pki):
    """The daemon's certificate comes from a CA the client does not trust: refused. With
    no_verify=1 the client goes on and the daemon, which does not trust the client's CA either,
    refuses it (the confirmation byte never comes)."""
    p = port(3)
    d = Daemon("--tls", str(p), pki["other"])
    try:
        env = dict(pki_env(pki), OX_PORT=str(p))
        real = run(UNTRUSTED, "real", env_extra=env)
        ox = run(UNTRUSTED, "oxvirt", env_extra=env)
    finally:
        d.stop()
    assert real["res"]["verify"][0] == "err"
    assert real["res"]["no_verify"][0] == "err"
    assert ox == real
