//! `virError` as the library owns it: the C-layout error object behind the thread's last
//! error and each connection's copy, filled from a [`VirError`] and copied out to callers.

use super::mem;
use crate::core::VirError;
use crate::generated::abi_types::*;
use std::ffi::{CStr, c_char};

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
