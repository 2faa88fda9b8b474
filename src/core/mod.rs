//! The safe core: libvirt's error numbers and messages, URI parsing, the connection and domain
//! model, and the driver trait whose default methods report `VIR_ERR_NO_SUPPORT`.
//!
//! Nothing here knows about C pointers; `src/ffi/` turns this model into libvirt's ABI.
#![forbid(unsafe_code)]

pub use crate::generated::abi_consts;
pub mod authconf;
pub mod conf;
pub mod connect;
pub mod cpu;
pub mod driver;
pub mod error;
pub mod event;
pub mod log;
pub mod stream;
pub mod uri;
pub mod uuid;

pub use error::{Code, Domain, Result, VirError};

/// libvirt's version number for 9.0.0 (`LIBVIR_VERSION_NUMBER`).
pub const LIBVIR_VERSION_NUMBER: u64 = 9_000_000;
