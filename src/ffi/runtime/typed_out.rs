//! Typed parameters handed to C callers (scope: domstats): a driver's [`TypedParam`]s written
//! into caller-provided `virTypedParameter` slots or into a `malloc`'d array that
//! `virTypedParamsFree` releases (strings are `malloc`'d too).

use super::entry::{Code, Cx, Domain, VirError};
use super::mem;
use crate::core::driver::{TypedParam, TypedValue};
use crate::generated::abi_types::{
    _virTypedParameterValue, virTypedParameter, virTypedParameterType,
};
use std::ffi::c_int;

type Result<T> = std::result::Result<T, VirError>;

fn no_memory() -> VirError {
    VirError::new(Domain::VIR_FROM_NONE, Code::VIR_ERR_NO_MEMORY, None)
}

/// Write `p` into `slot` (a zeroed or unused parameter). A string value is `malloc`'d.
pub fn assign(slot: &mut virTypedParameter, p: &TypedParam) -> Result<()> {
    let name = p.field.as_bytes();
    if name.len() >= slot.field.len() {
        return Err(VirError::detail(
            Domain::VIR_FROM_NONE,
            Code::VIR_ERR_INTERNAL_ERROR,
            format!("Field name '{}' too long", p.field),
        ));
    }
    for (d, s) in slot.field.iter_mut().zip(name.iter()) {
        *d = *s as _;
    }
    slot.field[name.len()] = 0;
    use virTypedParameterType as T;
    let (t, v) = match &p.value {
        TypedValue::Int(i) => (T::VIR_TYPED_PARAM_INT, _virTypedParameterValue { i: *i }),
        TypedValue::UInt(u) => (T::VIR_TYPED_PARAM_UINT, _virTypedParameterValue { ui: *u }),
        TypedValue::LLong(l) => (T::VIR_TYPED_PARAM_LLONG, _virTypedParameterValue { l: *l }),
        TypedValue::ULLong(u) => (
            T::VIR_TYPED_PARAM_ULLONG,
            _virTypedParameterValue { ul: *u },
        ),
        TypedValue::Double(d) => (T::VIR_TYPED_PARAM_DOUBLE, _virTypedParameterValue { d: *d }),
        TypedValue::Boolean(b) => (
            T::VIR_TYPED_PARAM_BOOLEAN,
            _virTypedParameterValue { b: *b as _ },
        ),
        TypedValue::String(s) => {
            let c = mem::strdup(s);
            if c.is_null() {
                return Err(no_memory());
            }
            (T::VIR_TYPED_PARAM_STRING, _virTypedParameterValue { s: c })
        }
    };
    slot.r#type = t as c_int;
    slot.value = v;
    Ok(())
}

/// A zeroed parameter.
pub fn zeroed() -> virTypedParameter {
    virTypedParameter {
        field: [0; crate::generated::abi_consts::VIR_TYPED_PARAM_FIELD_LENGTH],
        r#type: 0,
        value: _virTypedParameterValue { ul: 0 },
    }
}

/// Release the strings of `params` (as `virTypedParamsClear`).
pub fn clear(params: &mut [virTypedParameter]) {
    for p in params {
        if p.r#type == virTypedParameterType::VIR_TYPED_PARAM_STRING as c_int {
            // SAFETY: a STRING parameter written by `assign` holds a malloc'd string or NULL.
            let s = unsafe { p.value.s };
            mem::free(s);
            p.value = _virTypedParameterValue { ul: 0 };
        }
    }
}

/// A `malloc`'d array holding `list` (never NULL on success, even when empty).
pub fn malloc_params(list: &[TypedParam]) -> Result<*mut virTypedParameter> {
    let n = list.len().max(1);
    let size = std::mem::size_of::<virTypedParameter>();
    // SAFETY: calloc has no preconditions; the result is checked for NULL before use.
    let arr = unsafe { libc::calloc(n, size) } as *mut virTypedParameter;
    if arr.is_null() {
        return Err(no_memory());
    }
    // SAFETY: `arr` holds `n >= list.len()` zeroed, aligned parameters.
    let slots = unsafe { std::slice::from_raw_parts_mut(arr, list.len()) };
    for (i, p) in list.iter().enumerate() {
        if let Err(e) = assign(&mut slots[i], p) {
            clear(&mut slots[..i]);
            mem::free(arr);
            return Err(e);
        }
    }
    Ok(arr)
}

/// The start of every "count query" getter: `nparams` non-NULL, `*nparams >= 0`, `params`
/// non-NULL unless `*nparams` is 0. Returns `*nparams`.
pub fn params_count_in(
    cx: &Cx,
    params: *mut virTypedParameter,
    nparams: *mut c_int,
) -> Result<c_int> {
    cx.non_null(nparams, "nparams")?;
    // SAFETY: checked non-NULL; the caller's int.
    let n = unsafe { *nparams };
    cx.non_negative(n.into(), "*nparams")?;
    if n != 0 {
        cx.non_null(params, "params")?;
    }
    Ok(n)
}

/// Write a getter's answer: the parameters into the caller's `room` slots, the count into
/// `*nparams`.
pub fn params_count_out(
    params: *mut virTypedParameter,
    nparams: *mut c_int,
    room: c_int,
    (n, list): (i32, Vec<TypedParam>),
) -> Result<c_int> {
    if room > 0 && !params.is_null() {
        let list = &list[..list.len().min(room as usize)];
        // SAFETY: the caller provides `room` parameters at `params`.
        let slots = unsafe { std::slice::from_raw_parts_mut(params, room as usize) };
        for (i, p) in list.iter().enumerate() {
            if let Err(e) = assign(&mut slots[i], p) {
                clear(&mut slots[..i]);
                return Err(e);
            }
        }
    }
    // SAFETY: checked non-NULL by `params_count_in`; the caller's int.
    unsafe { *nparams = n };
    Ok(0)
}
