"""Storage pool events (virConnectStoragePoolEventRegisterAny): lifecycle and refresh, for all
pools and for one, through the default event loop, while the test driver defines, builds,
starts, refreshes, stops, deletes and undefines pools; registration errors. On
test:///default and through a daemon's test driver, real libvirt 9.0.0 and oxvirt must agree
on every callback, in order."""
import os

import pytest
from harness import both, run

SCENARIO = """
import os, threading, time
URI = os.environ.get('OX_URI', 'test:///default')
libvirt.virEventRegisterDefaultImpl()
def _loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=_loop, daemon=True).start()
c = libvirt.open(URI)
got = []
def lc(tag):
    def f(conn, pool, ev, det, op):
        got.append([tag, pool.name(), ev, det, op])
    return f
def rf(tag):
    def f(conn, pool, op):
        got.append([tag, pool.name(), op])
    return f
def settle(tag):
    name = 'sentinel-' + tag
    x = c.storagePoolDefineXML("<pool type='dir'><name>%s</name><target><path>/%s</path>"
                               "</target></pool>" % (name, name), 0)
    x.undefine()
    end = time.time() + 15
    while time.time() < end and not any(g[1] == name and g[2] == 1 for g in got):
        time.sleep(0.02)
dp = c.storagePoolLookupByName('default-pool')
out['ids'] = [c.storagePoolEventRegisterAny(None, 0, lc('all'), 'a'),
              c.storagePoolEventRegisterAny(None, 1, rf('refresh'), 'r'),
              c.storagePoolEventRegisterAny(dp, 0, lc('dp'), 'd'),
              c.storagePoolEventRegisterAny(dp, 1, rf('dp_refresh'), 'dr')]
cb = lambda *a: None
out['errors'] = [attempt(c.storagePoolEventRegisterAny, None, 2, cb, None),
                 attempt(c.storagePoolEventRegisterAny, None, -1, cb, None),
                 attempt(c.storagePoolEventDeregisterAny, 12345)]
steps = []
def step(name, f, *a):
    r = attempt(f, *a)
    steps.append([name, r[0] if r[0] == 'ok' else r])
X = "<pool type='dir'><name>evp</name><target><path>/evp</path></target></pool>"
p = c.storagePoolDefineXML(X, 0)
step('build', p.build, 0)
step('create', p.create, 0)
step('refresh', p.refresh, 0)
step('build_active', p.build, 0)
step('destroy', p.destroy)
step('delete', p.delete, 0)
step('undefine', p.undefine)
t = c.storagePoolCreateXML("<pool type='dir'><name>evt</name><target><path>/evt</path></target>"
                           "</pool>", 0)
step('t_refresh', t.refresh, 0)
step('t_destroy', t.destroy)
step('dp_refresh', dp.refresh, 0)
step('dp_destroy', dp.destroy)
step('dp_create', dp.create, 0)
settle('z')
out['steps'] = steps
out['got'] = [g for g in got if not g[1].startswith('sentinel')]
out['dereg'] = [attempt(c.storagePoolEventDeregisterAny, i) for i in out['ids']]
out['again'] = attempt(c.storagePoolEventDeregisterAny, out['ids'][0])
"""


def test_pool_events_match_real():
    real, ox = both(SCENARIO)
    assert real["got"], real
    assert ox == real


@pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/usr/sbin/libvirtd"),
                    reason="needs root and Debian's libvirtd")
def test_remote_pool_events_match_real_client():
    from test_remote import fresh_pair
    a, b = fresh_pair()
    a.holder()
    b.holder()
    try:
        real = run(SCENARIO, "real", env_extra={"OX_URI": a.uri})
        ox = run(SCENARIO, "oxvirt", env_extra={"OX_URI": b.uri})
    finally:
        a.stop()
        b.stop()
    assert real["got"], real
    assert ox == real
