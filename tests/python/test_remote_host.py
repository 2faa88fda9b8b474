"""The host functions and the current/parent snapshot functions through the remote driver:
the test driver's host scenarios (tests/python/test_testdriver_host.py) and a snapshot tree,
with Debian's libvirt client and with oxvirt, each against its own fresh libvirtd 9.0.0 (its
test driver), plus the limits libvirt's client checks before it calls the daemon.
Needs what tests/python/test_remote.py needs; run under flock /tmp/oxvirt-daemon.lock."""
import pytest
from harness import run
from test_remote import fresh_pair
from test_testdriver_host import ARCHES, CTYPES_SCENARIO, PY_SCENARIO, compare

PRELUDE = f"import os\nURI = os.environ['OX_URI']\nARCHES = {ARCHES!r}\n"

LIMITS = r"""
c = libvirt.open(URI)
out['cells_many'] = attempt(c.getCellsFreeMemory, 0, 1025)
out['cells_limit'] = attempt(c.getCellsFreeMemory, 0, 1024)
out['cells_from_1'] = attempt(c.getCellsFreeMemory, 1, 1024)
out['pages_many'] = attempt(c.getFreePages, [4, 2048], 0, 513)
out['pages_limit'] = attempt(c.getFreePages, [4, 2048], 0, 512)
out['pages_some'] = attempt(c.getFreePages, [4, 2048, 1048576], 0, 2)
out['pages_flags'] = attempt(c.getFreePages, [4], 0, 1, 1)
c.close()
"""

SNAPSHOTS = r"""
c = libvirt.open(URI)
d = c.lookupByName('test')
o = out
o['has_none'] = attempt(d.hasCurrentSnapshot)
o['has_none_flags'] = attempt(d.hasCurrentSnapshot, 1)
o['current_none'] = attempt(lambda: d.snapshotCurrent().getName())
s1 = d.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>")
s2 = d.snapshotCreateXML("<domainsnapshot><name>s2</name></domainsnapshot>")
s3 = d.snapshotCreateXML("<domainsnapshot><name>s3</name></domainsnapshot>")
for s in (s1, s2, s3):
    n = s.getName()
    o['parent_' + n] = attempt(lambda: s.getParent().getName())
    o['parent_flags_' + n] = attempt(lambda: s.getParent(1).getName())
    o['is_current_' + n] = attempt(s.isCurrent)
    o['is_current_flags_' + n] = attempt(s.isCurrent, 1)
o['has'] = attempt(d.hasCurrentSnapshot)
o['current'] = attempt(lambda: d.snapshotCurrent().getName())
o['current_flags'] = attempt(lambda: d.snapshotCurrent(1).getName())
s2.delete()
o['gone_parent'] = attempt(lambda: s2.getParent().getName())
o['gone_is_current'] = attempt(s2.isCurrent)
o['after_delete_parent_s3'] = attempt(lambda: s3.getParent().getName())
o['after_delete_current'] = attempt(lambda: d.snapshotCurrent().getName())
s1.delete()
o['after_all_parent_s3'] = attempt(lambda: s3.getParent().getName())
c.close()
"""


def differential(code, hard_exit=False):
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


def test_remote_host_calls_through_the_binding():
    real, ox = differential(PRELUDE + PY_SCENARIO)
    compare(real, ox)
    assert real["caps"][0] == "ok" and "<capabilities>" in real["caps"][1]
    assert real["stats"][0][0] == "ok" and real["secmodel"][0] == "ok"


@pytest.mark.xfail(strict=True, reason="virNodeGetCPUStats with params set and *nparams == 0: "
                   "libvirt's remote client answers the count (4), oxvirt's entry point 0; "
                   "the driver method does not see *nparams yet")
def test_remote_host_calls_with_odd_arguments():
    # libvirt 9.0.0 can crash while tearing such a process down: leave without finalizers.
    real, ox = differential(PRELUDE + CTYPES_SCENARIO, hard_exit=True)
    compare(real, ox)
    assert real["models_x86_64"][0] == 58 and real["map"][0] == 8
    assert real["stats_4"][0] == 0 and real["pages_3_0_2_0"][0] == 0


def test_remote_client_limits():
    real, ox = differential(PRELUDE + LIMITS)
    compare(real, ox)
    assert real["cells_many"][0] == "err" and "too many NUMA cells" in real["cells_many"][3]
    assert "too many NUMA cells" in real["pages_many"][3]
    assert "too many NUMA cells" not in str(real["pages_limit"])


def test_remote_snapshot_tree():
    real, ox = differential(PRELUDE + SNAPSHOTS)
    compare(real, ox)
    assert real["parent_s2"] == ["ok", "s1"] and real["current"] == ["ok", "s3"]
    assert real["is_current_s3"] == ["ok", True] and real["has_none"] == ["ok", False]
