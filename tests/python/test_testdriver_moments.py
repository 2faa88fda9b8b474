"""Snapshots and checkpoints on the test driver: creation, listing with every filter flag,
lookup, tree maintenance on delete, the HAS/NO_SNAPSHOT and HAS/NO_CHECKPOINT domain filters,
and the errors; real libvirt 9.0.0 and oxvirt must agree."""
from harness import both
from testdrv_common import SNAPSHOT_FN, STATES_SETUP
from test_testdriver_lifecycle import STEP_FN, compare

SNAPS = STATES_SETUP + SNAPSHOT_FN + STEP_FN + """
def snapview(d):
    out = []
    for s in sorted(d.listAllSnapshots(0), key=lambda s: s.getName()):
        try:
            parent = s.getParent().getName()
        except libvirt.libvirtError as e:
            parent = err(e)
        out.append([s.getName(), parent, s.isCurrent()])
    flags = {}
    for f in range(1 << 11):
        flags[f] = sorted(s.getName() for s in d.listAllSnapshots(f))
    return [out, d.snapshotNum(0), d.hasCurrentSnapshot(0), flags]
def listed(f):
    return sorted(x.name() for x in c.listAllDomains(f))
d = c.lookupByName('snap_run')
S = '<domainsnapshot><name>%s</name><description>about %s</description></domainsnapshot>'
step('s2', d.snapshotCreateXML, S % ('s2', 's2'), 0)
step('s3', d.snapshotCreateXML, S % ('s3', 's3'), 0)
step('dup', d.snapshotCreateXML, S % ('s3', 's3'), 0)
step('current s1 needs redefine', d.snapshotCreateXML, S % ('x', 'x'), 2)
step('redefine without name', d.snapshotCreateXML, '<domainsnapshot/>', 1)
step('redefine+halt', d.snapshotCreateXML, S % ('x', 'x'), 1 | 8)
step('bad flags', d.snapshotCreateXML, S % ('x', 'x'), 4)
step('bad flags 2', d.snapshotCreateXML, S % ('x', 'x'), 1 << 20)
step('malformed', d.snapshotCreateXML, '<domainsnapshot', 0)
step('wrong root', d.snapshotCreateXML, '<foo/>', 0)
step('lookup missing', d.snapshotLookupByName, 'nope', 0)
step('lookup flags', d.snapshotLookupByName, 's1', 1)
step('num bad flags', d.snapshotNum, 1 << 11)
step('list bad flags', d.listAllSnapshots, 1 << 11)
log.append(['view1', snapview(d)])
step('lookup s2', d.snapshotLookupByName, 's2', 0)
step('xml s2 has description', lambda: '<description>about s2</description>' in d.snapshotLookupByName('s2').getXMLDesc(0))
step('delete s2 (middle)', d.snapshotLookupByName('s2').delete, 0)
log.append(['view2', snapview(d)])
step('delete again', d.snapshotLookupByName('s3').delete, 0)
step('delete gone handle', lambda: d.listAllSnapshots(0) and None)
s1 = d.snapshotLookupByName('s1')
step('s4', d.snapshotCreateXML, S % ('s4', 's4'), 0)
step('s5', d.snapshotCreateXML, S % ('s5', 's5'), 0)
step('delete both flags', s1.delete, 1 | 4)
step('delete children only', s1.delete, 4)
log.append(['view3', snapview(d)])
step('delete s1', s1.delete, 0)
step('delete s1 again', s1.delete, 0)
log.append(['view4', snapview(d)])
step('halt snapshot', d.snapshotCreateXML, S % ('h', 'h'), 8)
log.append(['halt id', d.ID()])
step('halt snapshot shut off', d.snapshotCreateXML, S % ('h2', 'h2'), 8)
step('transient halt', c.lookupByName('trans_run').snapshotCreateXML, S % ('t', 't'), 8)
step('snapshot with checkpoint', c.lookupByName('cp_run').snapshotCreateXML, S % ('x', 'x'), 0)
log.append(['has', listed(1 << 12), listed(1 << 13)])
step('delete all of snap_off', c.lookupByName('snap_off').snapshotLookupByName('s1').delete, 1)
log.append(['has after', listed(1 << 12), listed(1 << 13)])

C = '<domaincheckpoint><name>%s</name></domaincheckpoint>'
r = c.lookupByName('run')
step('cp c1', r.checkpointCreateXML, C % 'c1', 0)
step('cp c2', r.checkpointCreateXML, C % 'c2', 0)
step('cp dup', r.checkpointCreateXML, C % 'c2', 0)
step('cp bad flags', r.checkpointCreateXML, C % 'c9', 8)
step('cp validate without redefine', r.checkpointCreateXML, C % 'c9', 4)
step('cp malformed', r.checkpointCreateXML, '<domaincheckpoint', 0)
step('cp wrong root', r.checkpointCreateXML, '<foo/>', 0)
step('cp inactive', c.lookupByName('off').checkpointCreateXML, C % 'c1', 0)
step('cp no disk', c.lookupByName('paused').checkpointCreateXML, C % 'c1', 0)
step('cp with snapshot', c.lookupByName('snap_run').checkpointCreateXML, C % 'c1', 0)
def cpview(d):
    res = {}
    for f in range(16):
        res[f] = sorted(x.getName() for x in d.listAllCheckpoints(f))
    return res
log.append(['cpview', cpview(r)])
step('cp list bad flags', r.listAllCheckpoints, 16)
step('cp lookup missing', r.checkpointLookupByName, 'nope', 0)
step('cp xml', lambda: '<parent>' in r.checkpointLookupByName('c2').getXMLDesc(0))
step('cp delete c1', r.checkpointLookupByName('c1').delete, 0)
log.append(['cpview2', cpview(r)])
step('cp delete exclusive', r.checkpointLookupByName('c2').delete, 5)
step('cp delete bad flags', r.checkpointLookupByName('c2').delete, 8)
log.append(['cp has', listed(1 << 14), listed(1 << 15)])
step('cp delete c2', r.checkpointLookupByName('c2').delete, 0)
log.append(['cp has after', listed(1 << 14), listed(1 << 15)])
step('undefine with checkpoint', c.lookupByName('cp_run').undefine)
out['log'] = log
"""


def test_snapshots_and_checkpoints():
    real, ox = both(SNAPS, timeout=300)
    compare(real, ox)
