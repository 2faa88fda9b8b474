#!/usr/bin/env python3
"""Every prototype in oxvirt's generated header must be compatible with libvirt 9.0.0's.

The declarations are taken from include/libvirt/libvirt.h and compiled after Debian's own
<libvirt/libvirt.h>: C rejects a redeclaration whose type differs ("conflicting types"), so a
wrong return type, parameter type or const-ness fails the build. Also checks that the header
declares exactly the functions of the fact table.
"""
import os
import re
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
text = open(os.path.join(root, "include", "libvirt", "libvirt.h")).read()
decls, cur = [], None
for line in text.splitlines():
    if cur is not None:
        cur += " " + line.strip()
        if line.rstrip().endswith(";"):
            decls.append(cur)
            cur = None
        continue
    if re.match(r"^(extern )?[A-Za-z_]", line) and "(" in line and not line.startswith(
            ("typedef", "#", "struct", "union", "enum")):
        if line.rstrip().endswith(";"):
            decls.append(line.strip())
        else:
            cur = line.strip()
    elif line.startswith("extern "):
        decls.append(line.strip())

names = set()
for d in decls:
    m = re.search(r"(\w+)\s*\(", d) if "(" in d else re.search(r"(\w+);$", d)
    names.add(m.group(1))
facts = set()
for row in open(os.path.join(root, "abi", "libvirt-9.0.0.tsv")):
    if not row.startswith("#"):
        facts.add(row.split("\t")[1])
if names != facts:
    print("header and fact table differ:", sorted(names ^ facts)[:20])
    sys.exit(1)

# Nothing but libvirt's own names: an internal constant that leaks into the header (cbindgen
# emits every public constant of the crate) is a defect.
upstream = ""
for h in os.listdir("/usr/include/libvirt"):
    upstream += open(os.path.join("/usr/include/libvirt", h)).read()
known = set(re.findall(r"\b\w+\b", upstream))
ours = set(re.findall(r"^#define (\w+)", text, re.M)) | set(re.findall(r"^  (\w+) = ", text, re.M))
ours.discard("OXVIRT_LIBVIRT_H")
foreign = sorted(ours - known)
if foreign:
    print("names in include/libvirt/libvirt.h that libvirt 9.0.0 does not have:", foreign[:20])
    sys.exit(1)

with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
    f.write("#include <libvirt/libvirt.h>\n#include <libvirt/virterror.h>\n")
    f.write("\n".join(decls) + "\n")
    src = f.name
r = subprocess.run(["gcc", "-std=gnu11", "-fsyntax-only", "-Wall", "-Werror",
                    "-Wno-deprecated-declarations", src], capture_output=True, text=True)
os.unlink(src)
if r.returncode != 0:
    print(r.stderr[:6000])
    sys.exit(1)
print(f"prototypes: {len(decls)} declarations compatible with libvirt 9.0.0's headers")
