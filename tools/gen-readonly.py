#!/usr/bin/env python3
"""Derive abi/readonly-9.0.0.tsv: the public functions libvirt 9.0.0 refuses on a read-only
connection (VIR_ERR_OPERATION_DENIED "read only access prevents <function>").

Input (facts only): libvirt 9.0.0's public entry files src/libvirt-*.c, where such a function
calls virCheckReadOnlyGoto in its body before reaching the driver. A call nested deeper than the
body's top level depends on the arguments; those functions are named in a header line and not
listed, nor are those that test VIR_CONNECT_RO by hand together with a flag (their exports
check by hand). Every listed name must be in abi/libvirt-9.0.0.tsv.

  python3 tools/gen-readonly.py [--check] [--src DIR]   (DIR defaults to
  $LIBVIRT_SRC or /work/upstream/libvirt-9.0.0; --check compares with the committed file and is
  skipped, successfully, when the source is absent)
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "abi", "readonly-9.0.0.tsv")
ABI = os.path.join(ROOT, "abi", "libvirt-9.0.0.tsv")


def public_functions():
    names = set()
    for line in open(ABI):
        if not line.startswith("#"):
            f = line.split("\t")
            if f[0] == "func":
                names.add(f[1])
    return names


def scan(src):
    """(unconditional, conditional) sets of function names."""
    always, sometimes = set(), set()
    files = sorted(
        f
        for f in glob.glob(os.path.join(src, "src", "libvirt*.c"))
        if not f.endswith(("libvirt-qemu.c", "libvirt-lxc.c", "libvirt-admin.c"))
    )
    if not files:
        raise SystemExit(f"no src/libvirt*.c under {src}")
    for path in files:
        func = None
        for line in open(path, encoding="utf-8"):
            # A definition: the name at column 0 followed by its parameter list; the body ends
            # at the closing brace at column 0.
            m = re.match(r"([A-Za-z_]\w*)\(", line)
            if m:
                func = m.group(1)
            elif line.startswith("}"):
                func = None
            elif func and re.search(r"\bvirCheckReadOnlyGoto\s*\(", line):
                indent = len(line) - len(line.lstrip(" "))
                (always if indent == 4 else sometimes).add(func)
            elif func and re.search(r"flags\s*&\s*VIR_CONNECT_RO\)", line):
                # A hand-made test of read-only access together with some flag.
                sometimes.add(func)
    return always, sometimes - always


def render(src):
    always, sometimes = scan(src)
    public = public_functions()
    # libvirt-qemu.c and libvirt-lxc.c are other libraries; libvirt-domain.c also holds the
    # private migration steps (LIBVIRT_PRIVATE_*), which are not in the ABI table either.
    private = sorted((always | sometimes) - public)
    always &= public
    sometimes &= public
    head = [
        "# Public functions libvirt 9.0.0 refuses on a read-only connection",
        "# (VIR_ERR_OPERATION_DENIED, 'read only access prevents <function>'), derived by",
        "# tools/gen-readonly.py from the virCheckReadOnlyGoto calls of src/libvirt-*.c.",
        "# Format: one function name per line after these '#' lines.",
        "# Refused only for some arguments (not listed): " + ", ".join(sorted(sometimes)),
        f"# {len(always)} functions ({len(private)} more are outside the public libvirt.so ABI).",
    ]
    return "\n".join(head + sorted(always)) + "\n"


def main():
    args = sys.argv[1:]
    check = "--check" in args
    src = os.environ.get("LIBVIRT_SRC", "/work/upstream/libvirt-9.0.0")
    if "--src" in args:
        src = args[args.index("--src") + 1]
    if not os.path.isdir(os.path.join(src, "src")):
        if check:
            print(f"gen-readonly: {src} absent, check skipped")
            return 0
        raise SystemExit(f"libvirt source not found at {src}")
    text = render(src)
    if check:
        if open(OUT).read() != text:
            print(f"{OUT} is stale: run tools/gen-readonly.py")
            return 1
        return 0
    with open(OUT, "w") as f:
        f.write(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
