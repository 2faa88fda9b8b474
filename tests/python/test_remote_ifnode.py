"""Host interfaces and node devices through the remote driver: the scenarios of
test_testdriver_ifnode.py with Debian's libvirt client and with oxvirt, each against its own
fresh libvirtd 9.0.0 (its test driver), plus libvirt's client-side list limits.
Needs what tests/python/test_remote.py needs; run under flock /tmp/oxvirt-daemon.lock."""
from test_remote import differential
from test_testdriver_ifnode import FIXTURE, IFACE_XML, IFACES, LIFECYCLE, NODEDEV

PRELUDE = "import os\nURI = os.environ['OX_URI']\n"

LIMITS = """
import ctypes
c = libvirt.open(URI)
lib = ctypes.CDLL('libvirt.so.0')
lib.virConnectOpen.restype = ctypes.c_void_p
p = lib.virConnectOpen(URI.encode())
names = (ctypes.c_char_p * 70000)()
lib.virConnectListInterfaces.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
lib.virNodeListDevices.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p,
                                   ctypes.c_int, ctypes.c_uint]
def last():
    e = libvirt.virGetLastError()
    return None if e is None else [e[0], e[1], e[2]]
out['ifaces_many'] = [lib.virConnectListInterfaces(p, names, 16385), last()]
out['ifaces_limit'] = [lib.virConnectListInterfaces(p, names, 16384), last()]
out['devs_many'] = [lib.virNodeListDevices(p, None, names, 65537, 0), last()]
out['devs_limit'] = [lib.virNodeListDevices(p, None, names, 65536, 0), last()]
out['devs_one'] = [lib.virNodeListDevices(p, b'system', names, 1, 0), names[0]]
"""


def check(code):
    real, ox = differential(PRELUDE + code)
    assert real == ox
    return real


def test_remote_fixture():
    real = check(FIXTURE)
    assert real["lists"] == [1, ["eth1"], 0, []]


def test_remote_interface_xml_and_errors():
    real = check(f"XMLS = {IFACE_XML!r}\n" + IFACES)
    assert real["define"][-1][0] == "ok"


def test_remote_interface_lifecycle_and_transaction():
    real = check(LIFECYCLE)
    assert real["create_again"][0][0] == "err"


def test_remote_node_device_create_and_destroy():
    real = check(NODEDEV)
    assert real["create"][2][0:2] == ["ok", "scsi_host12"]


def test_remote_client_limits():
    real = check(LIMITS)
    assert real["ifaces_many"][0] == -1 and "too many remote" in real["ifaces_many"][1][2]
    assert real["devs_one"][0] == 1 and "computer" in real["devs_one"][1]
