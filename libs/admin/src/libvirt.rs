//! The libvirt.so.0 this process loaded (Debian's or oxvirt's), through its public API only:
//! the thread's last error lives there, so `virGetLastError` and friends see what the admin
//! library reports.
//!
//! libvirt has no public call that sets the last error. The error object is the thread's own,
//! allocated once per thread and kept until the thread ends; `virGetLastError` hands out its
//! address while it holds an error. So once per thread the library makes the loaded libvirt
//! report a harmless error on a private `test:///default` connection (whose own error handler
//! swallows it, so the application's handlers never see it), keeps the address and resets it.
//! Reporting an error then fills that object as libvirt's own `virSetError` does: the strings
//! are `malloc`ed, as libvirt frees them with `free`.

use std::cell::Cell;
use std::ffi::{CStr, CString, c_char, c_int, c_uint, c_void};
use std::sync::OnceLock;
use virt::core::VirError;

/// `virError`'s C layout (libvirt's virterror.h).
#[repr(C)]
pub struct CError {
    code: c_int,
    domain: c_int,
    message: *mut c_char,
    level: c_int,
    conn: *mut c_void,
    dom: *mut c_void,
    str1: *mut c_char,
    str2: *mut c_char,
    str3: *mut c_char,
    int1: c_int,
    int2: c_int,
    net: *mut c_void,
}

type ResetFn = unsafe extern "C" fn();
type InitFn = unsafe extern "C" fn() -> c_int;
type GetErrFn = unsafe extern "C" fn() -> *mut CError;
type OpenFn = unsafe extern "C" fn(*const c_char) -> *mut c_void;
type ConnHandler = unsafe extern "C" fn(*mut c_void, *mut CError);
type SetConnHandlerFn = unsafe extern "C" fn(*mut c_void, *mut c_void, Option<ConnHandler>);
type LookupFn = unsafe extern "C" fn(*mut c_void, *const c_char) -> *mut c_void;
type OpenAuthFn = unsafe extern "C" fn(*const c_char, *mut CAuth, c_uint) -> *mut c_void;
type CloseFn = unsafe extern "C" fn(*mut c_void) -> c_int;
type AuthCb = unsafe extern "C" fn(*mut c_void, c_uint, *mut c_void) -> c_int;

/// `virConnectAuth`'s C layout.
#[repr(C)]
pub struct CAuth {
    credtype: *mut c_int,
    ncredtype: c_uint,
    cb: Option<AuthCb>,
    cbdata: *mut c_void,
}

struct Api {
    reset: ResetFn,
    get: GetErrFn,
    open: OpenFn,
    set_conn_handler: SetConnHandlerFn,
    lookup: LookupFn,
    open_auth: OpenAuthFn,
    close: CloseFn,
    /// Whether the loaded libvirt.so.0 is oxvirt's (see `dispatch`).
    oxvirt: bool,
}

fn sym(handle: *mut c_void, name: &str, node: &str) -> Option<*mut c_void> {
    let n = CString::new(name).ok()?;
    let v = CString::new(node).ok()?;
    // SAFETY: `handle` is dlopen's for libvirt.so.0; both strings are NUL-terminated.
    let p = unsafe { libc::dlvsym(handle, n.as_ptr(), v.as_ptr()) };
    (!p.is_null()).then_some(p)
}

fn api() -> Option<&'static Api> {
    static API: OnceLock<Option<Api>> = OnceLock::new();
    API.get_or_init(|| {
        // SAFETY: a NUL-terminated library name; the library stays loaded for good.
        let h =
            unsafe { libc::dlopen(c"libvirt.so.0".as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL) };
        if h.is_null() {
            return None;
        }
        let init = sym(h, "virInitialize", "LIBVIRT_0.1.0")?;
        // The error machinery (its thread-local key) is set up by libvirt's initialisation,
        // which libvirt-admin's own does first (virErrorInitialize); the public one covers it.
        // SAFETY: libvirt's virInitialize takes no argument and may be called repeatedly.
        if unsafe { std::mem::transmute::<*mut c_void, InitFn>(init)() } < 0 {
            return None;
        }
        let reset = sym(h, "virResetLastError", "LIBVIRT_0.1.0")?;
        let get = sym(h, "virGetLastError", "LIBVIRT_0.1.0")?;
        let open = sym(h, "virConnectOpen", "LIBVIRT_0.0.3")?;
        let set_conn_handler = sym(h, "virConnSetErrorFunc", "LIBVIRT_0.1.0")?;
        let lookup = sym(h, "virDomainLookupByName", "LIBVIRT_0.0.3")?;
        let open_auth = sym(h, "virConnectOpenAuth", "LIBVIRT_0.4.0")?;
        let close = sym(h, "virConnectClose", "LIBVIRT_0.0.3")?;
        // SAFETY: dlsym with a NUL-terminated name on the handle just opened.
        let oxvirt = !unsafe { libc::dlsym(h, c"oxvirt_virConnectOpenAuth".as_ptr()) }.is_null();
        // SAFETY: each symbol is the libvirt 9.0.0 public function of that name and version,
        // whose C signature is the type it is cast to.
        unsafe {
            Some(Api {
                reset: std::mem::transmute::<*mut c_void, ResetFn>(reset),
                get: std::mem::transmute::<*mut c_void, GetErrFn>(get),
                open: std::mem::transmute::<*mut c_void, OpenFn>(open),
                set_conn_handler: std::mem::transmute::<*mut c_void, SetConnHandlerFn>(
                    set_conn_handler,
                ),
                lookup: std::mem::transmute::<*mut c_void, LookupFn>(lookup),
                open_auth: std::mem::transmute::<*mut c_void, OpenAuthFn>(open_auth),
                close: std::mem::transmute::<*mut c_void, CloseFn>(close),
                oxvirt,
            })
        }
    })
    .as_ref()
}

/// The private connection's error handler: the error stays the thread's last error only.
unsafe extern "C" fn swallow(_user: *mut c_void, _err: *mut CError) {}

/// The private `test:///default` connection that reports the harmless error.
fn private_conn(api: &Api) -> Option<usize> {
    static CONN: OnceLock<Option<usize>> = OnceLock::new();
    *CONN.get_or_init(|| {
        // SAFETY: libvirt's virConnectOpen with a NUL-terminated URI.
        let c = unsafe { (api.open)(c"test:///default".as_ptr()) };
        if c.is_null() {
            return None;
        }
        // SAFETY: `c` is the connection just opened; the handler has virErrorFunc's signature.
        unsafe { (api.set_conn_handler)(c, std::ptr::null_mut(), Some(swallow)) };
        Some(c as usize)
    })
}

thread_local! {
    static SLOT: Cell<*mut CError> = const { Cell::new(std::ptr::null_mut()) };
}

/// This thread's error object of the loaded libvirt.
fn slot(api: &Api) -> Option<*mut CError> {
    let cur = SLOT.with(Cell::get);
    if !cur.is_null() {
        return Some(cur);
    }
    let conn = private_conn(api)? as *mut c_void;
    // SAFETY: a live connection and a NUL-terminated name no domain of test:///default has;
    // the failure is reported to the connection's own handler.
    let dom = unsafe { (api.lookup)(conn, c"oxvirt-admin-error-slot".as_ptr()) };
    if !dom.is_null() {
        return None;
    }
    // SAFETY: libvirt's virGetLastError: the thread's error object while it holds an error.
    let e = unsafe { (api.get)() };
    // SAFETY: libvirt's virResetLastError: the object is cleared, not freed.
    unsafe { (api.reset)() };
    if e.is_null() {
        return None;
    }
    SLOT.with(|s| s.set(e));
    Some(e)
}

/// `virAdmInitialize`: the loaded libvirt found and initialised.
pub fn initialize() -> bool {
    api().is_some()
}

/// `virResetLastError` of the loaded libvirt.
pub fn reset_last_error() {
    if let Some(a) = api() {
        // SAFETY: libvirt's virResetLastError takes no argument.
        unsafe { (a.reset)() };
    }
}

fn dup(s: Option<&str>) -> *mut c_char {
    let Some(s) = s else {
        return std::ptr::null_mut();
    };
    let c = CString::new(s.replace('\0', "")).unwrap_or_default();
    // SAFETY: a NUL-terminated string; libvirt frees the copy with free().
    unsafe { libc::strdup(c.as_ptr()) }
}

/// Fill the thread's error object with `e` (`virSetError`), the previous error's strings freed.
fn fill(a: &Api, slot: *mut CError, e: &VirError) {
    // SAFETY: libvirt's virResetLastError frees the strings of the previous error.
    unsafe { (a.reset)() };
    // SAFETY: `slot` is this thread's error object of the loaded libvirt, alive until the
    // thread ends; it was just reset, so no string is lost.
    unsafe {
        let s = &mut *slot;
        s.code = e.code;
        s.domain = e.domain;
        s.message = dup(e.message.as_deref());
        s.level = e.level;
        s.conn = std::ptr::null_mut();
        s.dom = std::ptr::null_mut();
        s.net = std::ptr::null_mut();
        s.str1 = dup(e.str1.as_deref());
        s.str2 = dup(e.str2.as_deref());
        s.str3 = dup(e.str3.as_deref());
        s.int1 = e.int1;
        s.int2 = e.int2;
    }
}

/// The node file of the dispatching connection: `<auth>` demands a user name, which the
/// callback does not give. An anonymous memory file, named through /proc.
fn dispatch_uri() -> Option<&'static CString> {
    static URI: OnceLock<Option<CString>> = OnceLock::new();
    URI.get_or_init(|| {
        let xml = b"<node><auth><user>oxvirt-admin</user></auth></node>\n";
        // SAFETY: a NUL-terminated name; the descriptor is kept for the process's life.
        let fd = unsafe { libc::memfd_create(c"oxvirt-admin-dispatch".as_ptr(), 0) };
        if fd < 0 {
            return None;
        }
        // SAFETY: writing our buffer to the descriptor just made.
        let n = unsafe { libc::write(fd, xml.as_ptr() as *const c_void, xml.len()) };
        if n != xml.len() as isize {
            return None;
        }
        CString::new(format!("test:///proc/self/fd/{fd}")).ok()
    })
    .as_ref()
}

struct DispatchData<'a> {
    api: &'a Api,
    slot: *mut CError,
    err: &'a VirError,
}

/// The credentials callback of the dispatching open: the error becomes the thread's last
/// error, and no credential is given.
unsafe extern "C" fn dispatch_cb(_cred: *mut c_void, _n: c_uint, data: *mut c_void) -> c_int {
    // SAFETY: `data` is the DispatchData of `dispatch`, alive during the open.
    let d = unsafe { &*(data as *const DispatchData<'_>) };
    fill(d.api, d.slot, d.err);
    0
}

/// Hand the thread's last error to the application's error handler, or to libvirt's default
/// one that prints it, as libvirt-admin's `virDispatchError(NULL)` does. libvirt has no public
/// call for that; but an open of the test driver whose `<auth>` callback gives no user name
/// fails without an error of its own, and libvirt then dispatches whatever the thread's last
/// error is: the callback makes it ours. oxvirt's libvirt.so.0 reports its own error in that
/// case (it resets the last error on entry, so libvirt's "unknown cause" is what it would
/// dispatch), so with it handlers are not called.
fn dispatch(a: &Api, slot: *mut CError, e: &VirError) -> bool {
    if a.oxvirt {
        return false;
    }
    let Some(uri) = dispatch_uri() else {
        return false;
    };
    let data = DispatchData {
        api: a,
        slot,
        err: e,
    };
    let mut credtype: [c_int; 1] = [2]; // VIR_CRED_AUTHNAME
    let mut auth = CAuth {
        credtype: credtype.as_mut_ptr(),
        ncredtype: 1,
        cb: Some(dispatch_cb),
        cbdata: &data as *const DispatchData<'_> as *mut c_void,
    };
    // SAFETY: libvirt's virConnectOpenAuth with a NUL-terminated URI and a virConnectAuth
    // whose arrays and data outlive the call.
    let c = unsafe { (a.open_auth)(uri.as_ptr(), &mut auth, 0) };
    if !c.is_null() {
        // SAFETY: the connection just opened (it should not have).
        unsafe { (a.close)(c) };
        return false;
    }
    // The handler ran with our error; it stays the last error, whatever the open left.
    // SAFETY: the slot is this thread's error object; reading its code.
    let code = unsafe { (*slot).code };
    if code != e.code {
        fill(a, slot, e);
    }
    true
}

/// Make `e` the thread's last error in the loaded libvirt and dispatch it (`virDispatchError`).
pub fn set_last_error(e: &VirError) {
    let Some(a) = api() else {
        eprintln!(
            "libvirt-admin.so.0 (oxvirt): libvirt.so.0 not found: {}",
            e.message()
        );
        return;
    };
    let Some(slot) = slot(a) else {
        eprintln!("libvirt-admin.so.0 (oxvirt): {}", e.message());
        return;
    };
    fill(a, slot, e);
    dispatch(a, slot, e);
}

/// Make `e` the thread's last error without dispatching it (libvirt's `virCheck...Return`
/// argument checks, which report and return).
pub fn report_only(e: &VirError) {
    if let Some(a) = api()
        && let Some(slot) = slot(a)
    {
        fill(a, slot, e);
    }
}

/// Whether errors reach the application's error handlers (see `dispatch`).
pub fn dispatches() -> bool {
    api().is_some_and(|a| !a.oxvirt)
}

/// A C string argument (`NULL` is `None`).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
pub unsafe fn opt_str(p: *const c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: the caller passes a NUL-terminated string.
    Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}
