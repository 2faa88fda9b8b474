#!/usr/bin/env python3
"""Check one column of docs/support-matrix.tsv against what the matrix probe measured.

    python3 c-tests/check-matrix.py test|remote PROBE-OUTPUT [REFERENCE] [MATRIX]
    python3 c-tests/check-matrix.py --suspects remote PROBE-OUTPUT [MATRIX]

PROBE-OUTPUT holds c-tests/build/matrix-probe's lines (`name<TAB>result<TAB>message`). For every
symbol of the matrix:
  yes  the call must not answer VIR_ERR_NO_SUPPORT: any other error, success, or a call that
       blocks until the alarm (some legitimately wait) is service; a connection without an object
       of the kind the call takes means nothing could have been served, so that is a lie too;
  no   the call must answer VIR_ERR_NO_SUPPORT, or the call could not be made because the
       connection has no object of that kind (the calls that make and list them are `no` too).
A crash, a missing line or an unknown name fails in either case.
REFERENCE (for the remote column) is the probe's output for Debian's own client through the same
daemon: a `yes` call whose NO_SUPPORT the real client hears too comes from the daemon, which
lacks the operation, not from oxvirt; those are listed apart and do not fail, as are `yes` calls
that had no object because the real client could make none through that daemon either.
--suspects prints the names the reference is needed for (`yes` claims that answered NO_SUPPORT
or had no object), one a line. Every mismatch is listed, both
directions, and the exit status is 1 if there is any.
"""
import os
import sys

VIR_ERR_NO_SUPPORT = 3
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(path):
    out = {}
    for ln in open(path).read().splitlines():
        f = ln.split("\t")
        if len(f) < 2:
            sys.exit(f"{path}: bad line {ln!r}")
        out[f[0]] = (f[1], f[2] if len(f) > 2 else "")
    return out


def suspects(column, probe, matrix):
    lines = open(matrix).read().splitlines()
    col = lines[0].split("\t").index(column)
    results = read(probe)
    for ln in lines[1:]:
        f = ln.split("\t")
        res = results.get(f[0], ("",))[0]
        if f[col] == "yes" and (res == str(VIR_ERR_NO_SUPPORT) or res.startswith("noobj:")):
            print(f[0])


def main():
    if sys.argv[1:2] == ["--suspects"]:
        matrix = sys.argv[4] if len(sys.argv) > 4 else os.path.join(ROOT, "docs",
                                                                     "support-matrix.tsv")
        return suspects(sys.argv[2], sys.argv[3], matrix)
    if len(sys.argv) < 3 or sys.argv[1] not in ("test", "remote"):
        sys.exit(__doc__)
    column, probe = sys.argv[1], sys.argv[2]
    reference = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "-" else None
    matrix = sys.argv[4] if len(sys.argv) > 4 else os.path.join(ROOT, "docs", "support-matrix.tsv")
    lines = open(matrix).read().splitlines()
    header = lines[0].split("\t")
    if header != ["symbol", "test", "remote"]:
        sys.exit(f"{matrix}: unexpected header {header}")
    col = header.index(column)
    claims = {}
    for ln in lines[1:]:
        f = ln.split("\t")
        if len(f) != 3 or f[col] not in ("yes", "no"):
            sys.exit(f"{matrix}: bad row {ln!r}")
        claims[f[0]] = f[col]
    results = read(probe)
    ref = read(reference) if reference else {}

    lies_yes, lies_no, broken, daemon_lacks = [], [], [], []
    counts = {"yes": 0, "no": 0}
    for name, claim in claims.items():
        counts[claim] += 1
        if name not in results:
            broken.append(f"{name}: no result from the probe")
            continue
        res, msg = results[name]
        if res.startswith("crash"):
            broken.append(f"{name}: {res}")
        elif claim == "yes":
            if res == str(VIR_ERR_NO_SUPPORT) and ref.get(name, ("",))[0] == res:
                daemon_lacks.append(f"{name}: ({ref[name][1]})")
            elif res == str(VIR_ERR_NO_SUPPORT):
                lies_yes.append(f"{name}: claimed yes, answered VIR_ERR_NO_SUPPORT ({msg})")
            elif res.startswith("noobj:") and ref.get(name, ("",))[0] == res:
                # The daemon's driver has no such objects for Debian's client either (the
                # test driver behind it has no secrets, say): nothing could be called.
                daemon_lacks.append(f"{name}: (no {res[6:]} through this daemon)")
            elif res.startswith("noobj:"):
                lies_yes.append(f"{name}: claimed yes, but the connection has no "
                                f"{res[6:]} to call it with")
        elif res != str(VIR_ERR_NO_SUPPORT) and not res.startswith("noobj:"):
            what = "blocked until the alarm" if res == "timeout" else \
                "succeeded" if res == "0" else f"answered error {res} ({msg})"
            lies_no.append(f"{name}: claimed no, but {what}")
    broken += [f"{n}: probed but not in the matrix" for n in results if n not in claims]

    print(f"support matrix, {column} column: {counts['yes']} yes, {counts['no']} no, "
          f"{len(results)} probed")
    for title, items in (("claimed yes, not served", lies_yes),
                         ("claimed no, served", lies_no),
                         ("probe failures", broken),
                         ("claimed yes, the daemon lacks it (Debian's client hears "
                          "NO_SUPPORT too; not counted)", daemon_lacks)):
        if items:
            print(f"  {title} ({len(items)}):")
            for i in items:
                print(f"    {i}")
    bad = len(lies_yes) + len(lies_no) + len(broken)
    print(f"  {bad} mismatches" if bad else "  every claim holds")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
