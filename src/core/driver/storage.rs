//! The storage family (libvirt's `driver-storage.h`): pools and volumes.

#[allow(unused_imports)]
use super::unsupported;
#[allow(unused_imports)]
use crate::core::error::Result;

/// Every method defaults to "not supported" (see the module documentation of `driver`).
#[allow(unused_variables)]
pub trait StorageDriver: Send + Sync {}
