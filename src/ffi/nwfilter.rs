//! C entry points: nwfilter.
//!
//! Entry points of upstream `src/libvirt-nwfilter.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_NWFILTER;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllNWFilterBindings(
    conn: virConnectPtr,
    bindings: *mut *mut virNWFilterBindingPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllNWFilters(
    conn: virConnectPtr,
    filters: *mut *mut virNWFilterPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
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
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfNWFilters(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
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
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingDelete(binding: virNWFilterBindingPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nwfilterbinding(binding)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingFree(binding: virNWFilterBindingPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nwfilterbinding(binding)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingGetFilterName(
    binding: virNWFilterBindingPtr,
) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.nwfilterbinding(binding)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingGetPortDev(
    binding: virNWFilterBindingPtr,
) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.nwfilterbinding(binding)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingGetXMLDesc(
    binding: virNWFilterBindingPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.nwfilterbinding(binding)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingLookupByPortDev(
    conn: virConnectPtr,
    portdev: *const c_char,
) -> virNWFilterBindingPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterBindingRef(binding: virNWFilterBindingPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nwfilterbinding(binding)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterDefineXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
) -> virNWFilterPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
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
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterFree(nwfilter: virNWFilterPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nwfilter(nwfilter)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterGetName(nwfilter: virNWFilterPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.nwfilter(nwfilter)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterGetUUID(nwfilter: virNWFilterPtr, uuid: *mut c_uchar) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nwfilter(nwfilter)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterGetUUIDString(
    nwfilter: virNWFilterPtr,
    buf: *mut c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nwfilter(nwfilter)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterGetXMLDesc(
    nwfilter: virNWFilterPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.nwfilter(nwfilter)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virNWFilterPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virNWFilterPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virNWFilterPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterRef(nwfilter: virNWFilterPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nwfilter(nwfilter)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNWFilterUndefine(nwfilter: virNWFilterPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nwfilter(nwfilter)?;
        Err(cx.unsupported())
    })
}
