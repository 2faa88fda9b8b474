//! The exports of libvirt-admin.so.0 (libvirt's `src/admin/libvirt-admin.c`): each checks its
//! arguments in libvirt's order and calls the admin client (`admin.rs`). Each is compiled as
//! `oxvirt_NAME` and published as `NAME` at its Debian node (build.rs).
// C entry points take the caller's raw pointers by definition (as src/ffi of the main crate).
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use crate::admin::{self, AdmClient, Conn, Object, Param, Server, THIS};
use crate::libvirt::{opt_str, reset_last_error, set_last_error};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::ffi::{CString, c_char, c_int, c_longlong, c_uint, c_ulonglong, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use virt::core::{Code, Result, VirError};
use virt::generated::proto_types::AdminTypedParamValue as V;

/// libvirt 9.0.0.
const LIB_VERSION: u64 = 9_000_000;

/// A fresh handle address, unique while its object lives.
pub fn new_handle() -> usize {
    Box::into_raw(Box::new(0u64)) as usize
}

/// Release a handle made by [`new_handle`], once.
pub fn free_handle(h: usize) {
    // SAFETY: `h` came from Box::into_raw in new_handle and the registry releases each handle
    // exactly once, when its entry is removed.
    drop(unsafe { Box::from_raw(h as *mut u64) });
}

/// Run one API call: reset the last error, catch panics, report an error and return `bad`.
fn entry<T>(bad: T, f: impl FnOnce() -> Result<T>) -> T {
    reset_last_error();
    run(bad, f)
}

/// `entry` for the functions that release an object (`virAdmServerFree`, `virAdmClientFree`).
/// libvirt resets the last error there, after its error handler has seen the error (virt-admin's
/// saves it). When the handlers cannot be reached (beside oxvirt's libvirt.so.0, libvirt.rs),
/// they leave the last error alone on success, so that an error reported after the cleanup is
/// still the last error.
fn entry_keep<T>(bad: T, f: impl FnOnce() -> Result<T>) -> T {
    if crate::libvirt::dispatches() {
        reset_last_error();
    }
    run(bad, f)
}

fn run<T>(bad: T, f: impl FnOnce() -> Result<T>) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            set_last_error(&e);
            bad
        }
        Err(_) => {
            set_last_error(&VirError::internal(THIS, "panic in libvirt-admin"));
            bad
        }
    }
}

fn invalid_conn(func: &str) -> VirError {
    VirError::new(THIS, Code::VIR_ERR_INVALID_CONN, Some(func))
}

fn the_conn(p: *mut c_void, func: &str) -> Result<Arc<Conn>> {
    admin::conn(p as usize).ok_or_else(|| invalid_conn(func))
}

fn the_server(p: *mut c_void, func: &str) -> Result<(Arc<Server>, Arc<Conn>)> {
    admin::server(p as usize).ok_or_else(|| invalid_conn(func))
}

fn the_client(p: *mut c_void, func: &str) -> Result<(Arc<AdmClient>, Arc<Conn>)> {
    admin::client(p as usize).ok_or_else(|| invalid_conn(func))
}

fn non_null<T>(p: *const T, func: &str, name: &str) -> Result<()> {
    if p.is_null() {
        return Err(VirError::null_arg(THIS, func, name));
    }
    Ok(())
}

fn non_negative(v: c_int, func: &str, name: &str) -> Result<()> {
    if v < 0 {
        return Err(VirError::invalid_arg(
            THIS,
            func,
            name,
            format!("{name} in {func} must be zero or greater"),
        ));
    }
    Ok(())
}

fn strdup(s: &str) -> *mut c_char {
    let c = CString::new(s.replace('\0', "")).unwrap_or_default();
    // SAFETY: a NUL-terminated string; the caller frees the copy with free().
    unsafe { libc::strdup(c.as_ptr()) }
}

/// An array of `n` handles and a NULL, `malloc`ed (the caller frees it with free()).
fn handle_array(hs: &[usize]) -> *mut *mut c_void {
    // SAFETY: calloc of n+1 pointers; every slot is written below or stays NULL.
    let a = unsafe { libc::calloc(hs.len() + 1, std::mem::size_of::<*mut c_void>()) }
        as *mut *mut c_void;
    if a.is_null() {
        return a;
    }
    for (i, h) in hs.iter().enumerate() {
        // SAFETY: i < n, inside the n+1 slots just allocated.
        unsafe { *a.add(i) = *h as *mut c_void };
    }
    a
}

// ---- typed parameters ------------------------------------------------------------------------

const FIELD_LENGTH: usize = 80;

#[repr(C)]
#[derive(Clone, Copy)]
union CValue {
    i: c_int,
    ui: c_uint,
    l: c_longlong,
    ul: c_ulonglong,
    d: f64,
    b: c_char,
    s: *mut c_char,
}

/// `virTypedParameter`'s C layout.
#[repr(C)]
struct CParam {
    field: [c_char; FIELD_LENGTH],
    type_: c_int,
    value: CValue,
}

/// `virTypedParamsDeserialize` into a new array: `*params`, `*nparams`.
fn write_params(params: *mut *mut c_void, nparams: *mut c_int, list: Vec<Param>) -> Result<()> {
    for p in &list {
        if p.field.len() >= FIELD_LENGTH {
            return Err(VirError::internal(
                THIS,
                format!("parameter {} too big for destination", p.field),
            ));
        }
    }
    let a = if list.is_empty() {
        std::ptr::null_mut()
    } else {
        // SAFETY: calloc of n zeroed parameters, freed by the caller with virTypedParamsFree.
        unsafe { libc::calloc(list.len(), std::mem::size_of::<CParam>()) as *mut CParam }
    };
    for (i, p) in list.iter().enumerate() {
        // SAFETY: i < n inside the array just allocated (zeroed, so the field stays
        // NUL-terminated: its name is shorter than FIELD_LENGTH).
        let c = unsafe { &mut *a.add(i) };
        for (j, b) in p.field.bytes().enumerate() {
            c.field[j] = b as c_char;
        }
        let (t, v) = match &p.value {
            V::Int(v) => (1, CValue { i: *v }),
            V::Uint(v) => (2, CValue { ui: *v }),
            V::Llong(v) => (3, CValue { l: *v }),
            V::Ullong(v) => (4, CValue { ul: *v }),
            V::Double(v) => (5, CValue { d: *v }),
            V::Boolean(v) => (
                6,
                CValue {
                    b: (*v != 0) as c_char,
                },
            ),
            V::String(s) => (7, CValue { s: strdup(s) }),
        };
        c.type_ = t;
        c.value = v;
    }
    // SAFETY: both out-parameters were checked non-NULL by the caller.
    unsafe {
        *params = a as *mut c_void;
        *nparams = list.len() as c_int;
    }
    Ok(())
}

/// `virTypedParamsSerialize` without `VIR_TYPED_PARAM_STRING_OKAY`: parameters of type 0 and
/// strings are left out.
///
/// # Safety
/// `params` points at `n` parameters.
unsafe fn read_params(params: *const c_void, n: c_int, limit: u32) -> Result<Vec<Param>> {
    if n as u32 > limit {
        return Err(VirError::detail(
            THIS,
            Code::VIR_ERR_RPC,
            format!("too many parameters '{n}' for limit '{limit}'"),
        ));
    }
    let a = params as *const CParam;
    let mut out = Vec::new();
    for i in 0..n as usize {
        // SAFETY: the caller passes n parameters.
        let c = unsafe { &*a.add(i) };
        let len = c.field.iter().position(|b| *b == 0).unwrap_or(FIELD_LENGTH);
        let field: String = c.field[..len].iter().map(|b| *b as u8 as char).collect();
        // SAFETY: the union member read is the one the parameter's type names.
        let value = unsafe {
            match c.type_ {
                0 | 7 => continue,
                1 => V::Int(c.value.i),
                2 => V::Uint(c.value.ui),
                3 => V::Llong(c.value.l),
                4 => V::Ullong(c.value.ul),
                5 => V::Double(c.value.d),
                6 => V::Boolean(c.value.b as c_int),
                t => {
                    return Err(VirError::detail(
                        THIS,
                        Code::VIR_ERR_RPC,
                        format!("unknown parameter type: {t}"),
                    ));
                }
            }
        };
        out.push(Param { field, value });
    }
    Ok(out)
}

// ---- close callbacks -------------------------------------------------------------------------

type CloseFunc = Option<unsafe extern "C" fn(*mut c_void, c_int, *mut c_void)>;
type FreeFunc = Option<unsafe extern "C" fn(*mut c_void)>;

#[derive(Clone, Copy)]
struct CloseCb {
    cb: unsafe extern "C" fn(*mut c_void, c_int, *mut c_void),
    opaque: usize,
    freecb: FreeFunc,
}

/// The registered close callback of each connection (by handle).
static CLOSE_CBS: Mutex<Option<HashMap<usize, CloseCb>>> = Mutex::new(None);

/// `virAdmConnectCloseCallbackDataReset`: free the opaque data, drop the connection's reference.
fn reset_close_cb(conn: usize, cb: CloseCb) {
    if let Some(f) = cb.freecb {
        // SAFETY: the application's virFreeCallback with the opaque it registered.
        unsafe { f(cb.opaque as *mut c_void) };
    }
    admin::unref(conn);
}

/// The connection died (`remoteAdminClientCloseFunc`): run the callback once, then reset it.
fn connection_closed(conn: usize, reason: i32) {
    let cb = CLOSE_CBS.lock().as_mut().and_then(|m| m.remove(&conn));
    if let Some(cb) = cb {
        // SAFETY: the application's virAdmConnectCloseFunc with its connection and opaque.
        unsafe { (cb.cb)(conn as *mut c_void, reason, cb.opaque as *mut c_void) };
        reset_close_cb(conn, cb);
    }
}

// ---- the exports -----------------------------------------------------------------------------

#[unsafe(export_name = "oxvirt_virAdmInitialize")]
pub extern "C" fn virAdmInitialize() -> c_int {
    if crate::libvirt::initialize() { 0 } else { -1 }
}

#[unsafe(export_name = "oxvirt_virAdmGetVersion")]
pub extern "C" fn virAdmGetVersion(libVer: *mut c_ulonglong) -> c_int {
    entry(-1, || {
        if libVer.is_null() {
            return Err(VirError::generic());
        }
        // SAFETY: checked non-NULL.
        unsafe { *libVer = LIB_VERSION };
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectOpen")]
pub extern "C" fn virAdmConnectOpen(name: *const c_char, flags: c_uint) -> *mut c_void {
    entry(std::ptr::null_mut(), || {
        // SAFETY: NULL or the caller's NUL-terminated URI.
        let name = unsafe { opt_str(name) };
        let conn = Arc::new(Conn::open(name.as_deref(), flags)?);
        let h = admin::register(Object::Conn(conn.clone()));
        let id = conn
            .client
            .add_close_handler(Arc::new(move |reason| connection_closed(h, reason)));
        *conn.close_handler.lock() = Some(id);
        Ok(h as *mut c_void)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectClose")]
pub extern "C" fn virAdmConnectClose(conn: *mut c_void) -> c_int {
    entry(-1, || {
        if conn.is_null() {
            return Ok(0);
        }
        the_conn(conn, "virAdmConnectClose")?;
        Ok(if admin::unref(conn as usize) { 0 } else { 1 })
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectRef")]
pub extern "C" fn virAdmConnectRef(conn: *mut c_void) -> c_int {
    entry(-1, || {
        the_conn(conn, "virAdmConnectRef")?;
        admin::add_ref(conn as usize);
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectIsAlive")]
pub extern "C" fn virAdmConnectIsAlive(conn: *mut c_void) -> c_int {
    entry(-1, || {
        if conn.is_null() {
            return Ok(0);
        }
        Ok(the_conn(conn, "virAdmConnectIsAlive")?.client.is_alive() as c_int)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectGetURI")]
pub extern "C" fn virAdmConnectGetURI(conn: *mut c_void) -> *mut c_char {
    entry(std::ptr::null_mut(), || {
        let c = the_conn(conn, "virAdmConnectGetURI")?;
        Ok(strdup(&c.uri.format()))
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectRegisterCloseCallback")]
pub extern "C" fn virAdmConnectRegisterCloseCallback(
    conn: *mut c_void,
    cb: CloseFunc,
    opaque: *mut c_void,
    freecb: FreeFunc,
) -> c_int {
    const F: &str = "virAdmConnectRegisterCloseCallback";
    entry(-1, || {
        the_conn(conn, F)?;
        let h = conn as usize;
        let Some(cb) = cb else {
            return Err(VirError::null_arg(THIS, F, "cb"));
        };
        let mut g = CLOSE_CBS.lock();
        let map = g.get_or_insert_with(HashMap::new);
        if map.contains_key(&h) {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_OPERATION_INVALID,
                "A close callback is already registered",
            ));
        }
        admin::add_ref(h);
        map.insert(
            h,
            CloseCb {
                cb,
                opaque: opaque as usize,
                freecb,
            },
        );
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectUnregisterCloseCallback")]
pub extern "C" fn virAdmConnectUnregisterCloseCallback(conn: *mut c_void, cb: CloseFunc) -> c_int {
    const F: &str = "virAdmConnectUnregisterCloseCallback";
    entry(-1, || {
        the_conn(conn, F)?;
        let h = conn as usize;
        let Some(cb) = cb else {
            return Err(VirError::null_arg(THIS, F, "cb"));
        };
        let found = {
            let mut g = CLOSE_CBS.lock();
            let map = g.get_or_insert_with(HashMap::new);
            match map.get(&h) {
                Some(c) if std::ptr::fn_addr_eq(c.cb, cb) => map.remove(&h),
                _ => None,
            }
        };
        let Some(c) = found else {
            // Reported by libvirt's datatypes code, outside the admin error domain.
            return Err(VirError::detail(
                virt::core::Domain::VIR_FROM_NONE,
                Code::VIR_ERR_OPERATION_INVALID,
                "A different callback was requested",
            ));
        };
        reset_close_cb(h, c);
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectGetLibVersion")]
pub extern "C" fn virAdmConnectGetLibVersion(conn: *mut c_void, libVer: *mut c_ulonglong) -> c_int {
    const F: &str = "virAdmConnectGetLibVersion";
    entry(-1, || {
        let c = the_conn(conn, F)?;
        if libVer.is_null() {
            // virCheckNonNullArgReturn: reported, not dispatched to the error handlers.
            crate::libvirt::report_only(&VirError::null_arg(THIS, F, "libVer"));
            return Ok(-1);
        }
        let v = c.lib_version()?;
        // SAFETY: checked non-NULL.
        unsafe { *libVer = v };
        Ok(0)
    })
}

fn new_server(conn: usize, name: String) -> usize {
    let name = CString::new(name.replace('\0', "")).unwrap_or_default();
    admin::register(Object::Server(Arc::new(Server { conn, name })))
}

#[unsafe(export_name = "oxvirt_virAdmConnectListServers")]
pub extern "C" fn virAdmConnectListServers(
    conn: *mut c_void,
    servers: *mut *mut *mut c_void,
    flags: c_uint,
) -> c_int {
    entry(-1, || {
        if !servers.is_null() {
            // SAFETY: a non-NULL out-parameter.
            unsafe { *servers = std::ptr::null_mut() };
        }
        let c = the_conn(conn, "virAdmConnectListServers")?;
        let (names, ret) = c.list_servers(!servers.is_null(), flags)?;
        if !servers.is_null() {
            let hs: Vec<usize> = names
                .into_iter()
                .map(|n| new_server(conn as usize, n))
                .collect();
            // SAFETY: a non-NULL out-parameter.
            unsafe { *servers = handle_array(&hs) };
        }
        Ok(ret as c_int)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectLookupServer")]
pub extern "C" fn virAdmConnectLookupServer(
    conn: *mut c_void,
    name: *const c_char,
    flags: c_uint,
) -> *mut c_void {
    const F: &str = "virAdmConnectLookupServer";
    entry(std::ptr::null_mut(), || {
        let c = the_conn(conn, F)?;
        non_null(name, F, "name")?;
        // SAFETY: a non-NULL NUL-terminated name.
        let name = unsafe { opt_str(name) }.unwrap_or_default();
        let n = c.lookup_server(&name, flags)?;
        Ok(new_server(conn as usize, n) as *mut c_void)
    })
}

#[unsafe(export_name = "oxvirt_virAdmServerGetName")]
pub extern "C" fn virAdmServerGetName(srv: *mut c_void) -> *const c_char {
    entry(std::ptr::null(), || {
        let (s, _) = the_server(srv, "virAdmServerGetName")?;
        // The name lives as long as the server object (the Arc in the registry).
        Ok(s.name.as_ptr())
    })
}

#[unsafe(export_name = "oxvirt_virAdmServerFree")]
pub extern "C" fn virAdmServerFree(srv: *mut c_void) -> c_int {
    entry_keep(-1, || {
        if srv.is_null() {
            return Ok(0);
        }
        the_server(srv, "virAdmServerFree")?;
        admin::unref(srv as usize);
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmServerGetThreadPoolParameters")]
pub extern "C" fn virAdmServerGetThreadPoolParameters(
    srv: *mut c_void,
    params: *mut *mut c_void,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    const F: &str = "virAdmServerGetThreadPoolParameters";
    entry(-1, || {
        let (s, c) = the_server(srv, F)?;
        non_null(params, F, "params")?;
        // libvirt writes *nparams unchecked; a NULL gets an error here instead of a crash.
        non_null(nparams, F, "nparams")?;
        let list = c.threadpool_params(&s.name.to_string_lossy(), flags)?;
        write_params(params, nparams, list)?;
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmServerSetThreadPoolParameters")]
pub extern "C" fn virAdmServerSetThreadPoolParameters(
    srv: *mut c_void,
    params: *mut c_void,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    const F: &str = "virAdmServerSetThreadPoolParameters";
    entry(-1, || {
        let (s, c) = the_server(srv, F)?;
        non_null(params, F, "params")?;
        non_negative(nparams, F, "nparams")?;
        // SAFETY: the caller passes nparams parameters.
        let list = unsafe {
            read_params(
                params,
                nparams,
                admin::ADMIN_SERVER_THREADPOOL_PARAMETERS_MAX,
            )
        }?;
        c.set_threadpool_params(&s.name.to_string_lossy(), list, flags)?;
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmServerGetClientLimits")]
pub extern "C" fn virAdmServerGetClientLimits(
    srv: *mut c_void,
    params: *mut *mut c_void,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    const F: &str = "virAdmServerGetClientLimits";
    entry(-1, || {
        let (s, c) = the_server(srv, F)?;
        // libvirt checks neither; NULLs get an error here instead of a crash.
        non_null(params, F, "params")?;
        non_null(nparams, F, "nparams")?;
        let list = c.client_limits(&s.name.to_string_lossy(), flags)?;
        write_params(params, nparams, list)?;
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmServerSetClientLimits")]
pub extern "C" fn virAdmServerSetClientLimits(
    srv: *mut c_void,
    params: *mut c_void,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    const F: &str = "virAdmServerSetClientLimits";
    entry(-1, || {
        let (s, c) = the_server(srv, F)?;
        non_null(params, F, "params")?;
        non_negative(nparams, F, "nparams")?;
        // SAFETY: the caller passes nparams parameters.
        let list = unsafe { read_params(params, nparams, admin::ADMIN_SERVER_CLIENT_LIMITS_MAX) }?;
        c.set_client_limits(&s.name.to_string_lossy(), list, flags)?;
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmServerUpdateTlsFiles")]
pub extern "C" fn virAdmServerUpdateTlsFiles(srv: *mut c_void, flags: c_uint) -> c_int {
    entry(-1, || {
        let (s, c) = the_server(srv, "virAdmServerUpdateTlsFiles")?;
        c.update_tls_files(&s.name.to_string_lossy(), flags)?;
        Ok(0)
    })
}

fn new_client(srv: usize, info: virt::generated::proto_types::AdminNonnullClient) -> usize {
    admin::register(Object::Client(Arc::new(AdmClient { srv, info })))
}

#[unsafe(export_name = "oxvirt_virAdmServerListClients")]
pub extern "C" fn virAdmServerListClients(
    srv: *mut c_void,
    clients: *mut *mut *mut c_void,
    flags: c_uint,
) -> c_int {
    entry(-1, || {
        if !clients.is_null() {
            // SAFETY: a non-NULL out-parameter.
            unsafe { *clients = std::ptr::null_mut() };
        }
        let (s, c) = the_server(srv, "virAdmServerListClients")?;
        let (list, ret) = c.list_clients(&s.name.to_string_lossy(), !clients.is_null(), flags)?;
        if !clients.is_null() {
            let hs: Vec<usize> = list
                .into_iter()
                .map(|i| new_client(srv as usize, i))
                .collect();
            // SAFETY: a non-NULL out-parameter.
            unsafe { *clients = handle_array(&hs) };
        }
        Ok(ret as c_int)
    })
}

#[unsafe(export_name = "oxvirt_virAdmServerLookupClient")]
pub extern "C" fn virAdmServerLookupClient(
    srv: *mut c_void,
    id: c_ulonglong,
    flags: c_uint,
) -> *mut c_void {
    entry(std::ptr::null_mut(), || {
        let (s, c) = the_server(srv, "virAdmServerLookupClient")?;
        let info = c.lookup_client(&s.name.to_string_lossy(), id, flags)?;
        Ok(new_client(srv as usize, info) as *mut c_void)
    })
}

#[unsafe(export_name = "oxvirt_virAdmClientGetID")]
pub extern "C" fn virAdmClientGetID(client: *mut c_void) -> c_ulonglong {
    entry(u64::MAX, || {
        Ok(the_client(client, "virAdmClientGetID")?.0.info.id)
    })
}

#[unsafe(export_name = "oxvirt_virAdmClientGetTimestamp")]
pub extern "C" fn virAdmClientGetTimestamp(client: *mut c_void) -> c_longlong {
    entry(-1, || {
        Ok(the_client(client, "virAdmClientGetTimestamp")?
            .0
            .info
            .timestamp)
    })
}

#[unsafe(export_name = "oxvirt_virAdmClientGetTransport")]
pub extern "C" fn virAdmClientGetTransport(client: *mut c_void) -> c_int {
    entry(-1, || {
        Ok(the_client(client, "virAdmClientGetTransport")?
            .0
            .info
            .transport as c_int)
    })
}

#[unsafe(export_name = "oxvirt_virAdmClientFree")]
pub extern "C" fn virAdmClientFree(client: *mut c_void) -> c_int {
    entry_keep(-1, || {
        if client.is_null() {
            return Ok(0);
        }
        the_client(client, "virAdmClientFree")?;
        admin::unref(client as usize);
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmClientGetInfo")]
pub extern "C" fn virAdmClientGetInfo(
    client: *mut c_void,
    params: *mut *mut c_void,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    const F: &str = "virAdmClientGetInfo";
    entry(-1, || {
        let (cl, c) = the_client(client, F)?;
        non_null(params, F, "params")?;
        non_null(nparams, F, "nparams")?;
        let list = c.client_info(&cl.info, flags)?;
        write_params(params, nparams, list)?;
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmClientClose")]
pub extern "C" fn virAdmClientClose(client: *mut c_void, flags: c_uint) -> c_int {
    entry(-1, || {
        let (cl, c) = the_client(client, "virAdmClientClose")?;
        c.close_client(&cl.info, flags)?;
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectGetLoggingOutputs")]
pub extern "C" fn virAdmConnectGetLoggingOutputs(
    conn: *mut c_void,
    outputs: *mut *mut c_char,
    flags: c_uint,
) -> c_int {
    entry(-1, || {
        let c = the_conn(conn, "virAdmConnectGetLoggingOutputs")?;
        let (s, n) = c.logging_outputs(flags)?;
        if !outputs.is_null() {
            // SAFETY: a non-NULL out-parameter.
            unsafe { *outputs = strdup(&s) };
        }
        Ok(n as c_int)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectGetLoggingFilters")]
pub extern "C" fn virAdmConnectGetLoggingFilters(
    conn: *mut c_void,
    filters: *mut *mut c_char,
    flags: c_uint,
) -> c_int {
    entry(-1, || {
        let c = the_conn(conn, "virAdmConnectGetLoggingFilters")?;
        let (s, n) = c.logging_filters(flags)?;
        if !filters.is_null() {
            let p = s.as_deref().map(strdup).unwrap_or(std::ptr::null_mut());
            // SAFETY: a non-NULL out-parameter.
            unsafe { *filters = p };
        }
        Ok(n as c_int)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectSetLoggingOutputs")]
pub extern "C" fn virAdmConnectSetLoggingOutputs(
    conn: *mut c_void,
    outputs: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(-1, || {
        let c = the_conn(conn, "virAdmConnectSetLoggingOutputs")?;
        // SAFETY: NULL or the caller's NUL-terminated string.
        c.set_logging_outputs(unsafe { opt_str(outputs) }, flags)?;
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectSetLoggingFilters")]
pub extern "C" fn virAdmConnectSetLoggingFilters(
    conn: *mut c_void,
    filters: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(-1, || {
        let c = the_conn(conn, "virAdmConnectSetLoggingFilters")?;
        // SAFETY: NULL or the caller's NUL-terminated string.
        c.set_logging_filters(unsafe { opt_str(filters) }, flags)?;
        Ok(0)
    })
}

#[unsafe(export_name = "oxvirt_virAdmConnectSetDaemonTimeout")]
pub extern "C" fn virAdmConnectSetDaemonTimeout(
    conn: *mut c_void,
    timeout: c_uint,
    flags: c_uint,
) -> c_int {
    entry(-1, || {
        let c = the_conn(conn, "virAdmConnectSetDaemonTimeout")?;
        c.set_daemon_timeout(timeout, flags)?;
        Ok(0)
    })
}
