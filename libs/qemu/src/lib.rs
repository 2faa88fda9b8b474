//! oxvirt's libvirt-qemu.so.0: an ELF filter of libvirt.so.0 (see libs/README.md). These
//! definitions give the link editor libvirt-qemu's symbols; at run time glibc binds every
//! reference to oxvirt's libvirt.so.0 (src/ffi/qemu.rs). They run only when the libvirt.so.0
//! found is not oxvirt's, and then say so.
#![allow(non_snake_case)]

use std::ffi::{c_char, c_int, c_uint, c_void};

fn wrong_filtee(func: &str) {
    eprintln!(
        "libvirt-qemu.so.0 (oxvirt): {func}: the libvirt.so.0 loaded is not oxvirt's, which implements it"
    );
}

#[unsafe(export_name = "oxvirt_filter_virDomainQemuMonitorCommand")]
pub extern "C" fn virDomainQemuMonitorCommand(
    _domain: *mut c_void,
    _cmd: *const c_char,
    _result: *mut *mut c_char,
    _flags: c_uint,
) -> c_int {
    wrong_filtee("virDomainQemuMonitorCommand");
    -1
}

#[unsafe(export_name = "oxvirt_filter_virDomainQemuMonitorCommandWithFiles")]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn virDomainQemuMonitorCommandWithFiles(
    _domain: *mut c_void,
    _cmd: *const c_char,
    _ninfiles: c_uint,
    _infiles: *mut c_int,
    _noutfiles: *mut c_uint,
    _outfiles: *mut *mut c_int,
    _result: *mut *mut c_char,
    _flags: c_uint,
) -> c_int {
    wrong_filtee("virDomainQemuMonitorCommandWithFiles");
    -1
}

#[unsafe(export_name = "oxvirt_filter_virDomainQemuAttach")]
pub extern "C" fn virDomainQemuAttach(
    _conn: *mut c_void,
    _pid_value: c_uint,
    _flags: c_uint,
) -> *mut c_void {
    wrong_filtee("virDomainQemuAttach");
    std::ptr::null_mut()
}

#[unsafe(export_name = "oxvirt_filter_virDomainQemuAgentCommand")]
pub extern "C" fn virDomainQemuAgentCommand(
    _domain: *mut c_void,
    _cmd: *const c_char,
    _timeout: c_int,
    _flags: c_uint,
) -> *mut c_char {
    wrong_filtee("virDomainQemuAgentCommand");
    std::ptr::null_mut()
}

#[unsafe(export_name = "oxvirt_filter_virConnectDomainQemuMonitorEventRegister")]
pub extern "C" fn virConnectDomainQemuMonitorEventRegister(
    _conn: *mut c_void,
    _dom: *mut c_void,
    _event: *const c_char,
    _cb: *mut c_void,
    _opaque: *mut c_void,
    _freecb: *mut c_void,
    _flags: c_uint,
) -> c_int {
    wrong_filtee("virConnectDomainQemuMonitorEventRegister");
    -1
}

#[unsafe(export_name = "oxvirt_filter_virConnectDomainQemuMonitorEventDeregister")]
pub extern "C" fn virConnectDomainQemuMonitorEventDeregister(
    _conn: *mut c_void,
    _callback_id: c_int,
) -> c_int {
    wrong_filtee("virConnectDomainQemuMonitorEventDeregister");
    -1
}
