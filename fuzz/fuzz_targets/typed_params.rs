//! Typed parameters as an application builds and reads them: a byte-driven sequence of
//! virTypedParamsAdd*/Get*/AddFromString/AddStringList/Clear/Free calls with odd names (empty,
//! 80+ bytes, duplicates), types and values. Nothing may panic, leak past Free, or read out of
//! bounds (libFuzzer's ASan build checks the latter).
//! Run: cargo +nightly fuzz run typed_params -- -max_total_time=60
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::ffi::{CString, c_char, c_int, c_uint, c_ulonglong};
use virt::ffi::abi_types::virTypedParameterPtr;
use virt::ffi::typedparams::*;

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }
    fn word(&mut self) -> u64 {
        (0..8).fold(0, |w, _| (w << 8) | self.byte().unwrap_or(0) as u64)
    }
    /// A name: one of a few fixed ones (so Gets find them), or up to 100 bytes of input.
    fn name(&mut self) -> CString {
        let k = self.byte().unwrap_or(0);
        if k < 240 {
            // 79 bytes is the longest name that fits VIR_TYPED_PARAM_FIELD_LENGTH.
            let fixed = match k % 6 {
                0 => "a".to_string(),
                1 => "b".to_string(),
                2 => String::new(),
                3 => "field".to_string(),
                4 => "x".repeat(79),
                _ => "y".repeat(80),
            };
            return CString::new(fixed).unwrap();
        }
        let n = (self.byte().unwrap_or(0) % 101) as usize;
        let bytes: Vec<u8> = (0..n).filter_map(|_| self.byte()).map(|b| b.max(1)).collect();
        CString::new(bytes).unwrap()
    }
}

unsafe extern "C-unwind" fn quiet(_: *mut std::ffi::c_void, _: virt::ffi::abi_types::virErrorPtr) {}

fuzz_target!(|data: &[u8]| {
    // Errors are expected all the time; keep libvirt's default stderr line out of the run.
    virt::ffi::error::virSetErrorFunc(std::ptr::null_mut(), Some(quiet));
    let mut inp = Input(data);
    let mut params: virTypedParameterPtr = std::ptr::null_mut();
    let mut n: c_int = 0;
    let mut max: c_int = 0;
    let (p, np, mp) = (&raw mut params, &raw mut n, &raw mut max);
    let mut steps = 0;
    while let Some(op) = inp.byte() {
        steps += 1;
        if steps > 64 {
            break;
        }
        let name = inp.name();
        let nm = name.as_ptr();
        let w = inp.word();
        match op % 18 {
            0 => { virTypedParamsAddInt(p, np, mp, nm, w as c_int); }
            1 => { virTypedParamsAddUInt(p, np, mp, nm, w as c_uint); }
            2 => { virTypedParamsAddLLong(p, np, mp, nm, w as i64); }
            3 => { virTypedParamsAddULLong(p, np, mp, nm, w as c_ulonglong); }
            4 => { virTypedParamsAddDouble(p, np, mp, nm, f64::from_bits(w)); }
            5 => { virTypedParamsAddBoolean(p, np, mp, nm, w as c_int); }
            6 => {
                let v = CString::new(format!("{w:x}")).unwrap();
                virTypedParamsAddString(p, np, mp, nm, if w & 1 == 0 { v.as_ptr() } else { std::ptr::null() });
            }
            7 => {
                let vs: Vec<CString> = (0..(w % 4)).map(|i| CString::new(format!("v{i}")).unwrap()).collect();
                let mut ptrs: Vec<*const c_char> = vs.iter().map(|v| v.as_ptr()).collect();
                ptrs.push(std::ptr::null());
                virTypedParamsAddStringList(p, np, mp, nm, ptrs.as_mut_ptr() as _);
            }
            8 => {
                let v = inp.name();
                virTypedParamsAddFromString(p, np, mp, nm, (w % 9) as c_int, v.as_ptr());
            }
            9 => { let mut v = 0; virTypedParamsGetInt(params, n, nm, &mut v); }
            10 => { let mut v = 0; virTypedParamsGetUInt(params, n, nm, &mut v); }
            11 => { let mut v = 0; virTypedParamsGetLLong(params, n, nm, &mut v); }
            12 => { let mut v = 0; virTypedParamsGetULLong(params, n, nm, &mut v); }
            13 => { let mut v = 0.0; virTypedParamsGetDouble(params, n, nm, &mut v); }
            14 => { let mut v = 0; virTypedParamsGetBoolean(params, n, nm, &mut v); }
            15 => {
                let mut v: *const c_char = std::ptr::null();
                virTypedParamsGetString(params, n, nm, &mut v);
            }
            16 => {
                // A count below the real one is legal for readers (a prefix of the array).
                let k = if n > 0 { (w % (n as u64 + 1)) as c_int } else { -((w % 3) as c_int) };
                virTypedParamsGet(params, k, nm);
            }
            _ => {
                virTypedParamsClear(params, n);
                virTypedParamsFree(params, 0);
                params = std::ptr::null_mut();
                n = 0;
                max = 0;
            }
        }
        let _ = (n, max);
    }
    virTypedParamsFree(params, n);
});
