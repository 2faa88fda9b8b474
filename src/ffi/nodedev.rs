//! C entry points: nodedev.
//!
//! Entry points of upstream `src/libvirt-nodedev.c`. Each is a literal `extern "C"` signature whose body
//! runs inside [`entry`](super::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_NODEDEV;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virConnectListAllNodeDevices(
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
pub extern "C" fn virConnectNodeDeviceEventDeregisterAny(
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
pub extern "C" fn virConnectNodeDeviceEventRegisterAny(
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
pub extern "C" fn virNodeDeviceCreate(dev: virNodeDevicePtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceCreateXML(
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
pub extern "C" fn virNodeDeviceDefineXML(
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
pub extern "C" fn virNodeDeviceDestroy(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceDetachFlags(
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
pub extern "C" fn virNodeDeviceDettach(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceFree(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceGetAutostart(dev: virNodeDevicePtr, autostart: *mut c_int) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceGetName(dev: virNodeDevicePtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceGetParent(dev: virNodeDevicePtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceGetXMLDesc(dev: virNodeDevicePtr, flags: c_uint) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceIsActive(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceIsPersistent(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceListCaps(
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
pub extern "C" fn virNodeDeviceLookupByName(
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
pub extern "C" fn virNodeDeviceLookupSCSIHostByWWN(
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
pub extern "C" fn virNodeDeviceNumOfCaps(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceReAttach(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceRef(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceReset(dev: virNodeDevicePtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceSetAutostart(dev: virNodeDevicePtr, autostart: c_int) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeDeviceUndefine(dev: virNodeDevicePtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.nodedevice(dev)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virNodeListDevices(
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
pub extern "C" fn virNodeNumOfDevices(
    conn: virConnectPtr,
    cap: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}
