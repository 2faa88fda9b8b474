//! The host interface family (libvirt's `driver-interface.h`).

#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::Result;

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait InterfaceDriver: Send + Sync {}
