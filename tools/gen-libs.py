#!/usr/bin/env python3
"""Derive the fact tables and version scripts of libvirt's two hypervisor-specific libraries,
libvirt-qemu.so.0 and libvirt-lxc.so.0, from Debian's libvirt 9.0.0.

Inputs (facts only): the API descriptions shipped by Debian's libvirt-dev
(/usr/share/libvirt/api/libvirt-{qemu,lxc}-api.xml) and the version nodes, with their parents,
that Debian's libvirt-{qemu,lxc}.so.0 define (readelf).

Outputs (committed, regenerate with `python3 tools/gen-libs.py`):
  abi/libvirt-qemu-9.0.0.tsv, abi/libvirt-lxc-9.0.0.tsv   fact tables, the format of
                                                          abi/libvirt-9.0.0.tsv
  include/libvirt/libvirt-qemu.h, libvirt-lxc.h           the headers: every enum, callback
      type and prototype of the API description
  libs/qemu/libvirt_qemu.syms, libs/lxc/libvirt_lxc.syms  version scripts: each public symbol
      at the node that introduced it, each node inheriting its parent as in Debian's library.
      The same script serves the filter library (libs/<lib>/) and oxvirt's libvirt.so.0, which
      holds the implementation at the same nodes (see libs/README.md).

`--check` regenerates in memory and fails if a committed file differs.
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
API_DIR = os.environ.get("LIBVIRT_API_DIR", "/usr/share/libvirt/api")
LIB_DIR = os.environ.get("LIBVIRT_REAL_LIBDIR", "/usr/lib/x86_64-linux-gnu")

# library -> (ffi module, node prefix)
LIBS = {
    "qemu": ("qemu", "LIBVIRT_QEMU_"),
    "lxc": ("lxc", "LIBVIRT_LXC_"),
    # admin scope: libvirt-admin.so.0 is a library of its own (libs/admin/), not a filter.
    "admin": ("admin", "LIBVIRT_ADMIN_"),
}


def error_value(name, ret):
    if "*" in ret or ret.endswith("Ptr"):
        return "NULL"
    if ret in ("int", "long long", "unsigned long long"):
        return "-1"
    raise SystemExit(f"no error value rule for {name} returning {ret}")


def read_nodes(lib, prefix):
    so = os.path.join(LIB_DIR, f"libvirt-{lib}.so.0")
    out = subprocess.run(["readelf", "--dyn-syms", "-W", so], check=True,
                         capture_output=True, text=True).stdout
    nodes = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 8 and f[6] != "UND" and "@@" + prefix in f[7]:
            sym, node = f[7].split("@@")
            # Not the private node (libvirt-admin's LIBVIRT_ADMIN_PRIVATE_9.0.0).
            if re.fullmatch(re.escape(prefix) + r"[0-9.]+", node):
                nodes[sym] = node
    vd = subprocess.run(["readelf", "-V", "-W", so], check=True,
                        capture_output=True, text=True).stdout
    # "Name: NODE" lines of the definitions, each optionally followed by "Parent 1: NODE".
    order, parent = [], {}
    cur = None
    for line in vd.split("Version needs section")[0].splitlines():
        m = re.search(r"Name: (" + prefix + r"[0-9.]+)\s*$", line)
        if m:
            cur = m.group(1)
            order.append(cur)
            continue
        m = re.search(r"Parent 1: (\S+)", line)
        if m and cur:
            parent[cur] = m.group(1)
    return nodes, order, parent


def load(lib):
    mod, prefix = LIBS[lib]
    root = ET.parse(os.path.join(API_DIR, f"libvirt-{lib}-api.xml")).getroot()
    nodes, order, parent = read_nodes(lib, prefix)
    funcs = []
    for f in root.iter("function"):
        name = f.get("name")
        ret = f.find("return").get("type")
        args = [(a.get("type"), a.get("name")) for a in f.findall("arg")]
        funcs.append(dict(name=name, node=nodes[name], module=mod, ret=ret,
                          err=error_value(name, ret), args=args))
    funcs.sort(key=lambda x: x["name"])
    assert len(funcs) == len(nodes), (lib, len(funcs), len(nodes))
    return funcs, order, parent


def gen_tsv(lib, funcs):
    lines = [f"# oxvirt ABI fact table of libvirt-{lib}.so.0, derived from Debian's libvirt 9.0.0 "
             "by tools/gen-libs.py.",
             "# kind\tname\tnode\tmodule\treturn\terror\targs (C type name, ...)"]
    for f in funcs:
        args = ", ".join(f"{t} {n}" for t, n in f["args"]) or "void"
        lines.append(f"func\t{f['name']}\t{f['node']}\t{f['module']}\t{f['ret']}\t{f['err']}\t{args}")
    return "\n".join(lines) + "\n"


def gen_syms(lib, funcs, order, parent):
    by_node = {}
    for f in funcs:
        by_node.setdefault(f["node"], []).append(f["name"])
    users = (f"# filter library libs/{lib}/ and by oxvirt's libvirt.so.0 (build.rs)." if lib != "admin"
             else "# library libs/admin/ (build.rs).")
    out = [f"# Version script of libvirt-{lib}.so.0's public symbols, each in the node that",
           "# introduced it, each node inheriting its parent as in Debian's library. Used by the",
           users,
           f"# Generated from abi/libvirt-{lib}-9.0.0.tsv by tools/gen-libs.py; do not edit.", ""]
    for node in order:
        syms = sorted(by_node.get(node, []))
        out.append(node + " {")
        if syms:
            out.append("    global:")
            out.extend(f"        {s};" for s in syms)
        p = parent.get(node)
        out.append("}" + (f" {p};" if p else ";"))
        out.append("")
    return "\n".join(out)


def c_decl(ctype, name):
    return f"{ctype}{'' if ctype.endswith('*') else ' '}{name}"


def gen_header(lib):
    root = ET.parse(os.path.join(API_DIR, f"libvirt-{lib}-api.xml")).getroot()
    guard = f"OXVIRT_LIBVIRT_{lib.upper()}_H"
    out = [f"/* Generated by oxvirt (tools/gen-libs.py) from Debian's libvirt 9.0.0 API description "
           "of", f" * libvirt-{lib}; do not edit. */", f"#ifndef {guard}", f"#define {guard}",
           "", "#include <libvirt/libvirt.h>", "", "#ifdef __cplusplus", 'extern "C" {', "#endif", ""]
    # admin scope: libvirt-admin's opaque object types and its typed-parameter field names.
    for st in root.iter("struct"):
        out.append(f"typedef {st.get('type')} {st.get('name')};")
        ptr = [t for t in root.iter("typedef") if t.get("type") == st.get("name") + " *"]
        out.extend(f"typedef {st.get('name')} *{t.get('name')};" for t in ptr)
        out.append("")
    for m in sorted(root.iter("macro"), key=lambda m: m.get("name")):
        if m.get("string") is not None:
            out.append(f'#define {m.get("name")} "{m.get("string")}"')
    if any(m.get("string") is not None for m in root.iter("macro")):
        out.append("")
    enums = {}
    for e in root.iter("enum"):
        enums.setdefault(e.get("type"), []).append(e)
    for t in root.iter("typedef"):
        if t.get("type") != "enum":
            continue
        name = t.get("name")
        members = sorted(enums.get(name, []), key=lambda e: e.get("name"))
        out.append("typedef enum {")
        out.extend(f"    {e.get('name')} = {e.get('value')}," for e in members)
        out.append(f"}} {name};")
        out.append("")
    for f in root.iter("functype"):
        args = ", ".join(c_decl(a.get("type"), a.get("name")) for a in f.findall("arg"))
        out.append(f"typedef {f.find('return').get('type')} (*{f.get('name')})({args});")
        out.append("")
    for f in sorted(root.iter("function"), key=lambda f: f.get("name")):
        args = ", ".join(c_decl(a.get("type"), a.get("name")) for a in f.findall("arg")) or "void"
        out.append(f"{c_decl(f.find('return').get('type'), f.get('name'))}({args});")
    out += ["", "#ifdef __cplusplus", "}", "#endif", "", f"#endif /* {guard} */", ""]
    return "\n".join(out)


def outputs():
    files = {}
    for lib in LIBS:
        funcs, order, parent = load(lib)
        files[os.path.join("abi", f"libvirt-{lib}-9.0.0.tsv")] = gen_tsv(lib, funcs)
        files[os.path.join("include", "libvirt", f"libvirt-{lib}.h")] = gen_header(lib)
        files[os.path.join("libs", lib, f"libvirt_{lib}.syms")] = gen_syms(lib, funcs, order, parent)
    return files


def main():
    check = "--check" in sys.argv
    stale = []
    for rel, text in outputs().items():
        path = os.path.join(ROOT, rel)
        cur = open(path).read() if os.path.exists(path) else None
        if cur == text:
            continue
        if check:
            stale.append(rel)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").write(text)
            print(f"wrote {rel}")
    if stale:
        sys.exit("stale (run python3 tools/gen-libs.py): " + ", ".join(stale))
    if check:
        print("libvirt-qemu/-lxc/-admin fact tables, headers and version scripts current")


if __name__ == "__main__":
    main()
