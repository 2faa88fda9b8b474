"""libvirt-qemu.so.0 and libvirt-lxc.so.0 (libs/README.md) through Debian's unmodified
python3-libvirt: `import libvirt_qemu, libvirt_lxc` loads Debian's libvirtmod_qemu/_lxc, which
are linked with libvirt-qemu.so.0/libvirt-lxc.so.0; under oxvirt those must be oxvirt's filters
and every call must answer as Debian's libvirt does. On test:///default libvirt answers
NO_SUPPORT (its test driver has no QEMU entry points); through a real libvirtd's QEMU driver
with a QEMU TCG guest (tests/remote/console-guest.xml, paused) the monitor answers QMP and HMP
commands and the agent command fails as the guest has no agent.

Run: scripts/build.sh && /usr/bin/python3 -m pytest -q tests/python/test_libs.py
(the remote test starts libvirtd: wrap in flock /tmp/oxvirt-daemon.lock)
"""
import os

import pytest

from harness import ROOT, OXVIRT_DIR, both, run

LOADED = """
def _libs():
    libs = set()
    for line in open('/proc/self/maps'):
        p = line.split()[-1]
        if 'libvirt-qemu' in p or 'libvirt_qemu.so' in p or 'libvirt-lxc' in p or 'libvirt_lxc.so' in p:
            libs.add(os.path.realpath(p))
    return sorted(libs)
"""

TESTDRIVER = LOADED + """
import os, libvirt_qemu, libvirt_lxc
out['libs'] = _libs()
c = libvirt.open('test:///default')
ro = libvirt.openReadOnly('test:///default')
d = c.lookupByName('test')
q = libvirt_qemu
out['monitor'] = attempt(q.qemuMonitorCommand, d, '{"execute":"query-status"}', 0)
out['monitor_hmp'] = attempt(q.qemuMonitorCommand, d, 'info status', q.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP)
out['monitor_ro'] = attempt(q.qemuMonitorCommand, ro.lookupByName('test'), 'x', 0)
out['agent'] = attempt(q.qemuAgentCommand, d, '{"execute":"guest-ping"}', -1, 0)
out['agent_ro'] = attempt(q.qemuAgentCommand, ro.lookupByName('test'), 'x', -1, 0)
out['attach'] = attempt(q.qemuAttach, c, 1, 0)
out['attach0'] = attempt(q.qemuAttach, c, 0, 0)
out['attach_ro'] = attempt(q.qemuAttach, ro, 1, 0)
out['events'] = attempt(q.qemuMonitorEventRegister, c, d, None, lambda *a: None, None, 0)
out['events_ro'] = attempt(q.qemuMonitorEventRegister, ro, None, None, lambda *a: None, None, 0)
out['lxc_open'] = attempt(libvirt_lxc.lxcOpenNamespace, d, 0)
out['lxc_open_ro'] = attempt(libvirt_lxc.lxcOpenNamespace, ro.lookupByName('test'), 0)
out['consts'] = [q.VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK, q.VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT,
                 q.VIR_DOMAIN_QEMU_AGENT_COMMAND_NOWAIT, q.VIR_DOMAIN_QEMU_AGENT_COMMAND_SHUTDOWN]
"""


def check_libs(real, ox, libs=("qemu", "lxc")):
    """oxvirt's run mapped oxvirt's filters, the real run Debian's libraries."""
    mine = {os.path.realpath(os.path.join(OXVIRT_DIR, f"libvirt_{l}.so")) for l in libs}
    assert set(ox.pop("libs")) == mine, ox
    theirs = real.pop("libs")
    assert len(theirs) == len(libs) and not mine & set(theirs), theirs


def test_import_and_testdriver_match_real():
    real, ox = both(TESTDRIVER)
    check_libs(real, ox)
    assert real["monitor"][0] == "err" and real["monitor"][1] == 3, real
    assert ox == real


REMOTE = LOADED + """
import os, re, libvirt_qemu as q
_attempt = attempt
def attempt(f, *a):
    # The daemon numbers its monitor commands ("id":"libvirt-N"): masked, as the two daemons
    # have run different numbers of commands.
    r = _attempt(f, *a)
    if r[0] == 'ok' and isinstance(r[1], str):
        r[1] = re.sub(r'"id":"libvirt-[0-9]+"', '"id":"libvirt-N"', r[1])
    return r
out['libs'] = _libs()
import threading, time
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
c = libvirt.open(os.environ['OX_URI'])
d = c.defineXML(open(os.environ['OX_GUEST']).read())
seen = {'all': [], 'regex': [], 'dom': [], 'gone': []}
def on_event(key):
    def cb(conn, dom, event, seconds, micros, details, opaque):
        seen[key].append([dom.name(), event, details, opaque, seconds > 0])
    return cb
ids = {}
ids['all'] = attempt(q.qemuMonitorEventRegister, c, None, None, on_event('all'), 'o-all', 0)
ids['regex'] = attempt(q.qemuMonitorEventRegister, c, None, '^res', on_event('regex'), 'o-re',
                       q.VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX
                       | q.VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_NOCASE)
ids['dom'] = attempt(q.qemuMonitorEventRegister, c, d, 'STOP', on_event('dom'), 'o-dom', 0)
ids['gone'] = attempt(q.qemuMonitorEventRegister, c, None, None, on_event('gone'), 'o-gone', 0)
out['ids'] = ids
out['dereg_gone'] = attempt(q.qemuMonitorEventDeregister, c, ids['gone'][1])
out['dereg_again'] = attempt(q.qemuMonitorEventDeregister, c, ids['gone'][1])
out['dereg_unknown'] = attempt(q.qemuMonitorEventDeregister, c, 999)
out['bad_regex'] = attempt(q.qemuMonitorEventRegister, c, None, '(', on_event('gone'), None,
                           q.VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX)
out['bad_flags'] = attempt(q.qemuMonitorEventRegister, c, None, None, on_event('gone'), None, 0x80)
d.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
out['status'] = attempt(q.qemuMonitorCommand, d, '{"execute":"query-status"}', 0)
out['status_id'] = attempt(q.qemuMonitorCommand, d, '{"execute":"query-status","id":"ox-1"}', 0)
out['hmp'] = attempt(q.qemuMonitorCommand, d, 'info status', q.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP)
out['hmp_as_qmp'] = attempt(q.qemuMonitorCommand, d, 'info status', 0)
out['unknown'] = attempt(q.qemuMonitorCommand, d, '{"execute":"no-such-command"}', 0)
out['badflags'] = attempt(q.qemuMonitorCommand, d, '{"execute":"query-status"}', 0x100)
out['name'] = attempt(q.qemuMonitorCommand, d, '{"execute":"query-name"}', 0)
out['agent'] = attempt(q.qemuAgentCommand, d, '{"execute":"guest-ping"}', -1, 0)
out['agent_nowait'] = attempt(q.qemuAgentCommand, d, '{"execute":"guest-ping"}', 0, 0)
out['agent_badtimeout'] = attempt(q.qemuAgentCommand, d, '{"execute":"guest-ping"}', -3, 0)
out['attach'] = attempt(q.qemuAttach, c, 1, 0)
d.resume()
out['status_running'] = attempt(q.qemuMonitorCommand, d, '{"execute":"query-status"}', 0)
out['agent_running'] = attempt(q.qemuAgentCommand, d, '{"execute":"guest-ping"}', 1, 0)
out['got_resume'] = wait_for(lambda: any(e[1] == 'RESUME' for e in seen['all']), 30)
d.suspend()
out['got_stop'] = wait_for(lambda: any(e[1] == 'STOP' for e in seen['dom']), 30)
time.sleep(0.5)
out['seen'] = {k: v[:] for k, v in seen.items()}
for k in ('all', 'regex', 'dom'):
    out['dereg_' + k] = attempt(q.qemuMonitorEventDeregister, c, ids[k][1])
d.destroy()
out['status_inactive'] = attempt(q.qemuMonitorCommand, d, '{"execute":"query-status"}', 0)
d.undefine()
out['alive'] = c.isAlive()
c.close()
"""

needs_daemon = pytest.mark.skipif(
    os.geteuid() != 0 or not os.path.exists("/usr/sbin/libvirtd")
    or not os.path.exists("/usr/bin/qemu-system-x86_64"),
    reason="needs root, Debian's libvirtd and qemu-system-x86",
)


def on_two_daemons(code):
    """`code` with Debian's client against one fresh daemon and with oxvirt against another,
    each with the QEMU guest of tests/remote/console-guest.xml to define; (real, oxvirt)."""
    from test_remote import Daemon
    guest = os.path.join(ROOT, "tests", "remote", "console-guest.xml")
    daemons = []
    try:
        for _ in range(2):
            daemons.append(Daemon())
        res = []
        for lib, dm in zip(["real", "oxvirt"], daemons):
            uri = f"qemu+unix:///system?socket={dm.sock}"
            res.append(run(code, lib, timeout=300,
                           env_extra={"OX_URI": uri, "OX_GUEST": guest}))
    finally:
        for dm in daemons:
            dm.stop()
    return tuple(res)


@needs_daemon
def test_qemu_monitor_and_agent_over_remote_match_real_client():
    real, ox = on_two_daemons(REMOTE)
    check_libs(real, ox, ("qemu",))
    assert real["status"][0] == "ok" and '"running":false' in real["status"][1], real
    assert '"running":true' in real["status_running"][1], real
    assert real["got_resume"] and real["got_stop"], real
    assert any(e[1] == "RESUME" for e in real["seen"]["regex"]), real
    assert real["hmp"][0] == "ok", real
    assert real["agent_running"][0] == "err", real
    for k in real:
        assert ox[k] == real[k], k
    assert ox == real


ASYNCIO_MONITOR = """
import asyncio, os, libvirtaio, libvirt_qemu as q
# QEMU monitor events through a binding's own loop (asyncio, via virEventRegisterImpl): the
# loop sleeps on nothing but the awaited event, so only the library can wake it.
async def main():
    libvirtaio.virEventRegisterAsyncIOImpl()
    c = libvirt.open(os.environ['OX_URI'])
    d = c.defineXML(open(os.environ['OX_GUEST']).read())
    seen = []
    got = asyncio.Event()
    def cb(conn, dom, event, seconds, micros, details, opaque):
        if event in ('RESUME', 'STOP'):
            seen.append([dom.name(), event, opaque])
        if event == 'STOP':
            got.set()
    i = q.qemuMonitorEventRegister(c, d, None, cb, 'aio', 0)
    d.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    d.resume()
    d.suspend()
    try:
        await asyncio.wait_for(got.wait(), 30)
        out['got_stop'] = True
    except asyncio.TimeoutError:
        out['got_stop'] = False
    out['seen'] = seen
    out['dereg'] = q.qemuMonitorEventDeregister(c, i)
    d.destroy()
    d.undefine()
    out['close'] = c.close()
asyncio.run(main())
"""


@needs_daemon
def test_qemu_monitor_events_through_libvirtaio_match_real_client():
    real, ox = on_two_daemons(ASYNCIO_MONITOR)
    assert real["got_stop"] and real["seen"] == [["oxcons", "RESUME", "aio"],
                                                 ["oxcons", "STOP", "aio"]], real
    assert ox == real
