"""Storage pools and volumes through the remote driver: the test driver's storage scenarios
(tests/python/test_testdriver_storage.py) with Debian's libvirt client and with oxvirt, each
against its own fresh libvirtd 9.0.0 (its test driver), plus the name-list limits libvirt's
client checks before it calls the daemon.
Needs what tests/python/test_remote.py needs; run under flock /tmp/oxvirt-daemon.lock."""
import pytest
import test_testdriver_storage as S
from harness import run
from test_remote import fresh_pair


def differential(code, hard_exit=False):
    """The scenario with each library against its own fresh daemon."""
    a, b = fresh_pair()
    a.holder()
    b.holder()
    try:
        real = run(code, "real", env_extra={"OX_URI": a.uri}, hard_exit=hard_exit)
        ox = run(code, "oxvirt", env_extra={"OX_URI": b.uri}, hard_exit=hard_exit)
    finally:
        a.stop()
        b.stop()
    return real, ox

SCENARIOS = {
    "fixture": S.FIXTURE,
    "define": f"POOLS = {S.POOLS!r}\n" + S.DEFINE,
    "lifecycle": S.LIFECYCLE,
    "listall": S.LISTALL,
    "volumes": f"VOLS = {S.VOLS!r}\n" + S.VOLUMES,
    "sources": S.SOURCES,
    "readonly": S.READONLY,
    "ansible": S.ANSIBLE,
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_remote_storage(name):
    # Through a daemon, libvirtd's own libxml2 parses the XML: no masking needed.
    real, ox = differential(SCENARIOS[name])
    assert real == ox


def test_remote_storage_handles_through_ctypes():
    real, ox = differential(S.CTYPES, hard_exit=True)
    assert real["ref"][:3] == ox["ref"][:3]
    del real["ref"], ox["ref"]
    assert real == ox


LIMITS = r"""
import os
c = libvirt.open(os.environ['OX_URI'])
import ctypes as C
L = C.CDLL("libvirt.so.0")
L.virConnectOpen.restype = C.c_void_p
L.virGetLastError.restype = C.c_void_p
class Err(C.Structure):
    _fields_ = [("code", C.c_int), ("domain", C.c_int), ("message", C.c_char_p)]
HANDLER = C.CFUNCTYPE(None, C.c_void_p, C.c_void_p)(lambda a, b: None)
L.virSetErrorFunc(None, HANDLER)
def last():
    e = Err.from_address(L.virGetLastError())
    return [e.code, e.domain, e.message.decode() if e.message else None]
cc = C.c_void_p(L.virConnectOpen(os.environ['OX_URI'].encode()))
L.virStoragePoolLookupByName.restype = C.c_void_p
pool = C.c_void_p(L.virStoragePoolLookupByName(cc, b"default-pool"))
names = (C.c_char_p * 20000)()
out['pools'] = [L.virConnectListStoragePools(cc, names, 16385), last()]
out['defined'] = [L.virConnectListDefinedStoragePools(cc, names, 16385), last()]
out['vols'] = [L.virStoragePoolListVolumes(pool, names, 16385), last()]
out['ok'] = [L.virConnectListStoragePools(cc, names, 16384), names[0]]
"""


def test_remote_storage_list_limits():
    real, ox = differential(LIMITS, hard_exit=True)
    assert real == ox
    assert real["pools"][1][0] == 39  # VIR_ERR_RPC
