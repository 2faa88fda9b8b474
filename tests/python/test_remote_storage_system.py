"""Storage through the remote driver against a real storage driver: a dir pool of the harness's
libvirtd (qemu+unix:///system), with Debian's libvirt client and with oxvirt, each against its
own fresh daemon: pool build/start/refresh, volumes created, cloned, resized, wiped, looked up
by key, path and target path, their info (with flags) and XML, the pool capabilities, and the
errors of the real driver. Needs what tests/python/test_remote.py needs; run under
flock /tmp/oxvirt-daemon.lock."""
import os
import re

import pytest
from harness import run
from test_remote import fresh_pair

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not os.path.exists("/usr/sbin/libvirtd"),
    reason="needs root and Debian's libvirtd",
)

SCENARIO = r"""
import os, re
c = libvirt.open(os.environ['OX_URI'])
D = os.environ['OX_POOLDIR']
def norm(x):
    if isinstance(x, str):
        x = x.replace(D, 'D')
        x = re.sub(r'[0-9a-f]{8}-[0-9a-f-]{27}', 'U', x)
        x = re.sub(r'<(atime|mtime|ctime|btime)>[0-9.]+</\1>', '<\\1/>', x)
        x = re.sub(r'<(owner|group)>[0-9]+</\1>', '<\\1/>', x)
    return x
def tx(f, *a):
    return [norm(x) for x in attempt(f, *a)]
o = out
o['caps'] = tx(c.getStoragePoolCapabilities, 0)
p = c.storagePoolDefineXML("<pool type='dir'><name>sys</name><target><path>%s</path></target>"
                           "</pool>" % D, 0)
o['build'] = tx(p.build, 0)
o['create'] = tx(p.create, 0)
o['by_target'] = [tx(lambda: c.storagePoolLookupByTargetPath(D).name()),
                  tx(c.storagePoolLookupByTargetPath, '/nonexistent')]
v = p.createXML("<volume><name>a.img</name><capacity unit='M'>4</capacity>"
                "<allocation>0</allocation><target><format type='raw'/></target></volume>", 0)
o['vol'] = [norm(v.key()), norm(v.path()), v.name(), v.info()[0], v.info()[1]]
o['info_flags'] = [tx(lambda: v.infoFlags(0)[:2]), tx(v.infoFlags, 99)]
o['resize'] = [tx(v.resize, 8 << 20, 0), v.info()[1], tx(v.resize, 0, 0),
               tx(v.resize, 1 << 20, 0), tx(v.resize, 1 << 20, 4), v.info()[1]]
o['wipe'] = [tx(v.wipe, 0), tx(v.wipePattern, 0, 0), tx(v.wipePattern, 99, 0)]
w = p.createXMLFrom("<volume><name>b.img</name><capacity unit='M'>1</capacity></volume>", v, 0)
o['clone'] = [w.name(), w.info()[1]]
o['lookups'] = [tx(lambda: c.storageVolLookupByPath(v.path()).name()),
                tx(lambda: c.storageVolLookupByKey(w.key()).name()),
                tx(lambda: w.storagePoolLookupByVolume().name()),
                tx(c.storageVolLookupByPath, '/nonexistent')]
o['refresh'] = tx(p.refresh, 0)
o['names'] = [sorted(p.listVolumes()), sorted(x.name() for x in p.listAllVolumes(0)),
              p.numOfVolumes()]
o['xml'] = [norm(v.XMLDesc(0)).count('\n'), '<format type=\'raw\'/>' in v.XMLDesc(0)]
o['dup'] = tx(p.createXML, "<volume><name>a.img</name><capacity>1</capacity></volume>", 0)
o['delete'] = [tx(w.delete, 0), tx(w.info), tx(v.delete, 0)]
o['state'] = [p.isActive(), p.isPersistent(), p.info()[0]]
o['stop'] = [tx(p.destroy), tx(p.delete, 0), tx(p.undefine), os.path.exists(D)]
"""


def test_dir_pool_of_a_real_storage_driver():
    a, b = fresh_pair()
    try:
        res = []
        for d, lib in ((a, "real"), (b, "oxvirt")):
            uri = f"qemu+unix:///system?socket={d.sock}"
            pooldir = os.path.join(d.dir, "pool")
            res.append(run(SCENARIO, lib, env_extra={"OX_URI": uri, "OX_POOLDIR": pooldir}))
    finally:
        a.stop()
        b.stop()
    real, ox = res
    assert real["create"] == ["ok", 0], real
    assert real == ox
