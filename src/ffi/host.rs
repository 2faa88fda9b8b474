//! C entry points: host.
//!
//! Entry points of upstream `src/libvirt-host.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use crate::core::LIBVIR_VERSION_NUMBER;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};
use std::sync::Arc;

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_DOMAIN;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectBaselineCPU(
    conn: virConnectPtr,
    xmlCPUs: *mut *const c_char,
    ncpus: c_uint,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectBaselineHypervisorCPU(
    conn: virConnectPtr,
    emulator: *const c_char,
    arch: *const c_char,
    machine: *const c_char,
    virttype: *const c_char,
    xmlCPUs: *mut *const c_char,
    ncpus: c_uint,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectCompareCPU(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectCompareHypervisorCPU(
    conn: virConnectPtr,
    emulator: *const c_char,
    arch: *const c_char,
    machine: *const c_char,
    virttype: *const c_char,
    xmlCPU: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetCPUModelNames(
    conn: virConnectPtr,
    arch: *const c_char,
    models: *mut *mut *mut c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetCapabilities(conn: virConnectPtr) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        Ok(mem::strdup(&c.conn.driver.get_capabilities()?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetHostname(conn: virConnectPtr) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        Ok(mem::strdup(&c.conn.driver.get_hostname()?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetLibVersion(
    conn: virConnectPtr,
    libVer: *mut c_ulong,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(libVer, "libVer")?;
        let v = c
            .conn
            .driver
            .get_lib_version()?
            .unwrap_or(LIBVIR_VERSION_NUMBER);
        // SAFETY: checked non-NULL; points to a caller-owned unsigned long.
        unsafe { *libVer = v as c_ulong };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetMaxVcpus(
    conn: virConnectPtr,
    r#type: *const c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        // SAFETY: NULL or a C string valid for this call.
        let kind = unsafe { arg_str(r#type) };
        c.conn.driver.get_max_vcpus(kind.as_deref())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetSysinfo(conn: virConnectPtr, flags: c_uint) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetType(conn: virConnectPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        let c = cx.connect(conn)?;
        Ok(c.conn.driver.get_type().as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetURI(conn: virConnectPtr) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        Ok(mem::strdup(&c.conn.uri))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetVersion(conn: virConnectPtr, hvVer: *mut c_ulong) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(hvVer, "hvVer")?;
        let v = c.conn.driver.get_version()?;
        // SAFETY: checked non-NULL; points to a caller-owned unsigned long.
        unsafe { *hvVer = v as c_ulong };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectIsAlive(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        Ok(cx.connect(conn)?.conn.driver.is_alive()? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectIsEncrypted(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        Ok(cx.connect(conn)?.conn.driver.is_encrypted()? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectIsSecure(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        Ok(cx.connect(conn)?.conn.driver.is_secure()? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectRef(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        handle::add_ref::<ConnObj>(Arc::as_ptr(&c) as usize);
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectRegisterCloseCallback(
    conn: virConnectPtr,
    cb: virConnectCloseFunc,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        if cb.is_none() {
            return Err(VirError::null_arg(THIS, FUNC, "cb"));
        }
        super::runtime::conn_events::register_close(&c, cb, opaque as usize, freecb)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectSetIdentity(
    conn: virConnectPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectSetKeepAlive(
    conn: virConnectPtr,
    interval: c_int,
    count: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        c.conn.driver.set_keepalive(interval, count)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectUnregisterCloseCallback(
    conn: virConnectPtr,
    cb: virConnectCloseFunc,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        if cb.is_none() {
            return Err(VirError::null_arg(THIS, FUNC, "cb"));
        }
        super::runtime::conn_events::unregister_close(&c, cb)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeAllocPages(
    conn: virConnectPtr,
    npages: c_uint,
    pageSizes: *mut c_uint,
    pageCounts: *mut c_ulonglong,
    startCell: c_int,
    cellCount: c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetCPUMap(
    conn: virConnectPtr,
    cpumap: *mut *mut c_uchar,
    online: *mut c_uint,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetCPUStats(
    conn: virConnectPtr,
    cpuNum: c_int,
    params: virNodeCPUStatsPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetCellsFreeMemory(
    conn: virConnectPtr,
    freeMems: *mut c_ulonglong,
    startCell: c_int,
    maxCells: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetFreeMemory(conn: virConnectPtr) -> c_ulonglong {
    entry(FUNC, THIS, 0, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetFreePages(
    conn: virConnectPtr,
    npages: c_uint,
    pages: *mut c_uint,
    startCell: c_int,
    cellCount: c_uint,
    counts: *mut c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetInfo(conn: virConnectPtr, info: virNodeInfoPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(info, "info")?;
        let n = c.conn.driver.node_get_info()?;
        let mut model = [0 as c_char; 32];
        for (d, s) in model.iter_mut().zip(n.model.bytes().take(31)) {
            *d = s as c_char;
        }
        let out = virNodeInfo {
            model,
            memory: n.memory as c_ulong,
            cpus: n.cpus,
            mhz: n.mhz,
            nodes: n.nodes,
            sockets: n.sockets,
            cores: n.cores,
            threads: n.threads,
        };
        // SAFETY: checked non-NULL; the caller provides a virNodeInfo to fill.
        unsafe { std::ptr::write(info, out) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetMemoryParameters(
    conn: virConnectPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetMemoryStats(
    conn: virConnectPtr,
    cellNum: c_int,
    params: virNodeMemoryStatsPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetSEVInfo(
    conn: virConnectPtr,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetSecurityModel(
    conn: virConnectPtr,
    secmodel: virSecurityModelPtr,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeSetMemoryParameters(
    conn: virConnectPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeSuspendForDuration(
    conn: virConnectPtr,
    target: c_uint,
    duration: c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}
