//! C entry points: interface.
//!
//! Entry points of upstream `src/libvirt-interface.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`), for the first entry point written here.
#[allow(dead_code)]
const THIS: Domain = Domain::VIR_FROM_INTERFACE;

use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use super::runtime::outparams::{check_names, write_names_at_most};
use crate::core::driver::{InterfaceDriver, InterfaceRef};
use std::sync::Arc;

/// The interface driver of the connection `c`.
fn drv(c: &ConnObj) -> &dyn InterfaceDriver {
    &*c.conn.drivers.interface
}

/// A C string argument, owned.
///
/// # Safety
/// `p` is non-NULL and a C string valid for this call.
unsafe fn text(p: *const c_char) -> String {
    // SAFETY: as the caller promises.
    unsafe { arg_str(p) }.unwrap_or_default().into_owned()
}

/// Hand an interface handle on `c` to C.
fn give(c: &Arc<ConnObj>, i: InterfaceRef) -> virInterfacePtr {
    handle::new_iface(c, i) as virInterfacePtr
}

/// The shared body of virConnectList(Defined)Interfaces.
fn list_iface_names(
    cx: &mut Cx,
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
    defined: bool,
) -> Result<c_int> {
    let c = cx.connect(conn)?;
    check_names(cx, names, maxnames)?;
    let list = if defined {
        drv(&c).connect_list_defined_interfaces(maxnames as usize)?
    } else {
        drv(&c).connect_list_interfaces(maxnames as usize)?
    };
    // SAFETY: checked above: `names` has room for `maxnames` pointers.
    Ok(unsafe { write_names_at_most(names, maxnames as usize, &list) })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllInterfaces(
    conn: virConnectPtr,
    ifaces: *mut *mut virInterfacePtr,
    flags: c_uint,
) -> c_int {
    if !ifaces.is_null() {
        // SAFETY: a non-NULL `ifaces` points to a caller-owned pointer; libvirt clears it
        // before anything can fail.
        unsafe { *ifaces = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let list = drv(&c).connect_list_all_interfaces(flags)?;
        let n = list.len();
        if ifaces.is_null() {
            return Ok(n as c_int);
        }
        let mut ptrs: Vec<usize> = Vec::with_capacity(n + 1);
        handle::new_ifaces(&c, list, &mut ptrs);
        ptrs.push(0);
        let arr = mem::malloc_array(&ptrs) as *mut virInterfacePtr;
        if arr.is_null() {
            for p in &ptrs[..n] {
                handle::release::<IfaceObj>(*p);
            }
            return Err(VirError::new(
                Domain::VIR_FROM_NONE,
                Code::VIR_ERR_NO_MEMORY,
                None,
            ));
        }
        // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
        unsafe { *ifaces = arr };
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListDefinedInterfaces(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        list_iface_names(cx, conn, names, maxnames, true)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListInterfaces(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        list_iface_names(cx, conn, names, maxnames, false)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfDefinedInterfaces(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        drv(&*cx.connect(conn)?).connect_num_of_defined_interfaces()
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfInterfaces(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        drv(&*cx.connect(conn)?).connect_num_of_interfaces()
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virInterfacePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(name, "name")?;
        let i = drv(&c).interface_lookup_by_name(&{
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(name) }
        })?;
        Ok(give(&c, i))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceLookupByMACString(
    conn: virConnectPtr,
    macstr: *const c_char,
) -> virInterfacePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(macstr, "macstr")?;
        let i = drv(&c).interface_lookup_by_mac_string(&{
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(macstr) }
        })?;
        Ok(give(&c, i))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceGetConnect(iface: virInterfacePtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let i = cx.interface(iface)?;
        Ok(Arc::as_ptr(&i.conn) as virConnectPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceGetName(iface: virInterfacePtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The name lives in the handle, which the caller keeps alive while using it.
        Ok(cx.interface(iface)?.name.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceGetMACString(iface: virInterfacePtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The MAC lives in the handle, which the caller keeps alive while using it.
        Ok(cx.interface(iface)?.mac.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceGetXMLDesc(
    iface: virInterfacePtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let i = cx.interface(iface)?;
        Ok(mem::strdup(
            &drv(&i.conn).interface_get_xml_desc(&i.iref(), flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virInterfacePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(xml, "xml")?;
        let i = drv(&c).interface_define_xml(
            &{
                // SAFETY: checked non-NULL; a C string valid for this call.
                unsafe { text(xml) }
            },
            flags,
        )?;
        Ok(give(&c, i))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceUndefine(iface: virInterfacePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let i = cx.interface(iface)?;
        cx.writable(&i.conn)?;
        drv(&i.conn).interface_undefine(&i.iref())?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceCreate(iface: virInterfacePtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let i = cx.interface(iface)?;
        cx.writable(&i.conn)?;
        drv(&i.conn).interface_create(&i.iref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceDestroy(iface: virInterfacePtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let i = cx.interface(iface)?;
        cx.writable(&i.conn)?;
        drv(&i.conn).interface_destroy(&i.iref(), flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceRef(iface: virInterfacePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let i = cx.interface(iface)?;
        handle::add_ref::<IfaceObj>(Arc::as_ptr(&i) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceFree(iface: virInterfacePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let i = cx.interface(iface)?;
        handle::release_obj(&i);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceChangeBegin(conn: virConnectPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        drv(&c).interface_change_begin(flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceChangeCommit(conn: virConnectPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        drv(&c).interface_change_commit(flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceChangeRollback(conn: virConnectPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        drv(&c).interface_change_rollback(flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceIsActive(iface: virInterfacePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let i = cx.interface(iface)?;
        Ok(drv(&i.conn).interface_is_active(&i.iref())? as c_int)
    })
}
