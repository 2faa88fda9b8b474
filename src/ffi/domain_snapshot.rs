//! C entry points: domain_snapshot.
//!
//! Entry points of upstream `src/libvirt-domain-snapshot.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use super::runtime::handle::{self, Object};
use super::runtime::mem::{self, arg_str};
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_DOMAIN_SNAPSHOT;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainHasCurrentSnapshot(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        let v = d.conn.conn.hv().has_current_snapshot(&d.dref(), flags)?;
        Ok(v as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainListAllSnapshots(
    domain: virDomainPtr,
    snaps: *mut *mut virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    if !snaps.is_null() {
        // SAFETY: a non-NULL `snaps` points to a caller-owned pointer, cleared before any check.
        unsafe { *snaps = std::ptr::null_mut() };
    }
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        let names = d.conn.conn.hv().snapshot_list_all(&d.dref(), flags)?;
        let n = names.len();
        if snaps.is_null() {
            return Ok(n as c_int);
        }
        let ptrs: Vec<usize> = names.iter().map(|s| handle::new_snap(&d, s)).collect();
        let arr = handle_array::<SnapObj>(ptrs)?;
        // SAFETY: checked non-NULL above; the caller receives the malloc'd array.
        unsafe { *snaps = arr as *mut virDomainSnapshotPtr };
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotCreateXML(
    domain: virDomainPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        cx.writable(&d.conn)?;
        const REDEFINE: c_uint = 1;
        const CURRENT: c_uint = 2;
        const NO_METADATA: c_uint = 4;
        const HALT: c_uint = 8;
        const LIVE: c_uint = 256;
        require_flag(
            THIS,
            flags,
            (CURRENT, "VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT"),
            (REDEFINE, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE"),
        )?;
        exclusive(
            THIS,
            flags,
            (REDEFINE, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE"),
            (NO_METADATA, "VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA"),
        )?;
        exclusive(
            THIS,
            flags,
            (REDEFINE, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE"),
            (HALT, "VIR_DOMAIN_SNAPSHOT_CREATE_HALT"),
        )?;
        exclusive(
            THIS,
            flags,
            (LIVE, "VIR_DOMAIN_SNAPSHOT_CREATE_LIVE"),
            (REDEFINE, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE"),
        )?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let xml = unsafe { arg_str(xmlDesc) }.unwrap_or_default();
        let name = d
            .conn
            .conn
            .hv()
            .snapshot_create_xml(&d.dref(), &xml, flags)?;
        if flags & HALT != 0 {
            // A halted domain is shut off; libvirt resets the calling handle's id.
            d.id.store(-1, Ordering::Relaxed);
        }
        Ok(handle::new_snap(&d, &name) as virDomainSnapshotPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotCurrent(
    domain: virDomainPtr,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        let name = d.conn.conn.hv().snapshot_current(&d.dref(), flags)?;
        Ok(handle::new_snap(&d, &name) as virDomainSnapshotPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotDelete(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.snapshot(snapshot)?;
        let d = &s.0.dom;
        cx.writable(&d.conn)?;
        exclusive(
            THIS,
            flags,
            (1, "VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN"),
            (4, "VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY"),
        )?;
        let name = s.0.name.to_string_lossy();
        d.conn.conn.hv().snapshot_delete(&d.dref(), &name, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotFree(snapshot: virDomainSnapshotPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.snapshot(snapshot)?;
        handle::release_obj(&s);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotGetConnect(
    snapshot: virDomainSnapshotPtr,
) -> virConnectPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let s = cx.snapshot(snapshot)?;
        Ok(Arc::as_ptr(&s.0.dom.conn) as virConnectPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotGetDomain(
    snapshot: virDomainSnapshotPtr,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let s = cx.snapshot(snapshot)?;
        Ok(Arc::as_ptr(&s.0.dom) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotGetName(snapshot: virDomainSnapshotPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        let s = cx.snapshot(snapshot)?;
        // The name lives as long as the handle, as libvirt's snapshot->name does.
        Ok(s.0.name.as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotGetParent(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let s = cx.snapshot(snapshot)?;
        let d = &s.0.dom;
        let name = s.0.name.to_string_lossy();
        let parent = d.conn.conn.hv().snapshot_parent(&d.dref(), &name, flags)?;
        Ok(handle::new_snap(d, &parent) as virDomainSnapshotPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotGetXMLDesc(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let s = cx.snapshot(snapshot)?;
        let d = &s.0.dom;
        if d.conn.conn.readonly
            && flags & virDomainSnapshotXMLFlags::VIR_DOMAIN_SNAPSHOT_XML_SECURE as c_uint != 0
        {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_OPERATION_DENIED,
                "virDomainSnapshotGetXMLDesc with secure flag",
            ));
        }
        let name = s.0.name.to_string_lossy();
        let xml = d
            .conn
            .conn
            .hv()
            .snapshot_get_xml_desc(&d.dref(), &name, flags)?;
        Ok(mem::strdup(&xml))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotIsCurrent(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.snapshot(snapshot)?;
        let d = &s.0.dom;
        let name = s.0.name.to_string_lossy();
        let v = d
            .conn
            .conn
            .hv()
            .snapshot_is_current(&d.dref(), &name, flags)?;
        Ok(v as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotListNames(
    domain: virDomainPtr,
    names: *mut *mut c_char,
    nameslen: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(names, "names")?;
        cx.non_negative(nameslen as i64, "nameslen")?;
        let list = d.conn.conn.hv().snapshot_list_all(&d.dref(), flags)?;
        let n = list.len().min(nameslen as usize);
        for (i, name) in list.iter().take(n).enumerate() {
            // SAFETY: `names` has room for `nameslen` pointers; each gets a malloc'd copy.
            unsafe { *names.add(i) = mem::strdup(name) };
        }
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotLookupByName(
    domain: virDomainPtr,
    name: *const c_char,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(name, "name")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let name = unsafe { arg_str(name) }.unwrap_or_default();
        let found = d
            .conn
            .conn
            .hv()
            .snapshot_lookup_by_name(&d.dref(), &name, flags)?;
        Ok(handle::new_snap(&d, &found) as virDomainSnapshotPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotNum(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        d.conn.conn.hv().snapshot_num(&d.dref(), flags)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotRef(snapshot: virDomainSnapshotPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let s = cx.snapshot(snapshot)?;
        handle::add_ref::<SnapObj>(Arc::as_ptr(&s) as usize);
        Ok(0)
    })
}

/// `VIR_EXCLUSIVE_FLAGS_GOTO`: two flags that may not be given together.
pub(super) fn exclusive(
    this: Domain,
    flags: c_uint,
    a: (c_uint, &str),
    b: (c_uint, &str),
) -> Result<()> {
    if flags & a.0 != 0 && flags & b.0 != 0 {
        return Err(VirError::invalid_arg(
            this,
            "",
            "flags",
            format!("Flags '{}' and '{}' are mutually exclusive", a.1, b.1),
        ));
    }
    Ok(())
}

/// `VIR_REQUIRE_FLAG_GOTO`: flag `a` needs flag `b`.
pub(super) fn require_flag(
    this: Domain,
    flags: c_uint,
    a: (c_uint, &str),
    b: (c_uint, &str),
) -> Result<()> {
    if flags & a.0 != 0 && flags & b.0 == 0 {
        return Err(VirError::invalid_arg(
            this,
            "",
            "flags",
            format!("Flag '{}' is required by flag '{}'", b.1, a.1),
        ));
    }
    Ok(())
}

/// A malloc'd, NULL-terminated array of new handles for the caller; on allocation failure the
/// handles are released again.
pub(super) fn handle_array<T: Object>(mut ptrs: Vec<usize>) -> Result<*mut usize> {
    let n = ptrs.len();
    ptrs.push(0);
    let arr = mem::malloc_array(&ptrs);
    if arr.is_null() {
        for p in &ptrs[..n] {
            handle::release::<T>(*p);
        }
        return Err(VirError::new(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_NO_MEMORY,
            None,
        ));
    }
    Ok(arr)
}
