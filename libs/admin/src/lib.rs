//! oxvirt's libvirt-admin.so.0: libvirt's admin API (managing a daemon's servers, clients,
//! logging) over the daemon's admin socket, with the project's RPC client and the admin
//! program's generated types. A library of its own, not a filter: Debian's `virt-admin` runs it
//! beside Debian's libvirt.so.0, so it needs nothing of libvirt.so.0 but its public error API
//! (see `libvirt.rs` and libs/README.md).
#![allow(non_snake_case)]

mod admin;
pub mod ffi;
mod libvirt;
