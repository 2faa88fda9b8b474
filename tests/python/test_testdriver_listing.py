"""virConnectListAllDomains: every one of the 65536 filter combinations, the bad flag bits and
the legacy listing calls, over a node file holding domains in every state; real libvirt 9.0.0
and oxvirt must agree on each."""
from harness import both
from testdrv_common import SNAPSHOT_FN, STATES_SETUP

ALL_FLAGS = STATES_SETUP + SNAPSHOT_FN + """
names = sorted(d.name() for d in c.listAllDomains(0))
index = {n: i for i, n in enumerate(names)}
masks = []
for flags in range(1 << 16):
    m = 0
    for d in c.listAllDomains(flags):
        m |= 1 << index[d.name()]
    masks.append(m)
out['names'] = names
out['masks'] = masks
out['world'] = world(c)
"""


def test_every_filter_combination():
    real, ox = both(ALL_FLAGS, timeout=600)
    assert len(real["names"]) == 19
    assert real["names"] == ox["names"]
    assert real["world"] == ox["world"]
    bad = [f for f in range(1 << 16) if real["masks"][f] != ox["masks"][f]]
    assert not bad, "flag values that differ: " + ", ".join(hex(f) for f in bad[:20])
    # The fixture really spreads the domains over the groups: no group is degenerate.
    for bit in range(16):
        assert 0 < bin(real["masks"][1 << bit]).count("1") < len(real["names"]), hex(1 << bit)


BAD_FLAGS = STATES_SETUP + """
res = {}
for bit in range(16, 32):
    res[hex(1 << bit)] = attempt(c.listAllDomains, 1 << bit)
res['mixed'] = attempt(c.listAllDomains, 0xffff | (1 << 20) | (1 << 31))
out['res'] = res
out['after'] = sorted(d.name() for d in c.listAllDomains(0))
"""


def test_unknown_flag_bits():
    real, ox = both(BAD_FLAGS)
    assert real == ox
    assert real["res"]["0x10000"][1:3] == [8, 12]


LEGACY = STATES_SETUP + """
out['num'] = c.numOfDomains()
out['ids'] = sorted(c.listDomainsID())
out['numdef'] = c.numOfDefinedDomains()
out['defined'] = sorted(c.listDefinedDomains())
ro = libvirt.openReadOnly('test:///default')
out['default'] = [(d.name(), d.ID(), d.state(), d.UUIDString()) for d in ro.listAllDomains(0)]
out['default_info'] = ro.lookupByName('test').info()[:4]
"""


def test_legacy_listing_and_default():
    real, ox = both(LEGACY)
    assert real == ox
