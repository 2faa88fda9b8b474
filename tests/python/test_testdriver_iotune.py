"""Interface bandwidth and block I/O tuning on the test driver (iotune scope): the same
calls against real libvirt 9.0.0 and oxvirt on test:///default, on the running domain and
on an inactive copy, with each flag combination: the values read back (the count query and a
short caller array included), the domain XML after each change, and libvirt's errors
(unknown device, conflicts, limits, LIVE on an inactive domain; python-libvirt itself
rejects unknown fields and wrong types before the call)."""
from harness import both
from test_testdriver_tuning import compare

SCENARIO = r"""
import re
c = libvirt.open('test:///default')
run = c.lookupByName('test')
off = c.defineXML(run.XMLDesc(0).replace('<name>test</name>', '<name>iot-off</name>')
                  .replace(re.search(r'<uuid>.*</uuid>', run.XMLDesc(0)).group(0), ''))
doms = {'run': run, 'off': off}
def devs(d, f):
    return re.findall(r'<(?:interface|disk) .*?</(?:interface|disk)>', d.XMLDesc(f), re.S)
for dn, d in doms.items():
    for fl in (0, 1, 2, 3, 8):
        k = f'{dn} {fl}'
        out[k + ' ifcount'] = attempt(d.interfaceParameters, 'aa:bb:cc:dd:ee:ff', fl)
        out[k + ' blkcount'] = attempt(d.blockIoTune, 'vda', fl)
        for dev in ('aa:bb:cc:dd:ee:ff', 'AA:BB:CC:DD:EE:FF', 'testnet0', 'nope', '00:11:22:33:44:55'):
            for p in ({'inbound.average': 10 + fl, 'inbound.burst': 5, 'outbound.average': 7, 'outbound.peak': 9},
                      {'inbound.floor': 3}, {'inbound.average': 0}, {'outbound.average': 0, 'outbound.peak': 4}):
                out[f'{k} setif {dev} {sorted(p)}'] = [attempt(d.setInterfaceParameters, dev, p, fl),
                                                  attempt(d.interfaceParameters, dev, fl), devs(d, 0), devs(d, 2)]
        for disk in ('vda', '/guest/diskimage1', 'hda', '/nope'):
            for p in ({'total_bytes_sec': 100}, {'total_bytes_sec': 100, 'total_bytes_sec_max': 200},
                      {'read_bytes_sec': 5}, {'total_bytes_sec': 0, 'read_bytes_sec': 5, 'read_bytes_sec_max': 9},
                      {'total_iops_sec_max': 3, 'write_iops_sec_max': 4}, {'size_iops_sec': 10**15},
                      {'size_iops_sec': 10**15 + 1}, {'group_name': 'g<&>'}, {'group_name': ''},
                      {'total_iops_sec_max_length': 7, 'write_bytes_sec_max_length': 8}):
                out[f'{k} setblk {disk} {sorted(p)}'] = [attempt(d.setBlockIoTune, disk, p, fl),
                                                    attempt(d.blockIoTune, disk, fl), devs(d, 0), devs(d, 2)]
"""

CTYPES = r"""
import ctypes as C
L = C.CDLL("libvirt.so.0")
c = libvirt.open('test:///default')
d = c.lookupByName('test')
VP = C.c_void_p
class P(C.Structure):
    _fields_ = [('field', C.c_char * 80), ('type', C.c_int), ('value', C.c_ulonglong)]
L.virConnectOpen.restype = VP
L.virConnectOpen.argtypes = [C.c_char_p]
L.virDomainLookupByName.restype = VP
L.virDomainLookupByName.argtypes = [VP, C.c_char_p]
L.virGetLastErrorMessage.restype = C.c_char_p
cc = L.virConnectOpen(b'test:///default')
dd = L.virDomainLookupByName(cc, b'test')
def last():
    return L.virGetLastErrorMessage().decode()
for name in ('virDomainGetInterfaceParameters', 'virDomainGetBlockIoTune'):
    f = getattr(L, name)
    f.argtypes = [VP, C.c_char_p, VP, VP, C.c_uint]
    dev = b'testnet0' if 'Interface' in name else b'vda'
    arr = (P * 3)()
    n = C.c_int(0)
    r0 = [f(dd, dev, None, C.byref(n), 0), n.value]
    n = C.c_int(3)
    r1 = f(dd, dev, arr, C.byref(n), 0)
    out[name] = [r0, r1, n.value, [(arr[i].field, arr[i].type, arr[i].value) for i in range(3)], last()]
"""


def test_iotune_scenario():
    real, ox = both(SCENARIO)
    compare(real, ox)


def test_iotune_c_arguments():
    real, ox = both(CTYPES)
    compare(real, ox)
