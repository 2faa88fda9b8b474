//! Entry points of upstream `src/libvirt-qemu.c`: the functions of libvirt-qemu.so.0.
//!
//! They live in libvirt.so.0 at libvirt-qemu.so.0's own version nodes (`LIBVIRT_QEMU_*`, see
//! build.rs); oxvirt's libvirt-qemu.so.0 (libs/qemu) is an ELF filter of libvirt.so.0, so a
//! program linked with `-lvirt-qemu` reaches these definitions. They are declared by
//! include/libvirt/libvirt-qemu.h, not libvirt.h (cbindgen.toml excludes them).
#![allow(non_snake_case, non_camel_case_types, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use super::runtime::handle;
use super::runtime::mem::{self, arg_str};
use super::runtime::qemu_events;
use std::ffi::{c_char, c_int, c_longlong, c_uint, c_void};
use std::sync::Arc;

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_NONE;

/// `virConnectDomainQemuMonitorEventCallback` of libvirt-qemu.h.
pub type virConnectDomainQemuMonitorEventCallback = Option<
    unsafe extern "C-unwind" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        event: *const c_char,
        seconds: c_longlong,
        micros: c_uint,
        details: *const c_char,
        opaque: *mut c_void,
    ),
>;

/// The command, `None` for NULL: libvirt hands a NULL command on to its driver.
fn command(cmd: *const c_char) -> Option<String> {
    // SAFETY: NULL or a C string valid for this call.
    unsafe { arg_str(cmd) }.map(|c| c.into_owned())
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainQemuMonitorCommand(
    domain: virDomainPtr,
    cmd: *const c_char,
    result: *mut *mut c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(result, "result")?;
        cx.writable(&d.conn)?;
        let hv = d.conn.conn.hv();
        let cmd = command(cmd);
        let out = hv.domain_qemu_monitor_command(&d.dref(), cmd.as_deref(), flags)?;
        // SAFETY: checked non-NULL; the caller's out-parameter.
        unsafe { *result = mem::strdup(&out) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainQemuMonitorCommandWithFiles(
    domain: virDomainPtr,
    cmd: *const c_char,
    ninfiles: c_uint,
    infiles: *mut c_int,
    noutfiles: *mut c_uint,
    outfiles: *mut *mut c_int,
    result: *mut *mut c_char,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(cmd, "cmd")?;
        let hv = d.conn.conn.hv();
        if (ninfiles > 0 || !outfiles.is_null())
            && hv.domain_qemu_monitor_command_fd_passing() == Some(false)
        {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
                "fd passing is not supported by this connection",
            ));
        }
        cx.non_null(result, "result")?;
        cx.writable(&d.conn)?;
        let cmd = command(cmd);
        let out = hv.domain_qemu_monitor_command_with_files(&d.dref(), cmd.as_deref(), flags)?;
        if !noutfiles.is_null() {
            // SAFETY: checked non-NULL; the caller's out-parameter.
            unsafe { *noutfiles = 0 };
        }
        // SAFETY: checked non-NULL; the caller's out-parameter.
        unsafe { *result = mem::strdup(&out) };
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainQemuAttach(
    conn: virConnectPtr,
    pid_value: c_uint,
    flags: c_uint,
) -> virDomainPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let c = cx.connect(conn)?;
        if pid_value == 0 {
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "pid_value",
                format!("pid_value in {FUNC} must not be zero"),
            ));
        }
        // libvirt's "pid_value ... is too large" check compares pid_t with unsigned int, so it
        // never fires where pid_t is int: every non-zero value goes on to the driver.
        cx.writable(&c)?;
        let d = c.conn.hv().domain_qemu_attach(pid_value, flags)?;
        Ok(handle::new_dom(&c, d) as virDomainPtr)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainQemuAgentCommand(
    domain: virDomainPtr,
    cmd: *const c_char,
    timeout: c_int,
    flags: c_uint,
) -> *mut c_char {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        let hv = d.conn.conn.hv();
        let cmd = command(cmd);
        let out = hv.domain_qemu_agent_command(&d.dref(), cmd.as_deref(), timeout, flags)?;
        Ok(mem::strdup(&out))
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectDomainQemuMonitorEventRegister(
    conn: virConnectPtr,
    dom: virDomainPtr,
    event: *const c_char,
    cb: virConnectDomainQemuMonitorEventCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
    flags: c_uint,
) -> c_int {
    // Uncaught: an application's event loop adds the dispatch timer (see qemu_events).
    entry_out(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        let d = if dom.is_null() {
            None
        } else {
            let d = cx.domain(dom)?;
            if !Arc::ptr_eq(&d.conn, &c) {
                return Err(VirError::invalid_arg(
                    THIS,
                    FUNC,
                    "dom",
                    format!(
                        "domain '{}' in {FUNC} must match connection",
                        d.name().to_string_lossy()
                    ),
                ));
            }
            Some(d)
        };
        let Some(f) = cb else {
            return Err(VirError::null_arg(THIS, FUNC, "cb"));
        };
        cx.writable(&c)?;
        // SAFETY: NULL or a C string valid for this call.
        let event = unsafe { arg_str(event) }.map(|e| e.into_owned());
        qemu_events::register_monitor(
            &c,
            d.as_ref(),
            event,
            f as usize,
            opaque as usize,
            freecb,
            flags,
        )
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnectDomainQemuMonitorEventDeregister(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let c = cx.connect(conn)?;
        cx.non_negative(callbackID as i64, "callbackID")?;
        cx.writable(&c)?;
        qemu_events::deregister_monitor(&c, callbackID)?;
        Ok(0)
    })
}
