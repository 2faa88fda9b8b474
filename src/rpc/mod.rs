//! libvirt's RPC protocol, written for oxvirt: XDR, packet framing, the remote program's types,
//! a thread-safe client connection with keepalive, and streams.

pub mod client;
pub mod packet;
pub mod proto;
pub mod stream;
pub mod xdr;

pub use client::{Client, Keepalive, Transport};

#[cfg(test)]
mod tests;
