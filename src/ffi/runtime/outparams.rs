//! Out-parameter helpers shared by the secret, nwfilter and network-port entry points (scope
//! netsec): raw and string UUIDs, caller-owned name arrays, and malloc'd handle arrays.

use super::entry::Cx;
use super::handle::Object;
use super::mem;
use crate::core::{Code, Domain, Result, VirError, uuid};
use std::ffi::{c_char, c_int, c_uchar};

/// A raw UUID argument (`VIR_UUID_BUFLEN` bytes).
///
/// # Safety
/// `p` is non-NULL and points to 16 readable bytes.
pub unsafe fn read_uuid(p: *const c_uchar) -> [u8; 16] {
    let mut u = [0u8; 16];
    // SAFETY: as the caller promises.
    unsafe { std::ptr::copy_nonoverlapping(p, u.as_mut_ptr(), 16) };
    u
}

/// Write a raw UUID to the caller's buffer.
///
/// # Safety
/// `out` is non-NULL with room for 16 bytes.
pub unsafe fn write_uuid(out: *mut c_uchar, u: &[u8; 16]) {
    // SAFETY: as the caller promises.
    unsafe { std::ptr::copy_nonoverlapping(u.as_ptr(), out, 16) };
}

/// Write a UUID string (`VIR_UUID_STRING_BUFLEN` bytes with its NUL) to the caller's buffer.
///
/// # Safety
/// `buf` is non-NULL with room for 37 bytes.
pub unsafe fn write_uuid_string(buf: *mut c_char, u: &[u8; 16]) {
    let s = uuid::format(u);
    // SAFETY: as the caller promises.
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr() as *const c_char, buf, 36);
        *buf.add(36) = 0;
    }
}

/// Fill the caller's array of `names` (room for at least `list.len()`) with malloc'd copies.
///
/// # Safety
/// `names` has room for `list.len()` pointers.
pub unsafe fn write_names(names: *mut *mut c_char, list: &[String]) {
    for (i, n) in list.iter().enumerate() {
        // SAFETY: as the caller promises; each gets a malloc'd copy the caller frees.
        unsafe { *names.add(i) = mem::strdup(n) };
    }
}

/// Copy at most `max` of `list` into the caller's `names` array (malloc'd copies the caller
/// frees); how many were written. The `virConnectList*`/`virNodeListDevices` name lists.
///
/// # Safety
/// `names` has room for `max` pointers (see [`check_names`]).
pub unsafe fn write_names_at_most(names: *mut *mut c_char, max: usize, list: &[String]) -> c_int {
    let list = &list[..list.len().min(max)];
    // SAFETY: as the caller promises; at most `max` pointers are written.
    unsafe { write_names(names, list) };
    list.len() as c_int
}

/// libvirt's `virCheckNonNullArrayArgGoto` then `virCheckNonNegativeArgGoto` on a name list's
/// (names, maxnames).
pub fn check_names(cx: &Cx, names: *mut *mut c_char, maxnames: c_int) -> Result<()> {
    if names.is_null() && maxnames > 0 {
        cx.non_null(names, "names")?;
    }
    cx.non_negative(maxnames as i64, "maxnames")
}

fn no_memory() -> VirError {
    VirError::new(Domain::VIR_FROM_NONE, Code::VIR_ERR_NO_MEMORY, None)
}

/// Hand published handles to C as a malloc'd, NULL-terminated array in `*out`; on failure the
/// handles are released.
///
/// # Safety
/// `out` is non-NULL and points to a caller-owned pointer.
pub unsafe fn give_array<T: Object, P>(out: *mut *mut P, mut handles: Vec<usize>) -> Result<()> {
    let n = handles.len();
    handles.push(0);
    let arr = mem::malloc_array(&handles) as *mut P;
    if arr.is_null() {
        for h in &handles[..n] {
            super::handle::release::<T>(*h);
        }
        return Err(no_memory());
    }
    // SAFETY: as the caller promises; the caller receives the malloc'd array.
    unsafe { *out = arr };
    Ok(())
}
