//! Entry points of upstream `src/libvirt-lxc.c`: the functions of libvirt-lxc.so.0.
//!
//! They live in libvirt.so.0 at libvirt-lxc.so.0's own version nodes (`LIBVIRT_LXC_*`, see
//! build.rs); oxvirt's libvirt-lxc.so.0 (libs/lxc) is an ELF filter of libvirt.so.0. They are
//! declared by include/libvirt/libvirt-lxc.h, not libvirt.h (cbindgen.toml excludes them).
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::runtime::entry::*;
use super::runtime::mem;
use crate::sys;
use std::ffi::{CStr, c_int, c_uint};
use std::os::fd::IntoRawFd;

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_NONE;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainLxcOpenNamespace(
    domain: virDomainPtr,
    fdlist: *mut *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.non_null(fdlist, "fdlist")?;
        cx.writable(&d.conn)?;
        let fds = d
            .conn
            .conn
            .hv()
            .domain_lxc_open_namespace(&d.dref(), flags)?;
        let p = mem::malloc_array(&fds);
        if p.is_null() {
            fds.iter().for_each(|&fd| sys::close_fd(fd));
            return Err(VirError::new(THIS, Code::VIR_ERR_NO_MEMORY, None));
        }
        // SAFETY: checked non-NULL; the caller's out-parameter, freed by the caller.
        unsafe { *fdlist = p };
        Ok(fds.len() as c_int)
    })
}

/// The calling process's namespaces, in libvirt's order, those that exist.
fn own_namespaces() -> Vec<c_int> {
    ["user", "ipc", "uts", "net", "pid", "mnt"]
        .iter()
        .filter_map(|ns| std::fs::File::open(format!("/proc/self/ns/{ns}")).ok())
        .map(|f| f.into_raw_fd())
        .collect()
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainLxcEnterNamespace(
    domain: virDomainPtr,
    nfdlist: c_uint,
    fdlist: *mut c_int,
    noldfdlist: *mut c_uint,
    oldfdlist: *mut *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        VirError::check_flags(THIS, FUNC, flags, 0)?;
        let save = !noldfdlist.is_null() && !oldfdlist.is_null();
        let mut old = Vec::new();
        if save {
            old = own_namespaces();
        }
        // On failure libvirt closes what it saved and hands back an empty list.
        let undo = |old: &[c_int]| {
            old.iter().for_each(|&fd| sys::close_fd(fd));
            if save {
                // SAFETY: both checked non-NULL; the caller's out-parameters.
                unsafe {
                    *oldfdlist = std::ptr::null_mut();
                    *noldfdlist = 0;
                }
            }
        };
        if nfdlist == 0 {
            undo(&old);
            return Err(VirError::invalid_arg(
                THIS,
                FUNC,
                "nfdlist",
                "Expected at least one file descriptor".into(),
            ));
        }
        if fdlist.is_null() {
            undo(&old);
            return Err(VirError::null_arg(THIS, FUNC, "fdlist"));
        }
        // SAFETY: checked non-NULL; the caller passes `nfdlist` descriptors.
        let fds = unsafe { std::slice::from_raw_parts(fdlist, nfdlist as usize) };
        for &fd in fds.iter().filter(|&&fd| fd >= 0) {
            match sys::setns(fd) {
                // EINVAL: already there, or not a namespace of the kind 0 asks for; harmless.
                Err(e) if e.raw_os_error() != Some(libc::EINVAL) => {
                    undo(&old);
                    return Err(VirError::system(
                        THIS,
                        e.raw_os_error().unwrap_or(libc::EIO),
                        "Unable to join domain namespace",
                    ));
                }
                _ => {}
            }
        }
        if save {
            let p = mem::malloc_array(&old);
            // SAFETY: both checked non-NULL; the caller's out-parameters.
            unsafe {
                *oldfdlist = p;
                *noldfdlist = old.len() as c_uint;
            }
        }
        Ok(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainLxcEnterSecurityLabel(
    model: virSecurityModelPtr,
    label: virSecurityLabelPtr,
    oldlabel: virSecurityLabelPtr,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        VirError::check_flags(THIS, FUNC, flags, 0)?;
        cx.non_null(model, "model")?;
        cx.non_null(label, "label")?;
        if !oldlabel.is_null() {
            // SAFETY: checked non-NULL; the caller's struct, plain old data.
            unsafe { std::ptr::write_bytes(oldlabel, 0, 1) };
        }
        // SAFETY: checked non-NULL; libvirt's struct holds a NUL-terminated model name.
        let name = unsafe { CStr::from_ptr((*model).model.as_ptr()) }.to_string_lossy();
        match &*name {
            "none" => Ok(0),
            // oxvirt links neither libselinux nor libapparmor.
            "selinux" => Err(VirError::detail(
                THIS,
                Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
                "Support for SELinux is not enabled",
            )),
            "apparmor" => Err(VirError::detail(
                THIS,
                Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
                "Support for AppArmor is not enabled",
            )),
            other => Err(VirError::detail(
                THIS,
                Code::VIR_ERR_ARGUMENT_UNSUPPORTED,
                format!("Security model {other} cannot be entered"),
            )),
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDomainLxcEnterCGroup(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        let d = cx.domain(domain)?;
        cx.writable(&d.conn)?;
        VirError::check_flags(THIS, FUNC, flags, 0)?;
        // Finding a machine's cgroup (systemd-machined or the cgroup tree) is not written yet.
        Err(cx.unsupported())
    })
}
