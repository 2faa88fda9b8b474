"""The console over the remote driver, differential: Debian's libvirt client vs oxvirt, each
against its own real libvirtd (tests/remote/libvirtd-harness.sh) running a QEMU TCG guest
(tests/remote/console-guest.xml) whose SeaBIOS talks on a pty serial console. Written in the
style of libvirt-python's consolecallback.py: NONBLOCK streams, the default event loop in a
thread, READABLE callbacks.

The sequence: SAFE open on a paused guest, second opens refused, the guest's banner read, a key
sent (ESC opens SeaBIOS's boot menu: the guest answers it), a FORCE open evicting the first
stream (the daemon's "stream had I/O failure"), I/O on the new stream ("1" boots, the guest
retries), and destroy ending a third stream. Everything observed must be identical.

Run: cargo build --release && ln -sf libvirt.so target/release/libvirt.so.0 &&
     /usr/bin/python3 -m pytest -q tests/python/test_remote_console.py
"""
import os

import pytest

from harness import ROOT, run
from test_remote import Daemon

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not os.path.exists("/usr/sbin/libvirtd")
    or not os.path.exists("/usr/bin/qemu-system-x86_64"),
    reason="needs root, Debian's libvirtd and qemu-system-x86",
)

GUEST = os.path.join(ROOT, "tests", "remote", "console-guest.xml")

SCENARIO = """
import os, threading, time
libvirt.virEventRegisterDefaultImpl()
def _loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=_loop, daemon=True).start()
def wait_for(pred, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.01)
    return False

class Console:
    def __init__(self, conn, dom, dev, flags):
        self.data = b''
        self.events = set()
        self.eof = False
        self.errors = []
        self.done = False          # the callback removed itself (after an error or EOF)
        self.stream = conn.newStream(libvirt.VIR_STREAM_NONBLOCK)
        dom.openConsole(dev, self.stream, flags)
        self.stream.eventAddCallback(libvirt.VIR_STREAM_EVENT_READABLE, self.cb, None)
    def cb(self, stream, events, _):
        self.events.add(events)
        try:
            got = stream.recv(65536)
        except libvirt.libvirtError as e:
            self.errors.append(err(e))
            stream.eventRemoveCallback()
            self.done = True
            return
        if got == -2:
            return
        if len(got) == 0:
            self.eof = True
            stream.eventRemoveCallback()
            self.done = True
            return
        self.data += got

def refused(dev, flags):
    st = c.newStream(libvirt.VIR_STREAM_NONBLOCK)
    r = attempt(d.openConsole, dev, st, flags)
    attempt(st.abort)
    return r

SAFE, FORCE = libvirt.VIR_DOMAIN_CONSOLE_SAFE, libvirt.VIR_DOMAIN_CONSOLE_FORCE
c = libvirt.open(os.environ['OX_URI'])
d = c.defineXML(open(os.environ['OX_GUEST']).read())
d.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)     # nothing printed before we listen
out['state_paused'] = d.state()
a = Console(c, d, None, SAFE)
out['second_safe'] = refused(None, SAFE)
out['second_plain'] = refused(None, 0)
out['no_such_dev'] = refused('nosuchdev', 0)
d.resume()
out['banner'] = wait_for(lambda: b'Press ESC for boot menu.' in a.data, 60)
out['send_esc'] = a.stream.send(b'\\x1b')               # the guest reads it: boot menu
out['menu'] = wait_for(lambda: b'1. Legacy option rom' in a.data, 60)
head = a.data.split(b'1. Legacy option rom')[0]
out['a_head'] = head.decode('latin-1')
b = Console(c, d, None, FORCE)
out['a_evicted'] = wait_for(lambda: a.done, 30)
out['a_errors'] = a.errors
out['a_eof'] = a.eof
out['a_events'] = sorted(a.events)
out['a_recv_after'] = attempt(a.stream.recv, 10)
out['a_send_after'] = attempt(a.stream.send, b'x')
out['a_abort'] = attempt(a.stream.abort)
out['b_send'] = b.stream.send(b'1')                     # boot entry 1: fails, retries
out['b_boot'] = wait_for(lambda: b'No bootable device.' in b.data, 60)
out['b_rebanner'] = wait_for(lambda: b'SeaBIOS' in b.data.split(b'No bootable device.')[-1], 60)
out['b_finish'] = attempt(b.stream.finish)
e = Console(c, d, None, 0)                              # free again after b is gone
d.destroy()
out['e_ended'] = wait_for(lambda: e.done, 30)
out['e_end'] = [e.eof, e.errors]
out['e_finish'] = attempt(e.stream.finish)
out['undefine'] = attempt(d.undefine)
out['alive'] = c.isAlive()
out['close'] = c.close()
"""


def test_console_over_remote_matches_real_client():
    daemons = []
    try:
        for _ in range(2):
            daemons.append(Daemon())
        res = []
        for lib, dm in zip(["real", "oxvirt"], daemons):
            uri = f"qemu+unix:///system?socket={dm.sock}"
            res.append(run(SCENARIO, lib, timeout=300,
                           env_extra={"OX_URI": uri, "OX_GUEST": GUEST}))
    finally:
        for dm in daemons:
            dm.stop()
    real, ox = res
    assert real["banner"] and real["menu"] and real["b_boot"], real
    assert real["a_errors"] == [[39, 38, "stream had I/O failure"]], real
    assert real["second_safe"][0] == "err"
    assert ox == real
