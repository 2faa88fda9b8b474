//! C entry points: stream.
//!
//! Entry points of upstream `src/libvirt-stream.c`. Each is a literal `extern "C"` signature whose body
//! runs inside [`entry`](super::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_STREAMS;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamAbort(stream: virStreamPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamEventAddCallback(
    stream: virStreamPtr,
    events: c_int,
    cb: virStreamEventCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamEventRemoveCallback(stream: virStreamPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamEventUpdateCallback(stream: virStreamPtr, events: c_int) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamFinish(stream: virStreamPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamFree(stream: virStreamPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamNew(conn: virConnectPtr, flags: c_uint) -> virStreamPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| {
        cx.connect(conn)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamRecv(stream: virStreamPtr, data: *mut c_char, nbytes: usize) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamRecvAll(
    stream: virStreamPtr,
    handler: virStreamSinkFunc,
    opaque: *mut c_void,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamRecvFlags(
    stream: virStreamPtr,
    data: *mut c_char,
    nbytes: usize,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamRecvHole(
    stream: virStreamPtr,
    length: *mut c_longlong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamRef(stream: virStreamPtr) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamSend(stream: virStreamPtr, data: *const c_char, nbytes: usize) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamSendAll(
    stream: virStreamPtr,
    handler: virStreamSourceFunc,
    opaque: *mut c_void,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamSendHole(
    stream: virStreamPtr,
    length: c_longlong,
    flags: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamSparseRecvAll(
    stream: virStreamPtr,
    handler: virStreamSinkFunc,
    holeHandler: virStreamSinkHoleFunc,
    opaque: *mut c_void,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virStreamSparseSendAll(
    stream: virStreamPtr,
    handler: virStreamSourceFunc,
    holeHandler: virStreamSourceHoleFunc,
    skipHandler: virStreamSourceSkipFunc,
    opaque: *mut c_void,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| {
        cx.stream(stream)?;
        Err(cx.unsupported())
    })
}
