"""Typed-parameter tuning through the remote driver: the test-driver scenarios of
tests/python/test_testdriver_params.py with Debian's libvirt client and with oxvirt, each
against its own fresh libvirtd 9.0.0 (its test driver), plus interface bandwidth and block
I/O tuning as the daemon's test driver serves them.
Needs what tests/python/test_remote.py needs; run under flock /tmp/oxvirt-daemon.lock."""
from test_remote import differential
from test_testdriver_params import CTYPES, SCENARIO, prelude
from test_testdriver_tuning import compare

DEVICES = r"""
import os
c = libvirt.open(os.environ['OX_URI'])
d = c.lookupByName('test')
out['if'] = [attempt(d.interfaceParameters, n, f) for n in ('testnet0', 'aa:bb:cc:dd:ee:ff', 'nope')
             for f in (0, 1, 2, 3)]
for p, f in (({'inbound.average': 100, 'inbound.peak': 200, 'outbound.burst': 5}, 0),
             ({'inbound.average': 0}, 2), ({'outbound.average': 7}, 1)):
    out.setdefault('ifset', []).append([attempt(d.setInterfaceParameters, 'testnet0', p, f),
                                        attempt(d.interfaceParameters, 'testnet0', 0),
                                        attempt(d.XMLDesc, 0), attempt(d.XMLDesc, 2)])
out['io'] = [attempt(d.blockIoTune, n, f) for n in ('vda', '/guest/diskimage1', 'nope')
             for f in (0, 1, 2, 3)]
for p, f in (({'total_bytes_sec': 1000, 'total_bytes_sec_max': 2000, 'group_name': 'g1'}, 0),
             ({'total_bytes_sec': 1000, 'group_name': 'g1'}, 0),
             ({'read_bytes_sec': 5}, 0), ({'total_bytes_sec': 0, 'read_iops_sec': 9,
               'read_iops_sec_max': 3}, 0),
             ({'total_iops_sec': 10**16}, 0), ({'write_bytes_sec_max': 50}, 2)):
    out.setdefault('ioset', []).append([attempt(d.setBlockIoTune, 'vda', p, f),
                                        attempt(d.blockIoTune, 'vda', 0),
                                        attempt(d.XMLDesc, 0), attempt(d.XMLDesc, 2)])
"""


def test_remote_params_scenario():
    real, ox = differential(prelude() + SCENARIO)
    compare(real, ox)
    assert "<memtune>" in repr(real["log"])


def test_remote_params_c_arguments():
    real, ox = differential(CTYPES)
    compare(real, ox)
    assert real["virDomainGetMemoryParameters 0 0"][:2] == [0, 3]


def test_remote_params_devices():
    real, ox = differential(DEVICES)
    compare(real, ox)
    assert real["ioset"][0][0] == ["ok", 0]
