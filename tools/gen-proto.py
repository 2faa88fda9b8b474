#!/usr/bin/env python3
"""Derive oxvirt's RPC protocol fact table and generated Rust from libvirt 9.0.0's XDR files.

Inputs (facts only): the XDR definitions of libvirt 9.0.0's RPC programs, read from the
source tree named by $LIBVIRT_SRC (default /work/upstream/libvirt-9.0.0):
  src/rpc/virnetprotocol.x src/rpc/virkeepaliveprotocol.x src/remote/remote_protocol.x
  src/remote/qemu_protocol.x src/remote/lxc_protocol.x src/admin/admin_protocol.x
They are parsed here (our own parser for the subset of the XDR/rpcgen language libvirt uses);
no text of them is copied: only names, numbers, shapes and procedure annotations.

Modes:
  python3 tools/gen-proto.py          write abi/protocol-9.0.0.tsv from the .x files, then
                                      the Rust files from the fact table
  python3 tools/gen-proto.py --rust   write only the Rust files, from the committed fact table
  python3 tools/gen-proto.py --check  regenerate in memory and fail if a committed file
                                      differs: the Rust always (from the fact table), the fact
                                      table only when the libvirt source is present

Outputs:
  abi/protocol-9.0.0.tsv            the fact table (format in its header lines)
  src/generated/proto_types.rs      constants, enum values, and a Rust type with XDR
                                    encode/decode for every protocol type
  src/generated/proto_procs.rs      per program: a marker type per procedure (trait
                                    `Procedure`) and the procedure table
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.environ.get("LIBVIRT_SRC", "/work/upstream/libvirt-9.0.0")
TSV = os.path.join(ROOT, "abi", "protocol-9.0.0.tsv")
RS_TYPES = os.path.join(ROOT, "src", "generated", "proto_types.rs")
RS_PROCS = os.path.join(ROOT, "src", "generated", "proto_procs.rs")

# (file, program short name, constant holding the program number, procedure enum prefix,
#  type-name prefix). Files without procedures have no program.
FILES = [
    ("src/rpc/virnetprotocol.x", None, None, None, None),
    ("src/rpc/virkeepaliveprotocol.x", "keepalive", "KEEPALIVE_PROGRAM", "KEEPALIVE_PROC_", "keepalive_"),
    ("src/remote/remote_protocol.x", "remote", "REMOTE_PROGRAM", "REMOTE_PROC_", "remote_"),
    ("src/remote/qemu_protocol.x", "qemu", "QEMU_PROGRAM", "QEMU_PROC_", "qemu_"),
    ("src/remote/lxc_protocol.x", "lxc", "LXC_PROGRAM", "LXC_PROC_", "lxc_"),
    ("src/admin/admin_protocol.x", "admin", "ADMIN_PROGRAM", "ADMIN_PROC_", "admin_"),
]

# Values the .x files take from libvirt's public headers (libvirt.h, libvirt-common.h).
EXTERNAL = {
    "VIR_UUID_BUFLEN": 16,
    "VIR_SECURITY_MODEL_BUFLEN": 257,
    "VIR_SECURITY_LABEL_BUFLEN": 4097,
    "VIR_SECURITY_DOI_BUFLEN": 257,
    "VIR_TYPED_PARAM_INT": 1,
    "VIR_TYPED_PARAM_UINT": 2,
    "VIR_TYPED_PARAM_LLONG": 3,
    "VIR_TYPED_PARAM_ULLONG": 4,
    "VIR_TYPED_PARAM_DOUBLE": 5,
    "VIR_TYPED_PARAM_BOOLEAN": 6,
    "VIR_TYPED_PARAM_STRING": 7,
}

# Keepalive procedures are one-way messages in both directions (virkeepalive); every other
# program's messages are the procedures with a `<prefix><name>_msg` structure.
MESSAGE_PROGRAMS = {"keepalive"}

# Annotations of a procedure that matter to a client, in table order.
ANNOTATIONS = ("generate", "priority", "readstream", "writestream", "sparseflag")

BASE_TYPES = {
    "int", "unsigned int", "hyper", "unsigned hyper", "char", "unsigned char", "short",
    "unsigned short", "double", "float", "bool", "string", "opaque", "void",
}


class ParseError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# The XDR parser.

TOKEN = re.compile(
    r"\s+|(?P<comment>/\*.*?\*/)|(?P<pass>^%[^\n]*)|(?P<num>-?0[xX][0-9a-fA-F]+|-?[0-9]+)"
    r"|(?P<id>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[{}()\[\]<>;,=:*])",
    re.S | re.M,
)


def tokenize(text, path):
    toks = []
    pos = 0
    line = 1
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ParseError(f"{path}:{line}: unexpected {text[pos:pos + 20]!r}")
        kind = m.lastgroup
        if kind == "comment":
            toks.append(("comment", m.group(), line))
        elif kind in ("num", "id", "punct"):
            toks.append((kind, m.group(), line))
        line += m.group().count("\n")
        pos = m.end()
    return toks


class Parser:
    def __init__(self, toks, path):
        self.toks = toks
        self.i = 0
        self.path = path
        self.last_comment = None

    def peek(self):
        while self.i < len(self.toks) and self.toks[self.i][0] == "comment":
            self.last_comment = self.toks[self.i][1]
            self.i += 1
        return self.toks[self.i] if self.i < len(self.toks) else (None, None, 0)

    def next(self):
        t = self.peek()
        if t[0] is None:
            raise ParseError(f"{self.path}: unexpected end of file")
        self.i += 1
        return t

    def expect(self, value):
        t = self.next()
        if t[1] != value:
            raise ParseError(f"{self.path}:{t[2]}: expected {value!r}, got {t[1]!r}")
        return t

    def ident(self):
        t = self.next()
        if t[0] != "id":
            raise ParseError(f"{self.path}:{t[2]}: expected a name, got {t[1]!r}")
        return t[1]

    def value(self):
        t = self.next()
        if t[0] == "num":
            return int(t[1], 0)
        if t[0] == "id":
            return t[1]
        raise ParseError(f"{self.path}:{t[2]}: expected a value, got {t[1]!r}")

    def type_spec(self):
        t = self.ident()
        if t == "unsigned":
            nxt = self.peek()
            if nxt[1] in ("int", "hyper", "char", "short"):
                self.next()
                return "unsigned " + nxt[1]
            return "unsigned int"
        if t in ("struct", "enum", "union"):
            return self.ident()
        return t

    def declaration(self):
        """TYPE NAME, TYPE NAME[N], TYPE NAME<N>, TYPE NAME<>, TYPE *NAME, or void:
        (name, type, shape, bound)."""
        ty = self.type_spec()
        if ty == "void":
            return ("-", "void", "-", "-")
        shape, bound = "-", "-"
        if self.peek()[1] == "*":
            self.next()
            shape = "*"
        name = self.ident()
        if self.peek()[1] == "[":
            self.next()
            shape, bound = "[]", self.value()
            self.expect("]")
        elif self.peek()[1] == "<":
            self.next()
            shape = "<>"
            if self.peek()[1] != ">":
                bound = self.value()
            self.expect(">")
        return (name, ty, shape, bound)

    def parse(self):
        items = []
        while self.peek()[0] is not None:
            kw = self.ident()
            if kw == "const":
                name = self.ident()
                self.expect("=")
                items.append(("const", name, self.value()))
                self.expect(";")
            elif kw == "typedef":
                items.append(("typedef",) + self.declaration())
                self.expect(";")
            elif kw == "enum":
                name = self.ident()
                self.expect("{")
                vals = []
                self.last_comment = None
                while True:
                    self.peek()
                    comment = self.last_comment
                    vname = self.ident()
                    self.expect("=")
                    vals.append((vname, self.value(), comment))
                    if self.peek()[1] == ",":
                        self.next()
                        # What follows the comma annotates the next value.
                        self.last_comment = None
                        if self.peek()[1] == "}":
                            break
                        continue
                    break
                self.expect("}")
                self.expect(";")
                items.append(("enum", name, vals))
            elif kw == "struct":
                name = self.ident()
                self.expect("{")
                fields = []
                while self.peek()[1] != "}":
                    fields.append(self.declaration())
                    self.expect(";")
                self.expect("}")
                self.expect(";")
                items.append(("struct", name, fields))
            elif kw == "union":
                name = self.ident()
                self.expect("switch")
                self.expect("(")
                dtype = self.type_spec()
                dname = self.ident()
                self.expect(")")
                self.expect("{")
                arms = []
                while self.peek()[1] != "}":
                    labels = []
                    while self.peek()[1] in ("case", "default"):
                        if self.next()[1] == "case":
                            labels.append(self.value())
                        else:
                            labels.append("default")
                        self.expect(":")
                    if not labels:
                        raise ParseError(f"{self.path}:{self.peek()[2]}: expected case")
                    decl = self.declaration()
                    self.expect(";")
                    for lab in labels:
                        arms.append((lab,) + decl)
                self.expect("}")
                self.expect(";")
                items.append(("union", name, dtype, dname, arms))
            else:
                raise ParseError(f"{self.path}: unknown definition {kw!r}")
        return items


ANNOT = re.compile(r"@(\w+)\s*:\s*([^\s*]+)")


def annotations(comment):
    found = {}
    for k, v in ANNOT.findall(comment or ""):
        if k in ANNOTATIONS:
            found[k] = v
    return found


def build_facts(src):
    rows = []
    consts = dict(EXTERNAL)
    structs = set()
    used_msgs = set()
    per_file = []
    for rel, prog, progconst, procprefix, typeprefix in FILES:
        path = os.path.join(src, rel)
        with open(path) as f:
            items = Parser(tokenize(f.read(), rel), rel).parse()
        per_file.append((rel, prog, progconst, procprefix, typeprefix, items))
        for it in items:
            if it[0] == "const":
                consts[it[1]] = it[2]
            elif it[0] == "struct":
                structs.add(it[1])
            elif it[0] == "enum":
                for vname, v, _ in it[2]:
                    consts[vname] = v

    def num(v):
        seen = set()
        while isinstance(v, str):
            if v in seen or v not in consts:
                raise ParseError(f"undefined constant {v}")
            seen.add(v)
            v = consts[v]
        return v

    for name in sorted(EXTERNAL):
        rows.append(("const", name, str(EXTERNAL[name]), "-"))
    procs = []
    for rel, prog, progconst, procprefix, typeprefix, items in per_file:
        for it in items:
            kind = it[0]
            if kind == "const":
                rows.append(("const", it[1], str(num(it[2])), rel))
            elif kind == "typedef":
                name, ty, shape, bound = it[1:]
                rows.append(("typedef", name, ty, shape, str(bound)))
            elif kind == "struct":
                rows.append(("struct", it[1], rel))
                for name, ty, shape, bound in it[2]:
                    rows.append(("field", it[1], name, ty, shape, str(bound)))
            elif kind == "union":
                _, name, dtype, dname, arms = it
                rows.append(("union", name, dtype, dname, rel))
                for lab, aname, ty, shape, bound in arms:
                    rows.append(("arm", name, str(lab), aname, ty, shape, str(bound)))
            elif kind == "enum":
                name, vals = it[1], it[2]
                if prog and name.endswith("_procedure"):
                    for vname, v, comment in vals:
                        procs.append((prog, progconst, procprefix, typeprefix, vname, num(v),
                                      annotations(comment)))
                    continue
                rows.append(("enum", name, rel))
                for vname, v, _ in vals:
                    rows.append(("enumval", name, vname, str(num(v))))
        if prog:
            rows.append(("program", prog, hex(num(progconst)),
                         str(num(progconst.replace("_PROGRAM", "_PROTOCOL_VERSION"))), rel))
    for prog, progconst, procprefix, typeprefix, vname, number, ann in procs:
        if not vname.startswith(procprefix):
            raise ParseError(f"procedure {vname} lacks prefix {procprefix}")
        base = typeprefix + vname[len(procprefix):].lower()
        if prog in MESSAGE_PROGRAMS:
            kind, args, ret = "msg", "void", "void"
        elif base + "_msg" in structs:
            kind, args, ret = "msg", base + "_msg", "void"
        else:
            kind = "call"
            args = base + "_args" if base + "_args" in structs else "void"
            ret = base + "_ret" if base + "_ret" in structs else "void"
        if "readstream" in ann and "writestream" in ann:
            raise ParseError(f"{vname}: both stream directions")
        stream = "-"
        if "readstream" in ann:
            stream = "read:" + ann["readstream"]
        elif "writestream" in ann:
            stream = "write:" + ann["writestream"]
        used_msgs.update((args, ret))
        rows.append(("proc", prog, str(number), vname, kind, args, ret,
                     ann.get("generate", "-"), ann.get("priority", "low"), stream,
                     ann.get("sparseflag", "-")))
    # Every argument, reply and message structure must belong to a procedure: a name that
    # does not follow the convention would otherwise be lost silently.
    stray = sorted(s for s in structs if re.search(r"_(args|ret|msg)$", s) and s not in used_msgs)
    if stray:
        raise ParseError("structures of no procedure: " + ", ".join(stray))
    return rows


HEADER = """\
# oxvirt RPC protocol fact table, derived from libvirt 9.0.0's XDR files by tools/gen-proto.py.
# One fact per line, tab-separated, first column the kind:
#   program NAME NUMBER VERSION FILE
#   const   NAME VALUE FILE                    (FILE "-": a value of libvirt's public headers)
#   enum    NAME FILE
#   enumval ENUM NAME VALUE
#   typedef NAME TYPE SHAPE BOUND
#   struct  NAME FILE
#   field   STRUCT NAME TYPE SHAPE BOUND       (in wire order)
#   union   NAME DISCRIMINANT-TYPE DISCRIMINANT-NAME FILE
#   arm     UNION LABEL NAME TYPE SHAPE BOUND  (LABEL "default" for the default arm;
#                                               a void arm has NAME "-" and TYPE "void")
#   proc    PROGRAM NUMBER NAME KIND ARGS RET GENERATE PRIORITY STREAM SPARSEFLAG
# TYPE: int, unsigned int, hyper, unsigned hyper, char, unsigned char, short, unsigned short,
#   double, float, bool, string, opaque, or a name defined here.
# SHAPE: "-" one value; "[]" fixed array (opaque: BOUND bytes); "<>" variable array, string or
#   opaque of at most BOUND (BOUND "-": no limit); "*" optional data (a presence word).
# BOUND: a number or a const of this table.
# proc: KIND "call" (a CALL answered by a REPLY) or "msg" (a one-way MESSAGE, e.g. an event
#   from the daemon); ARGS, RET a struct or "void"; GENERATE the @generate annotation or "-";
#   PRIORITY low|high; STREAM "read:N" / "write:N" (the call opens a stream; read: data flows
#   from the daemon to the client; N the stream's position among the API's parameters) or "-";
#   SPARSEFLAG the flag that makes the stream sparse, or "-".
"""


def render_tsv(rows):
    return HEADER + "".join("\t".join(r) + "\n" for r in rows)


def read_tsv(text):
    return [line.rstrip("\n").split("\t") for line in text.splitlines()
            if line and not line.startswith("#")]


# ---------------------------------------------------------------------------------------------
# Rust generation from the fact table.

RUST_KEYWORDS = {
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
}

# Protocol types given a hand-written Rust form (src/rpc/wire.rs) instead of a generated one:
# the domain reference decodes straight into the driver's handle data, names shared by `Arc`.
OVERRIDES = {
    "remote_nonnull_domain": "crate::core::driver::DomainRef",
}

PRIM = {
    # type: (rust type, encode, decode, wire bytes)
    "int": ("i32", "e.i32({v})", "d.i32()?", 4),
    "unsigned int": ("u32", "e.u32({v})", "d.u32()?", 4),
    "hyper": ("i64", "e.i64({v})", "d.i64()?", 8),
    "unsigned hyper": ("u64", "e.u64({v})", "d.u64()?", 8),
    "char": ("i8", "e.i32({v} as i32)", "d.i32()? as i8", 4),
    "unsigned char": ("u8", "e.u32({v} as u32)", "d.u32()? as u8", 4),
    "short": ("i16", "e.i32({v} as i32)", "d.i32()? as i16", 4),
    "unsigned short": ("u16", "e.u32({v} as u32)", "d.u32()? as u16", 4),
    "double": ("f64", "e.f64({v})", "d.f64()?", 8),
    "float": ("f32", "e.f32({v})", "d.f32()?", 4),
    "bool": ("bool", "e.bool({v})", "d.bool()?", 4),
}


def camel(name):
    parts = re.split(r"_+", name)
    out = ""
    for p in parts:
        if not p:
            continue
        out += p[0].upper() + p[1:]
    return out


def snake(name):
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()
    return "r#" + s if s in RUST_KEYWORDS else s


def pad4(n):
    return (n + 3) // 4 * 4


class Model:
    def __init__(self, rows):
        self.consts = {}
        self.const_order = []
        self.enums = {}
        self.enum_order = []
        self.typedefs = {}
        self.structs = {}
        self.unions = {}
        self.order = []  # (kind, name) of structs and unions, in file order
        self.programs = []
        self.procs = []
        for r in rows:
            k = r[0]
            if k == "const":
                self.consts[r[1]] = int(r[2], 0)
                self.const_order.append(r[1])
            elif k == "enum":
                self.enums[r[1]] = []
                self.enum_order.append(r[1])
            elif k == "enumval":
                self.enums[r[1]].append((r[2], int(r[3], 0)))
            elif k == "typedef":
                self.typedefs[r[1]] = (r[2], r[3], r[4])
            elif k == "struct":
                self.structs[r[1]] = []
                self.order.append(("struct", r[1]))
            elif k == "field":
                self.structs[r[1]].append((r[2], r[3], r[4], r[5]))
            elif k == "union":
                self.unions[r[1]] = (r[2], r[3], [])
                self.order.append(("union", r[1]))
            elif k == "arm":
                self.unions[r[1]][2].append((r[2], r[3], r[4], r[5], r[6]))
            elif k == "program":
                self.programs.append((r[1], int(r[2], 0), int(r[3])))
            elif k == "proc":
                self.procs.append(r[1:])
            else:
                raise ParseError(f"unknown fact kind {k!r}")
        for v in self.enums.values():
            for name, val in v:
                self.consts.setdefault(name, val)
        self.minw = {}

    def bound(self, b):
        if b == "-":
            return None
        if re.fullmatch(r"-?[0-9]+|0[xX][0-9a-fA-F]+", b):
            return int(b, 0)
        if b not in self.consts:
            raise ParseError(f"undefined bound {b}")
        return self.consts[b]

    def bound_expr(self, b):
        if b == "-":
            return "u32::MAX as usize"
        if re.fullmatch(r"-?[0-9]+|0[xX][0-9a-fA-F]+", b):
            return str(int(b, 0))
        return f"{b} as usize"

    def node(self, ty, shape, bound):
        """A type tree: ('prim', t) ('str', b) ('opaque', b) ('opaque_fixed', b) ('vec', n, b)
        ('arr', n, b) ('opt', n) ('named', name)."""
        if ty == "string":
            if shape != "<>":
                raise ParseError("string without <>")
            return ("str", bound)
        if ty == "opaque":
            if shape == "<>":
                return ("opaque", bound)
            if shape == "[]":
                return ("opaque_fixed", bound)
            raise ParseError("opaque without [] or <>")
        if ty in PRIM:
            base = ("prim", ty)
        elif ty in self.typedefs:
            base = self.node(*self.typedefs[ty])
        elif ty in self.enums:
            base = ("prim", "int")
        elif ty in self.structs or ty in self.unions:
            base = ("named", ty)
        else:
            raise ParseError(f"undefined type {ty}")
        if shape == "-":
            return base
        if shape == "*":
            return ("opt", base)
        if shape == "<>":
            return ("vec", base, bound)
        if shape == "[]":
            return ("arr", base, bound)
        raise ParseError(f"bad shape {shape}")

    def rust_name(self, name):
        return OVERRIDES.get(name, camel(name)).rsplit("::", 1)[-1]

    def rtype(self, n):
        k = n[0]
        if k == "prim":
            return PRIM[n[1]][0]
        if k == "str":
            return "String"
        if k == "opaque":
            return "Vec<u8>"
        if k == "opaque_fixed":
            return f"[u8; {self.bound(n[1])}]"
        if k == "vec":
            return f"Vec<{self.rtype(n[1])}>"
        if k == "arr":
            return f"[{self.rtype(n[1])}; {self.bound(n[2])}]"
        if k == "opt":
            return f"Option<{self.rtype(n[1])}>"
        return self.rust_name(n[1])

    def min_wire(self, n):
        k = n[0]
        if k == "prim":
            return PRIM[n[1]][3]
        if k in ("str", "opaque", "vec", "opt"):
            return 4
        if k == "opaque_fixed":
            return pad4(self.bound(n[1]))
        if k == "arr":
            return self.bound(n[2]) * self.min_wire(n[1])
        return self.named_min(n[1])

    def named_min(self, name):
        if name in self.minw:
            return self.minw[name]
        self.minw[name] = 0  # no recursive types in libvirt's protocol; guard anyway
        if name in self.structs:
            w = sum(self.min_wire(self.node(t, s, b)) for _, t, s, b in self.structs[name])
        else:
            arms = self.unions[name][2]
            w = 4 + min(0 if t == "void" else self.min_wire(self.node(t, s, b))
                        for _, _, t, s, b in arms)
        self.minw[name] = w
        return w

    def enc(self, n, v, depth=0):
        """Statements encoding the value behind the reference expression `v`."""
        k = n[0]
        x = f"x{depth}"
        # `v` is a reference: `&self.field` (its value is `self.field`) or a bound name.
        owner = v[1:] if v.startswith("&") else None
        if k == "prim":
            return PRIM[n[1]][1].format(v=owner if owner else "*" + v) + ";"
        if k == "str":
            return f"e.string({v});"
        if k == "opaque":
            return f"e.opaque({v});"
        if k == "opaque_fixed":
            return f"e.opaque_fixed({v});"
        if k == "vec":
            it = owner or v
            return (f"e.u32({it}.len() as u32); for {x} in {it}.iter() {{ "
                    f"{self.enc(n[1], x, depth + 1)} }}")
        if k == "arr":
            return f"for {x} in {owner or v}.iter() {{ {self.enc(n[1], x, depth + 1)} }}"
        if k == "opt":
            return (f"match {v} {{ Some({x}) => {{ e.u32(1); {self.enc(n[1], x, depth + 1)} }} "
                    f"None => {{ e.u32(0); }} }}")
        return f"Xdr::enc({v}, e);"

    def dec(self, n):
        """An expression decoding one value from `d` (using `?`)."""
        k = n[0]
        if k == "prim":
            return PRIM[n[1]][2]
        if k == "str":
            return f"d.string({self.bound_expr(n[1])})?"
        if k == "opaque":
            return f"d.opaque({self.bound_expr(n[1])})?.to_vec()"
        if k == "opaque_fixed":
            return f"d.opaque_array::<{self.bound(n[1])}>()?"
        if k == "vec":
            return (f"d.vec({self.bound_expr(n[2])}, {self.min_wire(n[1])}, "
                    f"|d| Ok({self.dec(n[1])}))?")
        if k == "arr":
            return f"d.array::<_, {self.bound(n[2])}>(|d| Ok({self.dec(n[1])}))?"
        if k == "opt":
            return f"if d.present()? {{ Some({self.dec(n[1])}) }} else {{ None }}"
        return f"<{self.rust_name(n[1])} as Xdr>::dec(d)?"

    def derives(self, name, seen=None):
        """Whether a type can derive Eq (no floating point inside)."""
        seen = seen or set()
        if name in seen:
            return True
        seen.add(name)

        def ok(n):
            if n[0] == "prim":
                return n[1] not in ("double", "float")
            if n[0] in ("vec", "arr", "opt"):
                return ok(n[1])
            if n[0] == "named":
                return self.derives(n[1], seen)
            return True

        if name in self.structs:
            return all(ok(self.node(t, s, b)) for _, t, s, b in self.structs[name])
        if name in self.unions:
            return all(t == "void" or ok(self.node(t, s, b))
                       for _, _, t, s, b in self.unions[name][2])
        return True


RS_HEADER = "// @generated by tools/gen-proto.py from abi/protocol-9.0.0.tsv. Do not edit.\n"


def union_variants(m, name):
    dtype, dname, arms = m.unions[name]
    labels = [a[0] for a in arms if a[0] != "default"]
    prefix = os.path.commonprefix(labels) if len(labels) > 1 else ""
    prefix = prefix[: prefix.rfind("_") + 1] if prefix else ""
    out = []
    for lab, aname, ty, shape, bound in arms:
        if lab == "default":
            vname = "Default"
        elif re.fullmatch(r"-?[0-9]+", lab):
            vname = "V" + lab.replace("-", "M")
        else:
            vname = camel(lab[len(prefix):].lower())
        node = None if ty == "void" else m.node(ty, shape, bound)
        out.append((lab, vname, node))
    return dtype, out


def gen_types(m):
    o = [RS_HEADER]
    o.append("//! Every type of libvirt 9.0.0's RPC programs with its XDR form: constants, enum\n"
             "//! values (enums travel as `i32`), structs and unions. Variable arrays and strings\n"
             "//! check their protocol maximum on decode before anything is allocated.\n\n")
    o.append("#![allow(non_upper_case_globals, non_camel_case_types, dead_code, clippy::all)]\n\n")
    o.append("use crate::rpc::xdr::{Dec, Enc, XResult, Xdr, XdrError};\n")
    for name, path in sorted(OVERRIDES.items()):
        o.append(f"pub use {path};\n")
    o.append("\n// Constants.\n")
    for c in m.const_order:
        v = m.consts[c]
        ty = "u32" if v >= 0 else "i32"
        if v > 0xFFFFFFFF:
            ty = "u64"
        lit = hex(v) if v > 0xFFFF and ty == "u32" and c.endswith("_PROGRAM") else str(v)
        o.append(f"pub(crate) const {c}: {ty} = {lit};\n")
    o.append("\n// Enum values.\n")
    for en in m.enum_order:
        o.append(f"pub type {camel(en)} = i32;\n")
        for vname, v in m.enums[en]:
            o.append(f"pub(crate) const {vname}: i32 = {v};\n")
    o.append("\n// Typedefs.\n")
    for td, (ty, shape, bound) in m.typedefs.items():
        o.append(f"pub type {camel(td)} = {m.rtype(m.node(ty, shape, bound))};\n")
    for kind, name in m.order:
        if name in OVERRIDES:
            rn = m.rust_name(name)
            o.append(f"\n// `{name}`: hand-written form in src/rpc/wire.rs.\n")
            o.append(f"pub type {camel(name)} = {rn};\n")
            o.append(f"const _: () = assert!(<{rn} as Xdr>::MIN_WIRE == {m.named_min(name)});\n")
            continue
        rn = camel(name)
        eq = ", Eq" if m.derives(name) else ""
        if kind == "struct":
            fields = m.structs[name]
            o.append(f"\n/// `{name}`.\n#[derive(Clone, Debug, Default, PartialEq{eq})]\n")
            o.append(f"pub struct {rn} {{\n")
            for fname, ty, shape, bound in fields:
                o.append(f"    pub {snake(fname)}: {m.rtype(m.node(ty, shape, bound))},\n")
            o.append("}\n")
            o.append(f"impl Xdr for {rn} {{\n")
            o.append(f"    const MIN_WIRE: usize = {m.named_min(name)};\n")
            ev = "e" if fields else "_e"
            o.append(f"    fn enc(&self, {ev}: &mut Enc) {{\n")
            for fname, ty, shape, bound in fields:
                o.append(f"        {m.enc(m.node(ty, shape, bound), '&self.' + snake(fname))}\n")
            o.append("    }\n")
            dv = "d" if fields else "_d"
            o.append(f"    fn dec({dv}: &mut Dec<'_>) -> XResult<Self> {{\n        Ok({rn} {{\n")
            for fname, ty, shape, bound in fields:
                o.append(f"            {snake(fname)}: {m.dec(m.node(ty, shape, bound))},\n")
            o.append("        })\n    }\n}\n")
        else:
            dtype, variants = union_variants(m, name)
            dnode = m.node(dtype, "-", "-")
            drt = m.rtype(dnode)
            o.append(f"\n/// `{name}` (discriminant `{m.unions[name][1]}`).\n")
            o.append(f"#[derive(Clone, Debug, PartialEq{eq})]\npub enum {rn} {{\n")
            for lab, vname, node in variants:
                fields = []
                if lab == "default":
                    fields.append(drt)
                if node:
                    fields.append(m.rtype(node))
                o.append(f"    {vname}" + (f"({', '.join(fields)})" if fields else "") + ",\n")
            o.append("}\n")
            lab, vname, node = variants[0]
            if lab == "default":
                init = f"{rn}::Default(0" + (f", Default::default())" if node else ")")
            else:
                init = f"{rn}::{vname}" + ("(Default::default())" if node else "")
            o.append(f"impl Default for {rn} {{\n    fn default() -> Self {{\n        {init}\n"
                     "    }\n}\n")
            o.append(f"impl Xdr for {rn} {{\n    const MIN_WIRE: usize = {m.named_min(name)};\n")
            o.append("    fn enc(&self, e: &mut Enc) {\n        match self {\n")
            for lab, vname, node in variants:
                if lab == "default":
                    pat = f"{rn}::Default(k" + (", v)" if node else ")")
                    body = m.enc(dnode, "k") + (" " + m.enc(node, "v") if node else "")
                else:
                    pat = f"{rn}::{vname}" + ("(v)" if node else "")
                    lit = lab if re.fullmatch(r"-?[0-9]+", lab) else f"{lab} as {drt}"
                    body = PRIM[dnode[1]][1].format(v=lit) + ";" + (
                        " " + m.enc(node, "v") if node else "")
                o.append(f"            {pat} => {{ {body} }}\n")
            o.append("        }\n    }\n")
            o.append(f"    fn dec(d: &mut Dec<'_>) -> XResult<Self> {{\n"
                     f"        let k: {drt} = {m.dec(dnode)};\n")
            o.append("        Ok(match k {\n")
            default = None
            for lab, vname, node in variants:
                if lab == "default":
                    default = (vname, node)
                    continue
                val = m.bound(lab)
                o.append(f"            {val} => {rn}::{vname}" +
                         (f"({m.dec(node)})" if node else "") + ",\n")
            if default:
                vname, node = default
                o.append(f"            k => {rn}::Default(k" +
                         (f", {m.dec(node)})" if node else ")") + ",\n")
            else:
                o.append(f"            _ => return Err(XdrError::Invalid(\"{name} discriminant\")),\n")
            o.append("        })\n    }\n}\n")
    return "".join(o)


def gen_procs(m):
    o = [RS_HEADER]
    o.append("//! The procedures of libvirt 9.0.0's RPC programs: per program a marker type per\n"
             "//! procedure (`Procedure`: number, argument and reply types, annotations) and the\n"
             "//! table of all of them, in number order. Event (MESSAGE) procedures carry their\n"
             "//! message as `Args` and `()` as `Ret`.\n\n")
    o.append("#![allow(dead_code, clippy::all)]\n\n")
    o.append("use crate::rpc::program::{Kind, Priority, ProcInfo, Procedure, Stream};\n\n")
    o.append("macro_rules! procedure {\n"
             "    ($name:ident, $prog:expr, $num:expr, $text:expr, $kind:ident, $args:ty, $ret:ty,"
             " $prio:ident, $stream:expr) => {\n"
             "        pub struct $name;\n"
             "        impl Procedure for $name {\n"
             "            const PROG: u32 = $prog;\n"
             "            const NUM: i32 = $num;\n"
             "            const NAME: &'static str = $text;\n"
             "            const KIND: Kind = Kind::$kind;\n"
             "            const PRIORITY: Priority = Priority::$prio;\n"
             "            const STREAM: Stream = $stream;\n"
             "            type Args = $args;\n"
             "            type Ret = $ret;\n"
             "        }\n"
             "    };\n}\n"
             "macro_rules! info {\n"
             "    ($num:expr, $text:expr, $kind:ident, $args:expr, $ret:expr, $prio:ident,"
             " $stream:expr, $sparse:expr) => {\n"
             "        ProcInfo { num: $num, name: $text, kind: Kind::$kind, args: $args, ret: $ret,"
             " priority: Priority::$prio, stream: $stream, sparse_flag: $sparse }\n"
             "    };\n}\n")
    for prog, number, version in m.programs:
        procs = [p for p in m.procs if p[0] == prog]
        o.append(f"\n/// Program `{prog}` ({number:#010x}, version {version}).\n")
        o.append(f"pub mod {prog} {{\n    use super::*;\n")
        if any(p[4] != "void" or p[5] != "void" for p in procs):
            o.append("    use crate::generated::proto_types::*;\n")
        o.append("\n")
        o.append(f"    pub(crate) const PROGRAM: u32 = {number:#010x};\n")
        o.append(f"    pub(crate) const VERSION: u32 = {version};\n\n")
        prefix = prog.upper() + "_PROC_"
        for _, num, name, kind, args, ret, gen, prio, stream, sparse in procs:
            marker = camel(name[len(prefix):].lower())
            at = "()" if args == "void" else m.rust_name(args)
            rt = "()" if ret == "void" else m.rust_name(ret)
            st = stream_expr(stream)
            o.append(f"    procedure! {{ {marker}, PROGRAM, {num}, \"{name}\", "
                     f"{'Call' if kind == 'call' else 'Message'}, {at}, {rt}, "
                     f"{prio.capitalize()}, {st} }}\n")
        o.append("\n    /// Every procedure of the program, in number order.\n")
        o.append("    pub const PROCEDURES: &[ProcInfo] = &[\n")
        for _, num, name, kind, args, ret, gen, prio, stream, sparse in sorted(
                procs, key=lambda p: int(p[1])):
            sp = "None" if sparse == "-" else f"Some(\"{sparse}\")"
            o.append(f"        info! {{ {num}, \"{name}\", "
                     f"{'Call' if kind == 'call' else 'Message'}, "
                     f"\"{args}\", \"{ret}\", "
                     f"{prio.capitalize()}, {stream_expr(stream)}, {sp} }},\n")
        o.append("    ];\n")
        # What the peer sends for each procedure (the reply of a call, the body of a
        # message) through its decoder, for the fuzzer and the round-trip tests.
        o.append("\n    /// Decode `payload` as what the peer sends for procedure `num` (the reply of a\n"
                 "    /// call, the body of a message) and, when it decodes, check that encoding the\n"
                 "    /// value and decoding that again gives the same bytes. `None` for a number the\n"
                 "    /// program lacks, else whether the payload decoded.\n")
        o.append("    pub fn decode_incoming(num: i32, payload: &[u8]) -> Option<bool> {\n")
        o.append("        Some(match num {\n")
        for _, num, name, kind, args, ret, gen, prio, stream, sparse in sorted(
                procs, key=lambda p: int(p[1])):
            marker = camel(name[len(prefix):].lower())
            part = "Ret" if kind == "call" else "Args"
            o.append(f"            {num} => crate::rpc::program::round_trip::"
                     f"<<{marker} as Procedure>::{part}>(payload),\n")
        o.append("            _ => return None,\n        })\n    }\n")
        o.append("}\n")
    return "".join(o)


def stream_expr(s):
    if s == "-":
        return "Stream::None"
    d, n = s.split(":")
    return f"Stream::{'Read' if d == 'read' else 'Write'}({n})"


def rustfmt(text):
    import subprocess
    r = subprocess.run(["rustfmt", "--edition", "2024", "--emit", "stdout", "--quiet"],
                       input=text, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit("rustfmt failed on generated code")
    return r.stdout


def main():
    check = "--check" in sys.argv
    rust_only = "--rust" in sys.argv
    ok = True
    have_src = os.path.exists(os.path.join(SRC, FILES[2][0]))
    if not rust_only:
        if have_src:
            tsv = render_tsv(build_facts(SRC))
            if check:
                with open(TSV) as f:
                    if f.read() != tsv:
                        print(f"{os.path.relpath(TSV, ROOT)} differs from the libvirt source")
                        ok = False
            else:
                with open(TSV, "w") as f:
                    f.write(tsv)
        elif check:
            print(f"{os.path.relpath(TSV, ROOT)}: skipped: no libvirt source ({SRC})")
        else:
            raise SystemExit(f"no libvirt source at {SRC} (set LIBVIRT_SRC), or use --rust")
    with open(TSV) as f:
        m = Model(read_tsv(f.read()))
    for path, text in ((RS_TYPES, gen_types(m)), (RS_PROCS, gen_procs(m))):
        text = rustfmt(text)
        if check:
            try:
                with open(path) as f:
                    cur = f.read()
            except FileNotFoundError:
                cur = None
            if cur != text:
                print(f"{os.path.relpath(path, ROOT)} is stale: run python3 tools/gen-proto.py --rust")
                ok = False
        else:
            with open(path, "w") as f:
                f.write(text)
    if check and ok:
        print("protocol files current")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
