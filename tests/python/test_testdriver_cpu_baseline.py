"""virConnectBaselineCPU on test:///default: the same host CPU lists baselined by real libvirt
9.0.0 and by oxvirt, the answer (guest CPU XML) or the error (code, domain, message) compared
exactly: single CPUs and mixes of models, the EXPAND_FEATURES flag, rejected flags, parse
errors of the host CPU XML, vendor conflicts, non-x86 architectures, and every x86 model of
the CPU map alone and paired with another."""
from harness import both


def host(model, arch="x86_64", vendor=None, features=(), extra=""):
    v = f"<vendor>{vendor}</vendor>" if vendor else ""
    f = "".join(f"<feature name='{n}'/>" for n in features)
    m = f"<model>{model}</model>" if model is not None else ""
    return f"<cpu><arch>{arch}</arch>{m}{v}{extra}{f}</cpu>"


HASWELL = host("Haswell", vendor="Intel", features=["vme", "ds", "acpi", "ss", "ht", "tm",
                                                     "pbe", "dtes64", "monitor", "ds_cpl",
                                                     "vmx", "smx", "est", "tm2", "xtpr",
                                                     "pdcm", "osxsave", "abm", "invtsc"],
               extra="<microcode version='40'/><signature family='6' model='60' stepping='3'/>"
                     "<counter name='tsc' frequency='3400000000' scaling='no'/>"
                     "<topology sockets='1' dies='1' cores='4' threads='2'/>")
WESTMERE = host("Westmere", vendor="Intel", features=["vmx", "pdpe1gb", "ht"])
SKYLAKE = host("Skylake-Client", vendor="Intel", features=["ds", "acpi", "vmx", "pdpe1gb"],
               extra="<topology sockets='1' cores='2' threads='2'/>")
OPTERON = host("Opteron_G3", vendor="AMD", features=["svm", "osvw", "wdt", "skinit"])
EPYC = host("EPYC", vendor="AMD", features=["svm", "x2apic", "tsc-deadline", "osvw"])

CASES = {
    "haswell": [HASWELL],
    "haswell_novendor": [host("Haswell", features=["vmx"])],
    "westmere": [WESTMERE],
    "wh": [WESTMERE, HASWELL],
    "hw": [HASWELL, WESTMERE],
    "whs": [WESTMERE, HASWELL, SKYLAKE],
    "shw": [SKYLAKE, HASWELL, WESTMERE],
    "amd": [OPTERON, EPYC],
    "amd_rev": [EPYC, OPTERON],
    "same_twice": [HASWELL, HASWELL],
    "second_novendor": [HASWELL, host("Haswell-noTSX")],
    "first_novendor": [host("Haswell-noTSX"), HASWELL],
    "none_vendor": [host("Haswell"), host("SandyBridge")],
    "only_one_has": [host("Westmere", "x86_64", "Intel", ["avx"]),
                     host("SandyBridge", "x86_64", "Intel", ["pcid"])],
    "i686": [host("pentium3", arch="i686")],
    "qemu64": [host("qemu64")],
    "generic_pair": [host("qemu64"), host("kvm64")],
    "msr": [host("Icelake-Server", vendor="Intel", features=["arch-capabilities", "rdctl-no",
                                                             "ibrs-all", "skip-l1dfl-vmentry",
                                                             "mds-no", "pschange-mc-no"])],
    "msr_pair": [host("Cascadelake-Server", features=["rdctl-no", "mds-no"]),
                 host("Icelake-Server", features=["rdctl-no"])],
    "removed": [host("EPYC", vendor="AMD"), host("Dhyana")],
    "hygon": [host("Dhyana", vendor="Hygon")],
    "486": [host("486")],
    # errors
    "intel_amd": [HASWELL, OPTERON],
    "amd_intel": [OPTERON, HASWELL],
    "vendor_model_mismatch": [HASWELL, host("EPYC", vendor="Intel")],
    "first_vendor_model_mismatch": [host("EPYC", vendor="Intel"), HASWELL],
    "unknown_model": [host("NoSuchCPU")],
    "unknown_second_model": [HASWELL, host("NoSuchCPU")],
    "unknown_vendor": [host("Haswell", vendor="Foo")],
    "unknown_second_vendor": [HASWELL, host("Haswell", vendor="Foo")],
    "unknown_feature": [host("Haswell", features=["nosuchfeature"])],
    "kvm_feature": [host("Haswell", features=["kvm_pv_eoi"])],
    "dup_feature": [host("Haswell", features=["vmx", "vmx"])],
    "empty_feature_name": ["<cpu><arch>x86_64</arch><model>Haswell</model>"
                           "<feature name=''/></cpu>"],
    "incompatible": [host("486"), host("qemu64", features=[])],
    "malformed": ["<cpu><arch>x86_64</arch><model>Haswell"],
    "not_xml": ["hello"],
    "empty_string": [""],
    "not_cpu": ["<domain><arch>x86_64</arch><model>Haswell</model></domain>"],
    "missing_arch": ["<cpu><model>Haswell</model></cpu>"],
    "bad_arch": [host("Haswell", arch="bogus")],
    "empty_arch": [host("Haswell", arch="")],
    "ppc64": [host("POWER8", arch="ppc64")],
    "ppc64le_vendor": [host("POWER9", arch="ppc64le", vendor="IBM")],
    "ppc64_mix": [host("POWER8", arch="ppc64"), host("POWER9", arch="ppc64")],
    "ppc64_unknown": [host("POWER99", arch="ppc64")],
    "ppc64_bad_vendor": [host("POWER8", arch="ppc64", vendor="Intel")],
    "ppc64_other_vendor": [host("POWER8", arch="ppc64", vendor="Freescale")],
    "ppc64_two_vendors": [host("POWER8", arch="ppc64", vendor="IBM"),
                          host("POWER8", arch="ppc64")],
    "aarch64": [host("cortex-a57", arch="aarch64", vendor="ARM", features=["pmull"])],
    "aarch64_any": [host("whatever", arch="aarch64"), host("x", arch="armv7l")],
    "s390x": [host("z13", arch="s390x")],
    "mips": [host("Haswell", arch="mips")],
    "x86_then_ppc": [HASWELL, host("POWER8", arch="ppc64")],
    "no_model": [host(None)],
    "no_model_vendor": [host(None, vendor="Intel")],
    "no_model_features": [host(None, features=["vmx"])],
    "second_no_model": [HASWELL, host(None)],
    "empty_model": [host("")],
    "guest_form": ["<cpu mode='custom' match='exact'><model>Haswell</model></cpu>"],
    "guest_match_arch": ["<cpu match='exact'><arch>x86_64</arch><model>Haswell</model></cpu>"],
    "host_mode": ["<cpu mode='host-model'><arch>x86_64</arch><model>Haswell</model></cpu>"],
    "policies": ["<cpu><arch>x86_64</arch><model>Haswell</model>"
                 "<feature policy='disable' name='vmx'/><feature policy='bogus' name='pcid'/>"
                 "</cpu>"],
    "migratable_attr": ["<cpu migratable='on'><arch>x86_64</arch><model>Haswell</model></cpu>"],
    "bad_topology": [host("Haswell", extra="<topology sockets='0' cores='1' threads='1'/>")],
    "topology_missing": [host("Haswell", extra="<topology sockets='1' threads='1'/>")],
    "bad_signature": [host("Haswell", extra="<signature family='0' model='1' stepping='1'/>")],
    "bad_signature2": [host("Haswell", extra="<signature family='6' stepping='1'/>")],
    "bad_counter": [host("Haswell", extra="<counter name='tsc'/>")],
    "bad_microcode": [host("Haswell", extra="<microcode version='x'/>")],
    "cache": [host("Haswell", extra="<cache level='3' mode='emulate'/>")],
    "bad_cache": [host("Haswell", extra="<cache level='3' mode='bogus'/>")],
    "two_caches": [host("Haswell", extra="<cache mode='emulate'/><cache mode='emulate'/>")],
    "maxphysaddr": [host("Haswell", extra="<maxphysaddr mode='emulate' bits='42'/>")],
    "bad_maxphysaddr": [host("Haswell", extra="<maxphysaddr bits='42'/>")],
    "second_malformed": [HASWELL, "<cpu>"],
    "malformed_lines": ["<cpu>\n  <arch>x86_64</arch>\n  <model>Haswell</model>\n"],
    "unclosed_tag": ["<cpu><arch>x86_64</arch><model"],
    "second_unknown_vendor_generic": [host("qemu64"), host("qemu64", vendor="Foo")],
    "vendors_via_models": [host("qemu64"), host("EPYC"), host("Haswell")],
    "hygon_amd": [host("Dhyana", vendor="Hygon"), host("EPYC", vendor="AMD")],
    "escaped_feature": [host("Haswell", features=["a&amp;b"])],
    "spaced_model": [host(" Haswell ")],
    "two_archs": ["<cpu><arch>x86_64</arch><arch>ppc64</arch><model>Haswell</model></cpu>"],
    "arch_none": [host("Haswell", arch="none")],
    "mixed_arch_second": [HASWELL, host("Westmere", arch="aarch64")],
    "arm_then_x86": [host("a&amp;b&lt;&quot;&apos;&gt;", arch="aarch64"), HASWELL],
    "s390_unknown": [host("nothing", arch="s390")],
    "armv6l": [host("arm1176", arch="armv6l", vendor="Foo")],
    "many": [host(m, vendor="Intel") for m in ("Nehalem", "Westmere", "SandyBridge",
                                                "IvyBridge", "Haswell", "Broadwell",
                                                "Skylake-Client", "Cascadelake-Server",
                                                "Icelake-Server", "Cooperlake")],
    "amd_gens": [host(m) for m in ("Opteron_G1", "Opteron_G2", "Opteron_G3", "Opteron_G4",
                                   "Opteron_G5", "EPYC", "EPYC-Rome", "EPYC-Milan")],
    "extra_features": [host("SandyBridge", features=["avx2", "bmi1", "bmi2", "fma", "erms",
                                                     "invpcid", "movbe", "hle", "rtm"]),
                       host("Haswell-noTSX", features=["hle", "rtm", "avx512f"])],
    "msr_features": [host("Skylake-Server", features=["vmx-exit-nosave-debugctl",
                                                      "vmx-entry-noload-debugctl"])],
}

SCENARIO = """
c = libvirt.open('test:///default')
for name, cpus in CASES.items():
    for flags in (0, 1):
        out[f'{name}/{flags}'] = attempt(c.baselineCPU, cpus, flags)
out['flag2'] = attempt(c.baselineCPU, [CASES['haswell'][0]], 2)
out['flag3'] = attempt(c.baselineCPU, [CASES['haswell'][0]], 3)
out['flag4'] = attempt(c.baselineCPU, [CASES['haswell'][0]], 4)
out['flag_high'] = attempt(c.baselineCPU, [CASES['haswell'][0]], 0x80000000)
out['flag_bad_empty'] = attempt(c.baselineCPU, [], 2)
out['empty'] = attempt(c.baselineCPU, [], 0)
out['empty1'] = attempt(c.baselineCPU, [], 1)
import ctypes as C
L = C.CDLL("libvirt.so.0")
L.virConnectOpen.restype = C.c_void_p
L.virConnectBaselineCPU.restype = C.c_void_p
L.virConnectBaselineCPU.argtypes = [C.c_void_p, C.c_void_p, C.c_uint, C.c_uint]
L.virGetLastError.restype = C.c_void_p
class Err(C.Structure):
    _fields_ = [("code", C.c_int), ("domain", C.c_int), ("message", C.c_char_p)]
def last():
    e = Err.from_address(L.virGetLastError())
    return [e.code, e.domain, e.message.decode()]
k = L.virConnectOpen(b"test:///default")
H = CASES['haswell'][0].encode()
for tag, entries, n, fl in [("null_only", [None], 1, 0), ("null_second", [H, None], 2, 0),
                            ("null_first", [None, H], 2, 0), ("zero", [None], 0, 0),
                            ("zero_flag", [None], 0, 2), ("one_of_two", [H, None], 1, 1)]:
    arr = (C.c_char_p * len(entries))(*entries)
    r = L.virConnectBaselineCPU(k, arr, n, fl)
    out['c_' + tag] = ["ok", C.string_at(r).decode()] if r else ["err"] + last()
"""

MODELS_SCENARIO = """
c = libvirt.open('test:///default')
models = c.getCPUModelNames('x86_64', 0)
out['models'] = models
def h(m):
    return "<cpu><arch>x86_64</arch><model>%s</model></cpu>" % m
for i, m in enumerate(models):
    out['one/' + m] = attempt(c.baselineCPU, [h(m)], 0)
    out['onex/' + m] = attempt(c.baselineCPU, [h(m)], 1)
    other = models[(i * 7 + 3) % len(models)]
    out['pair/' + m + '+' + other] = attempt(c.baselineCPU, [h(m), h(other)], 0)
    other2 = models[(i * 13 + 11) % len(models)]
    out['pairx/' + m + '+' + other2] = attempt(c.baselineCPU, [h(m), h(other2)], 1)
    prev = models[i - 1]
    out['prev/' + m + '+' + prev] = attempt(c.baselineCPU, [h(m), h(prev)], 0)
    third = models[(i * 5 + 17) % len(models)]
    out['three/' + m] = attempt(c.baselineCPU, [h(m), h(prev), h(third)], 0)
    feats = ["vmx", "svm", "pdpe1gb", "avx512f", "x2apic", "hypervisor", "invtsc", "pcid"]
    hf = "<cpu><arch>x86_64</arch><model>%s</model>%s</cpu>" % (
        m, "".join("<feature name='%s'/>" % f for f in feats[i % 4:i % 4 + 4]))
    out['feat/' + m] = attempt(c.baselineCPU, [hf, h(other)], i % 2)
"""


# Syntax errors whose libxml2 wording oxvirt does not reproduce (docs: src/drivers/test_driver/
# parse.rs): code, domain and the document name are compared, not the text after it.
LIBXML2_WORDING = {"unclosed_tag/0", "unclosed_tag/1"}


def mask(res):
    res = dict(res)
    for k in LIBXML2_WORDING & res.keys():
        v = res[k]
        assert v[0] == "err" and v[1] == 35, (k, v)
        res[k] = v[:3] + [v[3].split(":")[0]]
    return res


def compare(real, ox):
    real, ox = mask(real), mask(ox)
    assert real.keys() == ox.keys()
    bad = [f"{k}:\n  real   {real[k]}\n  oxvirt {ox[k]}" for k in real if real[k] != ox[k]]
    assert not bad, f"{len(bad)} of {len(real)} differ:\n" + "\n".join(bad)


def test_baseline_cases():
    real, ox = both(f"CASES = {CASES!r}\n" + SCENARIO)
    compare(real, ox)
    # Not vacuous: real libvirt answered both XML and errors.
    assert real["haswell/0"][0] == "ok" and "<model fallback='forbid'>Haswell" in real["haswell/0"][1]
    assert real["intel_amd/0"][0] == "err"


def test_baseline_every_model():
    real, ox = both(MODELS_SCENARIO)
    compare(real, ox)
    assert len(real["models"]) > 50
    assert sum(1 for k, v in real.items() if k.startswith("pair") and v[0] == "ok") > 50
