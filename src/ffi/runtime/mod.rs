//! The C runtime behind the exports: the entry helper, the thread's last error and its
//! handlers, the handle registry, the public stream object, per-connection event state and
//! the `malloc`'d memory handed to callers. It holds no export; the files of `src/ffi/` that
//! export libvirt's functions use it, never the other way round.

pub mod conn_events;
pub mod entry;
pub mod errobj;
pub mod error;
pub mod event_call;
pub mod event_regs;
pub mod handle;
pub mod log;
pub mod mem;
pub mod moment;
pub mod outparams;
pub mod qemu_events; // libs scope
pub mod registry;
pub mod stream;
pub mod typed_in;
pub mod typed_out;
