//! C entry points: storage.
//!
//! Entry points of upstream `src/libvirt-storage.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_STORAGE;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectFindStoragePoolSources(
    conn: virConnectPtr,
    r#type: *const c_char,
    srcSpec: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetStoragePoolCapabilities(
    conn: virConnectPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListAllStoragePools(
    conn: virConnectPtr,
    pools: *mut *mut virStoragePoolPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectListDefinedStoragePools(
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
pub extern "C-unwind" fn virConnectListStoragePools(
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
pub extern "C-unwind" fn virConnectNumOfDefinedStoragePools(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectNumOfStoragePools(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectStoragePoolEventDeregisterAny(
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
pub extern "C-unwind" fn virConnectStoragePoolEventRegisterAny(
    conn: virConnectPtr,
    pool: virStoragePoolPtr,
    eventID: c_int,
    cb: virConnectStoragePoolEventGenericCallback,
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
pub extern "C-unwind" fn virStoragePoolBuild(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolCreate(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolCreateXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolDelete(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolDestroy(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolFree(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetAutostart(
    pool: virStoragePoolPtr,
    autostart: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetConnect(pool: virStoragePoolPtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetInfo(
    pool: virStoragePoolPtr,
    info: virStoragePoolInfoPtr,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetName(pool: virStoragePoolPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetUUID(
    pool: virStoragePoolPtr,
    uuid: *mut c_uchar,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetUUIDString(
    pool: virStoragePoolPtr,
    buf: *mut c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolGetXMLDesc(
    pool: virStoragePoolPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolIsActive(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolIsPersistent(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolListAllVolumes(
    pool: virStoragePoolPtr,
    vols: *mut *mut virStorageVolPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolListVolumes(
    pool: virStoragePoolPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolLookupByTargetPath(
    conn: virConnectPtr,
    path: *const c_char,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolLookupByVolume(vol: virStorageVolPtr) -> virStoragePoolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolNumOfVolumes(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolRef(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolRefresh(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolSetAutostart(
    pool: virStoragePoolPtr,
    autostart: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStoragePoolUndefine(pool: virStoragePoolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolCreateXML(
    pool: virStoragePoolPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virStorageVolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolCreateXMLFrom(
    pool: virStoragePoolPtr,
    xmlDesc: *const c_char,
    clonevol: virStorageVolPtr,
    flags: c_uint,
) -> virStorageVolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolDelete(vol: virStorageVolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolDownload(
    vol: virStorageVolPtr,
    stream: virStreamPtr,
    offset: c_ulonglong,
    length: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagevol(vol)?;
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolFree(vol: virStorageVolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetConnect(vol: virStorageVolPtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetInfo(
    vol: virStorageVolPtr,
    info: virStorageVolInfoPtr,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetInfoFlags(
    vol: virStorageVolPtr,
    info: virStorageVolInfoPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetKey(vol: virStorageVolPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetName(vol: virStorageVolPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetPath(vol: virStorageVolPtr) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolGetXMLDesc(
    vol: virStorageVolPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolLookupByKey(
    conn: virConnectPtr,
    key: *const c_char,
) -> virStorageVolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolLookupByName(
    pool: virStoragePoolPtr,
    name: *const c_char,
) -> virStorageVolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.storagepool(pool)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolLookupByPath(
    conn: virConnectPtr,
    path: *const c_char,
) -> virStorageVolPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolRef(vol: virStorageVolPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolResize(
    vol: virStorageVolPtr,
    capacity: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolUpload(
    vol: virStorageVolPtr,
    stream: virStreamPtr,
    offset: c_ulonglong,
    length: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagevol(vol)?;
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolWipe(vol: virStorageVolPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virStorageVolWipePattern(
    vol: virStorageVolPtr,
    algorithm: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.storagevol(vol)?;
        Err(cx.unsupported())
    })
}
