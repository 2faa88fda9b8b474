"""Debian's unmodified python3-libvirt loads oxvirt and behaves as with libvirt 9.0.0."""
import subprocess

import harness

BASIC = """
conn = libvirt.open("test:///default")
out["version"] = libvirt.getVersion()
out["type"] = conn.getType()
out["uri"] = conn.getURI()
out["hv_version"] = conn.getVersion()
out["lib_version"] = conn.getLibVersion()
out["maxvcpus"] = conn.getMaxVcpus(None)
out["flags"] = [conn.isAlive(), conn.isSecure(), conn.isEncrypted()]
out["nodeinfo"] = conn.getInfo()
doms = conn.listAllDomains(0)
out["domains"] = sorted((d.name(), d.ID(), d.UUIDString(), d.state(), d.isActive(),
                         d.isPersistent(), d.maxMemory(), d.OSType()) for d in doms)
out["count"] = conn.numOfDomains()
out["ids"] = conn.listDomainsID()
out["defined"] = conn.listDefinedDomains()
d = conn.lookupByName("test")
info = d.info()
out["info"] = info[:4]
out["by_id"] = conn.lookupByID(1).name()
out["by_uuid"] = conn.lookupByUUIDString("6695eb01-f6a4-8304-79aa-97f2502e193f").name()
out["miss_name"] = attempt(conn.lookupByName, "nope")
out["miss_id"] = attempt(conn.lookupByID, 42)
out["bad_uuid"] = attempt(conn.lookupByUUIDString, "xyz")
out["bad_flags"] = attempt(conn.listAllDomains, 1 << 16)
out["ro"] = libvirt.openReadOnly("test:///default").numOfDomains()
out["bad_uris"] = [attempt(libvirt.open, u) for u in ("test:///", "bogus", "test:///nonexistent.xml")]
out["close"] = conn.close()
"""


def test_python_libvirt_imports_and_lists_test_default():
    ours = harness.run(BASIC, "oxvirt")
    assert ours["domains"][0][:3] == ["test", 1, "6695eb01-f6a4-8304-79aa-97f2502e193f"]
    assert ours["version"] == 9000000


def test_python_scenario_matches_real_libvirt():
    real, ours = harness.both(BASIC)
    assert real == ours


def test_all_python_symbols_bind():
    # libvirtmod is linked against libvirt.so.0 with versioned references; importing it with
    # immediate binding fails if any of its symbols or nodes is missing.
    ours = harness.run("import libvirtmod\nout['ok'] = True", "oxvirt",
                       env_extra={"LD_BIND_NOW": "1"})
    assert ours["ok"]
    so = subprocess.run(["/usr/bin/python3", "-c", "import libvirtmod; print(libvirtmod.__file__)"],
                        capture_output=True, text=True, check=True).stdout.strip()
    syms = subprocess.run(["nm", "-D", "--undefined-only", so], capture_output=True, text=True,
                          check=True).stdout
    imported = [l.split()[-1] for l in syms.splitlines() if "@LIBVIRT_" in l]
    assert len(imported) >= 470, len(imported)
