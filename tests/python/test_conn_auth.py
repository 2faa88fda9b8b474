"""virConnectOpenAuth through python3-libvirt on a test node file with several <auth> users,
the scenario of libvirt-python 9.0.0's tests/test_conn.py (TestLibvirtConnAuth): a callback
that answers one credential per call and returns. Compared with the real libvirt."""
import pytest

from harness import both

SCENARIO = """
import os, tempfile
node = '''<node><auth>
  <user password="2147483647">marin</user>
  <user password="87539319">srinivasa</user>
</auth></node>'''
fd, path = tempfile.mkstemp(suffix='.xml')
os.write(fd, node.encode()); os.close(fd)
token = object()
asked = []
def make_cb(user, password):
    def cb(creds, opaque):
        if opaque is not token:
            return -1
        for c in creds:
            asked.append([c[0], c[1], c[2]])
            if c[0] == libvirt.VIR_CRED_AUTHNAME and user is not None:
                c[4] = user
                return 0
            if c[0] == libvirt.VIR_CRED_PASSPHRASE and password is not None:
                c[4] = password
                return 0
            return -1
        return 0
    return cb
types = [libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_ECHOPROMPT, libvirt.VIR_CRED_REALM,
         libvirt.VIR_CRED_PASSPHRASE, libvirt.VIR_CRED_NOECHOPROMPT, libvirt.VIR_CRED_EXTERNAL]
for name, (user, password) in {
        'good': ('srinivasa', '87539319'),
        'first user': ('marin', '2147483647'),
        'other user password': ('srinivasa', '2147483647'),
        'unknown user': ('nobody', '87539319'),
        'nothing': (None, None),
        'name only': ('srinivasa', None)}.items():
    del asked[:]
    def opened():
        c = libvirt.openAuth('test://' + path, [types, make_cb(user, password), token], 0)
        return c.getURI() == 'test://' + path and c.listAllDomains() == []
    out[name] = [attempt(opened), list(asked)]
os.unlink(path)
"""


def test_open_auth_one_credential_per_callback():
    real, ours = both(SCENARIO)
    # The reference itself: the good pairs open, the others fail with an auth error.
    assert real["good"][0] == ["ok", True]
    assert real["first user"][0] == ["ok", True]
    assert real["other user password"][0][0] == "err"
    assert ours == real


@pytest.mark.parametrize("flags", [0x2, 0x4, 0x80000000])
def test_open_auth_unknown_flags(flags):
    # The test driver refuses them; the generic layer and the remote driver pass them by (the
    # open then fails on the missing socket, the same way with and without them).
    code = f"""
out['test'] = attempt(lambda: libvirt.openAuth('test:///default', [[], None, None], {flags}) and 1)
out['remote'] = attempt(lambda: libvirt.openAuth('qemu:///system?socket=/nonexistent',
                                                 [[], None, None], {flags}) and 1)
"""
    real, ours = both(code)
    assert real["test"][:2] == ["err", 8]
    assert real["remote"][:2] == ["err", 38]
    assert ours == real
