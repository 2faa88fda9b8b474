//! C entry points: event.
//!
//! Entry points of upstream `src/libvirt-event.c`: the C face of [`crate::core::event`]. C
//! callbacks and their opaque pointers become Rust closures on the way in; when an application
//! registers its own loop (`virEventRegisterImpl`, e.g. Python's libvirtaio), Rust closures
//! become C callbacks with a boxed context on the way out.
#![allow(non_snake_case)]

use super::abi_types::*;
use super::runtime::entry::*;
use crate::core::event::{self, EventImpl, FreeFn, HandleCb, TimeoutCb};
use std::ffi::{c_int, c_void};
use std::sync::Arc;

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_EVENT;

/// A C free callback and its opaque pointer, run at most once.
fn c_free(ff: virFreeCallback, opaque: *mut c_void) -> Option<FreeFn> {
    let f = ff?;
    let op = opaque as usize;
    Some(Box::new(move || {
        // SAFETY: the application gave us `f` to be called exactly once with its opaque
        // pointer when the registration is gone; this closure runs at most once.
        unsafe { f(op as *mut c_void) }
    }))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virEventAddHandle(
    fd: c_int,
    events: c_int,
    cb: virEventHandleCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    // Uncaught: a registered application loop's addHandle is application code.
    let _ = FUNC;
    {
        let op = opaque as usize;
        let hcb: HandleCb = Arc::new(move |watch, fd, ev| {
            if let Some(f) = cb {
                // SAFETY: the application's callback, called as virEventHandleCallback
                // documents, with the opaque pointer it registered.
                unsafe { f(watch, fd, ev, op as *mut c_void) }
            }
        });
        event::add_handle(fd, events, hcb, c_free(ff, opaque))
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virEventAddTimeout(
    timeout: c_int,
    cb: virEventTimeoutCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    // Uncaught: a registered application loop's addTimeout is application code.
    let _ = FUNC;
    {
        let op = opaque as usize;
        let tcb: TimeoutCb = Arc::new(move |timer| {
            if let Some(f) = cb {
                // SAFETY: the application's callback, called as virEventTimeoutCallback
                // documents, with the opaque pointer it registered.
                unsafe { f(timer, op as *mut c_void) }
            }
        });
        event::add_timeout(timeout, tcb, c_free(ff, opaque))
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virEventRegisterDefaultImpl() -> c_int {
    entry(FUNC, THIS, -1, |_cx| {
        event::register_default();
        Ok(0)
    })
}

/// An application's event loop, as the six functions it registered.
struct CImpl {
    add_handle: virEventAddHandleFunc,
    update_handle: virEventUpdateHandleFunc,
    remove_handle: virEventRemoveHandleFunc,
    add_timeout: virEventAddTimeoutFunc,
    update_timeout: virEventUpdateTimeoutFunc,
    remove_timeout: virEventRemoveTimeoutFunc,
}

/// What the application's loop holds as `opaque` for one of our registrations.
struct Ctx<C> {
    cb: C,
    ff: Option<FreeFn>,
}

unsafe extern "C-unwind" fn handle_tramp(
    watch: c_int,
    fd: c_int,
    events: c_int,
    opaque: *mut c_void,
) {
    if opaque.is_null() {
        return;
    }
    // SAFETY: `opaque` is the `Box<Ctx<HandleCb>>` we passed to the application's addHandle;
    // it stays alive until the application calls `ctx_free`, which it must not do while
    // dispatching this callback.
    let ctx = unsafe { &*(opaque as *const Ctx<HandleCb>) };
    let cb = ctx.cb.clone();
    // Uncaught: the callback is the application's (or our own, which contains its panics).
    cb(watch, fd, events)
}

unsafe extern "C-unwind" fn timeout_tramp(timer: c_int, opaque: *mut c_void) {
    if opaque.is_null() {
        return;
    }
    // SAFETY: as in `handle_tramp`, for a `Box<Ctx<TimeoutCb>>`.
    let ctx = unsafe { &*(opaque as *const Ctx<TimeoutCb>) };
    let cb = ctx.cb.clone();
    // Uncaught, as in `handle_tramp`.
    cb(timer)
}

unsafe extern "C-unwind" fn ctx_free<C>(opaque: *mut c_void) {
    if opaque.is_null() {
        return;
    }
    // SAFETY: `opaque` came from `Box::into_raw` of a `Ctx<C>` in this module and the
    // application calls its free callback once.
    let ctx = unsafe { Box::from_raw(opaque as *mut Ctx<C>) };
    if let Some(f) = ctx.ff {
        // Uncaught: our free functions are the application's free callbacks.
        f();
    }
}

impl EventImpl for CImpl {
    fn add_handle(&self, fd: i32, events: i32, cb: HandleCb, ff: Option<FreeFn>) -> i32 {
        let Some(add) = self.add_handle else {
            return -1;
        };
        debug_assert!(
            !in_catching_region(),
            "application addHandle inside catch_unwind"
        );
        let ctx = Box::into_raw(Box::new(Ctx { cb, ff })) as *mut c_void;
        // SAFETY: the application's addHandle, called with a callback/opaque/free triple that
        // stays valid until it calls the free callback.
        let w = unsafe {
            add(
                fd,
                events,
                Some(handle_tramp),
                ctx,
                Some(ctx_free::<HandleCb>),
            )
        };
        if w < 0 {
            // SAFETY: the loop refused the registration, so it never took `ctx`; dropping the
            // box without its free function leaves the caller's resources to the caller.
            drop(unsafe { Box::from_raw(ctx as *mut Ctx<HandleCb>) });
        }
        w
    }
    fn update_handle(&self, watch: i32, events: i32) {
        if let Some(f) = self.update_handle {
            // SAFETY: the application's updateHandle, called as documented.
            call_out(move || unsafe { f(watch, events) })
        }
    }
    fn remove_handle(&self, watch: i32) -> i32 {
        match self.remove_handle {
            // Inside a catching region (our own callers, who ignore the answer) it runs when
            // the region ends.
            Some(f) if in_catching_region() => {
                call_out(move || {
                    // SAFETY: the application's removeHandle, called as documented.
                    let _ = unsafe { f(watch) };
                });
                0
            }
            // SAFETY: the application's removeHandle, called as documented.
            Some(f) => unsafe { f(watch) },
            None => -1,
        }
    }
    fn add_timeout(&self, ms: i32, cb: TimeoutCb, ff: Option<FreeFn>) -> i32 {
        let Some(add) = self.add_timeout else {
            return -1;
        };
        debug_assert!(
            !in_catching_region(),
            "application addTimeout inside catch_unwind"
        );
        let ctx = Box::into_raw(Box::new(Ctx { cb, ff })) as *mut c_void;
        // SAFETY: as in `add_handle`, for the application's addTimeout.
        let t = unsafe { add(ms, Some(timeout_tramp), ctx, Some(ctx_free::<TimeoutCb>)) };
        if t < 0 {
            // SAFETY: as in `add_handle`: the registration was refused.
            drop(unsafe { Box::from_raw(ctx as *mut Ctx<TimeoutCb>) });
        }
        t
    }
    fn update_timeout(&self, timer: i32, ms: i32) {
        if let Some(f) = self.update_timeout {
            // SAFETY: the application's updateTimeout, called as documented.
            call_out(move || unsafe { f(timer, ms) })
        }
    }
    fn remove_timeout(&self, timer: i32) -> i32 {
        match self.remove_timeout {
            // As in `remove_handle`.
            Some(f) if in_catching_region() => {
                call_out(move || {
                    // SAFETY: the application's removeTimeout, called as documented.
                    let _ = unsafe { f(timer) };
                });
                0
            }
            // SAFETY: the application's removeTimeout, called as documented.
            Some(f) => unsafe { f(timer) },
            None => -1,
        }
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virEventRegisterImpl(
    addHandle: virEventAddHandleFunc,
    updateHandle: virEventUpdateHandleFunc,
    removeHandle: virEventRemoveHandleFunc,
    addTimeout: virEventAddTimeoutFunc,
    updateTimeout: virEventUpdateTimeoutFunc,
    removeTimeout: virEventRemoveTimeoutFunc,
) {
    guard(FUNC, (), || {
        let imp = CImpl {
            add_handle: addHandle,
            update_handle: updateHandle,
            remove_handle: removeHandle,
            add_timeout: addTimeout,
            update_timeout: updateTimeout,
            remove_timeout: removeTimeout,
        };
        let any = imp.add_handle.is_some()
            || imp.update_handle.is_some()
            || imp.remove_handle.is_some()
            || imp.add_timeout.is_some()
            || imp.update_timeout.is_some()
            || imp.remove_timeout.is_some();
        // A set of six NULLs registers nothing (libvirt's check looks at the pointers).
        if any {
            event::register(Arc::new(imp));
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virEventRemoveHandle(watch: c_int) -> c_int {
    // Uncaught: an application loop's function is application code; the built-in
    // loop contains its own panics.
    let _ = FUNC;
    event::remove_handle(watch)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virEventRemoveTimeout(timer: c_int) -> c_int {
    // Uncaught: an application loop's function is application code; the built-in
    // loop contains its own panics.
    let _ = FUNC;
    event::remove_timeout(timer)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virEventRunDefaultImpl() -> c_int {
    // Uncaught: the iteration runs the application's callbacks; the loop catches panics of its
    // own logic.
    entry_out(FUNC, THIS, -1, |_cx| {
        event::default_loop()
            .run_once()
            .map_err(|e| {
                VirError::system(
                    THIS,
                    e.raw_os_error().unwrap_or(libc::EIO),
                    "Unable to poll on file handles",
                )
            })
            .map(|()| 0)
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virEventUpdateHandle(watch: c_int, events: c_int) {
    // Uncaught: an application loop's function is application code; the built-in
    // loop contains its own panics.
    let _ = FUNC;
    event::update_handle(watch, events)
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virEventUpdateTimeout(timer: c_int, timeout: c_int) {
    // Uncaught: an application loop's function is application code; the built-in
    // loop contains its own panics.
    let _ = FUNC;
    event::update_timeout(timer, timeout)
}
