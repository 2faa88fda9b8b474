//! The debug line each entry point logs on entry, as libvirt's `VIR_DEBUG("conn=%p, name=%s,
//! flags=0x%x", ...)`: derived generically from the argument names and C types the `export!`
//! macro passes. Objects and pointers print as `%p` (`(nil)` for NULL), `const char *` as `%s`
//! (`<null>` for NULL, as libvirt's NULLSTR), arguments named `flags` as `0x%x`, other integers
//! in decimal. Only called once [`crate::core::log::enabled`] said debug messages can pass.

use crate::core::log::{Priority, message};
use std::ffi::{CStr, c_char};
use std::fmt::Write as _;

/// One argument's value, as the log line shows it.
pub enum Arg {
    Ptr(usize),
    Int(i64),
    UInt(u64),
    Float(f64),
}

/// How an export's argument is shown in its log line.
pub trait LogArg {
    fn log_arg(&self) -> Arg;
}

impl<T> LogArg for *const T {
    fn log_arg(&self) -> Arg {
        Arg::Ptr(*self as usize)
    }
}

impl<T> LogArg for *mut T {
    fn log_arg(&self) -> Arg {
        Arg::Ptr(*self as usize)
    }
}

macro_rules! log_ints {
    ($($t:ty => $v:ident as $as:ty),*) => {
        $(impl LogArg for $t {
            fn log_arg(&self) -> Arg {
                Arg::$v(*self as $as)
            }
        })*
    };
}

log_ints!(i32 => Int as i64, i64 => Int as i64, u32 => UInt as u64, u64 => UInt as u64,
    usize => UInt as u64);

impl LogArg for f64 {
    fn log_arg(&self) -> Arg {
        Arg::Float(*self)
    }
}

// Callbacks: nullable C function pointers of every arity the ABI uses.
macro_rules! log_fn_ptrs {
    ($(($($a:ident),*)),*) => {
        $(
            impl<R, $($a),*> LogArg for Option<unsafe extern "C-unwind" fn($($a),*) -> R> {
                fn log_arg(&self) -> Arg {
                    Arg::Ptr(self.map_or(0, |f| f as usize))
                }
            }
            impl<R, $($a),*> LogArg for Option<unsafe extern "C" fn($($a),*) -> R> {
                fn log_arg(&self) -> Arg {
                    Arg::Ptr(self.map_or(0, |f| f as usize))
                }
            }
        )*
    };
}

log_fn_ptrs!(
    (),
    (A),
    (A, B),
    (A, B, C),
    (A, B, C, D),
    (A, B, C, D, E),
    (A, B, C, D, E, F),
    (A, B, C, D, E, F, G),
    (A, B, C, D, E, F, G, H)
);

/// libvirt's log category for an export file: `virt::ffi::domain_snapshot` is upstream's
/// `libvirt-domain-snapshot.c`, category `libvirt.domain-snapshot`. None: not logged (the error
/// API, which libvirt's virerror.c does not log either).
fn source(module: &str) -> Option<String> {
    let file = module.rsplit("::").next().unwrap_or(module);
    Some(match file {
        "error" => return None,
        "libvirt" => "libvirt".to_string(),
        "event" => "util.event".to_string(),
        "typedparams" => "util.typedparam".to_string(),
        f => format!("libvirt.{}", f.replace('_', "-")),
    })
}

/// Log the call of `func` with its arguments: (name, Rust type as written, value).
pub fn entry(module: &str, func: &str, line: u32, args: &[(&str, &str, Arg)]) {
    let Some(src) = source(module) else {
        return;
    };
    if !crate::core::log::source_enabled(&src, Priority::Debug) {
        return;
    }
    let mut out = String::new();
    for (i, (name, ty, v)) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let name = name.strip_prefix("r#").unwrap_or(name);
        let _ = write!(out, "{name}=");
        match *v {
            Arg::Ptr(p) if is_c_string(ty) => {
                if p == 0 {
                    out.push_str("<null>");
                } else {
                    // SAFETY: a `const char *` argument of a libvirt API is NULL (checked) or
                    // a NUL-terminated string valid for the call, which is still running.
                    let s = unsafe { CStr::from_ptr(p as *const c_char) };
                    out.push_str(&s.to_string_lossy());
                }
            }
            Arg::Ptr(0) => out.push_str("(nil)"),
            Arg::Ptr(p) => {
                let _ = write!(out, "{p:#x}");
            }
            Arg::UInt(u) if name.ends_with("flags") => {
                let _ = write!(out, "{u:#x}");
            }
            Arg::UInt(u) => {
                let _ = write!(out, "{u}");
            }
            Arg::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Arg::Float(f) => {
                let _ = write!(out, "{f}");
            }
        }
    }
    message(&src, Priority::Debug, func, line, format_args!("{out}"));
}

fn is_c_string(ty: &str) -> bool {
    let t: String = ty.split_whitespace().collect::<Vec<_>>().join(" ");
    t == "*const c_char" || t == "*const std::ffi::c_char" || t == "*const libc::c_char"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_follow_upstream_file_names() {
        assert_eq!(source("virt::ffi::libvirt").as_deref(), Some("libvirt"));
        assert_eq!(
            source("virt::ffi::domain_snapshot").as_deref(),
            Some("libvirt.domain-snapshot")
        );
        assert_eq!(source("virt::ffi::error"), None);
    }

    #[test]
    fn argument_kinds() {
        assert!(is_c_string("*const c_char"));
        assert!(!is_c_string("*mut c_char"));
        let f: Option<unsafe extern "C-unwind" fn(*mut std::ffi::c_void)> = None;
        assert!(matches!(f.log_arg(), Arg::Ptr(0)));
        assert!(matches!(7u32.log_arg(), Arg::UInt(7)));
    }
}
