"""Differential tests of the remote driver: the same Python scenario, with Debian's libvirt client
and with oxvirt, against real libvirtd 9.0.0 daemons (their test driver) that
tests/remote/libvirtd-harness.sh starts. Needs root and
libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 util-linux python3-pytest.

Run: cargo build --release && ln -sf libvirt.so target/release/libvirt.so.0 &&
     /usr/bin/python3 -m pytest -q tests/python/test_remote.py
"""
import os
import subprocess
import uuid

import pytest

from harness import ROOT, run

HARNESS = os.path.join(ROOT, "tests", "remote", "libvirtd-harness.sh")

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not os.path.exists("/usr/sbin/libvirtd"),
    reason="needs root and Debian's libvirtd",
)


class Daemon:
    def __init__(self, *extra):
        self.dir = f"/tmp/oxpy-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        subprocess.run([HARNESS, "start", self.dir, *extra], check=True,
                       capture_output=True, timeout=60)
        self.sock = os.path.join(self.dir, "libvirt-sock")
        self.uri = f"test+unix:///default?socket={self.sock}"

    def holder(self):
        """The daemon's test driver keeps test:///default's state only while a connection is
        open: this one, from the real client in the pytest process, keeps it for the test."""
        import libvirt
        self._holder = libvirt.open(self.uri)
        return self._holder

    def stop(self):
        h = getattr(self, "_holder", None)
        if h is not None:
            try:
                h.close()
            except Exception:
                pass
        subprocess.run([HARNESS, "stop", self.dir], capture_output=True, timeout=60)


def fresh_pair(setup=None, *extra):
    """Two identical fresh daemons, one per library, so ids and state cannot leak between runs."""
    a = Daemon(*extra)
    try:
        b = Daemon(*extra)
    except BaseException:
        a.stop()
        raise
    try:
        if setup:
            setup(a)
            setup(b)
    except BaseException:
        a.stop()
        b.stop()
        raise
    return a, b


def differential(code, setup=None, uri_of=lambda d: d.uri, *extra):
    a, b = fresh_pair(setup, *extra)
    a.holder()
    b.holder()
    try:
        real = run(code, "real", env_extra={"OX_URI": uri_of(a), "OX_SOCK": a.sock})
        ox = run(code, "oxvirt", env_extra={"OX_URI": uri_of(b), "OX_SOCK": b.sock})
    finally:
        a.stop()
        b.stop()
    return real, ox


def assert_same(real, ox):
    assert ox == real


def normalise(out, sock_a, sock_b):
    """Socket paths differ between the two daemons; nothing else may."""
    import json
    return json.loads(json.dumps(out).replace(sock_b, sock_a))


DOMS = [
    ("alpha", None),
    ("beta", "start"),
    ("gamma", "paused"),
    ("delta", "autostart"),
]


def populate(d):
    c = d.holder()
    for i, (name, what) in enumerate(DOMS):
        dom = c.defineXML(f"<domain type='test'><name>{name}</name>"
                          f"<uuid>0e5c1a2b-0000-4000-8000-00000000000{i}</uuid>"
                          "<memory>65536</memory><os><type>hvm</type></os></domain>")
        if what == "start":
            dom.create()
        elif what == "paused":
            dom.create()
            dom.suspend()
        elif what == "autostart":
            dom.setAutostart(1)
    t = c.lookupByName("test")
    t.managedSave()
    t.create()
    c.lookupByName("alpha").snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>")


LISTING = """
import os
c = libvirt.open(os.environ['OX_URI'])
out['uri'] = c.getURI()
out['type'] = c.getType()
out['version'] = c.getVersion()
out['libversion'] = c.getLibVersion()
out['secure'] = c.isSecure()
out['encrypted'] = c.isEncrypted()
out['alive'] = c.isAlive()
out['maxvcpus'] = attempt(c.getMaxVcpus, None)
out['maxvcpus_bad'] = attempt(c.getMaxVcpus, 'nosuchtype')
out['nodeinfo'] = c.getInfo()
out['hostname'] = c.getHostname()
flags = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768,
         1 | 16, 2 | 256, 4 | 1024, 1 | 2, 1 << 16, 0x10000 | 1]
res = {}
for f in flags:
    r = attempt(lambda: sorted((d.name(), d.ID(), d.UUIDString()) for d in c.listAllDomains(f)))
    res[str(f)] = r
out['listall'] = res
out['num'] = c.numOfDomains()
out['ids'] = sorted(c.listDomainsID())
out['numdef'] = c.numOfDefinedDomains()
out['defined'] = sorted(c.listDefinedDomains())
doms = {}
for name in ['test', 'alpha', 'beta', 'gamma', 'delta']:
    d = c.lookupByName(name)
    info = d.info()
    info[4] = 0  # cpu time moves
    doms[name] = {
        'id': d.ID(), 'uuid': d.UUIDString(), 'info': info, 'state': d.state(),
        'os': d.OSType(), 'maxmem': d.maxMemory(), 'active': d.isActive(),
        'persistent': d.isPersistent(), 'updated': d.isUpdated(),
        'autostart': attempt(d.autostart), 'managedsave': attempt(d.hasManagedSaveImage),
        'xml': d.XMLDesc(0), 'xml_inactive': d.XMLDesc(2),
        'snapshots': attempt(lambda: sorted(s.getName() for s in d.listAllSnapshots())),
        'snapnum': attempt(d.snapshotNum),
        'byuuid': c.lookupByUUIDString(d.UUIDString()).name(),
        'byid': attempt(lambda: c.lookupByID(d.ID()).name()) if d.ID() > 0 else None,
    }
out['doms'] = doms
out['nosuch_name'] = attempt(c.lookupByName, 'nosuch')
out['nosuch_id'] = attempt(c.lookupByID, 9999)
out['nosuch_uuid'] = attempt(c.lookupByUUIDString, '00000000-0000-0000-0000-000000000001')
try:
    c.lookupByName('nosuch')
except libvirt.libvirtError as e:
    out['err_fields'] = [e.get_error_code(), e.get_error_domain(), e.get_error_level(),
                         e.get_str1(), e.get_str2(), e.get_str3(), e.get_int1()]
out['bad_flags'] = attempt(c.lookupByName('test').XMLDesc, 1 << 20)
c.close()
"""


def test_listing_getters_and_errors_match_real_client():
    a, b = fresh_pair(populate)
    try:
        real = run(LISTING, "real", env_extra={"OX_URI": a.uri})
        ox = run(LISTING, "oxvirt", env_extra={"OX_URI": b.uri})
    finally:
        a.stop()
        b.stop()
    assert_same(real, normalise(ox, a.sock, b.sock))
    # The scenario saw what populate() made (guards against comparing two empty results).
    assert real["listall"]["0"][1] and len(real["listall"]["0"][1]) == 5
    assert real["doms"]["alpha"]["snapshots"] == ["ok", ["s1"]]


def test_listing_over_tcp_matches_real_client():
    port_a, port_b = 27100 + os.getpid() % 400, 27600 + os.getpid() % 400
    daemons = []
    try:
        a = Daemon("--tcp", str(port_a))
        daemons.append(a)
        b = Daemon("--tcp", str(port_b))
        daemons.append(b)
        populate(a)
        populate(b)
        code = LISTING.replace("out['uri'] = c.getURI()", "")
        real = run(code, "real", env_extra={"OX_URI": f"test+tcp://127.0.0.1:{port_a}/default"})
        ox = run(code, "oxvirt", env_extra={"OX_URI": f"test+tcp://127.0.0.1:{port_b}/default"})
    finally:
        for d in daemons:
            d.stop()
    assert_same(real, ox)
    assert real["secure"] == 0


SEVERAL = """
import os
socks = os.environ['OX_SOCKS'].split(',')
conns = [libvirt.open('test+unix:///default?socket=' + s) for s in socks]
out['views'] = [sorted((d.name(), d.ID()) for d in c.listAllDomains(0)) for c in conns]
out['states'] = [c.lookupByName('only%d' % i).state() for i, c in enumerate(conns)]
for c in conns:
    c.close()
"""


def test_several_daemons_from_one_process():
    daemons = []
    try:
        for i in range(3):
            daemons.append(Daemon())
            daemons[-1].holder().defineXML(
                f"<domain type='test'><name>only{i}</name><memory>65536</memory>"
                "<os><type>hvm</type></os></domain>")
        socks = ",".join(d.sock for d in daemons)
        real = run(SEVERAL, "real", env_extra={"OX_SOCKS": socks})
        ox = run(SEVERAL, "oxvirt", env_extra={"OX_SOCKS": socks})
    finally:
        for d in daemons:
            d.stop()
    assert_same(real, ox)
    assert real["views"][2] == [["only2", -1], ["test", 1]]


LIFECYCLE = """
import os
c = libvirt.open(os.environ['OX_URI'])
xml = ("<domain type='test'><name>life</name>"
       "<uuid>0e5c1a2b-0000-4000-8000-0000000000aa</uuid><memory>65536</memory>"
       "<os><type>hvm</type></os></domain>")
def scenario():
    steps = []
    def step(name, f, *a):
        r = attempt(f, *a)
        steps.append([name, r])
        return r
    d = attempt(c.defineXML, xml)
    if d[0] == 'err':
        return [['define', d]]
    d = d[1]
    steps.append(['define', d.ID(), d.state()])
    step('create', d.create)
    steps.append(['id-after-create', d.ID(), d.state()])
    step('suspend', d.suspend)
    steps.append(['state', d.state()])
    step('suspend-again', d.suspend)
    step('resume', d.resume)
    step('autostart', d.setAutostart, 1)
    steps.append(['autostart', d.autostart()])
    step('managedsave', d.managedSave)
    steps.append(['after-save', d.ID(), d.state(), d.hasManagedSaveImage()])
    step('create2', d.create)
    steps.append(['after-create2', d.ID(), d.state(), d.hasManagedSaveImage()])
    step('snap', lambda: d.snapshotCreateXML('<domainsnapshot><name>s</name></domainsnapshot>').getName())
    step('snaplist', lambda: [s.getName() for s in d.listAllSnapshots()])
    step('snapxml', lambda: d.snapshotLookupByName('s').getXMLDesc()[:40])
    step('snapdel', lambda: d.snapshotLookupByName('s').delete())
    step('shutdown', d.shutdown)
    steps.append(['after-shutdown', d.ID(), d.state()])
    step('create3-paused-flag', d.createWithFlags, 1)
    step('create3', d.createWithFlags, 0)
    steps.append(['after-create3', d.ID(), d.state()])
    step('destroy', d.destroy)
    steps.append(['after-destroy', d.ID(), d.state()])
    step('destroy-again', d.destroy)
    step('undefine', d.undefine)
    step('lookup-gone', c.lookupByName, 'life')
    t = step('createxml', lambda: c.createXML(xml.replace('life', 'trans').replace('aa<', 'bb<')).ID())
    step('transient-persistent', lambda: c.lookupByName('trans').isPersistent())
    step('transient-destroy', lambda: c.lookupByName('trans').destroy())
    ro = libvirt.openReadOnly(os.environ['OX_URI'])
    step('ro-suspend', ro.lookupByName('test').suspend)
    step('ro-xml-secure', ro.lookupByName('test').XMLDesc, 1)

    return steps
out['steps'] = scenario()
"""


def test_lifecycle_matches_real_client():
    real, ox = differential(LIFECYCLE)
    assert real["steps"][0] == ["define", -1, [5, 0]]
    assert_same(real, ox)
