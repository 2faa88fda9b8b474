//! C entry points: domain_checkpoint.
//!
//! Entry points of upstream `src/libvirt-domain-checkpoint.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::domain_snapshot::{exclusive, handle_array, require_flag};
use super::runtime::entry::*;
use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};
use std::sync::Arc;

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_DOMAIN_CHECKPOINT;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointCreateXML(
    domain: virDomainPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virDomainCheckpointPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        cx.writable(&d.conn)?;
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
        )?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let xml = unsafe { arg_str(xmlDesc) }.unwrap_or_default();
        let name = d
            .conn
            .conn
            .hv()
            .checkpoint_create_xml(&d.dref(), &xml, flags)?;
        Ok(handle::new_checkpoint(&d, &name) as virDomainCheckpointPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointDelete(
    checkpoint: virDomainCheckpointPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.checkpoint(checkpoint)?;
        let d = &c.0.dom;
        cx.writable(&d.conn)?;
        exclusive(
            THIS,
            flags,
            (1, "VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN"),
            (4, "VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY"),
        )?;
        let name = c.0.name.to_string_lossy();
        d.conn
            .conn
            .hv()
            .checkpoint_delete(&d.dref(), &name, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointFree(checkpoint: virDomainCheckpointPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.checkpoint(checkpoint)?;
        handle::release_obj(&c);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointGetConnect(
    checkpoint: virDomainCheckpointPtr,
) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.checkpoint(checkpoint)?;
        Ok(Arc::as_ptr(&c.0.dom.conn) as virConnectPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointGetDomain(
    checkpoint: virDomainCheckpointPtr,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.checkpoint(checkpoint)?;
        Ok(Arc::as_ptr(&c.0.dom) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointGetName(
    checkpoint: virDomainCheckpointPtr,
) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        let c = cx.checkpoint(checkpoint)?;
        Ok(c.0.name.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointGetXMLDesc(
    checkpoint: virDomainCheckpointPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.checkpoint(checkpoint)?;
        let d = &c.0.dom;
        if d.conn.conn.readonly
            && flags & virDomainCheckpointXMLFlags::VIR_DOMAIN_CHECKPOINT_XML_SECURE as c_uint != 0
        {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_OPERATION_DENIED,
                "virDomainCheckpointGetXMLDesc with secure flag",
            ));
        }
        let name = c.0.name.to_string_lossy();
        let xml = d
            .conn
            .conn
            .hv()
            .checkpoint_get_xml_desc(&d.dref(), &name, flags)?;
        Ok(mem::strdup(&xml))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointLookupByName(
    domain: virDomainPtr,
    name: *const c_char,
    flags: c_uint,
) -> virDomainCheckpointPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(name, "name")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let name = unsafe { arg_str(name) }.unwrap_or_default();
        let found = d
            .conn
            .conn
            .hv()
            .checkpoint_lookup_by_name(&d.dref(), &name, flags)?;
        Ok(handle::new_checkpoint(&d, &found) as virDomainCheckpointPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainCheckpointRef(checkpoint: virDomainCheckpointPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.checkpoint(checkpoint)?;
        handle::add_ref::<CheckpointObj>(Arc::as_ptr(&c) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainListAllCheckpoints(
    domain: virDomainPtr,
    checkpoints: *mut *mut virDomainCheckpointPtr,
    flags: c_uint,
) -> c_int {
    if !checkpoints.is_null() {
        // SAFETY: a non-NULL pointer to a caller-owned pointer, cleared before any check.
        unsafe { *checkpoints = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        let names = d.conn.conn.hv().checkpoint_list_all(&d.dref(), flags)?;
        let n = names.len();
        if checkpoints.is_null() {
            return Ok(n as c_int);
        }
        let ptrs: Vec<usize> = names
            .iter()
            .map(|s| handle::new_checkpoint(&d, s))
            .collect();
        let arr = handle_array::<CheckpointObj>(ptrs)?;
        // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
        unsafe { *checkpoints = arr as *mut virDomainCheckpointPtr };
        Ok(n as c_int)
    })
}
