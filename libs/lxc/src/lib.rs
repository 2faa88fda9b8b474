//! oxvirt's libvirt-lxc.so.0: an ELF filter of libvirt.so.0 (see libs/README.md). These
//! definitions give the link editor libvirt-lxc's symbols; at run time glibc binds every
//! reference to oxvirt's libvirt.so.0 (src/ffi/lxc.rs). They run only when the libvirt.so.0
//! found is not oxvirt's, and then say so.
#![allow(non_snake_case)]

use std::ffi::{c_int, c_uint, c_void};

fn wrong_filtee(func: &str) {
    eprintln!(
        "libvirt-lxc.so.0 (oxvirt): {func}: the libvirt.so.0 loaded is not oxvirt's, which implements it"
    );
}

#[unsafe(export_name = "oxvirt_filter_virDomainLxcOpenNamespace")]
pub extern "C" fn virDomainLxcOpenNamespace(
    _domain: *mut c_void,
    _fdlist: *mut *mut c_int,
    _flags: c_uint,
) -> c_int {
    wrong_filtee("virDomainLxcOpenNamespace");
    -1
}

#[unsafe(export_name = "oxvirt_filter_virDomainLxcEnterNamespace")]
pub extern "C" fn virDomainLxcEnterNamespace(
    _domain: *mut c_void,
    _nfdlist: c_uint,
    _fdlist: *mut c_int,
    _noldfdlist: *mut c_uint,
    _oldfdlist: *mut *mut c_int,
    _flags: c_uint,
) -> c_int {
    wrong_filtee("virDomainLxcEnterNamespace");
    -1
}

#[unsafe(export_name = "oxvirt_filter_virDomainLxcEnterSecurityLabel")]
pub extern "C" fn virDomainLxcEnterSecurityLabel(
    _model: *mut c_void,
    _label: *mut c_void,
    _oldlabel: *mut c_void,
    _flags: c_uint,
) -> c_int {
    wrong_filtee("virDomainLxcEnterSecurityLabel");
    -1
}

#[unsafe(export_name = "oxvirt_filter_virDomainLxcEnterCGroup")]
pub extern "C" fn virDomainLxcEnterCGroup(_domain: *mut c_void, _flags: c_uint) -> c_int {
    wrong_filtee("virDomainLxcEnterCGroup");
    -1
}
