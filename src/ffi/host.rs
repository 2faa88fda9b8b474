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
