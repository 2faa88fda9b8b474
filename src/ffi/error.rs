//! C entry points of upstream `src/util/virerror.c` (declared in `virterror.h`): the thread's
//! last error, the per-connection copy, error handlers and the default stderr printer.
//!
//! These functions inspect the error state instead of producing one, so unlike every other
//! entry point they do not reset the thread's last error.
#![allow(non_snake_case)]

use super::abi_types::*;
use super::runtime::entry::{apply, guard};
use super::runtime::errobj::*;
use super::runtime::error::*;
use super::runtime::handle::{self, ConnObj};
use super::runtime::mem;
use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;

fn conn_of(conn: virConnectPtr) -> Option<Arc<ConnObj>> {
    handle::lookup::<ConnObj>(conn as usize)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virGetLastError() -> virErrorPtr {
    guard(FUNC, std::ptr::null_mut(), || {
        let p = last_ptr();
        // SAFETY: `p` is NULL or the thread's live error object.
        if p.is_null() || unsafe { (*p).code } == 0 {
            std::ptr::null_mut()
        } else {
            p
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virGetLastErrorCode() -> c_int {
    guard(FUNC, 0, || {
        LAST.try_with(|l| l.borrow().0.code).unwrap_or(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virGetLastErrorDomain() -> c_int {
    guard(FUNC, 0, || {
        LAST.try_with(|l| l.borrow().0.domain).unwrap_or(0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virGetLastErrorMessage() -> *const c_char {
    guard(FUNC, c"unknown error".as_ptr(), || {
        LAST.try_with(|l| {
            let l = l.borrow();
            if l.0.code == 0 {
                c"no error".as_ptr()
            } else if l.0.message.is_null() {
                c"unknown error".as_ptr()
            } else {
                l.0.message as *const c_char
            }
        })
        .unwrap_or(c"unknown error".as_ptr())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virResetLastError() {
    guard(FUNC, (), || {
        let _ = LAST.try_with(|l| l.borrow_mut().clear());
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virCopyLastError(to: virErrorPtr) -> c_int {
    guard(FUNC, -1, || {
        if to.is_null() {
            return -1;
        }
        LAST.try_with(|l| {
            let l = l.borrow();
            // SAFETY: `to` is a caller-provided virError, valid for writes; it is overwritten
            // without being read, as libvirt does (it cannot assume it was initialised).
            unsafe { copy_raw(&l.0, to) };
            l.0.code
        })
        .unwrap_or(-1)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSaveLastError() -> virErrorPtr {
    guard(FUNC, std::ptr::null_mut(), || {
        // SAFETY: calloc has no preconditions; the result is checked for NULL.
        let to = unsafe { libc::calloc(1, std::mem::size_of::<virError>()) } as virErrorPtr;
        if !to.is_null() {
            virCopyLastError(to);
        }
        to
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virResetError(err: virErrorPtr) {
    guard(FUNC, (), || {
        if !err.is_null() {
            // SAFETY: `err` is a virError filled by this library (strings from libc malloc).
            unsafe { reset_raw(err) };
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virFreeError(err: virErrorPtr) {
    guard(FUNC, (), || {
        if !err.is_null() {
            // SAFETY: `err` came from virSaveLastError (calloc) and its strings from malloc.
            unsafe { reset_raw(err) };
            mem::free(err);
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnGetLastError(conn: virConnectPtr) -> virErrorPtr {
    guard(FUNC, std::ptr::null_mut(), || match conn_of(conn) {
        // The error lives inside the connection object, which outlives this pointer's use as
        // long as the caller holds its reference, as with libvirt's `&conn->err`.
        Some(c) => c.err.data_ptr() as virErrorPtr,
        None => std::ptr::null_mut(),
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnCopyLastError(conn: virConnectPtr, to: virErrorPtr) -> c_int {
    guard(FUNC, -1, || {
        if to.is_null() {
            return -1;
        }
        // SAFETY: `to` is valid for writes (caller contract); zero it as libvirt does.
        unsafe { std::ptr::write(to, empty_error()) };
        let Some(c) = conn_of(conn) else {
            return -1;
        };
        let e = c.err.lock();
        if e.0.code != 0 {
            // SAFETY: `to` was just zeroed and is valid for writes.
            unsafe { copy_raw(&e.0, to) };
        }
        e.0.code
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnResetLastError(conn: virConnectPtr) {
    guard(FUNC, (), || {
        if let Some(c) = conn_of(conn) {
            c.err.lock().clear();
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virSetErrorFunc(userData: *mut c_void, handler: virErrorFunc) {
    guard(FUNC, (), || {
        *GLOBAL_HANDLER.lock() = (handler, userData as usize);
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virConnSetErrorFunc(
    conn: virConnectPtr,
    userData: *mut c_void,
    handler: virErrorFunc,
) {
    guard(FUNC, (), || {
        if let Some(c) = conn_of(conn) {
            *c.handler.lock() = (handler, userData as usize);
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virDefaultErrorFunc(err: virErrorPtr) {
    guard(FUNC, (), || print_default(err))
}
