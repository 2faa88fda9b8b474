//! C entry points: domain_snapshot.
//!
//! Entry points of upstream `src/libvirt-domain-snapshot.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
//! What snapshots share with checkpoints is written once, in [`super::runtime::moment`].
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use super::runtime::handle;
use super::runtime::mem;
use super::runtime::moment;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};
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
    moment::list_moments::<SnapObj, _>(FUNC, domain, snaps, flags, |hv, d, f| {
        hv.snapshot_list_all(d, f)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotCreateXML(
    domain: virDomainPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    moment::create_moment::<SnapObj, _>(FUNC, domain, xmlDesc, flags, create_flags, |d, xml| {
        let name = d
            .conn
            .conn
            .hv()
            .snapshot_create_xml(&d.dref(), xml, flags)?;
        if flags & CREATE_HALT != 0 {
            // A halted domain is shut off; libvirt resets the calling handle's id.
            d.id.store(-1, Ordering::Relaxed);
        }
        Ok(name)
    })
}

const CREATE_REDEFINE: c_uint = 1;
const CREATE_CURRENT: c_uint = 2;
const CREATE_NO_METADATA: c_uint = 4;
const CREATE_HALT: c_uint = 8;
const CREATE_LIVE: c_uint = 256;

/// The flag checks of `virDomainSnapshotCreateXML`.
fn create_flags(flags: c_uint) -> Result<()> {
    require_flag(
        THIS,
        flags,
        (CREATE_CURRENT, "VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT"),
        (CREATE_REDEFINE, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE"),
    )?;
    exclusive(
        THIS,
        flags,
        (CREATE_REDEFINE, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE"),
        (CREATE_NO_METADATA, "VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA"),
    )?;
    exclusive(
        THIS,
        flags,
        (CREATE_REDEFINE, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE"),
        (CREATE_HALT, "VIR_DOMAIN_SNAPSHOT_CREATE_HALT"),
    )?;
    exclusive(
        THIS,
        flags,
        (CREATE_LIVE, "VIR_DOMAIN_SNAPSHOT_CREATE_LIVE"),
        (CREATE_REDEFINE, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE"),
    )
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
    moment::delete_moment::<SnapObj, _>(FUNC, snapshot, flags, |hv, d, name, f| {
        hv.snapshot_delete(d, name, f)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotFree(snapshot: virDomainSnapshotPtr) -> c_int {
    moment::free_handle::<SnapObj, _>(FUNC, snapshot)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotGetConnect(
    snapshot: virDomainSnapshotPtr,
) -> virConnectPtr {
    moment::handle_connect::<SnapObj, _>(FUNC, snapshot)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotGetDomain(
    snapshot: virDomainSnapshotPtr,
) -> virDomainPtr {
    moment::handle_domain::<SnapObj, _>(FUNC, snapshot)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotGetName(snapshot: virDomainSnapshotPtr) -> *const c_char {
    moment::handle_name::<SnapObj, _>(FUNC, snapshot)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotGetParent(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    moment::moment_parent::<SnapObj, _>(FUNC, snapshot, flags, |hv, d, name, f| {
        hv.snapshot_parent(d, name, f)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotGetXMLDesc(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> *mut c_char {
    moment::moment_xml::<SnapObj, _>(FUNC, snapshot, flags, |hv, d, name, f| {
        hv.snapshot_get_xml_desc(d, name, f)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotIsCurrent(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    moment::query_moment::<SnapObj, _, _>(FUNC, snapshot, flags, -1, |hv, d, name, f| {
        Ok(hv.snapshot_is_current(d, name, f)? as c_int)
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
    moment::lookup_moment::<SnapObj, _>(FUNC, domain, name, flags, |hv, d, name, f| {
        hv.snapshot_lookup_by_name(d, name, f)
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
    moment::ref_handle::<SnapObj, _>(FUNC, snapshot)
}

// ---- domain stats & misc (domstats): children and metadata.

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotListAllChildren(
    snapshot: virDomainSnapshotPtr,
    snaps: *mut *mut virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    moment::list_children::<SnapObj, _>(FUNC, snapshot, snaps, flags, |hv, d, name, f| {
        hv.snapshot_list_all_children(d, name, f)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotListChildrenNames(
    snapshot: virDomainSnapshotPtr,
    names: *mut *mut c_char,
    nameslen: c_int,
    flags: c_uint,
) -> c_int {
    moment::with_moment::<SnapObj, _, _>(FUNC, snapshot, -1, |cx, d, name| {
        if names.is_null() && nameslen > 0 {
            cx.non_null(names, "names")?;
        }
        cx.non_negative(nameslen as i64, "nameslen")?;
        let list = d.conn.conn.hv().snapshot_list_children_names(
            &d.dref(),
            name,
            nameslen as usize,
            flags,
        )?;
        let n = list.len().min(nameslen as usize);
        for (i, s) in list.iter().take(n).enumerate() {
            // SAFETY: `names` has room for `nameslen` pointers; each gets a malloc'd copy.
            unsafe { *names.add(i) = mem::strdup(s) };
        }
        Ok(n as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotNumChildren(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    moment::query_moment::<SnapObj, _, _>(FUNC, snapshot, flags, -1, |hv, d, name, f| {
        hv.snapshot_num_children(d, name, f)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainSnapshotHasMetadata(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    moment::query_moment::<SnapObj, _, _>(FUNC, snapshot, flags, -1, |hv, d, name, f| {
        Ok(hv.snapshot_has_metadata(d, name, f)? as c_int)
    })
}

// ---- pinning/iothreads/misc (pin): reverting to a snapshot.
#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainRevertToSnapshot(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    moment::with_moment::<SnapObj, _, _>(FUNC, snapshot, -1, |cx, d, name| {
        cx.writable(&d.conn)?;
        exclusive(
            THIS,
            flags,
            (1, "VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING"),
            (2, "VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED"),
        )?;
        if let Some(id) = d.conn.conn.hv().snapshot_revert(&d.dref(), name, flags)? {
            d.id.store(id, Ordering::Relaxed);
        }
        Ok(0)
    })
}
// ---- end of pin scope
