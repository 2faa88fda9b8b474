"""Pinning, IOThreads, rename, snapshot revert, screenshot, send-key and migration to a URI
through the remote driver: the test-driver scenarios (tests/python/test_testdriver_pinning.py)
with Debian's libvirt client and with oxvirt, each against its own fresh libvirtd 9.0.0 (its
test driver).
Needs what tests/python/test_remote.py needs; run under flock /tmp/oxvirt-daemon.lock."""
from test_remote import differential
from test_testdriver_pinning import MISC, PRELUDE, SCENARIO
from test_testdriver_tuning import compare


def test_remote_pinning_scenario():
    real, ox = differential(PRELUDE + SCENARIO)
    compare(real, ox)
    assert real["run migrate"][1][0] == "err"


def test_remote_rename_revert_screenshot():
    real, ox = differential(PRELUDE + MISC)
    # libvirt's remote client gives the caller's handle the new name (its test driver does not)
    assert real["renamed_handle"][0] == "renamed"
    compare(real, ox)
    assert real["screenshot"][0] == ["ok", "image/png"] and real["screenshot"][1] > 1000
