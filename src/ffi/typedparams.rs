//! C entry points: typedparams.
//!
//! Entry points of upstream `src/util/virtypedparam-public.c`. Each is a literal `extern "C"` signature whose body
//! runs inside [`entry`](super::entry::entry): the ones not implemented yet validate their object
//! argument and report `VIR_ERR_NO_SUPPORT`, as libvirt does for a driver without that slot.
#![allow(non_snake_case, unused_imports, unused_variables)]

use super::abi_types::*;
use super::entry::*;
use std::ffi::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_NONE;

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsAddBoolean(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsAddDouble(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: f64,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsAddFromString(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    r#type: c_int,
    value: *const c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsAddInt(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsAddLLong(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_longlong,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsAddString(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: *const c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsAddStringList(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    values: *mut *const c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsAddUInt(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsAddULLong(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_ulonglong,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsClear(params: virTypedParameterPtr, nparams: c_int) {
    entry(FUNC, THIS, (), |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsFree(params: virTypedParameterPtr, nparams: c_int) {
    entry(FUNC, THIS, (), |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsGet(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
) -> virTypedParameterPtr {
    entry(FUNC, THIS, std::ptr::null_mut(), |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsGetBoolean(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsGetDouble(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut f64,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsGetInt(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsGetLLong(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_longlong,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsGetString(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut *const c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsGetUInt(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C" fn virTypedParamsGetULLong(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_ulonglong,
) -> c_int {
    entry(FUNC, THIS, -1, |cx| Err(cx.unsupported()))
}
