//! The node device family (libvirt's `driver-nodedev.h`).

#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::Result;

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait NodeDeviceDriver: Send + Sync {}
