//! Memory handed to C callers, who release it with `free()`: it always comes from libc's
//! allocator.

use std::ffi::{CStr, c_char};

/// A `malloc`'d, NUL-terminated copy of `s` (NULL if out of memory). Interior NULs end it.
pub fn strdup(s: &str) -> *mut c_char {
    let bytes = s.as_bytes();
    let len = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    // SAFETY: malloc has no preconditions; the result is checked for NULL before use.
    let p = unsafe { libc::malloc(len + 1) } as *mut u8;
    if p.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: `p` points to `len + 1` writable bytes and does not overlap `bytes`.
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), p, len);
        *p.add(len) = 0;
    }
    p as *mut c_char
}

/// `strdup` of an optional string: NULL for `None`.
pub fn strdup_opt(s: Option<&str>) -> *mut c_char {
    s.map_or(std::ptr::null_mut(), strdup)
}

/// A `malloc`'d array holding `items` (NULL if out of memory; a 1-element allocation when empty
/// so the result is never NULL on success).
pub fn malloc_array<T: Copy>(items: &[T]) -> *mut T {
    let n = items.len().max(1);
    let Some(size) = n.checked_mul(std::mem::size_of::<T>()) else {
        return std::ptr::null_mut();
    };
    // SAFETY: malloc has no preconditions; the result is checked for NULL before use.
    let p = unsafe { libc::malloc(size) } as *mut T;
    if p.is_null() {
        return p;
    }
    // SAFETY: `p` has room for `n >= items.len()` elements of `T` and is malloc-aligned.
    unsafe { std::ptr::copy_nonoverlapping(items.as_ptr(), p, items.len()) };
    p
}

/// Free what `strdup`/`malloc_array` returned.
pub fn free<T>(p: *mut T) {
    // SAFETY: `p` is NULL or came from libc's allocator (the only one this module uses).
    unsafe { libc::free(p as *mut libc::c_void) }
}

/// Borrow a C string argument for the duration of a call. NULL gives `None`; invalid UTF-8 is
/// replaced, as libvirt treats names as bytes that are valid UTF-8 in practice.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string that outlives the returned borrow.
pub unsafe fn arg_str<'a>(p: *const c_char) -> Option<std::borrow::Cow<'a, str>> {
    if p.is_null() {
        return None;
    }
    // SAFETY: guaranteed by the caller.
    Some(unsafe { CStr::from_ptr(p) }.to_string_lossy())
}
