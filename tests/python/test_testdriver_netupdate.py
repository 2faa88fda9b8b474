"""virNetworkUpdate on the test driver: every section and command, libvirt's errors, and the
live/config/current flags on running, persistent and transient networks; real libvirt 9.0.0
and oxvirt must agree on the result and on both XML views after each step. The UPDATES
scenario also runs through a daemon's network driver in test_remote_netsec.py."""
from harness import both

PRELUDE = "import os, re\nURI = 'test:///default'\n"

UPDATES = r"""
c = libvirt.open(URI)
INACTIVE = 0 if URI.startswith("test:") else libvirt.VIR_NETWORK_XML_INACTIVE
def mask(x):
    return re.sub(r"<mac address='[0-9a-f:]+'/>", "<mac/>", x)
def upd(n, cmd, sec, idx, xml, flags):
    r = attempt(n.update, cmd, sec, idx, xml, flags)
    return [r, mask(n.XMLDesc(0)), mask(n.XMLDesc(INACTIVE))]
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

"""

LIVE = r"""
c = libvirt.open(URI)
L = libvirt
o = out
ADDL = L.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST
PG = L.VIR_NETWORK_SECTION_PORTGROUP
def upd(n, name, flags):
    r = attempt(n.update, ADDL, PG, -1, "<portgroup name='%s'/>" % name, flags)
    return [r, n.XMLDesc(0)]
d = c.networkLookupByName('default')
o['current_active'] = upd(d, 'cur', 0)
o['live'] = upd(d, 'live', L.VIR_NETWORK_UPDATE_AFFECT_LIVE)
o['config'] = upd(d, 'cfg', L.VIR_NETWORK_UPDATE_AFFECT_CONFIG)
o['both'] = upd(d, 'both', L.VIR_NETWORK_UPDATE_AFFECT_LIVE | L.VIR_NETWORK_UPDATE_AFFECT_CONFIG)
o['dup_in_config_only'] = upd(d, 'cfg', L.VIR_NETWORK_UPDATE_AFFECT_LIVE |
                              L.VIR_NETWORK_UPDATE_AFFECT_CONFIG)
d.destroy()
o['after_destroy'] = d.XMLDesc(0)
o['inactive_current'] = upd(d, 'off', 0)
o['inactive_live'] = upd(d, 'x', L.VIR_NETWORK_UPDATE_AFFECT_LIVE)
d.create()
o['restarted'] = d.XMLDesc(0)
t = c.networkCreateXML("<network><name>tr</name><uuid>11111111-2222-3333-4444-00000000000a</uuid>"
                       "<bridge name='virbr9'/></network>")
o['transient_current'] = upd(t, 'a', 0)
o['transient_config'] = upd(t, 'b', L.VIR_NETWORK_UPDATE_AFFECT_CONFIG)
o['null_xml'] = attempt(lambda: libvirt.libvirtmod.virNetworkUpdate(d._o, ADDL, PG, -1, None, 0))
ro = libvirt.openReadOnly(URI)
o['readonly'] = attempt(ro.networkLookupByName('default').update, ADDL, PG, -1,
                        "<portgroup name='ro'/>", 0)
n = c.networkDefineXML("<network><name>p</name><uuid>11111111-2222-3333-4444-00000000000b</uuid>"
                       "<forward mode='passthrough'><interface dev='eth1'/></forward></network>")
FI = L.VIR_NETWORK_SECTION_FORWARD_INTERFACE
for w, cmd, x in [('add', ADDL, "<interface dev='eth2'/>"),
                  ('add first', L.VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST, "<interface dev='eth0'/>"),
                  ('dup', ADDL, "<interface dev='eth1'/>"),
                  ('no dev', ADDL, "<interface/>"),
                  ('delete', L.VIR_NETWORK_UPDATE_COMMAND_DELETE, "<interface dev='eth1'/>")]:
    o['fwd ' + w] = [attempt(n.update, cmd, FI, -1, x, 0), n.XMLDesc(0)]
o['bridge_in_passthrough'] = attempt(c.networkDefineXML,
    "<network><name>q</name><forward mode='passthrough'/><bridge name='b'/></network>")
"""


def test_every_section():
    real, ox = both(PRELUDE + UPDATES)
    diff = {k: (real.get(k), ox.get(k)) for k in set(real) | set(ox) if real.get(k) != ox.get(k)}
    assert not diff
    assert real["pg_add"][0] == ["ok", 0] and real["nat"][0][1][0] == ["ok", 0]


def test_live_config_current():
    real, ox = both(PRELUDE + LIVE)
    diff = {k: (real.get(k), ox.get(k)) for k in set(real) | set(ox) if real.get(k) != ox.get(k)}
    assert not diff
    assert "<portgroup name='live'>" in real["live"][1]
