//! C entry points: nodedev.
//!
//! Entry points of upstream `src/libvirt-nodedev.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_NODEDEV;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllNodeDevices(
    conn: virConnectPtr,
    devices: *mut *mut virNodeDevicePtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNodeDeviceEventDeregisterAny(
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
pub extern "C-unwind" fn virConnectNodeDeviceEventRegisterAny(
    conn: virConnectPtr,
    dev: virNodeDevicePtr,
    eventID: c_int,
    cb: virConnectNodeDeviceEventGenericCallback,
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
pub extern "C-unwind" fn virNodeDeviceCreate(dev: virNodeDevicePtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceCreateXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virNodeDevicePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceDefineXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virNodeDevicePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceDestroy(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceDetachFlags(
    dev: virNodeDevicePtr,
    driverName: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceDettach(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceFree(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceGetAutostart(
    dev: virNodeDevicePtr,
    autostart: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceGetName(dev: virNodeDevicePtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceGetParent(dev: virNodeDevicePtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceGetXMLDesc(
    dev: virNodeDevicePtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceIsActive(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceIsPersistent(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceListCaps(
    dev: virNodeDevicePtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virNodeDevicePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceLookupSCSIHostByWWN(
    conn: virConnectPtr,
    wwnn: *const c_char,
    wwpn: *const c_char,
    flags: c_uint,
) -> virNodeDevicePtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceNumOfCaps(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceReAttach(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceRef(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceReset(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceSetAutostart(
    dev: virNodeDevicePtr,
    autostart: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeDeviceUndefine(dev: virNodeDevicePtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeListDevices(
    conn: virConnectPtr,
    cap: *const c_char,
    names: *mut *mut c_char,
    maxnames: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeNumOfDevices(
    conn: virConnectPtr,
    cap: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}
