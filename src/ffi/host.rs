//! C entry points: host.
//!
//! Entry points of upstream `src/libvirt-host.c`. Each is a literal `extern "C-unwind"` signature whose body
//! runs inside [`entry`](super::runtime::entry::entry); the entry points of this file not written
//! yet are generated stubs (`src/generated/ffi_stubs.rs`) that answer `VIR_ERR_NO_SUPPORT`.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use crate::core::LIBVIR_VERSION_NUMBER;
use crate::core::driver::HypervisorTarget;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};
use std::sync::Arc;

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_DOMAIN;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetCapabilities(conn: virConnectPtr) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        Ok(mem::strdup(&c.conn.hv().get_capabilities()?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetHostname(conn: virConnectPtr) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        Ok(mem::strdup(&c.conn.hv().get_hostname()?))
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
            .hv()
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
        c.conn.hv().get_max_vcpus(kind.as_deref())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetType(conn: virConnectPtr) -> *const c_char {
    entry(FUNC, THIS, std::ptr::null(), |cx| {
        let c = cx.connect(conn)?;
        Ok(c.conn.hv().get_type().as_ptr())
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
        let v = c.conn.hv().get_version()?;
        // SAFETY: checked non-NULL; points to a caller-owned unsigned long.
        unsafe { *hvVer = v as c_ulong };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectIsAlive(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        Ok(cx.connect(conn)?.conn.hv().is_alive()? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectIsEncrypted(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        Ok(cx.connect(conn)?.conn.hv().is_encrypted()? as c_int)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectIsSecure(conn: virConnectPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        Ok(cx.connect(conn)?.conn.hv().is_secure()? as c_int)
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
pub extern "C-unwind" fn virConnectSetKeepAlive(
    conn: virConnectPtr,
    interval: c_int,
    count: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        c.conn.hv().set_keepalive(interval, count)
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
pub extern "C-unwind" fn virNodeGetInfo(conn: virConnectPtr, info: virNodeInfoPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(info, "info")?;
        let n = c.conn.hv().node_get_info()?;
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

const ALL_CPUS: c_int = virNodeGetCPUStatsAllCPUs::VIR_NODE_CPU_STATS_ALL_CPUS as c_int;

/// `virCheckPositiveArgGoto`.
fn positive(v: i64, func: &str, name: &str) -> Result<()> {
    if v <= 0 {
        return Err(VirError::invalid_arg(
            THIS,
            func,
            name,
            format!("{name} in {func} must be greater than zero"),
        ));
    }
    Ok(())
}

/// `virCheckNonZeroArgGoto`.
fn non_zero(v: u64, func: &str, name: &str) -> Result<()> {
    if v == 0 {
        return Err(VirError::invalid_arg(
            THIS,
            func,
            name,
            format!("{name} in {func} must not be zero"),
        ));
    }
    Ok(())
}

/// Copy `s` into a fixed C buffer, NUL-terminated; `Err` if it does not fit (`virStrcpy`).
fn copy_fixed(dst: &mut [c_char], s: &str) -> std::result::Result<(), ()> {
    let b = s.as_bytes();
    if b.len() >= dst.len() {
        return Err(());
    }
    for (d, s) in dst.iter_mut().zip(b) {
        *d = *s as c_char;
    }
    dst[b.len()] = 0;
    Ok(())
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetSysinfo(conn: virConnectPtr, flags: c_uint) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        Ok(mem::strdup(&c.conn.hv().connect_get_sysinfo(flags)?))
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
        let c = cx.connect(conn)?;
        let m = c.conn.hv().node_get_cpu_map(flags)?;
        if !cpumap.is_null() {
            let p = mem::malloc_array(&m.map);
            if p.is_null() {
                return Err(VirError::internal(THIS, "out of memory"));
            }
            // SAFETY: checked non-NULL; the caller provides where to store the map pointer.
            unsafe { *cpumap = p };
        }
        if !online.is_null() {
            // SAFETY: checked non-NULL; points to a caller-owned unsigned int.
            unsafe { *online = m.online };
        }
        Ok(m.cpus)
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
        let c = cx.connect(conn)?;
        cx.non_null(nparams, "nparams")?;
        // SAFETY: checked non-NULL; points to the caller's int.
        let room = unsafe { *nparams };
        cx.non_negative(room.into(), "*nparams")?;
        if cpuNum < 0 && cpuNum != ALL_CPUS {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "cpuNum",
                format!(
                    "cpuNum in {FUNC} only accepts {} as a negative value",
                    ALL_CPUS
                ),
            ));
        }
        let stats = c.conn.hv().node_get_cpu_stats(cpuNum, flags)?;
        if params.is_null() {
            // SAFETY: as above.
            unsafe { *nparams = stats.len() as c_int };
            return Ok(0);
        }
        // SAFETY: the caller provides `*nparams` virNodeCPUStats at `params`.
        let n = unsafe {
            fill_stats(&stats, params, room as usize, |field, value| {
                virNodeCPUStats { field, value }
            })
        }?;
        // SAFETY: as above.
        unsafe { *nparams = n as c_int };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetFreeMemory(conn: virConnectPtr) -> c_ulonglong {
    entry(FUNC, THIS, 0, |cx| {
        let c = cx.connect(conn)?;
        match c.conn.hv().node_get_free_memory()? {
            // libvirt takes 0 for a failure, even one nobody reported.
            0 => Err(VirError::generic()),
            v => Ok(v as c_ulonglong),
        }
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
        let c = cx.connect(conn)?;
        if maxCells > 0 {
            cx.non_null(freeMems, "freeMems")?;
        }
        positive(maxCells.into(), FUNC, "maxCells")?;
        cx.non_negative(startCell.into(), "startCell")?;
        let v = c
            .conn
            .hv()
            .node_get_cells_free_memory(startCell, maxCells)?;
        let v = &v[..v.len().min(maxCells as usize)];
        for (i, m) in v.iter().enumerate() {
            // SAFETY: the caller provides `maxCells` (> i) unsigned long longs at `freeMems`.
            unsafe { *freeMems.add(i) = *m as c_ulonglong };
        }
        Ok(v.len() as c_int)
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
        let c = cx.connect(conn)?;
        non_zero(npages.into(), FUNC, "npages")?;
        cx.non_null(pages, "pages")?;
        non_zero(cellCount.into(), FUNC, "cellCount")?;
        cx.non_null(counts, "counts")?;
        let n = (npages as usize)
            .checked_mul(cellCount as usize)
            .ok_or_else(|| VirError::internal(THIS, "too many counts"))?;
        // SAFETY: checked non-NULL; the caller provides `npages` page sizes at `pages` and
        // room for `npages * cellCount` counts at `counts`, as the API requires.
        let (pages, counts) = unsafe {
            (
                std::slice::from_raw_parts(pages as *const u32, npages as usize),
                std::slice::from_raw_parts_mut(counts, n),
            )
        };
        c.conn
            .hv()
            .node_get_free_pages(pages, startCell, cellCount, counts, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virNodeGetSecurityModel(
    conn: virConnectPtr,
    secmodel: virSecurityModelPtr,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(secmodel, "secmodel")?;
        let m = c.conn.hv().node_get_security_model()?;
        let zeroed = || virSecurityModel {
            model: [0; VIR_SECURITY_MODEL_BUFLEN],
            doi: [0; VIR_SECURITY_DOI_BUFLEN],
        };
        // SAFETY: checked non-NULL; the caller provides a virSecurityModel to fill. libvirt
        // clears it before anything can fail.
        unsafe { std::ptr::write(secmodel, zeroed()) };
        let mut out = zeroed();
        if copy_fixed(&mut out.model, &m.model).is_err() {
            return Err(VirError::internal(
                THIS,
                format!(
                    "security model string exceeds max {} bytes",
                    VIR_SECURITY_MODEL_BUFLEN - 1
                ),
            ));
        }
        if copy_fixed(&mut out.doi, &m.doi).is_err() {
            return Err(VirError::internal(
                THIS,
                format!(
                    "security DOI string exceeds max {} bytes",
                    VIR_SECURITY_DOI_BUFLEN - 1
                ),
            ));
        }
        // SAFETY: as above.
        unsafe { std::ptr::write(secmodel, out) };
        Ok(0)
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
        if !models.is_null() {
            // SAFETY: non-NULL; the caller provides where to store the list pointer.
            unsafe { *models = std::ptr::null_mut() };
        }
        let c = cx.connect(conn)?;
        cx.non_null(arch, "arch")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let arch = unsafe { arg_str(arch) }.unwrap_or_default();
        let Some(names) = c.conn.hv().connect_get_cpu_model_names(&arch, flags)? else {
            return Ok(0);
        };
        if !models.is_null() {
            let mut ptrs: Vec<*mut c_char> = names.iter().map(|n| mem::strdup(n)).collect();
            if ptrs.iter().any(|p| p.is_null()) {
                ptrs.into_iter().for_each(mem::free);
                return Err(VirError::internal(THIS, "out of memory"));
            }
            ptrs.push(std::ptr::null_mut());
            let list = mem::malloc_array(&ptrs);
            if list.is_null() {
                ptrs.into_iter().for_each(mem::free);
                return Err(VirError::internal(THIS, "out of memory"));
            }
            // SAFETY: non-NULL (checked above); the caller frees the list and its strings.
            unsafe { *models = list };
        }
        Ok(names.len() as c_int)
    })
}

/// The stats rows a driver answered, into the caller's `room` entries of `T` (a
/// `virNode{CPU,Memory}Stats`: an 80-byte field name and a value), as libvirt's drivers fill
/// them; returns how many were written.
///
/// # Safety
/// `params` points to at least `room` writable `T`.
unsafe fn fill_stats<T>(
    rows: &[(String, u64)],
    params: *mut T,
    room: usize,
    make: impl Fn([c_char; VIR_NODE_CPU_STATS_FIELD_LENGTH], u64) -> T,
) -> Result<usize> {
    let n = rows.len().min(room);
    for (i, (name, value)) in rows.iter().take(n).enumerate() {
        let mut field = [0; VIR_NODE_CPU_STATS_FIELD_LENGTH];
        if copy_fixed(&mut field, name).is_err() {
            return Err(VirError::internal(
                THIS,
                format!("Field {name} too long for destination"),
            ));
        }
        // SAFETY: guaranteed by the caller (i < n <= room).
        unsafe { std::ptr::write(params.add(i), make(field, *value)) };
    }
    Ok(n)
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
        let c = cx.connect(conn)?;
        cx.non_null(nparams, "nparams")?;
        // SAFETY: checked non-NULL; points to the caller's int.
        let room = unsafe { *nparams };
        cx.non_negative(room.into(), "*nparams")?;
        const ALL: c_int = virNodeGetMemoryStatsAllCells::VIR_NODE_MEMORY_STATS_ALL_CELLS as c_int;
        if cellNum < 0 && cellNum != ALL {
            // libvirt names the argument cpuNum here.
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "cpuNum",
                format!("cellNum in {FUNC} only accepts {ALL} as a negative value"),
            ));
        }
        let (n, rows) = c.conn.hv().node_get_memory_stats(cellNum, room, flags)?;
        if !params.is_null() && room > 0 {
            // SAFETY: the caller provides `*nparams` virNodeMemoryStats at `params`.
            unsafe {
                fill_stats(&rows, params, room as usize, |field, value| {
                    virNodeMemoryStats { field, value }
                })
            }?;
        }
        // SAFETY: as above.
        unsafe { *nparams = n };
        Ok(0)
    })
}

/// The `emulator`, `arch`, `machine` and `virttype` arguments.
///
/// # Safety
/// Each pointer is NULL or a C string valid for this call.
unsafe fn target(
    emulator: *const c_char,
    arch: *const c_char,
    machine: *const c_char,
    virttype: *const c_char,
) -> HypervisorTarget {
    // SAFETY: guaranteed by the caller.
    let s = |p| unsafe { arg_str(p) }.map(|s| s.into_owned());
    HypervisorTarget {
        emulator: s(emulator),
        arch: s(arch),
        machine: s(machine),
        virttype: s(virttype),
    }
}

/// The `ncpus` CPU definitions at `xmlCPUs` (non-NULL), each possibly NULL.
///
/// # Safety
/// `xmlCPUs` points to `ncpus` pointers, each NULL or a C string valid for this call.
unsafe fn cpu_list(xmlCPUs: *mut *const c_char, ncpus: c_uint) -> Vec<Option<String>> {
    // SAFETY: guaranteed by the caller.
    let ptrs =
        unsafe { std::slice::from_raw_parts(xmlCPUs as *const *const c_char, ncpus as usize) };
    ptrs.iter()
        // SAFETY: guaranteed by the caller.
        .map(|p| unsafe { arg_str(*p) }.map(|s| s.into_owned()))
        .collect()
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectCompareCPU(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(xmlDesc, "xmlDesc")?;
        // SAFETY: checked non-NULL; a C string valid for this call.
        let xml = unsafe { arg_str(xmlDesc) }.unwrap_or_default();
        c.conn.hv().connect_compare_cpu(&xml, flags)
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
        let c = cx.connect(conn)?;
        cx.non_null(xmlCPU, "xmlCPU")?;
        cx.writable(&c)?;
        // SAFETY: each is NULL or a C string valid for this call.
        let t = unsafe { target(emulator, arch, machine, virttype) };
        // SAFETY: checked non-NULL; a C string valid for this call.
        let xml = unsafe { arg_str(xmlCPU) }.unwrap_or_default();
        c.conn.hv().connect_compare_hypervisor_cpu(&t, &xml, flags)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectBaselineCPU(
    conn: virConnectPtr,
    xmlCPUs: *mut *const c_char,
    ncpus: c_uint,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.non_null(xmlCPUs, "xmlCPUs")?;
        // SAFETY: checked non-NULL; the caller passes `ncpus` entries.
        let cpus = unsafe { cpu_list(xmlCPUs, ncpus) };
        Ok(mem::strdup(
            &c.conn.hv().connect_baseline_cpu(&cpus, flags)?,
        ))
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
        let c = cx.connect(conn)?;
        cx.non_null(xmlCPUs, "xmlCPUs")?;
        cx.writable(&c)?;
        // SAFETY: each is NULL or a C string valid for this call.
        let t = unsafe { target(emulator, arch, machine, virttype) };
        // SAFETY: checked non-NULL; the caller passes `ncpus` entries.
        let cpus = unsafe { cpu_list(xmlCPUs, ncpus) };
        Ok(mem::strdup(
            &c.conn
                .hv()
                .connect_baseline_hypervisor_cpu(&t, &cpus, flags)?,
        ))
    })
}

// ---- host/misc (hostmisc)

/// The caller's typed parameters as libvirt's serializer sees them.
///
/// # Safety
/// `params` is NULL or points to `nparams` parameters whose strings are valid for the call.
unsafe fn identity_params(
    params: *const virTypedParameter,
    nparams: c_int,
) -> crate::core::driver::IdentityParams {
    use crate::core::driver::{TypedParam, TypedValue};
    let mut out = crate::core::driver::IdentityParams {
        nparams,
        ..Default::default()
    };
    if params.is_null() || nparams <= 0 {
        return out;
    }
    // SAFETY: guaranteed by the caller.
    let list = unsafe { std::slice::from_raw_parts(params, nparams as usize) };
    for p in list {
        let end = p
            .field
            .iter()
            .position(|c| *c == 0)
            .unwrap_or(p.field.len());
        let field: Vec<u8> = p.field[..end].iter().map(|c| *c as u8).collect();
        let field = String::from_utf8_lossy(&field).into_owned();
        // SAFETY: the union member read is the one `type` names.
        let value = unsafe {
            match p.r#type {
                0 => continue,
                1 => TypedValue::Int(p.value.i),
                2 => TypedValue::UInt(p.value.ui),
                3 => TypedValue::LLong(p.value.l),
                4 => TypedValue::ULLong(p.value.ul),
                5 => TypedValue::Double(p.value.d),
                6 => TypedValue::Boolean(p.value.b != 0),
                7 => TypedValue::String(
                    arg_str(p.value.s)
                        .map(|s| s.into_owned())
                        .unwrap_or_default(),
                ),
                t => {
                    out.unknown_type.get_or_insert(t);
                    continue;
                }
            }
        };
        out.params.push(TypedParam::new(field, value));
    }
    out
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
        let c = cx.connect(conn)?;
        // SAFETY: the caller passes `nparams` parameters at `params`.
        let p = unsafe { identity_params(params, nparams) };
        c.conn.hv().connect_set_identity(&p, flags)?;
        Ok(0)
    })
}
// ---- end of host/misc (hostmisc)

// ---- host calls (host-remote): node memory, power and native formats.

/// `VIR_TYPED_PARAM_STRING_OKAY`: every driver of oxvirt takes string parameters
/// (`VIR_DRV_FEATURE_TYPED_PARAM_STRING`), so the public layer always adds it.
const PARAMS_STRING_OKAY: c_uint = 1 << 2;

/// An optional C string argument, owned.
///
/// # Safety
/// `p` is NULL or a C string valid for this call.
unsafe fn opt_text(p: *const c_char) -> Option<String> {
    // SAFETY: as the caller promises.
    unsafe { arg_str(p) }.map(|s| s.into_owned())
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
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        non_zero(npages.into(), FUNC, "npages")?;
        cx.non_null(pageSizes, "pageSizes")?;
        cx.non_null(pageCounts, "pageCounts")?;
        non_zero(cellCount.into(), FUNC, "cellCount")?;
        let n = npages as usize;
        // SAFETY: checked non-NULL; the caller provides `npages` entries in each array.
        let (sizes, counts) = unsafe {
            (
                std::slice::from_raw_parts(pageSizes, n),
                std::slice::from_raw_parts(pageCounts, n),
            )
        };
        c.conn
            .hv()
            .node_alloc_pages(sizes, counts, startCell, cellCount, flags)
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
        let c = cx.connect(conn)?;
        let room = super::runtime::typed_out::params_count_in(cx, params, nparams)?;
        let got = c
            .conn
            .hv()
            .node_get_memory_parameters(room, flags | PARAMS_STRING_OKAY)?;
        super::runtime::typed_out::params_count_out(params, nparams, room, got)
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
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(params, "params")?;
        cx.non_negative(nparams.into(), "nparams")?;
        // SAFETY: checked non-NULL; the caller's array holds `nparams` parameters.
        // virTypedParameterValidateSet reports from libvirt.c, whose error domain is none.
        let list = unsafe {
            super::runtime::typed_in::read_params(Domain::VIR_FROM_NONE, FUNC, params, nparams)
        }?;
        c.conn.hv().node_set_memory_parameters(&list, flags)?;
        Ok(0)
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
        let c = cx.connect(conn)?;
        cx.non_null(nparams, "nparams")?;
        // SAFETY: checked non-NULL; the caller's int.
        cx.non_negative(unsafe { *nparams }.into(), "*nparams")?;
        cx.writable(&c)?;
        let list = c.conn.hv().node_get_sev_info(flags | PARAMS_STRING_OKAY)?;
        // libvirt does not check `params` and writes through it; NULL is refused here
        // rather than written to.
        cx.non_null(params, "params")?;
        let arr = super::runtime::typed_out::malloc_params(&list)?;
        // SAFETY: both checked non-NULL above; the caller's out-parameters.
        unsafe {
            *params = arr;
            *nparams = list.len() as c_int;
        }
        Ok(0)
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
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        c.conn
            .hv()
            .node_suspend_for_duration(target, duration, flags)?;
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectGetDomainCapabilities(
    conn: virConnectPtr,
    emulatorbin: *const c_char,
    arch: *const c_char,
    machine: *const c_char,
    virttype: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        // SAFETY: each is NULL or a C string valid for this call.
        let t = unsafe { target(emulatorbin, arch, machine, virttype) };
        Ok(mem::strdup(
            &c.conn.hv().connect_get_domain_capabilities(&t, flags)?,
        ))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectDomainXMLFromNative(
    conn: virConnectPtr,
    nativeFormat: *const c_char,
    nativeConfig: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(nativeFormat, "nativeFormat")?;
        cx.non_null(nativeConfig, "nativeConfig")?;
        // SAFETY: both checked non-NULL; C strings valid for this call.
        let (format, config) = unsafe { (opt_text(nativeFormat), opt_text(nativeConfig)) };
        Ok(mem::strdup(&c.conn.hv().connect_domain_xml_from_native(
            &format.unwrap_or_default(),
            &config.unwrap_or_default(),
            flags,
        )?))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectDomainXMLToNative(
    conn: virConnectPtr,
    nativeFormat: *const c_char,
    domainXml: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        cx.writable(&c)?;
        cx.non_null(nativeFormat, "nativeFormat")?;
        cx.non_null(domainXml, "domainXml")?;
        // SAFETY: both checked non-NULL; C strings valid for this call.
        let (format, xml) = unsafe { (opt_text(nativeFormat), opt_text(domainXml)) };
        Ok(mem::strdup(&c.conn.hv().connect_domain_xml_to_native(
            &format.unwrap_or_default(),
            &xml.unwrap_or_default(),
            flags,
        )?))
    })
}
