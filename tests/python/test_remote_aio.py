"""Remote events with libvirtaio (asyncio), real client vs oxvirt, through real libvirtd daemons:
the events of a remote connection must reach an asyncio application while its loop sleeps, as
libvirt-python's own tests/test_aio.py expects (there on test:///default).
KNOWN BUG (xfail, strict): oxvirt receives them on its reader thread and arms the dispatch timer
from there; libvirtaio's updateTimeout does not wake a sleeping asyncio loop from another
thread, so destroy/suspend events time out. A wake-up socket pair watched by the loop fixes the
delivery but crashed libvirt-python's local test_aio (a handle callback after its removal) and
was reverted; see the suites report.
Needs what tests/python/test_remote.py needs; run under flock /tmp/oxvirt-daemon.lock."""
from test_remote import differential, pytestmark  # noqa: F401

CODE = """
import asyncio, os, time, libvirtaio
out['events'] = []
async def main():
    impl = libvirtaio.virEventRegisterAsyncIOImpl()
    conn = libvirt.open(os.environ['OX_URI'])
    dom = conn.lookupByName('test')
    got = asyncio.Event()
    def cb(c, d, event, detail, opaque):
        out['events'].append([d.name(), event, detail])
        got.set()
    cid = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, cb, None)
    for step in ('destroy', 'create', 'suspend', 'resume'):
        got.clear()
        t = time.monotonic()
        getattr(dom, step)()
        try:
            await asyncio.wait_for(got.wait(), 5)
            out[step] = ['event', time.monotonic() - t < 2]
        except asyncio.TimeoutError:
            out[step] = ['timeout']
    conn.domainEventDeregisterAny(cid)
    out['state'] = dom.state()
    conn.close()
asyncio.run(main())
"""


import pytest  # noqa: E402


@pytest.mark.xfail(strict=True, reason="remote events do not wake libvirtaio's loop (see above)")
def test_remote_lifecycle_events_reach_asyncio_loop():
    real, ox = differential(CODE)
    assert real["destroy"] == ["event", True], real
    assert ox == real
