"""Event callback ids come from the driver's event state, not the connection: two connections
to test:///default share one count; each node file has its own. Compared with libvirt."""
from harness import both

SCENARIO = """
import tempfile, os
libvirt.virEventRegisterDefaultImpl()
cb = lambda *a: None
ids, keep = [], []
for uri in ['test:///default', 'test:///default']:
    c = libvirt.open(uri)
    keep.append(c)
    ids.append(c.domainEventRegisterAny(None, 0, cb, None))
    ids.append(c.domainEventRegisterAny(c.lookupByName('test'), 0, cb, None))
fd, path = tempfile.mkstemp(suffix='.xml')
os.write(fd, b'<node/>'); os.close(fd)
for i in range(2):
    c = libvirt.open('test://' + path)
    keep.append(c)
    ids.append(c.domainEventRegisterAny(None, 0, cb, None))
keep[0].domainEventDeregisterAny(ids[0])
ids.append(keep[0].domainEventRegisterAny(None, 0, cb, None))
out['ids'] = ids
out['other'] = attempt(keep[1].domainEventDeregisterAny, ids[1])
os.unlink(path)
"""


def test_callback_ids_count_per_event_state():
    real, ours = both(SCENARIO)
    assert real["ids"] == [0, 1, 2, 3, 0, 0, 4]
    assert ours == real
