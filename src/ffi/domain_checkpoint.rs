//! C entry points: domain_checkpoint.
//!
//! Entry points of upstream `src/libvirt-domain-checkpoint.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
//! What checkpoints share with snapshots is written once, in [`super::runtime::moment`].
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use super::runtime::moment;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_DOMAIN_CHECKPOINT;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointCreateXML(
    domain: virDomainPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virDomainCheckpointPtr {
    moment::create_moment::<CheckpointObj, _>(
        FUNC,
        domain,
        xmlDesc,
        flags,
        create_flags,
        |d, xml| {
            d.conn
                .conn
                .hv()
                .checkpoint_create_xml(&d.dref(), xml, flags)
        },
    )
}

/// The flag checks of `virDomainCheckpointCreateXML`.
fn create_flags(flags: c_uint) -> Result<()> {
    require_flag(
        THIS,
        flags,
        (4, "VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE"),
        (1, "VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE"),
    )?;
    exclusive(
        THIS,
        flags,
        (2, "VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE"),
        (1, "VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE"),
    )
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointDelete(
    checkpoint: virDomainCheckpointPtr,
    flags: c_uint,
) -> c_int {
    moment::delete_moment::<CheckpointObj, _>(FUNC, checkpoint, flags, |hv, d, name, f| {
        hv.checkpoint_delete(d, name, f)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointFree(checkpoint: virDomainCheckpointPtr) -> c_int {
    moment::free_handle::<CheckpointObj, _>(FUNC, checkpoint)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointGetConnect(
    checkpoint: virDomainCheckpointPtr,
) -> virConnectPtr {
    moment::handle_connect::<CheckpointObj, _>(FUNC, checkpoint)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointGetDomain(
    checkpoint: virDomainCheckpointPtr,
) -> virDomainPtr {
    moment::handle_domain::<CheckpointObj, _>(FUNC, checkpoint)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointGetName(
    checkpoint: virDomainCheckpointPtr,
) -> *const c_char {
    moment::handle_name::<CheckpointObj, _>(FUNC, checkpoint)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointGetXMLDesc(
    checkpoint: virDomainCheckpointPtr,
    flags: c_uint,
) -> *mut c_char {
    moment::moment_xml::<CheckpointObj, _>(FUNC, checkpoint, flags, |hv, d, name, f| {
        hv.checkpoint_get_xml_desc(d, name, f)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointLookupByName(
    domain: virDomainPtr,
    name: *const c_char,
    flags: c_uint,
) -> virDomainCheckpointPtr {
    moment::lookup_moment::<CheckpointObj, _>(FUNC, domain, name, flags, |hv, d, name, f| {
        hv.checkpoint_lookup_by_name(d, name, f)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointRef(checkpoint: virDomainCheckpointPtr) -> c_int {
    moment::ref_handle::<CheckpointObj, _>(FUNC, checkpoint)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainListAllCheckpoints(
    domain: virDomainPtr,
    checkpoints: *mut *mut virDomainCheckpointPtr,
    flags: c_uint,
) -> c_int {
    moment::list_moments::<CheckpointObj, _>(FUNC, domain, checkpoints, flags, |hv, d, f| {
        hv.checkpoint_list_all(d, f)
    })
}

// ---- domain stats & misc (domstats): parent and children.

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointListAllChildren(
    checkpoint: virDomainCheckpointPtr,
    children: *mut *mut virDomainCheckpointPtr,
    flags: c_uint,
) -> c_int {
    moment::list_children::<CheckpointObj, _>(FUNC, checkpoint, children, flags, |hv, d, n, f| {
        hv.checkpoint_list_all_children(d, n, f)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointGetParent(
    checkpoint: virDomainCheckpointPtr,
    flags: c_uint,
) -> virDomainCheckpointPtr {
    moment::moment_parent::<CheckpointObj, _>(FUNC, checkpoint, flags, |hv, d, name, f| {
        hv.checkpoint_parent(d, name, f)
    })
}
