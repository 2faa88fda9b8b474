//! Hand-written XDR forms the generated protocol types use for hot types, and the mapping of
//! wire errors onto libvirt's error model. A
//! `remote_nonnull_domain` decodes straight into the driver's [`DomainRef`], its name an
//! `Arc<CStr>` shared with every handle made from it.

use super::xdr::{Dec, Enc, XResult, Xdr};
use crate::core::VirError;
use crate::core::driver::DomainRef;
use crate::generated::proto_types::{REMOTE_STRING_MAX, VirNetMessageError};
use std::ffi::{CStr, CString};
use std::sync::Arc;

/// An empty name, all-zero UUID, id 0: what a generated structure's `Default` holds.
impl Default for DomainRef {
    fn default() -> Self {
        DomainRef {
            name: Arc::from(c""),
            uuid: [0; 16],
            id: 0,
        }
    }
}

/// A C string of a wire name: cut at an interior NUL (a C string cannot hold one), and not
/// valid UTF-8 kept as much as can be kept, as `Dec::string` does.
fn c_name(raw: &[u8]) -> Arc<CStr> {
    let raw = match raw.iter().position(|b| *b == 0) {
        Some(n) => &raw[..n],
        None => raw,
    };
    let owned;
    let bytes = match std::str::from_utf8(raw) {
        Ok(_) => raw,
        Err(_) => {
            owned = String::from_utf8_lossy(raw).into_owned();
            owned.as_bytes()
        }
    };
    let mut v = Vec::with_capacity(bytes.len() + 1);
    v.extend_from_slice(bytes);
    v.push(0);
    match CString::from_vec_with_nul(v) {
        Ok(c) => Arc::from(c),
        Err(_) => Arc::from(c""),
    }
}

/// `remote_nonnull_domain`: name, uuid, id.
impl Xdr for DomainRef {
    const MIN_WIRE: usize = 4 + 16 + 4;
    fn enc(&self, e: &mut Enc) {
        e.opaque(self.name.to_bytes())
            .opaque_fixed(&self.uuid)
            .i32(self.id);
    }
    fn dec(d: &mut Dec<'_>) -> XResult<Self> {
        let name = c_name(d.opaque(REMOTE_STRING_MAX as usize)?);
        let uuid = d.opaque_array::<16>()?;
        let id = d.i32()?;
        Ok(DomainRef { name, uuid, id })
    }
}

/// A daemon's error, every field as sent (the unused domain and network are dropped).
impl From<VirNetMessageError> for VirError {
    fn from(e: VirNetMessageError) -> Self {
        VirError {
            code: e.code,
            domain: e.domain,
            level: e.level,
            message: e.message,
            str1: e.str1,
            str2: e.str2,
            str3: e.str3,
            int1: e.int1,
            int2: e.int2,
        }
    }
}

/// The wire form of an error (tests that play the daemon send these).
impl From<&VirError> for VirNetMessageError {
    fn from(e: &VirError) -> Self {
        VirNetMessageError {
            code: e.code,
            domain: e.domain,
            message: e.message.clone(),
            level: e.level,
            dom: None,
            str1: e.str1.clone(),
            str2: e.str2.clone(),
            str3: e.str3.clone(),
            int1: e.int1,
            int2: e.int2,
            net: None,
        }
    }
}
