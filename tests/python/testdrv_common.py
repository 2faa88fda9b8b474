"""Shared pieces of the test-driver differential scenarios."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures")
STATES_NODE = os.path.join(FIXTURES, "states-node.xml")
STATES_URI = "test://" + STATES_NODE

# Scenario prelude: open the every-state node file and give domains the properties a node file
# cannot express (autostart, snapshots, checkpoints).
STATES_SETUP = f"""
URI = {STATES_URI!r}
c = libvirt.open(URI)
def dom(n):
    return c.lookupByName(n)
for n in ('auto_off', 'auto_run'):
    dom(n).setAutostart(1)
for n in ('snap_off', 'snap_run'):
    dom(n).snapshotCreateXML('<domainsnapshot><name>s1</name></domainsnapshot>', 0)
for n in ('cp_run', 'cp_trans'):
    dom(n).checkpointCreateXML('<domaincheckpoint><name>c1</name></domaincheckpoint>', 0)
"""

# Scenario helper: every domain's observable state, sorted by name.
SNAPSHOT_FN = """
def world(conn):
    rows = []
    for d in conn.listAllDomains(0):
        rows.append([d.name(), d.ID(), d.state(), d.isActive(), d.isPersistent(),
                     d.autostart(), d.hasManagedSaveImage(0), d.snapshotNum(0),
                     len(d.listAllCheckpoints(0)), d.info()[1:4]])
    return sorted(rows)
"""
