"""Networks of the test driver: the default fixture's network, listing with every filter,
lookups, XML after define and create, the lifecycle with the lists re-read after each step,
errors (unknown names, duplicates, bad XML, bad flags, read-only) and node files with
<network> inline and by file=; real libvirt 9.0.0 and oxvirt must agree on each."""
import os
import tempfile

from harness import both

COMMON = """
import re
c = libvirt.open('test:///default')
def mask(x):
    return re.sub(r'<uuid>[0-9a-f-]{36}</uuid>', '<uuid>U</uuid>', x)
def scrub(r):
    # Random uuids in error messages.
    return [re.sub(r'[0-9a-f]{8}-[0-9a-f-]{27}', 'U', x) if isinstance(x, str) else x
            for x in r]
def lists(c):
    return [c.numOfNetworks(), sorted(c.listNetworks()), c.numOfDefinedNetworks(),
            sorted(c.listDefinedNetworks())]
def state(n):
    return [attempt(n.isActive), attempt(n.isPersistent), attempt(n.autostart)]
"""

FIXTURE = COMMON + """
n = c.networkLookupByName('default')
out['lists'] = lists(c)
out['xml'] = n.XMLDesc(0)
out['bridge'] = n.bridgeName()
out['state'] = state(n)
out['uuid'] = [n.UUIDString(), list(n.UUID())]
out['by_uuid'] = c.networkLookupByUUID(n.UUID()).name()
out['by_uuidstr'] = c.networkLookupByUUIDString(n.UUIDString()).name()
out['conn'] = n.connect().getURI()
"""


def test_default_network():
    real, ox = both(FIXTURE)
    assert real == ox
    assert real["lists"] == [1, ["default"], 0, []]
    assert "<bridge name='virbr0' stp='on' delay='0'/>" in real["xml"]


DEFINED = [
    "<network><name>plain</name></network>",
    "<network><name>nat</name><ip address='10.0.0.1' netmask='255.255.255.0'/>"
    "<forward mode='nat'/><bridge name='virbr9'/></network>",
    "<network><name>br</name><forward mode='bridge'/><bridge name='br0'/></network>",
    "<network ipv6='yes'><name>full</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
    "<bridge name='virbr7' stp='off' delay='3'/><domain name='example.com'/>"
    "<mac address='52:54:00:11:22:33'/>"
    "<ip address='10.1.0.1' prefix='24'><dhcp><range start='10.1.0.2' end='10.1.0.9'/>"
    "<host mac='52:54:00:aa:bb:cc' name='h' ip='10.1.0.5'/></dhcp></ip>"
    "<ip family='ipv6' address='fd00::1' prefix='64'/></network>",
]

XML = COMMON + """
res = []
for x in %r:
    n = c.networkDefineXML(x)
    r = [n.name(), mask(n.XMLDesc(0)), attempt(n.bridgeName), state(n)]
    n.create()
    r += [mask(n.XMLDesc(0)), state(n)]
    res.append(r)
t = c.networkCreateXML("<network><name>tr</name><bridge name='virbr5'/></network>")
res.append([t.name(), mask(t.XMLDesc(0)), state(t), lists(c)])
out['res'] = res
""" % (DEFINED,)


def test_xml_after_define_and_create():
    real, ox = both(XML)
    assert real == ox
    assert real["res"][0][2][0] == "err"  # no bridge name


LIFECYCLE = COMMON + """
steps = []
def step(what, f, *a):
    steps.append([what, scrub(attempt(f, *a)), lists(c)])
n = c.networkDefineXML("<network><name>life</name><bridge name='virbr3'/></network>")
steps.append(['define', state(n), lists(c)])
step('create', n.create)
steps.append(['state', state(n)])
step('create again', n.create)
step('undefine running', n.undefine)
step('autostart', n.setAutostart, 1)
steps.append(['state2', state(n)])
step('destroy', n.destroy)
step('destroy again', n.destroy)
step('undefine', n.undefine)
step('after undefine', n.isActive)
t = c.networkCreateXML("<network><name>tr</name></network>")
steps.append(['transient', state(t), lists(c)])
steps.append(['define over transient',
              attempt(lambda: c.networkDefineXML(t.XMLDesc(0)).isPersistent()), state(t)])
step('destroy now persistent', t.destroy)
steps.append(['state3', state(t)])
t2 = c.networkCreateXML("<network><name>tr2</name></network>")
step('destroy transient', t2.destroy)
step('gone', t2.isPersistent)
d = c.networkLookupByName('default')
step('destroy default', d.destroy)
step('create default', d.create)
out['steps'] = steps
"""


def test_lifecycle():
    real, ox = both(LIFECYCLE)
    assert real == ox


LISTING = COMMON + """
c.networkDefineXML("<network><name>inact</name></network>")
a = c.networkDefineXML("<network><name>auto</name></network>")
a.setAutostart(1)
b = c.networkDefineXML("<network><name>autorun</name></network>")
b.setAutostart(1)
b.create()
c.networkCreateXML("<network><name>trans</name></network>")
masks = {}
for flags in range(64):
    masks[flags] = sorted(n.name() for n in c.listAllNetworks(flags))
out['masks'] = masks
out['bad'] = [attempt(c.listAllNetworks, 1 << bit) for bit in range(6, 32)]
out['lists'] = lists(c)
"""


def test_listing_every_filter():
    real, ox = both(LISTING)
    assert real == ox
    assert real["masks"]["2"] == ["autorun", "default", "trans"]


ERRORS = COMMON + """
r = {}
r['no name'] = attempt(c.networkLookupByName, 'nope')
r['no uuid'] = attempt(c.networkLookupByUUIDString, 'dd8fe884-6c02-601e-7551-cca97df1c5de')
r['bad uuidstr'] = attempt(c.networkLookupByUUIDString, 'bad')
r['wrong root'] = attempt(c.networkDefineXML, '<netw/>')
r['no name el'] = attempt(c.networkDefineXML, '<network/>')
r['slash'] = attempt(c.networkDefineXML, '<network><name>a/b</name></network>')
r['bad uuid'] = attempt(c.networkDefineXML, '<network><name>z</name><uuid>bad</uuid></network>')
r['dup name'] = attempt(c.networkDefineXML, '<network><name>default</name></network>')
r['dup uuid'] = attempt(c.networkDefineXML,
    '<network><name>z</name><uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid></network>')
r['create dup'] = attempt(c.networkCreateXML, '<network><name>default</name></network>')
r['create running'] = attempt(c.networkCreateXML,
    '<network><name>default</name><uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid></network>')
r['xml flags'] = attempt(lambda: c.networkLookupByName('default').XMLDesc(2))
r['define flags'] = attempt(c.networkDefineXMLFlags, '<network><name>q</name></network>', 2)
r['define validate'] = attempt(lambda: c.networkDefineXMLFlags(
    '<network><name>q</name></network>', 1).name())
r['create flags'] = attempt(c.networkCreateXMLFlags, '<network><name>q3</name></network>', 2)
r['create validate'] = attempt(lambda: c.networkCreateXMLFlags(
    '<network><name>q2</name></network>', 1).name())
r['truncated'] = attempt(c.networkDefineXML, '<network>')[:3]
ro = libvirt.openReadOnly('test:///default')
rn = ro.networkLookupByName('default')
for what, f, a in [('define', ro.networkDefineXML, ['<network><name>q9</name></network>']),
                   ('create', ro.networkCreateXML, ['<network><name>q9</name></network>']),
                   ('autostart', rn.setAutostart, [1]), ('destroy', rn.destroy, []),
                   ('create net', rn.create, []), ('undefine', rn.undefine, [])]:
    r['ro ' + what] = attempt(f, *a)
r['ro reads'] = [rn.XMLDesc(0) == c.networkLookupByName('default').XMLDesc(0),
                 rn.bridgeName(), attempt(rn.autostart), lists(ro)]
out['r'] = r
out['lists'] = lists(c)
"""


def test_errors():
    real, ox = both(ERRORS)
    assert real == ox
    assert real["r"]["ro define"][1:3] == [29, 19]


NODE = """
<node>
  <network>
    <name>inline</name>
    <uuid>aaaaaaaa-1111-2222-3333-444444444444</uuid>
    <bridge name='virbr1'/>
  </network>
  <network file='net.xml'/>
</node>
"""

NODE_SCENARIO = """
import re
c = libvirt.open('test://' + %r)
out['lists'] = [c.numOfNetworks(), sorted(c.listNetworks()), sorted(c.listDefinedNetworks())]
out['xml'] = [re.sub(r'<uuid>[0-9a-f-]{36}</uuid>', '<uuid>U</uuid>', n.XMLDesc(0))
              for n in sorted(c.listAllNetworks(0), key=lambda n: n.name())]
out['state'] = [[n.isActive(), n.isPersistent(), n.autostart()] for n in c.listAllNetworks(0)]
"""


def test_node_file_networks():
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "node.xml"), "w") as f:
            f.write(NODE)
        with open(os.path.join(d, "net.xml"), "w") as f:
            f.write("<network><name>fromfile</name><forward mode='bridge'/><bridge name='br1'/></network>")
        real, ox = both(NODE_SCENARIO % os.path.join(d, "node.xml"))
    assert real == ox
    assert real["lists"][1] == ["fromfile", "inline"]
