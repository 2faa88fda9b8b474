"""Connection URIs the way libvirt 9.0.0 parses them (libxml2's RFC 3986 parser, then
virURIParse/virURIFormat): percent-decoding of user, host, path and fragment, what fails to
parse, how virConnectGetURI re-escapes. Each URI of the corpus is opened against both
libraries; the URI libvirt reports or its error must be the same."""
from harness import both

CORPUS = [
    "test:///default", "test:///%64efault", "test:///%64%65%66%61%75%6C%74", "test:///%zz",
    "test:///%", "test:///a%2", "test:///default%00ignored", "test:///def ault", "test:/default",
    "test:default", "test:", "test", "1test:///default", "://x", "test://@/default",
    "test://alice@/default", "test://a%40b@/default", "test:///default?", "test:///default#",
    "test:///default#frag", "test:///default#a#b", "test:///default#[x]", "test:///default#%41",
    "test:///default#a%zz", "test:///default?a=b&c=%20d", "test:///default?%zz",
    "test:///default?x=[y]", "test:///[x]", "test:///a:b", "test:///%2Fdefault", "test:////default",
    "test:///default/", "test:///%7Bx%7D", "test:///%3A", "test:///caf%C3%A9", "test:///d\u00e9",
    "test:///default\n", "TEST:///default", "test:///" + "a" * 3000, "test:///./default",
    "test:///a/../default", "test:///default;x", "test:///default$,=+&@!*'()~",
    "test:///{x}", "test:///a|b", "test:///a\\b", "test:///a`b", "test:///a^b",
    "test:///a\"b", "test:///a<b", "test://h:/default", "test://h:x/default", "test://[::1/default",
    "test://:5/default", "test://h:99999999999/default", "test://%/default",
    "qemu:///system?socket=/nonexistent%20x", "qemu:///system?socket=/nonexistent+x",
    "qemu:///system?socket=/no&socket=/nonexistent%2Fy", "qemu:///system?socket=/a;socket=/b&c=d",
    "qemu:///system?=x&socket=/nonexistent", "qemu:///system?socket", "qemu:///system?socket=",
    "qemu+unix:///system?socket=/nonexistent#frag", "qemu+unix://u%40x@/system?socket=/nonexistent",
    "qemu+tcp://127.0.0.1:1/system", "qemu+tcp://127.0.0.%31:1/system", "qemu+tcp://[::1]:1/system",
    "qemu+tcp://127.0.0.1:70000/system", "qemu+tcp://h%3Bx.invalid:1/system",
    "qemu+tcp://h;x.invalid:1/system", "qemu+tcp://%5B::1%5D:1/system", "qemu+bogus:///system",
    "qemu://system", "qemu://session/", "qemu+tcp://a b/system",
]

SCENARIO = """
def opened(uri):
    c = libvirt.openReadOnly(uri)
    try:
        return c.getURI()
    finally:
        c.close()
out['r'] = [[u, attempt(opened, u)] for u in %r]
"""


def test_uri_corpus():
    real, ours = both(SCENARIO % (CORPUS,), env_extra={"LIBVIRT_AUTH_FILE": "/nonexistent"})
    assert len(real["r"]) == len(CORPUS)
    # The reference parsed something and refused something.
    assert any(r[1][0] == "ok" for r in real["r"])
    assert any(r[1][:3] == ["err", 1, 45] for r in real["r"])
    bad = [(r, o) for r, o in zip(real["r"], ours["r"]) if r != o]
    assert not bad, "\n".join(f"{r[0]!r}:\n  libvirt {r[1]}\n  oxvirt  {o[1]}" for r, o in bad)
