//! The network family (libvirt's `driver-network.h`): virtual networks and their ports.

#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::Result;

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait NetworkDriver: Send + Sync {}
