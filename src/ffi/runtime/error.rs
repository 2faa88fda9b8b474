//! The error state behind `virterror.h`: the thread's last error, the per-connection copy,
//! the global handler, dispatching an error to them, and the default stderr printer.

use super::errobj::CError;
use super::handle::ConnObj;
use crate::core::VirError;
use crate::generated::abi_types::*;
use parking_lot::Mutex;
use std::cell::RefCell;
use std::ffi::{CStr, c_void};
use std::io::Write;
use std::sync::Arc;

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
