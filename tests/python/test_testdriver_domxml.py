"""Domain XML fidelity: what virDomainGetXMLDesc returns (flags 0 and INACTIVE) for domains
from node files, DefineXML and CreateXML, and after a round trip through DefineXML, compared
with libvirt 9.0.0's test driver. Generated MAC addresses are random in both libraries: they
must have libvirt's form 52:54:00:xx:xx:xx and are masked before comparing."""
import difflib
import os
import re
import tempfile

import pytest
from harness import both

NS = "xmlns:test='http://libvirt.org/schemas/domain/test/1.0'"


def dom(name, devices, extra="", os_="<os><type>hvm</type></os>", uuid=None):
    u = f"<uuid>{uuid}</uuid>" if uuid else ""
    return (f"<domain type='test' {NS}><name>{name}</name>{u}<memory>1024</memory>{os_}"
            f"{extra}<devices>{devices}</devices></domain>")


DOMAINS = {
    "nodev": dom("nodev", ""),
    "disks": dom("disks",
                 "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                 "<source file='/x.img'/><target dev='vda' bus='virtio'/></disk>"
                 "<disk type='block' device='disk'><source dev='/dev/sdb'/>"
                 "<target dev='sdb' bus='scsi'/><readonly/></disk>"
                 "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>"
                 "<disk type='file' device='floppy'><source file='/f.img'/>"
                 "<target dev='fda'/></disk>"
                 "<disk type='file' device='disk'><source file='/s.img'/>"
                 "<target dev='sda' bus='sata'/></disk>"
                 "<disk type='file' device='disk'><source file='/h.img'/>"
                 "<target dev='hdb'/></disk>"
                 "<disk type='file' device='disk'><source file='/u.img'/>"
                 "<target dev='sdc' bus='usb'/></disk>"),
    "nets": dom("nets",
                "<interface type='network'><source network='default'/></interface>"
                "<interface type='bridge'><mac address='52:54:00:12:34:56'/>"
                "<source bridge='br0'/><model type='virtio'/></interface>"
                "<interface type='network'><source network='default'/>"
                "<target dev='testnet0'/></interface>"
                "<interface type='network'><target dev='mytap'/><source network='n2'/>"
                "<alias name='net7'/></interface>"),
    "chars": dom("chars",
                 "<serial type='pty'><target port='0'/><alias name='serial0'/></serial>"
                 "<serial type='pty'><alias name='ua-myser'/></serial>"
                 "<serial type='unix'><source mode='connect' path='/tmp/x.sock'/></serial>"
                 "<channel type='pty'><target type='virtio' name='org.qemu.guest_agent.0'/>"
                 "</channel>"),
    "console_only": dom("console_only", "<console type='pty'/>"),
    "gfx": dom("gfx",
               "<input type='tablet' bus='usb'/><graphics type='vnc'/>"
               "<graphics type='vnc' port='5901' listen='127.0.0.1'/>"
               "<video><model type='vga'/></video><video/>"
               "<memballoon model='virtio'/><unknown/>"),
    "balloon_none": dom("balloon_none", "<memballoon model='none'/>"),
    "misc": dom("misc", "<emulator>/usr/bin/qemu-system-x86_64</emulator>"
                "<disk type='file' device='disk'><source file='/x.img'/>"
                "<target dev='vda' bus='virtio'/>"
                "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>"
                "</disk>",
                extra="<features><acpi/><apic/></features><cpu mode='host-model'/>"
                      "<clock offset='localtime'/><on_reboot>destroy</on_reboot>"
                      "<seclabel type='none'/><title>T</title><description>D</description>",
                os_="<os><type arch='x86_64' machine='pc'>hvm</type>"
                    "<boot dev='cdrom'/><boot dev='hd'/></os>",
                uuid="22222222-2222-3333-4444-555555555555"),
    "fixture_like": dom("fixture_like",
                        "<disk type='file' device='disk'><source file='/guest/diskimage1'/>"
                        "<target dev='vda' bus='virtio'/><address type='pci' domain='0x0000' "
                        "bus='0x01' slot='0x00' function='0x0'/></disk>"
                        "<interface type='network'><mac address='aa:bb:cc:dd:ee:ff'/>"
                        "<source network='default'/><address type='pci' domain='0x0000' "
                        "bus='0x00' slot='0x01' function='0x0'/></interface>"
                        "<memballoon model='virtio'><address type='pci' domain='0x0000' "
                        "bus='0x00' slot='0x02' function='0x0'/></memballoon>",
                        extra="<currentMemory>512</currentMemory><vcpu current='1'>2</vcpu>"),
}

SCENARIO = """
import re
MAC = re.compile(r"52:54:00(:[0-9a-f]{2}){3}")
UUID = re.compile(r"<uuid>[0-9a-f-]{36}</uuid>")
def mask(x):
    # Random uuids (of definitions without one) and MAC addresses.
    return UUID.sub("<uuid/>", MAC.sub("MAC", x))
def views(d):
    return [mask(d.XMLDesc(0)), mask(d.XMLDesc(2))]
c = libvirt.open(NODE_URI)
d0 = libvirt.open('test:///default')
for d in sorted(c.listAllDomains(0), key=lambda d: d.name()):
    out['node ' + d.name()] = views(d)
for name, x in DOMS.items():
    d = d0.defineXML(x)
    out['define ' + name] = views(d)
    # Round trip: the formatted XML defines the same domain again.
    again = d0.defineXML(d.XMLDesc(2))
    out['redefine ' + name] = views(again)
    out['create ' + name] = attempt(lambda: views(d0.createXML(x.replace(name, name + '_t'), 0)))
    # A generated MAC has libvirt's form.
    out['macs ' + name] = [m for m in re.findall(r"<mac address='([^']*)'", d.XMLDesc(0))
                           if not m.startswith('52:54:00:12') and not m.startswith('aa:')
                           and not re.fullmatch(r"52:54:00(:[0-9a-f]{2}){3}", m)]
"""


def test_domain_xml_matches_libvirt():
    with tempfile.TemporaryDirectory() as tmp:
        node = os.path.join(tmp, "node.xml")
        with open(node, "w") as f:
            f.write("<node>" + "".join(DOMAINS.values()) + "</node>")
        code = f"NODE_URI = {'test://' + node!r}\nDOMS = {DOMAINS!r}\n" + SCENARIO
        real, ours = both(code)
    assert len(real) == 5 * len(DOMAINS)
    diffs = [k for k in real if real[k] != ours.get(k)]
    for k in diffs[:12]:
        print(k)
        r, o = real[k], ours.get(k)
        if isinstance(r, list) and isinstance(o, list) and len(r) == len(o):
            for a, b in zip(r, o):
                if isinstance(a, str) and isinstance(b, str):
                    print("".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True))))
        else:
            print(r, o)
    assert not diffs, diffs
