"""Domain tuning through the remote driver: the test-driver tuning scenario
(tests/python/test_testdriver_tuning.py) with Debian's libvirt client and with oxvirt, each
against its own fresh libvirtd 9.0.0 (its test driver), plus the vCPU-table limits libvirt's
client checks before it calls the daemon.
Needs what tests/python/test_remote.py needs; run under flock /tmp/oxvirt-daemon.lock."""
from test_remote import differential
from test_testdriver_tuning import METADATA, SCENARIO, compare, metadata_prelude, prelude

LIMITS = r"""
import os, ctypes as C
L = C.CDLL("libvirt.so.0")
L.virConnectOpen.restype = C.c_void_p
L.virConnectOpen.argtypes = [C.c_char_p]
L.virDomainLookupByName.restype = C.c_void_p
L.virDomainLookupByName.argtypes = [C.c_void_p, C.c_char_p]
L.virDomainGetVcpus.argtypes = [C.c_void_p, C.c_void_p, C.c_int, C.c_void_p, C.c_int]
L.virGetLastError.restype = C.c_void_p
class Err(C.Structure):
    _fields_ = [("code", C.c_int), ("domain", C.c_int), ("message", C.c_char_p)]
HANDLER = C.CFUNCTYPE(None, C.c_void_p, C.c_void_p)(lambda a, b: None)
L.virSetErrorFunc(None, HANDLER)
def last():
    p = L.virGetLastError()
    e = Err.from_address(p) if p else None
    return e and [e.code, e.domain, e.message.decode()]
c = L.virConnectOpen(os.environ['OX_URI'].encode())
d = L.virDomainLookupByName(c, b"test")
info = (C.c_byte * (24 * 16385))()
maps = (C.c_ubyte * (16385 * 600))()
for n, m in ((16385, 1), (16384, 1), (16384, 600), (3, 0), (3, 1), (1, 8), (2, 2)):
    r = L.virDomainGetVcpus(d, info, n, maps if m else None, m)
    out[f'{n} {m}'] = [r, last() if r < 0 else bytes(maps[:n * m][:16]).hex()]
"""


def test_remote_tuning_scenario():
    real, ox = differential(prelude() + SCENARIO)
    compare(real, ox)
    assert real["run_get"][0] == ["ok", 2]
    assert real["run_label"] == ["ok", ["libvirt-test", 1]]


def test_remote_vcpu_table_limits():
    real, ox = differential(LIMITS)
    assert real == ox
    assert real["16385 1"][0] == -1 and real["2 2"][0] == 2


def test_remote_metadata_scenario():
    real, ox = differential(metadata_prelude() + METADATA)
    compare(real, ox)
    assert "<a:one xmlns:a=" in real["defined"][0][1]
