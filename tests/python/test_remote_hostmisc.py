"""Guest information, security label lists, SSH keys, identity, CPU baselines and descriptor
passing through the remote driver (scope hostmisc): Debian's libvirt client and oxvirt, each
against its own fresh libvirtd 9.0.0 (its test driver). CreateXMLWithFiles and
CreateWithFiles pass a real descriptor over the UNIX socket (a daemon waiting for descriptors
that never come would hang the call); over TCP sending them fails as libvirt's client does.
Run under flock /tmp/oxvirt-daemon.lock."""
import os
import re
from harness import run
from test_remote import Daemon, differential

SCENARIO = r"""
import os
c = libvirt.open(os.environ['OX_URI'])
d = c.lookupByName('test')
o = out
o['fsinfo'] = attempt(d.fsInfo)
o['addrs'] = attempt(d.interfaceAddresses, 0)
o['addrs_src'] = attempt(d.interfaceAddresses, 3)
o['labels'] = attempt(d.securityLabelList)
o['ssh_get'] = attempt(d.authorizedSSHKeysGet, 'root')
o['ssh_set'] = attempt(d.authorizedSSHKeysSet, 'root', ['k1'], 0)
o['ssh_set_both'] = attempt(d.authorizedSSHKeysSet, 'root', ['k1'], 3)
o['identity'] = attempt(c.setIdentity, {'user-name': 'alice', 'unix-user-id': 1000})
o['identity_bad'] = attempt(c.setIdentity, {'no-such-key': 'x'})
o['baseline_none'] = attempt(c.baselineCPU, [], 0)
o['baseline_bad'] = attempt(c.baselineCPU, ['junk'], 0)
o['baseline_flags'] = attempt(c.baselineCPU, ['<cpu/>'], 2)
o['hv_baseline'] = attempt(c.baselineHypervisorCPU, None, None, None, None, ['<cpu/>'], 0)
fd = os.open('/dev/null', os.O_RDONLY)
XML = ('<domain type="test"><name>fdx</name><memory>1024</memory><os><type>hvm</type></os>'
       '<devices><interface type="network"><mac address="52:54:00:aa:bb:02"/>'
       '<source network="default"/></interface></devices></domain>')
x = c.createXMLWithFiles(XML, [fd, fd], 0)
o['x_name'] = x.name()
o['x_addrs'] = attempt(x.interfaceAddresses, 0)
o['x_again'] = attempt(c.createXMLWithFiles, XML, [fd], 0)
d.destroy()
o['create'] = attempt(d.createWithFiles, [fd], 0)
o['create_running'] = attempt(d.createWithFiles, [fd], 0)
o['alive'] = c.isAlive()
c.close()
"""

TCP = r"""
import os
c = libvirt.open(os.environ['OX_URI'])
fd = os.open('/dev/null', os.O_RDONLY)
XML = ('<domain type="test"><name>fdt</name><memory>1024</memory><os><type>hvm</type></os>'
       '</domain>')
out['nofd'] = attempt(lambda: c.createXMLWithFiles(XML, [], 0).name())
out['withfd'] = attempt(c.createXMLWithFiles, XML.replace('fdt', 'fdu'), [fd], 0)
out['after'] = attempt(c.getHostname)
"""


def mask(v):
    v = re.sub(r"52:54:00(:[0-9a-f]{2}){3}", "MAC", repr(v))
    return re.sub(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "UUID", v)


def test_remote_hostmisc_matches_real_client():
    real, ox = differential(SCENARIO)
    assert mask(real) == mask(ox)
    assert real["x_name"] == "fdx" and real["create"] == ["ok", 0]
    assert real["fsinfo"][0] == "ok" and real["alive"] == 1


def test_descriptors_over_tcp_fail_like_libvirt():
    port_a, port_b = 28100 + os.getpid() % 400, 28600 + os.getpid() % 400
    daemons = []
    try:
        a = Daemon("--tcp", str(port_a))
        daemons.append(a)
        b = Daemon("--tcp", str(port_b))
        daemons.append(b)
        real = run(TCP, "real", env_extra={"OX_URI": f"test+tcp://127.0.0.1:{port_a}/default"})
        ox = run(TCP, "oxvirt", env_extra={"OX_URI": f"test+tcp://127.0.0.1:{port_b}/default"})
    finally:
        for d in daemons:
            d.stop()
    assert real == ox
    assert real["nofd"] == ["ok", "fdt"] and real["withfd"][0] == "err"
