//! C entry points: secret.
//!
//! Entry points of upstream `src/libvirt-secret.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_SECRET;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllSecrets(
    conn: virConnectPtr,
    secrets: *mut *mut virSecretPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListSecrets(
    conn: virConnectPtr,
    uuids: *mut *mut c_char,
    maxuuids: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfSecrets(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectSecretEventDeregisterAny(
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
pub extern "C-unwind" fn virConnectSecretEventRegisterAny(
    conn: virConnectPtr,
    secret: virSecretPtr,
    eventID: c_int,
    cb: virConnectSecretEventGenericCallback,
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
pub extern "C-unwind" fn virSecretDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virSecretPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretFree(secret: virSecretPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetConnect(secret: virSecretPtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetUUID(secret: virSecretPtr, uuid: *mut c_uchar) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetUUIDString(secret: virSecretPtr, buf: *mut c_char) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetUsageID(secret: virSecretPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetUsageType(secret: virSecretPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetValue(
    secret: virSecretPtr,
    value_size: *mut usize,
    flags: c_uint,
) -> *mut c_uchar {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretGetXMLDesc(secret: virSecretPtr, flags: c_uint) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virSecretPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virSecretPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretLookupByUsage(
    conn: virConnectPtr,
    usageType: c_int,
    usageID: *const c_char,
) -> virSecretPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretRef(secret: virSecretPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretSetValue(
    secret: virSecretPtr,
    value: *const c_uchar,
    value_size: usize,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSecretUndefine(secret: virSecretPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.secret(secret)?;
        Err(cx.unsupported())
    })
}
