//! Typed parameters handed in by C callers (scope: params): the one conversion of a caller's
//! `virTypedParameter` array into [`TypedParam`]s that every setter uses, with the checks of
//! libvirt's `virTypedParameterValidateSet` (field length, NULL strings).

use super::entry::{Domain, VirError};
use crate::core::driver::{TypedParam, TypedValue};
use crate::generated::abi_consts::VIR_TYPED_PARAM_FIELD_LENGTH;
use crate::generated::abi_types::{virTypedParameter, virTypedParameterType};
use std::ffi::{CStr, c_int};

type Result<T> = std::result::Result<T, VirError>;

/// Read `nparams` parameters at `params` (the caller checked `params` non-NULL when
/// `nparams > 0`). `this`/`func` name the entry point for the errors. Every driver of oxvirt
/// takes string parameters (`VIR_DRV_FEATURE_TYPED_PARAM_STRING`), so a string is accepted
/// unless it is NULL.
///
/// # Safety
/// `params` points to `nparams` initialised parameters when `nparams > 0`.
pub unsafe fn read_params(
    this: Domain,
    func: &str,
    params: *const virTypedParameter,
    nparams: c_int,
) -> Result<Vec<TypedParam>> {
    if nparams <= 0 || params.is_null() {
        return Ok(Vec::new());
    }
    // SAFETY: guaranteed by the caller.
    let slots = unsafe { std::slice::from_raw_parts(params, nparams as usize) };
    let mut out = Vec::with_capacity(slots.len());
    for p in slots {
        let raw = &p.field;
        let len = raw.iter().position(|&c| c == 0).unwrap_or(raw.len());
        let bytes: Vec<u8> = raw[..len].iter().map(|&c| c as u8).collect();
        let field = String::from_utf8_lossy(&bytes).into_owned();
        if len == VIR_TYPED_PARAM_FIELD_LENGTH {
            return Err(VirError::invalid_arg(
                this,
                func,
                "params",
                format!("string parameter name '{field}' too long"),
            ));
        }
        use virTypedParameterType as T;
        // SAFETY: each arm reads the union member the parameter's type names.
        let value = unsafe {
            match p.r#type {
                t if t == T::VIR_TYPED_PARAM_INT as c_int => TypedValue::Int(p.value.i),
                t if t == T::VIR_TYPED_PARAM_UINT as c_int => TypedValue::UInt(p.value.ui),
                t if t == T::VIR_TYPED_PARAM_LLONG as c_int => TypedValue::LLong(p.value.l),
                t if t == T::VIR_TYPED_PARAM_ULLONG as c_int => TypedValue::ULLong(p.value.ul),
                t if t == T::VIR_TYPED_PARAM_DOUBLE as c_int => TypedValue::Double(p.value.d),
                t if t == T::VIR_TYPED_PARAM_BOOLEAN as c_int => {
                    TypedValue::Boolean(p.value.b != 0)
                }
                t if t == T::VIR_TYPED_PARAM_STRING as c_int => {
                    if p.value.s.is_null() {
                        return Err(VirError::invalid_arg(
                            this,
                            func,
                            "params",
                            format!("NULL string parameter '{field}'"),
                        ));
                    }
                    TypedValue::String(CStr::from_ptr(p.value.s).to_string_lossy().into_owned())
                }
                t => {
                    // libvirt lets the driver's validation name it ('none'); oxvirt stops here.
                    return Err(VirError::detail(
                        this,
                        crate::core::Code::VIR_ERR_INVALID_ARG,
                        format!("invalid type 'none' ({t}) for parameter '{field}'"),
                    ));
                }
            }
        };
        out.push(TypedParam { field, value });
    }
    Ok(out)
}
