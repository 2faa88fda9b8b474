//! C entry points: nwfilter.
//!
//! Entry points of upstream `src/libvirt-nwfilter.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`), for the first entry point written here.
#[allow(dead_code)]
const THIS: Domain = Domain::VIR_FROM_NWFILTER;

use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use super::runtime::outparams::{
    check_names, give_array, read_uuid, write_names, write_names_at_most, write_uuid,
    write_uuid_string,
};
use crate::core::driver::{NWFilterBindingRef, NWFilterDriver, NWFilterRef};
use crate::core::uuid;
use std::sync::Arc;

/// The nwfilter driver of the connection `c`.
fn drv(c: &ConnObj) -> &dyn NWFilterDriver {
    &*c.conn.drivers.nwfilter
}

/// A C string argument, owned.
///
/// # Safety
/// `p` is non-NULL and a C string valid for this call.
unsafe fn text(p: *const c_char) -> String {
    // SAFETY: as the caller promises.
    unsafe { arg_str(p) }.unwrap_or_default().into_owned()
}

fn give(c: &Arc<ConnObj>, f: &NWFilterRef) -> virNWFilterPtr {
    handle::new_nwfilter(c, &f.name, f.uuid) as virNWFilterPtr
}

fn give_binding(c: &Arc<ConnObj>, b: &NWFilterBindingRef) -> virNWFilterBindingPtr {
    handle::new_nwfilter_binding(c, &b.portdev, &b.filtername) as virNWFilterBindingPtr
}

fn fref(f: &NWFilterObj) -> NWFilterRef {
    NWFilterRef {
        name: f.name.to_string_lossy().into_owned(),
        uuid: f.uuid,
    }
}

fn bref(b: &NWFilterBindingObj) -> NWFilterBindingRef {
    NWFilterBindingRef {
        portdev: b.portdev.to_string_lossy().into_owned(),
        filtername: b.filtername.to_string_lossy().into_owned(),
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfNWFilters(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        drv(&*cx.connect(conn)?).connect_num_of_nwfilters()
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListNWFilters(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        check_names(cx, names, maxnames)?;
        let list = drv(&c).connect_list_nwfilters(maxnames as usize)?;
        // SAFETY: checked above: `names` has room for `maxnames` pointers.
        Ok(unsafe { write_names_at_most(names, maxnames as usize, &list) })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllNWFilters(
    conn: virConnectPtr,
    filters: *mut *mut virNWFilterPtr,
    flags: c_uint,
) -> c_int {
    if !filters.is_null() {
        // SAFETY: a non-NULL `filters` points to a caller-owned pointer; libvirt clears it
        // before anything can fail.
        unsafe { *filters = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let list = drv(&c).connect_list_all_nwfilters(flags)?;
        let n = list.len();
        if !filters.is_null() {
            let handles = list
                .iter()
                .map(|f| handle::new_nwfilter(&c, &f.name, f.uuid))
                .collect();
            // SAFETY: checked non-NULL above.
            unsafe { give_array::<NWFilterObj, _>(filters, handles)? };
        }
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virNWFilterPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(name, "name")?;
        let name = {
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(name) }
        };
        Ok(give(&c, &drv(&c).nwfilter_lookup_by_name(&name)?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virNWFilterPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(uuid, "uuid")?;
        // SAFETY: checked non-NULL; a raw UUID is 16 bytes.
        let u = unsafe { read_uuid(uuid) };
        Ok(give(&c, &drv(&c).nwfilter_lookup_by_uuid(&u)?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virNWFilterPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(uuidstr, "uuidstr")?;
        let u = uuid::parse(&{
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(uuidstr) }
        })
        .ok_or_else(|| {
            VirError::invalid_arg(
                THIS,
                FUNC,
                "uuidstr",
                format!("uuidstr in {FUNC} must be a valid UUID"),
            )
        })?;
        Ok(give(&c, &drv(&c).nwfilter_lookup_by_uuid(&u)?))
    })
}

/// The shared body of virNWFilterDefineXML(Flags).
fn define(
    cx: &mut Cx,
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> Result<virNWFilterPtr> {
    let c = cx.connect(conn)?;
    cx.non_null(xml, "xmlDesc")?;
    cx.writable(&c)?;
    let xml = {
        // SAFETY: checked non-NULL; a C string valid for this call.
        unsafe { text(xml) }
    };
    Ok(give(&c, &drv(&c).nwfilter_define_xml(&xml, flags)?))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterDefineXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
) -> virNWFilterPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        define(cx, conn, xmlDesc, 0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterDefineXMLFlags(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virNWFilterPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        define(cx, conn, xmlDesc, flags)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterUndefine(nwfilter: virNWFilterPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let f = cx.nwfilter(nwfilter)?;
        cx.writable(&f.conn)?;
        drv(&f.conn).nwfilter_undefine(&fref(&f))?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterGetXMLDesc(
    nwfilter: virNWFilterPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let f = cx.nwfilter(nwfilter)?;
        Ok(mem::strdup(
            &drv(&f.conn).nwfilter_get_xml_desc(&fref(&f), flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterGetName(nwfilter: virNWFilterPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The name lives in the handle, which the caller keeps alive while using it.
        Ok(cx.nwfilter(nwfilter)?.name.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterGetUUID(nwfilter: virNWFilterPtr, uuid: *mut c_uchar) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let f = cx.nwfilter(nwfilter)?;
        cx.non_null(uuid, "uuid")?;
        // SAFETY: checked non-NULL; the caller provides VIR_UUID_BUFLEN (16) bytes.
        unsafe { write_uuid(uuid, &f.uuid) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterGetUUIDString(
    nwfilter: virNWFilterPtr,
    buf: *mut c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let f = cx.nwfilter(nwfilter)?;
        cx.non_null(buf, "buf")?;
        // SAFETY: checked non-NULL; the caller provides VIR_UUID_STRING_BUFLEN (37) bytes.
        unsafe { write_uuid_string(buf, &f.uuid) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterRef(nwfilter: virNWFilterPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let f = cx.nwfilter(nwfilter)?;
        handle::add_ref::<NWFilterObj>(Arc::as_ptr(&f) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterFree(nwfilter: virNWFilterPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let f = cx.nwfilter(nwfilter)?;
        handle::release_obj(&f);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllNWFilterBindings(
    conn: virConnectPtr,
    bindings: *mut *mut virNWFilterBindingPtr,
    flags: c_uint,
) -> c_int {
    if !bindings.is_null() {
        // SAFETY: a non-NULL `bindings` points to a caller-owned pointer; libvirt clears it
        // before anything can fail.
        unsafe { *bindings = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let list = drv(&c).connect_list_all_nwfilter_bindings(flags)?;
        let n = list.len();
        if !bindings.is_null() {
            let handles = list
                .iter()
                .map(|b| handle::new_nwfilter_binding(&c, &b.portdev, &b.filtername))
                .collect();
            // SAFETY: checked non-NULL above.
            unsafe { give_array::<NWFilterBindingObj, _>(bindings, handles)? };
        }
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingLookupByPortDev(
    conn: virConnectPtr,
    portdev: *const c_char,
) -> virNWFilterBindingPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(portdev, "portdev")?;
        let dev = {
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(portdev) }
        };
        Ok(give_binding(
            &c,
            &drv(&c).nwfilter_binding_lookup_by_port_dev(&dev)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingCreateXML(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virNWFilterBindingPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(xml, "xml")?;
        cx.writable(&c)?;
        let xml = {
            // SAFETY: checked non-NULL; a C string valid for this call.
            unsafe { text(xml) }
        };
        Ok(give_binding(
            &c,
            &drv(&c).nwfilter_binding_create_xml(&xml, flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingDelete(binding: virNWFilterBindingPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let b = cx.nwfilterbinding(binding)?;
        cx.writable(&b.conn)?;
        drv(&b.conn).nwfilter_binding_delete(&bref(&b))?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingGetXMLDesc(
    binding: virNWFilterBindingPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let b = cx.nwfilterbinding(binding)?;
        Ok(mem::strdup(
            &drv(&b.conn).nwfilter_binding_get_xml_desc(&bref(&b), flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingGetPortDev(
    binding: virNWFilterBindingPtr,
) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The string lives in the handle, which the caller keeps alive while using it.
        Ok(cx.nwfilterbinding(binding)?.portdev.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingGetFilterName(
    binding: virNWFilterBindingPtr,
) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        // The string lives in the handle, which the caller keeps alive while using it.
        Ok(cx.nwfilterbinding(binding)?.filtername.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingRef(binding: virNWFilterBindingPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let b = cx.nwfilterbinding(binding)?;
        handle::add_ref::<NWFilterBindingObj>(Arc::as_ptr(&b) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingFree(binding: virNWFilterBindingPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let b = cx.nwfilterbinding(binding)?;
        handle::release_obj(&b);
        Ok(0)
    })
}
