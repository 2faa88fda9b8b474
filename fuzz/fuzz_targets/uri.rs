//! Connection URIs: `Uri::parse` must never panic, and must split exactly as libvirt does
//! (libxml2 2.9's `xmlParseURI`, then virURIParse's adjustments). libxml2 is linked here, in
//! the fuzz crate only, as the oracle; oxvirt itself never links it.
//! Run: cargo +nightly fuzz run uri -- -max_total_time=60
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::ffi::{CStr, CString, c_char, c_int};
use virt::core::uri::Uri;

#[repr(C)]
struct XmlUri {
    scheme: *mut c_char,
    opaque: *mut c_char,
    authority: *mut c_char,
    server: *mut c_char,
    user: *mut c_char,
    port: c_int,
    path: *mut c_char,
    query: *mut c_char,
    fragment: *mut c_char,
    cleanup: c_int,
    query_raw: *mut c_char,
}

#[link(name = "xml2")]
unsafe extern "C" {
    fn xmlParseURI(s: *const c_char) -> *mut XmlUri;
    fn xmlFreeURI(u: *mut XmlUri);
}

fn text(p: *const c_char) -> Option<String> {
    // SAFETY: libxml2's fields are NULL or NUL-terminated strings.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

/// What libvirt's virURIParse makes of `s`: None when it cannot parse, Some(None) when there
/// is no scheme.
fn reference(s: &CString) -> Option<Option<Uri>> {
    // SAFETY: a valid C string; the result is freed below.
    let u = unsafe { xmlParseURI(s.as_ptr()) };
    if u.is_null() {
        return None;
    }
    // SAFETY: non-NULL result of xmlParseURI.
    let x = unsafe { &*u };
    let scheme = text(x.scheme);
    let mut server = text(x.server);
    if let Some(h) = &server
        && h.len() >= 2
        && h.starts_with('[')
        && h.ends_with(']')
        && h.contains(':')
    {
        server = Some(h[1..h.len() - 1].to_string());
    }
    let port = match &server {
        Some(h) if !h.is_empty() && x.port > 0 => Some(x.port as u32),
        _ => None,
    };
    let r = scheme.map(|scheme| Uri {
        scheme,
        user: text(x.user),
        server,
        port,
        path: text(x.path).unwrap_or_default(),
        query: text(x.query_raw),
        fragment: text(x.fragment),
    });
    // SAFETY: allocated by xmlParseURI above.
    unsafe { xmlFreeURI(u) };
    Some(r)
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let ours = Uri::parse(s);
    if let Ok(u) = &ours {
        let _ = u.params();
        let _ = u.format();
        let _ = virt::drivers::remote::transport::plan(Some(u), false);
    }
    let Ok(c) = CString::new(s) else {
        return;
    };
    let theirs = reference(&c);
    match (&ours, theirs) {
        (Ok(u), Some(Some(r))) => assert_eq!(u, &r, "{s:?}"),
        (Err(e), None) => assert_eq!(e.domain, 45, "{s:?}"),
        (Err(e), Some(None)) => assert_eq!(e.code, 5, "{s:?}"),
        (o, t) => panic!("{s:?}: oxvirt {o:?}, libxml2 {}", if t.is_none() { "fails" } else { "parses" }),
    }
});
