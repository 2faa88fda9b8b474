"""Networks, network ports and DHCP leases, secrets and nwfilters (with bindings) through the
remote driver: the same scenario with Debian's libvirt client and with oxvirt, each against its
own fresh libvirtd 9.0.0 started by tests/remote/libvirtd-harness.sh. Networks run on the
daemon's test driver (the scenarios of test_testdriver_networks.py) and on its real network
driver (qemu+unix:///system: update of every section, ports, leases); secrets and nwfilters on
the daemon's secret and nwfilter drivers (libvirt's test driver has neither).
Needs what tests/python/test_remote.py needs; run under flock /tmp/oxvirt-daemon.lock."""
import pytest

import test_testdriver_networks as tn
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


NETWORK_DRIVER = r"""
c = libvirt.open(URI)
def mask(x):
    return re.sub(r"<mac address='[0-9a-f:]+'/>", "<mac/>", x)
def upd(n, cmd, sec, idx, xml, flags):
    r = attempt(n.update, cmd, sec, idx, xml, flags)
    return [r, mask(n.XMLDesc(0)), mask(n.XMLDesc(libvirt.VIR_NETWORK_XML_INACTIVE))]
L = libvirt
CFG, LIVE = L.VIR_NETWORK_UPDATE_AFFECT_CONFIG, L.VIR_NETWORK_UPDATE_AFFECT_LIVE
o = out
br = c.networkDefineXML("<network><name>nsbr</name><uuid>11111111-2222-3333-4444-000000000001</uuid>"
                        "<forward mode='bridge'/><bridge name='brx'/>"
                        "<portgroup name='pg0' default='yes'/></network>")
o['br_xml'] = mask(br.XMLDesc(0))
o['pg_add'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, L.VIR_NETWORK_SECTION_PORTGROUP, -1,
                  "<portgroup name='pg1'><vlan><tag id='42'/></vlan></portgroup>", CFG)
o['pg_add_first'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST, L.VIR_NETWORK_SECTION_PORTGROUP,
                        -1, "<portgroup name='pg2'/>", 0)
o['pg_dup'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, L.VIR_NETWORK_SECTION_PORTGROUP, -1,
                  "<portgroup name='pg1'/>", CFG)
o['pg_default2'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, L.VIR_NETWORK_SECTION_PORTGROUP,
                       -1, "<portgroup name='pg3' default='yes'/>", CFG)
o['pg_modify'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_MODIFY, L.VIR_NETWORK_SECTION_PORTGROUP, -1,
                     "<portgroup name='pg1' trustGuestRxFilters='yes'/>", CFG)
o['pg_modify_missing'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_MODIFY,
                             L.VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='zz'/>", CFG)
o['pg_delete'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_DELETE, L.VIR_NETWORK_SECTION_PORTGROUP, -1,
                     "<portgroup name='pg2'/>", CFG)
o['pg_delete_missing'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_DELETE,
                             L.VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='pg2'/>", CFG)
o['pg_wrong_el'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, L.VIR_NETWORK_SECTION_PORTGROUP,
                       -1, "<host name='x'/>", CFG)
o['pg_bad_xml'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, L.VIR_NETWORK_SECTION_PORTGROUP,
                      -1, "<portgroup", CFG)[0][:3]
o['bad_command'] = upd(br, 99, L.VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='q'/>", CFG)
o['bad_section'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, 99, -1, "<portgroup name='q'/>",
                       CFG)
o['bad_flags'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, L.VIR_NETWORK_SECTION_PORTGROUP, -1,
                     "<portgroup name='q'/>", 8)
o['live_inactive'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                         L.VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='q'/>", LIVE)
o['fwd_if_add'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                      L.VIR_NETWORK_SECTION_FORWARD_INTERFACE, -1, "<interface dev='eth7'/>", CFG)
o['fwd_if_add2'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST,
                       L.VIR_NETWORK_SECTION_FORWARD_INTERFACE, -1, "<interface dev='eth6'/>", CFG)
o['fwd_if_dup'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                      L.VIR_NETWORK_SECTION_FORWARD_INTERFACE, -1, "<interface dev='eth7'/>", CFG)
o['fwd_if_modify'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_MODIFY,
                         L.VIR_NETWORK_SECTION_FORWARD_INTERFACE, -1, "<interface dev='eth7'/>",
                         CFG)
o['fwd_if_del'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_DELETE,
                      L.VIR_NETWORK_SECTION_FORWARD_INTERFACE, -1, "<interface dev='eth6'/>", CFG)
o['fwd_if_del_missing'] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_DELETE,
                              L.VIR_NETWORK_SECTION_FORWARD_INTERFACE, -1,
                              "<interface dev='eth9'/>", CFG)
for sec in ['BRIDGE', 'DOMAIN', 'IP', 'FORWARD', 'FORWARD_PF', 'NONE']:
    o['nosupport_' + sec] = upd(br, L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                                getattr(L, 'VIR_NETWORK_SECTION_' + sec), -1, "<x/>", CFG)[0]

nat = c.networkDefineXML("<network><name>nsnat</name><uuid>11111111-2222-3333-4444-000000000002</uuid>"
                         "<forward mode='nat'/><bridge name='virbr42'/>"
                         "<mac address='52:54:00:01:02:03'/>"
                         "<ip address='10.9.0.1' netmask='255.255.255.0'><dhcp>"
                         "<range start='10.9.0.10' end='10.9.0.20'/>"
                         "<host mac='52:54:00:00:00:01' name='one' ip='10.9.0.11'/>"
                         "</dhcp></ip><ip family='ipv6' address='fd00::1' prefix='64'/></network>")
S = {k: getattr(L, 'VIR_NETWORK_SECTION_' + k) for k in
     ['IP_DHCP_HOST', 'IP_DHCP_RANGE', 'DNS_HOST', 'DNS_TXT', 'DNS_SRV']}
ADDL, ADDF, MOD, DEL = (L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, L.VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST,
                        L.VIR_NETWORK_UPDATE_COMMAND_MODIFY, L.VIR_NETWORK_UPDATE_COMMAND_DELETE)
steps = [
    ('host add', ADDL, 'IP_DHCP_HOST', -1, "<host mac='52:54:00:00:00:02' name='two' ip='10.9.0.12'/>"),
    ('host add first', ADDF, 'IP_DHCP_HOST', 0, "<host mac='52:54:00:00:00:03' ip='10.9.0.13'/>"),
    ('host dup mac', ADDL, 'IP_DHCP_HOST', -1, "<host mac='52:54:00:00:00:02' ip='10.9.0.14'/>"),
    ('host dup ip', ADDL, 'IP_DHCP_HOST', -1, "<host mac='52:54:00:00:00:09' ip='10.9.0.12'/>"),
    ('host out of range idx', ADDL, 'IP_DHCP_HOST', 5, "<host mac='52:54:00:00:00:04' ip='10.9.0.15'/>"),
    ('host wrong net', ADDL, 'IP_DHCP_HOST', -1, "<host mac='52:54:00:00:00:05' ip='10.8.0.15'/>"),
    ('host modify', MOD, 'IP_DHCP_HOST', -1, "<host mac='52:54:00:00:00:02' name='deux' ip='10.9.0.12'/>"),
    ('host modify missing', MOD, 'IP_DHCP_HOST', -1, "<host mac='52:54:00:00:00:0f' ip='10.9.0.19'/>"),
    ('host delete', DEL, 'IP_DHCP_HOST', -1, "<host mac='52:54:00:00:00:01' name='one' ip='10.9.0.11'/>"),
    ('host delete missing', DEL, 'IP_DHCP_HOST', -1, "<host mac='52:54:00:00:00:0e' ip='10.9.0.18'/>"),
    ('host ipv6 idx', ADDL, 'IP_DHCP_HOST', 1, "<host id='0:1:0:1:aa' ip='fd00::5'/>"),
    ('range add', ADDL, 'IP_DHCP_RANGE', -1, "<range start='10.9.0.100' end='10.9.0.120'/>"),
    ('range dup', ADDL, 'IP_DHCP_RANGE', -1, "<range start='10.9.0.100' end='10.9.0.120'/>"),
    ('range modify', MOD, 'IP_DHCP_RANGE', -1, "<range start='10.9.0.100' end='10.9.0.120'/>"),
    ('range delete', DEL, 'IP_DHCP_RANGE', -1, "<range start='10.9.0.10' end='10.9.0.20'/>"),
    ('range delete missing', DEL, 'IP_DHCP_RANGE', -1, "<range start='10.9.0.30' end='10.9.0.40'/>"),
    ('dns host add', ADDL, 'DNS_HOST', -1, "<host ip='10.9.0.50'><hostname>a.example</hostname></host>"),
    ('dns host add2', ADDF, 'DNS_HOST', -1, "<host ip='10.9.0.51'><hostname>b</hostname><hostname>c</hostname></host>"),
    ('dns host dup', ADDL, 'DNS_HOST', -1, "<host ip='10.9.0.50'><hostname>z</hostname></host>"),
    ('dns host modify', MOD, 'DNS_HOST', -1, "<host ip='10.9.0.50'><hostname>q</hostname></host>"),
    ('dns host delete', DEL, 'DNS_HOST', -1, "<host ip='10.9.0.51'><hostname>b</hostname><hostname>c</hostname></host>"),
    ('dns host delete missing', DEL, 'DNS_HOST', -1, "<host ip='10.9.0.59'><hostname>n</hostname></host>"),
    ('txt add', ADDL, 'DNS_TXT', -1, "<txt name='t1' value='v1'/>"),
    ('txt dup', ADDL, 'DNS_TXT', -1, "<txt name='t1' value='v2'/>"),
    ('txt modify', MOD, 'DNS_TXT', -1, "<txt name='t1' value='v3'/>"),
    ('txt delete', DEL, 'DNS_TXT', -1, "<txt name='t1' value='v1'/>"),
    ('srv add', ADDL, 'DNS_SRV', -1, "<srv service='ldap' protocol='tcp' target='t.example' port='389'/>"),
    ('srv dup', ADDL, 'DNS_SRV', -1, "<srv service='ldap' protocol='tcp' target='t.example' port='389'/>"),
    ('srv modify', MOD, 'DNS_SRV', -1, "<srv service='ldap' protocol='tcp'/>"),
    ('srv delete', DEL, 'DNS_SRV', -1, "<srv service='ldap' protocol='tcp'/>"),
    ('srv delete missing', DEL, 'DNS_SRV', -1, "<srv service='ldap' protocol='tcp'/>"),
]
o['nat'] = [[w, upd(nat, cmd, S[sec], idx, xml, CFG)] for (w, cmd, sec, idx, xml) in steps]
o['nat_pg'] = upd(nat, ADDL, L.VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='p'/>", 0)
o['leases_inactive'] = attempt(lambda: nat.DHCPLeases())

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
o['ports'] = [q.UUIDString() for q in br.listAllPorts()]
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
o['ports_after'] = [q.UUIDString() for q in br.listAllPorts()]
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
o['list'] = sorted(c.listSecrets())
o['all'] = {f: sorted(x.UUIDString() for x in c.listAllSecrets(f)) for f in range(16)}
o['all_bad'] = attempt(c.listAllSecrets, 16)
ro = libvirt.openReadOnly(URI)
rs = ro.secretLookupByUUIDString(U1)
o['ro'] = [attempt(rs.value), attempt(rs.setValue, b'x'), attempt(rs.undefine),
           attempt(ro.secretDefineXML, "<secret/>"), rs.XMLDesc(0) == s.XMLDesc(0),
           sorted(ro.listSecrets())]
o['undefine'] = attempt(s.undefine)
o['undefine_again'] = attempt(s.undefine)
o['gone'] = [attempt(s.XMLDesc), attempt(s.value), attempt(s.setValue, b'x'),
             s.usageID(), s.UUIDString()]
o['after'] = [c.numOfSecrets(), sorted(c.listSecrets())]
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
