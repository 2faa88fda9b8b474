//! The C boundary: libvirt 9.0.0's public ABI, one file per upstream `src/libvirt-*.c`.
//!
//! Every export is a literal `extern "C-unwind"` signature (so cbindgen sees it; the ABI is C's)
//! marked `#[apply(export)]`, whose body runs inside [`entry::entry`]. "C-unwind" because an
//! application callback reached from an export (event loop, stream, domain event, close, error,
//! free and auth callbacks) may end its thread with a forced unwind (`pthread_exit`, as CPython
//! does to daemon threads at exit), which must pass through our frames as through C's. The attribute gives the Rust
//! symbol a private name (`oxvirt_virX`); `build.rs` publishes it as `virX` at its version node
//! with `--defsym` and `libvirt_public.syms`, because rustc's own version script would
//! otherwise leave a plain `#[no_mangle]` name unversioned.

// Every item of this module is an entry point C calls with raw pointers; C has no `unsafe`
// to mark them with. Each dereference sits in an `unsafe` block that states the API contract
// it relies on, after the NULL and handle checks of `entry`.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

/// Rename an export to `oxvirt_NAME`, give its body `FUNC`, the public name, and log the call
/// with its arguments at debug level as libvirt's entry points do (`conn=%p, name=%s,
/// flags=0x%x`), the format derived from each argument's name and C type (runtime/log.rs); when
/// debug logging is off this costs one atomic load.
macro_rules! export {
    (
        #[unsafe(no_mangle)]
        $(#[$attr:meta])*
        pub extern "C-unwind" fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) $(-> $ret:ty)? $body:block
    ) => {
        #[unsafe(export_name = concat!("oxvirt_", stringify!($name)))]
        $(#[$attr])*
        pub extern "C-unwind" fn $name ( $($arg : $ty),* ) $(-> $ret)? {
            #[allow(dead_code)]
            const FUNC: &str = stringify!($name);
            if $crate::core::log::enabled($crate::core::log::Priority::Debug) {
                $crate::ffi::runtime::log::entry(
                    module_path!(),
                    FUNC,
                    line!(),
                    &[$((stringify!($arg), stringify!($ty), $crate::ffi::runtime::log::LogArg::log_arg(&$arg))),*],
                );
            }
            $body
        }
    };
    (
        #[unsafe(no_mangle)]
        $(#[$attr:meta])*
        pub extern "C" fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) $(-> $ret:ty)? $body:block
    ) => {
        #[unsafe(export_name = concat!("oxvirt_", stringify!($name)))]
        $(#[$attr])*
        pub extern "C" fn $name ( $($arg : $ty),* ) $(-> $ret)? {
            #[allow(dead_code)]
            const FUNC: &str = stringify!($name);
            if $crate::core::log::enabled($crate::core::log::Priority::Debug) {
                $crate::ffi::runtime::log::entry(
                    module_path!(),
                    FUNC,
                    line!(),
                    &[$((stringify!($arg), stringify!($ty), $crate::ffi::runtime::log::LogArg::log_arg(&$arg))),*],
                );
            }
            $body
        }
    };
    (
        #[unsafe(no_mangle)]
        $(#[$attr:meta])*
        pub static mut $name:ident : $ty:ty = $init:expr;
    ) => {
        #[unsafe(export_name = concat!("oxvirt_", stringify!($name)))]
        $(#[$attr])*
        pub static mut $name: $ty = $init;
    };
}

pub use crate::generated::abi_types;
pub mod runtime;

pub mod domain;
pub mod domain_checkpoint;
pub mod domain_snapshot;
pub mod error;
pub mod event;
pub mod host;
pub mod interface;
pub mod libvirt;
pub mod lxc; // libs scope
pub mod network;
pub mod nodedev;
pub mod nwfilter;
pub mod qemu; // libs scope
pub mod secret;
pub mod storage;
pub mod stream;
pub mod typedparams;

/// The entry points nobody has written yet, generated from the fact table by
/// `tools/gen-stubs.py`; they live with the other generated files.
#[path = "../generated/ffi_stubs.rs"]
mod stubs;
