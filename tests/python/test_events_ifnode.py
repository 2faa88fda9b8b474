"""Node device events, differential: Debian's libvirt vs oxvirt, on test:///default and through
real libvirtd daemons. libvirt's test driver emits CREATED for the vHBA virNodeDeviceCreateXML
makes and DELETED for a device virNodeDeviceDestroy removes; registrations for all devices and
for one, the update id (silent), and the register/deregister errors.
Run the remote ones under flock /tmp/oxvirt-daemon.lock."""
from harness import both
from test_events import LOOP, daemon_pair_run, needs_daemon

NODEDEV_EVENTS = LOOP + """
c = libvirt.open(os.environ.get('OX_URI', 'test:///default'))
got = []
def rec(tag):
    def f(conn, dev, *a):
        got.append([tag, dev.name(), list(a[:-1]), a[-1]])
    return f
h11 = c.nodeDeviceLookupByName('scsi_host11')
out['all'] = c.nodeDeviceEventRegisterAny(None, 0, rec('all'), 'op')
out['one'] = c.nodeDeviceEventRegisterAny(h11, 0, rec('h11'), None)
out['update'] = c.nodeDeviceEventRegisterAny(None, 1, rec('update'), None)
out['bad_id'] = attempt(c.nodeDeviceEventRegisterAny, None, 2, rec('x'), None)
out['neg_id'] = attempt(c.nodeDeviceEventRegisterAny, None, -1, rec('x'), None)
out['bad_dereg'] = attempt(c.nodeDeviceEventDeregisterAny, 999)
FC = ("<device><parent>scsi_host1</parent><capability type='scsi_host'><capability "
      "type='fc_host'><wwnn>2001000000000001</wwnn><wwpn>1001000000000001</wwpn></capability>"
      "</capability></device>")
v = c.nodeDeviceCreateXML(FC, 0)
v.destroy()
c.nodeDeviceLookupByName('computer').destroy()
h11.destroy()
end = time.time() + 15
while time.time() < end and not any(g[1] == 'scsi_host11' and g[0] == 'all' for g in got):
    time.sleep(0.02)
loop_barrier()
out['got'] = got
out['dereg'] = [attempt(c.nodeDeviceEventDeregisterAny, i)
                for i in (out['all'], out['one'], out['update'], out['all'])]
out['close'] = c.close()
"""


def check(real, ox):
    assert ox == real
    assert [g[0:3] for g in real["got"]] == [
        ["all", "scsi_host12", [0, 0]], ["all", "scsi_host12", [1, 0]],
        ["all", "scsi_host11", [1, 0]], ["h11", "scsi_host11", [1, 0]]], real["got"]


def test_node_device_events_match_real():
    real, ox = both(NODEDEV_EVENTS)
    check(real, ox)


@needs_daemon
def test_remote_node_device_events_match_real_client():
    real, ox = daemon_pair_run("import os\n" + NODEDEV_EVENTS)
    check(real, ox)
