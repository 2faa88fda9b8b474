#!/usr/bin/env python3
"""Derive oxvirt's ABI fact table and generated sources from Debian's libvirt 9.0.0.

Inputs (facts only): the API description shipped by Debian's libvirt-dev
(/usr/share/libvirt/api/libvirt-api.xml) and the version nodes that Debian's
libvirt.so.0 defines for each public symbol (readelf).

Outputs (committed, regenerate with `python3 tools/gen-abi.py`):
  abi/libvirt-9.0.0.tsv      the fact table: name, node, header, return type, error value, args
  libvirt_public.syms        the version script, from the fact table
  src/generated/abi_consts.rs every public enum value and numeric/string macro
  src/generated/abi_types.rs  every public struct, handle typedef and callback type
  cbindgen.toml              the header generator's configuration (which types to emit)

`--check` regenerates in memory and fails if a committed file differs.
`--scaffold` also writes a NO_SUPPORT stub file for each src/ffi module that does not exist yet.
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
API_XML = os.environ.get("LIBVIRT_API_XML", "/usr/share/libvirt/api/libvirt-api.xml")
REAL_LIB = os.environ.get("LIBVIRT_REAL_LIB", "/usr/lib/x86_64-linux-gnu/libvirt.so.0")
TSV = os.path.join(ROOT, "abi", "libvirt-9.0.0.tsv")

# Header file -> oxvirt ffi module (one per upstream src/libvirt-*.c).
MODULES = {
    "libvirt-host": "host",
    "libvirt-domain": "domain",
    "libvirt-domain-snapshot": "domain_snapshot",
    "libvirt-domain-checkpoint": "domain_checkpoint",
    "libvirt-network": "network",
    "libvirt-interface": "interface",
    "libvirt-storage": "storage",
    "libvirt-nodedev": "nodedev",
    "libvirt-secret": "secret",
    "libvirt-nwfilter": "nwfilter",
    "libvirt-stream": "stream",
    "libvirt-event": "event",
    "libvirt-common": "typedparams",
    "virterror": "error",
}
# Entry points that live in upstream's src/libvirt.c rather than libvirt-host.c.
LIBVIRT_C = {
    "virInitialize", "virGetVersion", "virConnectOpen", "virConnectOpenReadOnly",
    "virConnectOpenAuth", "virConnectClose",
}

# The error domain each upstream entry file reports with (its VIR_FROM_THIS).
FILE_DOMAIN = {
    "libvirt": "VIR_FROM_NONE",
    "host": "VIR_FROM_DOMAIN",
    "domain": "VIR_FROM_DOMAIN",
    "domain_snapshot": "VIR_FROM_DOMAIN_SNAPSHOT",
    "domain_checkpoint": "VIR_FROM_DOMAIN_CHECKPOINT",
    "network": "VIR_FROM_NETWORK",
    "interface": "VIR_FROM_INTERFACE",
    "storage": "VIR_FROM_STORAGE",
    "nodedev": "VIR_FROM_NODEDEV",
    "secret": "VIR_FROM_SECRET",
    "nwfilter": "VIR_FROM_NWFILTER",
    "stream": "VIR_FROM_STREAMS",
    "event": "VIR_FROM_EVENT",
    "typedparams": "VIR_FROM_NONE",
    "error": "VIR_FROM_NONE",
}

# Object handle typedef -> the Kind name used by src/ffi/handle.rs.
OBJECTS = {
    "virConnectPtr": "Connect",
    "virDomainPtr": "Domain",
    "virNetworkPtr": "Network",
    "virNetworkPortPtr": "NetworkPort",
    "virInterfacePtr": "Interface",
    "virStoragePoolPtr": "StoragePool",
    "virStorageVolPtr": "StorageVol",
    "virNodeDevicePtr": "NodeDevice",
    "virSecretPtr": "Secret",
    "virNWFilterPtr": "NWFilter",
    "virNWFilterBindingPtr": "NWFilterBinding",
    "virStreamPtr": "Stream",
    "virDomainSnapshotPtr": "DomainSnapshot",
    "virDomainCheckpointPtr": "DomainCheckpoint",
}

BASE = {
    "void": "c_void",
    "int": "c_int",
    "unsigned int": "c_uint",
    "long": "c_long",
    "unsigned long": "c_ulong",
    "long long": "c_longlong",
    "long long int": "c_longlong",
    "unsigned long long": "c_ulonglong",
    "unsigned long long int": "c_ulonglong",
    "size_t": "usize",
    "double": "f64",
    "char": "c_char",
    "unsigned char": "c_uchar",
    "unsigned short": "c_ushort",
}


def rust_type(ctype):
    """Map a C type from the API description to the Rust type cbindgen prints back."""
    t = ctype.replace("*", " * ").split()
    base, stars, base_const = [], 0, False
    for tok in t:
        if tok == "*":
            stars += 1
        elif tok == "const":
            if stars == 0:
                base_const = True
            # a const after a '*' qualifies the pointer itself: not part of the ABI
        else:
            assert stars == 0, ctype
            base.append(tok)
    b = " ".join(base)
    r = BASE.get(b, b)
    if r == "c_void" and stars == 0:
        return "()"
    for i in range(stars):
        r = ("*const " if (i == 0 and base_const) else "*mut ") + r
    return r


def ident(name):
    return "r#" + name if name in ("type", "ref", "fn", "mod", "match", "loop") else name


def error_value(name, ret):
    if ret == "void":
        return "()"
    if "*" in ret or ret.endswith("Ptr"):
        return "NULL"
    if name == "virDomainGetID":
        return "UINT_MAX"
    if ret in ("unsigned long", "unsigned long long"):
        return "0"
    if ret == "int":
        return "-1"
    raise SystemExit(f"no error value rule for {name} returning {ret}")


def read_nodes():
    out = subprocess.run(["readelf", "--dyn-syms", "-W", REAL_LIB], check=True,
                         capture_output=True, text=True).stdout
    nodes = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 8 and f[6] != "UND" and "@@LIBVIRT_" in f[7] and "PRIVATE" not in f[7]:
            sym, node = f[7].split("@@")
            nodes[sym] = node
    vd = subprocess.run(["readelf", "-V", "-W", REAL_LIB], check=True,
                        capture_output=True, text=True).stdout
    order = []
    for m in re.finditer(r"Name: (LIBVIRT_[0-9.]+)\s", vd):
        if m.group(1) not in order:
            order.append(m.group(1))
    return nodes, order


def load():
    root = ET.parse(API_XML).getroot()
    nodes, order = read_nodes()
    funcs = []
    for f in root.iter("function"):
        name = f.get("name")
        ret = f.find("return").get("type")
        args = [(a.get("type"), a.get("name")) for a in f.findall("arg")]
        mod = "libvirt" if name in LIBVIRT_C else MODULES[f.get("file")]
        funcs.append(dict(name=name, node=nodes[name], header=f.get("file"), module=mod,
                          ret=ret, err=error_value(name, ret), args=args))
    funcs.sort(key=lambda x: x["name"])
    variables = [(v.get("name"), nodes[v.get("name")]) for v in root.iter("variable")]
    assert len(funcs) + len(variables) == len(nodes) == 517, (len(funcs), len(nodes))
    return root, funcs, variables, order


def gen_tsv(funcs, variables):
    lines = ["# oxvirt ABI fact table, derived from Debian's libvirt 9.0.0 by tools/gen-abi.py.",
             "# kind\tname\tnode\tmodule\treturn\terror\targs (C type name, ...)"]
    for n, node in variables:
        lines.append(f"data\t{n}\t{node}\thost\tvirConnectAuthPtr\t-\t-")
    for f in funcs:
        args = ", ".join(f"{t} {n}" for t, n in f["args"]) or "void"
        lines.append(f"func\t{f['name']}\t{f['node']}\t{f['module']}\t{f['ret']}\t{f['err']}\t{args}")
    return "\n".join(lines) + "\n"


def gen_syms(funcs, variables, order):
    by_node = {}
    for f in funcs:
        by_node.setdefault(f["node"], []).append(f["name"])
    for n, node in variables:
        by_node.setdefault(node, []).append(n)
    out = ["# Version script of oxvirt's libvirt.so.0: every public symbol of libvirt 9.0.0 in the",
           "# node that introduced it, each node inheriting its predecessor.",
           "# Generated from abi/libvirt-9.0.0.tsv by tools/gen-abi.py; do not edit.", ""]
    prev = None
    for node in order:
        syms = sorted(by_node.get(node, []))
        out.append(node + " {")
        if syms:
            out.append("    global:")
            out.extend(f"        {s};" for s in syms)
        out.append("}" + (f" {prev};" if prev else ";"))
        out.append("")
        prev = node
    return "\n".join(out)


def int_value(v, enums):
    try:
        return int(v, 0)
    except ValueError:
        pass
    if v in enums:
        return enums[v]
    expr = re.sub(r"[A-Z_][A-Z0-9_]*", lambda m: str(enums[m.group(0)]), v)
    expr = expr.replace("U", "")
    return int(eval(expr, {}))  # facts from the API description: small integer expressions


def sentinels():
    """Enum members that libvirt's headers only declare under `#ifdef VIR_ENUM_SENTINELS`."""
    inc = os.environ.get("LIBVIRT_INCLUDE", "/usr/include/libvirt")
    names = set()
    for h in os.listdir(inc):
        text = open(os.path.join(inc, h)).read()
        names.update(re.findall(r"#\s*ifdef VIR_ENUM_SENTINELS\s+(\w+)", text))
    return names


def gen_consts(root):
    raw = {e.get("name"): e for e in root.iter("enum")}
    hidden = sentinels()
    values = {}
    pending = dict(raw)
    while pending:
        progress = False
        for name, e in list(pending.items()):
            try:
                values[name] = int_value(e.get("value"), values)
            except KeyError:
                continue
            del pending[name]
            progress = True
        assert progress, list(pending)[:5]
    by_type = {}
    for name, e in raw.items():
        by_type.setdefault(e.get("type"), []).append((values[name], name))
    out = ["//! Every public enum and numeric or string macro of libvirt 9.0.0, as Rust items.",
           "//! Generated by tools/gen-abi.py from Debian's libvirt-api.xml; do not edit.",
           "//!",
           "//! Each enum type is a `repr(C)` enum so the generated header declares it as C does;",
           "//! a name whose value repeats an earlier one in its type becomes a constant.",
           "#![allow(non_camel_case_types, non_upper_case_globals, dead_code, clippy::all)]",
           "",
           "use std::ffi::c_int;",
           ""]
    enum_types = []
    for ty in sorted(by_type):
        members = sorted(by_type[ty])
        seen = set()
        variants, aliases = [], []
        for v, name in members:
            if name in hidden:
                continue
            if v in seen:
                aliases.append((name, v))
            else:
                seen.add(v)
                variants.append((name, v))
        big = any(v > 0x7FFFFFFF for v, _ in members)
        enum_types.append(ty)
        out.append("#[repr(C)]" if not big else "#[repr(u32)]")
        out.append("#[derive(Clone, Copy, Debug, PartialEq, Eq)]")
        out.append(f"pub enum {ty} {{")
        for name, v in variants:
            out.append(f"    {name} = {v},")
        out.append("}")
        for name, v in aliases:
            out.append(f"pub const {name}: c_int = {v if v <= 0x7FFFFFFF else v - (1 << 32)};")
        for v, name in members:
            if name in hidden:
                out.append(f"/// Sentinel, declared by libvirt only under `VIR_ENUM_SENTINELS`.")
                out.append(f"pub(crate) const {name}: c_int = {v};")
        out.append("")
    for m in root.iter("macro"):
        name = m.get("name")
        if m.get("params") is not None or name.startswith("_"):
            continue
        if m.get("string") is not None:
            out.append(f'pub const {name}: &str = "{m.get("string")}";')
            STRING_MACROS.append((name, m.get("string")))
            continue
        raw_v = (m.get("raw") or "").split("/*")[0].strip()
        if not raw_v:
            continue
        v = raw_v.replace("LL", "").strip()
        while v.startswith("(") and v.endswith(")"):
            v = v[1:-1]
        try:
            num = int(eval(v, {}))
            ty = "i64" if num > 0x7FFFFFFF else "usize"
            out.append(f"pub const {name}: {ty} = {num};")
        except Exception:
            if v in values:
                out.append(f"pub const {name}: c_int = {values[v]};")
            elif re.fullmatch(r"[A-Z_][A-Z0-9_]*", v):
                out.append(f"pub const {name}: usize = {v};")
            else:
                raise SystemExit(f"macro {name}: {raw_v}")
    return "\n".join(out) + "\n", enum_types


def gen_types(root):
    structs = {s.get("name"): s for s in root.iter("struct")}
    out = ["//! Every public struct, object handle and callback type of libvirt 9.0.0, with C layout.",
           "//! Generated by tools/gen-abi.py from Debian's libvirt-api.xml; do not edit.",
           "#![allow(non_camel_case_types, non_snake_case, unused_imports, clippy::all)]",
           "",
           "pub use super::abi_consts::*;",
           "use std::ffi::{c_char, c_int, c_long, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_ushort, c_void};",
           ""]
    names = []
    emitted_tags = set()
    for name in sorted(structs):
        s = structs[name]
        tag = s.get("type").replace("struct ", "")
        fields = s.findall("field")
        if tag not in emitted_tags:
            emitted_tags.add(tag)
            if not fields:
                out.append(f"/// Opaque libvirt object (`struct {tag}`).")
                out.append(f"pub struct {tag} {{")
                out.append("    _private: [u8; 0],")
                out.append("}")
            else:
                out.append("#[repr(C)]")
                out.append(f"pub struct {tag} {{")
                for fld in fields:
                    fname, ftype = fld.get("name"), fld.get("type")
                    if fname == "type":
                        fname = "r#type"
                    if ftype == "union":
                        out.append(f"    pub {fname}: {tag}Value,")
                        continue
                    m = re.fullmatch(r"(.*\S)\s+\w+\[(\w+)\]", ftype)
                    if m:
                        out.append(f"    pub {fname}: [{rust_type(m.group(1))}; {m.group(2)}],")
                    else:
                        out.append(f"    pub {fname}: {rust_type(ftype)},")
                out.append("}")
                unions = [f for f in fields if f.get("type") == "union"]
                for u in unions:
                    out.append("#[repr(C)]")
                    out.append("#[derive(Clone, Copy)]")
                    out.append(f"pub union {tag}Value {{")
                    for uf in u.find("union").findall("field"):
                        out.append(f"    pub {uf.get('name')}: {rust_type(uf.get('type'))},")
                    out.append("}")
            out.append("")
        out.append(f"pub type {name} = {tag};")
        names.append(name)
    out.append("")
    for t in root.iter("typedef"):
        if t.get("type") == "enum":
            continue
        ty = t.get("type")
        out.append(f"pub type {t.get('name')} = {rust_type(ty)};")
        names.append(t.get("name"))
    out.append("")
    for ft in root.iter("functype"):
        ret = ft.find("return").get("type")
        args = ", ".join(f"{ident(a.get('name'))}: {rust_type(a.get('type'))}"
                         for a in ft.findall("arg") if a.get("type") != "void")
        r = rust_type(ret)
        tail = "" if r == "()" else f" -> {r}"
        # "C-unwind": an application callback may end its thread with a forced unwind
        # (pthread_exit, e.g. Python at interpreter exit) that must pass through our frames.
        out.append(f"pub type {ft.get('name')} = Option<unsafe extern \"C-unwind\" fn({args}){tail}>;")
        names.append(ft.get("name"))
    return "\n".join(out) + "\n", names


STRING_MACROS = []

# Function-like macros of libvirt's headers, written for oxvirt (cbindgen cannot express them).
FUNCTION_MACROS = r"""
/* CPU map helpers: a map holds one bit per physical CPU. */
#define VIR_CPU_MAPLEN(cpu) (((cpu) + 7) / 8)
#define VIR_USE_CPU(cpumap, cpu) ((cpumap)[(cpu) / 8] |= (1 << ((cpu) % 8)))
#define VIR_UNUSE_CPU(cpumap, cpu) ((cpumap)[(cpu) / 8] &= ~(1 << ((cpu) % 8)))
#define VIR_CPU_USED(cpumap, cpu) ((cpumap)[(cpu) / 8] & (1 << ((cpu) % 8)))
#define VIR_GET_CPUMAP(cpumaps, maplen, vcpu) (&((cpumaps)[(vcpu) * (maplen)]))
#define VIR_COPY_CPUMAP(cpumaps, maplen, vcpu, cpumap) \\
    memcpy(cpumap, VIR_GET_CPUMAP(cpumaps, maplen, vcpu), maplen)
#define VIR_CPU_USABLE(cpumaps, maplen, vcpu, cpu) \\
    VIR_CPU_USED(VIR_GET_CPUMAP(cpumaps, maplen, vcpu), cpu)
#define VIR_NODEINFO_MAXCPUS(nodeinfo) \\
    ((nodeinfo).nodes * (nodeinfo).sockets * (nodeinfo).cores * (nodeinfo).threads)
#define LIBVIR_CHECK_VERSION(major, minor, micro) \\
    ((major) * 1000000 + (minor) * 1000 + (micro) <= LIBVIR_VERSION_NUMBER)
#define VIR_DOMAIN_EVENT_CALLBACK(cb) ((virConnectDomainEventGenericCallback)(cb))
#define VIR_NETWORK_EVENT_CALLBACK(cb) ((virConnectNetworkEventGenericCallback)(cb))
#define VIR_STORAGE_POOL_EVENT_CALLBACK(cb) ((virConnectStoragePoolEventGenericCallback)(cb))
#define VIR_NODE_DEVICE_EVENT_CALLBACK(cb) ((virConnectNodeDeviceEventGenericCallback)(cb))
#define VIR_SECRET_EVENT_CALLBACK(cb) ((virConnectSecretEventGenericCallback)(cb))
#define _virBlkioParameter _virTypedParameter
#define _virMemoryParameter _virTypedParameter
#define _virSchedParameter _virTypedParameter
"""


def other_library_functions():
    names = []
    for lib in ("qemu", "lxc"):
        path = os.path.join(ROOT, "abi", f"libvirt-{lib}-9.0.0.tsv")
        if os.path.exists(path):
            names += [l.split("\t")[1] for l in open(path) if l.startswith("func\t")]
    return sorted(names)


def gen_cbindgen(enum_types, type_names):
    inc = sorted(set(enum_types) | set(type_names))
    lines = ['# Generated by tools/gen-abi.py; the header test (tests/header.rs) uses it.',
             'language = "C"',
             'include_guard = "OXVIRT_LIBVIRT_H"',
             'usize_is_size_t = true',
             'style = "both"',
             'documentation = false',
             'sys_includes = ["stddef.h", "stdint.h"]',
             'no_includes = true',
             '',
             '[export]',
             'include = [']
    lines += [f'    "{n}",' for n in inc]
    lines += [']']
    # The functions of libvirt-qemu.so.0 / libvirt-lxc.so.0 live in libvirt.so.0 too (libs/),
    # but are declared by their own headers, not libvirt.h.
    other = other_library_functions()
    if other:
        lines += ['exclude = [']
        lines += [f'    "{n}",' for n in other]
        lines += [']']
    lines += ['', '[enum]', 'rename_variants = "None"', '']
    trailer = "\n/* String macros of libvirt 9.0.0 (typed parameter names and the like). */\n"
    trailer += "".join(f'#define {n} "{v}"\n' for n, v in sorted(STRING_MACROS))
    trailer += FUNCTION_MACROS
    lines.insert(8, 'trailer = """' + trailer + '"""')
    return "\n".join(lines)


STUB_HEAD = """//! {title}
//!
//! Entry points of upstream `src/{cfile}`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::entry::*;
use std::ffi::{{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void}};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::{this};
"""


def gen_stub(f, mod):
    args = ", ".join(f"{ident(n)}: {rust_type(t)}" for t, n in f["args"] if t != "void")
    r = rust_type(f["ret"])
    tail = "" if r == "()" else f" -> {r}"
    err = {"NULL": "std::ptr::null_mut()", "-1": "-1", "0": "0", "UINT_MAX": "c_uint::MAX",
           "()": "()"}[f["err"]]
    if f["ret"] in ("const char *",) and f["err"] == "NULL":
        err = "std::ptr::null()"
    first = f["args"][0] if f["args"] else None
    dom = FILE_DOMAIN[mod]
    if first and first[0] in OBJECTS:
        check = f"cx.{OBJECTS[first[0]].lower()}({first[1]})?;"
    else:
        check = ""
    return (f"#[apply(export)]\n#[unsafe(no_mangle)]\npub extern \"C-unwind\" fn {f['name']}({args}){tail} {{\n"
            f"    entry(FUNC, THIS, {err}, |cx| {{\n"
            + (f"        {check}\n" if check else "")
            + f"        Err(cx.unsupported())\n"
            f"    }})\n}}\n")


def gen_probe(root):
    """A C program printing every enum value, struct size and field offset it can see."""
    hidden = sentinels()
    out = ["/* Generated by tools/gen-abi.py: compiled against oxvirt's and libvirt's headers,",
           " * its two outputs must be identical. */",
           "#include <stddef.h>", "#include <stdio.h>", "#include <libvirt/libvirt.h>",
           "#include <libvirt/virterror.h>", "", "int main(void)", "{"]
    for e in sorted(root.iter("enum"), key=lambda e: e.get("name")):
        if e.get("name") in hidden:
            continue
        out.append(f'    printf("%s %lld\\n", "{e.get("name")}", (long long){e.get("name")});')
    for m in sorted(root.iter("macro"), key=lambda m: m.get("name")):
        n = m.get("name")
        if m.get("params") is not None or n.startswith("_") or not (m.get("string") or m.get("raw")):
            continue
        if m.get("string") is not None:
            out.append(f'    printf("%s %s\\n", "{n}", {n});')
        else:
            out.append(f'    printf("%s %lld\\n", "{n}", (long long)({n}));')
    for s_ in sorted(root.iter("struct"), key=lambda s: s.get("name")):
        fields = s_.findall("field")
        if not fields:
            continue
        n = s_.get("name")
        out.append(f'    printf("sizeof %s %zu\\n", "{n}", sizeof({n}));')
        for f in fields:
            out.append(f'    printf("offsetof %s.%s %zu\\n", "{n}", "{f.get("name")}", offsetof({n}, {f.get("name")}));')
    out += ["    return 0;", "}", ""]
    return "\n".join(out)


def main():
    check = "--check" in sys.argv
    root, funcs, variables, order = load()
    consts, enum_types = gen_consts(root)
    types, type_names = gen_types(root)
    files = {
        TSV: gen_tsv(funcs, variables),
        os.path.join(ROOT, "libvirt_public.syms"): gen_syms(funcs, variables, order),
        os.path.join(ROOT, "src", "generated", "abi_consts.rs"): consts,
        os.path.join(ROOT, "src", "generated", "abi_types.rs"): types,
        os.path.join(ROOT, "cbindgen.toml"): gen_cbindgen(enum_types, type_names),
        os.path.join(ROOT, "c-tests", "abi-probe.c"): gen_probe(root),
    }
    for path in list(files):
        if path.endswith(".rs"):
            files[path] = subprocess.run(["rustfmt", "--edition", "2024", "--emit", "stdout"],
                                         input=files[path], capture_output=True, text=True,
                                         check=True).stdout
    bad = 0
    for path, text in files.items():
        if check:
            cur = open(path).read() if os.path.exists(path) else None
            if cur != text:
                print(f"out of date: {os.path.relpath(path, ROOT)}")
                bad = 1
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as fh:
                fh.write(text)
    if "--scaffold" in sys.argv:
        by_mod = {}
        for f in funcs:
            by_mod.setdefault(f["module"], []).append(f)
        for mod, fs in by_mod.items():
            path = os.path.join(ROOT, "src", "ffi", mod + ".rs")
            if os.path.exists(path):
                continue
            cfile = "libvirt.c" if mod == "libvirt" else (
                "util/virerror.c" if mod == "error" else (
                    "util/virtypedparam-public.c" if mod == "typedparams" else
                    f"libvirt-{mod.replace('_', '-')}.c"))
            body = STUB_HEAD.format(title=f"C entry points: {mod}.", cfile=cfile, this=FILE_DOMAIN[mod])
            body += "\n" + "\n".join(gen_stub(f, mod) for f in fs)
            with open(path, "w") as fh:
                fh.write(body)
    sys.exit(bad)


if __name__ == "__main__":
    main()
