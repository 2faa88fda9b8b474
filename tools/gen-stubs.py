#!/usr/bin/env python3
"""Write the C entry points nobody has written yet, from the ABI fact table.

Every function of `abi/libvirt-9.0.0.tsv` is exported exactly once: either by hand, in its
family's file `src/ffi/<module>.rs`, or here, in `src/generated/ffi_stubs.rs`, as a stub that
checks its object argument as libvirt does (`virCheck<Object>Return`), refuses a read-only
connection where libvirt does (`abi/readonly-9.0.0.tsv`, when present) and reports
`VIR_ERR_NO_SUPPORT` with its own name in its file's error domain. Implementing a function is
writing its export in the family file; the next run drops its stub.

`--check` fails when the committed stubs differ from what the tree gives, or when a function of
the fact table is defined zero times or twice.
`--drop-hand-stubs` deletes hand-written exports whose body is nothing but such a stub (used
once, when the stubs moved here).
"""
import importlib.util
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSV = os.path.join(ROOT, "abi", "libvirt-9.0.0.tsv")
READONLY = os.path.join(ROOT, "abi", "readonly-9.0.0.tsv")
FFI = os.path.join(ROOT, "src", "ffi")
OUT = os.path.join(ROOT, "src", "generated", "ffi_stubs.rs")

# The facts gen-abi.py keeps about the entry files: each file's error domain (its
# VIR_FROM_THIS), the object handle types, and the C -> Rust type mapping cbindgen prints back.
_spec = importlib.util.spec_from_file_location("gen_abi", os.path.join(ROOT, "tools", "gen-abi.py"))
gen_abi = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_abi)
FILE_DOMAIN = gen_abi.FILE_DOMAIN
rust_type = gen_abi.rust_type
ident = gen_abi.ident
# Object handle typedef -> the `Cx` check of src/ffi/runtime/entry.rs.
CHECK_NAME = {"DomainSnapshot": "snapshot", "DomainCheckpoint": "checkpoint"}
OBJECTS = {t: CHECK_NAME.get(k, k.lower()) for t, k in gen_abi.OBJECTS.items()}

# Object arguments after the first that libvirt checks before it reaches the driver.
MORE_CHECKS = {
    "virDomainOpenChannel": ["st"],
    "virDomainScreenshot": ["stream"],
    "virStorageVolDownload": ["stream"],
    "virStorageVolUpload": ["stream"],
}

ERR = {"NULL": "std::ptr::null_mut()", "-1": "-1", "0": "0", "UINT_MAX": "c_uint::MAX",
       "()": "()"}

EXPORT = re.compile(
    r'#\[apply\(export\)\]\n#\[unsafe\(no_mangle\)\]\n(?:#\[[^\n]*\]\n)*'
    r'pub extern "C(?:-unwind)?" fn (\w+)\((.*?)\)(?: -> [^{]+)? \{\n(.*?)\n\}\n', re.S)
STUB_BODY = re.compile(
    r'\s*entry\(FUNC, THIS, [^,]+, \|cx\| \{?\s*(?:cx\.\w+\(\w+\)\?;\s*)*'
    r'Err\(cx\.unsupported\(\)\)\s*\}?\)\s*$', re.S)


def load_facts():
    funcs = []
    for line in open(TSV):
        if line.startswith("#"):
            continue
        kind, name, node, mod, ret, err, args = line.rstrip("\n").split("\t")
        if kind != "func":
            continue
        arglist = []
        if args != "void":
            for a in args.split(", "):
                t, n = a.rsplit(" ", 1)
                arglist.append((t, n))
        funcs.append(dict(name=name, module=mod, ret=ret, err=err, args=arglist))
    return funcs


def readonly_denied():
    if not os.path.exists(READONLY):
        return set()
    return {l.split("\t")[0].strip() for l in open(READONLY)
            if l.strip() and not l.startswith("#")}


def hand_written():
    """Every export written by hand in src/ffi/*.rs: name -> file."""
    seen = {}
    dup = []
    for f in sorted(os.listdir(FFI)):
        if not f.endswith(".rs"):
            continue
        text = open(os.path.join(FFI, f)).read()
        names = re.findall(r'pub extern "C(?:-unwind)?" fn (\w+)\(', text)
        names += re.findall(r'pub static mut (\w+)', text)
        for n in names:
            if n in seen:
                dup.append(f"{n}: defined in {seen[n]} and {f}")
            seen[n] = f
    return seen, dup


def stub(f, denied):
    args = ", ".join(f"{ident(n)}: {rust_type(t)}" for t, n in f["args"])
    r = rust_type(f["ret"])
    tail = "" if r == "()" else f" -> {r}"
    err = ERR[f["err"]]
    if f["ret"] == "const char *" and f["err"] == "NULL":
        err = "std::ptr::null()"
    first = f["args"][0] if f["args"] else None
    lines = []
    if first and first[0] in OBJECTS:
        check = OBJECTS[first[0]]
        if f["name"] in denied:
            lines.append(f"let o = cx.{check}({ident(first[1])})?;")
            lines.append("cx.writable(owner(&o))?;")
        else:
            lines.append(f"cx.{check}({ident(first[1])})?;")
    for arg in MORE_CHECKS.get(f["name"], []):
        typ = dict((n, t) for t, n in f["args"])[arg]
        lines.append(f"cx.{OBJECTS[typ]}({ident(arg)})?;")
    lines.append("Err(cx.unsupported())")
    body = "\n".join("        " + l for l in lines)
    return (f"#[apply(export)]\n#[unsafe(no_mangle)]\n"
            f"pub extern \"C-unwind\" fn {f['name']}({args}){tail} {{\n"
            f"    entry(FUNC, Domain::{FILE_DOMAIN[f['module']]}, {err}, |cx| {{\n"
            f"{body}\n    }})\n}}\n")


HEAD = """//! The C entry points not implemented yet: each checks its object argument as libvirt does,
//! refuses a read-only connection where libvirt does, and reports `VIR_ERR_NO_SUPPORT` with its
//! own name in its file's error domain, as libvirt does for a driver without that operation.
//!
//! Generated by `tools/gen-stubs.py` from `abi/libvirt-9.0.0.tsv` and `abi/readonly-9.0.0.tsv`
//! for every function that `src/ffi/*.rs` does not export; do not edit. Implementing a function
//! means writing its export in its family's file; the next run drops its stub here.
#![allow(non_snake_case, unused_imports, unused_variables, clippy::all)]

use crate::ffi::abi_types::*;
use crate::ffi::runtime::entry::*;
use std::ffi::{c_char, c_int, c_long, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};
"""


def generate(funcs, hand, denied):
    parts = [HEAD]
    n = 0
    for f in funcs:
        if f["name"] in hand:
            continue
        parts.append(stub(f, denied))
        n += 1
    text = "\n".join(parts)
    text = subprocess.run(["rustfmt", "--edition", "2024", "--emit", "stdout"], input=text,
                          capture_output=True, text=True, check=True).stdout
    return text, n


def drop_hand_stubs():
    dropped = 0
    for f in sorted(os.listdir(FFI)):
        if not f.endswith(".rs"):
            continue
        path = os.path.join(FFI, f)
        text = open(path).read()

        def repl(m):
            nonlocal dropped
            if STUB_BODY.fullmatch(m.group(3)):
                dropped += 1
                return ""
            return m.group(0)

        new = EXPORT.sub(repl, text)
        new = re.sub(r"\n{3,}", "\n\n", new)
        if new != text:
            open(path, "w").write(new)
    print(f"dropped {dropped} hand-written stubs")


def main():
    if "--drop-hand-stubs" in sys.argv:
        drop_hand_stubs()
    funcs = load_facts()
    hand, dup = hand_written()
    names = {f["name"] for f in funcs}
    bad = list(dup)
    # libvirt-qemu.so.0 / libvirt-lxc.so.0's functions, written by hand in src/ffi/{qemu,lxc}.rs
    # (libs/ has why); gen-libs.py keeps their fact tables.
    other = set(gen_abi.other_library_functions())
    for n in sorted(other - set(hand)):
        bad.append(f"{n}: in abi/libvirt-{{qemu,lxc}}-9.0.0.tsv but exported by no src/ffi file")
    for n in sorted(set(hand) - names - other - {"virConnectAuthPtrDefault"}):
        bad.append(f"{n}: exported by src/ffi/{hand[n]} but not in the fact table")
    text, n = generate(funcs, hand, readonly_denied())
    if "--check" in sys.argv:
        cur = open(OUT).read() if os.path.exists(OUT) else None
        if cur != text:
            bad.append("src/generated/ffi_stubs.rs is stale: run python3 tools/gen-stubs.py")
        for line in bad:
            print(line)
        if bad:
            sys.exit(1)
        print(f"stubs current: {len(funcs) - n} functions written by hand, {n} generated, "
              "each defined once")
        return
    if bad:
        sys.exit("\n".join(bad))
    open(OUT, "w").write(text)
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {n} stubs ({len(funcs) - n} written by hand)")


if __name__ == "__main__":
    main()
