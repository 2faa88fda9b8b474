//! The driver interfaces, one per object family as libvirt's `driver-*.h`: a connection holds
//! one driver per family ([`Drivers`]); a driver implements the families it has, and the others
//! are served by [`NoDriver`].
//!
//! A method a driver does not implement keeps its default, which fails with
//! [`VirError::unsupported`]: the entry point that called it turns that into libvirt's
//! `VIR_ERR_NO_SUPPORT` naming the public function, in that function's error domain, so no
//! default ever types an API name. Method names follow the public function they serve
//! (`virConnectNumOfNetworks` -> `connect_num_of_networks`) unless one method serves several.

mod domstats;
pub mod events;
mod hypervisor;
mod interface;
mod network;
mod nodedev;
mod nwfilter;
mod secret;
mod storage;
mod tuning;
// ---- pinning/iothreads/misc (pin)
mod pinning;
pub use pinning::IoThreadInfo;

pub use domstats::{
    BlockInfo, BlockStats, CpuStats, DomainStatsRecord, InterfaceStats, TypedParam, TypedValue,
};
pub use events::{Event, EventFamily, EventKey, EventObject, EventSink, Payload};
pub use hypervisor::QemuMonitorEventCallback; // libs scope
pub use hypervisor::{CpuMap, HypervisorDriver, HypervisorTarget, SecurityModel};
pub use hypervisor::{FsInfo, GuestInterface, IdentityParams, IpAddress}; // hostmisc scope
pub use hypervisor::{JobInfo, MigrateArgs, MigrateTunable}; // issue 10 last calls
pub use interface::{InterfaceDriver, InterfaceRef};
pub use network::{DhcpLease, NetworkDriver, NetworkRef};
pub use nodedev::{DestroyOutcome, NodeDeviceDriver, NodeDeviceRef};
pub use nwfilter::{NWFilterBindingRef, NWFilterDriver, NWFilterRef};
pub use secret::{SecretDriver, SecretRef};
pub use storage::{PoolInfo, PoolRef, StorageDriver, VolInfo, VolRef};
pub use tuning::{ControlInfo, SecurityLabel, VcpuInfo, Vcpus};

use super::error::{Result, VirError};
use std::ffi::CStr;
use std::sync::Arc;

/// What a public handle needs to know of a domain: libvirt's `virDomain` is `{name, uuid, id}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainRef {
    /// Shared with the driver, so listing does not copy names.
    pub name: Arc<CStr>,
    pub uuid: [u8; 16],
    pub id: i32,
}

impl DomainRef {
    pub fn name_str(&self) -> &str {
        self.name.to_str().unwrap_or("")
    }
}

/// `virDomainInfo` in Rust terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DomainInfo {
    pub state: u8,
    pub max_mem: u64,
    pub memory: u64,
    pub nr_virt_cpu: u16,
    pub cpu_time: u64,
}

/// `virNodeInfo` in Rust terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeInfo {
    pub model: String,
    pub memory: u64,
    pub cpus: u32,
    pub mhz: u32,
    pub nodes: u32,
    pub sockets: u32,
    pub cores: u32,
    pub threads: u32,
}

/// The default of every unimplemented driver method.
pub(crate) fn unsupported<T>() -> Result<T> {
    Err(VirError::unsupported())
}

/// A family this connection's driver does not have: every method keeps its default.
pub struct NoDriver;

impl NetworkDriver for NoDriver {}
impl StorageDriver for NoDriver {}
impl InterfaceDriver for NoDriver {}
impl NodeDeviceDriver for NoDriver {}
impl SecretDriver for NoDriver {}
impl NWFilterDriver for NoDriver {}

/// One driver per family, as a connection holds them (libvirt's `virConnect` driver slots).
#[derive(Clone)]
pub struct Drivers {
    pub hypervisor: Arc<dyn HypervisorDriver>,
    pub network: Arc<dyn NetworkDriver>,
    pub storage: Arc<dyn StorageDriver>,
    pub interface: Arc<dyn InterfaceDriver>,
    pub nodedev: Arc<dyn NodeDeviceDriver>,
    pub secret: Arc<dyn SecretDriver>,
    pub nwfilter: Arc<dyn NWFilterDriver>,
}

impl Drivers {
    /// A connection with a hypervisor driver only.
    pub fn new(hypervisor: Arc<dyn HypervisorDriver>) -> Self {
        let none = Arc::new(NoDriver);
        Drivers {
            hypervisor,
            network: none.clone(),
            storage: none.clone(),
            interface: none.clone(),
            nodedev: none.clone(),
            secret: none.clone(),
            nwfilter: none,
        }
    }
}
