//! C entry points of upstream `src/util/virtypedparam-public.c`: building and reading
//! `virTypedParameter` arrays. These work on caller memory only and need no driver.
//!
//! Arrays are grown with libc's `realloc` and their strings come from `malloc`, so they can be
//! released with `virTypedParamsFree` (or `free()` after `virTypedParamsClear`).
#![allow(non_snake_case)]

use super::abi_types::*;
use super::runtime::entry::*;
use super::runtime::mem::{self, arg_str};
use std::ffi::{CStr, c_char, c_int, c_longlong, c_uint, c_ulonglong};

/// This file's error domain (upstream's `VIR_FROM_THIS`).
const THIS: Domain = Domain::VIR_FROM_NONE;

const INT: c_int = virTypedParameterType::VIR_TYPED_PARAM_INT as c_int;
const UINT: c_int = virTypedParameterType::VIR_TYPED_PARAM_UINT as c_int;
const LLONG: c_int = virTypedParameterType::VIR_TYPED_PARAM_LLONG as c_int;
const ULLONG: c_int = virTypedParameterType::VIR_TYPED_PARAM_ULLONG as c_int;
const DOUBLE: c_int = virTypedParameterType::VIR_TYPED_PARAM_DOUBLE as c_int;
const BOOLEAN: c_int = virTypedParameterType::VIR_TYPED_PARAM_BOOLEAN as c_int;
const STRING: c_int = virTypedParameterType::VIR_TYPED_PARAM_STRING as c_int;

fn type_name(t: c_int) -> String {
    match t {
        INT => "int".into(),
        UINT => "uint".into(),
        LLONG => "llong".into(),
        ULLONG => "ullong".into(),
        DOUBLE => "double".into(),
        BOOLEAN => "boolean".into(),
        STRING => "string".into(),
        other => other.to_string(),
    }
}

/// The parameter called `name`, if any.
///
/// # Safety
/// `params` is NULL or points to `nparams` initialised parameters; `name` is NULL or a C string.
unsafe fn find(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
) -> virTypedParameterPtr {
    if params.is_null() || name.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: guaranteed by the caller.
    let want = unsafe { CStr::from_ptr(name) };
    for i in 0..nparams.max(0) as usize {
        // SAFETY: `i < nparams`, inside the caller's array.
        let p = unsafe { params.add(i) };
        // SAFETY: `field` is a NUL-terminated array inside that parameter.
        let field = unsafe { CStr::from_ptr((*p).field.as_ptr()) };
        if field == want {
            return p;
        }
    }
    std::ptr::null_mut()
}

/// Look a parameter up and check its type, as every `virTypedParamsGet*` does.
///
/// # Safety
/// As for [`find`].
unsafe fn get_typed(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    want: c_int,
) -> Result<Option<&'static virTypedParameter>> {
    // SAFETY: guaranteed by the caller.
    let p = unsafe { find(params, nparams, name) };
    // SAFETY: `p` is NULL or one of the caller's parameters, alive for this call; the 'static
    // lifetime never escapes the entry point that asked.
    let Some(p) = (unsafe { p.as_ref() }) else {
        return Ok(None);
    };
    if p.r#type != want {
        // SAFETY: field is NUL-terminated.
        let field = unsafe { CStr::from_ptr(p.field.as_ptr()) }.to_string_lossy();
        return Err(VirError::detail(
            THIS,
            Code::VIR_ERR_INVALID_ARG,
            format!(
                "Invalid type '{}' requested for parameter '{}', actual type is '{}'",
                type_name(want),
                field,
                type_name(p.r#type)
            ),
        ));
    }
    Ok(Some(p))
}

/// Append one parameter: grow the array (libc realloc, new slots zeroed), name it, and let
/// `fill` set its type and value.
///
/// # Safety
/// `params`, `nparams`, `maxparams` point to the caller's array, count and capacity.
unsafe fn add(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    fill: impl FnOnce(&mut virTypedParameter) -> Result<()>,
) -> Result<c_int> {
    if params.is_null() || nparams.is_null() || maxparams.is_null() {
        return Err(VirError::generic());
    }
    // SAFETY: checked non-NULL; caller-owned.
    let (n, max) = unsafe { ((*nparams).max(0) as usize, (*maxparams).max(0) as usize) };
    if n + 1 > max {
        // libvirt grows by half, or to what is needed if that is more.
        let new_max = (max + max / 2).max(n + 1);
        let size = std::mem::size_of::<virTypedParameter>();
        // SAFETY: `*params` is NULL or an array from the libc allocator (API contract).
        let grown = unsafe { libc::realloc(*params as *mut libc::c_void, new_max * size) };
        if grown.is_null() {
            return Err(VirError::new(THIS, Code::VIR_ERR_NO_MEMORY, None));
        }
        // SAFETY: the new tail `[max, new_max)` lies inside the reallocated block.
        unsafe {
            std::ptr::write_bytes((grown as *mut virTypedParameter).add(max), 0, new_max - max);
            *params = grown as virTypedParameterPtr;
            *maxparams = new_max as c_int;
        }
    }
    // SAFETY: `n < *maxparams` now; the slot is zeroed or was left unused by the caller.
    let slot = unsafe { &mut *(*params).add(n) };
    // SAFETY: `name` is NULL or a C string valid for this call.
    let name = unsafe { arg_str(name) }.unwrap_or_default();
    if name.len() >= slot.field.len() {
        return Err(VirError::detail(
            THIS,
            Code::VIR_ERR_INTERNAL_ERROR,
            format!("Field name '{name}' too long"),
        ));
    }
    slot.field = [0; 80];
    for (d, s) in slot.field.iter_mut().zip(name.bytes()) {
        *d = s as c_char;
    }
    fill(slot)?;
    // SAFETY: checked non-NULL above.
    unsafe { *nparams += 1 };
    Ok(0)
}

/// The body of every `virTypedParamsGet<Type>`: 1 and the value when found, 0 when absent.
fn get_value<T>(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    tag: c_int,
    value: *mut T,
    read: impl FnOnce(&virTypedParameter) -> T,
) -> Result<c_int> {
    // SAFETY: the caller passes its array and count (API contract).
    match unsafe { get_typed(params, nparams, name, tag) }? {
        None => Ok(0),
        Some(p) => {
            let v = read(p);
            if !value.is_null() {
                // SAFETY: a non-NULL `value` points to caller-owned storage.
                unsafe { *value = v };
            }
            Ok(1)
        }
    }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsGetInt(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        get_value(params, nparams, name, INT, value, |p| {
            // SAFETY: `get_typed` checked that the union holds this member.
            unsafe { p.value.i }
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsGetUInt(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        get_value(params, nparams, name, UINT, value, |p| {
            // SAFETY: `get_typed` checked that the union holds this member.
            unsafe { p.value.ui }
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsGetLLong(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_longlong,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        get_value(params, nparams, name, LLONG, value, |p| {
            // SAFETY: `get_typed` checked that the union holds this member.
            unsafe { p.value.l }
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsGetULLong(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_ulonglong,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        get_value(params, nparams, name, ULLONG, value, |p| {
            // SAFETY: `get_typed` checked that the union holds this member.
            unsafe { p.value.ul }
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsGetDouble(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut f64,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        get_value(params, nparams, name, DOUBLE, value, |p| {
            // SAFETY: `get_typed` checked that the union holds this member.
            unsafe { p.value.d }
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsGetBoolean(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        get_value(params, nparams, name, BOOLEAN, value, |p| {
            // SAFETY: `get_typed` checked that the union holds this member.
            let v = unsafe { p.value.b };
            (v != 0) as c_int
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsGetString(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut *const c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        get_value(params, nparams, name, STRING, value, |p| {
            // SAFETY: `get_typed` checked that the union holds this member.
            let v = unsafe { p.value.s };
            v as *const c_char
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsGet(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
) -> virTypedParameterPtr {
    // Reports no error, so it leaves the thread's last error alone.
    // SAFETY: the caller passes its array and count (API contract).
    guard(FUNC, std::ptr::null_mut(), || unsafe {
        find(params, nparams, name)
    })
}

/// The body of every `virTypedParamsAdd<Type>`.
fn add_value(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    fill: impl FnOnce(&mut virTypedParameter) -> Result<()>,
) -> Result<c_int> {
    // SAFETY: the caller passes its array, count and capacity (API contract).
    unsafe { add(params, nparams, maxparams, name, fill) }
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsAddInt(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        add_value(params, nparams, maxparams, name, |s| {
            s.r#type = INT;
            s.value.i = value;
            Ok(())
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsAddUInt(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_uint,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        add_value(params, nparams, maxparams, name, |s| {
            s.r#type = UINT;
            s.value.ui = value;
            Ok(())
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsAddLLong(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_longlong,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        add_value(params, nparams, maxparams, name, |s| {
            s.r#type = LLONG;
            s.value.l = value;
            Ok(())
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsAddULLong(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_ulonglong,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        add_value(params, nparams, maxparams, name, |s| {
            s.r#type = ULLONG;
            s.value.ul = value;
            Ok(())
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsAddDouble(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: f64,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        add_value(params, nparams, maxparams, name, |s| {
            s.r#type = DOUBLE;
            s.value.d = value;
            Ok(())
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsAddBoolean(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_int,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        add_value(params, nparams, maxparams, name, |s| {
            s.r#type = BOOLEAN;
            s.value.b = (value != 0) as c_char;
            Ok(())
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsAddString(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: *const c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        // SAFETY: `value` is NULL or a C string valid for this call.
        let v = unsafe { arg_str(value) };
        add_value(params, nparams, maxparams, name, |s| {
            s.r#type = STRING;
            s.value.s = mem::strdup_opt(v.as_deref());
            Ok(())
        })
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsAddStringList(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    values: *mut *const c_char,
) -> c_int {
    if values.is_null() {
        return 0;
    }
    let mut rv = -1;
    let mut i = 0;
    loop {
        // SAFETY: `values` is a NULL-terminated array of C strings (API contract).
        let v = unsafe { *values.add(i) };
        if v.is_null() {
            break;
        }
        rv = virTypedParamsAddString(params, nparams, maxparams, name, v);
        if rv < 0 {
            break;
        }
        i += 1;
    }
    rv
}

/// Parse `text` as a value of parameter type `t` into `s` (virTypedParamsAddFromString).
fn assign_from_str(s: &mut virTypedParameter, name: &str, t: c_int, text: &str) -> Result<()> {
    let bad = |what: &str| {
        VirError::detail(
            THIS,
            Code::VIR_ERR_INVALID_ARG,
            format!("Invalid value for field '{name}': expected {what}"),
        )
    };
    s.r#type = t;
    match t {
        INT => s.value.i = text.parse().map_err(|_| bad("int"))?,
        UINT => s.value.ui = text.parse().map_err(|_| bad("unsigned int"))?,
        LLONG => s.value.l = text.parse().map_err(|_| bad("long long"))?,
        ULLONG => s.value.ul = text.parse().map_err(|_| bad("unsigned long long"))?,
        DOUBLE => s.value.d = text.trim_end().parse().map_err(|_| bad("double"))?,
        BOOLEAN => {
            s.value.b = if text.eq_ignore_ascii_case("true") || text == "1" {
                1
            } else if text.eq_ignore_ascii_case("false") || text == "0" {
                0
            } else {
                return Err(VirError::detail(
                    THIS,
                    Code::VIR_ERR_INVALID_ARG,
                    format!("Invalid boolean value for field '{name}'"),
                ));
            }
        }
        STRING => s.value.s = mem::strdup(text),
        other => {
            return Err(VirError::detail(
                THIS,
                Code::VIR_ERR_INTERNAL_ERROR,
                format!("unexpected type {other} for field {name}"),
            ));
        }
    }
    Ok(())
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsAddFromString(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    r#type: c_int,
    value: *const c_char,
) -> c_int {
    entry(FUNC, THIS, -1, |_| {
        // SAFETY: C strings valid for this call (API contract).
        let (n, v) = unsafe { (arg_str(name).unwrap_or_default(), arg_str(value)) };
        let fill = |s: &mut virTypedParameter| match v {
            None => Err(VirError::detail(
                THIS,
                Code::VIR_ERR_INVALID_ARG,
                format!("NULL value for field '{n}'"),
            )),
            Some(v) => assign_from_str(s, &n, r#type, &v),
        };
        // SAFETY: the caller passes its array, count and capacity (API contract).
        unsafe { add(params, nparams, maxparams, name, fill) }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsClear(params: virTypedParameterPtr, nparams: c_int) {
    guard(FUNC, (), || {
        if params.is_null() {
            return;
        }
        for i in 0..nparams.max(0) as usize {
            // SAFETY: `params` holds `nparams` parameters (API contract); string values were
            // allocated with malloc.
            unsafe {
                let p = &mut *params.add(i);
                if p.r#type == STRING {
                    mem::free(p.value.s);
                    p.value.s = std::ptr::null_mut();
                }
            }
        }
    })
}

#[apply(export)]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn virTypedParamsFree(params: virTypedParameterPtr, nparams: c_int) {
    virTypedParamsClear(params, nparams);
    mem::free(params);
}
