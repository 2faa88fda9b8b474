"""Networks, network ports and DHCP leases, secrets and nwfilters (with bindings) through the
remote driver: the same scenario with Debian's libvirt client and with oxvirt, each against its
own fresh libvirtd 9.0.0 started by tests/remote/libvirtd-harness.sh. Networks run on the
daemon's test driver (the scenarios of test_testdriver_networks.py) and on its real network
driver (qemu+unix:///system: update of every section, ports, leases); secrets and nwfilters on
the daemon's secret and nwfilter drivers (libvirt's test driver has neither).
Needs what tests/python/test_remote.py needs; run under flock /tmp/oxvirt-daemon.lock."""
import pytest

import test_testdriver_networks as tn
from test_testdriver_netupdate import UPDATES
from test_remote import differential

PRELUDE = "import os, re\nURI = os.environ['OX_URI']\n"


def qemu_uri(d):
    return f"qemu+unix:///system?socket={d.sock}"


SOCKETS = """
import json
out.update(json.loads(json.dumps(out).replace(os.environ['OX_SOCK'], 'SOCK')))
"""


def remote(code):
    return PRELUDE + code.replace("'test:///default'", "URI") + SOCKETS


@pytest.mark.parametrize("name", ["FIXTURE", "XML", "LIFECYCLE", "LISTING", "ERRORS"])
def test_test_driver_networks_through_the_daemon(name):
    real, ox = differential(remote(getattr(tn, name)))
    assert real == ox
    assert real  # the scenario observed something


NETWORK_DRIVER = UPDATES + r"""
# A bridge-mode network starts without dnsmasq or iptables: live updates, ports, leases.
o['start'] = attempt(br.create)
o['live_pg'] = upd(br, ADDL, L.VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='live'/>", LIVE)
o['current_pg'] = upd(br, ADDL, L.VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='cur'/>", 0)
o['both_pg'] = upd(br, ADDL, L.VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='bo'/>",
                   LIVE | CFG)
o['leases'] = attempt(lambda: br.DHCPLeases())
o['leases_mac'] = attempt(lambda: br.DHCPLeases('52:54:00:11:22:33'))
o['leases_flags'] = attempt(lambda: br.DHCPLeases(None, 1))
PORT = ("<networkport><uuid>22222222-3333-4444-5555-000000000001</uuid>"
        "<owner><name>g</name><uuid>33333333-4444-5555-6666-000000000001</uuid></owner>"
        "<mac address='52:54:00:11:22:33'/></networkport>")
PORT2 = ("<networkport><uuid>22222222-3333-4444-5555-000000000002</uuid>"
         "<owner><name>h</name><uuid>33333333-4444-5555-6666-000000000002</uuid></owner>"
         "<mac address='52:54:00:11:22:34'/><plug type='bridge' bridge='brx'/></networkport>")
o['ports0'] = attempt(lambda: br.listAllPorts())
p = br.portCreateXML(PORT)
o['port'] = [p.UUIDString(), list(p.UUID()), p.XMLDesc(0), p.network().name()]
o['port_plug'] = attempt(lambda: br.portCreateXML(PORT2).UUIDString())
o['port_reclaim'] = attempt(lambda: br.portCreateXML(PORT2, 1).XMLDesc())
o['port_bad_flags'] = attempt(lambda: br.portCreateXML(PORT2, 4).XMLDesc())
o['port_dup'] = attempt(lambda: br.portCreateXML(PORT).UUIDString())
o['port_bad'] = attempt(lambda: br.portCreateXML("<networkport/>").UUIDString())
o['port_badxml'] = attempt(lambda: br.portCreateXML("nope").UUIDString())[:3]
o['ports'] = sorted(q.UUIDString() for q in br.listAllPorts())
o['ports_flags'] = attempt(lambda: br.listAllPorts(1))
o['port_lookup'] = br.portLookupByUUIDString('22222222-3333-4444-5555-000000000001').XMLDesc()
o['port_lookup_raw'] = br.portLookupByUUID(p.UUID()).UUIDString()
o['port_lookup_missing'] = attempt(lambda: br.portLookupByUUIDString(
    '22222222-3333-4444-5555-0000000000ff').UUIDString())
o['port_lookup_bad'] = attempt(lambda: br.portLookupByUUIDString('bad').UUIDString())
o['port_xml_flags'] = attempt(p.XMLDesc, 1)
o['port_delete'] = attempt(p.delete)
o['port_delete_again'] = attempt(p.delete)
o['port_gone_xml'] = attempt(p.XMLDesc)
o['ports_after'] = sorted(q.UUIDString() for q in br.listAllPorts())
o['destroy'] = attempt(br.destroy)
o['after'] = [mask(br.XMLDesc(0)), attempt(br.isActive)]
o['ports_inactive'] = attempt(lambda: br.listAllPorts())
o['undefine'] = [attempt(br.undefine), attempt(nat.undefine)]
o['lists'] = [c.numOfNetworks(), c.listNetworks(), c.numOfDefinedNetworks(), c.listDefinedNetworks()]
ro = libvirt.openReadOnly(URI)
o['ro'] = [attempt(lambda: ro.networkDefineXML("<network><name>x</name></network>")),
           attempt(ro.listAllNetworks)]
"""


def test_network_driver_update_ports_leases():
    real, ox = differential(PRELUDE + NETWORK_DRIVER, uri_of=qemu_uri)
    diff = {k: (real.get(k), ox.get(k)) for k in set(real) | set(ox) if real.get(k) != ox.get(k)}
    assert not diff
    assert real["port"][3] == "nsbr" and real["pg_add"][0] == ["ok", 0]


SECRETS = r"""
c = libvirt.open(URI)
L = libvirt
o = out
U1 = '44444444-5555-6666-7777-000000000001'
s = c.secretDefineXML("<secret ephemeral='no' private='no'><uuid>" + U1 + "</uuid>"
                      "<description>disk key</description>"
                      "<usage type='volume'><volume>/var/lib/a.img</volume></usage></secret>")
o['s'] = [s.XMLDesc(0), s.usageType(), s.usageID(), s.UUIDString(), list(s.UUID())]
o['value_unset'] = attempt(s.value)
o['set'] = attempt(s.setValue, b'hunter2')
o['value'] = attempt(lambda: list(s.value()))
o['set_bin'] = attempt(s.setValue, b'\x00\x01\xff\x00')
o['value_bin'] = attempt(lambda: list(s.value()))
o['set_empty'] = attempt(s.setValue, b'')
o['value_empty'] = attempt(lambda: list(s.value()))
o['value_flags'] = attempt(s.value, 1)
o['set_flags'] = attempt(s.setValue, b'x', 1)
o['xml_flags'] = attempt(s.XMLDesc, 1)
priv = c.secretDefineXML("<secret ephemeral='yes' private='yes'>"
                         "<uuid>44444444-5555-6666-7777-000000000002</uuid>"
                         "<usage type='ceph'><name>client.admin</name></usage></secret>")
o['priv_set'] = attempt(priv.setValue, b'secret')
o['priv_value'] = attempt(lambda: list(priv.value()))
t = c.secretDefineXML("<secret><usage type='iscsi'><target>iqn.x</target></usage></secret>")
o['random_uuid'] = re.fullmatch(r'[0-9a-f-]{36}', t.UUIDString()) is not None
def S(uuids):
    # sorted with the random uuid masked first: where it sorts among the fixed ones is chance
    return sorted('RANDOM' if u == t.UUIDString() else u for u in uuids)
o['tls'] = attempt(lambda: c.secretDefineXML(
    "<secret><uuid>44444444-5555-6666-7777-000000000004</uuid>"
    "<usage type='tls'><name>t1</name></usage></secret>").usageID())
o['vtpm'] = attempt(lambda: c.secretDefineXML(
    "<secret><uuid>44444444-5555-6666-7777-000000000005</uuid>"
    "<usage type='vtpm'><name>v1</name></usage></secret>").usageType())
o['dup_usage'] = attempt(lambda: c.secretDefineXML(
    "<secret><usage type='volume'><volume>/var/lib/a.img</volume></usage></secret>").UUIDString())
o['redefine'] = attempt(lambda: c.secretDefineXML(
    "<secret ephemeral='no' private='no'><uuid>" + U1 + "</uuid><description>new</description>"
    "<usage type='volume'><volume>/var/lib/a.img</volume></usage></secret>").XMLDesc())
o['redefine_usage'] = attempt(lambda: c.secretDefineXML(
    "<secret><uuid>" + U1 + "</uuid><usage type='volume'><volume>/b</volume></usage></secret>")
    .XMLDesc())
o['bad_xml'] = attempt(c.secretDefineXML, "<secret")[:3]
o['wrong_root'] = attempt(c.secretDefineXML, "<notsecret/>")
o['bad_usage'] = attempt(c.secretDefineXML, "<secret><usage type='nope'/></secret>")
o['validate_flag'] = attempt(lambda: c.secretDefineXML(
    "<secret><uuid>44444444-5555-6666-7777-000000000006</uuid></secret>", 1).UUIDString())
o['bad_flags'] = attempt(lambda: c.secretDefineXML("<secret/>", 2).UUIDString())
o['by_uuid'] = c.secretLookupByUUID(s.UUID()).usageID()
o['by_uuidstr'] = c.secretLookupByUUIDString(U1).usageID()
o['by_usage'] = c.secretLookupByUsage(L.VIR_SECRET_USAGE_TYPE_VOLUME, '/var/lib/a.img').UUIDString()
o['by_usage_missing'] = attempt(lambda: c.secretLookupByUsage(L.VIR_SECRET_USAGE_TYPE_VOLUME, '/x'))
o['by_usage_type'] = attempt(lambda: c.secretLookupByUsage(L.VIR_SECRET_USAGE_TYPE_CEPH,
                                                           '/var/lib/a.img'))
o['by_uuid_missing'] = attempt(c.secretLookupByUUIDString, '44444444-5555-6666-7777-0000000000ff')
o['by_uuid_bad'] = attempt(c.secretLookupByUUIDString, 'bad')
o['num'] = c.numOfSecrets()
o['list'] = S(c.listSecrets())
o['all'] = {f: S(x.UUIDString() for x in c.listAllSecrets(f)) for f in range(16)}
o['all_bad'] = attempt(c.listAllSecrets, 16)
ro = libvirt.openReadOnly(URI)
rs = ro.secretLookupByUUIDString(U1)
o['ro'] = [attempt(rs.value), attempt(rs.setValue, b'x'), attempt(rs.undefine),
           attempt(ro.secretDefineXML, "<secret/>"), rs.XMLDesc(0) == s.XMLDesc(0),
           S(ro.listSecrets())]
o['undefine'] = attempt(s.undefine)
o['undefine_again'] = attempt(s.undefine)
o['gone'] = [attempt(s.XMLDesc), attempt(s.value), attempt(s.setValue, b'x'),
             s.usageID(), s.UUIDString()]
o['after'] = [c.numOfSecrets(), S(c.listSecrets())]
import json
out.update(json.loads(json.dumps(out).replace(t.UUIDString(), 'RANDOM')))
"""


def test_secrets():
    real, ox = differential(PRELUDE + SECRETS, uri_of=qemu_uri)
    diff = {k: (real.get(k), ox.get(k)) for k in set(real) | set(ox) if real.get(k) != ox.get(k)}
    assert not diff
    assert real["value"] == ["ok", list(b"hunter2")]


NWFILTERS = r"""
c = libvirt.open(URI)
o = out
U1 = '55555555-6666-7777-8888-000000000001'
f = c.nwfilterDefineXML("<filter name='nf1' chain='ipv4' priority='-650'><uuid>" + U1 + "</uuid>"
                        "<rule action='accept' direction='out' priority='500'>"
                        "<ip srcipaddr='10.0.0.1' protocol='tcp' dstportstart='22'/></rule>"
                        "<rule action='drop' direction='inout'><all/></rule></filter>")
o['f'] = [f.XMLDesc(0), f.name(), f.UUIDString(), list(f.UUID())]
g = c.nwfilterDefineXMLFlags("<filter name='nf2'><uuid>55555555-6666-7777-8888-000000000002</uuid>"
                             "<filterref filter='nf1'><parameter name='IP' value='10.0.0.2'/>"
                             "</filterref></filter>", 0)
o['g'] = g.XMLDesc(0)
o['h'] = attempt(lambda: re.sub(r'<uuid>.*</uuid>', '', c.nwfilterDefineXML(
    "<filter name='nf3' chain='arp'><rule action='accept' direction='in'><arp/></rule></filter>")
    .XMLDesc()))
o['validate'] = attempt(lambda: c.nwfilterDefineXMLFlags(
    "<filter name='nf4'><uuid>55555555-6666-7777-8888-000000000004</uuid></filter>", 1).name())
o['bad_flags'] = attempt(c.nwfilterDefineXMLFlags, "<filter name='nf5'/>", 2)
o['bad_xml'] = attempt(c.nwfilterDefineXML, "<filter")[:3]
o['wrong_root'] = attempt(c.nwfilterDefineXML, "<nope/>")
o['no_name'] = attempt(c.nwfilterDefineXML, "<filter/>")
o['bad_rule'] = attempt(c.nwfilterDefineXML,
                        "<filter name='nf6'><rule action='maybe' direction='in'/></filter>")
o['dup_uuid'] = attempt(c.nwfilterDefineXML, "<filter name='other'><uuid>" + U1 + "</uuid></filter>")
o['loop'] = attempt(c.nwfilterDefineXML,
                    "<filter name='nf1'><uuid>" + U1 + "</uuid><filterref filter='nf2'/></filter>")
o['by_name'] = c.nwfilterLookupByName('nf1').UUIDString()
o['by_uuid'] = c.nwfilterLookupByUUID(f.UUID()).name()
o['by_uuidstr'] = c.nwfilterLookupByUUIDString(U1).name()
o['by_name_missing'] = attempt(c.nwfilterLookupByName, 'nope')
o['by_uuid_missing'] = attempt(c.nwfilterLookupByUUIDString, '55555555-6666-7777-8888-0000000000ff')
o['by_uuid_bad'] = attempt(c.nwfilterLookupByUUIDString, 'bad')
o['xml_flags'] = attempt(f.XMLDesc, 1)
o['num'] = c.numOfNWFilters()
o['list'] = sorted(c.listNWFilters())
o['all'] = sorted(x.name() for x in c.listAllNWFilters())
o['all_flags'] = attempt(c.listAllNWFilters, 1)
o['bindings'] = attempt(lambda: [b.portDev() for b in c.listAllNWFilterBindings()])
o['bindings_flags'] = attempt(c.listAllNWFilterBindings, 1)
o['binding_missing'] = attempt(c.nwfilterBindingLookupByPortDev, 'vnet0')
BIND = ("<filterbinding><owner><name>g</name><uuid>66666666-7777-8888-9999-000000000001</uuid>"
        "</owner><portdev name='vnet7'/><mac address='52:54:00:11:22:33'/>"
        "<filterref filter='nf1'/></filterbinding>")
def bind():
    b = c.nwfilterBindingCreateXML(BIND)
    r = [b.portDev(), b.filterName(), b.XMLDesc(0),
         c.nwfilterBindingLookupByPortDev('vnet7').filterName(),
         [x.portDev() for x in c.listAllNWFilterBindings()],
         attempt(c.nwfilterBindingCreateXML, BIND)]
    r.append(attempt(b.delete))
    r.append(attempt(b.delete))
    return r
o['binding'] = attempt(bind)
o['binding_bad'] = attempt(c.nwfilterBindingCreateXML, "<filterbinding/>")
o['binding_badxml'] = attempt(c.nwfilterBindingCreateXML, "<filterbinding")[:3]
o['binding_flags'] = attempt(lambda: c.nwfilterBindingCreateXML(BIND, 1).delete())
o['binding_bad_flags'] = attempt(lambda: c.nwfilterBindingCreateXML(BIND, 2).delete())
ro = libvirt.openReadOnly(URI)
o['ro'] = [attempt(ro.nwfilterDefineXML, "<filter name='r'/>"),
           attempt(ro.nwfilterLookupByName('nf1').undefine),
           attempt(ro.nwfilterBindingCreateXML, BIND),
           ro.nwfilterLookupByName('nf1').XMLDesc() == f.XMLDesc(), sorted(ro.listNWFilters())]
o['undefine_used'] = attempt(f.undefine)
o['undefine'] = [attempt(g.undefine), attempt(f.undefine), attempt(f.undefine)]
o['gone'] = [attempt(f.XMLDesc), f.name(), f.UUIDString()]
o['after'] = [c.numOfNWFilters(), sorted(c.listNWFilters())]
"""


def test_nwfilters_and_bindings():
    real, ox = differential(PRELUDE + NWFILTERS, uri_of=qemu_uri)
    diff = {k: (real.get(k), ox.get(k)) for k in set(real) | set(ox) if real.get(k) != ox.get(k)}
    assert not diff
    assert real["by_name"] == "55555555-6666-7777-8888-000000000001"


SECRET_EVENTS = r"""
import threading, time
libvirt.virEventRegisterDefaultImpl()
c = libvirt.open(URI)
o = out
ev = []
def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()
def lc(conn, s, event, detail, opaque):
    ev.append(['lifecycle', s.UUIDString(), s.usageID(), event, detail, opaque])
def vc(conn, s, opaque):
    ev.append(['value', s.UUIDString(), opaque])
L = libvirt
i1 = c.secretEventRegisterAny(None, L.VIR_SECRET_EVENT_ID_LIFECYCLE, lc, 'all')
i2 = c.secretEventRegisterAny(None, L.VIR_SECRET_EVENT_ID_VALUE_CHANGED, vc, 'val')
s = c.secretDefineXML("<secret><uuid>77777777-8888-9999-aaaa-000000000001</uuid>"
                      "<usage type='ceph'><name>evt</name></usage></secret>")
i3 = c.secretEventRegisterAny(s, L.VIR_SECRET_EVENT_ID_LIFECYCLE, lc, 'one')
s.setValue(b'x')
s.undefine()
end = time.time() + 10
while len(ev) < 4 and time.time() < end:
    time.sleep(0.05)
time.sleep(0.3)
o['events'] = ev
o['ids'] = [i1, i2, i3]
o['bad_id'] = attempt(c.secretEventRegisterAny, None, 2, lc, None)
o['dereg'] = [attempt(c.secretEventDeregisterAny, i) for i in (i3, i2, i1, i1)]
"""


def test_secret_events():
    real, ox = differential(PRELUDE + SECRET_EVENTS, uri_of=qemu_uri)
    assert real == ox
    assert len(real["events"]) == 4
