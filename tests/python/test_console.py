"""Consoles, streams and the event loop through Debian's unmodified python3-libvirt.

Scenarios in the style of libvirt-python's consolecallback.py: a NONBLOCK stream, the default
event loop running in its own thread, READABLE callbacks. libvirt's own test driver has no
console, so the console scenarios run against oxvirt only; everything the public layer decides
before reaching a driver (stream object, event API, argument checks) is compared with the real
libvirt 9.0.0 on the same code.

Run: /usr/bin/python3 -m pytest -q tests/python/test_console.py  (after scripts/build.sh)
"""
import os
import socket
import tempfile
import threading

import pytest

from harness import both, run

LOOP = """
import threading, time
libvirt.virEventRegisterDefaultImpl()
def _loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=_loop, daemon=True).start()
def wait_for(pred, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.005)
    return False
"""

# Console pieces: collect what a READABLE callback reads, consolecallback.py style.
CONSOLE = LOOP + """
class Console:
    def __init__(self, conn, dom, dev=None, flags=0, events=libvirt.VIR_STREAM_EVENT_READABLE):
        self.data = b''
        self.events = []
        self.eof = False
        self.errors = []
        self.stream = conn.newStream(libvirt.VIR_STREAM_NONBLOCK)
        dom.openConsole(dev, self.stream, flags)
        self.stream.eventAddCallback(events, self.cb, None)
    def cb(self, stream, events, _):
        self.events.append(events)
        if events & libvirt.VIR_STREAM_EVENT_ERROR:
            return
        try:
            got = stream.recv(65536)
        except libvirt.libvirtError as e:
            self.errors.append(err(e))
            return
        if got == -2:
            return
        if len(got) == 0:
            self.eof = True
            stream.eventRemoveCallback()
            return
        self.data += got
"""


def test_stream_object_matches_libvirt():
    code = """
c = libvirt.open('test:///default')
st = c.newStream(0xff)                      # flags are not validated
out['send'] = attempt(st.send, b'x')
out['recv'] = attempt(st.recv, 4)
out['finish'] = attempt(st.finish)
out['abort'] = attempt(st.abort)             # unused stream: 0
out['add'] = attempt(st.eventAddCallback, 1, lambda *a: None, None)
out['update'] = attempt(libvirt.libvirtmod.virStreamEventUpdateCallback, st._o, 1)
out['remove'] = attempt(libvirt.libvirtmod.virStreamEventRemoveCallback, st._o)
out['close_while_stream'] = c.close()        # the stream holds a reference
del st
"""
    real, ours = both(code)
    assert ours == real
    assert ours["close_while_stream"] == 1
    assert ours["abort"] == ["ok", 0]
    assert ours["recv"][1:3] == [3, 38]


def test_open_console_public_checks_match_libvirt():
    """Everything up to the driver call is libvirt's public layer, identical for both."""
    code = """
rw = libvirt.open('test:///default')
ro = libvirt.openReadOnly('test:///default')
other = libvirt.open('test:///default')
d = rw.lookupByName('test')
dro = ro.lookupByName('test')
st_rw = rw.newStream(libvirt.VIR_STREAM_NONBLOCK)
st_other = other.newStream(libvirt.VIR_STREAM_NONBLOCK)
out['readonly'] = attempt(dro.openConsole, None, st_rw, 0)     # before the stream check
out['other_conn'] = attempt(d.openConsole, None, st_other, 0)
"""
    real, ours = both(code)
    assert ours == real
    assert ours["readonly"][1:3] == [29, 20]
    assert ours["other_conn"] == ["err", 8, 20,
                                  "stream must match connection of domain 'test'"]


def test_event_api_matches_libvirt():
    """virEventAddHandle/Timeout through the default loop: ids, firing, removal, free."""
    code = LOOP + """
import os
r, w = os.pipe()
hits = []
h = libvirt.virEventAddHandle(r, libvirt.VIR_EVENT_HANDLE_READABLE,
                              lambda watch, fd, ev, op: (hits.append(('h', ev)), os.read(fd, 1)), None)
t = libvirt.virEventAddTimeout(10, lambda timer, op: hits.append(('t',)), None)
os.write(w, b'x')
wait_for(lambda: ('h', 1) in hits and ('t',) in hits)
out['fired'] = sorted(set(hits))
libvirt.virEventUpdateTimeout(t, -1)
out['remove_h'] = attempt(libvirt.virEventRemoveHandle, h)
out['remove_h_again'] = attempt(libvirt.virEventRemoveHandle, h)
out['remove_t'] = attempt(libvirt.virEventRemoveTimeout, t)
out['remove_t_again'] = attempt(libvirt.virEventRemoveTimeout, t)
out['ids_positive'] = h > 0 and t > 0
"""
    real, ours = both(code)
    assert ours == real
    assert ours["remove_h"] == ["ok", 0] and ours["remove_h_again"][0] == "err"


def test_echo_consolecallback_style():
    out = run(CONSOLE + """
c = libvirt.open('test:///default')
d = c.lookupByName('test')
con = Console(c, d)
payload = bytes(range(256)) * 64
sent = 0
while sent < len(payload):
    n = con.stream.send(payload[sent:])
    assert n > 0
    sent += n
out['echoed'] = wait_for(lambda: len(con.data) >= len(payload))
out['same'] = con.data == payload
out['events'] = sorted(set(con.events))
out['recv_empty'] = con.stream.recv(10)        # non-blocking, nothing there: -2
con.stream.eventRemoveCallback()
out['finish'] = con.stream.finish()
out['finish_again'] = con.stream.finish()
out['abort_after'] = con.stream.abort()
out['recv_after'] = attempt(con.stream.recv, 10)
out['send_after'] = attempt(con.stream.send, b'x')
out['add_after'] = attempt(con.stream.eventAddCallback, 1, lambda *a: None, None)
""", "oxvirt")
    assert out["echoed"] and out["same"]
    assert out["events"] == [1]
    assert out["recv_empty"] == -2
    assert out["finish"] == 0 and out["finish_again"] == 0 and out["abort_after"] == 0
    not_open = ["err", 1, 38, "internal error: stream is not open"]
    assert out["recv_after"] == not_open
    assert out["send_after"] == not_open
    assert out["add_after"] == not_open


def test_device_selection_and_errors():
    out = run(CONSOLE + """
c = libvirt.open('test:///default')
d = c.lookupByName('test')
xml = d.XMLDesc(0)
out['xml_has_devices'] = "<serial type='pty'>" in xml and "<console type='pty'>" in xml
def try_open(dev, flags):
    st = c.newStream(libvirt.VIR_STREAM_NONBLOCK)
    r = attempt(d.openConsole, dev, st, flags)
    if r[0] == 'ok':
        st.abort()
    return r
for dev in [None, 'serial0', 'console0']:
    out['open ' + str(dev)] = try_open(dev, 0)
out['bad dev'] = try_open('serial7', 0)
out['bad flag'] = try_open(None, 4)
out['safe'] = try_open(None, libvirt.VIR_DOMAIN_CONSOLE_SAFE)
# serial0 and console0 are one device (as with qemu): holding one makes the other busy.
a = c.newStream(libvirt.VIR_STREAM_NONBLOCK)
d.openConsole('serial0', a, 0)
out['busy console0'] = try_open('console0', 0)
out['busy default safe'] = try_open(None, libvirt.VIR_DOMAIN_CONSOLE_SAFE)
a.abort()
out['free again'] = try_open('console0', 0)
d.destroy()
out['inactive'] = try_open(None, 0)
ro = libvirt.openReadOnly('test:///default')
st = ro.newStream(0)
out['readonly'] = attempt(ro.lookupByName('test').openConsole, None, st, 0)
""", "oxvirt")
    assert out["xml_has_devices"]
    for dev in ["None", "serial0", "console0"]:
        assert out["open " + dev] == ["ok", 0]
    assert out["bad dev"] == ["err", 1, 12, "internal error: cannot find character device serial7"]
    assert out["bad flag"] == ["err", 8, 12,
                               "unsupported flags (0x4) in function testDomainOpenConsole"]
    assert out["safe"] == ["ok", 0]
    busy = ["err", 9, 12, "operation failed: Active console session exists for this domain"]
    assert out["busy console0"] == busy
    assert out["busy default safe"] == busy
    assert out["free again"] == ["ok", 0]
    assert out["inactive"] == ["err", 55, 20, "Requested operation is not valid: domain is not running"]
    assert out["readonly"][1:3] == [29, 20]


def test_force_evicts_holder():
    out = run(CONSOLE + """
c = libvirt.open('test:///default')
d = c.lookupByName('test')
a = Console(c, d)
a.stream.send(b'ping')
wait_for(lambda: a.data == b'ping')
b = Console(c, d, None, libvirt.VIR_DOMAIN_CONSOLE_FORCE)
out['a_events'] = a.events                   # READABLE once, then ERROR once (in our thread)
out['a_recv'] = attempt(a.stream.recv, 10)
out['a_send'] = attempt(a.stream.send, b'x')
out['a_finish'] = attempt(a.stream.finish)
b.stream.send(b'pong')
out['b_echo'] = wait_for(lambda: b.data == b'pong')
out['plain_while_b'] = attempt(d.openConsole, None, c.newStream(0), 0)
b.stream.eventRemoveCallback()
b.stream.finish()
st = c.newStream(0)
out['plain_after_finish'] = attempt(d.openConsole, None, st, 0)
st.abort()
out['close'] = c.close()
""", "oxvirt")
    assert out["a_events"] == [1, 4]
    not_open = ["err", 1, 38, "internal error: stream is not open"]
    assert out["a_recv"] == not_open and out["a_send"] == not_open
    assert out["a_finish"] == ["ok", 0]
    assert out["b_echo"]
    assert out["plain_while_b"][1] == 9
    assert out["plain_after_finish"] == ["ok", 0]


@pytest.mark.parametrize("how", ["destroy", "shutdown"])
def test_stopping_domain_hangs_up(how):
    out = run(CONSOLE + f"""
c = libvirt.open('test:///default')
d = c.lookupByName('test')
con = Console(c, d)
con.stream.send(b'last words')
wait_for(lambda: con.data == b'last words')
t0 = time.time()
d.{how}()
out['eof'] = wait_for(lambda: con.eof, 5)
out['prompt'] = time.time() - t0 < 2
out['hangup_seen'] = any(e & libvirt.VIR_STREAM_EVENT_HANGUP for e in con.events)
out['send_after'] = attempt(con.stream.send, b'x')[1:3]
out['finish'] = con.stream.finish()
d.create()
con2 = Console(c, d)                         # a fresh session on the restarted domain
con2.stream.send(b'again')
out['restarted'] = wait_for(lambda: con2.data == b'again')
""", "oxvirt")
    assert out["eof"] and out["prompt"] and out["hangup_seen"]
    assert out["send_after"] == [38, 38]
    assert out["finish"] == 0
    assert out["restarted"]


def test_blocking_stream_and_all_helpers():
    out = run("""
import threading
c = libvirt.open('test:///default')
d = c.lookupByName('test')
st = c.newStream(0)
d.openConsole(None, st, 0)
out['send'] = st.send(b'abc')
out['recv'] = st.recv(3)
out['recvflags'] = attempt(st.recvFlags, 10, 4)   # bad flag
# A blocking recv wakes when another thread sends.
res = []
t = threading.Thread(target=lambda: res.append(st.recv(5)))
t.start(); time.sleep(0.1); st.send(b'later'); t.join(5)
out['blocked_recv'] = res
# python's sendAll (written in Python over send), then the echo is read back with recv.
# virStreamSendAll/RecvAll themselves are covered by the C tests.
chunks = [b'a' * 100000, b'b' * 100000, b'']
st.sendAll(lambda s, n, o: chunks.pop(0), None)
got = b''
while len(got) < 200000:
    got += st.recv(65536)
out['sendall'] = got == b'a' * 100000 + b'b' * 100000
st.finish()
""".replace("import threading", "import threading, time"), "oxvirt")
    assert out["send"] == 3 and out["recv"] == "b'abc'"
    assert out["recvflags"] == ["err", 8, 38, "unsupported flags (0x4) in function virStreamRecvFlags"]
    assert out["blocked_recv"] == ["b'later'"]
    assert out["sendall"]


def test_libvirtaio_drives_callbacks():
    out = run("""
import asyncio, libvirtaio
async def main():
    libvirtaio.virEventRegisterAsyncIOImpl()
    c = libvirt.open('test:///default')
    d = c.lookupByName('test')
    st = c.newStream(libvirt.VIR_STREAM_NONBLOCK)
    d.openConsole(None, st, 0)
    got = []
    done = asyncio.Event()
    def cb(stream, events, _):
        r = stream.recv(1024)
        if isinstance(r, bytes):
            got.append(r)
            if b''.join(got) == b'via asyncio':
                done.set()
    st.eventAddCallback(libvirt.VIR_STREAM_EVENT_READABLE, cb, None)
    st.send(b'via asyncio')
    await asyncio.wait_for(done.wait(), 10)
    st.eventRemoveCallback()
    st.finish()
    out['got'] = b''.join(got).decode()
asyncio.run(main())
""", "oxvirt")
    assert out["got"] == "via asyncio"


def test_unix_socket_guest():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "guest.sock")
        node = os.path.join(tmp, "node.xml")
        with open(node, "w") as f:
            f.write(f"""<node>
  <domain type='test'>
    <name>sock</name>
    <memory>65536</memory>
    <os><type>hvm</type></os>
    <devices>
      <serial type='unix'>
        <source mode='connect' path='{path}'/>
        <target port='0'/>
      </serial>
      <serial type='file'>
        <source path='/dev/null'/>
      </serial>
    </devices>
  </domain>
</node>
""")
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(path)
        srv.listen(1)
        seen = []

        def guest():
            conn, _ = srv.accept()
            conn.sendall(b"login: ")
            data = conn.recv(100)
            seen.append(data)
            conn.sendall(data.upper())
            conn.close()

        t = threading.Thread(target=guest, daemon=True)
        t.start()
        out = run(CONSOLE + f"""
c = libvirt.open('test://{node}')
d = c.lookupByName('sock')
con = Console(c, d)
out['banner'] = wait_for(lambda: con.data == b'login: ')
con.stream.send(b'root')
out['reply'] = wait_for(lambda: con.data == b'login: ROOT')
out['eof'] = wait_for(lambda: con.eof)
out['not_pty'] = attempt(d.openConsole, 'serial1', c.newStream(0), 0)
""", "oxvirt")
        t.join(5)
        srv.close()
    assert out["banner"] and out["reply"] and out["eof"]
    assert seen == [b"root"]
    assert out["not_pty"] == ["err", 1, 12, "internal error: character device serial1 is not using a PTY"]


def test_force_race_under_load():
    """Eight threads force their way onto one console while echo traffic flows. Every evicted
    holder's callback sees ERROR exactly once; exactly one session survives and still echoes."""
    out = run(CONSOLE + """
import threading
c = libvirt.open('test:///default')
d = c.lookupByName('test')
lock = threading.Lock()
consoles = []
failures = []
def worker(k):
    for i in range(25):
        try:
            con = Console(c, d, None, libvirt.VIR_DOMAIN_CONSOLE_FORCE)
        except libvirt.libvirtError as e:
            # Taken over between openConsole and eventAddCallback: already closed.
            failures.append(err(e))
            continue
        with lock:
            consoles.append(con)
        for j in range(5):
            try:
                con.stream.send(b'x' * 1024)
            except libvirt.libvirtError:
                break
threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
for t in threads: t.start()
for t in threads: t.join(60)
out['alive_threads'] = sum(t.is_alive() for t in threads)
out['opened'] = len(consoles)
out['failures'] = failures
# Every evicted holder hears ERROR from the loop thread, which a loaded machine can delay past any
# fixed sleep: wait until all but one have, then until the loop has run once more.
def _evicted():
    return sum(libvirt.VIR_STREAM_EVENT_ERROR in con.events for con in consoles)
wait_for(lambda: _evicted() >= len(consoles) - 1, 30)
fired = threading.Event()
libvirt.virEventAddTimeout(0, lambda t, o: (libvirt.virEventRemoveTimeout(t), fired.set()), None)
fired.wait(10)
errors = [con.events.count(libvirt.VIR_STREAM_EVENT_ERROR) for con in consoles]
out['error_once'] = sorted(set(errors))
out['survivors'] = errors.count(0)
last = [con for con in consoles if con.events.count(libvirt.VIR_STREAM_EVENT_ERROR) == 0]
if last:
    last[0].data = b''
    last[0].stream.send(b'still here')
    out['survivor_echo'] = wait_for(lambda: last[0].data.endswith(b'still here'))
""", "oxvirt", timeout=120)
    assert out["alive_threads"] == 0
    not_open = [1, 38, "internal error: stream is not open"]
    assert all(f == not_open for f in out["failures"]), out["failures"]
    assert out["opened"] + len(out["failures"]) == 200
    assert out["error_once"] == [0, 1]
    assert out["survivors"] == 1
    assert out["survivor_echo"]
