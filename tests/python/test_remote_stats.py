"""The domain statistics, save/restore and core dump scenario of
tests/python/test_testdriver_stats.py through the remote driver: Debian's libvirt client and
oxvirt, each against its own fresh libvirtd 9.0.0 (its test driver), plus the limits libvirt's
client checks before it calls the daemon. Run under flock /tmp/oxvirt-daemon.lock."""
import tempfile
from harness import run
from test_remote import fresh_pair
from test_testdriver_stats import SCENARIO, check_expectations, compare

LIMITS = r"""
import os
c = libvirt.open(os.environ['OX_URI'])
d = c.lookupByName('test')
out['peek_big'] = attempt(d.memoryPeek, 0, 4194305, 1)
out['peek_limit'] = attempt(lambda: len(d.memoryPeek(0, 4194304, 1)))
out['cpu_many'] = attempt(d.getCPUStats, False)
c.close()
"""


def differential(code):
    a, b = fresh_pair()
    a.holder()
    b.holder()
    try:
        with tempfile.TemporaryDirectory() as t1, tempfile.TemporaryDirectory() as t2:
            real = run(code, "real", env_extra={"OX_URI": a.uri, "OX_TMP": t1})
            ox = run(code, "oxvirt", env_extra={"OX_URI": b.uri, "OX_TMP": t2})
            return real, ox, t1, t2
    finally:
        a.stop()
        b.stop()


def short_read_errno(res):
    """A short read of a save image leaves errno as it was: the daemon reports whatever its
    last failed call set, which differs between two daemons."""
    for k, v in res.items():
        if isinstance(v, list) and v[:1] == ["err"] and v[1] == 38 and (
                "incomplete" in v[3] or "failed to read metadata length" in v[3]):
            res[k] = v[:3] + [v[3].rsplit(": ", 1)[0]]
    return res


def test_remote_stats_save_restore_dump():
    real, ox, t1, t2 = differential(SCENARIO)
    check_expectations(real)
    compare(short_read_errno(real), short_read_errno(ox), t1, t2)


def test_remote_stats_client_limits():
    real, ox, _, _ = differential(LIMITS)
    compare(real, ox)
    assert real["peek_big"][0] == "err" and "too large" in real["peek_big"][3]
    assert real["peek_limit"] == ["ok", 4194304]


def test_remote_moment_children():
    from test_testdriver_stats import CHILDREN
    real, ox, _, _ = differential(CHILDREN)
    assert real["all_s1_0"] == ["ok", ["s2", "s4"]]
    compare(real, ox)
