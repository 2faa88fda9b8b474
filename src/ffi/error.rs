//! C entry points of upstream `src/util/virerror.c` (declared in `virterror.h`): the thread's
//! last error, the per-connection copy, error handlers and the default stderr printer.
//!
//! These functions inspect the error state instead of producing one, so unlike every other
//! entry point they do not reset the thread's last error.
#![allow(non_snake_case)]

use super::abi_types::*;
use super::entry::{apply, guard};
use super::handle::{self, ConnObj};
use super::mem;
use crate::core::VirError;
use parking_lot::Mutex;
use std::cell::RefCell;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::io::Write;
use std::sync::Arc;

/// A `virError` whose strings are owned (malloc'd) by it.
#[repr(transparent)]
pub struct CError(pub virError);

// SAFETY: the raw pointers inside are either NULL or strings this value owns exclusively;
// moving the owner between threads moves that ownership with it.
unsafe impl Send for CError {}

const fn empty_error() -> virError {
    virError {
        code: 0,
        domain: 0,
        message: std::ptr::null_mut(),
        level: virErrorLevel::VIR_ERR_NONE,
        conn: std::ptr::null_mut(),
        dom: std::ptr::null_mut(),
        str1: std::ptr::null_mut(),
        str2: std::ptr::null_mut(),
        str3: std::ptr::null_mut(),
        int1: 0,
        int2: 0,
        net: std::ptr::null_mut(),
    }
}

impl Default for CError {
    fn default() -> Self {
        CError(empty_error())
    }
}

fn level_of(l: i32) -> virErrorLevel {
    match l {
        1 => virErrorLevel::VIR_ERR_WARNING,
        2 => virErrorLevel::VIR_ERR_ERROR,
        _ => virErrorLevel::VIR_ERR_NONE,
    }
}

/// Free the strings of a `virError` and zero it.
///
/// # Safety
/// `e` must point to a valid `virError` whose strings are NULL or libc-allocated.
unsafe fn reset_raw(e: *mut virError) {
    // SAFETY: guaranteed by the caller.
    let e = unsafe { &mut *e };
    for p in [e.message, e.str1, e.str2, e.str3] {
        mem::free(p);
    }
    *e = empty_error();
}

/// Deep-copy `from` into `to`, leaving out the deprecated object pointers.
///
/// # Safety
/// `from` must be a valid `virError`; `to` must be valid for writes and hold no owned strings.
unsafe fn copy_raw(from: &virError, to: *mut virError) {
    let dup = |p: *mut c_char| {
        if p.is_null() {
            std::ptr::null_mut()
        } else {
            // SAFETY: non-NULL strings of a virError are NUL-terminated.
            mem::strdup(&unsafe { CStr::from_ptr(p) }.to_string_lossy())
        }
    };
    let copy = virError {
        code: from.code,
        domain: from.domain,
        message: dup(from.message),
        level: from.level,
        conn: std::ptr::null_mut(),
        dom: std::ptr::null_mut(),
        str1: dup(from.str1),
        str2: dup(from.str2),
        str3: dup(from.str3),
        int1: from.int1,
        int2: from.int2,
        net: std::ptr::null_mut(),
    };
    // SAFETY: guaranteed by the caller.
    unsafe { std::ptr::write(to, copy) };
}

impl CError {
    pub fn set(&mut self, e: &VirError) {
        self.clear();
        self.0 = virError {
            code: e.code,
            domain: e.domain,
            message: mem::strdup_opt(e.message.as_deref()),
            level: level_of(e.level),
            conn: std::ptr::null_mut(),
            dom: std::ptr::null_mut(),
            str1: mem::strdup_opt(e.str1.as_deref()),
            str2: mem::strdup_opt(e.str2.as_deref()),
            str3: mem::strdup_opt(e.str3.as_deref()),
            int1: e.int1,
            int2: e.int2,
            net: std::ptr::null_mut(),
        };
    }
    pub fn clear(&mut self) {
        if self.0.code != 0 || !self.0.message.is_null() {
            // SAFETY: our own strings are libc-allocated.
            unsafe { reset_raw(&mut self.0) };
        }
    }
    pub fn code(&self) -> i32 {
        self.0.code
    }
}

impl Drop for CError {
    fn drop(&mut self) {
        self.clear();
    }
}

thread_local! {
    static LAST: RefCell<Box<CError>> = RefCell::new(Box::default());
}

/// `virErrorFunc` set by `virSetErrorFunc`, with its opaque data as an address.
static GLOBAL_HANDLER: Mutex<(virErrorFunc, usize)> = Mutex::new((None, 0));

/// Clear the calling thread's last error (done on entry to every public API).
pub fn reset_last() {
    let _ = LAST.try_with(|l| {
        if let Ok(mut l) = l.try_borrow_mut()
            && l.code() != 0
        {
            l.clear();
        }
    });
}

/// Make `e` the thread's last error without running any handler.
pub fn set_last(e: &VirError) {
    let _ = LAST.try_with(|l| l.borrow_mut().set(e));
}

fn last_ptr() -> *mut virError {
    LAST.try_with(|l| {
        let mut b = l.borrow_mut();
        &mut b.0 as *mut virError
    })
    .unwrap_or(std::ptr::null_mut())
}

/// What `virDispatchError` does: make `e` the thread's last error, copy it to the connection,
/// and call the connection's handler, else the global one, else the default printer.
pub fn dispatch(e: &VirError, conn: Option<&Arc<ConnObj>>) {
    let _ = LAST.try_with(|l| l.borrow_mut().set(e));
    let mut handler = *GLOBAL_HANDLER.lock();
    if let Some(c) = conn {
        c.err.lock().set(e);
        let h = *c.handler.lock();
        if h.0.is_some() {
            handler = h;
        }
    }
    let err = last_ptr();
    match handler.0 {
        // SAFETY: the application registered this callback for exactly this call shape; `err`
        // is the thread's error object, valid for the duration of the call.
        Some(f) => unsafe { f(handler.1 as *mut c_void, err) },
        None => print_default(err),
    }
}

fn print_default(err: *const virError) {
    if err.is_null() {
        return;
    }
    // SAFETY: callers pass NULL or a valid virError.
    let e = unsafe { &*err };
    if e.code == 0 {
        return;
    }
    let lvl = match e.level as i32 {
        1 => "warning",
        2 => "error",
        _ => "",
    };
    let dom = crate::core::error::domain_name(e.domain).unwrap_or("Unknown");
    let msg = if e.message.is_null() {
        String::new()
    } else {
        // SAFETY: a non-NULL message is NUL-terminated.
        unsafe { CStr::from_ptr(e.message) }
            .to_string_lossy()
            .into_owned()
    };
    let line = if e.code == crate::core::Code::VIR_ERR_XML_DETAIL as i32 && e.int1 != 0 {
        format!("libvirt: {dom} {lvl} : line {}: {msg}", e.int1)
    } else if msg.ends_with('\n') {
        format!("libvirt: {dom} {lvl} : {msg}")
    } else {
        format!("libvirt: {dom} {lvl} : {msg}\n")
    };
    let _ = std::io::stderr().write_all(line.as_bytes());
}

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
