//! C entry points: network.
//!
//! Entry points of upstream `src/libvirt-network.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_NETWORK;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllNetworks(
    conn: virConnectPtr,
    nets: *mut *mut virNetworkPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListDefinedNetworks(
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
pub extern "C-unwind" fn virConnectListNetworks(
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
pub extern "C-unwind" fn virConnectNetworkEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNetworkEventRegisterAny(
    conn: virConnectPtr,
    net: virNetworkPtr,
    eventID: c_int,
    cb: virConnectNetworkEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfDefinedNetworks(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfNetworks(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkCreate(network: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkCreateXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkCreateXMLFlags(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkDHCPLeaseFree(lease: virNetworkDHCPLeasePtr) {
    entry(FUNC, THIS, (), |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkDefineXMLFlags(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkDestroy(network: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkFree(network: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetAutostart(
    network: virNetworkPtr,
    autostart: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetBridgeName(network: virNetworkPtr) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetConnect(net: virNetworkPtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.network(net)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetDHCPLeases(
    network: virNetworkPtr,
    mac: *const c_char,
    leases: *mut *mut virNetworkDHCPLeasePtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetName(network: virNetworkPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetUUID(network: virNetworkPtr, uuid: *mut c_uchar) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetUUIDString(
    network: virNetworkPtr,
    buf: *mut c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkGetXMLDesc(
    network: virNetworkPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkIsActive(net: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(net)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkIsPersistent(net: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(net)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkListAllPorts(
    network: virNetworkPtr,
    ports: *mut *mut virNetworkPortPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortCreateXML(
    net: virNetworkPtr,
    xmldesc: *const c_char,
    flags: c_uint,
) -> virNetworkPortPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.network(net)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortDelete(port: virNetworkPortPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.networkport(port)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortFree(port: virNetworkPortPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.networkport(port)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortGetNetwork(port: virNetworkPortPtr) -> virNetworkPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.networkport(port)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortGetParameters(
    port: virNetworkPortPtr,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.networkport(port)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortGetUUID(
    port: virNetworkPortPtr,
    uuid: *mut c_uchar,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.networkport(port)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortGetUUIDString(
    port: virNetworkPortPtr,
    buf: *mut c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.networkport(port)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortGetXMLDesc(
    port: virNetworkPortPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.networkport(port)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortLookupByUUID(
    net: virNetworkPtr,
    uuid: *const c_uchar,
) -> virNetworkPortPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.network(net)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortLookupByUUIDString(
    net: virNetworkPtr,
    uuidstr: *const c_char,
) -> virNetworkPortPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.network(net)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortRef(port: virNetworkPortPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.networkport(port)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkPortSetParameters(
    port: virNetworkPortPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.networkport(port)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkRef(network: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkSetAutostart(network: virNetworkPtr, autostart: c_int) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkUndefine(network: virNetworkPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNetworkUpdate(
    network: virNetworkPtr,
    command: c_uint,
    section: c_uint,
    parentIndex: c_int,
    xml: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.network(network)?;
        Err(cx.unsupported())
    })
}
