"""Host interfaces and node devices of the test driver: the default fixture's eth1 and its node
devices (computer, scsi_host1/2/11) with their XML, capabilities, parents and every listing
filter; interface XML of each type (ethernet, bridge, bond, vlan) and libvirt's parse errors;
the interface lifecycle and change transaction; the mock vHBA of virNodeDeviceCreateXML and
virNodeDeviceDestroy (which can fail yet return 0, leaving the error as the last error); node
files with <interface> and <device> inline and by file=. Real libvirt 9.0.0 and oxvirt must
agree on each. The scenarios take their URI from `URI`, so test_remote_ifnode.py runs them
through a daemon."""
import os
import tempfile

from harness import both

LOCAL = "URI = 'test:///default'\n"

COMMON = """
def lists(c):
    return [c.numOfInterfaces(), sorted(c.listInterfaces()), c.numOfDefinedInterfaces(),
            sorted(c.listDefinedInterfaces())]
def devs(c):
    return sorted(c.listDevices(None))
def last():
    e = libvirt.virGetLastError()
    return None if e is None else [e[0], e[1], e[2]]
"""

FIXTURE = COMMON + """
c = libvirt.open(URI)
out['lists'] = lists(c)
i = c.interfaceLookupByName('eth1')
out['eth1'] = [i.name(), i.MACString(), i.isActive(), i.XMLDesc(0)]
out['eth1_conn'] = i.connect().getURI() == c.getURI()
out['all'] = [sorted((x.name(), x.MACString(), x.isActive()) for x in c.listAllInterfaces(f))
              for f in (0, 1, 2, 3)]
out['all_bad'] = attempt(c.listAllInterfaces, 4)
out['by_mac'] = [attempt(lambda m=m: [c.interfaceLookupByMACString(m).name(),
                                      c.interfaceLookupByMACString(m).MACString()])
                 for m in ('aa:bb:cc:dd:ee:ff', 'AA:BB:CC:DD:EE:FF', '00:11:22:33:44:55')]
out['no_iface'] = attempt(c.interfaceLookupByName, 'nope')
out['xml_flags'] = attempt(i.XMLDesc, 1)
out['devs'] = devs(c)
out['num'] = c.numOfDevices(None)
out['by_cap'] = {cap: [sorted(c.listDevices(cap)), c.numOfDevices(cap)]
                 for cap in ('system', 'scsi_host', 'fc_host', 'vports', 'vport_ops', 'pci',
                             'net', 'bogus')}
out['list_flags'] = attempt(c.listDevices, None, 1)
out['num_flags'] = attempt(c.numOfDevices, None, 1)
out['all_devs'] = {str(f): attempt(lambda f=f: sorted(d.name() for d in c.listAllDevices(f)))
                   for f in (0, 1, 2, 32, 512, 1024, 1536, 1 << 21, 1 << 22, 1 << 30)}
res = {}
for name in out['devs']:
    d = c.nodeDeviceLookupByName(name)
    res[name] = [d.name(), attempt(d.parent), d.listCaps(), d.numOfCaps(), d.XMLDesc(0),
                 attempt(d.XMLDesc, 1)]
out['each'] = res
out['no_dev'] = attempt(c.nodeDeviceLookupByName, 'nope')
"""

IFACE_XML = [
    "probe",
    "<foo/>",
    "<interface/>",
    "<interface type='bogus'/>",
    "<interface type='ethernet'/>",
    "<interface type='ethernet' name='e2'><mtu size='100001'/></interface>",
    "<interface type='ethernet' name='e2'><mtu size='abc'/></interface>",
    "<interface type='ethernet' name='e2'><start mode='x'/></interface>",
    "<interface type='ethernet' name='e2'><protocol/></interface>",
    "<interface type='ethernet' name='e2'><protocol family='ipx'/></interface>",
    "<interface type='ethernet' name='e2'><protocol family='ipv4'><ip address='1.2.3.4' "
    "prefix='x'/></protocol></interface>",
    "<interface type='bridge' name='br0'/>",
    "<interface type='bond' name='bond0'/>",
    "<interface type='vlan' name='v0'/>",
    "<interface type='vlan' name='v0'><vlan/></interface>",
    "<interface type='vlan' name='v0'><vlan tag='5'/></interface>",
    "<interface type='bond' name='b1'><bond mode='x'/></interface>",
    "<interface type='bond' name='b1'><bond><miimon/></bond></interface>",
    "<interface type='bond' name='b1'><bond><arpmon interval='3'/></bond></interface>",
    "<interface type='bond' name='b1'><bond><interface type='bridge' name='x'/></bond>"
    "</interface>",
    "<interface type='ethernet' name='e2'><link state='bogus'/></interface>",
    "<interface type='ethernet' name='e2'><link speed='x'/></interface>",
    "<interface type='ethernet' name='e3'><mac address='52:54:00:00:00:03'/>"
    "<link speed='100' state='down'/><start mode='hotplug'/></interface>",
    "<interface type='bridge' name='br0'><start mode='onboot'/><mtu size='1500'/>"
    "<protocol family='ipv4'><dhcp peerdns='yes'/></protocol><protocol family='ipv6'>"
    "<autoconf/><dhcp/><ip address='fe80::1' prefix='64'/><route gateway='fe80::ff'/>"
    "</protocol><bridge stp='off' delay='0.01'><interface type='ethernet' name='eth0'>"
    "<mac address='AA:bb:cc:00:00:01'/><link speed='1000' state='up'/><mtu size='9000'/>"
    "</interface><interface type='vlan' name='eth0.5'><vlan tag='5'>"
    "<interface name='eth0'/></vlan></interface><interface type='bond' name='bond1'>"
    "<bond mode='active-backup'><miimon freq='100' updelay='10' carrier='netif'/>"
    "<interface type='ethernet' name='eth3'/></bond></interface></bridge></interface>",
    "<interface type='bond' name='bond0'><start mode='none'/><bond mode='802.3ad'>"
    "<arpmon interval='100' target='192.168.1.1' validate='all'/>"
    "<interface type='ethernet' name='eth4'><mac address='52:54:00:00:00:04'/></interface>"
    "</bond></interface>",
    "<interface type='vlan' name='eth0.9'><protocol family='ipv4'><dhcp peerdns='no'/>"
    "<ip address='10.0.0.2'/></protocol><vlan tag='9'><interface name='eth0'/></vlan>"
    "</interface>",
]

IFACES = COMMON + """
c = libvirt.open(URI)
res = []
for x in XMLS:
    r = attempt(c.interfaceDefineXML, x, 0)
    if r[0] == 'ok':
        i = r[1]
        r = ['ok', i.name(), i.MACString(), i.isActive(), i.XMLDesc()]
    res.append(r)
out['define'] = res
out['lists'] = lists(c)
out['bad_flags'] = attempt(c.interfaceDefineXML, XMLS[-1], 2)
out['validate'] = attempt(lambda: c.interfaceDefineXML(XMLS[-1], 1).name())
# A second definition with a known name replaces the first (state kept).
c.interfaceLookupByName('e3').create(0)
out['redefine'] = attempt(lambda: c.interfaceDefineXML(
    "<interface type='ethernet' name='e3'><mtu size='1400'/></interface>").XMLDesc())
out['redefined_active'] = c.interfaceLookupByName('e3').isActive()
out['mac_gone'] = attempt(c.interfaceLookupByMACString, '52:54:00:00:00:03')
"""


def test_fixture():
    real, ox = both(LOCAL + FIXTURE)
    assert real == ox
    assert real["lists"] == [1, ["eth1"], 0, []]
    assert real["devs"] == ["computer", "scsi_host1", "scsi_host11", "scsi_host2"]
    assert real["each"]["computer"][1] == ["ok", None]


def test_interface_xml_and_errors():
    code = LOCAL + f"XMLS = {IFACE_XML!r}\n" + IFACES
    real, ox = both(code)
    assert real == ox
    assert real["define"][0][0] == "err" and real["define"][-1][0] == "ok"


LIFECYCLE = COMMON + """
c = libvirt.open(URI)
o = out
def step(what, f, *a):
    o[what] = [attempt(f, *a), lists(c)]
e = c.interfaceDefineXML("<interface type='ethernet' name='e5'><mac address='52:54:00:00:00:05'/></interface>")
eth1 = c.interfaceLookupByName('eth1')
step('destroy_inactive', e.destroy, 0)
step('create', e.create, 0)
step('create_again', e.create, 0)
step('create_flags', e.create, 1)
step('destroy_flags', e.destroy, 1)
step('destroy', e.destroy, 0)
step('commit_none', c.changeCommit, 0)
step('rollback_none', c.changeRollback, 0)
step('begin_flags', c.changeBegin, 1)
step('begin', c.changeBegin, 0)
step('begin_again', c.changeBegin, 0)
e.create(0)
step('undefine_eth1', eth1.undefine)
c.interfaceDefineXML("<interface type='ethernet' name='tx'/>")
step('commit_flags', c.changeCommit, 1)
step('rollback', c.changeRollback, 0)
o['after_rollback'] = [attempt(eth1.isActive), attempt(e.isActive)]
step('begin2', c.changeBegin, 0)
step('undefine_e5', e.undefine)
step('commit', c.changeCommit, 0)
o['gone'] = [attempt(e.isActive), attempt(e.XMLDesc), attempt(e.undefine), attempt(e.create, 0),
             attempt(e.destroy, 0), e.name(), e.MACString()]
step('undefine_active', eth1.undefine)
"""


def test_interface_lifecycle_and_transaction():
    real, ox = both(LOCAL + LIFECYCLE)
    assert real == ox
    assert real["create_again"][0][0] == "err"
    assert real["rollback"][1] == [0, [], 2, ["e5", "eth1"]]


NODEDEV = COMMON + """
c = libvirt.open(URI)
def create(x, f=0):
    r = attempt(c.nodeDeviceCreateXML, x, f)
    if r[0] == 'ok':
        d = r[1]
        r = ['ok', d.name(), d.parent(), d.XMLDesc(), devs(c)]
    return r
FC = "<capability type='scsi_host'><capability type='fc_host'><wwnn>%s</wwnn><wwpn>%s</wwpn></capability></capability>"
cases = [
    "probe", "<foo/>",
    "<device><parent>scsi_host1</parent>" + FC % ('2001000000000001', '1001000000000001') + "</device>",
    "<device><parent>scsi_host1</parent>" + FC % ('2001000000000002', '1001000000000002') + "</device>",
    "<device><parent>scsi_host2</parent><capability type='scsi_host'><capability type='fc_host'></capability></capability></device>",
    "<device><parent>scsi_host2</parent><capability type='scsi_host'><capability type='fc_host'><wwnn>1</wwnn></capability></capability></device>",
    "<device>" + FC % ('2001000000000003', '1001000000000003') + "</device>",
    "<device><parent>computer</parent>" + FC % ('1', '2') + "</device>",
    "<device><parent>nope</parent>" + FC % ('1', '2') + "</device>",
    "<device><parent>scsi_host11</parent>" + FC % ('1', '2') + "</device>",
    "<device><parent wwnn='2000000056785678' wwpn='1000000056785678'/>" + FC % ('3', '4') + "</device>",
    "<device><parent wwnn='2000000056785678' wwpn='9'/>" + FC % ('3', '4') + "</device>",
    "<device><parent wwnn='2000000056785678'/>" + FC % ('3', '4') + "</device>",
    "<device><parent wwpn='2000000056785678'/>" + FC % ('3', '4') + "</device>",
    "<device><parent fabric_wwn='2000000087658765'/>" + FC % ('5', '6') + "</device>",
    "<device><parent fabric_wwn='77'/>" + FC % ('5', '6') + "</device>",
    "<device><parent>scsi_host1</parent><capability type='system'/></device>",
    "<device><parent>scsi_host1</parent><capability type='system'><hardware><uuid>x</uuid></hardware></capability></device>",
    "<device><parent>scsi_host1</parent><capability type='bogus'/></device>",
    "<device><parent>scsi_host1</parent><capability/></device>",
    "<device><parent>scsi_host1</parent><capability type='scsi_host'><capability/></capability></device>",
    "<device><parent>scsi_host1</parent><capability type='scsi_host'><capability type='x'/></capability></device>",
    "<device><name>x</name><parent>scsi_host1</parent><capability type='scsi_host'/></device>",
    "<device><parent>scsi_host1</parent></device>",
]
out['create'] = [create(x) for x in cases]
out['create_flags'] = attempt(c.nodeDeviceCreateXML, cases[2], 2)
# VIR_NODE_DEVICE_CREATE_XML_VALIDATE checks against libvirt's RNG schema, which oxvirt does
# not have (it accepts the flag and does not validate): not compared here.
res = []
h = {}
for n in ['scsi_host12', 'computer', 'scsi_host1', 'scsi_host11', 'scsi_host2']:
    d = h[n] = c.nodeDeviceLookupByName(n)
    r = attempt(d.destroy)
    res.append([n, r, last(), devs(c)])
out['destroy'] = res
out['destroy_gone'] = [attempt(h['scsi_host2'].destroy), attempt(h['scsi_host2'].XMLDesc),
                       attempt(h['scsi_host2'].parent), attempt(h['scsi_host12'].parent)]
out['no_template'] = create(cases[2])
"""


def test_node_device_create_and_destroy():
    real, ox = both(LOCAL + NODEDEV)
    assert real == ox
    assert real["create"][2][0:3] == ["ok", "scsi_host12", "scsi_host1"]
    # computer is no fibre channel HBA: 0 is returned, the error stays the last error.
    assert real["destroy"][1][1] == ["ok", 0] and real["destroy"][1][2][0] == 1


READONLY = """
c = libvirt.openReadOnly('test:///default')
out['define'] = attempt(c.interfaceDefineXML, "<interface type='ethernet' name='x'/>", 0)
i = c.interfaceLookupByName('eth1')
out['ops'] = [attempt(i.create, 0), attempt(i.destroy, 0), attempt(i.undefine),
              attempt(c.changeBegin, 0), attempt(c.changeCommit, 0), attempt(c.changeRollback, 0)]
out['nodedev'] = [attempt(c.nodeDeviceCreateXML, '<device/>', 0),
                  attempt(c.nodeDeviceLookupByName('scsi_host11').destroy)]
out['reads'] = [i.XMLDesc(), i.isActive(), sorted(c.listDevices(None)),
                c.nodeDeviceLookupByName('scsi_host11').XMLDesc()]
"""


def test_read_only():
    real, ox = both(READONLY)
    assert real == ox
    assert real["define"][0] == "err" and "read only access" in real["define"][3]


NODEFILE = COMMON + """
import os
res = {}
for name in sorted(os.listdir(DIR)):
    if not name.startswith('node'):
        continue
    r = attempt(libvirt.open, 'test://' + os.path.join(DIR, name))
    if r[0] == 'ok':
        c = r[1]
        r = ['ok', lists(c), [c.interfaceLookupByName(n).XMLDesc()
                              for n in sorted(c.listInterfaces() + c.listDefinedInterfaces())],
             [[n, c.nodeDeviceLookupByName(n).XMLDesc(), c.nodeDeviceLookupByName(n).listCaps()]
              for n in devs(c)]]
    res[name] = r
out['nodes'] = res
"""

NODE_FILES = {
    "iface.xml": "<interface type='bond' name='bond7'><bond><interface type='ethernet' "
                 "name='eth7'/></bond></interface>",
    "dev.xml": "<device><name>pci_0000_00_01_0</name><path>/sys/devices/pci0000:00/0000:00:01.0"
               "</path><parent>computer</parent><capability type='pci'><class>0x060000</class>"
               "<domain>0</domain><bus>0</bus><slot>1</slot><function>0</function>"
               "<product id='0x1237'>440FX</product><vendor id='0x8086'>Intel</vendor>"
               "</capability></device>",
    "node-inline.xml": "<node><interface type='ethernet' name='a'><mac address='52:54:00:0a:0b:0c'/>"
                       "</interface><interface type='bridge' name='br1'><bridge stp='on'>"
                       "<interface type='ethernet' name='b'/></bridge></interface>"
                       "<device><name>computer</name><capability type='system'><product>P"
                       "</product><hardware><uuid>11111111-2222-3333-4444-555555555555</uuid>"
                       "</hardware></capability></device>"
                       "<device><name>scsi_host5</name><parent>computer</parent>"
                       "<devnode type='dev'>/dev/x</devnode><devnode type='link'>/dev/y"
                       "</devnode><capability type='scsi_host'><host>5</host>"
                       "<capability type='vport_ops'/></capability></device></node>",
    "node-files.xml": "<node><interface file='iface.xml'/><device file='dev.xml'/></node>",
    "node-bad-iface.xml": "<node><interface type='ethernet'/></node>",
    "node-bad-dev-name.xml": "<node><device><capability type='system'/></device></node>",
    "node-bad-dev-host.xml": "<node><device><name>s</name><capability type='scsi_host'/>"
                             "</device></node>",
    "node-bad-dev-uid.xml": "<node><device><name>s</name><capability type='scsi_host'><host>1"
                            "</host><unique_id>x</unique_id></capability></device></node>",
    "node-bad-dev-nocap.xml": "<node><device><name>s</name></device></node>",
    "node-missing-file.xml": "<node><device file='nope.xml'/></node>",
}


def test_node_files():
    with tempfile.TemporaryDirectory() as d:
        for name, text in NODE_FILES.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        real, ox = both(f"DIR = {d!r}\n" + NODEFILE)
    assert real == ox
    assert real["nodes"]["node-inline.xml"][0] == "ok"
    assert real["nodes"]["node-bad-iface.xml"][0] == "err"
