//! The error state behind `virterror.h`: the thread's last error, the per-connection copy,
//! the global handler, dispatching an error to them, and the default stderr printer.

use super::handle::ConnObj;
use super::mem;
use crate::core::VirError;
use crate::generated::abi_types::*;
use parking_lot::Mutex;
use std::cell::RefCell;
use std::ffi::{CStr, c_char, c_void};
use std::io::Write;
use std::sync::Arc;

/// A `virError` whose strings are owned (malloc'd) by it.
#[repr(transparent)]
pub struct CError(pub virError);

// SAFETY: the raw pointers inside are either NULL or strings this value owns exclusively;
// moving the owner between threads moves that ownership with it.
unsafe impl Send for CError {}

pub(crate) const fn empty_error() -> virError {
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

pub(crate) fn level_of(l: i32) -> virErrorLevel {
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
pub(crate) unsafe fn reset_raw(e: *mut virError) {
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
pub(crate) unsafe fn copy_raw(from: &virError, to: *mut virError) {
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
    pub(crate) static LAST: RefCell<Box<CError>> = RefCell::new(Box::default());
}

/// `virErrorFunc` set by `virSetErrorFunc`, with its opaque data as an address.
pub(crate) static GLOBAL_HANDLER: Mutex<(virErrorFunc, usize)> = Mutex::new((None, 0));

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

pub(crate) fn last_ptr() -> *mut virError {
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

pub(crate) fn print_default(err: *const virError) {
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
