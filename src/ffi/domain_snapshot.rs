//! C entry points: domain_snapshot.
//!
//! Entry points of upstream `src/libvirt-domain-snapshot.c`. Each is a literal `extern "C"` signature whose body
//! runs inside [`entry`](super::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_DOMAIN_SNAPSHOT;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainHasCurrentSnapshot(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domain(domain)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainListAllSnapshots(
    domain: virDomainPtr,
    snaps: *mut *mut virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domain(domain)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainRevertToSnapshot(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotCreateXML(
    domain: virDomainPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domain(domain)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotCurrent(
    domain: virDomainPtr,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domain(domain)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotDelete(snapshot: virDomainSnapshotPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotFree(snapshot: virDomainSnapshotPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotGetConnect(snapshot: virDomainSnapshotPtr) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotGetDomain(snapshot: virDomainSnapshotPtr) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotGetName(snapshot: virDomainSnapshotPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotGetParent(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotGetXMLDesc(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotHasMetadata(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotIsCurrent(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotListAllChildren(
    snapshot: virDomainSnapshotPtr,
    snaps: *mut *mut virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotListChildrenNames(
    snapshot: virDomainSnapshotPtr,
    names: *mut *mut c_char,
    nameslen: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotListNames(
    domain: virDomainPtr,
    names: *mut *mut c_char,
    nameslen: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domain(domain)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotLookupByName(
    domain: virDomainPtr,
    name: *const c_char,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domain(domain)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotNum(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domain(domain)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotNumChildren(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainSnapshotRef(snapshot: virDomainSnapshotPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domainsnapshot(snapshot)?;
        Err(cx.unsupported())
    })
}
