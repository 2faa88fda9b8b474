//! The network family (libvirt's `driver-network.h`): virtual networks and their ports.

#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::Result;

/// What a public handle needs to know of a network: libvirt's `virNetwork` is `{name, uuid}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkRef {
    pub name: String,
    pub uuid: [u8; 16],
}

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait NetworkDriver: Send + Sync {}
