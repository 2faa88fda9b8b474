//! C entry points: interface.
//!
//! Entry points of upstream `src/libvirt-interface.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_INTERFACE;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllInterfaces(
    conn: virConnectPtr,
    ifaces: *mut *mut virInterfacePtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
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
        cx.connect(conn)?;
        Err(cx.unsupported())
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
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfDefinedInterfaces(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfInterfaces(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceChangeBegin(conn: virConnectPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceChangeCommit(conn: virConnectPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceChangeRollback(conn: virConnectPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceCreate(iface: virInterfacePtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.interface(iface)?;
        Err(cx.unsupported())
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
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceDestroy(iface: virInterfacePtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.interface(iface)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceFree(iface: virInterfacePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.interface(iface)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceGetConnect(iface: virInterfacePtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.interface(iface)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceGetMACString(iface: virInterfacePtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.interface(iface)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceGetName(iface: virInterfacePtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.interface(iface)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceGetXMLDesc(
    iface: virInterfacePtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.interface(iface)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceIsActive(iface: virInterfacePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.interface(iface)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceLookupByMACString(
    conn: virConnectPtr,
    macstr: *const c_char,
) -> virInterfacePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virInterfacePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceRef(iface: virInterfacePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.interface(iface)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virInterfaceUndefine(iface: virInterfacePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.interface(iface)?;
        Err(cx.unsupported())
    })
}
