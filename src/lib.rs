//! oxvirt: a pure-Rust, drop-in `libvirt.so.0`.
//!
//! Layers: [`ffi`] is the C boundary (libvirt 9.0.0's ABI), [`core`] the safe model and
//! driver interface, [`drivers`] the embedded test driver and the remote driver.

pub mod core;
pub mod drivers;
pub mod ffi;
pub mod generated;
pub mod rpc;
pub mod sys;
