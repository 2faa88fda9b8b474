//! C entry points: event.
//!
//! Entry points of upstream `src/libvirt-event.c`. Each is a literal `extern "C"` signature whose body
//! runs inside [`entry`](super::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_EVENT;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virEventAddHandle(
    fd: c_int,
    events: c_int,
    cb: virEventHandleCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virEventAddTimeout(
    timeout: c_int,
    cb: virEventTimeoutCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virEventRegisterDefaultImpl() -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virEventRegisterImpl(
    addHandle: virEventAddHandleFunc,
    updateHandle: virEventUpdateHandleFunc,
    removeHandle: virEventRemoveHandleFunc,
    addTimeout: virEventAddTimeoutFunc,
    updateTimeout: virEventUpdateTimeoutFunc,
    removeTimeout: virEventRemoveTimeoutFunc,
) {
    entry(FUNC, THIS, (), |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virEventRemoveHandle(watch: c_int) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virEventRemoveTimeout(timer: c_int) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virEventRunDefaultImpl() -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virEventUpdateHandle(watch: c_int, events: c_int) {
    entry(FUNC, THIS, (), |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virEventUpdateTimeout(timer: c_int, timeout: c_int) {
    entry(FUNC, THIS, (), |cx| Err(cx.unsupported()))
}
