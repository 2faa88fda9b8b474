//! The entry points snapshots and checkpoints ("moments") share, written once and parametrised
//! by the handle kind ([`MomentKind`]). The exports of `domain_snapshot.rs` and
//! `domain_checkpoint.rs` call these with the driver method to use, as a closure, so that each
//! export still names the driver method it reaches.

use super::entry::{Cx, Result, entry, exclusive};
use super::handle::{self, CheckpointObj, DomObj, MomentObj, Object, SnapObj};
use super::mem::{self, arg_str};
use crate::core::driver::{DomainRef, HypervisorDriver};
use crate::core::{Code, Domain, VirError};
use crate::generated::abi_types::{virConnectPtr, virDomainPtr};
use std::ffi::{c_char, c_int, c_uint};
use std::sync::Arc;

/// What differs between snapshot and checkpoint handles at the C boundary.
pub trait MomentKind: Object + Sized {
    /// The error domain of the kind's entry file (upstream's `VIR_FROM_THIS`).
    const THIS: Domain;
    /// The prefix of the kind's flag names in errors: `VIR_DOMAIN_SNAPSHOT`.
    const FLAGS: &'static str;
    /// The kind's `virCheck…Return`.
    fn check<P>(cx: &mut Cx, p: *mut P) -> Result<Arc<Self>>;
    /// The `{domain, name}` contents.
    fn moment(&self) -> &MomentObj;
    /// A new handle of this kind for moment `name` of `dom`.
    fn publish(dom: &Arc<DomObj>, name: &str) -> usize;
}

macro_rules! moment_kind {
    ($t:ty, $this:ident, $flags:literal, $check:ident, $new:ident) => {
        impl MomentKind for $t {
            const THIS: Domain = Domain::$this;
            const FLAGS: &'static str = $flags;
            fn check<P>(cx: &mut Cx, p: *mut P) -> Result<Arc<Self>> {
                cx.$check(p)
            }
            fn moment(&self) -> &MomentObj {
                &self.0
            }
            fn publish(dom: &Arc<DomObj>, name: &str) -> usize {
                handle::$new(dom, name)
            }
        }
    };
}
moment_kind!(
    SnapObj,
    VIR_FROM_DOMAIN_SNAPSHOT,
    "VIR_DOMAIN_SNAPSHOT",
    snapshot,
    new_snap
);
moment_kind!(
    CheckpointObj,
    VIR_FROM_DOMAIN_CHECKPOINT,
    "VIR_DOMAIN_CHECKPOINT",
    checkpoint,
    new_checkpoint
);

/// The body of an entry point on a moment handle `p`: `f` gets the call context and the
/// handle's `{domain, name}`.
fn with_handle<K: MomentKind, P, T>(
    func: &'static str,
    p: *mut P,
    fail: T,
    f: impl FnOnce(&mut Cx, &MomentObj) -> Result<T>,
) -> T {
    entry(func, K::THIS, fail, |cx| {
        let m = K::check(cx, p)?;
        f(cx, m.moment())
    })
}

/// The body of an entry point that asks the driver about moment handle `p`: `f` gets the call
/// context, the handle's domain and the moment's name.
fn on_moment<K: MomentKind, P, T>(
    func: &'static str,
    p: *mut P,
    fail: T,
    f: impl FnOnce(&mut Cx, &Arc<DomObj>, &str) -> Result<T>,
) -> T {
    with_handle::<K, P, T>(func, p, fail, |cx, m| {
        f(cx, &m.dom, &m.name.to_string_lossy())
    })
}

/// `virDomain…Free`.
pub fn free_handle<K: MomentKind, P>(func: &'static str, p: *mut P) -> c_int {
    entry(func, K::THIS, -1, |cx| {
        let m = K::check(cx, p)?;
        handle::release_obj(&m);
        Ok(0)
    })
}

/// `virDomain…Ref`.
pub fn ref_handle<K: MomentKind, P>(func: &'static str, p: *mut P) -> c_int {
    entry(func, K::THIS, -1, |cx| {
        let m = K::check(cx, p)?;
        handle::add_ref::<K>(Arc::as_ptr(&m) as usize);
        Ok(0)
    })
}

/// `virDomain…GetName`: the name lives as long as the handle, as libvirt's `->name` does.
pub fn handle_name<K: MomentKind, P>(func: &'static str, p: *mut P) -> *const c_char {
    with_handle::<K, P, _>(func, p, std::ptr::null(), |_, m| Ok(m.name.as_ptr()))
}

/// `virDomain…GetDomain`.
pub fn handle_domain<K: MomentKind, P>(func: &'static str, p: *mut P) -> virDomainPtr {
    with_handle::<K, P, _>(func, p, std::ptr::null_mut(), |_, m| {
        Ok(Arc::as_ptr(&m.dom) as virDomainPtr)
    })
}

/// `virDomain…GetConnect`.
pub fn handle_connect<K: MomentKind, P>(func: &'static str, p: *mut P) -> virConnectPtr {
    with_handle::<K, P, _>(func, p, std::ptr::null_mut(), |_, m| {
        Ok(Arc::as_ptr(&m.dom.conn) as virConnectPtr)
    })
}

/// An entry point on a moment handle that asks the driver `call` and hands back what it says
/// (`IsCurrent`).
pub fn query_moment<K: MomentKind, P, T>(
    func: &'static str,
    p: *mut P,
    flags: c_uint,
    fail: T,
    call: impl FnOnce(&dyn HypervisorDriver, &DomainRef, &str, u32) -> Result<T>,
) -> T {
    on_moment::<K, P, _>(func, p, fail, |_, d, name| {
        call(d.conn.conn.hv(), &d.dref(), name, flags)
    })
}

/// `virDomain…GetXMLDesc`.
pub fn moment_xml<K: MomentKind, P>(
    func: &'static str,
    p: *mut P,
    flags: c_uint,
    call: impl FnOnce(&dyn HypervisorDriver, &DomainRef, &str, u32) -> Result<String>,
) -> *mut c_char {
    on_moment::<K, P, _>(func, p, std::ptr::null_mut(), |_, d, name| {
        // The XML_SECURE flag (1 for both kinds) needs a connection that may write.
        if d.conn.conn.readonly && flags & XML_SECURE != 0 {
            return Err(VirError::detail(
                K::THIS,
                Code::VIR_ERR_OPERATION_DENIED,
                format!("{func} with secure flag"),
            ));
        }
        let xml = call(d.conn.conn.hv(), &d.dref(), name, flags)?;
        Ok(mem::strdup(&xml))
    })
}

/// `VIR_DOMAIN_SNAPSHOT_XML_SECURE` and `VIR_DOMAIN_CHECKPOINT_XML_SECURE`.
const XML_SECURE: c_uint = 1;

/// `virDomain…GetParent`: a new handle on the parent the driver names.
pub fn moment_parent<K: MomentKind, P>(
    func: &'static str,
    p: *mut P,
    flags: c_uint,
    call: impl FnOnce(&dyn HypervisorDriver, &DomainRef, &str, u32) -> Result<String>,
) -> *mut P {
    on_moment::<K, P, _>(func, p, std::ptr::null_mut(), |_, d, name| {
        let parent = call(d.conn.conn.hv(), &d.dref(), name, flags)?;
        Ok(K::publish(d, &parent) as *mut P)
    })
}

/// `virDomain…Delete`: refused on a read-only connection and for DELETE_CHILDREN together with
/// DELETE_CHILDREN_ONLY (the same values for both kinds).
pub fn delete_moment<K: MomentKind, P>(
    func: &'static str,
    p: *mut P,
    flags: c_uint,
    call: impl FnOnce(&dyn HypervisorDriver, &DomainRef, &str, u32) -> Result<()>,
) -> c_int {
    on_moment::<K, P, _>(func, p, -1, |cx, d, name| {
        cx.writable(&d.conn)?;
        exclusive(
            K::THIS,
            flags,
            (1, &format!("{}_DELETE_CHILDREN", K::FLAGS)),
            (4, &format!("{}_DELETE_CHILDREN_ONLY", K::FLAGS)),
        )?;
        call(d.conn.conn.hv(), &d.dref(), name, flags)?;
        Ok(0)
    })
}

/// `virDomain…LookupByName`: a new handle on the moment of `domain` the driver finds.
pub fn lookup_moment<K: MomentKind, R>(
    func: &'static str,
    domain: virDomainPtr,
    name: *const c_char,
    flags: c_uint,
    call: impl FnOnce(&dyn HypervisorDriver, &DomainRef, &str, u32) -> Result<String>,
) -> *mut R {
    entry(func, K::THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(name, "name")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let name = unsafe { arg_str(name) }.unwrap_or_default();
        let found = call(d.conn.conn.hv(), &d.dref(), &name, flags)?;
        Ok(K::publish(&d, &found) as *mut R)
    })
}

/// `virDomain…CreateXML`: the checks both kinds make, then the kind's flag checks
/// (`check_flags`), then `create` with the domain handle and the document, which returns the new
/// moment's name.
pub fn create_moment<K: MomentKind, R>(
    func: &'static str,
    domain: virDomainPtr,
    xml_desc: *const c_char,
    flags: c_uint,
    check_flags: impl FnOnce(c_uint) -> Result<()>,
    create: impl FnOnce(&DomObj, &str) -> Result<String>,
) -> *mut R {
    entry(func, K::THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(xml_desc, "xmlDesc")?;
        cx.writable(&d.conn)?;
        check_flags(flags)?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let xml = unsafe { arg_str(xml_desc) }.unwrap_or_default();
        let name = create(&d, &xml)?;
        Ok(K::publish(&d, &name) as *mut R)
    })
}

/// `virDomainListAll…`: the count, and with a non-NULL `out` a malloc'd, NULL-terminated array
/// of new handles. `*out` is cleared before any check.
pub fn list_moments<K: MomentKind, P>(
    func: &'static str,
    domain: virDomainPtr,
    out: *mut *mut P,
    flags: c_uint,
    call: impl FnOnce(&dyn HypervisorDriver, &DomainRef, u32) -> Result<Vec<String>>,
) -> c_int {
    if !out.is_null() {
        // SAFETY: a non-NULL pointer to a caller-owned pointer, cleared before any check.
        unsafe { *out = std::ptr::null_mut() };
    }
    entry(func, K::THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        let names = call(d.conn.conn.hv(), &d.dref(), flags)?;
        let n = names.len();
        if out.is_null() {
            return Ok(n as c_int);
        }
        let ptrs: Vec<usize> = names.iter().map(|s| K::publish(&d, s)).collect();
        let arr = handle_array::<K>(ptrs)?;
        // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
        unsafe { *out = arr as *mut P };
        Ok(n as c_int)
    })
}

/// A malloc'd, NULL-terminated array of new handles for the caller; on allocation failure the
/// handles are released again.
fn handle_array<T: Object>(mut ptrs: Vec<usize>) -> Result<*mut usize> {
    let n = ptrs.len();
    ptrs.push(0);
    let arr = mem::malloc_array(&ptrs);
    if arr.is_null() {
        for p in &ptrs[..n] {
            handle::release::<T>(*p);
        }
        return Err(VirError::new(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_NO_MEMORY,
            None,
        ));
    }
    Ok(arr)
}

// ---- domain stats & misc (domstats): listing the children of a moment handle.

/// `virDomain…ListAllChildren`: the count, and with a non-NULL `out` a malloc'd,
/// NULL-terminated array of new handles on the children. `*out` is cleared before any check.
pub fn list_children<K: MomentKind, P>(
    func: &'static str,
    p: *mut P,
    out: *mut *mut *mut P,
    flags: c_uint,
    call: impl FnOnce(&dyn HypervisorDriver, &DomainRef, &str, u32) -> Result<Vec<String>>,
) -> c_int {
    if !out.is_null() {
        // SAFETY: a non-NULL pointer to a caller-owned pointer, cleared before any check.
        unsafe { *out = std::ptr::null_mut() };
    }
    on_moment::<K, P, _>(func, p, -1, |_, d, name| {
        let names = call(d.conn.conn.hv(), &d.dref(), name, flags)?;
        let n = names.len();
        if out.is_null() {
            return Ok(n as c_int);
        }
        let ptrs: Vec<usize> = names.iter().map(|s| K::publish(d, s)).collect();
        let arr = handle_array::<K>(ptrs)?;
        // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
        unsafe { *out = arr as *mut *mut P };
        Ok(n as c_int)
    })
}

/// An entry point on a moment handle with the moment's domain handle too (ListChildrenNames).
pub fn with_moment<K: MomentKind, P, T>(
    func: &'static str,
    p: *mut P,
    fail: T,
    f: impl FnOnce(&mut Cx, &Arc<DomObj>, &str) -> Result<T>,
) -> T {
    on_moment::<K, P, T>(func, p, fail, f)
}
