"""Run the same Python scenario against Debian's real libvirt and against oxvirt.

Each scenario runs in its own Debian python3 process with python3-libvirt imported; only
LD_LIBRARY_PATH differs. The scenario stores what it observed in the dict `out`, which comes
back as JSON. Every run also reports which libvirt.so.0 the process mapped, so a test can never
silently compare the real library with itself.
"""
import json
import os
import subprocess
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OXVIRT_DIR = os.environ.get("OXVIRT_LIB_DIR", os.path.join(ROOT, "target", "release"))
PYTHON = "/usr/bin/python3"

PRELUDE = """
import json, sys, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
out = {}
def err(e):
    return [e.get_error_code(), e.get_error_domain(), e.get_error_message()]
def attempt(f, *a):
    try:
        return ["ok", f(*a)]
    except libvirt.libvirtError as e:
        return ["err"] + err(e)
"""

EPILOGUE = """
def _mapped():
    for line in open('/proc/self/maps'):
        if 'libvirt.so' in line:
            return os.path.realpath(line.split()[-1])
    return None
import os
out['__lib__'] = _mapped()
sys.stdout.write('\\n@@RESULT@@' + json.dumps(out, default=repr) + '\\n')
"""


HARD_EXIT = """
sys.stdout.flush()
os._exit(0)
"""


def run(code, lib, timeout=120, env_extra=None, hard_exit=False):
    """Run `code` against `lib` ('real' or 'oxvirt'); return the `out` dict.

    `hard_exit` ends the process right after the result is written, without running finalizers:
    for scenarios whose objects crash libvirt 9.0.0 when they are freed."""
    env = dict(os.environ)
    env.pop("LD_LIBRARY_PATH", None)
    env.pop("LD_PRELOAD", None)
    if lib == "oxvirt":
        env["LD_LIBRARY_PATH"] = OXVIRT_DIR
    if env_extra:
        env.update(env_extra)
    src = PRELUDE + textwrap.dedent(code) + EPILOGUE + (HARD_EXIT if hard_exit else "")
    p = subprocess.run([PYTHON, "-c", src], env=env, capture_output=True, text=True,
                       timeout=timeout)
    marker = p.stdout.rfind("@@RESULT@@")
    if p.returncode != 0 or marker < 0:
        raise AssertionError(f"{lib} scenario failed (rc={p.returncode}):\n{p.stdout}\n{p.stderr}")
    res = json.loads(p.stdout[marker + len("@@RESULT@@"):])
    mapped = res.pop("__lib__")
    ours = os.path.realpath(os.path.join(OXVIRT_DIR, "libvirt.so.0"))
    if lib == "oxvirt":
        assert mapped == ours, f"expected oxvirt ({ours}) to be loaded, got {mapped}"
    else:
        assert mapped != ours and mapped is not None, f"expected the real libvirt, got {mapped}"
    return res


def both(code, **kw):
    """(real, oxvirt) results of one scenario."""
    return run(code, "real", **kw), run(code, "oxvirt", **kw)
