//! C entry points: domain_checkpoint.
//!
//! Entry points of upstream `src/libvirt-domain-checkpoint.c`. Each is a literal `extern "C"` signature whose body
//! runs inside [`entry`](super::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_DOMAIN_CHECKPOINT;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointCreateXML(
    domain: virDomainPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virDomainCheckpointPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domain(domain)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointDelete(
    checkpoint: virDomainCheckpointPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domaincheckpoint(checkpoint)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointFree(checkpoint: virDomainCheckpointPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domaincheckpoint(checkpoint)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointGetConnect(
    checkpoint: virDomainCheckpointPtr,
) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domaincheckpoint(checkpoint)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointGetDomain(checkpoint: virDomainCheckpointPtr) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domaincheckpoint(checkpoint)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointGetName(checkpoint: virDomainCheckpointPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        cx.domaincheckpoint(checkpoint)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointGetParent(
    checkpoint: virDomainCheckpointPtr,
    flags: c_uint,
) -> virDomainCheckpointPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domaincheckpoint(checkpoint)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointGetXMLDesc(
    checkpoint: virDomainCheckpointPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domaincheckpoint(checkpoint)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointListAllChildren(
    checkpoint: virDomainCheckpointPtr,
    children: *mut *mut virDomainCheckpointPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domaincheckpoint(checkpoint)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointLookupByName(
    domain: virDomainPtr,
    name: *const c_char,
    flags: c_uint,
) -> virDomainCheckpointPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.domain(domain)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainCheckpointRef(checkpoint: virDomainCheckpointPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domaincheckpoint(checkpoint)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virDomainListAllCheckpoints(
    domain: virDomainPtr,
    checkpoints: *mut *mut virDomainCheckpointPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.domain(domain)?;
        Err(cx.unsupported())
    })
}
