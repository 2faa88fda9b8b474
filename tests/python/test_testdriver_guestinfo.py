"""Guest filesystems, interface addresses and the descriptor-taking create calls on
test:///default (scope hostmisc): Debian's libvirt and oxvirt must answer the same values,
XML-derived addresses and errors."""
import re
from harness import both

SCENARIO = r"""
import os
c = libvirt.open('test:///default')
d = c.lookupByName('test')
o = out
o['fsinfo'] = attempt(d.fsInfo)
o['fsinfo_flags'] = attempt(d.fsInfo, 1)
for s in range(4):
    o['addrs_%d' % s] = attempt(d.interfaceAddresses, s)
o['addrs_flags'] = attempt(d.interfaceAddresses, 0, 1)
fd = os.open('/dev/null', os.O_RDONLY)
o['create_running'] = attempt(d.createWithFiles, [fd], 0)
d.destroy()
o['fsinfo_off'] = attempt(d.fsInfo)
o['addrs_off'] = attempt(d.interfaceAddresses, 0)
o['create_flags'] = attempt(d.createWithFiles, [], 1)
o['create'] = attempt(d.createWithFiles, [fd], 0)
o['id_after'] = d.ID()
XML = ('<domain type="test"><name>gx</name><memory>1024</memory><os><type>hvm</type></os>'
       '<devices><interface type="user"/><interface type="network">'
       '<mac address="52:54:00:AA:BB:01"/><source network="default"/></interface>'
       '<disk device="cdrom"><target dev="hdc"/></disk>'
       '<disk type="file" device="disk"><source file="/x"/><target dev="sdb"/></disk>'
       '</devices></domain>')
x = c.createXMLWithFiles(XML, [fd], 0)
o['x_id'] = x.ID()
o['x_addrs'] = attempt(x.interfaceAddresses, 0)
o['x_fsinfo'] = attempt(x.fsInfo)
o['x_again'] = attempt(c.createXMLWithFiles, XML, [], 0)
o['x_flags'] = attempt(c.createXMLWithFiles, XML.replace('gx', 'gy'), [], 2)
o['x_bad'] = attempt(c.createXMLWithFiles, 'junk', [fd], 0)
bad = XML.replace('gx', 'gz').replace('network="default"', 'network="nosuch"')
gz = c.createXMLWithFiles(bad, [], 0)
o['z_addrs'] = attempt(gz.interfaceAddresses, 0)
r = libvirt.open('test:///default') if False else libvirt.openReadOnly('test:///default')
rd = r.lookupByName('gx')
o['ro_fsinfo'] = attempt(rd.fsInfo)
o['ro_addrs_lease'] = attempt(rd.interfaceAddresses, 0)
o['ro_addrs_agent'] = attempt(rd.interfaceAddresses, 1)
o['ro_create'] = attempt(r.createXMLWithFiles, XML, [], 0)
"""


def mask_macs(v):
    v = re.sub(r"52:54:00(:[0-9a-f]{2}){3}", "MAC", repr(v))
    return re.sub(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "UUID", v)


def test_guest_info_and_create_with_files():
    real, ox = both(SCENARIO)
    assert mask_macs(real) == mask_macs(ox)
    # The scenario reached what it meant to compare.
    assert real["fsinfo"][0] == "ok" and len(real["fsinfo"][1]) == 2
    assert real["x_addrs"][0] == "ok" and real["create"] == ["ok", 0]
    assert real["z_addrs"][0] == "err"
