#!/usr/bin/env python3
"""Write the per-driver support matrix from what each driver implements.

Inputs: the fact table (`abi/libvirt-9.0.0.tsv`), the family traits (`src/core/driver/*.rs`),
the drivers' trait impls (`src/drivers/**/*.rs`) and the C entry points (`src/ffi/`).

A public function is served by a driver when its entry point is written by hand (not a
generated stub of `src/generated/ffi_stubs.rs`) and every driver method the entry point reaches
(directly or through the ffi helpers it calls) is served by that driver: implemented in one of
its `impl <Family>Driver for <Driver>` blocks, required by the trait, or given a default that
does not answer "unsupported" (a default that calls other methods is served when they are).
A function of a family's entry file is served only by a driver that implements that family
at all (a network handle's `virNetworkGetName` needs a driver that can give network handles).
An export whose body always ends in `Err(cx.unsupported())` (it makes its own argument
checks first) is served by none. An entry point that reaches no driver method (error, event
loop, typed-parameter and stream functions, the library version) is served by every driver.

Outputs: `docs/support-matrix.tsv` (`symbol<TAB>test<TAB>remote`, `yes`/`no`) for tools and
`docs/support-matrix.md` for people. `--check` fails when either is stale. The matrix probe
(`c-tests/run.sh matrix`) calls every function against each driver and fails when a `yes`
answers NO_SUPPORT or a `no` does not, so the matrix cannot lie.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DRIVERS = {"TestDriver": "test", "RemoteDriver": "remote"}
COLUMNS = ["test", "remote"]


def strip_comments(text):
    """The text with comments removed and string/char literals emptied (a small Rust lexer)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i == -1 else i
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c in "rb" and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")) \
                and re.match(r'(?:b?r)(#*)"', text[i:]):
            m = re.match(r'(?:b?r)(#*)"', text[i:])
            end = text.index('"' + m.group(1), i + m.end())
            out.append('""')
            i = end + 1 + len(m.group(1))
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            out.append('""')
            i += 1
        elif c == "'":
            m = re.match(r"'(?:\\u\{[0-9a-fA-F]+\}|\\.|[^'\\])'", text[i:])
            if m:
                out.append("' '")
                i += m.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def block(text, start):
    """The text between the brace at or after `start` and its match."""
    i = text.index("{", start)
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j], j + 1
    raise ValueError("unbalanced braces")


def fns(body):
    """`fn name` items of a trait or impl body: name -> body (None for a bare declaration)."""
    out = {}
    pos = 0
    while True:
        m = re.compile(r"\bfn (\w+)").search(body, pos)
        if not m:
            return out
        # The signature ends at the first `;` or `{` outside brackets (`[u8; 16]` has one).
        depth, j = 0, m.end()
        while j < len(body):
            ch = body[j]
            if ch in "([<":
                depth += 1
            elif ch in ")]>" and not (ch == ">" and body[j - 1] == "-"):
                depth -= 1
            elif depth <= 0 and ch in ";{":
                break
            j += 1
        if j >= len(body) or body[j] == ";":
            out[m.group(1)] = None
            pos = j + 1
        else:
            b, pos = block(body, j)
            out[m.group(1)] = b


def rs_files(*parts):
    base = os.path.join(ROOT, *parts)
    for d, _, files in os.walk(base):
        for f in sorted(files):
            if f.endswith(".rs"):
                yield os.path.join(d, f)


def traits():
    """Every family trait method: name -> ("required" | "unsupported" | set of methods)."""
    methods = {}
    for path in rs_files("src", "core", "driver"):
        text = strip_comments(open(path).read())
        for m in re.finditer(r"pub trait (\w+Driver)\b[^{]*", text):
            body, _ = block(text, m.end())
            for name, b in fns(body).items():
                if b is None:
                    methods[name] = "required"
                elif re.fullmatch(r"\s*unsupported\(\)\s*", b):
                    methods[name] = "unsupported"
                else:
                    methods[name] = set(re.findall(r"self\.(\w+)\(", b))
    return methods


# The family trait behind each entry file (src/ffi/<module>.rs); other modules have none.
MODULE_FAMILY = {
    "host": "HypervisorDriver", "domain": "HypervisorDriver",
    "domain_snapshot": "HypervisorDriver", "domain_checkpoint": "HypervisorDriver",
    "network": "NetworkDriver", "storage": "StorageDriver", "interface": "InterfaceDriver",
    "nodedev": "NodeDeviceDriver", "secret": "SecretDriver", "nwfilter": "NWFilterDriver",
}
FAMILIES = {c: set() for c in COLUMNS}
# Families a driver serves only when a connection opts into them (the test driver's extras,
# docs/test-driver-extras.md): the matrix describes its default URIs, where they answer
# NO_SUPPORT as libvirt's do.
OPT_IN = {("TestDriver", "SecretDriver")}


def impls():
    """Methods each driver implements, over all of its family impls (and, in FAMILIES, the
    families it implements)."""
    out = {c: set() for c in COLUMNS}
    for path in rs_files("src", "drivers"):
        text = strip_comments(open(path).read())
        for m in re.finditer(r"impl (\w+Driver) for (\w+)\s*", text):
            col = DRIVERS.get(m.group(2))
            if col is None or (m.group(2), m.group(1)) in OPT_IN:
                continue
            body, _ = block(text, m.end())
            out[col].update(fns(body))
            FAMILIES[col].add(m.group(1))
    return out


def ffi():
    """Exports written by hand (those that always answer NO_SUPPORT after their own argument
    checks apart) and the call graph of the ffi layer: name -> called names."""
    exports, graph, refusing = set(), {}, set()
    paths = list(rs_files("src", "ffi"))
    for path in paths:
        raw = open(path).read()
        exports.update(re.findall(r'pub extern "C(?:-unwind)?" fn (\w+)\(', raw))
        for m in re.finditer(r'pub extern "C(?:-unwind)?" fn (\w+)\((.*?)\n\}\n', raw, re.S):
            if re.search(r"Err\(cx\.unsupported\(\)\)\s*\}?\)\s*$", m.group(2).strip()):
                refusing.add(m.group(1))
        exports.update(re.findall(r"pub static mut (\w+)", raw))
        text = strip_comments(raw)
        # generics may nest one level (`fn f<T: TryFrom<u64>>(`)
        for m in re.finditer(r"\bfn (\w+)\s*(?:<(?:[^<>]|<[^<>]*>)*>)?\(", text):
            try:
                body, _ = block(text, m.end())
            except ValueError:
                continue
            calls = set(re.findall(r"\b(\w+)\s*(?:::<[^>]*>)?\(", body))
            graph.setdefault(m.group(1), set()).update(calls)
    return exports - refusing, graph


def reached(name, graph, methods):
    """The driver methods an entry point reaches through the ffi helpers it calls."""
    seen, todo, out = set(), [name], set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for c in graph.get(n, ()):
            if c in methods:
                out.add(c)
            elif c in graph:
                todo.append(c)
    return out


def served(method, col, methods, have, stack=()):
    if method in have[col]:
        return True
    kind = methods[method]
    if kind == "required":
        return True
    if kind == "unsupported":
        return False
    if method in stack:
        return False
    return all(served(m, col, methods, have, stack + (method,)) for m in kind if m in methods)


# The opaque object kinds, checked through the handle registry (not plain structs such as
# virTypedParameterPtr or virNetworkDHCPLeasePtr, which any caller can hand in).
HANDLE_KINDS = {
    "virDomainPtr", "virNetworkPtr", "virNetworkPortPtr", "virInterfacePtr",
    "virStoragePoolPtr", "virStorageVolPtr", "virNodeDevicePtr", "virSecretPtr",
    "virNWFilterPtr", "virNWFilterBindingPtr", "virDomainSnapshotPtr",
    "virDomainCheckpointPtr", "virStreamPtr",
}


def objects_need_makers(rows):
    """A function whose first argument is an object of kind K is served by a driver only if the
    driver serves some function that makes K (returns a K, or lists them into a `K **`): without
    one no such object can exist on that driver's connections (network ports on the test
    driver, for instance, whose family is there but whose ports are not)."""
    sigs = {}
    for line in open(os.path.join(ROOT, "abi", "libvirt-9.0.0.tsv")):
        if line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        if f[0] == "func" and len(f) > 6:
            sigs[f[1]] = (f[4].strip(), f[6])
    yes = {n: v for n, _, _, v in rows}
    makers = {}
    for name, (ret, args) in sigs.items():
        if ret.endswith("Ptr"):
            makers.setdefault(ret, set()).add(name)
        for a in args.split(","):
            m = re.match(r"\s*(\w+Ptr)\s*\*\*", a)
            if m:
                makers.setdefault(m.group(1), set()).add(name)
    out = []
    for name, node, mod, v in rows:
        first = sigs.get(name, ("", ""))[1].split(",")[0].split()
        kind = first[0] if first else ""
        if kind in makers and kind in HANDLE_KINDS:
            v = [c if c == "no" or any(yes.get(m, ["no"] * len(COLUMNS))[i] == "yes"
                                       for m in makers[kind] if m != name) else "no"
                 for i, c in enumerate(v)]
        out.append((name, node, mod, v))
    return out


def main():
    methods, have = traits(), impls()
    exports, graph = ffi()
    rows = []
    for line in open(os.path.join(ROOT, "abi", "libvirt-9.0.0.tsv")):
        if line.startswith("#"):
            continue
        kind, name, node, mod = line.split("\t")[:4]
        if name not in exports:
            rows.append((name, node, mod, ["no"] * len(COLUMNS)))
            continue
        need = reached(name, graph, methods)
        fam = MODULE_FAMILY.get(mod)
        rows.append((name, node, mod, ["yes" if (fam is None or fam in FAMILIES[c])
                                       and all(served(m, c, methods, have) for m in need)
                                       else "no" for c in COLUMNS]))
    rows = objects_need_makers(rows)
    counts = {c: sum(1 for r in rows if r[3][i] == "yes") for i, c in enumerate(COLUMNS)}
    tsv = "symbol\t" + "\t".join(COLUMNS) + "\n" + "".join(
        f"{n}\t" + "\t".join(v) + "\n" for n, _, _, v in rows)
    md = "\n".join([
        "# Support matrix",
        "",
        "Generated by `tools/gen-matrix.py` from `abi/libvirt-9.0.0.tsv`, the family traits of",
        "`src/core/driver/`, the drivers' implementations and the entry points of `src/ffi/`; do not",
        "edit (`docs/support-matrix.tsv` is the same for tools). `yes`: the driver serves the",
        "function; `no`: it answers `VIR_ERR_NO_SUPPORT` naming the function, as libvirt does for a",
        "driver without that operation. Every symbol is exported at its libvirt 9.0.0 version node;",
        "`c-tests/run.sh matrix` calls each function on each driver to hold this table to the truth.",
        "",
        f"Functions and symbols: {len(rows)}. Served by the test driver: {counts['test']}; "
        f"by the remote driver: {counts['remote']}.",
        "",
        "| symbol | version node | module (src/ffi) | test | remote |",
        "|---|---|---|---|---|",
    ] + [f"| `{n}` | {node} | {mod} | {v[0]} | {v[1]} |" for n, node, mod, v in rows]) + "\n"
    files = {os.path.join(ROOT, "docs", "support-matrix.tsv"): tsv,
             os.path.join(ROOT, "docs", "support-matrix.md"): md}
    if "--check" in sys.argv:
        stale = [p for p, t in files.items()
                 if not os.path.exists(p) or open(p).read() != t]
        if stale:
            sys.exit("stale: " + ", ".join(os.path.relpath(p, ROOT) for p in stale)
                     + ": run python3 tools/gen-matrix.py")
        print(f"support matrix current (test {counts['test']}, remote {counts['remote']})")
        return
    for p, t in files.items():
        open(p, "w").write(t)
    print(f"wrote docs/support-matrix.tsv and .md: {counts}")


if __name__ == "__main__":
    main()
