"""Typed-parameter tuning on the test driver (scheduler, memory, NUMA, blkio, perf events,
launch security, the balloon's period; interface and block I/O tuning where served): the
same calls against real libvirt 9.0.0 and oxvirt on test:///default, on a running, an
inactive and a transient domain, with every flag combination, the typed parameters read back
(the count query included), the domain XML (live and inactive) after each change, and
libvirt's errors for unknown fields, wrong types, bad flags and LIVE on an inactive domain.
A ctypes part drives the C entry points directly: the count query, a caller array smaller
than the count, NULL arguments, NULL strings, over-long field names, read-only connections."""
from harness import both
from test_testdriver_tuning import INACTIVE_XML, TRANSIENT_XML, compare


def prelude():
    return f"INACTIVE_XML = {INACTIVE_XML!r}\nTRANSIENT_XML = {TRANSIENT_XML!r}\n"


SCENARIO = r"""
import os
URI = os.environ.get('OX_URI', 'test:///default')
c = libvirt.open(URI)
off = c.defineXML(INACTIVE_XML)
trans = c.createXML(TRANSIENT_XML, 0)
run = c.lookupByName('test')
doms = {'run': run, 'off': off, 'trans': trans}
CONSOLE = ("    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n"
           "    <console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n")
def xml(d):
    r = [attempt(d.XMLDesc, 0), attempt(d.XMLDesc, 2)]
    return [[x[0], x[1].replace(CONSOLE, '')] if x[0] == 'ok' else x for x in r]
def getters(d):
    r = {}
    for f in (0, 1, 2, 3, 8):
        r[f'mem{f}'] = attempt(d.memoryParameters, f)
        r[f'blkio{f}'] = attempt(d.blkioParameters, f)
        r[f'numa{f}'] = attempt(d.numaParameters, f)
        r[f'perf{f}'] = attempt(d.perfEvents, f)
        r[f'sched{f}'] = attempt(d.schedulerParametersFlags, f)
    r['sched'] = attempt(d.schedulerParameters)
    r['schedtype'] = attempt(d.schedulerType)
    r['launch'] = [attempt(d.launchSecurityInfo, f) for f in (0, 1)]
    return r
log = out.setdefault('log', [])
def step(name, f, *a):
    log.append([name, attempt(f, *a)])
    for k, d in sorted(doms.items()):
        log.append([name, k, xml(d), getters(d)])
for k, d in sorted(doms.items()):
    out[k + '_start'] = getters(d)
    for f in (0, 1, 2, 3, 16):
        step(f'{k} mem {f}', d.setMemoryParameters,
             {'hard_limit': 1000 + f, 'swap_hard_limit': 2000 + f, 'soft_limit': f}, f)
    step(k + ' mem hard>swap', d.setMemoryParameters, {'hard_limit': 5000}, 0)
    step(k + ' mem swap<hard', d.setMemoryParameters, {'swap_hard_limit': 10}, 0)
    for f in (0, 1, 2):
        step(f'{k} blkio {f}', d.setBlkioParameters,
             {'weight': 100 + f, 'device_weight': '/dev/sda,10',
              'device_read_iops_sec': '/dev/sda,5,/dev/sdb,7',
              'device_write_bytes_sec': '/dev/sdc,99'}, f)
    step(k + ' blkio merge', d.setBlkioParameters,
         {'device_weight': '/dev/sda,0,/dev/sdd,3', 'device_read_bytes_sec': '/dev/sdb,1'}, 0)
    step(k + ' blkio bad value', d.setBlkioParameters, {'device_weight': '/dev/sda,x'}, 0)
    step(k + ' blkio bad u32', d.setBlkioParameters, {'device_read_iops_sec': '/dev/sda,4294967296'}, 0)
    step(k + ' blkio odd', d.setBlkioParameters, {'device_weight': '/dev/sda,1,/dev/sdb'}, 0)
    step(k + ' blkio empty', d.setBlkioParameters, {'device_weight': '', 'weight': 0}, 0)
    for p, f in (({'numa_nodeset': '0-1,3', 'numa_mode': 1}, 2),
                 ({'numa_nodeset': '0-3,^2'}, 0), ({'numa_mode': 2}, 0),
                 ({'numa_mode': 2}, 1), ({'numa_mode': 9}, 0), ({'numa_nodeset': 'x'}, 0),
                 ({'numa_nodeset': '1-0'}, 0), ({'numa_nodeset': '0,^0'}, 0),
                 ({'numa_mode': 0, 'numa_nodeset': '5'}, 3), ({'numa_mode': 3, 'numa_nodeset': '2'}, 2)):
        step(f'{k} numa {p} {f}', d.setNumaParameters, p, f)
    for p, f in (({'cmt': True, 'cpu_cycles': False}, 0), ({'instructions': True}, 2),
                 ({'cmt': False, 'emulation_faults': True}, 1), ({'cmt': True}, 8)):
        step(f'{k} perf {p} {f}', d.setPerfEvents, p, f)
    for p, f in (({'weight': 3}, 0), ({'weight': 3}, 1)):
        step(f'{k} sched {p} {f}', d.setSchedulerParametersFlags, p, f)
    step(k + ' sched old', d.setSchedulerParameters, {'weight': 7})
    for p, f in ((5, 0), (7, 1), (0, 2), (9, 2), (3, 4)):
        step(f'{k} period {p} {f}', d.setMemoryStatsPeriod, p, f)
"""


CTYPES = r"""
import os, ctypes as C
L = C.CDLL("libvirt.so.0")
URI = os.environ.get('OX_URI', 'test:///default')
class Val(C.Union):
    _fields_ = [("i", C.c_int), ("ui", C.c_uint), ("l", C.c_longlong), ("ul", C.c_ulonglong),
                ("d", C.c_double), ("b", C.c_char), ("s", C.c_char_p)]
class P(C.Structure):
    _fields_ = [("field", C.c_char * 80), ("type", C.c_int), ("value", Val)]
for n in ('virConnectOpen', 'virConnectOpenReadOnly'):
    getattr(L, n).restype = C.c_void_p
    getattr(L, n).argtypes = [C.c_char_p]
L.virDomainLookupByName.restype = C.c_void_p
L.virDomainLookupByName.argtypes = [C.c_void_p, C.c_char_p]
L.virGetLastError.restype = C.c_void_p
class Err(C.Structure):
    _fields_ = [("code", C.c_int), ("domain", C.c_int), ("message", C.c_char_p)]
HANDLER = C.CFUNCTYPE(None, C.c_void_p, C.c_void_p)(lambda a, b: None)
L.virSetErrorFunc(None, HANDLER)
def last():
    p = L.virGetLastError()
    e = Err.from_address(p) if p else None
    return e and [e.code, e.domain, e.message.decode()]
def show(arr, n):
    r = []
    for p in arr[:max(n, 0)]:
        v = {1: 'i', 2: 'ui', 3: 'l', 4: 'ul', 5: 'd', 6: 'b', 7: 's'}.get(p.type)
        x = getattr(p.value, v) if v else None
        r.append([p.field.decode(), p.type, x.decode() if isinstance(x, bytes) else x])
    return r
c = L.virConnectOpen(URI.encode())
ro = L.virConnectOpenReadOnly(URI.encode())
d = L.virDomainLookupByName(c, b"test")
dro = L.virDomainLookupByName(ro, b"test")
VP = C.c_void_p
for name in ('virDomainGetMemoryParameters', 'virDomainGetBlkioParameters',
             'virDomainGetNumaParameters'):
    f = getattr(L, name)
    f.argtypes = [VP, VP, C.POINTER(C.c_int), C.c_uint]
    for room, flags in ((0, 0), (1, 0), (2, 0), (3, 0), (8, 0), (3, 3), (-1, 0), (3, 1 << 2)):
        arr = (P * 8)()
        n = C.c_int(room)
        r = f(d, arr if room else None, C.byref(n), flags)
        out[f'{name} {room} {flags}'] = [r, n.value, show(arr, n.value if r == 0 else 0), last() if r < 0 else None]
    n = C.c_int(3)
    out[name + ' NULL params'] = [f(d, None, C.byref(n), 0), last()]
    out[name + ' NULL nparams'] = [f(d, (P * 3)(), None, 0), last()]
L.virDomainGetSchedulerParameters.argtypes = [VP, VP, C.POINTER(C.c_int)]
for room in (0, 1, 4, -2):
    arr = (P * 4)()
    n = C.c_int(room)
    r = L.virDomainGetSchedulerParameters(d, arr, C.byref(n))
    out[f'sched {room}'] = [r, n.value, show(arr, n.value if r == 0 else 0), last() if r < 0 else None]
WRONG = {'virDomainSetMemoryParameters': b'hard_limit', 'virDomainSetBlkioParameters': b'weight',
         'virDomainSetNumaParameters': b'numa_nodeset', 'virDomainSetPerfEvents': b'cmt',
         'virDomainSetSchedulerParametersFlags': b'weight'}
for name in ('virDomainSetMemoryParameters', 'virDomainSetBlkioParameters',
             'virDomainSetNumaParameters', 'virDomainSetPerfEvents',
             'virDomainSetSchedulerParametersFlags'):
    f = getattr(L, name)
    f.argtypes = [VP, VP, C.c_int, C.c_uint]
    arr = (P * 2)()
    arr[0].field = b'x' * 79
    arr[0].type = 1
    long = (P * 1)()
    C.memmove(C.addressof(long), b'y' * 80, 80)
    long[0].type = 1
    nul = (P * 1)()
    nul[0].field = b'numa_nodeset'
    nul[0].type = 7
    dup = (P * 2)()
    for i in range(2):
        dup[i].field = b'weight'
        dup[i].type = 2
    wrong = (P * 1)()
    wrong[0].field = WRONG[name]
    wrong[0].type = 1
    out[name] = [[f(d, a, n, 0), last()] for a, n in
                 ((None, 1), (arr, 0), (arr, -1), (arr, 1), (long, 1), (nul, 1), (dup, 2),
                  (wrong, 1))]
    out[name + ' ro'] = [f(dro, arr, 1, 0), last()]
L.virDomainSetMemoryStatsPeriod.argtypes = [VP, C.c_int, C.c_uint]
out['period'] = [[L.virDomainSetMemoryStatsPeriod(x, p, 0), last()] for x, p in ((d, -1), (dro, 1), (d, 2))]
L.virDomainGetPerfEvents.argtypes = [VP, VP, VP, C.c_uint]
L.virDomainGetLaunchSecurityInfo.argtypes = [VP, VP, VP, C.c_uint]
pp = C.c_void_p()
n = C.c_int(-7)
out['perf NULL'] = [[L.virDomainGetPerfEvents(d, a, b, 0), last()] for a, b in
                    ((None, C.byref(n)), (C.byref(pp), None))]
out['launch'] = [[L.virDomainGetLaunchSecurityInfo(x, C.byref(pp), C.byref(n), 0), n.value, last()]
                 for x in (d, dro)]
"""


def test_params_scenario():
    real, ox = both(prelude() + SCENARIO)
    compare(real, ox)
    # The scenario changed something visible: the tunables show in the XML.
    joined = repr(real["log"])
    assert "<memtune>" in joined and "<blkiotune>" in joined and "<numatune>" in joined
    assert "<perf>" in joined and "stats period=" in joined


def test_params_c_arguments():
    real, ox = both(CTYPES)
    compare(real, ox)
    assert real["virDomainGetMemoryParameters 0 0"][:2] == [0, 3]
    assert len(real["virDomainGetBlkioParameters 2 0"][2]) == 2
